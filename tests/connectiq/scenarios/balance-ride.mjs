// Live balance biofeedback: a rider with Moxys on the left vastus lateralis (sensor 1, 665) and
// the left vastus medialis (sensor 2, 2001). The difference VL - VM starts inside the target band
// [-5, 5], drifts out as VM desaturates (fatigue) from 60 s, and the rider corrects the
// coordination from 120 s until it is back in the band at 150 s.
import { SimulatedMoxy } from '../harness/moxy.mjs';
import { Ride } from '../harness/ride.mjs';

export const START_UNIX = 1767258000;
export const BAND = [-5, 5];
const ramp = (t, t0, t1, a, b) => (t <= t0 ? a : t >= t1 ? b : a + ((b - a) * (t - t0)) / (t1 - t0));
// Small deterministic ripple like a real trace (cadence-locked oscillation).
const ripple = (t, k) => 0.3 * Math.sin(t * 1.7 + k);

export function vl(t) { return { smo2: 62 + ripple(t, 0), thb: 12.4 + 0.01 * Math.sin(t) }; }
export function vm(t) {
  const drop = ramp(t, 60, 80, 0, 10) - ramp(t, 120, 150, 0, 10);
  return { smo2: 60 - drop + ripple(t, 1), thb: 12.1 - 0.02 * drop };
}
// The difference the rider sees (VL - VM) at t, before smoothing.
export function difference(t) { return vl(t).smo2 - vm(t).smo2; }

export const PROPERTIES = {
  device1: 665, muscle1: 1, side1: 1, display1: 0,
  device2: 2001, muscle2: 2, side2: 1, display2: 0,
  mode: 1, bandLow: BAND[0], bandHigh: BAND[1], balanceAlert: true,
};

export function runBalanceRide(options = {}) {
  const sensors = {
    vl: new SimulatedMoxy({ deviceNumber: 665, profile: vl, interval: 1, utcRequired: false }),
    vm: new SimulatedMoxy({ deviceNumber: 2001, profile: vm, interval: 1, utcRequired: false }),
  };
  const ride = new Ride({ startUnix: START_UNIX, properties: PROPERTIES, sensors: [sensors.vl, sensors.vm], ...options });
  ride.runUntil(215, [{ t: 5, type: 'start' }, { t: 205, type: 'stop' }, { t: 207, type: 'save' }]);
  ride.stopApp();
  return { ride, sensors };
}
