// Toybox.Ant: GenericChannel, ChannelAssignment, DeviceConfig, Message, constants. The channels
// are driven by the simulated radio (../radio.mjs), which delivers messages to the listener.
import { MObject, MArray, MByteArray, MDict, MSymbol, MonkeyCrash, typeName } from '../values.mjs';
import { nativeClass, constants, expectArgs, newNativeObject } from '../runtime.mjs';
import { throwMonkey } from './lang.mjs';

export const ANT = {
  CHANNEL_TYPE_RX_NOT_TX: 0x00, CHANNEL_TYPE_TX_NOT_RX: 0x10, CHANNEL_TYPE_RX_ONLY: 0x40,
  NETWORK_PUBLIC: 0, NETWORK_PLUS: 1, NETWORK_PRIVATE: 2,
  MSG_ID_RF_EVENT: 0x01, MSG_ID_CHANNEL_RESPONSE_EVENT: 0x40, MSG_ID_BROADCAST_DATA: 0x4e,
  MSG_ID_ACKNOWLEDGED_DATA: 0x4f, MSG_ID_BURST_DATA: 0x50,
  MSG_CODE_RESPONSE_NO_ERROR: 0x00, MSG_CODE_EVENT_RX_SEARCH_TIMEOUT: 0x01, MSG_CODE_EVENT_RX_FAIL: 0x02,
  MSG_CODE_EVENT_TX: 0x03, MSG_CODE_EVENT_TRANSFER_RX_FAILED: 0x04, MSG_CODE_EVENT_TRANSFER_TX_COMPLETED: 0x05,
  MSG_CODE_EVENT_TRANSFER_TX_FAILED: 0x06, MSG_CODE_EVENT_CHANNEL_CLOSED: 0x07,
  MSG_CODE_EVENT_RX_FAIL_GO_TO_SEARCH: 0x08, MSG_CODE_EVENT_CHANNEL_COLLISION: 0x09,
  MSG_CODE_EVENT_TRANSFER_TX_START: 0x0a,
};

const CONFIG_FIELDS = ['deviceNumber', 'deviceType', 'transmissionType', 'messagePeriod', 'radioFrequency',
  'searchTimeoutLowPriority', 'searchTimeoutHighPriority', 'searchThreshold', 'networkKey64Bit', 'networkKey128Bit'];

// Ranges the DeviceConfig page documents for its options.
const CONFIG_RANGES = {
  deviceNumber: [0, 65535], deviceType: [0, 255], transmissionType: [0, 255], messagePeriod: [0, 65535],
  radioFrequency: [0, 124], searchTimeoutLowPriority: [0, 12], searchTimeoutHighPriority: [0, 254], searchThreshold: [0, 10],
};

function payloadOf(v) {
  let bytes;
  if (v instanceof MArray) bytes = v.items;
  else if (v instanceof MByteArray) bytes = Array.from(v.bytes);
  else throw new MonkeyCrash('UnexpectedTypeException', `Message.setPayload needs an Array or ByteArray, got ${typeName(v)}`);
  if (bytes.length !== 8) throw new MonkeyCrash('InvalidValueException', `an ANT payload has 8 bytes, got ${bytes.length}`);
  return bytes.map((b) => {
    if (typeof b !== 'number') throw new MonkeyCrash('UnexpectedTypeException', `payload bytes must be Numbers, got ${typeName(b)}`);
    return b & 0xff;
  });
}

export function installAnt(toybox, device, lang) {
  const ant = toybox.child('Ant');
  constants(ant, ANT);
  const object = lang.members.get('Object');
  const unable = nativeClass(ant, 'UnableToAcquireChannelException', { extends: lang.members.get('Exception') });

  nativeClass(ant, 'ChannelAssignment', {
    extends: object,
    fields: ['channelType', 'network'],
    methods: {
      initialize: (i, self, args) => {
        expectArgs('ChannelAssignment.initialize', args, 2);
        self.fields.set('channelType', args[0]);
        self.fields.set('network', args[1]);
        return null;
      },
    },
  });
  nativeClass(ant, 'DeviceConfig', {
    extends: object,
    fields: CONFIG_FIELDS,
    methods: {
      initialize: (i, self, args) => {
        expectArgs('DeviceConfig.initialize', args, 1);
        const d = args[0];
        if (!(d instanceof MDict)) throw new MonkeyCrash('UnexpectedTypeException', `DeviceConfig needs a Dictionary, got ${typeName(d)}`);
        for (const k of d.keys()) {
          if (!(k instanceof MSymbol) || !CONFIG_FIELDS.includes(k.name)) {
            throw new MonkeyCrash('InvalidValueException', `DeviceConfig does not know the option ${typeName(k) === 'Symbol' ? ':' + k.name : typeName(k)}`);
          }
          const v = d.get(k);
          const range = CONFIG_RANGES[k.name];
          if (range && v !== null && (typeof v !== 'number' || v < range[0] || v > range[1])) {
            throw new MonkeyCrash('InvalidValueException', `DeviceConfig :${k.name} must be a Number ${range[0]}-${range[1]}, got ${typeName(v)} ${String(v)}`);
          }
          self.fields.set(k.name, v);
        }
        return null;
      },
    },
  });
  const message = nativeClass(ant, 'Message', {
    extends: object,
    fields: ['deviceNumber', 'deviceType', 'transmissionType', 'messageId', 'length', 'rssi', 'timestamp'],
    methods: {
      initialize: (i, self) => {
        // Message page: every member is "Number or Null"; a new message has none set.
        for (const f of ['deviceNumber', 'deviceType', 'transmissionType', 'messageId', 'rssi', 'timestamp']) self.fields.set(f, null);
        self.native.payload = [0, 0, 0, 0, 0, 0, 0, 0];
        self.fields.set('length', 8);
        return null;
      },
      getPayload: (i, self) => new MArray([...self.native.payload]),
      setPayload: (i, self, args) => { expectArgs('Message.setPayload', args, 1); self.native.payload = payloadOf(args[0]); return null; },
    },
  });
  nativeClass(ant, 'GenericChannel', {
    extends: object,
    methods: {
      initialize: (i, self, args) => {
        expectArgs('GenericChannel.initialize', args, 2);
        const [listener, assignment] = args;
        if (typeName(listener) !== 'Method') throw new MonkeyCrash('UnexpectedTypeException', `GenericChannel listener must be a Method, got ${typeName(listener)}`);
        if (!(assignment instanceof MObject) || assignment.cls.name !== 'ChannelAssignment') {
          throw new MonkeyCrash('UnexpectedTypeException', `GenericChannel needs an Ant.ChannelAssignment, got ${typeName(assignment)}`);
        }
        const ch = device.radio.acquire(self, listener, assignment);
        if (!ch) throwMonkey(i, unable, 'no ANT channel is free');
        self.native.channel = ch;
        return null;
      },
      setDeviceConfig: (i, self, args) => {
        expectArgs('GenericChannel.setDeviceConfig', args, 1);
        const c = args[0];
        if (!(c instanceof MObject) || c.cls.name !== 'DeviceConfig') throw new MonkeyCrash('UnexpectedTypeException', `setDeviceConfig needs an Ant.DeviceConfig, got ${typeName(c)}`);
        return live(self).setConfig(Object.fromEntries(CONFIG_FIELDS.map((f) => [f, c.fields.get(f)])));
      },
      getDeviceConfig: (i, self) => {
        const cfg = i.toybox.members.get('Ant').members.get('DeviceConfig');
        const o = newNativeObject(cfg);
        const ch = live(self);
        for (const f of CONFIG_FIELDS) o.fields.set(f, ch.config[f] ?? null);
        if (ch.paired) o.fields.set('deviceNumber', ch.paired.deviceNumber);
        return o;
      },
      // GenericChannel page: open, close, release, sendAcknowledge and sendBroadcast return
      // Lang.Boolean, true on success.
      open: (i, self) => live(self).open(),
      close: (i, self) => live(self).close(),
      release: (i, self) => live(self).release(),
      sendAcknowledge: (i, self, args) => { expectArgs('GenericChannel.sendAcknowledge', args, 1); return live(self).send('ack', messagePayload(args[0])); },
      sendBroadcast: (i, self, args) => { expectArgs('GenericChannel.sendBroadcast', args, 1); return live(self).send('broadcast', messagePayload(args[0])); },
    },
  });

  function live(self) {
    const ch = self.native.channel;
    if (!ch || ch.released) throw new MonkeyCrash('InvalidValueException', 'the ANT channel was released');
    return ch;
  }
  function messagePayload(m) {
    if (!(m instanceof MObject) || m.cls !== message) throw new MonkeyCrash('UnexpectedTypeException', `expected an Ant.Message, got ${typeName(m)}`);
    return [...m.native.payload];
  }

  device.makeAntMessage = (fields, payload) => {
    const m = newNativeObject(message);
    for (const [k, v] of Object.entries(fields)) m.fields.set(k, v);
    m.fields.set('length', 8);
    m.native.payload = [...payload];
    return m;
  };
  return ant;
}
