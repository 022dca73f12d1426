// The mock Toybox and the simulated radio and Moxy, each exercised from Monkey C or directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProgram } from '../harness/program.mjs';
import { Device } from '../harness/device.mjs';
import { newLogger } from '../harness/toybox/test.mjs';
import { toMonkeyString } from '../harness/values.mjs';
import { MonkeyThrow, HarnessError } from '../harness/runtime.mjs';
import { MonkeyCrash } from '../harness/values.mjs';
import { SimulatedMoxy, encodePage1 } from '../harness/moxy.mjs';

const HEADER = 'import Toybox.Lang;\nusing Toybox.Ant;\nusing Toybox.FitContributor;\nusing Toybox.WatchUi;\nusing Toybox.Application;\nusing Toybox.System;\nusing Toybox.Test;\n';

function program(body, device = new Device()) {
  const rt = loadProgram([{ path: 'toybox.mc', text: HEADER + body }], { device });
  return { rt, device, call: (name, args = []) => rt.interp.callFunction(rt.interp.global.members.get(name), null, args) };
}

test('mock Ant: GenericChannel throws UnableToAcquireChannelException when no channel is free', () => {
  const { call } = program(`
    class L { function initialize() {} function on(msg) {} }
    function main() {
      var l = new L();
      var a = new Ant.ChannelAssignment(Ant.CHANNEL_TYPE_RX_NOT_TX, Ant.NETWORK_PLUS);
      var first = new Ant.GenericChannel(l.method(:on), a);
      try { new Ant.GenericChannel(l.method(:on), a); } catch (e instanceof Ant.UnableToAcquireChannelException) { return "no channel"; }
      return "acquired";
    }`, new Device({ freeAntChannels: 1 }));
  assert.equal(call('main'), 'no channel');
});

test('mock Ant: an open channel pairs with a matching Moxy and delivers its pages with deviceNumber', () => {
  const device = new Device();
  const { rt, call } = program(`
    var got = [];
    class L { function initialize() {} function on(msg) { got.add([msg.messageId, msg.deviceNumber, msg.getPayload()[0]]); } }
    var ch;
    function main() {
      var l = new L();
      ch = new Ant.GenericChannel(l.method(:on), new Ant.ChannelAssignment(Ant.CHANNEL_TYPE_RX_NOT_TX, Ant.NETWORK_PLUS));
      ch.setDeviceConfig(new Ant.DeviceConfig({:deviceNumber => 0, :deviceType => 31, :transmissionType => 0,
        :messagePeriod => 8192, :radioFrequency => 57, :searchTimeoutLowPriority => 2}));
      return ch.open();
    }`, device);
  device.radio.addSensor(new SimulatedMoxy({ deviceNumber: 12, profile: () => ({ smo2: 50, thb: 12 }), acquireSeconds: 0 }));
  assert.equal(call('main'), true);
  device.radio.tick(0);
  device.radio.tick(0.25);
  assert.equal(toMonkeyString(rt.interp.global.members.get('got')), '[[78, 12, 1], [78, 12, 1]]');
});

test('mock Ant: a search without a sensor times out after searchTimeoutLowPriority x 2.5 s and closes', () => {
  const device = new Device();
  const { rt, call } = program(`
    var codes = [];
    class L { function initialize() {} function on(msg) { codes.add(msg.getPayload()[1]); } }
    function main() {
      var ch = new Ant.GenericChannel(new L().method(:on), new Ant.ChannelAssignment(Ant.CHANNEL_TYPE_RX_NOT_TX, Ant.NETWORK_PLUS));
      ch.setDeviceConfig(new Ant.DeviceConfig({:deviceType => 31, :radioFrequency => 57, :searchTimeoutLowPriority => 2}));
      ch.open();
      return null;
    }`, device);
  call('main');
  for (let t = 0; t < 6; t += 0.25) { device.t = t; device.radio.tick(t); }
  assert.equal(toMonkeyString(rt.interp.global.members.get('codes')), '[1, 7]');
  assert.deepEqual(device.radio.events.map((e) => e.t), [4.75, 4.75]);
});

test('mock Ant: DeviceConfig rejects an option it does not know, naming it', () => {
  const { call } = program('function main() { return new Ant.DeviceConfig({:deviceNumbr => 1}); }');
  assert.throws(() => call('main'), (e) => e instanceof MonkeyCrash && /:deviceNumbr/.test(e.message));
});

test('mock FitContributor: createField and every setData are recorded with the time', () => {
  const device = new Device({ startUnix: 1000 });
  const { call } = program(`
    class F extends WatchUi.DataField {
      var f;
      function initialize() { DataField.initialize(); f = createField("smo2", 0, FitContributor.DATA_TYPE_FLOAT, {:mesgType => FitContributor.MESG_TYPE_RECORD, :units => "%", :nativeNum => 57}); }
    }
    function main() { var v = new F(); v.f.setData(55.5f); return v; }`, device);
  device.t = 7;
  call('main');
  assert.deepEqual(device.fit.fields.map(({ id, name, type, units, nativeNum, mesgType }) => ({ id, name, type, units, nativeNum, mesgType })),
    [{ id: 0, name: 'smo2', type: 'float32', units: '%', nativeNum: 57, mesgType: 20 }]);
  assert.deepEqual(device.fit.writes.map(({ t, id, value }) => ({ t, id, value })), [{ t: 1007, id: 0, value: 55.5 }]);
});

test('mock FitContributor: more than 32 bytes of developer data in one message is refused', () => {
  const { call } = program(`
    class F extends WatchUi.DataField {
      function initialize() {
        DataField.initialize();
        for (var i = 0; i < 9; i++) { createField("f" + i, i, FitContributor.DATA_TYPE_FLOAT, {:mesgType => FitContributor.MESG_TYPE_LAP}); }
      }
    }
    function main() { return new F(); }`);
  assert.throws(() => call('main'), (e) => e instanceof MonkeyCrash && /36 bytes; a data field gets 32/.test(e.message));
});

test('mock FitContributor: record fields cannot be strings', () => {
  const { call } = program(`
    class F extends WatchUi.DataField { function initialize() { DataField.initialize(); createField("s", 1, FitContributor.DATA_TYPE_STRING, {}); } }
    function main() { return new F(); }`);
  assert.throws(() => call('main'), (e) => e instanceof MonkeyCrash && /cannot be a string/.test(e.message));
});

test('mock FitContributor: a uint16 value outside 0..65535 is flagged', () => {
  const device = new Device();
  const { call } = program(`
    class F extends WatchUi.DataField { var f; function initialize() { DataField.initialize(); f = createField("u", 1, FitContributor.DATA_TYPE_UINT16, {:mesgType => FitContributor.MESG_TYPE_LAP}); } }
    function main() { var v = new F(); v.f.setData(70000); return null; }`, device);
  call('main');
  assert.equal(device.fit.rangeErrors.length, 1);
  assert.equal(device.fit.rangeErrors[0].value, 70000);
});

test('mock Application: Properties reads settings, unknown keys throw InvalidKeyException; Storage keeps values', () => {
  const device = new Device({ properties: new Map([['device1', 0]]) });
  const { call } = program(`
    function main() {
      Application.Properties.setValue("device1", 665);
      Application.Storage.setValue("k", [1, 2]);
      var r = [Application.Properties.getValue("device1"), Application.Storage.getValue("k"), Application.Storage.getValue("none")];
      try { Application.Properties.getValue("nope"); } catch (e instanceof Application.Properties.InvalidKeyException) { r.add("invalid key"); }
      return r;
    }`, device);
  assert.equal(toMonkeyString(call('main')), '[665, [1, 2], null, invalid key]');
  assert.equal(device.properties.get('device1'), 665);
});

test('mock System and Time: the clock is the simulated device clock', () => {
  const device = new Device({ startUnix: 1767254400, utcOffsetSeconds: 3600 });
  const { call } = program(`using Toybox.Time;
    function main() { var c = System.getClockTime(); return [Time.now().value(), c.hour, c.timeZoneOffset, System.getTimer()]; }`, device);
  device.t = 90.5;
  assert.equal(toMonkeyString(call('main')), '[1767254490, 9, 3600, 5090500]');
});

test('mock Test: assertions pass silently and fail with a message naming both values', () => {
  const { rt, call } = program(`
    function ok(logger) { Test.assert(true); Test.assertEqual(3, 3); Test.assertMessage(true, "m"); Test.assertEqualMessage("a", "a", "m"); Test.assertNotEqual(1, 2); logger.debug("done"); return true; }
    function bad(logger) { Test.assertEqualMessage(2, 3, "two is not three"); return true; }`);
  const logger = newLogger(rt.logger);
  assert.equal(call('ok', [logger]), true);
  assert.deepEqual(logger.native.lines, ['DEBUG done']);
  assert.throws(() => call('bad', [newLogger(rt.logger)]), (e) => e instanceof MonkeyThrow && /two is not three: 2 \(Number\) != 3 \(Number\)/.test(e.message + toMonkeyString(e.value.fields.get('mMessage'))));
});

test('mock WatchUi: an API the mock lacks fails loudly, naming it', () => {
  const { call } = program('function main() { return WatchUi.pushView(null, null, 0); }');
  assert.throws(() => call('main'), (e) => e instanceof HarnessError && /Toybox\.WatchUi\.pushView is not provided by the mock Toybox/.test(e.message));
});

test('simulated Moxy: page 1 packs tHb, previous and current SmO2 as the profile defines', () => {
  // tHb 12.34 g/dL = 1234 = 0x4D2; previous 55.5 % = 555 = 0x22B; current 60.1 % = 601 = 0x259.
  assert.deepEqual(encodePage1({ eventCount: 7, utcRequired: true, interval: 0.5, thb: 12.34, previous: 55.5, current: 60.1 }),
    [0x01, 7, 0x01, 0x04, 0xd2, 0xb4, 0x62, 0x96]);
  assert.deepEqual(encodePage1({ eventCount: 300, interval: 2, thb: 'ambient', previous: 'invalid', current: 'ambient' }),
    [0x01, 44, 0, 0x08, 0xfe, 0xff, 0xbf, 0xff]);
});

test('simulated Moxy: the event count advances once per measurement interval and stops asking for time after set-time', () => {
  const m = new SimulatedMoxy({ deviceNumber: 1, profile: (t) => ({ smo2: 50 + t, thb: 12 }), interval: 1, eventCountStart: 255 });
  const counts = [0, 0.25, 0.5, 0.75, 1, 1.25, 2].map((t) => m.broadcast(t)[1]);
  assert.deepEqual(counts, [255, 255, 255, 255, 0, 0, 1]);
  assert.equal(m.broadcast(2.25)[2], 1, 'asks for UTC time');
  m.receive([0x10, 0, 0xff, 4, 0x00, 0x10, 0x00, 0x00], 3);
  assert.deepEqual(m.commands, [{ t: 3, command: 0, utc: 4096, localOffset: 4 }]);
  assert.equal(m.broadcast(3.25)[2], 0);
});

// Fidelity to the documented API (review table of harness gaps).
const CHANNEL = `
    var codes = [];
    var msgs = [];
    class L { function initialize() {} function on(msg) { msgs.add(msg); codes.add(msg.getPayload()[1]); } }
    function channel(threshold) {
      var ch = new Ant.GenericChannel(new L().method(:on), new Ant.ChannelAssignment(Ant.CHANNEL_TYPE_RX_NOT_TX, Ant.NETWORK_PLUS));
      ch.setDeviceConfig(new Ant.DeviceConfig({:deviceType => 31, :radioFrequency => 57, :searchThreshold => threshold}));
      return ch;
    }`;

test('mock Ant: open, close, release and sendAcknowledge return Booleans; open() on an open channel is false', () => {
  const { call, device } = program(`${CHANNEL}
    function main() {
      var ch = channel(0);
      var m = new Ant.Message();
      m.setPayload([16, 0, 255, 0, 0, 0, 0, 0]);
      return [ch.open(), ch.open(), ch.sendAcknowledge(m), ch.close(), ch.close(), ch.release()];
    }`);
  assert.equal(toMonkeyString(call('main')), '[true, false, true, true, false, true]');
  assert.equal(device.radio.wrongState.length, 1);
});

test('mock Ant: a released open channel still delivers EVENT_CHANNEL_CLOSED to its listener; event messages carry no device number', () => {
  const { call, rt, device } = program(`${CHANNEL}
    function main() { var ch = channel(0); ch.open(); ch.release(); return true; }`);
  call('main');
  device.radio.tick(0);
  assert.equal(toMonkeyString(rt.interp.global.members.get('codes')), '[7]');
  const msg = rt.interp.global.members.get('msgs').items[0];
  assert.equal(msg.fields.get('deviceNumber'), null);
});

test('mock Ant: the default low-priority search timeout is 6 x 2.5 s, as DeviceConfig documents', () => {
  const { call, rt, device } = program(`${CHANNEL}
    function main() { channel(0).open(); return true; }`);
  call('main');
  for (let t = 0; t < 15.25; t += 0.25) { device.t = t; device.radio.tick(t); }
  assert.equal(toMonkeyString(rt.interp.global.members.get('codes')), '[1, 7]');
  assert.equal(device.radio.events[0].t, 14.75);
});

test('mock Ant: a proximity search hears only sensors in its bin; the radio order decides among several', () => {
  const near = new SimulatedMoxy({ deviceNumber: 11, profile: () => ({ smo2: 50, thb: 12 }), bin: 2, acquireSeconds: 0.5 });
  const far = new SimulatedMoxy({ deviceNumber: 22, profile: () => ({ smo2: 50, thb: 12 }), bin: 6, acquireSeconds: 0.25 });
  const run = (threshold) => {
    const { call, rt, device } = program(`${CHANNEL}
      function main(threshold) { channel(threshold).open(); return true; }`);
    device.radio.addSensor(near);
    device.radio.addSensor(far);
    call('main', [threshold]);
    for (let t = 0; t < 2; t += 0.25) { device.t = t; device.radio.tick(t); }
    const first = rt.interp.global.members.get('msgs').items.find((m) => m.fields.get('messageId') === 0x4e);
    return first?.fields.get('deviceNumber') ?? null;
  };
  assert.equal(run(1), null, 'bin 1: neither');
  assert.equal(run(3), 11, 'bin 3: the near one');
  assert.equal(run(0), 22, 'proximity off: the one acquired first');
});

test('mock FitContributor: createField refuses an option the docs do not list, and a wrong option type', () => {
  const make = (opts) => program(`
    class F extends WatchUi.DataField {
      function initialize() { DataField.initialize(); createField("smo2", 0, FitContributor.DATA_TYPE_FLOAT, ${opts}); }
    }
    function main() { return new F(); }`).call('main');
  assert.throws(() => make('{:mesgType => FitContributor.MESG_TYPE_RECORD, :scale => 10}'), (e) => e instanceof MonkeyCrash && /does not take the option :scale/.test(e.message));
  assert.throws(() => make('{:units => 5}'), (e) => e instanceof MonkeyCrash && /:units has a wrong value 5/.test(e.message));
});

test('mock FitContributor: a NaN keeps its bit pattern: four 0xFF bytes give the FIT invalid value, arithmetic does not', () => {
  const device = new Device();
  const { call } = program(`
    class F extends WatchUi.DataField {
      var f;
      function initialize() { DataField.initialize(); f = createField("smo2", 0, FitContributor.DATA_TYPE_FLOAT, {}); }
    }
    function main() {
      var v = new F();
      var invalid = [0xFF, 0xFF, 0xFF, 0xFF]b.decodeNumber(Lang.NUMBER_FORMAT_FLOAT, {}) as Float;
      v.f.setData(invalid);
      v.f.setData(invalid * 1.0f);
      return v;
    }`, device);
  call('main');
  assert.deepEqual(device.fit.writes.map((w) => w.nanBits), [0xffffffff, 0x7fc00000]);
});

test('mock System: ClockTime.dst is a Number (seconds), as the ClockTime page documents', () => {
  const device = new Device({ utcOffsetSeconds: 7200 });
  device.dstSeconds = 3600;
  const { call } = program('function main() { var c = System.getClockTime(); return [c.timeZoneOffset, c.dst]; }', device);
  assert.equal(toMonkeyString(call('main')), '[7200, 3600]');
});
