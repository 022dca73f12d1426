// A resting spot check of eight calf and thigh sites with one Moxy moved from site to site:
// medial and lateral gastrocnemius left and right, then vastus lateralis and medialis left and
// right (the field's default plan). The sensor is lifted (ambient light) for 4 s between sites and
// rests 44 s on each; on the third site the reading settles for the first 6 s (8 points high),
// so the field must restart its steady hold there.
import { SimulatedMoxy } from '../harness/moxy.mjs';
import { Ride } from '../harness/ride.mjs';

export const START_UNIX = 1767261600;
export const FIRST_SITE_AT = 20;
export const LIFT_S = 4;
export const ON_SITE_S = 44;
// [muscle code, side code, SmO2 %, tHb g/dL] per site, in the order measured.
export const SITES = [
  [6, 1, 55.0, 11.20], [7, 1, 60.0, 11.50], [6, 2, 57.0, 11.30], [7, 2, 62.0, 11.60],
  [1, 1, 70.0, 12.40], [2, 1, 66.0, 12.10], [1, 2, 72.0, 12.50], [2, 2, 68.0, 12.20],
];
export const SETTLING_SITE = 2;
export const HOLD_S = 30;

export function siteStart(k) { return FIRST_SITE_AT + k * (LIFT_S + ON_SITE_S); }

export function reading(t) {
  if (t < FIRST_SITE_AT) return { smo2: 'ambient', thb: 'ambient' };
  const k = Math.floor((t - FIRST_SITE_AT) / (LIFT_S + ON_SITE_S));
  const into = t - siteStart(k);
  if (k >= SITES.length || into >= ON_SITE_S) return { smo2: 'ambient', thb: 'ambient' }; // lifted
  const [, , smo2, thb] = SITES[k];
  const settle = k === SETTLING_SITE && into < 6 ? 8 : 0;
  return { smo2: smo2 + settle + 0.4 * Math.sin(into * 2.3), thb: thb + 0.02 * Math.sin(into * 1.1) };
}

export const PROPERTIES = { device1: 665, muscle1: 0, side1: 0, display1: 0, display2: 2, mode: 2, assessHold: HOLD_S };

export function runAssessmentRide(options = {}) {
  const sensor = new SimulatedMoxy({ deviceNumber: 665, profile: reading, interval: 1, utcRequired: false });
  const end = siteStart(SITES.length) + 10;
  const ride = new Ride({ startUnix: START_UNIX, properties: PROPERTIES, sensors: [sensor], ...options });
  ride.runUntil(end, [{ t: 5, type: 'start' }, { t: end - 6, type: 'stop' }, { t: end - 4, type: 'save' }]);
  ride.stopApp();
  return { ride, sensor };
}
