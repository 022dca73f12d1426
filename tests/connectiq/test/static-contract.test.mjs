import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { repoRoot, loadSources } from "../lib/project.mjs";
import { fieldsFromDoc, fieldsFromSource, compareFields, declaredSizes, sizeOf, codeTablesFromDoc } from "../lib/contract.mjs";
import { numericConstants, constantStrings } from "../lib/monkeyc.mjs";
import { collectProject } from "../lib/resources.mjs";
import { elements, textOf } from "../lib/xml.mjs";

const doc = fs.readFileSync(path.join(repoRoot, "docs", "fit-fields.md"), "utf8");
const sources = loadSources();
const contractSource = sources.find((s) => s.file === path.join("source", "FitContract.mc"));
const settingsSource = sources.find((s) => s.file === path.join("source", "Settings.mc"));

test("FitContract.mc declares exactly the fields of docs/fit-fields.md", () => {
  const fromDoc = fieldsFromDoc(doc);
  const fromCode = fieldsFromSource(contractSource.ast);
  assert.equal(fromDoc.length, 49, "doc fields");
  assert.deepEqual(compareFields(fromDoc, fromCode), []);
});

test("sensor 1 record fields carry native 57 and 54; nothing else is native", () => {
  const natives = fieldsFromSource(contractSource.ast).filter((f) => f.nativeNum >= 0).map((f) => [f.id, f.nativeNum]);
  assert.deepEqual(natives, [[0, 57], [1, 54]]);
});

test("every message stays inside the 32-byte data field budget and matches the doc's sizes", () => {
  const fields = fieldsFromSource(contractSource.ast);
  const sizes = declaredSizes(doc);
  for (const mesg of [20, 19, 18]) {
    assert.ok(sizeOf(fields, mesg) <= 32, `message ${mesg}: ${sizeOf(fields, mesg)} bytes`);
    assert.equal(sizeOf(fields, mesg), sizes[mesg], `message ${mesg} size in the doc`);
  }
});

test("slot tables of FitContract.mc point at fields of the right slot", () => {
  const fields = new Map(fieldsFromSource(contractSource.ast).map((f) => [f.id, f]));
  const text = contractSource.text;
  const table = (name) => JSON.parse(text.match(new RegExp(`const ${name} = (\\[[^\\]]*\\])`))[1]);
  const expectName = (id, name) => assert.equal(fields.get(id)?.name, name, `field ${id}`);
  table("RECORD_SMO2").forEach((id, slot) => expectName(id, `smo2_${slot + 1}`));
  table("RECORD_THB").forEach((id, slot) => expectName(id, `thb_${slot + 1}`));
  table("LAP_FIRST").forEach((id, slot) => {
    ["smo2_avg", "smo2_min", "smo2_max", "thb_avg", "thb_min", "thb_max"].forEach((s, k) => expectName(id + k, `lap_${s}_${slot + 1}`));
  });
  table("SESSION_FIRST").forEach((id, slot) => {
    ["smo2_avg", "smo2_min", "smo2_max", "thb_avg", "thb_min", "thb_max"].forEach((s, k) => expectName(id + k, `ses_${s}_${slot + 1}`));
  });
  table("IDENTITY_FIRST").forEach((id, slot) => {
    ["muscle", "side", "device"].forEach((s, k) => expectName(id + k, `${s}_${slot + 1}`));
  });
});

test("muscle and side codes match the doc, the code and the settings lists", () => {
  const { muscles, sides } = codeTablesFromDoc(doc);
  assert.equal(muscles.size, 12, "doc muscle codes");
  const c = numericConstants(settingsSource.ast, "Muscle");
  const side = numericConstants(settingsSource.ast, "Side");
  const expected = {
    VASTUS_LATERALIS: "vastus lateralis", VASTUS_MEDIALIS: "vastus medialis", RECTUS_FEMORIS: "rectus femoris",
    BICEPS_FEMORIS: "biceps femoris", SEMITENDINOSUS: "semitendinosus", GASTROCNEMIUS_MEDIAL: "gastrocnemius, medial head",
    GASTROCNEMIUS_LATERAL: "gastrocnemius, lateral head", TIBIALIS_ANTERIOR: "tibialis anterior",
    GLUTEUS_MAXIMUS: "gluteus maximus", GLUTEUS_MEDIUS: "gluteus medius", DELTOID: "deltoid",
  };
  for (const [name, text] of Object.entries(expected)) assert.equal(muscles.get(c[name]), text, `${name} = ${c[name]}`);
  assert.equal(c.LAST, 11);
  assert.equal(sides.get(side.LEFT), "left");
  assert.equal(sides.get(side.RIGHT), "right");
  assert.equal(sides.get(side.UNKNOWN), "unknown");
  assert.equal(constantStrings(settingsSource.ast, /^ABBREVIATIONS$/).length, 12, "an abbreviation per code");

  const project = collectProject();
  const strings = new Map();
  for (const files of Object.values(project.resources)) for (const f of files) {
    if (f.root?.name === "strings") for (const s of elements(f.root, "string")) strings.set(s.attrs.id, textOf(s));
  }
  const muscleSetting = project.resources.resources
    .filter((f) => f.root?.name === "settings")
    .flatMap((f) => elements(f.root, "setting"))
    .find((s) => s.attrs.propertyKey === "@Properties.muscle1");
  const entries = elements(muscleSetting, "listEntry");
  assert.equal(entries.length, 12);
  for (const e of entries.slice(1)) {
    const label = strings.get(textOf(e).replace("@Strings.", "")).toLowerCase();
    assert.equal(label, muscles.get(Number(e.attrs.value)), `list entry ${e.attrs.value}`);
  }
});

test("a contract drift is reported field by field", () => {
  const fromDoc = fieldsFromDoc(doc);
  const drifted = fromDoc.map((f) => (f.id === 1 ? { ...f, nativeNum: 57 } : f)).filter((f) => f.id !== 55);
  drifted.push({ id: 70, name: "extra", type: "uint8", units: "", mesg: 18, nativeNum: -1, scale: 1 });
  const problems = compareFields(fromDoc, drifted);
  assert.deepEqual(problems, [
    "field 1 thb_1: nativeNum is 57 in the code, 54 in the doc",
    "field 55 device_2: in the doc, not in the code",
    "field 70 extra: in the code, not in the doc",
  ]);
});

test("the doc parser rejects a malformed contract row", () => {
  const bad = "### lap (19): 24 bytes\n\n| id | name | type | units | scale | meaning |\n|---|---|---|---|---|---|\n| x | a | uint16 | % | 10 | m |\n";
  assert.throws(() => fieldsFromDoc(bad), /bad contract row/);
});
