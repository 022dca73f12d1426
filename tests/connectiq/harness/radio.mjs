// A simulated ANT radio: channels search for, pair with and track simulated sensors at 4 Hz,
// lose them (RX_FAIL, then RX_FAIL_GO_TO_SEARCH after 8 misses), time out their search
// (searchTimeoutLowPriority x 2.5 s, default 6 as DeviceConfig documents, then CHANNEL_CLOSED)
// and carry acknowledged messages.
//
// Search model (what a real radio decides by timing and signal strength):
// - proximity: a sensor is in proximity bin `sensor.bin(t)` (1 closest .. 10 farthest); a search
//   with :searchThreshold n > 0 hears only sensors in bins <= n; 0 turns proximity off.
// - timing: a search needs `sensor.acquireSeconds` (default 0.5 s) of listening before it can
//   lock on a sensor.
// - radio order: of several matching sensors the one whose transmission falls first after the
//   channel opened is heard first; each opening happens at a pseudo-random moment within the
//   4-Hz message period (seeded, so runs repeat), against each sensor's own `phase`.
// - documented returns: open/close/release/sendAcknowledge/sendBroadcast return Booleans; open()
//   on an already open channel returns false (ANT answers with a wrong-state error); `failOpens`
//   makes the next n open() calls return false.
// - release() of an open channel closes it; its EVENT_CHANNEL_CLOSED is still delivered to the
//   released channel's listener on the next tick (the docs do not say it is not), unless
//   `closedAfterRelease` is false.
import { ANT } from './toybox/ant.mjs';

export const MISSES_BEFORE_SEARCH = 8;
export const DEFAULT_LOW_PRIORITY_TIMEOUT = 6; // DeviceConfig: "Default 6 (15s)"
export const MESSAGE_PERIOD_S = 0.25;

// mulberry32: a small seeded PRNG.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Radio {
  constructor(device, { freeChannels = 4, seed = 13, closedAfterRelease = true } = {}) {
    this.device = device;
    this.freeChannels = freeChannels;
    this.channels = [];
    this.sensors = [];
    this.sent = [];       // every acknowledged / broadcast message the field sent
    this.events = [];     // every channel event delivered, for assertions
    this.wrongState = []; // open() calls on a channel that was already open
    this.failOpens = 0;
    this.random = prng(seed);
    this.closedAfterRelease = closedAfterRelease;
    this.orphanEvents = []; // events of released channels still to deliver
  }
  addSensor(sensor) { this.sensors.push(sensor); return sensor; }
  acquire(owner, listener, assignment) {
    this.acquireAttempts = (this.acquireAttempts ?? 0) + 1;
    (this.attempts ??= []).push(this.device.t);
    const free = typeof this.freeChannels === 'function' ? this.freeChannels(this.device.t) : this.freeChannels;
    if (this.channels.filter((c) => !c.released).length >= free) return null;
    const ch = new Channel(this, this.channels.length, owner, listener, assignment);
    this.channels.push(ch);
    return ch;
  }
  tick(t) {
    const orphans = this.orphanEvents;
    this.orphanEvents = [];
    for (const { channel, code } of orphans) channel.deliverEvent(code);
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
    this.openOffset = 0;
    this.configs = [];
  }
  setConfig(cfg) { this.config = cfg; this.configs.push({ t: this.radio.device.t, ...cfg }); return true; }
  open() {
    if (!this.config) return false;
    if (this.state !== 'closed') {
      this.radio.wrongState.push({ t: this.radio.device.t, channel: this.index });
      return false;
    }
    if (this.radio.failOpens > 0) { this.radio.failOpens--; return false; }
    this.state = 'searching';
    this.paired = null;
    this.lockedNumber = null;
    this.searchElapsed = 0;
    this.openOffset = this.radio.random() * MESSAGE_PERIOD_S;
    this.opens++;
    return true;
  }
  close() {
    if (this.state === 'closed') return false;
    this.state = 'closed';
    this.paired = null;
    this.lockedNumber = null;
    this.pending.push(ANT.MSG_CODE_EVENT_CHANNEL_CLOSED);
    return true;
  }
  release() {
    const wasOpen = this.state !== 'closed';
    this.released = true;
    this.state = 'closed';
    this.paired = null;
    this.pending = [];
    if (wasOpen && this.radio.closedAfterRelease) this.radio.orphanEvents.push({ channel: this, code: ANT.MSG_CODE_EVENT_CHANNEL_CLOSED });
    return true;
  }
  send(kind, payload) {
    const t = this.radio.device.t;
    const to = this.state === 'tracking' ? this.paired : null;
    this.radio.sent.push({ t, channel: this.index, kind, payload, deviceNumber: to ? to.deviceNumber : null });
    if (kind !== 'ack') return true;
    if (to && to.inRange(t)) {
      to.receive(payload, t);
      this.pending.push(ANT.MSG_CODE_EVENT_TRANSFER_TX_COMPLETED);
    } else this.pending.push(ANT.MSG_CODE_EVENT_TRANSFER_TX_FAILED);
    return true;
  }
  matches(s, t) {
    const c = this.config;
    if (this.assignment.network !== ANT.NETWORK_PLUS) return false;
    if (c.radioFrequency !== s.radioFrequency) return false;
    if (c.deviceType && c.deviceType !== s.deviceType) return false;
    if (c.transmissionType && c.transmissionType !== s.transmissionType) return false;
    const wanted = this.lockedNumber ?? c.deviceNumber;
    if (wanted && wanted !== s.deviceNumber) return false;
    const threshold = c.searchThreshold ?? 0;
    return !threshold || s.binAt(t) <= threshold;
  }
  // Delivers an event to the listener (also after release: the message of a released channel).
  deliverEvent(code) {
    const d = this.paired;
    this.radio.events.push({ t: this.radio.device.t, channel: this.index, code, released: this.released });
    this.radio.device.deliver(this.listener, {
      messageId: ANT.MSG_ID_CHANNEL_RESPONSE_EVENT, deviceNumber: d ? d.deviceNumber : null,
      deviceType: d ? d.deviceType : null, transmissionType: d ? d.transmissionType : null,
      timestamp: null, rssi: null,
    }, [ANT.MSG_ID_RF_EVENT, code, 0, 0, 0, 0, 0, 0]);
  }
  event(code) { this.deliverEvent(code); }
  data(sensor, t) {
    this.radio.device.deliver(this.listener, {
      messageId: ANT.MSG_ID_BROADCAST_DATA, deviceNumber: sensor.deviceNumber,
      deviceType: sensor.deviceType, transmissionType: sensor.transmissionType,
      timestamp: Math.round(t * 32768) & 0xffff, rssi: -40 - 5 * sensor.binAt(t),
    }, sensor.broadcast(t));
  }
  // The sensor a search hears first: the matching sensor whose transmission follows the
  // opening moment soonest, once it has been listened to for its acquisition time.
  heard(t) {
    const candidates = this.radio.sensors.filter((s) => s.inRange(t) && this.matches(s, t));
    if (!candidates.length) return null;
    const wait = (s) => ((s.phase - this.openOffset) % MESSAGE_PERIOD_S + MESSAGE_PERIOD_S) % MESSAGE_PERIOD_S;
    candidates.sort((a, b) => wait(a) - wait(b));
    return candidates.find((s) => this.searchElapsed + 1e-9 >= s.acquireSeconds) ?? null;
  }
  tick(t) {
    const pending = this.pending;
    this.pending = [];
    for (const code of pending) { if (!this.released) this.event(code); }
    if (this.state === 'closed' || this.released) return;
    if (this.state === 'searching') {
      const found = this.heard(t);
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
        if (this.released || this.state !== 'searching') return;
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
    if (this.state !== 'tracking') return; // the field closed or released it meanwhile
    this.state = 'searching';
    this.searchElapsed = 0;
  }
}
