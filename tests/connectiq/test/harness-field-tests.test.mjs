// The data field's own (:test) functions (connectiq/test/*.mc, connectiq/source), executed by the
// interpreter against the mock Toybox: one node:test result per Monkey C test function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listFieldTests, runFieldTest } from '../harness/field-tests.mjs';
import { FIELD_ROOT } from '../harness/paths.mjs';

const names = listFieldTests(FIELD_ROOT);

test('the data field has (:test) functions to run', () => {
  assert.ok(names.length >= 10, `found ${names.length} (:test) functions in ${FIELD_ROOT}`);
});

for (const name of names) {
  test(`Monkey C ${name}`, () => {
    runFieldTest(FIELD_ROOT, name);
  });
}
