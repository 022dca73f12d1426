// The reference ride: one hour with two Moxys on the left and right vastus lateralis and a third
// rider's Moxy nearby. Sensor A pairs by wildcard search, sensor B by its saved device number.
import { SimulatedMoxy } from '../harness/moxy.mjs';
import { Ride } from '../harness/ride.mjs';

export const START_UNIX = 1767254400; // 2026-01-01T08:00:00Z
export const UTC_OFFSET = 3600;
export const TIMER = { start: 10, laps: [900, 1815, 2700], stop: 3610, save: 3612, end: 3615 };
export const A_DROPOUT = [1800, 1830];
export const A_AMBIENT = [600, 620];
export const A_INVALID = [1210, 1216];
export const FOREIGN_FROM = 300;

const inside = (t, [a, b]) => t >= a && t < b;

// Sensor A: 2-s measurement interval, event count starting near its roll-over, asks for UTC time.
export function profileA(t) {
  if (inside(t, A_AMBIENT)) return { smo2: 'ambient', thb: 'ambient' };
  const smo2 = 62 + 12 * Math.sin((2 * Math.PI * t) / 600) - (t >= 2000 && t < 2300 ? 18 : 0);
  const thb = 12.5 + 0.8 * Math.sin((2 * Math.PI * t) / 300);
  if (inside(t, A_INVALID)) return { smo2: 'invalid', thb };
  return { smo2, thb };
}
// Sensor B: 0.25-s interval, reports a low battery on page 82.
export function profileB(t) {
  return { smo2: 48 + 10 * Math.cos((2 * Math.PI * t) / 900), thb: 11.2 + 0.3 * Math.sin((2 * Math.PI * t) / 450) };
}
// Someone else's sensor: constant values that must never appear in this ride.
export function profileForeign() { return { smo2: 21.0, thb: 9.99 }; }

export function makeSensors() {
  return {
    a: new SimulatedMoxy({ deviceNumber: 665, profile: profileA, interval: 2, eventCountStart: 250, utcRequired: true, present: (t) => !inside(t, A_DROPOUT), serial: 665 }),
    b: new SimulatedMoxy({ deviceNumber: 2001, profile: profileB, interval: 0.25, utcRequired: false, batteryStatus: 4, serial: 2001 }),
    foreign: new SimulatedMoxy({ deviceNumber: 4242, profile: profileForeign, interval: 1, utcRequired: false, present: (t) => t >= FOREIGN_FROM }),
  };
}

export const PROPERTIES = {
  device1: 0, muscle1: 1, side1: 1, display1: 0,
  device2: 2001, muscle2: 1, side2: 2, display2: 0,
};

export function rideEvents() {
  return [
    { t: TIMER.start, type: 'start' },
    ...TIMER.laps.map((t) => ({ t, type: 'lap' })),
    { t: TIMER.stop, type: 'stop' },
    { t: TIMER.save, type: 'save' },
  ];
}

// Runs the whole reference ride and returns the Ride (records, laps, session, displays) and sensors.
export function runOneHourRide(options = {}) {
  const sensors = makeSensors();
  const ride = new Ride({
    startUnix: START_UNIX, utcOffsetSeconds: UTC_OFFSET, properties: PROPERTIES,
    sensors: [sensors.a, sensors.b, sensors.foreign], ...options,
  });
  ride.runUntil(TIMER.end, rideEvents());
  ride.stopApp();
  return { ride, sensors };
}
