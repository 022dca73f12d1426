// Four sensors on the thighs of one rider for five minutes, the layout of docs/fit-fields.md "Four
// sensors": sensors 1 and 2 on the left and right vastus lateralis have ANT+ extended (20-bit)
// device numbers (665 with transmission type 0x15 = 66201, 2001 with 0x35 = 198609), sensors 3 and
// 4 on the left and right vastus medialis have 16-bit numbers (3003, 4004). Sensor 3 is out of
// range from 100 s to 120 s (its record fields then carry 0xFFFF); sensor 4 desaturates deeply
// (5-13 %), so its raw x10 values are mostly below 100 and only the contract tells their scale.
import { SimulatedMoxy } from '../harness/moxy.mjs';
import { Ride } from '../harness/ride.mjs';

export const START_UNIX = 1767265200; // 2026-01-01T11:00:00Z
export const TIMER = { start: 5, laps: [150], stop: 305, save: 307, end: 312 };
export const SENSOR3_GONE = [100, 120];

export const vlLeft = (t) => ({ smo2: 62 + 6 * Math.sin(t / 20), thb: 12.4 + 0.2 * Math.sin(t / 30) });
export const vlRight = (t) => ({ smo2: 58 + 5 * Math.cos(t / 25), thb: 11.9 + 0.2 * Math.cos(t / 35) });
export const vmLeft = (t) => ({ smo2: 44 + 8 * Math.sin(t / 15), thb: 11.5 + 0.3 * Math.sin(t / 40) });
export const vmRight = (t) => ({ smo2: 9 + 4 * Math.sin(t / 18), thb: 10.8 + 0.25 * Math.cos(t / 22) });

// Full device numbers as the field saves and records them (bits 16-19 from the transmission type's upper nibble).
export const DEVICES = [665 + 1 * 65536, 2001 + 3 * 65536, 3003, 4004];

export const PROPERTIES = {
  device1: DEVICES[0], muscle1: 1, side1: 1, display1: 0,
  device2: DEVICES[1], muscle2: 1, side2: 2, display2: 0,
  device3: DEVICES[2], muscle3: 2, side3: 1, display3: 0,
  device4: DEVICES[3], muscle4: 2, side4: 2, display4: 0,
};

export function runFourSensorRide(options = {}) {
  const inside = (t, [a, b]) => t >= a && t < b;
  const sensors = [
    new SimulatedMoxy({ deviceNumber: 665, transmissionType: 0x15, profile: vlLeft, interval: 1, utcRequired: false, serial: 665 }),
    new SimulatedMoxy({ deviceNumber: 2001, transmissionType: 0x35, profile: vlRight, interval: 1, utcRequired: false, serial: 2001 }),
    new SimulatedMoxy({ deviceNumber: 3003, profile: vmLeft, interval: 1, utcRequired: false, serial: 3003, present: (t) => !inside(t, SENSOR3_GONE) }),
    new SimulatedMoxy({ deviceNumber: 4004, profile: vmRight, interval: 1, utcRequired: false, serial: 4004 }),
  ];
  const ride = new Ride({ startUnix: START_UNIX, properties: PROPERTIES, sensors, freeAntChannels: 4, ...options });
  ride.runUntil(TIMER.end, [
    { t: TIMER.start, type: 'start' },
    ...TIMER.laps.map((t) => ({ t, type: 'lap' })),
    { t: TIMER.stop, type: 'stop' },
    { t: TIMER.save, type: 'save' },
  ]);
  ride.stopApp();
  return { ride, sensors };
}
