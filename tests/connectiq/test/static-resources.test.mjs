import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { collectProject, checkProject } from "../lib/resources.mjs";
import { resourceXmlFiles, loadXml, loadJson } from "../lib/project.mjs";
import { parseXml, elements } from "../lib/xml.mjs";

test("manifest and every resource file are well-formed XML", () => {
  const files = resourceXmlFiles();
  assert.ok(files.length >= 7, `resource XML files: ${files.length}`);
  for (const f of files) assert.doesNotThrow(() => loadXml(f), f);
});

test("the XML parser rejects malformed documents with the line", () => {
  assert.throws(() => parseXml("<a>\n<b></a>"), /line 2: closing <\/a> does not match <b>/);
  assert.throws(() => parseXml("<a x=1/>"), /malformed attribute/);
  assert.throws(() => parseXml('<a x="1" x="2"/>'), /duplicate attribute x/);
  assert.throws(() => parseXml("<a></a><b/>"), /second root element/);
  assert.throws(() => parseXml("<a>"), /unclosed element <a>/);
  assert.throws(() => parseXml("<a>fish & chips</a>"), /bare '&'/);
  const ok = parseXml('<?xml version="1.0"?><!-- c --><a k="v &amp; w"><b>t</b></a>');
  assert.equal(ok.attrs.k, "v & w");
  assert.equal(elements(ok, "b").length, 1);
});

test("manifest, jungle, resources and code reference each other consistently", () => {
  assert.deepEqual(checkProject(collectProject()), []);
});

test("the manifest has the contract's application id and the two permissions", () => {
  const p = collectProject();
  const app = p.manifest.children.find((c) => c.name === "iq:application");
  assert.equal(app.attrs.id, "7a3c5e1f-2b4d-4c6e-9f80-a1b2c3d4e5f6");
  const doc = fs.readFileSync(new URL("../../../docs/fit-fields.md", import.meta.url), "utf8");
  assert.ok(doc.includes(app.attrs.id), "docs/fit-fields.md names the same id");
});

test("the device list names its source and only real-looking ids", () => {
  const data = loadJson("garmin-devices.json");
  assert.match(data.source, /Connect IQ SDK/);
  for (const [id, d] of Object.entries(data.devices)) {
    assert.match(id, /^[a-z0-9]+$/, id);
    assert.ok(["round", "rectangle", "semi-round", "semi-octagon"].includes(d.shape), `${id} shape`);
    assert.match(d.apiLevel, /^\d\.\d\.\d$/, `${id} api`);
  }
});

function broken(mutate) {
  const p = collectProject();
  mutate(p);
  return checkProject(p);
}

test("a product id that is not a Garmin device is rejected", () => {
  const problems = broken((p) => {
    const products = elements(p.manifest, "iq:products")[0];
    products.children.push({ name: "iq:product", attrs: { id: "edge9999" }, children: [] });
  });
  assert.ok(problems.some((x) => x.includes("product edge9999 is not a known Garmin device id")), problems.join("\n"));
});

test("a missing permission, string, property and layout are each reported", () => {
  const problems = broken((p) => {
    const perms = elements(p.manifest, "iq:permissions")[0];
    perms.children = perms.children.filter((c) => c.attrs?.id !== "Ant");
    for (const files of Object.values(p.resources)) for (const f of files) {
      if (f.root?.name === "strings") f.root.children = f.root.children.filter((c) => c.attrs?.id !== "StateSearching");
      if (f.root?.name === "properties") f.root.children = f.root.children.filter((c) => c.attrs?.id !== "side2");
      if (f.root?.name === "layouts" && f.file.includes("rectangle")) f.root.children = f.root.children.filter((c) => c.attrs?.id !== "Dual");
    }
  });
  const expect = [
    "permission Ant missing",
    "Strings.StateSearching is not defined",
    "property side2 is not in properties.xml",
    "edge540: layout Dual defined 0 times",
  ];
  for (const e of expect) assert.ok(problems.some((x) => x.includes(e)), `${e} not reported:\n${problems.join("\n")}`);
});

test("a drawable id in a layout that the code never sets is reported", () => {
  const problems = broken((p) => {
    const f = p.resources["resources-round"].find((x) => x.root?.name === "layouts");
    const dual = f.root.children.find((c) => c.attrs?.id === "Dual");
    dual.children.push({ name: "label", attrs: { id: "orphan" }, children: [] });
  });
  assert.ok(problems.some((x) => x.includes("drawable orphan is never set")), problems.join("\n"));
});
