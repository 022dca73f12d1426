// Toybox.System, Toybox.Time, Toybox.Math: the clock is the simulated device's clock.
import { MFloat, MDouble, MObject, MDict, MSymbol, MonkeyCrash, toMonkeyString, toJsNumber, typeName } from '../values.mjs';
import { nativeClass, nativeFunctions, constants, expectArgs, newNativeObject } from '../runtime.mjs';

export function installSystem(toybox, device) {
  const system = toybox.child('System');
  const clockTime = nativeClass(system, 'ClockTime', { fields: ['hour', 'min', 'sec', 'timeZoneOffset', 'dst'] });
  const stats = nativeClass(system, 'Stats', { fields: ['battery', 'totalMemory', 'usedMemory', 'freeMemory'] });
  nativeFunctions(system, {
    println: (i, self, args) => { expectArgs('System.println', args, 1); i.output.push(toMonkeyString(args[0])); return null; },
    print: (i, self, args) => { expectArgs('System.print', args, 1); i.output.push(toMonkeyString(args[0])); return null; },
    getTimer: () => device.timerMs() | 0,
    getClockTime: () => {
      const o = newNativeObject(clockTime);
      const t = device.unixTime() + device.utcOffsetSeconds;
      o.fields.set('hour', Math.floor(t / 3600) % 24);
      o.fields.set('min', Math.floor(t / 60) % 60);
      o.fields.set('sec', Math.floor(t) % 60);
      o.fields.set('timeZoneOffset', device.utcOffsetSeconds);
      // ClockTime page: timeZoneOffset "offset from UTC in seconds", dst "the daylight savings
      // time offset" as Lang.Number (seconds); the device model's offset includes its DST part.
      o.fields.set('dst', device.dstSeconds ?? 0);
      return o;
    },
    getSystemStats: () => {
      const o = newNativeObject(stats);
      o.fields.set('battery', new MFloat(80));
      o.fields.set('totalMemory', device.memoryLimit);
      o.fields.set('usedMemory', 0);
      o.fields.set('freeMemory', device.memoryLimit);
      return o;
    },
  });

  const time = toybox.child('Time');
  const moment = nativeClass(time, 'Moment', {
    methods: {
      initialize: (i, self, [v]) => { self.native.value = v; return null; },
      value: (i, self) => self.native.value,
      subtract: (i, self, [o]) => {
        const d = new MObject(duration);
        d.native.value = (self.native.value - o.native.value) | 0;
        return d;
      },
      add: (i, self, [d]) => makeMoment(self.native.value + d.native.value),
      compare: (i, self, [o]) => (self.native.value - o.native.value) | 0,
      greaterThan: (i, self, [o]) => self.native.value > o.native.value,
      lessThan: (i, self, [o]) => self.native.value < o.native.value,
    },
  });
  const duration = nativeClass(time, 'Duration', {
    methods: {
      initialize: (i, self, [v]) => { self.native.value = v; return null; },
      value: (i, self) => self.native.value,
    },
  });
  function makeMoment(v) { const m = new MObject(moment); m.native.value = v | 0; return m; }
  nativeFunctions(time, { now: () => makeMoment(Math.floor(device.unixTime())) });
  device.makeMoment = makeMoment;

  const math = toybox.child('Math');
  const same = (v, f) => {
    if (v instanceof MFloat) return new MFloat(f(v.v));
    if (v instanceof MDouble) return new MDouble(f(v.v));
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    throw new MonkeyCrash('UnexpectedTypeException', `Math expects a numeric value, got ${typeName(v)}`);
  };
  const toF = (v) => (v instanceof MDouble ? new MDouble(v.v) : null);
  const real = (v, f) => (v instanceof MDouble ? new MDouble(f(v.v)) : new MFloat(f(toJsNumber(v))));
  nativeFunctions(math, {
    round: (i, s, [v]) => same(v, Math.round),
    floor: (i, s, [v]) => same(v, Math.floor),
    ceil: (i, s, [v]) => same(v, Math.ceil),
    sqrt: (i, s, [v]) => real(v, Math.sqrt),
    pow: (i, s, [a, b]) => (a instanceof MDouble || b instanceof MDouble ? new MDouble(toJsNumber(a) ** toJsNumber(b)) : new MFloat(toJsNumber(a) ** toJsNumber(b))),
    log: (i, s, [v, base]) => new MFloat(Math.log(toJsNumber(v)) / Math.log(toJsNumber(base))),
    ln: (i, s, [v]) => real(v, Math.log),
    sin: (i, s, [v]) => real(v, Math.sin),
    cos: (i, s, [v]) => real(v, Math.cos),
  });
  constants(math, { PI: new MFloat(Math.PI) });
  void toF; void MDict; void MSymbol;
  return { system, time };
}
