// Records the reference one-hour ride and writes the field's FIT developer data as JSON
// (shape in README.md):  node tests/connectiq/harness/record-ride.mjs --out ride.json
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runOneHourRide } from '../scenarios/one-hour-ride.mjs';

// options: { root } to record another checkout of the field (default: <repo>/connectiq).
export function recordRide(options = {}) {
  return runOneHourRide(options).ride.toJson();
}

function usage(message) {
  process.stderr.write(`${message}\nusage: node tests/connectiq/harness/record-ride.mjs --out <file.json> [--root <connectiq folder>]\n`);
  process.exit(2);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let out = null, root = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i];
    else if (args[i] === '--root') root = args[++i];
    else usage(`unknown argument ${args[i]}`);
  }
  if (!out) usage('--out is required');
  const json = recordRide(root ? { root: path.resolve(root) } : {});
  fs.writeFileSync(out, JSON.stringify(json, null, 1) + '\n');
  process.stdout.write(`wrote ${json.records.length} records, ${json.laps.length} laps and the session to ${out}\n`);
}
