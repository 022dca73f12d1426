// A memory estimate of the data field without the SDK (docs/connectiq.md, "Memory per product").
//   node tests/connectiq/harness/memory-estimate.mjs
// Data: the field runs 120 s in each display mode in the harness; then every object reachable from
// the application object (View, controller, receivers, statistics, buffers, FIT field handles,
// strings) is counted and priced with a stated model of the Connect IQ VM. Code: the release
// build's Monkey C (source/, no test/) counted in syntax-tree nodes and priced per node. Both models
// are assumptions, not measurements: the simulator's memory view of a real `monkeyc` build is the
// measurement (docs/connectiq.md lists it under what only the SDK can confirm).
import { Ride } from './ride.mjs';
import { MObject, MArray, MDict, MByteArray, MFloat, MDouble, MMethod } from './values.mjs';
import { fieldSources } from './program.mjs';
import { FIELD_ROOT } from './paths.mjs';
import { parsers } from '@markw65/prettier-plugin-monkeyc';
import { SimulatedMoxy } from './moxy.mjs';

// Price model (bytes). Connect IQ objects carry a header and a slot per member; every slot holds a
// tagged value; Long and Double are boxed; strings are UTF-8 with a header.
export const MODEL = { objectHeader: 24, slot: 8, arrayHeader: 16, stringHeader: 16, boxed: 16, dictEntry: 24 };
// Bytecode and tables per syntax-tree node of the source, low and high.
export const CODE_BYTES_PER_NODE = [2.5, 4.0];

export function dataEstimate(root) {
  const seen = new Set();
  const count = { objects: 0, arrays: 0, slots: 0, strings: 0, stringBytes: 0, boxed: 0, dictEntries: 0 };
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') { count.strings++; count.stringBytes += Buffer.byteLength(v); continue; }
    if (typeof v === 'bigint' || v instanceof MDouble) { count.boxed++; continue; }
    if (typeof v !== 'object' || v instanceof MFloat || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof MObject) {
      count.objects++;
      count.slots += v.fields.size;
      for (const x of v.fields.values()) stack.push(x);
      if (v.native?.layout) stack.push(...v.native.layout);
      if (typeof v.native?.text === 'string') stack.push(v.native.text);
    } else if (v instanceof MArray) { count.arrays++; count.slots += v.items.length; stack.push(...v.items); }
    else if (v instanceof MByteArray) { count.arrays++; count.stringBytes += v.bytes.length; }
    else if (v instanceof MDict) { count.dictEntries += v.map.size; for (const [k, x] of v.map.values()) stack.push(k, x); }
    else if (v instanceof MMethod) { count.objects++; count.slots += 2; stack.push(v.self); }
  }
  const bytes = count.objects * MODEL.objectHeader + count.arrays * MODEL.arrayHeader + count.slots * MODEL.slot
    + count.strings * MODEL.stringHeader + count.stringBytes + count.boxed * MODEL.boxed + count.dictEntries * MODEL.dictEntry;
  return { ...count, bytes };
}

export function codeEstimate(root = FIELD_ROOT) {
  let nodes = 0;
  const walk = (n) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(walk); return; }
    if (typeof n.type === 'string') nodes++;
    for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'range') walk(v);
  };
  const files = fieldSources(root);
  for (const f of files) walk(parsers.monkeyc.parse(f.text, {}));
  return { files: files.length, nodes, bytes: CODE_BYTES_PER_NODE.map((b) => Math.round(nodes * b)) };
}

export function estimate(root = FIELD_ROOT) {
  const modes = {};
  for (const [mode, name] of [[0, 'sensors'], [1, 'balance'], [2, 'assessment']]) {
    const sensors = [665, 2001].map((n) => new SimulatedMoxy({ deviceNumber: n, profile: () => ({ smo2: 60, thb: 12 }), interval: 1, utcRequired: false }));
    const ride = new Ride({ root, properties: { device1: 665, device2: 2001, mode }, sensors });
    ride.runUntil(120, [{ t: 5, type: 'start' }]);
    modes[name] = dataEstimate(ride.app);
  }
  return { code: codeEstimate(root), data: modes };
}

if (process.argv[1] && process.argv[1].endsWith('memory-estimate.mjs')) {
  console.log(JSON.stringify(estimate(), null, 1));
}
