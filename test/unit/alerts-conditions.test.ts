// Each condition type on generated series, with the clock passed in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  absentVerdict,
  forecastVerdict,
  linearFit,
  projectLimit,
  rateVerdict,
  thresholdVerdict,
  type Point,
} from '../../src/main/alerts/conditions';
import { formatValue, render } from '../../src/main/alerts/template';

const T0 = Date.UTC(2026, 0, 5, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A point every `everyMs` from `from` for `count` points, v = f(t - from). */
function series(from: number, everyMs: number, count: number, f: (dt: number) => number): Point[] {
  return Array.from({ length: count }, (_, i) => ({ t: from + i * everyMs, v: f(i * everyMs) }));
}

describe('threshold', () => {
  test('each comparison, and no verdict without a value', () => {
    const last = { t: T0, v: 90 };
    assert.equal(thresholdVerdict({ kind: 'threshold', op: '>', value: 90 }, last).active, false);
    assert.equal(thresholdVerdict({ kind: 'threshold', op: '>=', value: 90 }, last).active, true);
    assert.equal(thresholdVerdict({ kind: 'threshold', op: '<', value: 95 }, last).active, true);
    assert.equal(thresholdVerdict({ kind: 'threshold', op: '<=', value: 89 }, last).active, false);
    assert.equal(thresholdVerdict({ kind: 'threshold', op: '>', value: 1 }, null).active, null);
  });
});

describe('rate', () => {
  const c = { kind: 'rate' as const, op: '>' as const, perHour: 100, windowMs: HOUR };

  test('least squares recovers the slope through noise', () => {
    const pts = series(
      T0,
      10_000,
      361,
      (dt) => 1000 + (dt / HOUR) * 150 + ((dt / 10_000) % 2 ? 5 : -5),
    );
    const v = rateVerdict(c, pts, T0 + HOUR);
    assert.equal(v.active, true);
    assert.ok(Math.abs((v.value ?? 0) - 150) < 2, `rate ${v.value}`);
  });

  test('a flat series does not fire; a half-empty window has no verdict', () => {
    const flat = series(T0, 10_000, 361, () => 5);
    assert.equal(rateVerdict(c, flat, T0 + HOUR).active, false);
    const short = series(T0 + 40 * MIN, 10_000, 120, (dt) => dt);
    assert.equal(rateVerdict(c, short, T0 + HOUR).active, null);
  });
});

describe('forecast', () => {
  const c = { kind: 'forecast' as const, limit: 100, windowMs: 12 * HOUR, horizonMs: 7 * DAY };

  test('a disk growing 2 %/day from 80 % is full in 10 days: not within 7', () => {
    const pts = series(T0, 5 * MIN, 145, (dt) => 80 + (dt / DAY) * 2);
    const now = T0 + 12 * HOUR;
    const v = forecastVerdict(c, pts, now);
    assert.equal(v.active, false);
    const days = ((v.projectedAt ?? 0) - now) / DAY;
    assert.ok(Math.abs(days - 9.5) < 0.05, `projected in ${days} days`);
  });

  test('4 %/day from 80 % is full in 4.75 days: fires, with the projected time', () => {
    const pts = series(T0, 5 * MIN, 145, (dt) => 80 + (dt / DAY) * 4);
    const now = T0 + 12 * HOUR;
    const v = forecastVerdict(c, pts, now);
    assert.equal(v.active, true);
    assert.ok(Math.abs(((v.projectedAt ?? 0) - now) / DAY - 4.5) < 0.05);
  });

  test('a shrinking disk, a flat one and a floor limit', () => {
    const shrinking = series(T0, 5 * MIN, 145, (dt) => 80 - (dt / DAY) * 4);
    assert.equal(forecastVerdict(c, shrinking, T0 + 12 * HOUR).active, false);
    const flat = series(T0, 5 * MIN, 145, () => 50);
    assert.equal(forecastVerdict(c, flat, T0 + 12 * HOUR).active, false);
    const floor = { ...c, limit: 0 };
    const draining = series(T0, 5 * MIN, 145, (dt) => 20 - (dt / DAY) * 10);
    assert.equal(forecastVerdict(floor, draining, T0 + 12 * HOUR).active, true);
  });

  test('a line that crossed the limit within the window is there now', () => {
    const fit = linearFit(series(T0, MIN, 10, (dt) => 95 + dt / MIN))!;
    assert.equal(projectLimit(fit, 100, T0 + 10 * MIN), T0 + 10 * MIN);
  });

  test('too little of the window covered: no verdict', () => {
    const pts = series(T0 + 10 * HOUR, 5 * MIN, 24, (dt) => 90 + dt / HOUR);
    assert.equal(forecastVerdict(c, pts, T0 + 12 * HOUR).active, null);
  });
});

describe('absent', () => {
  const c = { kind: 'absent' as const, intervals: 2 };
  const base = { intervalMs: 10_000, missedRounds: 0 };

  test('missed rounds count at round time; silence counts with half an interval of grace', () => {
    assert.equal(
      absentVerdict(c, { ...base, lastT: T0, now: T0 + 10_000, missedRounds: 1 }).active,
      false,
    );
    assert.equal(
      absentVerdict(c, { ...base, lastT: T0, now: T0 + 20_000, missedRounds: 2 }).active,
      true,
    );
    assert.equal(absentVerdict(c, { ...base, lastT: T0, now: T0 + 24_000 }).active, false);
    assert.equal(absentVerdict(c, { ...base, lastT: T0, now: T0 + 25_000 }).active, true);
  });

  test('a series never seen has no verdict (no alarm on a fresh install)', () => {
    assert.equal(absentVerdict(c, { ...base, lastT: null, now: T0 + DAY }).active, null);
  });
});

describe('message templates', () => {
  test('values in their unit, labels, unknown placeholders left visible', () => {
    const vars = {
      target: 'web-1',
      metric: 'host.fs.used_pct',
      value: 93.456,
      threshold: 90,
      labels: { mount: '/var' },
    };
    assert.equal(
      render('{{labels.mount}} on {{target}} is {{value}} full (> {{threshold}}) {{nope}}', vars),
      '/var on web-1 is 93.5 % full (> 90 %) {{nope}}',
    );
    assert.equal(formatValue(3 * 1024 ** 3, 'bytes'), '3 GiB');
    assert.equal(formatValue(5400, 'seconds'), '90 min');
    assert.equal(formatValue(null, 'percent'), 'no data');
  });
});
