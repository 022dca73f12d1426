// Runtime values of the Monkey C interpreter and the arithmetic the language defines on them.
//
// Representation (chosen so that the type of every value is known without guessing):
//   Number  -> JS number holding a signed 32-bit integer
//   Long    -> JS BigInt kept in signed 64-bit range
//   Float   -> MFloat (32-bit, rounded with Math.fround after every operation)
//   Double  -> MDouble
//   Boolean -> JS boolean, null -> null, String -> JS string
//   Char    -> MChar, Symbol -> MSymbol (interned), Array -> MArray, ByteArray -> MByteArray,
//   Dictionary -> MDict, objects -> MObject, bound methods -> MMethod.

export class MonkeyCrash extends Error {
  // An error the Monkey C virtual machine reports as fatal (null reference, unexpected type,
  // array out of bounds, division by zero): not catchable by `try`.
  constructor(kind, message) {
    super(`${kind}: ${message}`);
    this.name = 'MonkeyCrash';
    this.kind = kind;
  }
}

export class MFloat {
  constructor(v) { this.v = Math.fround(v); }
}
export class MDouble {
  constructor(v) { this.v = v; }
}
export class MChar {
  constructor(code) { this.code = code; }
}

const symbols = new Map();
export class MSymbol {
  constructor(name) { this.name = name; }
  static of(name) {
    let s = symbols.get(name);
    if (!s) { s = new MSymbol(name); symbols.set(name, s); }
    return s;
  }
}

export class MArray {
  constructor(items) { this.items = items; }
}
export class MByteArray {
  constructor(bytes) { this.bytes = bytes; }
}

export class MDict {
  constructor() { this.map = new Map(); }
  static keyOf(k) {
    if (typeof k === 'string') return 's:' + k;
    if (typeof k === 'number') return 'n:' + k;
    if (typeof k === 'bigint') return 'n:' + k.toString();
    if (typeof k === 'boolean') return 'b:' + k;
    if (k instanceof MChar) return 'c:' + k.code;
    if (k instanceof MFloat || k instanceof MDouble) return 'f:' + k.v;
    return k;
  }
  get(k) { const e = this.map.get(MDict.keyOf(k)); return e ? e[1] : null; }
  has(k) { return this.map.has(MDict.keyOf(k)); }
  put(k, v) { this.map.set(MDict.keyOf(k), [k, v]); }
  remove(k) { this.map.delete(MDict.keyOf(k)); }
  keys() { return [...this.map.values()].map((e) => e[0]); }
  values() { return [...this.map.values()].map((e) => e[1]); }
}

export class MObject {
  constructor(cls) { this.cls = cls; this.fields = new Map(); this.native = {}; }
}

export class MMethod {
  // A callable bound to a receiver: `method(:name)` or a native function.
  constructor(self, fn, name, owner) { this.self = self; this.fn = fn; this.name = name; this.owner = owner; }
}

export const INT32_MIN = -2147483648;

export function wrapLong(b) { return BigInt.asIntN(64, b); }

export function isNumber(v) { return typeof v === 'number'; }

export function typeName(v) {
  if (v === null || v === undefined) return 'Null';
  if (typeof v === 'number') return 'Number';
  if (typeof v === 'bigint') return 'Long';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'string') return 'String';
  if (v instanceof MFloat) return 'Float';
  if (v instanceof MDouble) return 'Double';
  if (v instanceof MChar) return 'Char';
  if (v instanceof MSymbol) return 'Symbol';
  if (v instanceof MArray) return 'Array';
  if (v instanceof MByteArray) return 'ByteArray';
  if (v instanceof MDict) return 'Dictionary';
  if (v instanceof MMethod) return 'Method';
  if (v instanceof MObject) return v.cls.name;
  if (v && v.kind === 'module') return 'Module ' + v.name;
  if (v && v.kind === 'class') return 'Class ' + v.name;
  return typeof v;
}

// Numeric rank used for mixed-type promotion: Number < Long < Float < Double.
const RANK = { Number: 0, Long: 1, Float: 2, Double: 3 };

export function numericRank(v) {
  if (typeof v === 'number') return 0;
  if (typeof v === 'bigint') return 1;
  if (v instanceof MFloat) return 2;
  if (v instanceof MDouble) return 3;
  if (v instanceof MChar) return 0;
  return -1;
}

export function toJsNumber(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof MFloat || v instanceof MDouble) return v.v;
  if (v instanceof MChar) return v.code;
  throw new MonkeyCrash('UnexpectedTypeException', `expected a numeric value, got ${typeName(v)}`);
}

function toBig(v) {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (v instanceof MChar) return BigInt(v.code);
  throw new MonkeyCrash('UnexpectedTypeException', `expected an integer, got ${typeName(v)}`);
}

// Result rank of a mixed operation. Long combined with Float gives Double: a Float cannot hold a
// Long's precision, so the VM widens both.
function resultRank(a, b) {
  const ra = numericRank(a), rb = numericRank(b);
  if ((ra === 1 && rb === 2) || (ra === 2 && rb === 1)) return RANK.Double;
  return Math.max(ra, rb);
}

function make(rank, x) {
  switch (rank) {
    case 2: return new MFloat(x);
    case 3: return new MDouble(x);
    default: throw new Error('make: integer rank');
  }
}

export function toMonkeyString(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof MFloat || v instanceof MDouble) return formatFloat(v.v, 6);
  if (v instanceof MChar) return String.fromCharCode(v.code);
  if (v instanceof MSymbol) return 'symbol (' + v.name + ')';
  if (v instanceof MArray) return '[' + v.items.map(toMonkeyString).join(', ') + ']';
  if (v instanceof MByteArray) return '[' + Array.from(v.bytes).join(', ') + ']';
  if (v instanceof MDict) return '{' + [...v.map.values()].map(([k, x]) => toMonkeyString(k) + '=>' + toMonkeyString(x)).join(', ') + '}';
  if (v instanceof MObject && v.native && typeof v.native.toString === 'function' && v.native.toString !== Object.prototype.toString) return v.native.toString();
  if (v instanceof MObject) return 'Obj: ' + v.cls.name;
  return typeName(v);
}

export function formatFloat(x, digits) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toFixed(digits);
}

// printf-style format as Lang.Number.format / Lang.Float.format / Lang.format use it.
export function formatNumber(v, fmt) {
  const m = /^%([-+0 #]*)(\d*)(?:\.(\d+))?([dixXfeEs])$/.exec(fmt);
  if (!m) throw new MonkeyCrash('InvalidValueException', `unsupported format string "${fmt}"`);
  const [, flags, width, prec, conv] = m;
  let s;
  const x = toJsNumber(v);
  if (conv === 'd' || conv === 'i') {
    const n = typeof v === 'bigint' ? v : BigInt(Math.trunc(x));
    s = n.toString();
    if (prec !== undefined) s = s.replace(/^(-?)(\d+)$/, (_, sg, d) => sg + d.padStart(Number(prec), '0'));
  } else if (conv === 'x' || conv === 'X') {
    let n = typeof v === 'bigint' ? v : BigInt(Math.trunc(x));
    if (n < 0n) n = BigInt.asUintN(typeof v === 'bigint' ? 64 : 32, n);
    s = n.toString(16);
    if (conv === 'X') s = s.toUpperCase();
    if (prec !== undefined) s = s.padStart(Number(prec), '0');
  } else if (conv === 'f') {
    s = formatFloat(x, prec === undefined ? 6 : Number(prec));
  } else if (conv === 'e' || conv === 'E') {
    s = x.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
    if (conv === 'E') s = s.toUpperCase();
  } else {
    s = toMonkeyString(v);
  }
  if (flags.includes('+') && x >= 0 && conv !== 's') s = '+' + s;
  const w = width ? Number(width) : 0;
  if (s.length < w) {
    if (flags.includes('-')) s = s.padEnd(w, ' ');
    else if (flags.includes('0') && conv !== 's') {
      const sign = /^[+-]/.test(s) ? s[0] : '';
      s = sign + s.slice(sign.length).padStart(w - sign.length, '0');
    } else s = s.padStart(w, ' ');
  }
  return s;
}

function checkNumeric(op, a, b) {
  if (numericRank(a) < 0 || numericRank(b) < 0) {
    throw new MonkeyCrash('UnexpectedTypeException', `operator ${op} cannot combine ${typeName(a)} and ${typeName(b)}`);
  }
}

export function arith(op, a, b) {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return toMonkeyString(a) + toMonkeyString(b);
  if (op === '+' && a instanceof MArray && b instanceof MArray) return new MArray([...a.items, ...b.items]);
  if (op === '+' && a instanceof MArray) return new MArray([...a.items, b]);
  if (op === '+' && a instanceof MByteArray && b instanceof MByteArray) return new MByteArray(Uint8Array.from([...a.bytes, ...b.bytes]));
  if (op === '+' && a instanceof MByteArray && typeof b === 'number') return new MByteArray(Uint8Array.from([...a.bytes, b & 0xff]));
  if (op === '+' && a instanceof MChar && typeof b === 'number') return new MChar(a.code + b);
  if (op === '-' && a instanceof MChar && typeof b === 'number') return new MChar(a.code - b);
  if (op === '-' && a instanceof MChar && b instanceof MChar) return a.code - b.code;
  checkNumeric(op, a, b);
  const rank = resultRank(a, b);
  if (rank === 0) {
    const x = toJsNumber(a), y = toJsNumber(b);
    switch (op) {
      case '+': return (x + y) | 0;
      case '-': return (x - y) | 0;
      case '*': return Math.imul(x, y);
      case '/':
        if (y === 0) throw new MonkeyCrash('Divide By Zero', `${x} / 0`);
        return (x / y) | 0; // truncates toward zero; INT32_MIN / -1 wraps to INT32_MIN
      case '%':
        if (y === 0) throw new MonkeyCrash('Divide By Zero', `${x} % 0`);
        return (x % y) | 0;
    }
  }
  if (rank === 1) {
    const x = toBig(a), y = toBig(b);
    switch (op) {
      case '+': return wrapLong(x + y);
      case '-': return wrapLong(x - y);
      case '*': return wrapLong(x * y);
      case '/':
        if (y === 0n) throw new MonkeyCrash('Divide By Zero', `${x} / 0`);
        return wrapLong(x / y);
      case '%':
        if (y === 0n) throw new MonkeyCrash('Divide By Zero', `${x} % 0`);
        return wrapLong(x % y);
    }
  }
  const x = toJsNumber(a), y = toJsNumber(b);
  switch (op) {
    case '+': return make(rank, x + y);
    case '-': return make(rank, x - y);
    case '*': return make(rank, x * y);
    case '/': return make(rank, x / y);
    case '%':
      throw new MonkeyCrash('UnexpectedTypeException', `operator % needs Number or Long operands, got ${typeName(a)} and ${typeName(b)}`);
  }
  throw new Error('unknown arithmetic operator ' + op);
}

export function bitwise(op, a, b) {
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (op === '&') return a && b;
    if (op === '|') return a || b;
    if (op === '^') return a !== b;
  }
  const ra = numericRank(a), rb = numericRank(b);
  if (ra < 0 || rb < 0 || ra > 1 || rb > 1) {
    throw new MonkeyCrash('UnexpectedTypeException', `operator ${op} needs Number or Long operands, got ${typeName(a)} and ${typeName(b)}`);
  }
  if (op === '<<' || op === '>>') {
    const count = Number(toBig(b));
    if (ra === 0) {
      const x = toJsNumber(a);
      return op === '<<' ? x << (count & 31) : x >> (count & 31);
    }
    const x = toBig(a), n = BigInt(count & 63);
    return op === '<<' ? wrapLong(x << n) : wrapLong(x >> n);
  }
  if (Math.max(ra, rb) === 0) {
    const x = toJsNumber(a), y = toJsNumber(b);
    if (op === '&') return x & y;
    if (op === '|') return x | y;
    if (op === '^') return x ^ y;
  }
  const x = toBig(a), y = toBig(b);
  if (op === '&') return wrapLong(x & y);
  if (op === '|') return wrapLong(x | y);
  if (op === '^') return wrapLong(x ^ y);
  throw new Error('unknown bitwise operator ' + op);
}

export function negate(v) {
  if (typeof v === 'number') return (-v) | 0;
  if (typeof v === 'bigint') return wrapLong(-v);
  if (v instanceof MFloat) return new MFloat(-v.v);
  if (v instanceof MDouble) return new MDouble(-v.v);
  throw new MonkeyCrash('UnexpectedTypeException', `cannot negate ${typeName(v)}`);
}

export function complement(v) {
  if (typeof v === 'number') return ~v;
  if (typeof v === 'bigint') return wrapLong(~v);
  throw new MonkeyCrash('UnexpectedTypeException', `operator ~ needs Number or Long, got ${typeName(v)}`);
}

export function equals(a, b) {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const ra = numericRank(a), rb = numericRank(b);
  if (ra >= 0 && rb >= 0 && !(a instanceof MChar && !(b instanceof MChar)) && !(b instanceof MChar && !(a instanceof MChar))) {
    if (ra <= 1 && rb <= 1) return toBig(a) === toBig(b);
    return toJsNumber(a) === toJsNumber(b);
  }
  if (a instanceof MChar && b instanceof MChar) return a.code === b.code;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  return a === b;
}

export function compare(op, a, b) {
  let x, y;
  if (typeof a === 'string' && typeof b === 'string') { x = a; y = b; } else {
    checkNumeric(op, a, b);
    if (numericRank(a) <= 1 && numericRank(b) <= 1) { x = toBig(a); y = toBig(b); } else { x = toJsNumber(a); y = toJsNumber(b); }
  }
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
  throw new Error('unknown comparison ' + op);
}

export function truthy(v) {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  throw new MonkeyCrash('UnexpectedTypeException', `expected a Boolean condition, got ${typeName(v)}`);
}

// Conversions used by toNumber(), toFloat(), ... on numeric values.
export function convert(v, target) {
  const x = toJsNumber(v);
  switch (target) {
    case 'Number':
      if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
      return Number.isFinite(x) ? (Math.trunc(x) | 0) : 0;
    case 'Long':
      if (typeof v === 'bigint') return v;
      return Number.isFinite(x) ? wrapLong(BigInt(Math.trunc(x))) : 0n;
    case 'Float': return new MFloat(x);
    case 'Double': return new MDouble(x);
  }
  throw new Error('unknown conversion ' + target);
}
