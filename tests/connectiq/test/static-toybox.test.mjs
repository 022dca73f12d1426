import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { loadSources, loadJson, parseMonkeyC, projectRoot } from "../lib/project.mjs";
import { toyboxUsage, checkToyboxUsage, compareLevels, reachableAllocations, allFunctions, unqualifiedLangTypeChecks } from "../lib/monkeyc.mjs";
import { parseXml } from "../lib/xml.mjs";

const api = loadJson("toybox-api.json").symbols;
const KEYWORDS = ["Null", "Void"];
const sources = loadSources();

function snippet(text) {
  return [{ file: "snippet.mc", text, ast: parseMonkeyC(text) }];
}

test("every Toybox symbol the field uses is in the checked API list", () => {
  const result = checkToyboxUsage(toyboxUsage(sources), api, { keywords: KEYWORDS });
  assert.deepEqual(result.problems, []);
  for (const s of ["Toybox.Ant.GenericChannel", "Toybox.FitContributor.Field", "Toybox.WatchUi.DataField#createField"]) {
    assert.ok(result.used.has(s), `${s} recognised as used`);
  }
});

test("the manifest's minApiLevel covers every symbol used and no product is below it", () => {
  const manifest = parseXml(fs.readFileSync(path.join(projectRoot, "manifest.xml"), "utf8"));
  const app = manifest.children.find((c) => c.name === "iq:application");
  const min = app.attrs.minApiLevel;
  const { maxLevel } = checkToyboxUsage(toyboxUsage(sources), api, { keywords: KEYWORDS });
  assert.ok(compareLevels(maxLevel, "3.1.0") >= 0, `ByteArray.decodeNumber needs 3.1.0, computed ${maxLevel}`);
  assert.ok(compareLevels(min, maxLevel) >= 0, `minApiLevel ${min} below the code's ${maxLevel}`);
  const devices = loadJson("garmin-devices.json").devices;
  for (const c of app.children.find((c) => c.name === "iq:products").children.filter((c) => c.name === "iq:product")) {
    const d = devices[c.attrs.id];
    assert.ok(d, `product ${c.attrs.id} unknown`);
    assert.ok(compareLevels(d.apiLevel, min) >= 0, `${c.attrs.id} runs API ${d.apiLevel} < minApiLevel ${min}`);
  }
});

test("the checker rejects an unknown Toybox symbol, name and member", () => {
  const bad = snippet(`import Toybox.Ant;
module X { function f(c as Ant.GenericChannel) as Void { c.openWide(); Ant.MSG_ID_TELEPORT; unknownGlobal(); } }`);
  const { problems } = checkToyboxUsage(toyboxUsage(bad), api, { keywords: KEYWORDS });
  assert.ok(problems.some((p) => p.includes("Toybox.Ant.MSG_ID_TELEPORT")), problems.join("\n"));
  assert.ok(problems.some((p) => p.includes(".openWide")), problems.join("\n"));
  assert.ok(problems.some((p) => p.includes("unknownGlobal")), problems.join("\n"));
});

test("the checker raises the required level for newer APIs", () => {
  const newer = snippet(`import Toybox.Lang;
module X { function f(b as ByteArray) as Numeric { return b.decodeNumber(Lang.NUMBER_FORMAT_FLOAT, {}); } }`);
  const older = snippet(`import Toybox.Lang;
module X { function f(a as Array<Number>) as Number { return a.size(); } }`);
  assert.equal(checkToyboxUsage(toyboxUsage(newer), api).maxLevel, "3.1.0");
  assert.equal(checkToyboxUsage(toyboxUsage(older), api).maxLevel, "1.0.0");
});

test("the API list is well formed", () => {
  for (const [symbol, level] of Object.entries(api)) {
    assert.match(symbol, /^Toybox\.[A-Z]\w*(\.\w+)*(#\w+)?$/, symbol);
    assert.match(level, /^\d+\.\d+\.\d+$/, `${symbol} level`);
  }
});

test("compute() allocates nothing, following the calls it makes", () => {
  const entry = allFunctions(sources).find((f) => f.className === "NirsFieldView" && f.name === "compute");
  assert.ok(entry, "NirsFieldView.compute exists");
  // The one allocating path compute() can reach is MoxySensor.open(): a channel retry or the next
  // search after a rest, which MoxyReceiver.tick() allows at most every RETRY_FIRST_S (5) seconds
  // (scenario "a channel that frees up later is acquired by a backed-off retry"), never per second.
  const all = reachableAllocations(sources, entry).problems;
  assert.ok(all.length > 0 && all.every((p) => p.includes("MoxySensor.open:")), all.join("\n"));
  const { problems, visited } = reachableAllocations(sources, entry, new Set(["open"]));
  assert.deepEqual(problems, []);
  assert.ok(visited >= 8, `followed ${visited} functions (compute, recordSample, add, toUint16, ...)`);
});

test("the allocation check finds allocations behind a call", () => {
  const text = `module X { class V { function compute() as Void { helper(); } function helper() as Void { var a = [1, 2]; var s = "t" + 1; var o = new Object(); } } }`;
  const src = snippet(text);
  const entry = allFunctions(src).find((f) => f.name === "compute");
  const { problems } = reachableAllocations(src, entry);
  assert.equal(problems.length, 3, problems.join("\n"));
});

test("the View forwards every timer event to the controller", () => {
  const view = sources.find((s) => s.file === path.join("source", "NirsFieldView.mc"));
  for (const name of ["onTimerStart", "onTimerPause", "onTimerResume", "onTimerStop", "onTimerLap", "onTimerReset"]) {
    assert.match(view.text, new RegExp(`function ${name}\\(\\) as Void \\{\\s*_controller\\.${name}\\(\\);`), name);
  }
  assert.doesNotMatch(view.text, /createField|setData/, "the View does no FIT writing itself");
});

test("instanceof names Toybox.Lang types with their module (defect 3: Lang.Number, not Number)", () => {
  assert.deepEqual(unqualifiedLangTypeChecks(sources), []);
  const bad = snippet("import Toybox.Lang;\nmodule X {\n function f(r) { return r instanceof Number || r instanceof Lang.Float; } }");
  assert.deepEqual(unqualifiedLangTypeChecks(bad), ["snippet.mc:3 Number"]);
});
