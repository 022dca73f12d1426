import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { monkeyCFiles, parseMonkeyC } from "../lib/project.mjs";

test("the data field has its source and (:test) files", () => {
  const files = monkeyCFiles();
  assert.ok(files.some((f) => f.endsWith("source/NirsFieldView.mc")), "View present");
  assert.ok(files.filter((f) => f.includes("/test/")).length >= 5, `test files: ${files.length}`);
});

for (const file of monkeyCFiles()) {
  test(`${file.split("/connectiq/")[1]} parses with the Monkey C parser`, () => {
    const ast = parseMonkeyC(fs.readFileSync(file, "utf8"), file);
    assert.equal(ast.type, "Program");
    assert.ok(ast.body.length > 0, "file declares something");
  });
}

test("the parser rejects broken Monkey C and names the file", () => {
  assert.throws(() => parseMonkeyC("class A { function f( { }", "broken.mc"), /broken\.mc/);
  assert.throws(() => parseMonkeyC("module M { var x = ; }", "broken2.mc"), /broken2\.mc/);
});

test("every (:test) function takes a Test.Logger and returns Boolean", () => {
  let count = 0;
  for (const file of monkeyCFiles().filter((f) => f.includes("/test/"))) {
    const text = fs.readFileSync(file, "utf8");
    const re = /\(:test\)\s*function\s+(\w+)\s*\(([^)]*)\)\s*as\s+(\w+)/g;
    for (const m of text.matchAll(re)) {
      count++;
      assert.match(m[2], /^\s*logger as Test\.Logger\s*$/, `${m[1]} parameter`);
      assert.equal(m[3], "Boolean", `${m[1]} return type`);
    }
  }
  assert.ok(count >= 30, `expected at least 30 (:test) functions, found ${count}`);
});

test("(:test) functions assert with messages only", () => {
  for (const file of monkeyCFiles().filter((f) => f.includes("/test/"))) {
    const text = fs.readFileSync(file, "utf8");
    assert.doesNotMatch(text, /Test\.assert(Equal|NotEqual)?\(/, `${file} uses an assertion without a message`);
  }
});
