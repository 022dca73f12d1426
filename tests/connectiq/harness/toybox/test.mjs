// Toybox.Test: the assertions and Logger a `(:test)` function receives.
import { MObject, equals, toMonkeyString, typeName } from '../values.mjs';
import { nativeClass, nativeFunctions, MonkeyThrow } from '../runtime.mjs';

export class AssertionFailed extends Error {
  constructor(message) { super(message); this.name = 'AssertionFailed'; }
}

export function installTest(toybox, lang) {
  const test = toybox.child('Test');
  const logger = nativeClass(test, 'Logger', {
    extends: lang.members.get('Object'),
    methods: {
      debug: (i, self, [s]) => { self.native.lines.push('DEBUG ' + toMonkeyString(s)); return null; },
      warning: (i, self, [s]) => { self.native.lines.push('WARNING ' + toMonkeyString(s)); return null; },
      error: (i, self, [s]) => { self.native.lines.push('ERROR ' + toMonkeyString(s)); return null; },
    },
  });
  const assertionException = nativeClass(test, 'AssertException', { extends: lang.members.get('Exception') });
  const fail = (message) => {
    const e = new MObject(assertionException);
    e.fields.set('mMessage', message);
    throw new MonkeyThrow(e, 'ASSERTION FAILED: ' + message);
  };
  const show = (v) => `${toMonkeyString(v)} (${typeName(v)})`;
  nativeFunctions(test, {
    assert: (i, s, [c]) => { if (c !== true) fail('assert'); return null; },
    assertMessage: (i, s, [c, m]) => { if (c !== true) fail(toMonkeyString(m)); return null; },
    assertEqual: (i, s, [a, b]) => { if (!equals(a, b)) fail(`expected ${show(a)} to equal ${show(b)}`); return null; },
    assertEqualMessage: (i, s, [a, b, m]) => { if (!equals(a, b)) fail(`${toMonkeyString(m)}: ${show(a)} != ${show(b)}`); return null; },
    assertNotEqual: (i, s, [a, b]) => { if (equals(a, b)) fail(`expected ${show(a)} to differ from ${show(b)}`); return null; },
    assertNotEqualMessage: (i, s, [a, b, m]) => { if (equals(a, b)) fail(`${toMonkeyString(m)}: ${show(a)} == ${show(b)}`); return null; },
  });
  return { test, logger };
}

export function newLogger(logger) {
  const l = new MObject(logger);
  l.native.lines = [];
  return l;
}
