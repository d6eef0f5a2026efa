// The anomaly model: a robust seasonal profile per series.
//
// Why this model. Operations series (load, connections, commits, traffic) follow the clock:
// a daily rhythm and, for business workloads, a weekly one. For each hour of the day (or of
// the week, once two weeks of history exist, so each weekly bucket has at least two
// samples of its own hour) we keep the median of the history and the median absolute
// deviation (MAD) of the residuals. A point is scored as a robust z-score: its distance from
// the expected value (the bucket medians, interpolated between hour centres so a steep
// morning ramp is not mistaken for noise) in units of 1.4826 × MAD, which equals one
// standard deviation for normal noise. Chosen over Holt-Winters because:
// - medians and MADs are not dragged by the incidents in the history itself (an outage
//   last Tuesday does not widen the band for this Tuesday), where Holt-Winters absorbs
//   every past incident into its level and seasonal terms;
// - there is no smoothing parameter to fit per series and nothing to converge: the profile
//   is rebuilt from the stored history in one pass (O(n log n) for the medians);
// - the band is easy to explain on a chart ("the usual value at this hour, ± k spreads").
// Its costs: a slow drift is seen only once it leaves the band (the profile is rebuilt
// hourly from four weeks, so a drift lasting weeks becomes the new normal), and a series
// whose rhythm is not tied to the clock gets a wide, flat band (few alarms, few detections).
// The model compares the mean of the last STEP (5 min) of samples, not a raw sample, so one
// odd sample moves it little; the rule's `forMs` then demands the deviation persist.
// With less than MIN_HISTORY of history, or a bucket with too few samples, there is no
// verdict: a fresh install never pages on a model that has not seen a day yet.
import type { Condition } from '../../shared/alerts';
import type { Point, Verdict } from './conditions';
import { NO_VERDICT } from './conditions';

export const STEP_MS = 5 * 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const LOOKBACK_MS = 28 * DAY;
export const MIN_HISTORY_MS = 3 * DAY;
const WEEKLY_AFTER_MS = 14 * DAY;
const MIN_BUCKET = 6;
const MAD_TO_SIGMA = 1.4826;

export interface AnomalyProfile {
  builtAt: number;
  weekly: boolean;
  /** Expected value at each bucket's centre (NaN: too few samples). */
  median: Float64Array;
  /** Robust standard deviation of the residuals per bucket (NaN: too few samples). */
  sigma: Float64Array;
}

function bucketCount(weekly: boolean): number {
  return weekly ? 168 : 24;
}

/** Hour of the day or of the week (UTC, Monday 00:00 = 0), as a fraction. */
function hourPosition(t: number, weekly: boolean): number {
  const h = t / HOUR;
  // 1970-01-01 was a Thursday: shift so the week starts on Monday.
  return weekly ? (((h + 72) % 168) + 168) % 168 : ((h % 24) + 24) % 24;
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The value of per-bucket centres interpolated at a fractional hour position. */
function interpolate(values: Float64Array, pos: number): number {
  const n = values.length;
  const x = pos - 0.5;
  const i0 = ((Math.floor(x) % n) + n) % n;
  const i1 = (i0 + 1) % n;
  const f = x - Math.floor(x);
  const a = values[i0];
  const b = values[i1];
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return a + (b - a) * f;
}

function groupBy(points: readonly Point[], weekly: boolean, value: (p: Point) => number) {
  const groups: number[][] = Array.from({ length: bucketCount(weekly) }, () => []);
  for (const p of points) groups[Math.floor(hourPosition(p.t, weekly))].push(value(p));
  return groups;
}

/** Builds the profile from history before `now`; null with too little history. */
export function buildProfile(history: readonly Point[], now: number): AnomalyProfile | null {
  const from = now - LOOKBACK_MS;
  const points = history.filter((p) => p.t >= from && p.t < now && Number.isFinite(p.v));
  if (points.length === 0 || now - points[0].t < MIN_HISTORY_MS) return null;
  const weekly = now - points[0].t >= WEEKLY_AFTER_MS;
  const med = Float64Array.from(
    groupBy(points, weekly, (p) => p.v),
    (g) => (g.length >= MIN_BUCKET ? median(g) : NaN),
  );
  const residuals = groupBy(points, weekly, (p) =>
    Math.abs(p.v - interpolate(med, hourPosition(p.t, weekly))),
  );
  const rawSigma = residuals.map((g) => (g.length >= MIN_BUCKET ? MAD_TO_SIGMA * median(g) : NaN));
  const floor = sigmaFloor(rawSigma, med);
  const sigma = Float64Array.from(rawSigma, (s) => (Number.isNaN(s) ? s : Math.max(s, floor)));
  return { builtAt: now, weekly, median: med, sigma };
}

/**
 * A flat, noiseless series has a MAD of 0, which would make any change infinitely
 * anomalous: the spread never drops below a fifth of the typical bucket's, nor below a
 * thousandth of the typical level.
 */
function sigmaFloor(sigmas: number[], med: Float64Array): number {
  const typical = median(sigmas.filter((s) => !Number.isNaN(s)));
  const level = median(
    Array.from(med)
      .filter((m) => !Number.isNaN(m))
      .map(Math.abs),
  );
  return Math.max(0.2 * (typical || 0), 1e-3 * (level || 0), 1e-9);
}

export interface Expected {
  expected: number;
  sigma: number;
}

export function expectedAt(profile: AnomalyProfile, t: number): Expected | null {
  const pos = hourPosition(t, profile.weekly);
  const bucket = Math.floor(pos);
  if (Number.isNaN(profile.median[bucket]) || Number.isNaN(profile.sigma[bucket])) return null;
  return {
    expected: interpolate(profile.median, pos),
    sigma: interpolate(profile.sigma, pos),
  };
}

/** Robust z-score of a value at t; null where the model has no verdict. */
export function anomalyScore(profile: AnomalyProfile, t: number, v: number): number | null {
  const e = expectedAt(profile, t);
  return e ? (v - e.expected) / e.sigma : null;
}

/** Mean of the points in (now - STEP_MS, now]: what the model compares. */
export function recentMean(points: readonly Point[], now: number): number | null {
  let n = 0;
  let sum = 0;
  for (let i = points.length - 1; i >= 0 && points[i].t > now - STEP_MS; i--) {
    if (points[i].t > now) continue;
    n++;
    sum += points[i].v;
  }
  return n > 0 ? sum / n : null;
}

export function anomalyVerdict(
  c: Extract<Condition, { kind: 'anomaly' }>,
  profile: AnomalyProfile | null,
  mean: number | null,
  now: number,
): Verdict {
  if (!profile || mean === null) return NO_VERDICT;
  const z = anomalyScore(profile, now, mean);
  if (z === null) return NO_VERDICT;
  return { active: Math.abs(z) > c.sensitivity, value: mean };
}

export interface Band {
  expected: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
}

export function bandAt(profile: AnomalyProfile | null, ts: readonly number[], k: number): Band {
  const out: Band = { expected: [], low: [], high: [] };
  for (const t of ts) {
    const e = profile ? expectedAt(profile, t) : null;
    out.expected.push(e ? e.expected : null);
    out.low.push(e ? e.expected - k * e.sigma : null);
    out.high.push(e ? e.expected + k * e.sigma : null);
  }
  return out;
}
