// Performance peer: decodes FIT files with fit-file-parser (npm) for a fixed time and prints its
// throughput as JSON. Called by `nirssync bench decode` so both decoders run on the same files in
// the same run. (Garmin's SDK is not benchmarked: its licence forbids it.)
import { readFileSync } from 'node:fs';
import FitParser from 'fit-file-parser';

const args = process.argv.slice(2);
let seconds = 3;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--seconds') seconds = Number(args[++i]);
  else files.push(args[i]);
}
const buffers = files.map(f => readFileSync(f));
const bytesPerPass = buffers.reduce((n, b) => n + b.length, 0);
const parser = new FitParser({ force: true, mode: 'list' });
const pass = () => { for (const b of buffers) parser.parse(b, () => {}); };
pass(); // warm up the JIT
let passes = 0;
const start = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < seconds || passes < 3) {
  pass();
  passes++;
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
}
process.stdout.write(JSON.stringify({ decoder: 'fit-file-parser', files: files.length, bytes: bytesPerPass * passes, seconds: elapsed,
  mbPerSecond: bytesPerPass * passes / elapsed / 1e6 }) + '\n');
