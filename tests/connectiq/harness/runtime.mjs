// Modules, classes, functions and the errors the interpreter and the mock Toybox share.
import { MObject, MMethod, MonkeyCrash } from './values.mjs';

// A Monkey C exception in flight (`throw`, or an exception a Toybox API raises): catchable.
export class MonkeyThrow extends Error {
  constructor(value, message) {
    super(message || 'Monkey C exception');
    this.name = 'MonkeyThrow';
    this.value = value;
  }
}

// The program used an API the mock Toybox does not provide, or a construct the interpreter does
// not implement. Always fatal and never catchable: the harness must not pretend.
export class HarnessError extends Error {
  constructor(message) { super(message); this.name = 'HarnessError'; }
}

export class Module {
  constructor(name, parent, native = false) {
    this.kind = 'module';
    this.name = name;
    this.parent = parent;
    this.native = native;
    this.members = new Map();
    this.fullName = parent && parent.fullName ? parent.fullName + '.' + name : name;
  }
  child(name, native = this.native) {
    let m = this.members.get(name);
    if (!m) { m = new Module(name, this, native); this.members.set(name, m); }
    return m;
  }
}

export class Klass {
  constructor(name, module, native = false) {
    this.kind = 'class';
    this.name = name;
    this.module = module;
    this.native = native;
    this.fullName = module && module.fullName ? module.fullName + '.' + name : name;
    this.superClass = null;
    this.superRef = null;     // AST of the `extends` clause, resolved on first use
    this.file = null;
    this.methods = new Map(); // name -> Func
    this.statics = new Map(); // consts, static vars, enum values
    this.fieldDecls = [];     // { name, init (AST) }
    this.nativeFields = [];   // names of properties a native class exposes
  }
  findMethod(name) {
    for (let c = this; c; c = c.superClass) { const f = c.methods.get(name); if (f) return f; }
    return null;
  }
  findStatic(name) {
    for (let c = this; c; c = c.superClass) if (c.statics.has(name)) return { cls: c, value: c.statics.get(name) };
    return null;
  }
  isSubclassOf(other) {
    for (let c = this; c; c = c.superClass) if (c === other) return true;
    return false;
  }
}

export class Func {
  // A Monkey C function: either `node` (AST) or `native(interp, self, args)`.
  constructor({ name, owner, node = null, native = null, file = null, attrs = [], isStatic = false }) {
    this.kind = 'function';
    this.name = name;
    this.owner = owner;
    this.node = node;
    this.native = native;
    this.file = file;
    this.attrs = attrs;
    this.isStatic = isStatic;
    this.params = node ? node.params.map((p) => (p.type === 'Identifier' ? p.name : p.left.name)) : null;
  }
  get fullName() { return (this.owner && this.owner.fullName ? this.owner.fullName + '.' : '') + this.name; }
}

// Helpers the mock Toybox uses to declare native modules and classes concisely.
export function nativeClass(module, name, { extends: sup = null, methods = {}, statics = {}, fields = [] } = {}) {
  const k = new Klass(name, module, true);
  k.superClass = sup;
  for (const [n, fn] of Object.entries(methods)) k.methods.set(n, new Func({ name: n, owner: k, native: fn }));
  for (const [n, v] of Object.entries(statics)) k.statics.set(n, v);
  k.nativeFields = fields;
  module.members.set(name, k);
  return k;
}

export function nativeFunctions(module, fns) {
  for (const [n, fn] of Object.entries(fns)) module.members.set(n, new Func({ name: n, owner: module, native: fn, isStatic: true }));
}

export function constants(module, values) {
  for (const [n, v] of Object.entries(values)) module.members.set(n, v);
}

export function expectArgs(fnName, args, min, max = min) {
  if (args.length < min || args.length > max) {
    throw new MonkeyCrash('Invalid Argument Count', `${fnName} takes ${min === max ? min : min + '-' + max} argument(s), got ${args.length}`);
  }
}

export function newNativeObject(cls) {
  const o = new MObject(cls);
  for (const f of cls.nativeFields) o.fields.set(f, null);
  return o;
}

export function bind(self, func) { return new MMethod(self, func, func.name, func.owner); }
