// Second, independent check of the Monkey C: @markw65/monkeyc-optimizer's analysis (its own parser,
// jungle and resource compiler emulation, symbol resolution and type checker at its strictest:
// typeCheckLevel Strict, strictTypeCheck On, invalid symbols, type errors and compiler lookup-rule
// problems all reported as errors) against the Toybox declarations this project wrote from Garmin's
// API documentation (data/optimizer-sdk/.../bin/api.mir). Planted mistakes in a copy of the field
// show that each kind of check has teeth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeField, SDK_DIR } from '../lib/optimizer.mjs';
import { loadJson } from '../lib/project.mjs';

const show = (d) => d.map((x) => `${x.severity} ${x.product}${x.testBuild ? ' (test build)' : ''} ${x.file}:${x.line} ${x.message}`).join('\n');
const edit = (dir, file, from, to) => {
  const f = path.join(dir, file);
  const text = fs.readFileSync(f, 'utf8');
  assert.ok(text.includes(from), `${file} contains ${from}`);
  fs.writeFileSync(f, text.replace(from, to));
};
const planted = (mutate) => analyzeField({ products: ['edge840'], builds: [false], mutate });

test('optimizer: the field has no diagnostic at strict type checking (release and test builds, round and rectangle)', async () => {
  const d = await analyzeField({ products: ['edge840', 'fr255s'] });
  assert.deepEqual(d, [], show(d));
});

test('optimizer: a call of a GenericChannel method that does not exist is an error', async () => {
  const d = await planted((dir) => edit(dir, 'source/MoxySensor.mc', 'if (channel.open()) {', 'if (channel.openWide()) {'));
  assert.ok(d.some((x) => x.severity === 'ERROR' && x.file === 'source/MoxySensor.mc' && /openWide/.test(x.message)), show(d));
});

test('optimizer: a wrong argument count, to our own function and to a Toybox one, is an error', async () => {
  const d = await planted((dir) => {
    edit(dir, 'source/MoxySensor.mc', 'MoxyPages.setTimeCommand(Time.now().value(), clock.timeZoneOffset)', 'MoxyPages.setTimeCommand(Time.now().value(), clock.timeZoneOffset, 0)');
    edit(dir, 'source/NirsFieldView.mc', 'Attention.playTone(Attention.TONE_ALERT_HI);', 'Attention.playTone(Attention.TONE_ALERT_HI, 2);');
  });
  assert.ok(d.some((x) => x.severity === 'ERROR' && /setTimeCommand expects 2 arguments, but got 3/.test(x.message)), show(d));
  assert.ok(d.some((x) => x.severity === 'ERROR' && /playTone expects 1 arguments?, but got 2/.test(x.message)), show(d));
});

test('optimizer: a Toybox call with an argument of the wrong type is an error', async () => {
  const d = await planted((dir) => edit(dir, 'source/NirsFieldView.mc', 'Attention.playTone(Attention.TONE_ALERT_HI);', 'Attention.playTone("high");'));
  assert.ok(d.some((x) => x.severity === 'ERROR' && /playTone expected to be Number/.test(x.message)), show(d));
});

test('optimizer: a string resource missing from the resources is an error', async () => {
  const d = await planted((dir) => edit(dir, 'resources/strings/strings.xml', '<string id="StateIdle">No sensor found</string>', ''));
  assert.ok(d.some((x) => x.severity === 'ERROR' && /Rez\.Strings\.StateIdle/.test(x.message)), show(d));
});

test('optimizer: the Toybox declarations cover the checked API list (a module or class of every symbol used)', () => {
  const mir = fs.readFileSync(path.join(SDK_DIR, 'bin', 'api.mir'), 'utf8');
  const api = loadJson('toybox-api.json').symbols;
  const missing = [];
  for (const symbol of Object.keys(api)) {
    const name = symbol.split(/[.#]/).at(-1);
    if (!new RegExp(`\\b(module|class|function|const|var|typedef) ${name}\\b`).test(mir)) missing.push(symbol);
  }
  assert.deepEqual(missing, []);
});
