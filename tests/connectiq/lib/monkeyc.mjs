// Analyses of Monkey C syntax trees produced by @markw65/prettier-plugin-monkeyc.

const SKIP_KEYS = new Set(["loc", "start", "end", "range", "comments"]);

// Calls visit(node, parent) for every node, depth first.
export function walk(node, visit, parent = null) {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit, parent);
    return;
  }
  if (typeof node.type === "string") visit(node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (SKIP_KEYS.has(key) || !value || typeof value !== "object") continue;
    walk(value, visit, typeof node.type === "string" ? node : parent);
  }
}

export function lineOf(node) {
  return node?.loc?.start?.line ?? 0;
}

// "a.b.c" for a chain of non-computed member accesses on an identifier, otherwise null.
export function dottedName(node) {
  if (!node) return null;
  if (node.type === "Identifier") return node.name;
  if (node.type === "MemberExpression" && !node.computed && node.property?.type === "Identifier") {
    const left = dottedName(node.object);
    return left === null ? null : `${left}.${node.property.name}`;
  }
  return null;
}

function declaredName(id) {
  if (!id) return null;
  if (id.type === "Identifier") return id.name;
  if (id.type === "BinaryExpression" && id.operator === "as") return declaredName(id.left);
  return null;
}

// Every name the project declares: modules, classes, functions, variables, constants, enum values,
// typedefs, parameters and catch variables.
export function declaredNames(asts) {
  const names = new Set();
  for (const ast of asts) {
    walk(ast, (n) => {
      switch (n.type) {
        case "ModuleDeclaration":
        case "ClassDeclaration":
        case "FunctionDeclaration":
        case "TypedefDeclaration":
          if (n.id?.name) names.add(n.id.name);
          if (n.type === "FunctionDeclaration") for (const p of n.params ?? []) {
            const name = declaredName(p);
            if (name) names.add(name);
          }
          break;
        case "VariableDeclarator":
        case "EnumStringMember": {
          const name = declaredName(n.id);
          if (name) names.add(name);
          break;
        }
        case "EnumDeclaration":
          if (n.id?.name) names.add(n.id.name);
          for (const m of n.body?.members ?? []) {
            const name = declaredName(m.id ?? m);
            if (name) names.add(name);
          }
          break;
        case "CatchClause": {
          const name = declaredName(n.param?.type === "BinaryExpression" ? n.param.left : n.param);
          if (name) names.add(name);
          break;
        }
        default:
      }
    });
  }
  return names;
}

// Toybox modules brought in by import/using, as { alias: "Toybox.X" }.
export function importedModules(ast) {
  const out = {};
  walk(ast, (n) => {
    if (n.type === "ImportModule" || n.type === "Using") {
      const full = dottedName(n.id);
      if (full && full.startsWith("Toybox.")) {
        const alias = n.as?.name ?? full.split(".").pop();
        out[alias] = full;
      }
    }
  });
  return out;
}

function isSymbolLiteral(node, parent) {
  return parent?.type === "UnaryExpression" && parent.operator === ":" && parent.argument === node;
}

// Collects the Toybox API a set of sources uses.
//  qualified: Map "Toybox.M.Name" -> [location]   (module-qualified names, incl. types)
//  bare: Map name -> [location]                   (unqualified names the project does not declare)
//  members: Map name -> [location]                (".name" accesses the project does not declare)
export function toyboxUsage(sources) {
  const declared = declaredNames(sources.map((s) => s.ast));
  const qualified = new Map();
  const bare = new Map();
  const members = new Map();
  const add = (map, key, where) => {
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(where);
  };
  for (const { file, ast } of sources) {
    const modules = importedModules(ast);
    const inChain = new Set();
    walk(ast, (n, parent) => {
      if (n.type === "ImportModule" || n.type === "Using") {
        walk(n, (inner) => inChain.add(inner));
        return;
      }
      if (inChain.has(n)) return;
      if (n.type === "MemberExpression") {
        // only the outermost chain of a.b.c
        const name = dottedName(n);
        if (name !== null) {
          walk(n, (inner) => inChain.add(inner));
          const parts = name.split(".");
          const where = `${file}:${lineOf(n)}`;
          if (parts[0] === "Rez") return;
          if (parts[0] === "Toybox") {
            add(qualified, name, where);
            return;
          }
          if (parts[0] in modules && !declared.has(parts[0])) {
            add(qualified, `${modules[parts[0]]}.${parts.slice(1).join(".")}`, where);
            return;
          }
          if (declared.has(parts[0]) || parts[0] === "self") {
            // project module/class/variable: every further segment must be a project name or an API member
            for (const p of parts.slice(1)) if (!declared.has(p)) add(members, p, where);
            return;
          }
          add(bare, parts[0], { where, modules: Object.values(modules) });
          for (const p of parts.slice(1)) if (!declared.has(p)) add(members, p, where);
          return;
        }
        if (!n.computed && n.property?.type === "Identifier" && !declared.has(n.property.name)) {
          add(members, n.property.name, `${file}:${lineOf(n)}`);
        }
        inChain.add(n.property);
        return;
      }
      if (n.type === "Identifier" && !isSymbolLiteral(n, parent) && !declared.has(n.name)) {
        if (parent?.type === "Property" && parent.key === n) return;
        add(bare, n.name, { where: `${file}:${lineOf(n)}`, modules: Object.values(modules) });
      }
    });
  }
  return { qualified, bare, members, declared };
}

// Compares the usage with the checked API list ({ symbol: level }; instance members as
// "Toybox.M.Class#member"). Returns { problems: [text], maxLevel, used: Map symbol -> level }.
export function checkToyboxUsage(usage, api, { imports = ["Toybox.Lang"], keywords = [] } = {}) {
  const problems = [];
  const used = new Map();
  const memberLevels = new Map();
  for (const [symbol, level] of Object.entries(api)) {
    const hash = symbol.indexOf("#");
    if (hash >= 0) {
      const name = symbol.slice(hash + 1);
      if (!memberLevels.has(name)) memberLevels.set(name, []);
      memberLevels.get(name).push([symbol, level]);
    }
  }
  const note = (symbol) => used.set(symbol, api[symbol]);
  for (const [symbol, where] of usage.qualified) {
    if (symbol in api) note(symbol);
    else problems.push(`unknown Toybox symbol ${symbol} (${where[0]})`);
  }
  // A member of an object of unknown type: the oldest class that has it decides its level.
  const noteOldest = (candidates) => {
    let best = candidates[0];
    for (const c of candidates) if (compareLevels(c[1], best[1]) < 0) best = c;
    note(best[0]);
  };
  const keywordSet = new Set(keywords);
  for (const [name, uses] of usage.bare) {
    if (keywordSet.has(name)) continue;
    for (const { where, modules } of uses) {
      const candidates = [...new Set([...imports, ...modules])].map((m) => `${m}.${name}`).filter((s) => s in api);
      // An imported module named by itself (e.g. `Attention has :playTone` after import Toybox.Attention).
      const module = modules.find((m) => m === `Toybox.${name}` && m in api);
      if (module) candidates.push(module);
      if (candidates.length > 0) {
        note(candidates[0]);
        continue;
      }
      const inherited = memberLevels.get(name);
      if (inherited) {
        noteOldest(inherited);
        continue;
      }
      problems.push(`unknown name ${name}: not declared in the project and not in the checked Toybox list (${where})`);
    }
  }
  for (const [name, where] of usage.members) {
    const candidates = memberLevels.get(name);
    if (!candidates) {
      problems.push(`unknown member .${name}: not declared in the project and not in the checked Toybox list (${where[0]})`);
      continue;
    }
    noteOldest(candidates);
  }
  let maxLevel = "0.0.0";
  for (const level of used.values()) if (compareLevels(level, maxLevel) > 0) maxLevel = level;
  return { problems, maxLevel, used };
}

export function compareLevels(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function findFunction(ast, className, functionName) {
  let found = null;
  walk(ast, (n) => {
    if (n.type === "ClassDeclaration" && n.id?.name === className) {
      walk(n.body, (m) => {
        if (!found && m.type === "FunctionDeclaration" && m.id?.name === functionName) found = m;
      });
    }
  });
  return found;
}

// Expressions in a function body that allocate: new objects, array/dictionary/byte-array literals,
// string literals and string concatenation with a literal.
export function allocations(fn) {
  const out = [];
  walk(fn.body, (n) => {
    if (n.type === "NewExpression") out.push(`new at line ${lineOf(n)}`);
    else if (n.type === "ArrayExpression") out.push(`array literal at line ${lineOf(n)}`);
    else if (n.type === "ObjectExpression") out.push(`dictionary literal at line ${lineOf(n)}`);
    else if (n.type === "Literal" && typeof n.value === "string") out.push(`string literal at line ${lineOf(n)}`);
  });
  return out;
}

// The methods a function calls on project classes, by name (for following compute() through the code).
export function calledNames(fn) {
  const names = new Set();
  walk(fn.body, (n) => {
    if (n.type === "CallExpression") {
      const c = n.callee;
      if (c?.type === "Identifier") names.add(c.name);
      else if (c?.type === "MemberExpression" && !c.computed && c.property?.type === "Identifier") names.add(c.property.name);
    }
  });
  return names;
}

// Every function declaration of the sources as [{ file, className, name, node }].
export function allFunctions(sources) {
  const out = [];
  for (const { file, ast } of sources) {
    const visitScope = (node, className) => {
      walk(node, (n) => {
        if (n.type === "FunctionDeclaration") out.push({ file, className, name: n.id?.name, node: n });
      });
    };
    walk(ast, (n) => {
      if (n.type === "ClassDeclaration") visitScope(n.body, n.id?.name);
    });
    const inClass = new Set(out.filter((f) => f.file === file).map((f) => f.node));
    walk(ast, (n) => {
      if (n.type === "FunctionDeclaration" && !inClass.has(n)) out.push({ file, className: null, name: n.id?.name, node: n });
    });
  }
  return out;
}

// Allocation sites reachable from an entry function by name, following calls into project
// functions of the same name (a conservative over-approximation). Functions named in `allowed`
// are not followed.
export function reachableAllocations(sources, entry, allowed = new Set()) {
  const functions = allFunctions(sources);
  const byName = new Map();
  for (const f of functions) {
    if (!byName.has(f.name)) byName.set(f.name, []);
    byName.get(f.name).push(f);
  }
  const seen = new Set();
  const problems = [];
  const queue = [entry];
  while (queue.length) {
    const f = queue.shift();
    if (seen.has(f.node)) continue;
    seen.add(f.node);
    for (const a of allocations(f.node)) problems.push(`${f.file} ${f.className ?? ""}.${f.name}: ${a}`);
    for (const name of calledNames(f.node)) {
      if (allowed.has(name)) continue;
      for (const g of byName.get(name) ?? []) if (!g.file.startsWith("test/")) queue.push(g);
    }
  }
  return { problems, visited: [...seen].length };
}

// String literals of a module or class constant declared as an array literal, e.g. DEVICE_KEYS.
export function constantStrings(ast, namePattern) {
  const out = [];
  walk(ast, (n) => {
    if (n.type === "VariableDeclarator") {
      const name = declaredName(n.id);
      let init = n.init;
      if (init?.type === "BinaryExpression" && init.operator === "as") init = init.left;
      if (name && namePattern.test(name) && init?.type === "ArrayExpression") {
        for (const e of init.elements) if (e.type === "Literal" && typeof e.value === "string") out.push(e.value);
      }
    }
  });
  return out;
}

// Numeric constants, { NAME: value } (integer literals, negated literals), of the whole tree or,
// with moduleName, of that module only.
export function numericConstants(ast, moduleName = null) {
  const out = {};
  if (moduleName !== null) {
    let found = null;
    walk(ast, (n) => {
      if (!found && n.type === "ModuleDeclaration" && n.id?.name === moduleName) found = n;
    });
    if (!found) throw new Error(`module ${moduleName} not found`);
    ast = found;
  }
  walk(ast, (n) => {
    if (n.type === "VariableDeclarator") {
      const name = declaredName(n.id);
      const v = literalNumber(n.init);
      if (name && v !== null) out[name] = v;
    }
  });
  return out;
}

export function literalNumber(node) {
  if (!node) return null;
  if (node.type === "Literal" && typeof node.value === "number") return node.value;
  if (node.type === "Literal" && typeof node.value === "bigint") return Number(node.value);
  if (node.type === "UnaryExpression" && node.operator === "-") {
    const v = literalNumber(node.argument);
    return v === null ? null : -v;
  }
  return null;
}

// `x instanceof Number` (a Toybox.Lang type named without its module) inside a module function
// resolves only under some compiler settings (monkeyc-optimizer: "will only be found when compiled
// with compiler2 at -O1 or above"); `Lang.Number` resolves everywhere. Returns "file:line Name".
const LANG_TYPES = new Set(["Number", "Long", "Float", "Double", "String", "Boolean", "Char", "Symbol", "Array", "Dictionary", "ByteArray", "Method", "Object", "Exception"]);
export function unqualifiedLangTypeChecks(sources) {
  const out = [];
  for (const { file, ast } of sources) {
    walk(ast, (n) => {
      if (n.type === "BinaryExpression" && n.operator === "instanceof" && n.right?.type === "Identifier" && LANG_TYPES.has(n.right.name)) {
        out.push(`${file}:${n.right.loc?.start?.line} ${n.right.name}`);
      }
    });
  }
  return out;
}
