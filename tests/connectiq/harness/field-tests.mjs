// Runs the data field's own (:test) functions the way `monkeyc -t` + the simulator do: each
// function gets a Test.Logger and passes when it returns true without an uncaught exception.
import { loadField } from './program.mjs';
import { newLogger } from './toybox/test.mjs';
import { MonkeyThrow } from './runtime.mjs';
import { toMonkeyString, typeName, MObject } from './values.mjs';

export function listFieldTests(root) {
  const rt = loadField(root, { tests: true });
  return rt.interp.testFunctions.map((f) => f.fullName);
}

export class FieldTestFailure extends Error {
  constructor(name, message, log) {
    super(`${name}: ${message}${log.length ? '\nlogger:\n  ' + log.join('\n  ') : ''}`);
    this.name = 'FieldTestFailure';
  }
}

// Runs one test function in a fresh device and interpreter; throws FieldTestFailure on failure.
export function runFieldTest(root, fullName) {
  const rt = loadField(root, { tests: true });
  const fn = rt.interp.testFunctions.find((f) => f.fullName === fullName);
  if (!fn) throw new Error(`no (:test) function ${fullName} in ${root}`);
  const logger = newLogger(rt.logger);
  let result;
  try {
    result = rt.interp.callFunction(fn, null, [logger]);
  } catch (e) {
    if (e instanceof MonkeyThrow) {
      const v = e.value;
      const msg = v instanceof MObject && v.cls.findMethod('getErrorMessage')
        ? rt.interp.callFunction(v.cls.findMethod('getErrorMessage'), v, []) : null;
      throw new FieldTestFailure(fullName, `uncaught ${typeName(v)}${msg !== null ? ': ' + toMonkeyString(msg) : ''}`, logger.native.lines);
    }
    throw new FieldTestFailure(fullName, e.message, logger.native.lines);
  }
  if (result !== true) throw new FieldTestFailure(fullName, `returned ${toMonkeyString(result)}, a passing test returns true`, logger.native.lines);
  return { log: logger.native.lines, output: rt.interp.output };
}
