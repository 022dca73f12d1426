// The two display modes of issue 16 driven through the field's real Monkey C: live balance
// biofeedback of a VL/VM pair the rider corrects, and an eight-site resting calf and thigh check
// with one sensor moved from site to site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBalanceRide, BAND } from '../scenarios/balance-ride.mjs';
import { runAssessmentRide, SITES, siteStart, SETTLING_SITE, HOLD_S, START_UNIX as ASSESS_START, reading } from '../scenarios/assessment-ride.mjs';
import { Ride } from '../harness/ride.mjs';
import { SimulatedMoxy } from '../harness/moxy.mjs';

const balance = runBalanceRide();
const RED = 0xff0000;
const BLACK = 0x000000;
const f1 = (x) => Math.round(x * 10) / 10;

// The colour the Dc was set to for the drawText of `text` at second t.
function colourOf(ride, t, text) {
  const calls = ride.display(t).calls;
  const i = calls.findIndex((c) => c.op === 'drawText' && c.args[3] === text);
  assert.ok(i > 0, `"${text}" drawn at ${t} s`);
  return calls.slice(0, i).reverse().find((c) => c.op === 'setColor').args[0];
}
const trendAt = (ride, t) => {
  const c = ride.display(t).calls.find((x) => x.op === 'fillPolygon' || x.op === 'fillRectangle' && x.args[3] === 3);
  if (!c) return 'none';
  if (c.op === 'fillRectangle') return 'flat';
  const [apex, b] = c.args[0];
  return apex[1] < b[1] ? 'up' : 'down';
};
// Mean of the per-second difference over the 5 s the field smooths (its own values: raw/10).
function smoothed(t) {
  let s = 0;
  for (let k = 0; k < 5; k++) s += f1(balance.sensors.vl.lastPage1(t - k).smo2) - f1(balance.sensors.vm.lastPage1(t - k).smo2);
  return s / 5;
}

test('balance: the pair is VL-VM from the muscle settings, with the band from the settings', () => {
  assert.equal(balance.ride.display(30).texts.balLabel, 'VL-VM [-5,5]');
  assert.equal(balance.ride.display(30).texts.balValues, `${f1(balance.sensors.vl.lastPage1(30).smo2).toFixed(1)} | ${f1(balance.sensors.vm.lastPage1(30).smo2).toFixed(1)}`);
});

test('balance: the SmO2 difference is smoothed over 5 s and shown with its sign', () => {
  for (const t of [40, 75, 100, 135, 180]) {
    const shown = Number(balance.ride.display(t).texts.balSmo2);
    assert.ok(Math.abs(shown - smoothed(t)) <= 0.051, `at ${t} s shows ${shown}, smoothed difference ${smoothed(t).toFixed(2)}`);
  }
  assert.match(balance.ride.display(40).texts.balSmo2, /^\+\d\.\d$/, 'signed, one decimal');
  assert.match(balance.ride.display(40).texts.balThb, /^\+0\.\d\d$/, 'tHb difference in g/dL');
});

test('balance: inside the band the difference is drawn in the normal colour, outside in red', () => {
  const inside = balance.ride.display(40).texts.balSmo2;
  const outside = balance.ride.display(100).texts.balSmo2;
  assert.ok(Number(outside) > BAND[1], `difference ${outside} above the band`);
  assert.equal(colourOf(balance.ride, 40, inside), BLACK);
  assert.equal(colourOf(balance.ride, 100, outside), RED);
  assert.equal(colourOf(balance.ride, 190, balance.ride.display(190).texts.balSmo2), BLACK, 'corrected: back in the band');
});

test('balance: the trend arrow follows the difference over the last 20 s', () => {
  assert.equal(trendAt(balance.ride, 50), 'flat');
  assert.equal(trendAt(balance.ride, 75), 'up', 'VM desaturating: the difference grows');
  assert.equal(trendAt(balance.ride, 110), 'flat');
  assert.equal(trendAt(balance.ride, 140), 'down', 'the rider corrects');
  assert.equal(trendAt(balance.ride, 12), 'none', 'not enough history yet');
});

test('balance: leaving the band sounds one alert (setting on), not one per second', () => {
  const tones = balance.ride.device.attention.filter((a) => a.tone !== undefined);
  assert.equal(tones.length, 1);
  assert.ok(tones[0].t > 60 && tones[0].t < 80, `alert at ${tones[0].t} s`);
});

test('balance: every sensor value is still recorded in balance mode', () => {
  const r = balance.ride.records.find((x) => x.t - balance.ride.device.startUnix === 100).values;
  assert.equal(r[0], Math.fround(f1(balance.sensors.vl.lastPage1(100).smo2)));
  assert.equal(r[2], Math.fround(f1(balance.sensors.vm.lastPage1(100).smo2)));
});

test('balance: readable on the smallest screens (fr255s round 218 px, edgemtb 240 px), two fields per screen', () => {
  for (const [product, shape, width, height] of [['fr255s', 'round', 218, 109], ['edgemtb', 'rectangle', 240, 160], ['fr255s', 'round', 218, 60]]) {
    const { ride } = runBalanceRide({ product, shape, width, height });
    for (const t of [40, 100]) {
      for (const c of ride.display(t).calls.filter((x) => x.op === 'drawText')) {
        const [x, y, font, text] = c.args;
        const fontHeight = [12, 16, 20, 24, 30, 32, 40, 56, 70][font];
        const w = Math.round(text.length * fontHeight * 0.6);
        assert.ok(w <= width - 8, `${product} ${width}x${height}: "${text}" is ${w} px wide`);
        assert.ok(y - fontHeight / 2 >= 0 && y + fontHeight / 2 <= height + 2, `${product}: "${text}" fits vertically at y ${y}`);
        assert.ok(x - w / 2 >= 0 && x + w / 2 <= width, `${product}: "${text}" stays inside`);
      }
    }
  }
});

test('balance: with one sensor on the field says so instead of showing a difference', () => {
  const s = new SimulatedMoxy({ deviceNumber: 665, profile: () => ({ smo2: 60, thb: 12 }), interval: 1, utcRequired: false });
  const ride = new Ride({ properties: { device1: 665, display2: 2, mode: 1 }, sensors: [s] });
  ride.runUntil(10);
  assert.equal(ride.display(5).texts.balLabel, 'Balance: turn on 2 sensors');
  assert.equal(ride.display(5).texts.balSmo2, '--');
});

const assessment = runAssessmentRide();
const assessRecords = assessment.ride.records;
function siteResults(records) {
  const out = [];
  let last = null;
  for (const r of records) {
    const v = r.values;
    if (v[60] !== last && v[60] >= 1 && v[60] <= 8) out.push({ t: r.t, site: v[60], muscle: v[61], side: v[62], smo2: v[63], thb: v[64] });
    last = v[60];
  }
  return out;
}

test('assessment: eight sites recorded in order with their muscle and side codes', () => {
  const results = siteResults(assessRecords);
  assert.deepEqual(results.map((r) => [r.site, r.muscle, r.side]), SITES.map(([m, s], k) => [k + 1, m, s]));
});

test('assessment: each site\'s SmO2 and tHb are the means over a steady hold, scaled like the native fields', () => {
  const results = siteResults(assessRecords);
  results.forEach((r, k) => {
    const [, , smo2, thb] = SITES[k];
    assert.ok(Math.abs(r.smo2 - smo2 * 10) <= 2, `site ${k + 1} SmO2 x10 ${r.smo2} vs ${smo2 * 10}`);
    assert.ok(Math.abs(r.thb - thb * 100) <= 2, `site ${k + 1} tHb x100 ${r.thb} vs ${thb * 100}`);
  });
});

test('assessment: a settling reading restarts the hold, so a site takes the settable hold after it is steady', () => {
  const results = siteResults(assessRecords);
  const recordedAfter = results.map((r, k) => r.t - ASSESS_START - siteStart(k));
  recordedAfter.forEach((s, k) => {
    // The placing second counts as the first of the hold; a common page (80/81/82) in that second
    // delays the first reading by one.
    if (k !== SETTLING_SITE) assert.ok(s === HOLD_S - 1 || s === HOLD_S, `site ${k + 1} recorded ${s} s after placing`);
  });
  assert.ok(recordedAfter[SETTLING_SITE] >= 6 + HOLD_S - 1, `settling site recorded ${recordedAfter[SETTLING_SITE]} s after placing`);
});

test('assessment: the screen guides site by site and ends with all sites saved', () => {
  const d = (t) => assessment.ride.display(t).texts;
  assert.equal(d(10).asmTitle, '1/8 GM L');
  assert.equal(d(10).asmSite, 'Place on GM L');
  assert.match(d(siteStart(0) + 10).asmSite, /^Hold still \d+ s$/);
  assert.equal(d(siteStart(0) + 40).asmSite, 'Saved. Move sensor');
  assert.equal(d(siteStart(4) + 10).asmTitle, '5/8 VL L');
  assert.equal(d(siteStart(8) + 5).asmSite, 'All sites saved');
});

test('assessment: the record marker is 0 before the first site and 0xFF outside assessment mode', () => {
  assert.equal(assessRecords[0].values[60], 0, 'assessment running, no site yet');
  assert.equal(balance.ride.records[0].values[60], 0xff, 'balance mode is no assessment');
});

test('assessment: a lap press moves on without lifting the sensor; the hold time is a setting', () => {
  const s = new SimulatedMoxy({ deviceNumber: 665, profile: (t) => ({ smo2: t < 30 ? 50 : 65, thb: 12 }), interval: 1, utcRequired: false });
  const ride = new Ride({ startUnix: ASSESS_START, properties: { device1: 665, display2: 2, mode: 2, assessHold: 10, assessSites: 'TA L, TA R' }, sensors: [s] });
  ride.runUntil(80, [{ t: 2, type: 'start' }, { t: 30, type: 'lap' }]);
  const results = siteResults(ride.records);
  assert.deepEqual(results.map((r) => [r.site, r.muscle, r.side, r.smo2]), [[1, 8, 1, 500], [2, 8, 2, 650]]);
  assert.ok(results[0].t - ASSESS_START <= 13, `first site after a 10-s hold (${results[0].t - ASSESS_START} s)`);
});

test('assessment: an unreadable site list is named in the settings problem, the default plan is used', () => {
  const s = new SimulatedMoxy({ deviceNumber: 665, profile: reading, interval: 1, utcRequired: false });
  const ride = new Ride({ properties: { device1: 665, display2: 2, mode: 2, assessSites: 'GM L, XX R' }, sensors: [s] });
  ride.runUntil(3);
  const options = ride.interp.callFunction(ride.interp.global.members.get('NirsSync').members.get('SettingsStore').members.get('loadOptions'), null, []);
  assert.equal(options.fields.get('problem'), 'assessment site 2: unknown muscle "XX"');
  assert.equal(ride.display(2).texts.asmTitle, '1/8 GM L');
});
