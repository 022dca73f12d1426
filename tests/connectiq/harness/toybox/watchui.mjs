// Toybox.WatchUi (DataField, SimpleDataField), Toybox.Graphics (Dc with every call recorded),
// Toybox.Activity (Info) and Toybox.FitContributor (createField, setData recorded with time).
import { MObject, MFloat, MDouble, MDict, MSymbol, MArray, MonkeyCrash, typeName, toJsNumber, toMonkeyString } from '../values.mjs';
import { nativeClass, nativeFunctions, constants, expectArgs, newNativeObject } from '../runtime.mjs';

export const FIT_TYPES = {
  DATA_TYPE_SINT8: { code: 1, name: 'sint8', size: 1, min: -128, max: 127 },
  DATA_TYPE_UINT8: { code: 2, name: 'uint8', size: 1, min: 0, max: 255 },
  DATA_TYPE_SINT16: { code: 3, name: 'sint16', size: 2, min: -32768, max: 32767 },
  DATA_TYPE_UINT16: { code: 4, name: 'uint16', size: 2, min: 0, max: 65535 },
  DATA_TYPE_SINT32: { code: 5, name: 'sint32', size: 4, min: -2147483648, max: 2147483647 },
  DATA_TYPE_UINT32: { code: 6, name: 'uint32', size: 4, min: 0, max: 4294967295 },
  DATA_TYPE_STRING: { code: 7, name: 'string', size: 1 },
  DATA_TYPE_FLOAT: { code: 8, name: 'float32', size: 4 },
  DATA_TYPE_DOUBLE: { code: 9, name: 'float64', size: 8 },
};
export const MESG_TYPES = { MESG_TYPE_SESSION: 18, MESG_TYPE_LAP: 19, MESG_TYPE_RECORD: 20 };
const MESG_NAMES = { 18: 'session', 19: 'lap', 20: 'record' };
// A data field may add at most 32 bytes of developer data to one message.
export const DATA_FIELD_BYTES_PER_MESSAGE = 32;

function opt(dict, name) {
  return dict instanceof MDict ? dict.get(MSymbol.of(name)) : null;
}

// Options of DataField.createField: the page documents {:count, :mesgType, :units}; :nativeNum is
// documented on ActivityRecording.Session.createField and passed by Garmin's own data field
// samples (MoxyField, GenericAntPlusHeartRateField), so it is accepted too. Anything else, or a
// value of the wrong type, is an error as under the compiler's type check.
const CREATE_FIELD_OPTIONS = {
  count: (v) => typeof v === 'number' && v >= 1 && v <= 255,
  mesgType: (v) => typeof v === 'number',
  units: (v) => typeof v === 'string',
  nativeNum: (v) => typeof v === 'number' && v >= 0 && v <= 255,
};

function createField(device, fieldClass, args) {
  expectArgs('DataField.createField', args, 3, 4);
  const [name, id, type, options] = args;
  if (options !== undefined && options !== null) {
    if (!(options instanceof MDict)) throw new MonkeyCrash('UnexpectedTypeException', `createField options must be a Dictionary, got ${typeName(options)}`);
    for (const k of options.keys()) {
      if (!(k instanceof MSymbol) || !CREATE_FIELD_OPTIONS[k.name]) {
        throw new MonkeyCrash('InvalidValueException', `createField does not take the option ${k instanceof MSymbol ? ':' + k.name : typeName(k)}`);
      }
      const v = options.get(k);
      if (!CREATE_FIELD_OPTIONS[k.name](v)) throw new MonkeyCrash('UnexpectedTypeException', `createField :${k.name} has a wrong value ${toMonkeyString(v)}`);
    }
  }
  if (typeof name !== 'string') throw new MonkeyCrash('UnexpectedTypeException', `createField name must be a String, got ${typeName(name)}`);
  if (typeof id !== 'number' || id < 0 || id > 255) throw new MonkeyCrash('InvalidValueException', `createField id must be a Number 0-255, got ${toMonkeyString(id)}`);
  const t = Object.values(FIT_TYPES).find((x) => x.code === type);
  if (!t) throw new MonkeyCrash('InvalidValueException', `createField type ${toMonkeyString(type)} is not a FitContributor.DATA_TYPE_*`);
  const mesgType = opt(options, 'mesgType') ?? MESG_TYPES.MESG_TYPE_RECORD;
  if (!MESG_NAMES[mesgType]) throw new MonkeyCrash('InvalidValueException', `createField :mesgType ${toMonkeyString(mesgType)} is not a FitContributor.MESG_TYPE_*`);
  if (mesgType === 20 && t.name === 'string') throw new MonkeyCrash('InvalidValueException', `record field ${name} cannot be a string`);
  const count = opt(options, 'count') ?? 1;
  if (device.fit.fields.some((f) => f.id === id)) throw new MonkeyCrash('InvalidValueException', `createField id ${id} is used twice`);
  const bytes = t.size * count + device.fit.fields.filter((f) => f.mesgType === mesgType).reduce((s, f) => s + f.bytes, 0);
  if (bytes > DATA_FIELD_BYTES_PER_MESSAGE) {
    throw new MonkeyCrash('InvalidValueException', `developer data of ${MESG_NAMES[mesgType]} messages would be ${bytes} bytes; a data field gets ${DATA_FIELD_BYTES_PER_MESSAGE}`);
  }
  const units = opt(options, 'units');
  const nativeNum = opt(options, 'nativeNum');
  const field = {
    id, name, type: t.name, units: units ?? null, nativeNum: nativeNum ?? null, mesgType,
    count, bytes: t.size * count, value: undefined, range: t,
  };
  device.fit.fields.push(field);
  const o = new MObject(fieldClass);
  o.native.field = field;
  return o;
}

function fitValue(field, v) {
  if (v === null) return null;
  if (field.type === 'string') return toMonkeyString(v);
  if (v instanceof MArray) return v.items.map((x) => fitValue({ ...field, type: field.type }, x));
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'object' && !(v instanceof MFloat || v instanceof MDouble)) {
    throw new MonkeyCrash('UnexpectedTypeException', `setData on ${field.name} (${field.type}) got a ${typeName(v)}`);
  }
  let x = toJsNumber(v);
  if (field.type === 'float32') return Math.fround(x);
  if (field.type === 'float64') return x;
  x = Math.trunc(x);
  return x;
}

export function installWatchUi(toybox, device, lang) {
  const object = lang.members.get('Object');
  const fit = toybox.child('FitContributor');
  constants(fit, Object.fromEntries(Object.entries(FIT_TYPES).map(([k, v]) => [k, v.code])));
  constants(fit, MESG_TYPES);
  const fieldClass = nativeClass(fit, 'Field', {
    extends: object,
    methods: {
      setData: (i, self, args) => {
        expectArgs('Field.setData', args, 1);
        const f = self.native.field;
        const value = fitValue(f, args[0]);
        if (typeof value === 'number' && f.range.min !== undefined && (value < f.range.min || value > f.range.max)) {
          device.fit.rangeErrors.push({ t: device.unixTime(), id: f.id, name: f.name, value });
        }
        f.value = value;
        // The float32 bytes on the wire: a NaN keeps the bit pattern it was made with
        // (ByteArray.decodeNumber of four 0xFF bytes gives 0xFFFFFFFF, arithmetic gives 0x7FC00000).
        f.nanBits = typeof value === 'number' && Number.isNaN(value) ? (args[0]?.bits ?? 0x7fc00000) >>> 0 : null;
        device.fit.writes.push({ t: device.unixTime(), ms: device.timerMs(), id: f.id, value, nanBits: f.nanBits });
        return null;
      },
    },
  });

  const graphics = toybox.child('Graphics');
  constants(graphics, {
    COLOR_WHITE: 0xffffff, COLOR_LT_GRAY: 0xaaaaaa, COLOR_DK_GRAY: 0x555555, COLOR_BLACK: 0x000000,
    COLOR_RED: 0xff0000, COLOR_DK_RED: 0xaa0000, COLOR_ORANGE: 0xff5500, COLOR_YELLOW: 0xffaa00,
    COLOR_GREEN: 0x00ff00, COLOR_DK_GREEN: 0x00aa00, COLOR_BLUE: 0x00aaff, COLOR_DK_BLUE: 0x0000ff,
    COLOR_PURPLE: 0xaa00ff, COLOR_PINK: 0xff00ff, COLOR_TRANSPARENT: -1,
    FONT_XTINY: 0, FONT_TINY: 1, FONT_SMALL: 2, FONT_MEDIUM: 3, FONT_LARGE: 4,
    FONT_NUMBER_MILD: 5, FONT_NUMBER_MEDIUM: 6, FONT_NUMBER_HOT: 7, FONT_NUMBER_THAI_HOT: 8,
    TEXT_JUSTIFY_RIGHT: 0, TEXT_JUSTIFY_CENTER: 1, TEXT_JUSTIFY_LEFT: 2, TEXT_JUSTIFY_VCENTER: 4,
  });
  const fontHeight = (f) => [12, 16, 20, 24, 30, 32, 40, 56, 70][f] ?? 20;
  const rec = (op) => (i, self, args) => { self.native.calls.push({ op, args: args.map(plain) }); return null; };
  nativeClass(graphics, 'Dc', {
    extends: object,
    methods: {
      getWidth: (i, self) => self.native.width,
      getHeight: (i, self) => self.native.height,
      setColor: rec('setColor'), clear: rec('clear'), drawText: rec('drawText'), fillRectangle: rec('fillRectangle'),
      drawRectangle: rec('drawRectangle'), drawLine: rec('drawLine'), fillCircle: rec('fillCircle'), drawCircle: rec('drawCircle'),
      setPenWidth: rec('setPenWidth'), fillRoundedRectangle: rec('fillRoundedRectangle'), drawRoundedRectangle: rec('drawRoundedRectangle'),
      fillPolygon: rec('fillPolygon'), setClip: rec('setClip'), clearClip: rec('clearClip'),
      getFontHeight: (i, self, [f]) => fontHeight(f),
      getTextWidthInPixels: (i, self, [s, f]) => Math.round(toMonkeyString(s).length * fontHeight(f) * 0.6),
      getTextDimensions: (i, self, [s, f]) => new MArray([Math.round(toMonkeyString(s).length * fontHeight(f) * 0.6), fontHeight(f)]),
    },
  });
  nativeFunctions(graphics, { getFontHeight: (i, s, [f]) => fontHeight(f) });

  const activity = toybox.child('Activity');
  constants(activity, { TIMER_STATE_OFF: 0, TIMER_STATE_STOPPED: 1, TIMER_STATE_PAUSED: 2, TIMER_STATE_ON: 3 });
  const info = nativeClass(activity, 'Info', {
    extends: object,
    fields: ['timerTime', 'elapsedTime', 'timerState', 'startTime', 'currentHeartRate', 'currentPower', 'currentCadence', 'elapsedDistance', 'currentSpeed'],
  });
  nativeFunctions(activity, { getActivityInfo: () => device.activityInfo() });

  const watchUi = toybox.child('WatchUi');
  const view = nativeClass(watchUi, 'View', {
    extends: object,
    methods: {
      initialize: () => null, onLayout: () => null, onShow: () => null, onHide: () => null, onUpdate: () => null,
    },
  });
  const noop = () => null;
  const dataField = nativeClass(watchUi, 'DataField', {
    extends: view,
    methods: {
      initialize: (i, self) => { device.view = self; return null; },
      createField: (i, self, args) => createField(device, fieldClass, args),
      compute: noop, onTimerStart: noop, onTimerPause: noop, onTimerResume: noop, onTimerLap: noop,
      onTimerStop: noop, onTimerReset: noop, onWorkoutStepComplete: noop, onNextMultisportLeg: noop,
      getBackgroundColor: () => device.backgroundColor,
      getObscurityFlags: () => 0,
    },
  });
  nativeClass(watchUi, 'SimpleDataField', { extends: dataField, fields: ['label'] });

  // Toybox.Attention: tones and vibration are recorded, not played.
  const attention = toybox.child('Attention');
  constants(attention, { TONE_KEY: 0, TONE_START: 1, TONE_STOP: 2, TONE_MSG: 3, TONE_ALERT_HI: 4, TONE_ALERT_LO: 5, TONE_LOUD_BEEP: 6 });
  device.attention = [];
  nativeClass(attention, 'VibeProfile', {
    extends: object, fields: ['dutyCycle', 'length'],
    methods: {
      initialize: (i, self, args) => {
        expectArgs('VibeProfile.initialize', args, 2);
        const [duty, length] = args;
        if (typeof duty !== 'number' || duty < 0 || duty > 100) throw new MonkeyCrash('InvalidValueException', `VibeProfile duty cycle must be 0-100, got ${toMonkeyString(duty)}`);
        self.fields.set('dutyCycle', duty); self.fields.set('length', length); return null;
      },
    },
  });
  nativeFunctions(attention, {
    playTone: (i, s, args) => { expectArgs('Attention.playTone', args, 1); device.attention.push({ t: device.t, tone: args[0] }); return null; },
    vibrate: (i, s, args) => {
      expectArgs('Attention.vibrate', args, 1);
      if (!(args[0] instanceof MArray)) throw new MonkeyCrash('UnexpectedTypeException', 'Attention.vibrate needs an Array of VibeProfile');
      device.attention.push({ t: device.t, vibrate: args[0].items.length }); return null;
    },
  });
  nativeFunctions(watchUi, { requestUpdate: () => { device.updateRequests++; return null; } });

  device.makeDc = (width, height) => {
    const dc = newNativeObject(graphics.members.get('Dc'));
    dc.native = { width, height, calls: [] };
    return dc;
  };
  device.makeInfo = (values) => {
    const o = newNativeObject(info);
    for (const [k, v] of Object.entries(values)) o.fields.set(k, v);
    return o;
  };
  return { watchUi, fit, graphics, activity };
}

// A JS-friendly copy of a Monkey C value, for recorded calls.
export function plain(v) {
  if (v instanceof MFloat || v instanceof MDouble) return v.v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof MArray) return v.items.map(plain);
  if (v === null || typeof v !== 'object') return v;
  return toMonkeyString(v);
}
