// Cross-reference checks of the data field's manifest, jungle, resources and code.
import { resolveResourcePaths } from "../harness/jungle.mjs";
import fs from "node:fs";
import path from "node:path";
import { projectRoot, loadSources, loadXml, loadJson } from "./project.mjs";
import { elements, textOf } from "./xml.mjs";
import { walk, dottedName, constantStrings } from "./monkeyc.mjs";

// Everything the checks look at, read from disk into plain data (tests may alter a copy).
export function collectProject() {
  const dirs = fs.readdirSync(projectRoot, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith("resources"));
  const resources = {};
  for (const d of dirs) {
    const files = [];
    const visit = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (e.name.endsWith(".xml")) files.push({ file: path.relative(projectRoot, p), root: loadXml(p) });
        else files.push({ file: path.relative(projectRoot, p), root: null });
      }
    };
    visit(path.join(projectRoot, d.name));
    resources[d.name] = files;
  }
  return {
    manifest: loadXml(path.join(projectRoot, "manifest.xml")),
    jungle: fs.readFileSync(path.join(projectRoot, "monkey.jungle"), "utf8"),
    resources,
    sources: loadSources(),
    devices: loadJson("garmin-devices.json").devices,
  };
}

function rootsNamed(project, rootName) {
  const out = [];
  for (const [folder, files] of Object.entries(project.resources)) {
    for (const f of files) if (f.root?.name === rootName) out.push({ folder, ...f });
  }
  return out;
}

// Resource ids of one kind. An id may appear once per resource folder (shape folders define the
// same layouts); twice in one folder is an error.
function ids(project, rootName, childName) {
  const out = new Map();
  const seen = new Set();
  for (const r of rootsNamed(project, rootName)) {
    for (const el of elements(r.root, childName)) {
      if (!el.attrs.id) continue;
      const key = `${r.folder}/${el.attrs.id}`;
      if (seen.has(key)) throw new Error(`${r.file}: ${childName} id ${el.attrs.id} defined twice in ${r.folder}`);
      seen.add(key);
      if (!out.has(el.attrs.id)) out.set(el.attrs.id, el);
    }
  }
  return out;
}

// References "@Kind.Name" in any attribute or text of the resources and the manifest.
function xmlReferences(project) {
  const refs = [];
  const scan = (file, root) => {
    const visit = (n) => {
      if (n.name === "#text") {
        for (const m of n.text.matchAll(/@(\w+)\.(\w+)/g)) refs.push({ file, kind: m[1], name: m[2] });
        return;
      }
      for (const v of Object.values(n.attrs ?? {})) for (const m of v.matchAll(/@(\w+)\.(\w+)/g)) refs.push({ file, kind: m[1], name: m[2] });
      for (const c of n.children ?? []) visit(c);
    };
    visit(root);
  };
  scan("manifest.xml", project.manifest);
  for (const files of Object.values(project.resources)) for (const f of files) if (f.root) scan(f.file, f.root);
  return refs;
}

// Rez.Kind.Name references in the code.
function codeReferences(project) {
  const refs = [];
  for (const { file, ast } of project.sources) {
    walk(ast, (n) => {
      if (n.type !== "MemberExpression") return;
      const name = dottedName(n);
      const m = name?.match(/^Rez\.(\w+)\.(\w+)$/);
      if (m) refs.push({ file, kind: m[1], name: m[2] });
    });
  }
  return refs;
}

// String literal arguments of calls to functions with the given dotted-name suffix.
function literalArguments(project, calleeSuffix) {
  const out = [];
  for (const { file, ast } of project.sources) {
    walk(ast, (n) => {
      if (n.type === "CallExpression" && (dottedName(n.callee) ?? "").endsWith(calleeSuffix)) {
        const a = n.arguments?.[0];
        if (a?.type === "Literal" && typeof a.value === "string") out.push({ file, value: a.value });
      }
    });
  }
  return out;
}

// Resource folders per product: the SDK's default jungle, then monkey.jungle (harness/jungle.mjs).
export function jungleResourcePaths(jungle, products, devices, folders) {
  return resolveResourcePaths(jungle, products, devices, (f) => folders.includes(f));
}

export function checkProject(project) {
  const problems = [];
  const strings = ids(project, "strings", "string");
  const properties = ids(project, "properties", "property");
  const drawables = ids(project, "drawables", "bitmap");
  const app = project.manifest.children.find((c) => c.name === "iq:application");

  // manifest
  if (!app) {
    problems.push("manifest: no iq:application element");
    return problems;
  }
  if (app.attrs.type !== "datafield") problems.push(`manifest: type is ${app.attrs.type}, expected datafield`);
  const permissions = elements(app, "iq:uses-permission").map((p) => p.attrs.id);
  for (const p of ["Ant", "FitContributor"]) if (!permissions.includes(p)) problems.push(`manifest: permission ${p} missing`);
  const products = elements(app, "iq:product").map((p) => p.attrs.id);
  if (products.length === 0) problems.push("manifest: no products");
  for (const p of products) if (!(p in project.devices)) problems.push(`manifest: product ${p} is not a known Garmin device id`);
  const families = { edge: false, fr: false, fenix: false };
  for (const p of products) for (const f of Object.keys(families)) if (p.startsWith(f)) families[f] = true;
  for (const [f, seen] of Object.entries(families)) if (!seen) problems.push(`manifest: no ${f} product`);
  const entry = app.attrs.entry;
  const globalClasses = new Set();
  for (const { ast } of project.sources) for (const n of ast.body) if (n.type === "ClassDeclaration") globalClasses.add(n.id.name);
  if (!globalClasses.has(entry)) problems.push(`manifest: entry class ${entry} is not a global class of the sources`);

  // resource references in XML and code
  const known = {
    Strings: strings,
    Properties: properties,
    Drawables: drawables,
    Layouts: ids(project, "layouts", "layout"),
  };
  for (const r of [...xmlReferences(project), ...codeReferences(project)]) {
    if (!(r.kind in known)) problems.push(`${r.file}: reference to unknown resource kind ${r.kind}.${r.name}`);
    else if (!known[r.kind].has(r.name)) problems.push(`${r.file}: ${r.kind}.${r.name} is not defined`);
  }
  const usedStrings = new Set([...xmlReferences(project), ...codeReferences(project)].filter((r) => r.kind === "Strings").map((r) => r.name));
  for (const s of strings.keys()) if (!usedStrings.has(s)) problems.push(`strings: ${s} is never used`);
  for (const [id, el] of drawables) {
    const folder = Object.entries(project.resources).find(([, files]) => files.some((f) => f.root && elements(f.root, "bitmap").includes(el)));
    const file = folder && project.resources[folder[0]].find((f) => f.file.endsWith(el.attrs.filename));
    if (!file) problems.push(`drawables: ${id} file ${el.attrs.filename} missing`);
  }

  // properties and settings
  const settings = rootsNamed(project, "settings").flatMap((r) => elements(r.root, "setting"));
  const settingKeys = new Set(settings.map((s) => s.attrs.propertyKey?.replace(/^@Properties\./, "")));
  for (const p of properties.keys()) if (!settingKeys.has(p)) problems.push(`properties: ${p} has no setting`);
  for (const s of settings) {
    const cfg = s.children.find((c) => c.name === "settingConfig");
    if (!cfg) problems.push(`settings: ${s.attrs.propertyKey} has no settingConfig`);
    else if (cfg.attrs.type === "list") {
      const values = elements(cfg, "listEntry").map((e) => Number(e.attrs.value));
      values.forEach((v, i) => {
        if (v !== i) problems.push(`settings: ${s.attrs.propertyKey} list value ${v} at position ${i}`);
      });
    }
  }
  const codeKeys = [
    ...project.sources.flatMap((s) => constantStrings(s.ast, /_KEYS$/)),
    ...literalArguments(project, "Properties.getValue").map((a) => a.value),
    ...literalArguments(project, "Properties.setValue").map((a) => a.value),
  ];
  for (const k of codeKeys) if (!properties.has(k)) problems.push(`code: property ${k} is not in properties.xml`);
  for (const p of properties.keys()) if (!codeKeys.includes(p)) problems.push(`properties: ${p} is never read by the code`);

  // layouts: every shape folder the jungle adds defines every layout the code uses, with the drawables it sets
  const paths = jungleResourcePaths(project.jungle, products, project.devices, Object.keys(project.resources));
  const layoutsByFolder = {};
  for (const [folder, files] of Object.entries(project.resources)) {
    layoutsByFolder[folder] = new Map();
    for (const f of files) if (f.root?.name === "layouts") for (const l of elements(f.root, "layout")) {
      layoutsByFolder[folder].set(l.attrs.id, new Set(l.children.filter((c) => c.attrs?.id).map((c) => c.attrs.id)));
    }
  }
  const usedLayouts = codeReferences(project).filter((r) => r.kind === "Layouts").map((r) => r.name);
  const drawableIds = project.sources.flatMap((s) => constantStrings(s.ast, /_IDS$/));
  for (const p of products) {
    const { folders, duplicates } = paths[p];
    for (const d of new Set(duplicates)) problems.push(`monkey.jungle: ${p} gets folder ${d} twice (the default jungle already adds it)`);
    for (const f of new Set(folders)) if (!(f in project.resources)) problems.push(`monkey.jungle: ${p} uses missing folder ${f}`);
    for (const l of usedLayouts) {
      const has = [...new Set(folders)].filter((f) => layoutsByFolder[f]?.has(l));
      if (has.length !== 1) problems.push(`${p}: layout ${l} defined ${has.length} times in ${folders.join(", ")}`);
    }
    const shape = project.devices[p]?.shape;
    if (shape && !folders.some((f) => f.endsWith(shape))) problems.push(`monkey.jungle: ${p} is ${shape} but uses ${folders.join(", ")}`);
  }
  for (const [folder, layouts] of Object.entries(layoutsByFolder)) {
    for (const [layout, drawn] of layouts) {
      for (const d of drawn) if (!drawableIds.includes(d)) problems.push(`${folder} layout ${layout}: drawable ${d} is never set by the code`);
    }
  }
  for (const d of drawableIds) {
    const anywhere = Object.values(layoutsByFolder).some((m) => [...m.values()].some((s) => s.has(d)));
    if (!anywhere) problems.push(`code: drawable id ${d} is in no layout`);
  }

  // FIT contributions name fields the code creates
  const fitIds = new Set();
  for (const { ast } of project.sources) walk(ast, (n) => {
    if (n.type === "NewExpression" && n.callee?.name === "FieldDefinition" && n.arguments?.[0]?.type === "Literal") fitIds.add(n.arguments[0].value);
  });
  for (const r of rootsNamed(project, "fitContributions")) {
    for (const f of elements(r.root, "fitField")) {
      if (!fitIds.has(Number(f.attrs.id))) problems.push(`${r.file}: fitField ${f.attrs.id} is not a field the code creates`);
    }
  }
  return problems;
}

export { textOf };
