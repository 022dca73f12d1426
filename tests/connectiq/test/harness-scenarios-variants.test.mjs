// Shorter rides for situations the reference ride does not contain: pause, a sensor switched on
// after the start, settings edited during the ride.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSensors, profileA, PROPERTIES, START_UNIX } from '../scenarios/one-hour-ride.mjs';
import { Ride } from '../harness/ride.mjs';
import { SimulatedMoxy } from '../harness/moxy.mjs';

const smo2Of = (v) => Math.fround(Math.round(v * 10) / 10);
const sec = (r) => r.t - START_UNIX;

test('variant: samples while the timer is paused are neither recorded nor counted', () => {
  const s = makeSensors();
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b] });
  ride.runUntil(200, [{ t: 5, type: 'start' }, { t: 60, type: 'pause' }, { t: 120, type: 'resume' }, { t: 180, type: 'stop' }, { t: 182, type: 'save' }]);
  assert.equal(ride.records.length, 55 + 60);
  assert.ok(ride.records.every((r) => sec(r) < 60 || sec(r) >= 120));
  const v = ride.records.map((r) => r.values[0]);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  assert.ok(Math.abs(ride.session.values[30] - Math.round(mean * 10)) <= 1, `session mean ${ride.session.values[30]} vs records ${mean}`);
  assert.equal(ride.session.values[31], Math.round(Math.min(...v) * 10));
  assert.equal(ride.session.values[32], Math.round(Math.max(...v) * 10));
});

test('variant: a sensor switched on a minute after the start is still found (the field reopens after each search timeout)', () => {
  const late = new SimulatedMoxy({ deviceNumber: 665, profile: profileA, interval: 2, present: (t) => t >= 60 });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665, display2: 2 }, sensors: [late] });
  ride.runUntil(90, [{ t: 2, type: 'start' }]);
  const closes = ride.device.radio.events.filter((e) => e.channel === 0 && e.code === 7).map((e) => e.t);
  assert.deepEqual(closes, [24.75, 49.75], 'two search timeouts before the sensor appears');
  assert.equal(ride.display(50).texts.stateA, 'Searching');
  assert.equal(ride.display(70).texts.smo2A, smo2Of(profileA(70).smo2).toFixed(1));
  assert.equal(ride.records.find((r) => sec(r) === 70).values[0], smo2Of(profileA(70).smo2));
  assert.equal(ride.display(70).texts.labelB, undefined, 'sensor 2 off: single layout');
});

test('variant: settings changed mid-ride relabel the muscle and re-pair a changed device number', () => {
  const s = makeSensors();
  const other = new SimulatedMoxy({ deviceNumber: 777, profile: () => ({ smo2: 33.3, thb: 10.5 }), interval: 1, utcRequired: false });
  const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b, other] });
  ride.runUntil(30, [{ t: 2, type: 'start' }]);
  ride.changeSettings({ muscle2: 4, device1: 777 });
  ride.runUntil(60, [{ t: 50, type: 'stop' }, { t: 52, type: 'save' }]);
  assert.equal(ride.display(40).texts.labelB, 'BF R');
  assert.equal(ride.display(40).texts.smo2A, '33.3');
  assert.equal(ride.records.find((r) => sec(r) === 40).values[0], smo2Of(33.3));
  assert.equal(ride.session.values[53], 4, 'muscle_2 biceps femoris');
  assert.equal(ride.session.values[52], 777, 'device_1 follows the new device number');
  assert.equal(ride.device.radio.channels.filter((c) => !c.released).length, 2, 'the released channel was replaced, not leaked');
});

test('variant: lap values do not depend on whether onTimerLap runs before or after the lap message is written', () => {
  const run = (lapOrder) => {
    const s = makeSensors();
    const ride = new Ride({ startUnix: START_UNIX, properties: { ...PROPERTIES, device1: 665 }, sensors: [s.a, s.b], lapOrder });
    ride.runUntil(200, [{ t: 5, type: 'start' }, { t: 70, type: 'lap' }, { t: 140, type: 'lap' }, { t: 190, type: 'stop' }, { t: 192, type: 'save' }]);
    return ride.laps;
  };
  const after = run('write-then-callback');
  assert.equal(after.length, 3);
  assert.ok(after.every((l) => l.values[10] !== 0xffff), 'every lap has a SmO2 mean');
  assert.deepEqual(run('callback-then-write'), after);
});

test('variant: four sensors are read, drawn in four cells and recorded (sensors 3-4 as scaled uint16)', () => {
  const flat = (smo2, thb) => () => ({ smo2, thb });
  const sensors = [
    new SimulatedMoxy({ deviceNumber: 665, profile: flat(61.2, 12.3), interval: 1, utcRequired: false }),
    new SimulatedMoxy({ deviceNumber: 2001, profile: flat(58.4, 11.9), interval: 1, utcRequired: false }),
    new SimulatedMoxy({ deviceNumber: 3003, profile: flat(55.5, 11.5), interval: 1, utcRequired: false }),
    new SimulatedMoxy({ deviceNumber: 4004, profile: flat(52.1, 11.1), interval: 1, utcRequired: false }),
  ];
  const ride = new Ride({
    startUnix: START_UNIX, sensors, freeAntChannels: 4,
    properties: {
      device1: 665, muscle1: 1, side1: 1, device2: 2001, muscle2: 1, side2: 2,
      device3: 3003, muscle3: 2, side3: 1, display3: 0, device4: 4004, muscle4: 2, side4: 2, display4: 0,
    },
  });
  ride.runUntil(40, [{ t: 2, type: 'start' }, { t: 30, type: 'stop' }, { t: 32, type: 'save' }]);
  const d = ride.display(20).texts;
  assert.deepEqual([d.labelA, d.labelB, d.labelC, d.labelD], ['VL L', 'VL R', 'VM L', 'VM R']);
  assert.deepEqual([d.smo2A, d.smo2B, d.smo2C, d.smo2D], ['61.2', '58.4', '55.5', '52.1']);
  const r = ride.records.find((x) => sec(x) === 20).values;
  assert.deepEqual([r[0], r[2], r[4], r[5], r[6], r[7]], [smo2Of(61.2), smo2Of(58.4), 555, 1150, 521, 1110]);
  assert.equal(ride.device.fit.fields.length, 49, 'with sensors 3 and 4 on, every field of the contract');
  const lap = ride.laps.at(-1).values;
  assert.deepEqual([lap[24], lap[25], lap[26], lap[27]], [2, 1, 2, 2], 'muscle and side of sensors 3 and 4 in the lap');
  assert.equal(ride.device.radio.channels.filter((c) => !c.released).length, 4, 'one channel per sensor');
  ride.stopApp();
  assert.equal(ride.device.radio.channels.filter((c) => !c.released).length, 0, 'all four channels released when the app stopped');
});
