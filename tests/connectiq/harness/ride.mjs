// Drives the data field through a ride: the radio ticks at 4 Hz, compute() and onUpdate() run
// once a second, the timer starts, laps, stops and the activity is saved. FIT developer data is
// recorded as a Garmin device writes it: a record message every second while the timer runs
// (last setData wins), a lap message at every lap and at the save, a session message at the save.
import { loadField, readProperties, readApplicationId } from './program.mjs';
import { Device } from './device.mjs';
import { FIELD_ROOT } from './paths.mjs';
import { MArray, MObject, MFloat } from './values.mjs';
import { HarnessError } from './runtime.mjs';
import fs from 'node:fs';
import path from 'node:path';

const EVENT_TYPES = new Set(['start', 'lap', 'pause', 'resume', 'stop', 'save', 'leg']);

function entryClass(root) {
  const m = /<iq:application\b[^>]*\bentry="([^"]+)"/.exec(fs.readFileSync(path.join(root, 'manifest.xml'), 'utf8'));
  if (!m) throw new HarnessError(`${root}/manifest.xml names no entry class`);
  return m[1];
}

// A field's last value as the ride JSON carries it: null for the float32 invalid value (a NaN whose
// bytes are all 0xFF); a NaN with another bit pattern is kept as "nan:<hex>" so the FIT encoder
// and the checks see what the field really wrote.
function fitJson(v, nanBits = 0xffffffff) {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isNaN(v)) return nanBits === 0xffffffff ? null : `nan:${nanBits.toString(16).padStart(8, '0')}`;
  return v;
}

export class Ride {
  constructor({
    root = FIELD_ROOT, shape = 'round', product = null, width = 240, height = 120, startUnix = 1767254400, utcOffsetSeconds = 3600,
    dstSeconds = 0, properties = {}, freeAntChannels = 4, sensors = [], lapOrder = 'write-then-callback', radioSeed = 13,
    closedAfterRelease = true,
  } = {}) {
    if (!['write-then-callback', 'callback-then-write'].includes(lapOrder)) throw new HarnessError(`unknown lapOrder ${lapOrder}`);
    this.lapOrder = lapOrder;
    const props = readProperties(root);
    for (const [k, v] of Object.entries(properties)) {
      if (!props.has(k)) throw new HarnessError(`the field declares no property ${k}`);
      props.set(k, v);
    }
    this.root = root;
    this.shape = shape;
    this.product = product;
    this.device = new Device({ startUnix, utcOffsetSeconds, properties: props, freeAntChannels, radioSeed, closedAfterRelease });
    this.device.dstSeconds = dstSeconds;
    for (const s of sensors) this.device.radio.addSensor(s);
    this.records = [];
    this.laps = [];
    this.sessions = [];
    this.displays = [];
    this.layouts = [];
    this.step = 0;
    this.timerState = 0;
    this.timerMs = 0;
    this.activityStart = null;
    this.width = width;
    this.height = height;
    this.startApp();
  }

  // Loads the field into the device and starts it: entry class, onStart, getInitialView, onLayout,
  // onShow. Used at the start and by restartApp() (the field restarted in the middle of an activity).
  startApp() {
    const root = this.root;
    this.device.fit.fields = [];
    this.rt = loadField(root, { shape: this.shape, product: this.product, device: this.device });
    this.interp = this.rt.interp;
    this.device.info = this.activityInfo();
    const entry = this.interp.global.members.get(entryClass(root));
    if (!entry) throw new HarnessError(`entry class ${entryClass(root)} is not defined`);
    this.app = this.interp.instantiate(entry, []);
    this.call(this.app, 'onStart', [null]);
    const views = this.call(this.app, 'getInitialView', []);
    if (!(views instanceof MArray) || !(views.items[0] instanceof MObject)) throw new HarnessError('getInitialView did not return [view]');
    this.view = views.items[0];
    this.dc = this.device.makeDc(this.width, this.height);
    this.layout();
    this.call(this.view, 'onShow', []);
  }

  // onLayout: at the start and whenever the field's geometry changes (the firmware calls it then).
  layout() {
    this.call(this.view, 'onLayout', [this.dc]);
    this.layouts.push({ t: this.t, width: this.width, height: this.height });
  }

  // The field gets another size (another data screen layout): onLayout with the new Dc.
  resize(width, height) {
    this.width = width;
    this.height = height;
    this.dc = this.device.makeDc(width, height);
    this.layout();
  }

  // The app is stopped and started again in the middle of the activity (a crash, or a power-off
  // and resume): a new instance of the field, the same device storage, settings and FIT file.
  restartApp() {
    this.stopApp();
    this.device.radio.orphanEvents = []; // the stopped app's listeners are gone with it
    this.startApp();
  }

  activityInfo() {
    const info = { timerTime: this.timerMs, elapsedTime: this.timerMs, timerState: this.timerState, startTime: null };
    if (this.activityStart !== null) info.startTime = this.device.makeMoment(this.activityStart);
    return info;
  }

  get session() { return this.sessions.at(-1) ?? null; }

  call(obj, name, args) {
    const f = obj.cls.findMethod(name);
    if (!f) throw new HarnessError(`${obj.cls.fullName} has no ${name}`);
    return this.interp.callFunction(f, obj, args);
  }

  get t() { return this.step / 4; }

  fieldValues(mesgType) {
    const values = {};
    for (const f of this.device.fit.fields) if (f.mesgType === mesgType && f.value !== undefined) values[f.id] = fitJson(f.value, f.nanBits ?? 0xffffffff);
    return values;
  }

  event(type) {
    if (!EVENT_TYPES.has(type)) throw new HarnessError(`unknown ride event ${type}`);
    const t = this.device.unixTime();
    switch (type) {
      case 'start':
        this.timerState = 3;
        if (this.activityStart === null) this.activityStart = t;
        this.device.info = this.activityInfo();
        this.call(this.view, 'onTimerStart', []);
        break;
      case 'leg':
        // Multisport: the finished leg's lap and session are written, then onNextMultisportLeg.
        this.laps.push({ t, values: this.fieldValues(19) });
        this.sessions.push({ t, values: this.fieldValues(18) });
        this.call(this.view, 'onNextMultisportLeg', []);
        break;
      case 'pause': this.timerState = 2; this.call(this.view, 'onTimerPause', []); break;
      case 'resume': this.timerState = 3; this.call(this.view, 'onTimerResume', []); break;
      case 'lap':
        // Connect IQ notifies onTimerLap after the lap message is written; 'callback-then-write'
        // checks that the field does not depend on that order.
        if (this.lapOrder === 'write-then-callback') {
          this.laps.push({ t, values: this.fieldValues(19) });
          this.call(this.view, 'onTimerLap', []);
        } else {
          this.call(this.view, 'onTimerLap', []);
          this.laps.push({ t, values: this.fieldValues(19) });
        }
        break;
      case 'stop': this.timerState = 1; this.call(this.view, 'onTimerStop', []); break;
      case 'save':
        this.laps.push({ t, values: this.fieldValues(19) });
        this.sessions.push({ t, values: this.fieldValues(18) });
        this.timerState = 0;
        this.activityStart = null;
        this.call(this.view, 'onTimerReset', []);
        break;
    }
  }

  // Advances to second `until` (exclusive of its events), ticking the radio at 4 Hz.
  runUntil(until, events = []) {
    const queue = [...events].sort((a, b) => a.t - b.t);
    for (const e of queue) if (!Number.isInteger(e.t) || e.t < this.t) throw new HarnessError(`ride event ${e.type} at ${e.t} s is not a whole second ahead`);
    while (this.t < until) {
      this.device.t = this.t;
      this.device.radio.tick(this.t);
      if (this.step % 4 === 0) this.second(queue);
      this.step++;
    }
  }

  // onUpdate without a compute() before it (the DataField docs: "there is no guarantee that
  // compute() will be called before onUpdate()"); returns the texts drawn.
  updateNow() {
    this.dc.native.calls = [];
    this.call(this.view, 'onUpdate', [this.dc]);
    const texts = {};
    for (const d of this.view.native.layout || []) texts[d.fields.get('identifier')] = d.native.text;
    return texts;
  }

  second(queue) {
    const sec = this.t;
    while (queue.length && queue[0].t === sec) this.event(queue.shift().type);
    if (this.timerState === 3) this.timerMs += 1000;
    this.device.info = this.activityInfo();
    this.call(this.view, 'compute', [this.device.makeInfo(this.device.info)]);
    if (this.timerState === 3) this.records.push({ t: this.device.unixTime(), values: this.fieldValues(20) });
    this.dc.native.calls = [];
    this.call(this.view, 'onUpdate', [this.dc]);
    const texts = {};
    for (const d of this.view.native.layout || []) texts[d.fields.get('identifier')] = d.native.text;
    this.displays.push({ t: sec, texts, calls: this.dc.native.calls });
  }

  // Settings edited in Garmin Connect: new property values, then AppBase.onSettingsChanged().
  changeSettings(values) {
    for (const [k, v] of Object.entries(values)) {
      if (!this.device.properties.has(k)) throw new HarnessError(`the field declares no property ${k}`);
      this.device.properties.set(k, v);
    }
    this.call(this.app, 'onSettingsChanged', []);
  }

  stopApp() { this.call(this.app, 'onStop', [null]); }

  display(sec) { return this.displays.find((d) => d.t === sec); }

  // The recorded developer data in the JSON shape of README.md.
  toJson() {
    const fields = this.device.fit.fields.map((f) => ({
      id: f.id, name: f.name, type: f.type, units: f.units, nativeNum: f.nativeNum, mesgType: f.mesgType,
    }));
    return {
      developer: { applicationId: readApplicationId(this.root), fields },
      records: this.records,
      laps: this.laps,
      session: { values: this.session ? this.session.values : {} },
      sessions: this.sessions,
    };
  }
}

// Reads a field of a Monkey C object by path, e.g. ride.peek(ride.view, '_controller').
export function peek(obj, ...names) {
  let v = obj;
  for (const n of names) {
    if (!(v instanceof MObject)) throw new HarnessError(`cannot read ${n} of a non-object`);
    if (!v.fields.has(n)) throw new HarnessError(`${v.cls.fullName} has no field ${n}`);
    v = v.fields.get(n);
  }
  return v instanceof MFloat ? v.v : v;
}
