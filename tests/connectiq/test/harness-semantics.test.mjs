// Monkey C language semantics of the interpreter, each checked against the value the Monkey C
// language reference documents (Number = signed 32-bit, Long = 64-bit `l`, Float = 32-bit,
// Double = 64-bit `d`; mixed arithmetic promotes to the wider type).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProgram } from '../harness/program.mjs';
import { typeName, toMonkeyString, MFloat, MDouble } from '../harness/values.mjs';
import { MonkeyCrash } from '../harness/values.mjs';
import { MonkeyThrow, HarnessError } from '../harness/runtime.mjs';

function run(body, extra = '') {
  const rt = loadProgram([{ path: 'sem.mc', text: `import Toybox.Lang;\nusing Toybox.System;\n${extra}\nfunction main() {\n${body}\n}` }]);
  return { value: rt.interp.callFunction(rt.interp.global.members.get('main'), null, []), rt };
}
function value(expr, extra) { return run(`return ${expr};`, extra).value; }
function typed(expr, type, shown, extra) {
  const v = value(expr, extra);
  assert.equal(typeName(v), type, `${expr} should be a ${type}`);
  assert.equal(toMonkeyString(v), shown, `${expr}`);
}

test('integer division of Numbers truncates: 7 / 2 == 3 and -7 / 2 == -3', () => {
  typed('7 / 2', 'Number', '3');
  typed('-7 / 2', 'Number', '-3');
});
test('Number addition wraps around at 32 bits', () => {
  typed('2147483647 + 1', 'Number', '-2147483648');
  typed('(-2147483647 - 1) - 1', 'Number', '2147483647');
});
test('Number multiplication wraps around at 32 bits', () => {
  typed('65536 * 65536', 'Number', '0');
  typed('123456789 * 1000', 'Number', '-1097262584');
});
test('Long arithmetic is 64-bit and wraps at 64 bits', () => {
  typed('2147483647l + 1', 'Long', '2147483648');
  typed('9223372036854775807l + 1', 'Long', '-9223372036854775808');
});
test('Number combined with Long gives Long', () => {
  typed('5 + 5l', 'Long', '10');
  typed('2147483647 * 2l', 'Long', '4294967294');
});
test('Float division: 1.0f / 3 is a 32-bit Float', () => {
  const v = value('1.0f / 3');
  assert.ok(v instanceof MFloat);
  assert.equal(v.v, Math.fround(1 / 3));
  assert.notEqual(v.v, 1 / 3);
});
test('a decimal literal without suffix is a Float, with d a Double', () => {
  typed('2.5', 'Float', '2.500000');
  typed('2.5d', 'Double', '2.500000');
});
test('Number combined with Float gives Float', () => {
  typed('1 + 1.5', 'Float', '2.500000');
  typed('7 / 2.0', 'Float', '3.500000');
});
test('Float combined with Double gives Double at double precision', () => {
  const v = value('0.1d + 0.2f');
  assert.ok(v instanceof MDouble);
  assert.equal(v.v, 0.1 + Math.fround(0.2));
});
test('Float keeps only 24 bits of mantissa: 16777216.0f + 1 == 16777216.0f', () => {
  assert.equal(value('16777216.0f + 1 == 16777216.0f'), true);
  assert.equal(value('16777216.0d + 1 == 16777216.0d'), false);
});
test('% of Numbers keeps the sign of the dividend', () => {
  typed('7 % 3', 'Number', '1');
  typed('-7 % 3', 'Number', '-1');
  typed('7 % -3', 'Number', '1');
  typed('10l % 4', 'Long', '2');
});
test('% on a Float is an unexpected type error', () => {
  assert.throws(() => value('7.5 % 2'), (e) => e instanceof MonkeyCrash && /%/.test(e.message));
});
test('shifts: << wraps into the sign bit, >> is arithmetic', () => {
  typed('1 << 31', 'Number', '-2147483648');
  typed('-16 >> 2', 'Number', '-4');
  typed('0x80 >> 4', 'Number', '8');
  typed('1l << 40', 'Long', '1099511627776');
});
test('bitwise & | ^ ~ on Numbers and Longs', () => {
  typed('0xF0 & 0x3C', 'Number', '48');
  typed('0xF0 | 0x0F', 'Number', '255');
  typed('0xFF ^ 0x0F', 'Number', '240');
  typed('~0', 'Number', '-1');
  typed('0xFFl & 0x0F', 'Long', '15');
});
test('hex literal 0xFFFFFFFF is the Number -1', () => {
  typed('0xFFFFFFFF', 'Number', '-1');
});
test('integer division by zero crashes the app', () => {
  assert.throws(() => value('1 / 0'), (e) => e instanceof MonkeyCrash && /Divide By Zero/.test(e.message));
});
test('comparisons compare across numeric types', () => {
  assert.equal(value('3 == 3.0'), true);
  assert.equal(value('3l < 3.5d'), true);
  assert.equal(value('2 != 2l'), false);
});
test('string concatenation formats Floats with six decimals and null as "null"', () => {
  typed('"v=" + 1.5f + " n=" + null + " b=" + true', 'String', 'v=1.500000 n=null b=true');
});
test('Number.format and Float.format follow printf', () => {
  typed('(3.14159).format("%.1f")', 'String', '3.1');
  typed('(7).format("%03d")', 'String', '007');
  typed('(255).format("%02X")', 'String', 'FF');
  typed('Lang.format("$1$-$2$", [1, "a"])', 'String', '1-a');
});
test('conversions: toNumber truncates, toFloat/toLong/toDouble change the type', () => {
  typed('(2.9).toNumber()', 'Number', '2');
  typed('(-2.9).toNumber()', 'Number', '-2');
  typed('(3).toFloat()', 'Float', '3.000000');
  typed('(3).toLong()', 'Long', '3');
  typed('(3).toDouble()', 'Double', '3.000000');
  typed('"42".toNumber()', 'Number', '42');
  typed('"x".toNumber()', 'Null', 'null');
});
test('var, const and enum: enum values count up from the last explicit value', () => {
  typed('[M.A, M.B, M.C, M.K]', 'Array', '[0, 5, 6, 9]', 'module M { enum { A, B = 5, C } const K = 9; }');
});
test('arrays, sized arrays and byte arrays', () => {
  typed('[1, 2].add(3)', 'Array', '[1, 2, 3]');
  typed('new [3]', 'Array', '[null, null, null]');
  typed('[1, 0x1FF]b', 'ByteArray', '[1, 255]');
  assert.equal(run('var b = new [2]b; b[0] = 300; return b[0];').value, 44);
  assert.throws(() => value('[1, 2][2]'), (e) => e instanceof MonkeyCrash && /Out Of Bounds/.test(e.message));
});
test('dictionaries with symbol, string and number keys; missing keys read as null', () => {
  typed('{:a => 1, "b" => 2, 3 => "c"}[:a]', 'Number', '1');
  typed('{:a => 1, "b" => 2, 3 => "c"}["b"]', 'Number', '2');
  typed('{:a => 1, "b" => 2, 3 => "c"}[3]', 'String', 'c');
  typed('{:a => 1}[:zz]', 'Null', 'null');
  assert.equal(run('var d = {}; d.put(:k, 4); d[:j] = 5; return d.hasKey(:k) && d.size() == 2 && d.get(:j) == 5;').value, true);
});
test('strings: length, substring, find', () => {
  typed('"muscle".length()', 'Number', '6');
  typed('"muscle".substring(1, 3)', 'String', 'us');
  typed('"muscle".find("cl")', 'Number', '3');
  typed('"muscle".find("z")', 'Null', 'null');
});
test('symbols and null: a symbol equals itself, null equals only null', () => {
  assert.equal(value(':abc == :abc'), true);
  assert.equal(value(':abc == :abd'), false);
  assert.equal(value('null == null'), true);
  assert.equal(value('null == 0'), false);
});
const CLASSES = `
class Animal {
  var name;
  protected var legs = 4;
  function initialize(n) { name = n; }
  function describe() { return name + " has " + legCount() + " legs"; }
  function legCount() { return legs; }
}
class Bird extends Animal {
  function initialize(n) { Animal.initialize(n); self.legs = 2; }
  function describe() { return "bird: " + Animal.describe(); }
  function cb() { return method(:twice); }
  function twice(x) { return x * 2; }
}`;
test('classes: inheritance, self, super calls through the base class name', () => {
  typed('new Bird("tit").describe()', 'String', 'bird: tit has 2 legs', CLASSES);
});
test('method(:name) makes a callback bound to its object', () => {
  typed('new Bird("a").cb().invoke(21)', 'Number', '42', CLASSES);
});
test('has checks members of objects and modules', () => {
  assert.equal(value('new Bird("a") has :twice', CLASSES), true);
  assert.equal(value('new Animal("a") has :twice', CLASSES), false);
  assert.equal(value('Toybox has :Ant'), true);
  assert.equal(value('System has :noSuchApi'), false);
});
test('instanceof follows the class chain and knows the built-in types', () => {
  assert.equal(value('new Bird("a") instanceof Animal', CLASSES), true);
  assert.equal(value('new Animal("a") instanceof Bird', CLASSES), false);
  assert.equal(value('3 instanceof Lang.Number'), true);
  assert.equal(value('3.0 instanceof Lang.Number'), false);
  assert.equal(value('{} instanceof Lang.Dictionary'), true);
});
test('as casts are no-ops at run time', () => {
  typed('(5 as Number) + 1', 'Number', '6');
});
test('try/catch/finally: typed catch clauses, rethrow, finally always runs', () => {
  const { value: v, rt } = run(`
    var log = [];
    try { throw new Lang.InvalidValueException(); }
    catch (e instanceof Lang.UnexpectedTypeException) { log.add("wrong"); }
    catch (e instanceof Lang.InvalidValueException) { log.add("right"); }
    finally { log.add("finally"); }
    try { try { throw new MyErr(); } finally { log.add("inner"); } } catch (e) { log.add(e.getErrorMessage()); }
    return log;`, 'class MyErr extends Lang.Exception { function initialize() { Exception.initialize(); mMessage = "mine"; } }');
  assert.equal(toMonkeyString(v), '[right, finally, inner, mine]');
  void rt;
});
test('an uncaught throw reaches the harness as a Monkey C exception', () => {
  assert.throws(() => run('throw new Lang.Exception();'), MonkeyThrow);
});
test('null dereference crashes and cannot be caught', () => {
  assert.throws(() => run('try { var x = null; return x.foo; } catch (e) { return 1; }'), (e) => e instanceof MonkeyCrash && /Null Reference/.test(e.message));
});
test('loops: for, while, do-while, break, continue, switch with fall-through', () => {
  typed(`f()`, 'Number', '25', `function f() {
    var s = 0;
    for (var i = 0; i < 10; i++) { if (i == 5) { continue; } if (i == 8) { break; } s += i; }
    var j = 0; while (j < 3) { j++; } do { j--; } while (j > 1);
    switch (j) { case 1: s += 1; case 2: s += 1; break; default: s = -1; }
    return s;
  }`);
});
test('compound assignment and increments follow Number semantics', () => {
  typed('f()', 'Number', '-2147483648', 'function f() { var x = 2147483646; x++; x += 1; return x; }');
  typed('f()', 'Number', '3', 'function f() { var x = 13; x %= 5; x <<= 1; x >>= 1; x /= 1; return x; }');
});
test('annotations: (:test) functions are found, (:release) code is excluded on request', () => {
  const rt = loadProgram([{ path: 'a.mc', text: '(:test) function t1(logger) { return true; }\n(:release) function r() { return 1; }\n(:debug) function d() { return 2; }' }], { exclude: ['release'] });
  assert.deepEqual(rt.interp.testFunctions.map((f) => f.name), ['t1']);
  assert.equal(rt.interp.global.members.has('r'), false);
  assert.equal(rt.interp.global.members.has('d'), true);
});
test('an API the mock Toybox lacks fails loudly and names it', () => {
  assert.throws(() => run('return System.getDeviceSettings();'), (e) => e instanceof HarnessError && /Toybox\.System\.getDeviceSettings/.test(e.message));
});
