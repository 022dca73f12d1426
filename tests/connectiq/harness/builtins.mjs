// Methods of Monkey C's built-in value types (Lang.Number, Float, String, Array, Dictionary, ...).
import {
  MFloat, MDouble, MChar, MSymbol, MArray, MByteArray, MDict, MMethod, MonkeyCrash,
  typeName, toMonkeyString, formatNumber, convert, equals, numericRank, toJsNumber,
} from './values.mjs';
import { HarnessError } from './runtime.mjs';

const BUILTIN_TYPES = new Set(['Number', 'Long', 'Float', 'Double', 'Boolean', 'String', 'Char', 'Symbol',
  'Array', 'ByteArray', 'Dictionary', 'Method', 'Object']);
export function isBuiltinType(name) { return BUILTIN_TYPES.has(name); }

function need(name, args, n) {
  if (args.length !== n) throw new MonkeyCrash('Invalid Argument Count', `${name} takes ${n} argument(s), got ${args.length}`);
}

const numeric = {
  toNumber: (v) => convert(v, 'Number'),
  toLong: (v) => convert(v, 'Long'),
  toFloat: (v) => convert(v, 'Float'),
  toDouble: (v) => convert(v, 'Double'),
  toString: (v) => toMonkeyString(v),
  format: (v, fmt) => formatNumber(v, fmt),
  abs: (v) => {
    if (typeof v === 'number') return Math.abs(v) | 0;
    if (typeof v === 'bigint') return BigInt.asIntN(64, v < 0n ? -v : v);
    return v instanceof MFloat ? new MFloat(Math.abs(v.v)) : new MDouble(Math.abs(v.v));
  },
  toChar: (v) => new MChar(toJsNumber(v)),
  equals: (v, o) => equals(v, o),
  hashCode: (v) => (typeof v === 'number' ? v : Number(BigInt.asIntN(32, BigInt(Math.trunc(toJsNumber(v)))))),
};

const string = {
  length: (s) => s.length,
  substring: (s, a, b) => {
    const end = b === null || b === undefined ? s.length : b;
    if (a < 0 || end > s.length || a > end) return null;
    return s.substring(a, end);
  },
  find: (s, t) => { const i = s.indexOf(t); return i < 0 ? null : i; },
  toUpper: (s) => s.toUpperCase(),
  toLower: (s) => s.toLowerCase(),
  toString: (s) => s,
  equals: (s, o) => typeof o === 'string' && s === o,
  hashCode: (s) => { let h = 0; for (const ch of s) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0; return h; },
  toNumber: (s) => { const m = /^\s*[-+]?\d+/.exec(s); return m ? Number(m[0]) | 0 : null; },
  toFloat: (s) => { const x = parseFloat(s); return Number.isNaN(x) ? null : new MFloat(x); },
  toCharArray: (s) => new MArray([...s].map((c) => new MChar(c.codePointAt(0)))),
  toUtf8Array: (s) => new MArray([...Buffer.from(s, 'utf8')]),
};

function arrayOf(a) { return a instanceof MArray ? a.items : a.bytes; }

const array = {
  size: (a) => arrayOf(a).length,
  add: (a, x) => {
    if (a instanceof MArray) a.items.push(x); else a.bytes = Uint8Array.from([...a.bytes, x & 0xff]);
    return a;
  },
  addAll: (a, o) => {
    const more = o instanceof MArray ? o.items : Array.from(o.bytes);
    if (a instanceof MArray) a.items.push(...more); else a.bytes = Uint8Array.from([...a.bytes, ...more.map((x) => x & 0xff)]);
    return a;
  },
  remove: (a, x) => {
    const items = arrayOf(a);
    const i = Array.from(items).findIndex((y) => equals(y, x));
    if (i < 0) return false;
    if (a instanceof MArray) a.items.splice(i, 1); else a.bytes = Uint8Array.from([...a.bytes.slice(0, i), ...a.bytes.slice(i + 1)]);
    return true;
  },
  indexOf: (a, x) => Array.from(arrayOf(a)).findIndex((y) => equals(y, x)),
  slice: (a, s, e) => {
    const items = arrayOf(a);
    const start = s === null ? 0 : (s < 0 ? items.length + s : s);
    const end = e === null || e === undefined ? items.length : (e < 0 ? items.length + e : e);
    const part = Array.from(items).slice(start, end);
    return a instanceof MArray ? new MArray(part) : new MByteArray(Uint8Array.from(part));
  },
  reverse: (a) => (a instanceof MArray ? new MArray([...a.items].reverse()) : new MByteArray(Uint8Array.from([...a.bytes].reverse()))),
  toString: (a) => toMonkeyString(a),
  equals: (a, o) => a === o,
};

const dict = {
  get: (d, k) => d.get(k),
  put: (d, k, v) => { d.put(k, v); return null; },
  hasKey: (d, k) => d.has(k),
  remove: (d, k) => { d.remove(k); return null; },
  keys: (d) => new MArray(d.keys()),
  values: (d) => new MArray(d.values()),
  size: (d) => d.map.size,
  isEmpty: (d) => d.map.size === 0,
  toString: (d) => toMonkeyString(d),
  equals: (d, o) => d === o,
};

// ByteArray.decodeNumber(format, {:offset, :endianness}) for the integer and float formats of
// Lang.NUMBER_FORMAT_*; numbers match Garmin's constants as the Lang mock declares them.
export const NUMBER_FORMATS = { SINT8: 1, UINT8: 2, SINT16: 3, UINT16: 4, SINT32: 5, UINT32: 6, FLOAT: 7 };
export const ENDIAN = { LITTLE: 0, BIG: 1 };

function decodeNumber(a, fmt, opts) {
  const offset = opts instanceof MDict ? (opts.get(MSymbol.of('offset')) ?? 0) : 0;
  const endian = opts instanceof MDict ? (opts.get(MSymbol.of('endianness')) ?? ENDIAN.LITTLE) : ENDIAN.LITTLE;
  const size = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4 }[fmt];
  if (!size) throw new MonkeyCrash('InvalidValueException', `decodeNumber: unknown format ${fmt}`);
  if (offset < 0 || offset + size > a.bytes.length) throw new MonkeyCrash('Array Out Of Bounds Error', `decodeNumber at ${offset} of ${a.bytes.length} bytes`);
  const dv = new DataView(a.bytes.buffer, a.bytes.byteOffset + offset, size);
  const le = endian === ENDIAN.LITTLE;
  switch (fmt) {
    case 1: return dv.getInt8(0);
    case 2: return dv.getUint8(0);
    case 3: return dv.getInt16(0, le);
    case 4: return dv.getUint16(0, le);
    case 5: return dv.getInt32(0, le);
    case 6: return BigInt(dv.getUint32(0, le));
    case 7: {
      const f = new MFloat(dv.getFloat32(0, le));
      if (Number.isNaN(f.v)) f.bits = dv.getUint32(0, le); // keep the NaN's bit pattern for the FIT bytes
      return f;
    }
  }
  return null;
}

const byteArray = { ...array, decodeNumber };

const symbol = { toString: (s) => toMonkeyString(s), equals: (s, o) => s === o, hashCode: (s) => 0 };
const boolean = { toString: (b) => toMonkeyString(b), equals: (b, o) => b === o, hashCode: (b) => (b ? 1 : 0) };
const char = {
  toNumber: (c) => c.code,
  toString: (c) => String.fromCodePoint(c.code),
  toUpper: (c) => new MChar(String.fromCodePoint(c.code).toUpperCase().codePointAt(0)),
  toLower: (c) => new MChar(String.fromCodePoint(c.code).toLowerCase().codePointAt(0)),
  equals: (c, o) => o instanceof MChar && o.code === c.code,
};

function tableFor(v) {
  if (numericRank(v) >= 0 && !(v instanceof MChar)) return numeric;
  if (typeof v === 'string') return string;
  if (v instanceof MArray) return array;
  if (v instanceof MByteArray) return byteArray;
  if (v instanceof MDict) return dict;
  if (v instanceof MSymbol) return symbol;
  if (typeof v === 'boolean') return boolean;
  if (v instanceof MChar) return char;
  return null;
}

export function hasBuiltinMethod(v, name) {
  if (v instanceof MMethod) return name === 'invoke';
  const t = tableFor(v);
  return !!(t && Object.prototype.hasOwnProperty.call(t, name));
}

export function callBuiltinMethod(interp, v, name, args) {
  if (v instanceof MMethod) {
    if (name === 'invoke') return interp.callFunction(v.fn, v.self, args);
    throw new HarnessError(`Lang.Method.${name} is not provided by the harness`);
  }
  const t = tableFor(v);
  if (!t || !Object.prototype.hasOwnProperty.call(t, name)) {
    throw new HarnessError(`Lang.${typeName(v)}.${name} is not provided by the harness`);
  }
  const fn = t[name];
  if (fn.length - 1 < args.length && !(name === 'slice' || name === 'substring' || name === 'decodeNumber')) {
    need(`${typeName(v)}.${name}`, args, fn.length - 1);
  }
  return fn(v, ...args);
}
