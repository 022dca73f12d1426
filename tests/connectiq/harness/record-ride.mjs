// Records a scenario ride and writes the field's FIT developer data as JSON (shape in README.md):
//   node tests/connectiq/harness/record-ride.mjs --out ride.json [--scenario one-hour|balance|assessment|four-sensor]
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runOneHourRide } from '../scenarios/one-hour-ride.mjs';
import { runBalanceRide } from '../scenarios/balance-ride.mjs';
import { runAssessmentRide } from '../scenarios/assessment-ride.mjs';
import { runFourSensorRide } from '../scenarios/four-sensor-ride.mjs';

export const SCENARIOS = {
  'one-hour': runOneHourRide, balance: runBalanceRide, assessment: runAssessmentRide, 'four-sensor': runFourSensorRide,
};

// options: { root } to record another checkout of the field (default: <repo>/connectiq);
// scenario: one of SCENARIOS (default the reference one-hour ride).
export function recordRide(options = {}, scenario = 'one-hour') {
  const run = SCENARIOS[scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  return run(options).ride.toJson();
}

function usage(message) {
  process.stderr.write(`${message}\nusage: node tests/connectiq/harness/record-ride.mjs --out <file.json> [--root <connectiq folder>] [--scenario one-hour|balance|assessment|four-sensor]\n`);
  process.exit(2);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let out = null, root = null, scenario = 'one-hour';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i];
    else if (args[i] === '--root') root = args[++i];
    else if (args[i] === '--scenario') scenario = args[++i];
    else usage(`unknown argument ${args[i]}`);
  }
  if (!out) usage('--out is required');
  if (!SCENARIOS[scenario]) usage(`unknown scenario ${scenario}`);
  const json = recordRide(root ? { root: path.resolve(root) } : {}, scenario);
  fs.writeFileSync(out, JSON.stringify(json, null, 1) + '\n');
  process.stdout.write(`wrote ${json.records.length} records, ${json.laps.length} laps and the session to ${out}\n`);
}
