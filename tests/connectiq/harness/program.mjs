// Loading Monkey C programs: source discovery, parse caching, settings from properties.xml and
// the application id from manifest.xml.
import fs from 'node:fs';
import path from 'node:path';
import { createRuntime, Device } from './device.mjs';
import { MFloat } from './values.mjs';
import { HarnessError } from './runtime.mjs';
import { installResources, readResources } from './toybox/resources.mjs';

export function listMonkeyC(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listMonkeyC(p));
    else if (e.name.endsWith('.mc')) out.push(p);
  }
  return out.sort();
}

// Sources of the data field: connectiq/source/**.mc, plus connectiq/test/**.mc for test builds.
export function fieldSources(root, { tests = false } = {}) {
  const dirs = [path.join(root, 'source'), ...(tests ? [path.join(root, 'test')] : [])];
  return dirs.flatMap(listMonkeyC).map((p) => ({ path: path.relative(path.dirname(root), p), text: fs.readFileSync(p, 'utf8') }));
}

// Default values of the settings declared in resources*/**/properties.xml.
export function readProperties(root) {
  const props = new Map();
  const files = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.xml')) files.push(p);
    }
  };
  for (const e of fs.existsSync(root) ? fs.readdirSync(root) : []) if (e.startsWith('resources')) walk(path.join(root, e));
  for (const f of files) {
    const xml = fs.readFileSync(f, 'utf8');
    for (const m of xml.matchAll(/<property\s+([^>]*?)>([^<]*)<\/property>/g)) {
      const id = /id="([^"]+)"/.exec(m[1]);
      const type = /type="([^"]+)"/.exec(m[1]);
      if (!id || !type) throw new HarnessError(`${f}: a property needs id and type`);
      const raw = m[2].trim();
      let v;
      switch (type[1]) {
        case 'number': v = Number.parseInt(raw, 10) | 0; break;
        case 'float': v = new MFloat(Number.parseFloat(raw)); break;
        case 'boolean': v = raw === 'true'; break;
        case 'string': v = raw; break;
        default: throw new HarnessError(`${f}: property ${id[1]} has unknown type ${type[1]}`);
      }
      props.set(id[1], v);
    }
  }
  return props;
}

export function readApplicationId(root) {
  const f = path.join(root, 'manifest.xml');
  if (!fs.existsSync(f)) throw new HarnessError(`${f} does not exist`);
  const m = /<iq:application\b[^>]*\bid="([^"]+)"/.exec(fs.readFileSync(f, 'utf8'));
  if (!m) throw new HarnessError(`${f} has no <iq:application id="...">`);
  return m[1];
}

// A runtime with the given sources loaded and linked.
export function loadProgram(sources, { exclude = [], device = new Device() } = {}) {
  const rt = createRuntime({ exclude, device });
  for (const s of sources) rt.interp.load(s.text, s.path);
  rt.interp.link();
  return rt;
}

// The data field in `root` (a connectiq/ folder) loaded into a fresh simulated device:
// sources (with test/ when tests is true), settings defaults, strings and layouts of `shape`.
// The Garmin device table (shapes, screens, memory) the jungle and the products use.
export const DEVICES = JSON.parse(fs.readFileSync(new URL('../data/garmin-devices.json', import.meta.url), 'utf8')).devices;
export const DEFAULT_PRODUCT = { round: 'fenix7', rectangle: 'edge840' };

export function loadField(root, { tests = false, shape = 'round', product = null, device = null, deviceOptions = {} } = {}) {
  if (!fs.existsSync(path.join(root, 'source'))) throw new HarnessError(`${root}/source does not exist: no data field to run`);
  const dev = device ?? new Device({ properties: readProperties(root), ...deviceOptions });
  const rt = createRuntime({ exclude: tests ? ['release'] : ['test', 'debug'], device: dev });
  const p = product ?? DEFAULT_PRODUCT[shape];
  if (!DEVICES[p]) throw new HarnessError(`unknown product ${p}`);
  installResources(rt.interp, dev, readResources(root, p, DEVICES));
  for (const s of fieldSources(root, { tests })) rt.interp.load(s.text, s.path);
  rt.interp.link();
  return rt;
}
