// A simulated ANT radio: channels search for, pair with and track simulated sensors at 4 Hz,
// lose them (RX_FAIL, then RX_FAIL_GO_TO_SEARCH after 8 misses), time out their search
// (searchTimeoutLowPriority x 2.5 s, then CHANNEL_CLOSED) and carry acknowledged messages.
import { ANT } from './toybox/ant.mjs';

export const MISSES_BEFORE_SEARCH = 8;
export const DEFAULT_LOW_PRIORITY_TIMEOUT = 10; // ANT default: 10 x 2.5 s = 25 s

export class Radio {
  constructor(device, { freeChannels = 4 } = {}) {
    this.device = device;
    this.freeChannels = freeChannels;
    this.channels = [];
    this.sensors = [];
    this.sent = [];       // every acknowledged / broadcast message the field sent
    this.events = [];     // every channel event delivered, for assertions
  }
  addSensor(sensor) { this.sensors.push(sensor); return sensor; }
  acquire(owner, listener, assignment) {
    if (this.channels.filter((c) => !c.released).length >= this.freeChannels) return null;
    const ch = new Channel(this, this.channels.length, owner, listener, assignment);
    this.channels.push(ch);
    return ch;
  }
  tick(t) {
    for (const ch of this.channels) if (!ch.released) ch.tick(t);
  }
}

class Channel {
  constructor(radio, index, owner, listener, assignment) {
    this.radio = radio;
    this.index = index;
    this.owner = owner;
    this.listener = listener;
    this.assignment = { channelType: assignment.fields.get('channelType'), network: assignment.fields.get('network') };
    this.config = null;
    this.state = 'closed';
    this.paired = null;
    this.missed = 0;
    this.searchElapsed = 0;
    this.pending = [];
    this.released = false;
    this.opens = 0;
    this.lockedNumber = null;
  }
  setConfig(cfg) { this.config = cfg; }
  open() {
    if (!this.config) return false;
    this.state = 'searching';
    this.paired = null;
    this.lockedNumber = null;
    this.searchElapsed = 0;
    this.opens++;
    return true;
  }
  close() {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.paired = null;
    this.lockedNumber = null;
    this.pending.push(ANT.MSG_CODE_EVENT_CHANNEL_CLOSED);
  }
  release() {
    this.released = true;
    this.state = 'closed';
    this.paired = null;
    this.pending = [];
  }
  send(kind, payload) {
    const t = this.radio.device.t;
    const to = this.state === 'tracking' ? this.paired : null;
    this.radio.sent.push({ t, channel: this.index, kind, payload, deviceNumber: to ? to.deviceNumber : null });
    if (kind !== 'ack') return;
    if (to && to.inRange(t)) {
      to.receive(payload, t);
      this.pending.push(ANT.MSG_CODE_EVENT_TRANSFER_TX_COMPLETED);
    } else this.pending.push(ANT.MSG_CODE_EVENT_TRANSFER_TX_FAILED);
  }
  matches(s) {
    const c = this.config;
    if (this.assignment.network !== ANT.NETWORK_PLUS) return false;
    if (c.radioFrequency !== s.radioFrequency) return false;
    if (c.deviceType && c.deviceType !== s.deviceType) return false;
    if (c.transmissionType && c.transmissionType !== s.transmissionType) return false;
    const wanted = this.lockedNumber ?? c.deviceNumber;
    return !wanted || wanted === s.deviceNumber;
  }
  event(code) {
    const d = this.paired;
    this.radio.events.push({ t: this.radio.device.t, channel: this.index, code });
    this.radio.device.deliver(this.listener, {
      messageId: ANT.MSG_ID_CHANNEL_RESPONSE_EVENT, deviceNumber: d ? d.deviceNumber : 0,
      deviceType: d ? d.deviceType : 0, transmissionType: d ? d.transmissionType : 0,
    }, [ANT.MSG_ID_RF_EVENT, code, 0, 0, 0, 0, 0, 0]);
  }
  data(sensor, t) {
    this.radio.device.deliver(this.listener, {
      messageId: ANT.MSG_ID_BROADCAST_DATA, deviceNumber: sensor.deviceNumber,
      deviceType: sensor.deviceType, transmissionType: sensor.transmissionType,
    }, sensor.broadcast(t));
  }
  tick(t) {
    const pending = this.pending;
    this.pending = [];
    for (const code of pending) { if (!this.released) this.event(code); }
    if (this.state === 'closed' || this.released) return;
    if (this.state === 'searching') {
      // Which of several matching sensors a search hears first is down to radio timing; the
      // simulation takes them in turn, one further on for every (re)opening of the channel.
      const candidates = this.radio.sensors.filter((s) => s.inRange(t) && this.matches(s));
      const found = candidates.length ? candidates[this.opens % candidates.length] : null;
      if (found) {
        this.state = 'tracking';
        this.paired = found;
        this.lockedNumber = found.deviceNumber; // ANT keeps a wildcard channel on the device it found
        this.missed = 0;
        this.data(found, t);
        return;
      }
      this.searchElapsed += 0.25;
      const steps = this.config.searchTimeoutLowPriority ?? DEFAULT_LOW_PRIORITY_TIMEOUT;
      if (this.searchElapsed >= steps * 2.5) {
        this.event(ANT.MSG_CODE_EVENT_RX_SEARCH_TIMEOUT);
        this.state = 'closed';
        this.paired = null;
        this.lockedNumber = null;
        this.event(ANT.MSG_CODE_EVENT_CHANNEL_CLOSED);
      }
      return;
    }
    const s = this.paired;
    if (s.inRange(t)) { this.missed = 0; this.data(s, t); return; }
    this.missed++;
    if (this.missed < MISSES_BEFORE_SEARCH) { this.event(ANT.MSG_CODE_EVENT_RX_FAIL); return; }
    this.event(ANT.MSG_CODE_EVENT_RX_FAIL_GO_TO_SEARCH);
    this.state = 'searching';
    this.searchElapsed = 0;
  }
}
