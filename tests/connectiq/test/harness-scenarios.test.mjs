// Scenario replays: the data field's real Monkey C driven through the reference one-hour ride
// (scenarios/one-hour-ride.mjs) by simulated Moxys; assertions on what it shows and on every
// FitContributor write, record, lap and session value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  runOneHourRide, profileA, profileB, START_UNIX, TIMER, A_DROPOUT, A_AMBIENT, A_INVALID, PROPERTIES, makeSensors,
} from '../scenarios/one-hour-ride.mjs';
import { Ride, peek } from '../harness/ride.mjs';
import { FIT_EPOCH_UNIX } from '../harness/moxy.mjs';

const { ride, sensors } = runOneHourRide();
const sec = (r) => r.t - START_UNIX;
const inside = (t, [a, b]) => t >= a && t < b;
const f32 = Math.fround;
// The value a Moxy's 10-bit / 12-bit field carries, as the field decodes it (raw / 10.0f, raw / 100.0f).
const smo2Of = (v) => f32(Math.round(v * 10) / 10);
const thbOf = (v) => f32(Math.round(v * 100) / 100);
const fieldId = (name) => ride.device.fit.fields.find((f) => f.name === name).id;

test('scenario: the field creates exactly the FIT fields of docs/fit-fields.md (sensors 3 and 4 are off: none of theirs)', () => {
  const fields = ride.device.fit.fields;
  const byId = Object.fromEntries(fields.map((f) => [f.id, f]));
  assert.deepEqual(fields.map((f) => f.id).sort((a, b) => a - b),
    [0, 1, 2, 3, ...Array.from({ length: 14 }, (_, i) => 10 + i), ...Array.from({ length: 12 }, (_, i) => 30 + i), 50, 51, 52, 53, 54, 55, 60, 61, 62, 63, 64]);
  assert.deepEqual(byId[0], { ...byId[0], name: 'smo2_1', type: 'float32', units: '%', nativeNum: 57, mesgType: 20 });
  assert.deepEqual(byId[1], { ...byId[1], name: 'thb_1', type: 'float32', units: 'g/dL', nativeNum: 54, mesgType: 20 });
  assert.equal(byId[2].nativeNum, null, 'only sensor 1 carries native numbers');
  assert.equal(byId[15].name, 'lap_thb_max_1');
  assert.equal(byId[15].type, 'uint16');
  assert.equal(byId[15].mesgType, 19);
  assert.equal(byId[41].name, 'ses_thb_max_2');
  assert.equal(byId[52].name, 'device_1');
  assert.equal(byId[52].type, 'uint16');
  assert.equal(byId[50].type, 'uint8');
});

test('scenario: a record is written every second the timer runs, and only then', () => {
  assert.equal(ride.records.length, TIMER.stop - TIMER.start);
  assert.equal(sec(ride.records[0]), TIMER.start);
  assert.equal(sec(ride.records.at(-1)), TIMER.stop - 1);
});

test('scenario: sensor 1 record values are the Moxy page-1 SmO2 and tHb, through event-count roll-over', () => {
  let checked = 0;
  for (const r of ride.records) {
    const t = sec(r);
    const p = sensors.a.lastPage1(t);
    if (inside(t, [A_DROPOUT[0] + 2, A_DROPOUT[1] + 1]) || typeof p.smo2 !== 'number' || typeof p.thb !== 'number') continue;
    assert.equal(r.values[0], smo2Of(p.smo2), `smo2_1 at ${t} s`);
    assert.equal(r.values[1], thbOf(p.thb), `thb_1 at ${t} s`);
    checked++;
  }
  assert.ok(checked > 3500, `checked ${checked} records`);
  const log = sensors.a.page1Log;
  const rollovers = log.filter((p, i) => i > 0 && p.eventCount < log[i - 1].eventCount).map((p) => p.t);
  assert.ok(rollovers.length >= 7 && rollovers[0] < 20, `sensor A's event count rolled over at ${rollovers.slice(0, 3)} s ...`);
});

test('scenario: sensor 2 (0.25-s interval) is recorded in smo2_2 / thb_2', () => {
  for (const r of ride.records) {
    const t = sec(r);
    const p = sensors.b.lastPage1(t);
    assert.equal(r.values[2], smo2Of(p.smo2), `smo2_2 at ${t} s`);
    assert.equal(r.values[3], thbOf(p.thb), `thb_2 at ${t} s`);
  }
});

test('scenario: ambient light and invalid values are written as the float32 invalid value, never 0', () => {
  const at = (t) => ride.records.find((r) => sec(r) === t).values;
  assert.equal(at(A_AMBIENT[0] + 4)[0], null, 'SmO2 during ambient light');
  assert.equal(at(A_AMBIENT[0] + 4)[1], null, 'tHb during ambient light');
  assert.equal(at(A_INVALID[0] + 2)[0], null, 'SmO2 while the sensor reports invalid');
  assert.equal(at(A_INVALID[0] + 2)[1], thbOf(profileA(A_INVALID[0] + 2).thb), 'tHb stays valid');
});

test('scenario: a 30-s dropout records invalid values, the sensor returns on the same channel', () => {
  const dropout = ride.records.filter((r) => inside(sec(r), [A_DROPOUT[0] + 2, A_DROPOUT[1]]));
  assert.equal(dropout.length, 28);
  for (const r of dropout) assert.equal(r.values[0], null, `smo2_1 at ${sec(r)} s`);
  const back = ride.records.find((r) => sec(r) === A_DROPOUT[1] + 3).values;
  assert.equal(back[0], smo2Of(profileA(A_DROPOUT[1] + 2).smo2));
  const events = ride.device.radio.events.filter((e) => e.channel === 0 && e.code !== 2 && e.t > 100).map((e) => [e.t, e.code]);
  assert.deepEqual(events, [[1801.75, 8], [1826.75, 1], [1826.75, 7]], 'lost, search timeout, closed');
  assert.equal(ride.device.radio.channels[0].opens, 3, 'opened, reopened after rejecting sensor 2, reopened after the timeout');
});

test('scenario: the foreign sensor nearby is never paired and never recorded', () => {
  assert.equal(sensors.foreign.sentCount, 0, 'no channel ever received the foreign sensor');
  for (const r of ride.records) {
    assert.notEqual(r.values[0], smo2Of(21.0));
    assert.notEqual(r.values[2], smo2Of(21.0));
  }
  assert.equal(ride.device.properties.get('device1'), 665, 'the wildcard pairing was saved to the settings');
});

test('scenario: a wildcard search that hears the other slot\'s sensor first searches again', () => {
  const first = ride.device.radio.events.filter((e) => e.channel === 0 && e.t < 2).map((e) => e.code);
  assert.deepEqual(first.slice(0, 1), [7], 'channel closed after hearing sensor 2');
  assert.equal(ride.session.values[fieldId('device_1')], 665);
  assert.equal(ride.session.values[fieldId('device_2')], 2001);
});

test('scenario: the field answers "UTC time required" with one page-16 set-time in the 1989 epoch', () => {
  assert.equal(sensors.a.commands.length, 1);
  const c = sensors.a.commands[0];
  assert.equal(c.command, 0);
  assert.equal(c.utc, START_UNIX + Math.floor(c.t) - FIT_EPOCH_UNIX);
  assert.equal(c.localOffset, 4, '3600 s = 4 steps of 15 minutes');
  assert.equal(sensors.b.commands.length, 0, 'sensor 2 did not ask');
  const acks = ride.device.radio.sent.filter((s) => s.kind === 'ack');
  assert.deepEqual(acks.map((s) => s.payload.slice(0, 4)), [[0x10, 0, 0xff, 4]]);
});

test('scenario: common pages 80/81/82 are decoded (manufacturer, serial, low battery)', () => {
  const controller = peek(ride.view, '_controller');
  const receivers = peek(controller, '_receivers').items;
  assert.equal(peek(receivers[0], 'info', 'manufacturerId'), 89);
  assert.equal(peek(receivers[0], 'info', 'serialNumber'), 665n);
  assert.equal(peek(receivers[0], 'info', 'softwareRevision'), 34);
  assert.equal(peek(receivers[1], 'info', 'batteryStatus'), 4);
  assert.equal(ride.display(60).texts.stateB, 'Low battery');
  assert.equal(ride.display(60).texts.stateA, '');
});

test('scenario: the screen shows label, SmO2, tHb and the sensor state', () => {
  const d = ride.display(61).texts;
  const p = profileA(60);
  assert.equal(d.labelA, 'VL L');
  assert.equal(d.labelB, 'VL R');
  assert.equal(d.smo2A, smo2Of(p.smo2).toFixed(1));
  assert.equal(d.thbA, thbOf(p.thb).toFixed(2));
  assert.equal(d.smo2B, smo2Of(profileB(61).smo2).toFixed(1));
  assert.deepEqual([ride.display(A_AMBIENT[0] + 3).texts.smo2A, ride.display(A_AMBIENT[0] + 3).texts.stateA], ['--', 'Too much light']);
  assert.deepEqual([ride.display(A_DROPOUT[0] + 10).texts.smo2A, ride.display(A_DROPOUT[0] + 10).texts.stateA], ['--', 'Searching']);
  const draws = ride.display(61).calls.filter((c) => c.op === 'drawText').map((c) => c.args[3]);
  assert.ok(draws.includes('VL L') && draws.includes(d.smo2A), 'the texts are drawn on the Dc');
});

// Lap and session statistics recomputed here from the record values the field wrote.
function stats(records, key, scale) {
  const v = records.map((r) => r.values[key]).filter((x) => x !== null && x !== undefined && x > 0);
  if (!v.length) return [0xffff, 0xffff, 0xffff];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return [Math.round(mean * scale), Math.round(Math.min(...v) * scale), Math.round(Math.max(...v) * scale)];
}
function near(actual, expected, what) {
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= 1, `${what}[${i}]: field wrote ${a}, the records give ${expected[i]}`));
}

test('scenario: every lap message carries that lap\'s own statistics, the last lap written at the save', () => {
  const bounds = [TIMER.start, ...TIMER.laps, TIMER.stop];
  assert.equal(ride.laps.length, 4);
  ride.laps.forEach((lap, i) => {
    const recs = ride.records.filter((r) => sec(r) >= bounds[i] && sec(r) < bounds[i + 1]);
    const got = (first) => [0, 1, 2, 3, 4, 5].map((k) => lap.values[first + k]);
    near(got(10).slice(0, 3), stats(recs, 0, 10), `lap ${i + 1} smo2_1`);
    near(got(10).slice(3), stats(recs, 1, 100), `lap ${i + 1} thb_1`);
    near(got(16).slice(0, 3), stats(recs, 2, 10), `lap ${i + 1} smo2_2`);
    near(got(16).slice(3), stats(recs, 3, 100), `lap ${i + 1} thb_2`);
  });
  assert.equal(sec(ride.laps[3]), TIMER.save);
});

test('scenario: the session carries whole-ride statistics and each sensor\'s muscle, side and device', () => {
  const s = ride.session.values;
  near([30, 31, 32].map((k) => s[k]), stats(ride.records, 0, 10), 'session smo2_1');
  near([33, 34, 35].map((k) => s[k]), stats(ride.records, 1, 100), 'session thb_1');
  near([36, 37, 38].map((k) => s[k]), stats(ride.records, 2, 10), 'session smo2_2');
  near([39, 40, 41].map((k) => s[k]), stats(ride.records, 3, 100), 'session thb_2');
  assert.deepEqual([50, 51, 52, 53, 54, 55].map((k) => s[k]), [1, 1, 665, 1, 2, 2001]);
});

test('scenario: every FitContributor write is in range for its type and never a 0 for a missing value', () => {
  const byId = Object.fromEntries(ride.device.fit.fields.map((f) => [f.id, f]));
  assert.deepEqual(ride.device.fit.rangeErrors, []);
  assert.ok(ride.device.fit.writes.length > 40000);
  for (const w of ride.device.fit.writes) {
    const f = byId[w.id];
    if (f.mesgType === 20 && f.type === 'float32') {
      const max = f.name.startsWith('smo2') ? 100 : 40;
      assert.ok(Number.isNaN(w.value) || (w.value > 0 && w.value <= max), `${f.name} = ${w.value} at ${w.t}`);
    } else if (f.name.startsWith('asmt_')) {
      assert.ok(w.value === (f.type === 'uint8' ? 0xff : 0xffff), `${f.name} = ${w.value} at ${w.t}: no assessment in this ride`);
    } else if (/^(smo2|thb)_[34]$/.test(f.name)) {
      assert.equal(w.value, 0xffff, `${f.name}: sensors 3 and 4 are off in this ride`);
    } else if (/^(muscle|side)_[34]$/.test(f.name)) {
      assert.equal(w.value, 0, `${f.name}: not set`);
    } else if (f.name.startsWith('device_hi_')) {
      assert.equal(w.value, 0, `${f.name}: 16-bit device numbers in this ride`);
    } else if (f.id < 50) {
      assert.ok(w.value === 0xffff || w.value > 0, `${f.name} = ${w.value} at ${w.t}`);
    }
  }
  const perSecond = new Map();
  for (const w of ride.device.fit.writes.filter((x) => x.id === 0)) perSecond.set(w.t, (perSecond.get(w.t) ?? 0) + 1);
  assert.ok([...perSecond.values()].every((n) => n === 1), 'smo2_1 is set once per compute()');
});

test('scenario: 3-s average display mode shows the mean of the measurements of the last 3 s', () => {
  const s = makeSensors();
  const r = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665, display1: 1 }, sensors: [s.a, s.b] });
  r.runUntil(120, [{ t: 5, type: 'start' }]);
  for (const t of [30, 61, 97]) {
    const m = Math.floor(t / 2) * 2;
    const expected = (smo2Of(profileA(m).smo2) + smo2Of(profileA(m - 2).smo2)) / 2; // 2-s interval: 2 measurements
    assert.ok(Math.abs(Number(r.display(t).texts.smo2A) - expected) <= 0.051, `at ${t} s shows ${r.display(t).texts.smo2A}, expected ${expected}`);
  }
});

test('scenario: with one free ANT channel the second sensor shows "No ANT channel" and records nothing', () => {
  const s = makeSensors();
  const r = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b], freeAntChannels: 1 });
  r.runUntil(30, [{ t: 2, type: 'start' }]);
  assert.equal(r.display(20).texts.stateB, 'No ANT channel');
  assert.equal(r.display(20).texts.smo2A, smo2Of(profileA(20).smo2).toFixed(1));
  assert.ok(r.records.every((x) => x.values[2] === null), 'smo2_2 invalid throughout');
});
