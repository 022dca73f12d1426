// One scenario per device defect of the pre-ship review (../shared/reviews/connectiq-review.md):
// each drives the field's real Monkey C through the situation that exposed the defect and asserts
// what a rider needs. Run against the field before the fixes (NIRSSYNC_CONNECTIQ_ROOT=<old copy>)
// each of these fails; docs/connectiq.md lists which were checked that way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSensors, profileA, PROPERTIES, START_UNIX } from '../scenarios/one-hour-ride.mjs';
import { Ride } from '../harness/ride.mjs';
import { SimulatedMoxy, FIT_EPOCH_UNIX } from '../harness/moxy.mjs';

const smo2Of = (v) => Math.fround(Math.round(v * 10) / 10);
const sec = (r) => r.t - START_UNIX;
const flat = (smo2, thb = 12.0) => () => ({ smo2, thb });
function stats(records, key, scale) {
  const v = records.map((r) => r.values[key]).filter((x) => typeof x === 'number' && x > 0);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: Math.round(mean * scale), min: Math.round(Math.min(...v) * scale), max: Math.round(Math.max(...v) * scale), n: v.length };
}

test('defect 1: a slot without an ANT channel at start gets one by a backed-off retry once a channel frees up', () => {
  const s = makeSensors();
  const ride = new Ride({
    startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b],
    freeAntChannels: (t) => (t < 20 ? 1 : 4),
  });
  ride.runUntil(120, [{ t: 2, type: 'start' }]);
  assert.equal(ride.display(10).texts.stateB, 'No ANT channel');
  assert.equal(ride.display(100).texts.stateB, 'Low battery', 'sensor 2 tracked (its battery is low)');
  assert.equal(ride.records.find((r) => sec(r) === 100).values[2], smo2Of(s.b.lastPage1(100).smo2));
  // Attempts of slot 2: while the field starts (before the first compute of second 0), then in
  // the 5th second's compute, then after 10 and 20 s of back-off; the channel is free from 20 s.
  const attempts = ride.device.radio.attempts.filter((t) => t > 0);
  assert.deepEqual(attempts, [4, 14, 34], 'retries back off 10, 20 s after the first');
});

test('defect 1: retries stay bounded (back-off capped at one a minute) when no channel ever frees up', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b], freeAntChannels: 1 });
  ride.runUntil(900, [{ t: 2, type: 'start' }]);
  const attempts = ride.device.radio.attempts.filter((t) => t > 0);
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
  assert.deepEqual(gaps.slice(0, 4), [10, 20, 40, 60]);
  assert.ok(gaps.every((g) => g <= 60) && attempts.length <= 18, `${attempts.length} attempts in 900 s: ${attempts}`);
  assert.equal(ride.display(899).texts.stateB, 'No ANT channel');
});

test('defect 1: open() returning false is retried instead of leaving the slot without a channel', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b] });
  // Slot 1 switched off and on again in Garmin Connect while the radio refuses one open().
  ride.changeSettings({ display1: 2 });
  ride.device.radio.failOpens = 1;
  ride.changeSettings({ display1: 0 });
  assert.equal(ride.device.radio.failOpens, 0, 'the failing open() happened');
  ride.runUntil(30, [{ t: 2, type: 'start' }]);
  assert.equal(ride.display(2).texts.stateA, 'No ANT channel');
  assert.equal(ride.display(25).texts.smo2A, smo2Of(profileA(24).smo2).toFixed(1));
});

test('defect 2: a wildcard search pairs with the closest sensor, not a teammate\'s heard first', () => {
  const ours = new SimulatedMoxy({ deviceNumber: 665, profile: flat(61.0), interval: 1, utcRequired: false, bin: 1, acquireSeconds: 1.0 });
  const mate = new SimulatedMoxy({ deviceNumber: 4242, profile: flat(21.0), interval: 1, utcRequired: false, bin: 3, acquireSeconds: 0.25 });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 0, display2: 2 }, sensors: [ours, mate] });
  ride.runUntil(60, [{ t: 2, type: 'start' }]);
  assert.equal(ride.device.properties.get('device1'), 665);
  assert.equal(mate.sentCount, 0, 'the teammate\'s sensor was never tracked');
  const configs = ride.device.radio.channels[0].configs;
  assert.equal(configs[0].searchThreshold, 1, 'the first wildcard search listens to the closest bin only');
});

test('defect 2: a sensor passing by is not saved; the pairing is saved only after a stable lock', () => {
  const ours = new SimulatedMoxy({ deviceNumber: 665, profile: flat(61.0), interval: 1, utcRequired: false, bin: 1, acquireSeconds: 1.0 });
  const passing = new SimulatedMoxy({
    deviceNumber: 4242, profile: flat(21.0), interval: 1, utcRequired: false, bin: 1, acquireSeconds: 0.25, present: (t) => t < 4,
  });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 0, display2: 2 }, sensors: [ours, passing] });
  ride.runUntil(3, []);
  assert.equal(ride.device.properties.get('device1'), 0, 'nothing saved while the lock is provisional');
  ride.runUntil(90, [{ t: 5, type: 'start' }]);
  assert.ok(passing.sentCount > 0, 'the passing sensor was heard first');
  assert.equal(ride.device.properties.get('device1'), 665, 'our sensor saved once its lock held');
  assert.equal(ride.display(80).texts.smo2A, '61.0');
});

test('defect 4: switching sensor 2 on mid-ride draws it; switching it off returns to one column', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665, display2: 2 }, sensors: [s.a, s.b] });
  ride.runUntil(30, [{ t: 2, type: 'start' }]);
  assert.equal(ride.display(20).texts.labelB, undefined);
  ride.changeSettings({ display2: 0 });
  ride.runUntil(60);
  assert.equal(ride.display(50).texts.labelB, 'VL R');
  assert.equal(ride.display(50).texts.smo2B, smo2Of(s.b.lastPage1(50).smo2).toFixed(1));
  ride.changeSettings({ display2: 2 });
  ride.runUntil(70);
  assert.equal(ride.display(65).texts.labelB, undefined, 'single layout again');
});

test('harness: onLayout runs on every geometry change; a low field gets the compact layout', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b] });
  ride.runUntil(10);
  ride.resize(240, 70);
  ride.runUntil(20);
  assert.equal(ride.layouts.length, 2);
  assert.equal(ride.display(15).texts.thbA, undefined, 'the compact layout has no tHb');
  assert.equal(ride.display(15).texts.smo2A, smo2Of(profileA(14).smo2).toFixed(1));
});

test('defect 5: the late CLOSED event of a released channel does not reopen the new channel', () => {
  const s = makeSensors();
  const other = new SimulatedMoxy({ deviceNumber: 777, profile: flat(33.3), interval: 1, utcRequired: false });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b, other] });
  ride.runUntil(30, [{ t: 2, type: 'start' }]);
  ride.changeSettings({ device1: 777 });
  ride.runUntil(60);
  assert.ok(ride.device.radio.events.some((e) => e.released && e.code === 7), 'the released channel did deliver CLOSED');
  assert.deepEqual(ride.device.radio.wrongState, [], 'no open() on an already open channel');
  for (let t = 30; t < 60; t++) assert.notEqual(ride.display(t).texts.stateA, 'No ANT channel', `at ${t} s`);
  assert.equal(ride.display(40).texts.smo2A, '33.3');
});

test('defect 6: each multisport leg\'s session carries that leg\'s statistics only', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b] });
  ride.runUntil(320, [{ t: 5, type: 'start' }, { t: 155, type: 'leg' }, { t: 310, type: 'stop' }, { t: 312, type: 'save' }]);
  assert.equal(ride.sessions.length, 2);
  const leg2 = stats(ride.records.filter((r) => sec(r) >= 155), 0, 10);
  const s2 = ride.sessions[1].values;
  assert.equal(s2[31], leg2.min, 'leg 2 minimum');
  assert.equal(s2[32], leg2.max, 'leg 2 maximum');
  assert.ok(Math.abs(s2[30] - leg2.mean) <= 1, `leg 2 mean ${s2[30]} vs ${leg2.mean}`);
  const leg1 = stats(ride.records.filter((r) => sec(r) < 155), 0, 10);
  assert.equal(ride.sessions[0].values[32], leg1.max, 'leg 1 maximum');
});

test('defect 7: a field restarted mid-activity continues its session statistics from Application.Storage', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b] });
  ride.runUntil(305, [{ t: 5, type: 'start' }]);
  ride.restartApp();
  ride.runUntil(460, [{ t: 450, type: 'stop' }, { t: 452, type: 'save' }]);
  const all = stats(ride.records, 0, 10);
  const session = ride.session.values;
  assert.equal(session[31], all.min, 'minimum over the whole activity, before the restart included');
  assert.equal(session[32], all.max);
  // Up to SAVE_EVERY_S seconds before the restart may be lost: the mean stays within that.
  assert.ok(Math.abs(session[30] - all.mean) <= 3, `mean ${session[30]} vs ${all.mean}`);
  assert.equal(ride.device.storage.has('stats'), false, 'saving the activity clears the stored statistics');
});

test('defect 8: with only sensor 2 in use its record fields carry the native SmO2/tHb numbers', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, display1: 2 }, sensors: [s.a, s.b] });
  const f = Object.fromEntries(ride.device.fit.fields.map((x) => [x.id, x]));
  assert.deepEqual([f[0].nativeNum, f[1].nativeNum, f[2].nativeNum, f[3].nativeNum], [null, null, 57, 54]);
});

test('defect 10: every product resolves its resources through the default jungle without a folder twice', () => {
  for (const product of ['edge840', 'edgemtb', 'fr255s', 'fenix7']) {
    const ride = new Ride({ startUnix: START_UNIX, product, properties: { ...PROPERTIES, device1: 665 }, sensors: makeSensors().a ? [] : [] });
    assert.ok(ride.view, product);
  }
});

test('defect 11: a 20-bit extended device number pairs with that sensor only and is recorded whole', () => {
  const extended = new SimulatedMoxy({ deviceNumber: 665, transmissionType: 0x15, profile: flat(40.0), interval: 1, utcRequired: false });
  const plain = new SimulatedMoxy({ deviceNumber: 665, transmissionType: 0x05, profile: flat(70.0), interval: 1, utcRequired: false, phase: 0 });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 66201, display2: 2 }, sensors: [plain, extended] });
  ride.runUntil(40, [{ t: 2, type: 'start' }, { t: 30, type: 'stop' }, { t: 32, type: 'save' }]);
  assert.equal(ride.display(20).texts.smo2A, '40.0');
  assert.equal(plain.sentCount, 0);
  assert.equal(ride.session.values[52], 665, 'device_1: bits 0-15');
  assert.equal(ride.laps.at(-1).values[22], 1, 'device_hi_1: bits 16-19');
});

test('defect 11: a wildcard search saves the extended number of the sensor it paired with', () => {
  const extended = new SimulatedMoxy({ deviceNumber: 665, transmissionType: 0x25, profile: flat(40.0), interval: 1, utcRequired: false });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 0, display2: 2 }, sensors: [extended] });
  ride.runUntil(30);
  assert.equal(ride.device.properties.get('device1'), 2 * 65536 + 665);
});

test('defect 12: a clock before 1989 does not crash the field inside the ANT callback', () => {
  const moxy = new SimulatedMoxy({ deviceNumber: 665, profile: flat(50.0), interval: 1, utcRequired: true });
  const ride = new Ride({ startUnix: 600000000, properties: { ...PROPERTIES, device1: 665, display2: 2 }, sensors: [moxy] });
  ride.runUntil(20);
  assert.equal(ride.display(10).texts.smo2A, '50.0');
  assert.equal(moxy.commands.length, 0, 'no set-time command with an impossible clock');
});

test('defect 15: a slot whose sensor is off rests between searches instead of searching all ride', () => {
  const off = new SimulatedMoxy({ deviceNumber: 665, profile: flat(50.0), interval: 1, present: (t) => t >= 700 });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665, display2: 2 }, sensors: [off] });
  ride.runUntil(1200, [{ t: 2, type: 'start' }]);
  const opens = ride.device.radio.channels[0].opens;
  assert.ok(opens <= 9, `${opens} searches in 20 minutes (searching all the time would be 28)`);
  assert.equal(ride.display(95).texts.stateA, 'No sensor found');
  const found = ride.displays.find((d) => d.t >= 700 && d.texts.smo2A === '50.0');
  assert.ok(found && found.t <= 700 + 300 + 26, `a sensor switched on later is still found (at ${found?.t} s)`);
});

test('harness: the set-time offset follows ClockTime (timeZoneOffset with DST; dst is a Number)', () => {
  const moxy = new SimulatedMoxy({ deviceNumber: 665, profile: flat(50.0), interval: 1, utcRequired: true });
  const ride = new Ride({ startUnix: START_UNIX, utcOffsetSeconds: 7200, dstSeconds: 3600, properties: { ...PROPERTIES, device1: 665, display2: 2 }, sensors: [moxy] });
  ride.runUntil(10);
  assert.equal(moxy.commands[0].localOffset, 8, 'UTC+2 in summer = 8 steps of 15 minutes');
  assert.equal(moxy.commands[0].utc, START_UNIX + Math.floor(moxy.commands[0].t) - FIT_EPOCH_UNIX);
});

test('harness: onUpdate before any compute() draws every mode without failing', () => {
  for (const mode of [0, 1, 2]) {
    const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665, mode }, sensors: [] });
    const texts = ride.updateNow();
    const shown = Object.values(texts).join('|');
    assert.ok(shown.length > 0, `mode ${mode}: ${JSON.stringify(texts)}`);
    assert.ok(!shown.includes('undefined') && !shown.includes('null'), `mode ${mode}: ${shown}`);
  }
});
