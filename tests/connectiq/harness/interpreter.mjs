// A tree-walking interpreter for the Monkey C a Connect IQ data field uses, over the AST of
// @markw65/prettier-plugin-monkeyc (the parser the Monkey C prettier plugin and optimizer use).
import plugin from '@markw65/prettier-plugin-monkeyc';
import {
  MFloat, MDouble, MChar, MSymbol, MArray, MByteArray, MDict, MObject, MMethod, MonkeyCrash,
  arith, bitwise, negate, complement, equals, compare, truthy, typeName,
} from './values.mjs';
import { Module, Klass, Func, MonkeyThrow, HarnessError } from './runtime.mjs';
import { callBuiltinMethod, hasBuiltinMethod, isBuiltinType } from './builtins.mjs';

const BREAK = { k: 'break' };
const CONTINUE = { k: 'continue' };

const parsed = new Map();

// Parses Monkey C source; the AST of identical text is cached (the interpreter never mutates it).
export function parseMonkeyC(text, path = '<source>') {
  const cached = parsed.get(text);
  if (cached) return cached;
  let ast;
  try {
    ast = plugin.parsers.monkeyc.parse(text, {});
  } catch (e) {
    throw new HarnessError(`cannot parse ${path}: ${e.message}`);
  }
  parsed.set(text, ast);
  return ast;
}

export function attributeNames(attrs) {
  const els = attrs && attrs.attributes ? attrs.attributes.elements : [];
  const names = [];
  for (const el of els) {
    if (el.type === 'UnaryExpression' && el.operator === ':') names.push(el.argument.name);
    else if (el.type === 'CallExpression' && el.callee.type === 'Identifier') names.push(el.callee.name);
  }
  return names;
}

function literalValue(node) {
  const raw = node.raw;
  const v = node.value;
  if (v === null || typeof v === 'boolean') return v;
  if (raw[0] === '"') return v;
  if (raw[0] === "'") return new MChar(String(v).codePointAt(0));
  const r = raw.toLowerCase();
  if (r.startsWith('0x')) {
    if (r.endsWith('l')) return BigInt.asIntN(64, BigInt(v));
    return Number(BigInt.asIntN(32, BigInt(v)));
  }
  if (r.endsWith('l')) return BigInt.asIntN(64, BigInt(v));
  if (r.endsWith('d')) return new MDouble(Number(v));
  if (r.endsWith('f') || r.includes('.') || r.includes('e')) return new MFloat(Number(v));
  const n = typeof v === 'bigint' ? v : BigInt(v);
  if (n > 2147483647n || n < -2147483648n) return BigInt.asIntN(64, n);
  return Number(n);
}

function where(node, file) {
  const line = node && node.loc ? node.loc.start.line : '?';
  return `${file ? file.path : '<source>'}:${line}`;
}

export class Interpreter {
  constructor({ exclude = [] } = {}) {
    this.global = new Module('', null);
    this.global.fullName = '';
    this.exclude = new Set(exclude);
    this.files = [];
    this.pendingInits = [];
    this.testFunctions = [];
    this.output = [];           // System.println lines
    this.toybox = this.global.child('Toybox', true);
  }

  // ---- loading -------------------------------------------------------------------------------

  load(text, path) {
    const ast = parseMonkeyC(text, path);
    const file = { path, usings: new Map(), imports: [], pending: [] };
    this.files.push(file);
    for (const d of ast.body) this.declare(d, this.global, file);
    return file;
  }

  // Resolves `using`/`import` and evaluates module-level variables once every file is loaded.
  link() {
    for (const file of this.files) {
      for (const p of file.pending) {
        const target = this.resolveDotted(p.id, file);
        if (p.type === 'Using') file.usings.set(p.as ? p.as.name : target.name, target);
        else { file.usings.set(target.name, target); file.imports.push(target); }
      }
      file.pending = [];
    }
    const inits = this.pendingInits;
    this.pendingInits = [];
    for (const { module, name, init, file } of inits) {
      module.members.set(name, init ? this.evalExpr(init, this.moduleFrame(module, file)) : null);
    }
  }

  resolveDotted(node, file) {
    if (node.type === 'Identifier') {
      if (node.name === 'Toybox') return this.toybox;
      const m = this.global.members.get(node.name);
      if (!m) throw new HarnessError(`${file.path}: cannot resolve module ${node.name}`);
      return m;
    }
    const parent = this.resolveDotted(node.object, file);
    const m = parent.members.get(node.property.name);
    if (m === undefined) {
      throw new HarnessError(`${file.path}: ${parent.fullName}.${node.property.name} is not ${parent.native ? 'provided by the mock Toybox' : 'declared'}`);
    }
    return m;
  }

  excluded(attrs) {
    return attributeNames(attrs).some((a) => this.exclude.has(a));
  }

  declare(d, module, file) {
    if (d.type === 'Using' || d.type === 'ImportModule') { file.pending.push(d); return; }
    if (this.excluded(d.attrs)) return;
    switch (d.type) {
      case 'ModuleDeclaration': {
        const m = module.child(d.id.name, false);
        for (const s of d.body.body) this.declare(s, m, file);
        return;
      }
      case 'ClassDeclaration': return this.declareClass(d, module, file);
      case 'FunctionDeclaration': {
        const attrs = attributeNames(d.attrs);
        const f = new Func({ name: d.id.name, owner: module, node: d, file, attrs, isStatic: true });
        module.members.set(d.id.name, f);
        if (attrs.includes('test')) this.testFunctions.push(f);
        return;
      }
      case 'VariableDeclaration':
        for (const v of d.declarations) {
          const name = v.id.type === 'Identifier' ? v.id.name : v.id.left.name;
          module.members.set(name, null);
          this.pendingInits.push({ module, name, init: v.init, file });
        }
        return;
      case 'EnumDeclaration': return this.declareEnum(d, (n, v) => module.members.set(n, v), this.moduleFrame(module, file));
      case 'TypedefDeclaration': return;
      default: throw new HarnessError(`${where(d, file)}: the interpreter does not support ${d.type} at module level`);
    }
  }

  declareEnum(d, set, frame) {
    let next = 0;
    for (const m of d.body.members) {
      if (m.type === 'Identifier') { set(m.name, next); next = arith('+', next, 1); continue; }
      const v = this.evalExpr(m.init, frame);
      set(m.id.name, v);
      next = arith('+', v, 1);
    }
  }

  declareClass(d, module, file) {
    const k = new Klass(d.id.name, module);
    k.superRef = d.superClass || null;
    k.file = file;
    module.members.set(d.id.name, k);
    const frame = { self: null, scopes: [], fn: { owner: k, file } };
    for (const el of d.body.body) {
      const item = el.item || el;
      if (this.excluded(item.attrs)) continue;
      const access = (item.attrs && item.attrs.access) || [];
      switch (item.type) {
        case 'FunctionDeclaration': {
          const attrs = attributeNames(item.attrs);
          const f = new Func({ name: item.id.name, owner: k, node: item, file, attrs, isStatic: access.includes('static') });
          k.methods.set(item.id.name, f);
          if (attrs.includes('test')) this.testFunctions.push(f);
          break;
        }
        case 'VariableDeclaration':
          for (const v of item.declarations) {
            const name = v.id.type === 'Identifier' ? v.id.name : v.id.left.name;
            if (item.kind === 'const' || access.includes('static')) {
              k.statics.set(name, null);
              this.pendingInits.push({ module: { members: k.statics }, name, init: v.init, file, cls: k });
            } else k.fieldDecls.push({ name, init: v.init });
          }
          break;
        case 'EnumDeclaration':
          this.declareEnum(item, (n, v) => k.statics.set(n, v), frame);
          break;
        case 'TypedefDeclaration': break;
        case 'Using': case 'ImportModule': file.pending.push(item); break;
        default: throw new HarnessError(`${where(item, file)}: the interpreter does not support ${item.type} in a class`);
      }
    }
  }

  moduleFrame(module, file) {
    return { self: null, scopes: [], fn: { owner: module instanceof Module ? module : this.global, file } };
  }

  resolveSuper(k) {
    if (k.superRef && !k.superClass) {
      const sup = this.lookupLexical(k.superRef, { self: null, scopes: [], fn: { owner: k.module, file: k.file } });
      if (!(sup instanceof Klass)) throw new HarnessError(`${k.file.path}: ${k.name} extends something that is not a class`);
      this.resolveSuper(sup);
      k.superClass = sup;
      k.superRef = null;
    }
  }

  // ---- objects and calls ---------------------------------------------------------------------

  instantiate(k, args) {
    this.resolveSuper(k);
    const obj = new MObject(k);
    const chain = [];
    for (let c = k; c; c = c.superClass) chain.unshift(c);
    for (const c of chain) {
      for (const f of c.nativeFields) obj.fields.set(f, null);
      for (const fd of c.fieldDecls) {
        const frame = { self: obj, scopes: [], fn: { owner: c, file: c.file } };
        obj.fields.set(fd.name, fd.init ? this.evalExpr(fd.init, frame) : null);
      }
    }
    const init = k.findMethod('initialize');
    if (init) this.callFunction(init, obj, args);
    else if (args.length) throw new MonkeyCrash('Invalid Argument Count', `${k.fullName} has no initialize taking ${args.length} argument(s)`);
    return obj;
  }

  callFunction(fn, self, args) {
    if (fn.native) return fn.native(this, self, args, fn);
    if (args.length !== fn.params.length) {
      throw new MonkeyCrash('Invalid Argument Count', `${fn.fullName} takes ${fn.params.length} argument(s), got ${args.length}`);
    }
    const scope = new Map();
    fn.params.forEach((p, i) => scope.set(p, args[i]));
    const frame = { self, scopes: [scope], fn };
    const r = this.execBlock(fn.node.body, frame, false);
    if (r && r.k === 'ret') return r.v;
    return null;
  }

  invoke(m, args) {
    if (!(m instanceof MMethod)) throw new MonkeyCrash('UnexpectedTypeException', `expected a Method, got ${typeName(m)}`);
    return this.callFunction(m.fn, m.self, args);
  }

  // ---- name resolution -----------------------------------------------------------------------

  classOfFrame(frame) {
    if (frame.self instanceof MObject) return frame.self.cls;
    return frame.fn.owner instanceof Klass ? frame.fn.owner : null;
  }

  lookupIdentifier(name, frame, node) {
    for (let i = frame.scopes.length - 1; i >= 0; i--) {
      const s = frame.scopes[i];
      if (s.has(name)) return { kind: 'local', scope: s };
    }
    const self = frame.self;
    if (self instanceof MObject && self.fields.has(name)) return { kind: 'field', obj: self };
    const cls = this.classOfFrame(frame);
    if (cls) {
      this.resolveSuper(cls);
      const f = cls.findMethod(name);
      if (f) return { kind: 'value', value: self instanceof MObject ? new MMethod(self, f, name, f.owner) : f };
      const st = cls.findStatic(name);
      if (st) return { kind: 'static', map: st.cls.statics };
    }
    let m = cls ? cls.module : frame.fn.owner;
    for (; m; m = m.parent) {
      if (m.members && m.members.has(name)) return { kind: 'module', module: m };
    }
    // Names visible where a superclass was declared are visible in its subclasses, so
    // `DataField.initialize()` works in a class extending WatchUi.DataField.
    for (let c = cls ? cls.superClass : null; c; c = c.superClass) {
      for (let sm = c.module; sm; sm = sm.parent) if (sm.members && sm.members.has(name)) return { kind: 'module', module: sm };
    }
    if (name === 'Toybox') return { kind: 'value', value: this.toybox };
    const file = frame.fn.file;
    if (file) {
      if (file.usings.has(name)) return { kind: 'value', value: file.usings.get(name) };
      for (const im of file.imports) if (im.members.has(name)) return { kind: 'module', module: im };
    }
    const lang = this.toybox.members.get('Lang');
    if (lang && lang.members.has(name)) return { kind: 'module', module: lang };
    return null;
  }

  readIdentifier(name, frame, node) {
    const ref = this.lookupIdentifier(name, frame, node);
    if (!ref) {
      if (name === 'method' || name === 'self') return undefined;
      throw new MonkeyCrash('Symbol Not Found Error', `${name} is not defined (${where(node, frame.fn.file)})`);
    }
    switch (ref.kind) {
      case 'local': return ref.scope.get(name);
      case 'field': return ref.obj.fields.get(name);
      case 'static': return ref.map.get(name);
      case 'module': return ref.module.members.get(name);
      case 'value': return ref.value;
    }
  }

  lookupLexical(node, frame) {
    if (node.type === 'Identifier') return this.readIdentifier(node.name, frame, node);
    if (node.type === 'MemberExpression' && !node.computed) return this.getMember(this.lookupLexical(node.object, frame), node.property.name, node, frame);
    return this.evalExpr(node, frame);
  }

  // ---- members -------------------------------------------------------------------------------

  getMember(obj, name, node, frame) {
    if (obj instanceof Module) {
      if (obj.members.has(name)) return obj.members.get(name);
      if (obj.native) throw new HarnessError(`${obj.fullName}.${name} is not provided by the mock Toybox (used at ${where(node, frame.fn.file)})`);
      throw new MonkeyCrash('Symbol Not Found Error', `${obj.fullName}.${name} (${where(node, frame.fn.file)})`);
    }
    if (obj instanceof Klass) {
      this.resolveSuper(obj);
      const st = obj.findStatic(name);
      if (st) return st.value;
      const f = obj.findMethod(name);
      if (f) return f;
      if (obj.native) throw new HarnessError(`${obj.fullName}.${name} is not provided by the mock Toybox (used at ${where(node, frame.fn.file)})`);
      throw new MonkeyCrash('Symbol Not Found Error', `${obj.fullName}.${name} (${where(node, frame.fn.file)})`);
    }
    if (obj instanceof MObject) {
      if (obj.fields.has(name)) return obj.fields.get(name);
      const f = obj.cls.findMethod(name);
      if (f) return new MMethod(obj, f, name, f.owner);
      const st = obj.cls.findStatic(name);
      if (st) return st.value;
      if (obj.cls.native || this.hasNativeAncestor(obj.cls)) {
        throw new HarnessError(`${obj.cls.fullName}.${name} is not provided by the mock Toybox (used at ${where(node, frame.fn.file)})`);
      }
      throw new MonkeyCrash('Symbol Not Found Error', `${obj.cls.fullName} has no member ${name} (${where(node, frame.fn.file)})`);
    }
    if (obj === null || obj === undefined) {
      throw new MonkeyCrash('Null Reference Exception', `reading .${name} of null (${where(node, frame.fn.file)})`);
    }
    throw new MonkeyCrash('Symbol Not Found Error', `${typeName(obj)} has no member ${name} (${where(node, frame.fn.file)})`);
  }

  hasNativeAncestor(k) {
    for (let c = k; c; c = c.superClass) if (c.native) return true;
    return false;
  }

  hasMember(obj, name) {
    if (obj instanceof Module) return obj.members.has(name);
    if (obj instanceof Klass) { this.resolveSuper(obj); return !!(obj.findStatic(name) || obj.findMethod(name)); }
    if (obj instanceof MObject) return obj.fields.has(name) || !!obj.cls.findMethod(name) || !!obj.cls.findStatic(name);
    if (obj === null || obj === undefined) return false;
    return hasBuiltinMethod(obj, name);
  }

  isInstance(v, t) {
    if (t instanceof Klass) {
      if (t.native && isBuiltinType(t.name) && t.module === this.toybox.members.get('Lang')) {
        if (t.name === 'Object') return v !== null && v !== undefined;
        return typeName(v) === t.name;
      }
      return v instanceof MObject && (this.resolveSuper(v.cls), v.cls.isSubclassOf(t));
    }
    throw new HarnessError(`instanceof needs a class on its right, got ${typeName(t)}`);
  }

  // ---- statements ----------------------------------------------------------------------------

  execBlock(block, frame, newScope = true) {
    if (newScope) frame.scopes.push(new Map());
    try {
      for (const s of block.body) {
        const r = this.exec(s, frame);
        if (r) return r;
      }
      return undefined;
    } finally {
      if (newScope) frame.scopes.pop();
    }
  }

  exec(s, frame) {
    switch (s.type) {
      case 'ExpressionStatement': this.evalExpr(s.expression, frame); return undefined;
      case 'BlockStatement': return this.execBlock(s, frame);
      case 'VariableDeclaration': {
        const scope = frame.scopes[frame.scopes.length - 1];
        for (const d of s.declarations) {
          const name = d.id.type === 'Identifier' ? d.id.name : d.id.left.name;
          scope.set(name, d.init ? this.evalExpr(d.init, frame) : null);
        }
        return undefined;
      }
      case 'ReturnStatement': return { k: 'ret', v: s.argument ? this.evalExpr(s.argument, frame) : null };
      case 'IfStatement':
        if (truthy(this.evalExpr(s.test, frame))) return this.exec(s.consequent, frame);
        if (s.alternate) return this.exec(s.alternate, frame);
        return undefined;
      case 'WhileStatement':
        while (truthy(this.evalExpr(s.test, frame))) {
          const r = this.exec(s.body, frame);
          if (r === BREAK) break;
          if (r && r !== CONTINUE) return r;
        }
        return undefined;
      case 'DoWhileStatement':
        do {
          const r = this.exec(s.body, frame);
          if (r === BREAK) break;
          if (r && r !== CONTINUE) return r;
        } while (truthy(this.evalExpr(s.test, frame)));
        return undefined;
      case 'ForStatement': {
        frame.scopes.push(new Map());
        try {
          if (s.init) { if (s.init.type === 'VariableDeclaration') this.exec(s.init, frame); else this.evalExpr(s.init, frame); }
          while (!s.test || truthy(this.evalExpr(s.test, frame))) {
            const r = this.exec(s.body, frame);
            if (r === BREAK) break;
            if (r && r !== CONTINUE) return r;
            if (s.update) this.evalExpr(s.update, frame);
          }
        } finally { frame.scopes.pop(); }
        return undefined;
      }
      case 'BreakStatement': return BREAK;
      case 'ContinueStatement': return CONTINUE;
      case 'SwitchStatement': return this.execSwitch(s, frame);
      case 'ThrowStatement': {
        const v = this.evalExpr(s.argument, frame);
        throw new MonkeyThrow(v, `uncaught ${typeName(v)} thrown at ${where(s, frame.fn.file)}`);
      }
      case 'TryStatement': return this.execTry(s, frame);
      case 'FunctionDeclaration': case 'ClassDeclaration': case 'ModuleDeclaration':
        throw new HarnessError(`${where(s, frame.fn.file)}: nested ${s.type} is not Monkey C`);
      default:
        throw new HarnessError(`${where(s, frame.fn.file)}: the interpreter does not support the statement ${s.type}`);
    }
  }

  execSwitch(s, frame) {
    const v = this.evalExpr(s.discriminant, frame);
    let start = -1;
    for (let i = 0; i < s.cases.length && start < 0; i++) {
      const t = s.cases[i].test;
      if (!t) continue;
      if (t.type === 'InstanceOfCase') { if (this.isInstance(v, this.lookupLexical(t.id, frame))) start = i; } else if (equals(v, this.evalExpr(t, frame))) start = i;
    }
    if (start < 0) start = s.cases.findIndex((c) => !c.test);
    if (start < 0) return undefined;
    frame.scopes.push(new Map());
    try {
      for (let i = start; i < s.cases.length; i++) {
        for (const st of s.cases[i].consequent) {
          const r = this.exec(st, frame);
          if (r === BREAK) return undefined;
          if (r) return r;
        }
      }
    } finally { frame.scopes.pop(); }
    return undefined;
  }

  execTry(s, frame) {
    const depth = frame.scopes.length;
    try {
      return this.execBlock(s.block, frame);
    } catch (e) {
      if (!(e instanceof MonkeyThrow) || !s.handler) throw e;
      frame.scopes.length = depth;
      const clauses = s.handler.type === 'CatchClauses' ? s.handler.catches : [s.handler];
      for (const c of clauses) {
        let name = null;
        if (c.param && c.param.type === 'Identifier') name = c.param.name;
        else if (c.param) {
          name = c.param.left.name;
          if (!this.isInstance(e.value, this.lookupLexical(c.param.right, frame))) continue;
        }
        frame.scopes.push(new Map(name ? [[name, e.value]] : []));
        try { return this.execBlock(c.body, frame, false); } finally { frame.scopes.pop(); }
      }
      throw e;
    } finally {
      if (s.finalizer) {
        const r = this.execBlock(s.finalizer, frame);
        if (r) return r; // eslint-disable-line no-unsafe-finally
      }
    }
  }

  // ---- expressions ---------------------------------------------------------------------------

  evalExpr(n, frame) {
    try {
      return this.evalInner(n, frame);
    } catch (e) {
      if (e instanceof MonkeyCrash && !e.where) { e.where = where(n, frame.fn.file); e.message += ` at ${e.where}`; }
      throw e;
    }
  }

  evalInner(n, frame) {
    switch (n.type) {
      case 'Literal': return literalValue(n);
      case 'Identifier': {
        const v = this.readIdentifier(n.name, frame, n);
        if (v === undefined) throw new MonkeyCrash('Symbol Not Found Error', `${n.name} is not defined`);
        return v;
      }
      case 'ThisExpression': return frame.self;
      case 'ParenthesizedExpression': return this.evalExpr(n.expression, frame);
      case 'ArrayExpression': {
        const items = n.elements.map((e) => this.evalExpr(e, frame));
        if (n.byte) return new MByteArray(Uint8Array.from(items.map((x) => byteOf(x))));
        return new MArray(items);
      }
      case 'SizedArrayExpression': {
        const size = this.evalExpr(n.size, frame);
        if (typeof size !== 'number' || size < 0) throw new MonkeyCrash('UnexpectedTypeException', `array size must be a non-negative Number, got ${typeName(size)}`);
        return n.byte ? new MByteArray(new Uint8Array(size)) : new MArray(new Array(size).fill(null));
      }
      case 'ObjectExpression': {
        const d = new MDict();
        for (const p of n.properties) d.put(this.evalExpr(p.key, frame), this.evalExpr(p.value, frame));
        return d;
      }
      case 'UnaryExpression': return this.evalUnary(n, frame);
      case 'BinaryExpression': return this.evalBinary(n, frame);
      case 'LogicalExpression': {
        const l = truthy(this.evalExpr(n.left, frame));
        if (n.operator === '&&' || n.operator === 'and') return l ? truthy(this.evalExpr(n.right, frame)) : false;
        return l ? true : truthy(this.evalExpr(n.right, frame));
      }
      case 'ConditionalExpression':
        return truthy(this.evalExpr(n.test, frame)) ? this.evalExpr(n.consequent, frame) : this.evalExpr(n.alternate, frame);
      case 'AssignmentExpression': {
        if (n.operator === '=') { const v = this.evalExpr(n.right, frame); this.assign(n.left, v, frame); return v; }
        const ref = this.reference(n.left, frame);
        const v = applyBinary(n.operator.slice(0, -1), ref.get(), this.evalExpr(n.right, frame));
        ref.set(v);
        return v;
      }
      case 'UpdateExpression': {
        const ref = this.reference(n.argument, frame);
        const old = ref.get();
        const v = arith(n.operator === '++' ? '+' : '-', old, 1);
        ref.set(v);
        return n.prefix ? v : old;
      }
      case 'MemberExpression': {
        const obj = this.evalExpr(n.object, frame);
        if (n.computed) return this.index(obj, this.evalExpr(n.property, frame));
        return this.getMember(obj, n.property.name, n, frame);
      }
      case 'CallExpression': return this.evalCall(n, frame);
      case 'NewExpression': {
        const k = this.lookupLexical(n.callee, frame);
        if (!(k instanceof Klass)) throw new MonkeyCrash('UnexpectedTypeException', `new needs a class, got ${typeName(k)}`);
        const args = n.arguments.map((a) => this.evalExpr(a, frame));
        if (k.newInstance) return k.newInstance(this, args);
        return this.instantiate(k, args);
      }
      case 'SequenceExpression': {
        let v = null;
        for (const e of n.expressions) v = this.evalExpr(e, frame);
        return v;
      }
      default:
        throw new HarnessError(`${where(n, frame.fn.file)}: the interpreter does not support the expression ${n.type}`);
    }
  }

  evalUnary(n, frame) {
    if (n.operator === ':') return MSymbol.of(n.argument.name);
    const v = this.evalExpr(n.argument, frame);
    switch (n.operator) {
      case '-': return negate(v);
      case '+': return v;
      case '!':
        if (typeof v === 'boolean') return !v;
        if (typeof v === 'number' || typeof v === 'bigint') return complement(v);
        if (v === null) return true;
        throw new MonkeyCrash('UnexpectedTypeException', `operator ! cannot apply to ${typeName(v)}`);
      case '~': return complement(v);
    }
    throw new HarnessError(`unsupported unary operator ${n.operator}`);
  }

  evalBinary(n, frame) {
    const op = n.operator;
    if (op === 'as') return this.evalExpr(n.left, frame);
    const l = this.evalExpr(n.left, frame);
    if (op === 'instanceof') return this.isInstance(l, this.lookupLexical(n.right, frame));
    if (op === 'has') {
      if (n.right.type !== 'UnaryExpression' || n.right.operator !== ':') {
        const sym = this.evalExpr(n.right, frame);
        if (!(sym instanceof MSymbol)) throw new MonkeyCrash('UnexpectedTypeException', 'has needs a Symbol');
        return this.hasMember(l, sym.name);
      }
      return this.hasMember(l, n.right.argument.name);
    }
    return applyBinary(op, l, this.evalExpr(n.right, frame));
  }

  index(obj, i) {
    if (obj instanceof MArray || obj instanceof MByteArray) {
      const arr = obj instanceof MArray ? obj.items : obj.bytes;
      if (typeof i !== 'number') throw new MonkeyCrash('UnexpectedTypeException', `array index must be a Number, got ${typeName(i)}`);
      if (i < 0 || i >= arr.length) throw new MonkeyCrash('Array Out Of Bounds Error', `index ${i} of a ${typeName(obj)} of size ${arr.length}`);
      return arr[i];
    }
    if (obj instanceof MDict) return obj.get(i);
    if (obj === null || obj === undefined) throw new MonkeyCrash('Null Reference Exception', 'indexing null');
    throw new MonkeyCrash('UnexpectedTypeException', `cannot index a ${typeName(obj)}`);
  }

  reference(target, frame) {
    if (target.type === 'Identifier') {
      const name = target.name;
      return { get: () => this.evalExpr(target, frame), set: (v) => this.assign(target, v, frame) };
    }
    if (target.type === 'MemberExpression') {
      const obj = this.evalExpr(target.object, frame);
      if (target.computed) {
        const key = this.evalExpr(target.property, frame);
        return { get: () => this.index(obj, key), set: (v) => this.setIndex(obj, key, v) };
      }
      const name = target.property.name;
      return { get: () => this.getMember(obj, name, target, frame), set: (v) => this.setMember(obj, name, v, target, frame) };
    }
    throw new HarnessError(`cannot assign to ${target.type}`);
  }

  setIndex(obj, key, v) {
    if (obj instanceof MArray) { this.index(obj, key); obj.items[key] = v; return; }
    if (obj instanceof MByteArray) { this.index(obj, key); obj.bytes[key] = byteOf(v); return; }
    if (obj instanceof MDict) { obj.put(key, v); return; }
    if (obj === null || obj === undefined) throw new MonkeyCrash('Null Reference Exception', 'indexing null');
    throw new MonkeyCrash('UnexpectedTypeException', `cannot index a ${typeName(obj)}`);
  }

  setMember(obj, name, v, node, frame) {
    if (obj instanceof MObject) {
      if (!obj.fields.has(name)) {
        const st = obj.cls.findStatic(name);
        if (st) { st.cls.statics.set(name, v); return; }
        throw new MonkeyCrash('Symbol Not Found Error', `${obj.cls.fullName} has no field ${name} (${where(node, frame.fn.file)})`);
      }
      obj.fields.set(name, v);
      return;
    }
    if (obj instanceof Module && obj.members.has(name) && !obj.native) { obj.members.set(name, v); return; }
    if (obj instanceof Klass) { const st = obj.findStatic(name); if (st) { st.cls.statics.set(name, v); return; } }
    if (obj === null || obj === undefined) throw new MonkeyCrash('Null Reference Exception', `assigning .${name} of null`);
    throw new MonkeyCrash('Symbol Not Found Error', `cannot assign ${name} on ${typeName(obj)} (${where(node, frame.fn.file)})`);
  }

  assign(target, v, frame) {
    if (target.type === 'Identifier') {
      const ref = this.lookupIdentifier(target.name, frame, target);
      if (!ref) throw new MonkeyCrash('Symbol Not Found Error', `${target.name} is not declared (${where(target, frame.fn.file)})`);
      switch (ref.kind) {
        case 'local': ref.scope.set(target.name, v); return;
        case 'field': ref.obj.fields.set(target.name, v); return;
        case 'static': ref.map.set(target.name, v); return;
        case 'module':
          if (ref.module.native) throw new HarnessError(`cannot assign the Toybox member ${ref.module.fullName}.${target.name}`);
          ref.module.members.set(target.name, v); return;
        default: throw new MonkeyCrash('UnexpectedTypeException', `cannot assign to ${target.name}`);
      }
    }
    this.reference(target, frame).set(v);
  }

  evalCall(n, frame) {
    const c = n.callee;
    const args = () => n.arguments.map((a) => this.evalExpr(a, frame));
    if (c.type === 'Identifier') {
      if (c.name === 'method' && !this.lookupIdentifier('method', frame, c)) {
        const [sym] = args();
        return this.makeMethod(frame.self ?? this.classOfFrame(frame) ?? frame.fn.owner, sym, n, frame);
      }
      const f = this.readIdentifier(c.name, frame, c);
      const a = args();
      if (f instanceof MMethod) return this.callFunction(f.fn, f.self, a);
      if (f instanceof Func) return this.callFunction(f, f.isStatic ? null : frame.self, a);
      throw new MonkeyCrash('UnexpectedTypeException', `${c.name} is a ${typeName(f)}, not a function (${where(n, frame.fn.file)})`);
    }
    if (c.type === 'MemberExpression' && !c.computed) {
      const obj = this.evalExpr(c.object, frame);
      const name = c.property.name;
      if (name === 'method' && (obj instanceof MObject || obj instanceof Module || obj instanceof Klass)) {
        if (!(obj instanceof MObject && obj.cls.findMethod('method'))) return this.makeMethod(obj, args()[0], n, frame);
      }
      if (obj instanceof MObject || obj instanceof Module || obj instanceof Klass) {
        const target = this.getMember(obj, name, c, frame);
        const a = args();
        if (target instanceof MMethod) return this.callFunction(target.fn, target.self, a);
        if (target instanceof Func) {
          // `Base.method()` inside a subclass calls the base implementation on self.
          if (obj instanceof Klass && frame.self instanceof MObject && frame.self.cls.isSubclassOf(obj) && !target.isStatic) {
            return this.callFunction(target, frame.self, a);
          }
          return this.callFunction(target, obj instanceof MObject ? obj : null, a);
        }
        throw new MonkeyCrash('UnexpectedTypeException', `${name} is a ${typeName(target)}, not a function (${where(n, frame.fn.file)})`);
      }
      if (obj === null || obj === undefined) throw new MonkeyCrash('Null Reference Exception', `calling .${name}() on null (${where(n, frame.fn.file)})`);
      return callBuiltinMethod(this, obj, name, args());
    }
    const f = this.evalExpr(c, frame);
    if (f instanceof MMethod) return this.callFunction(f.fn, f.self, args());
    throw new MonkeyCrash('UnexpectedTypeException', `cannot call a ${typeName(f)}`);
  }

  makeMethod(target, sym, node, frame) {
    if (!(sym instanceof MSymbol)) throw new MonkeyCrash('UnexpectedTypeException', `method() needs a Symbol, got ${typeName(sym)}`);
    let f = null;
    if (target instanceof MObject) f = target.cls.findMethod(sym.name);
    else if (target instanceof Klass) f = target.findMethod(sym.name);
    else if (target instanceof Module) { const m = target.members.get(sym.name); if (m instanceof Func) f = m; }
    if (!f) throw new MonkeyCrash('Symbol Not Found Error', `method(:${sym.name}) has no such function (${where(node, frame.fn.file)})`);
    return new MMethod(target instanceof MObject ? target : null, f, sym.name, f.owner);
  }
}

function byteOf(x) {
  if (typeof x !== 'number') throw new MonkeyCrash('UnexpectedTypeException', `a ByteArray holds Numbers, got ${typeName(x)}`);
  return x & 0xff;
}

export function applyBinary(op, l, r) {
  switch (op) {
    case '+': case '-': case '*': case '/': case '%': return arith(op, l, r);
    case '&': case '|': case '^': case '<<': case '>>': return bitwise(op, l, r);
    case '==': return equals(l, r);
    case '!=': return !equals(l, r);
    case '<': case '<=': case '>': case '>=': return compare(op, l, r);
  }
  throw new HarnessError(`unsupported binary operator ${op}`);
}
