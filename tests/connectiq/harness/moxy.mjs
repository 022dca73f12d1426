// A simulated Moxy muscle-oxygen sensor broadcasting the ANT+ Muscle Oxygen profile at 4 Hz:
// page 1 with an event count that rolls over, the measurement interval in the capabilities,
// "UTC time required" until a page-16 set-time command arrives, and common pages 80/81/82.

export const SMO2_AMBIENT = 0x3fe;
export const SMO2_INVALID = 0x3ff;
export const THB_AMBIENT = 0xffe;
export const THB_INVALID = 0xfff;
export const INTERVAL_CODES = { 0.25: 1, 0.5: 2, 1: 3, 2: 4 };
export const FIT_EPOCH_UNIX = 631065600;

function rawSmo2(v) {
  if (v === 'ambient') return SMO2_AMBIENT;
  if (v === 'invalid') return SMO2_INVALID;
  return Math.round(v * 10) & 0x3ff;
}
function rawThb(v) {
  if (v === 'ambient') return THB_AMBIENT;
  if (v === 'invalid') return THB_INVALID;
  return Math.round(v * 100) & 0xfff;
}

// Page 1 bytes: [1, eventCount, notifications, capabilities, tHb lo, tHb hi | prev lo, prev hi | cur lo, cur hi].
export function encodePage1({ eventCount, utcRequired = false, antFs = false, interval = 2, thb, previous, current }) {
  const code = INTERVAL_CODES[interval];
  if (!code) throw new Error(`measurement interval ${interval} s is not one the profile defines`);
  const t = rawThb(thb), p = rawSmo2(previous), c = rawSmo2(current);
  return [
    0x01, eventCount & 0xff, utcRequired ? 1 : 0, (antFs ? 1 : 0) | (code << 1),
    t & 0xff, ((t >> 8) & 0x0f) | ((p & 0x0f) << 4), ((p >> 4) & 0x3f) | ((c & 0x03) << 6), (c >> 2) & 0xff,
  ];
}

export class SimulatedMoxy {
  // profile(t) -> { smo2, thb } in % and g/dL, or 'ambient' / 'invalid' for either.
  // present(t) -> whether the sensor is in range.
  constructor({
    deviceNumber, profile, present = () => true, interval = 2, eventCountStart = 0, utcRequired = true,
    transmissionType = 5, manufacturerId = 89, model = 3, hwRevision = 2, swRevision = 34, serial = 665, batteryStatus = 2,
    batteryVolts = 3.9, bin = 1, phase = null, acquireSeconds = 0.5,
  }) {
    // Proximity bin (1 closest .. 10 farthest), a number or a function of time.
    this.bin = bin;
    // Offset of this sensor's transmissions within the 0.25-s message period.
    this.phase = phase ?? ((deviceNumber * 0.0137) % 0.25);
    this.acquireSeconds = acquireSeconds;
    this.deviceNumber = deviceNumber;
    this.deviceType = 31;
    this.transmissionType = transmissionType;
    this.radioFrequency = 57;
    this.messagePeriod = 8192;
    this.profile = profile;
    this.present = present;
    this.interval = interval;
    this.eventCount = eventCountStart;
    this.utcRequired = utcRequired;
    this.manufacturerId = manufacturerId;
    this.model = model;
    this.hwRevision = hwRevision;
    this.swRevision = swRevision;
    this.serial = serial;
    this.batteryStatus = batteryStatus;
    this.batteryVolts = batteryVolts;
    this.sentCount = 0;
    this.measuredAt = null;
    this.current = null;
    this.previous = null;
    this.commands = [];   // page-16 commands received: { t, command, utc, localOffset }
    this.pagesSent = [];  // page numbers in order
    this.page1Log = [];   // { t, eventCount, smo2, thb } of every page 1 sent, as measured
  }
  inRange(t) { return this.present(t); }
  binAt(t) { return typeof this.bin === 'function' ? this.bin(t) : this.bin; }
  // The measurement of the last page 1 sent at or before t (null before the first).
  lastPage1(t) {
    let lo = 0, hi = this.page1Log.length - 1, found = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.page1Log[mid].t <= t) { found = this.page1Log[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  measure(t) {
    const slot = Math.floor(t / this.interval + 1e-9);
    if (this.measuredAt === slot) return;
    const m = this.profile(slot * this.interval);
    if (this.measuredAt !== null) this.eventCount = (this.eventCount + 1) & 0xff;
    this.previous = this.current ?? m;
    this.current = m;
    this.measuredAt = slot;
  }
  broadcast(t) {
    this.measure(t);
    const k = this.sentCount++;
    let page;
    // Common pages interleave with the data page as ANT+ profiles do: twice every 65 messages.
    if (k % 65 === 63) page = k % 130 === 63 ? this.page80() : this.page81();
    else if (k % 65 === 64) page = this.page82();
    else {
      this.page1Log.push({ t, eventCount: this.eventCount, smo2: this.current.smo2, thb: this.current.thb });
      page = encodePage1({
      eventCount: this.eventCount, utcRequired: this.utcRequired, interval: this.interval,
      thb: this.current.thb, previous: this.previous.smo2, current: this.current.smo2,
      });
    }
    this.pagesSent.push(page[0]);
    return page;
  }
  page80() {
    return [0x50, 0xff, 0xff, this.hwRevision, this.manufacturerId & 0xff, this.manufacturerId >> 8, this.model & 0xff, this.model >> 8];
  }
  page81() {
    const s = this.serial >>> 0;
    return [0x51, 0xff, 0xff, this.swRevision, s & 0xff, (s >> 8) & 0xff, (s >> 16) & 0xff, (s >>> 24) & 0xff];
  }
  page82() {
    const coarse = Math.floor(this.batteryVolts);
    const frac = Math.round((this.batteryVolts - coarse) * 256) & 0xff;
    return [0x52, 0xff, 0xff, 0xff, 0xff, 0xff, frac, (coarse & 0x0f) | ((this.batteryStatus & 0x07) << 4)];
  }
  receive(payload, t) {
    if (payload[0] !== 0x10) return;
    const utc = (payload[4] | (payload[5] << 8) | (payload[6] << 16) | (payload[7] << 24)) >>> 0;
    const localOffset = payload[3] > 127 ? payload[3] - 256 : payload[3];
    this.commands.push({ t, command: payload[1], utc, localOffset });
    if (payload[1] === 0) this.utcRequired = false;
  }
}
