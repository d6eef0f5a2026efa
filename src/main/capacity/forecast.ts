// The trend of one resource from its daily peaks: a least-squares line, its 95 % band, the
// values it projects and when it reaches the limit. Pure: values and `now` in, values out.
//
// Why the band and not only slope ± 2 SE: the line's uncertainty at a time t is
//   se(t) = s·√(1/n + (t − t̄)²/Sxx)
// (s the scatter of the peaks around the line, t̄ their mean time, Sxx the spread of their
// times), which holds the slope's uncertainty (growing with the distance from t̄) and the
// level's (s/√n). The band is line ± k·se(t), k the 95 % quantile of Student's t with n − 2
// degrees of freedom (about 2; 3.18 with 5 peaks). The limit date's interval is where the
// band's edges reach the limit: the upper edge first (earliest), the lower edge last
// (latest). The true line lies inside the band at its own crossing time with 95 %
// probability, and then it reaches the limit between those two dates: this is the classic
// interval for the x at which a fitted line takes a given y. When the lower edge never gets
// there within the horizon the latest date is open (null): the trend may not reach it at
// all.
import {
  CAPACITY_HORIZON_DAYS,
  type CapacityFit,
  type CapacityLinePoint,
  type CapacityPoint,
  type CapacityProjection,
  type CapacityStatus,
  PROJECTION_DAYS,
} from '../../shared/capacity';
import {
  type Fit,
  fitValue,
  linearFit,
  lineStdErr,
  residualStdDev,
  slopeStdErr,
  t95,
} from '../trend/linear';

export const DAY_MS = 86_400_000;
/** Fewer daily peaks than this make no trend worth stating. */
export const MIN_PEAKS = 5;

export interface TrendInput {
  /** Daily peaks in the window, oldest first. */
  peaks: readonly CapacityPoint[];
  /** The ceiling; null when none is known (projection only). */
  limit: number | null;
  now: number;
  windowDays: number;
  /** Values are shares in percent: projections are kept within 0-100. */
  percent: boolean;
}

export interface Trend {
  current: number | null;
  currentAt: number | null;
  fit: CapacityFit | null;
  projected: CapacityProjection[];
  limitReachedAt: number | null;
  limitInterval: { earliest: number; latest: number | null } | null;
  daysToLimit: number | null;
  status: CapacityStatus;
  levelShiftAt: number | null;
}

/** The line's value and 95 % band at time t. */
export interface Band {
  v: number;
  low: number;
  high: number;
}

export function bandAt(fit: Fit, t: number): Band {
  const v = fitValue(fit, t);
  const half = t95(fit.n - 2) * (lineStdErr(fit, t) ?? 0);
  return { v, low: v - half, high: v + half };
}

type Edge = keyof Band;

/**
 * The first time in [now, now + horizon] at which the chosen edge of the band is at or
 * above the limit, or null. Scanned in whole days, then narrowed by bisection to a
 * minute. The upper edge and the line only rise after the points' mean time when the slope
 * is positive; the lower edge can rise and then fall (when the slope is within k·SE of
 * zero), and the scan then finds its first crossing.
 */
export function crossing(
  fit: Fit,
  limit: number,
  now: number,
  edge: Edge,
  horizonMs = CAPACITY_HORIZON_DAYS * DAY_MS,
): number | null {
  const over = (t: number): boolean => bandAt(fit, t)[edge] >= limit;
  if (over(now)) return now;
  const step = DAY_MS;
  let lo = now;
  let hi = NaN;
  for (let t = now + step; t <= now + horizonMs + step / 2; t += step) {
    if (over(t)) {
      hi = t;
      break;
    }
    lo = t;
  }
  if (Number.isNaN(hi)) return null;
  while (hi - lo > 60_000) {
    const mid = (lo + hi) / 2;
    if (over(mid)) hi = mid;
    else lo = mid;
  }
  return Math.round(hi);
}

function clampShare(x: number, percent: boolean): number {
  return percent ? Math.min(100, Math.max(0, x)) : Math.max(0, x);
}

export function projectionsOf(fit: Fit, now: number, percent: boolean): CapacityProjection[] {
  return PROJECTION_DAYS.map((days) => {
    const b = bandAt(fit, now + days * DAY_MS);
    return {
      days,
      value: clampShare(b.v, percent),
      low: clampShare(b.low, percent),
      high: clampShare(b.high, percent),
    };
  });
}

export function fitSummary(
  fit: Fit,
  peaks: readonly CapacityPoint[],
  windowDays: number,
): CapacityFit {
  return {
    slopePerDay: fit.slope * DAY_MS,
    slopeStdErr: (slopeStdErr(fit) ?? 0) * DAY_MS,
    residualStdDev: residualStdDev(fit) ?? 0,
    points: fit.n,
    windowDays,
    from: peaks[0].t,
    to: peaks[peaks.length - 1].t,
  };
}

/** The fitted line of the peaks, or null when there are too few of them. */
export function fitPeaks(peaks: readonly CapacityPoint[]): Fit | null {
  if (peaks.length < MIN_PEAKS) return null;
  return linearFit(peaks);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Where the peaks jump to a new level (a volume grown, logs purged, a cache flushed, a
 * service restarted): the index of the first peak after the last jump, or 0. A straight line
 * through a jump says nothing about either side of it, so the fit starts after it.
 *
 * A jump is a day-to-day change that stands out from the usual ones: further from their
 * median than 6 robust standard deviations (median absolute deviation × 1.4826) and than a
 * floor (1 point for shares, 1 % of the level for sizes), so that a smooth series does not
 * see jumps in its rounding.
 */
export function levelShift(peaks: readonly CapacityPoint[], percent: boolean): number {
  if (peaks.length < 3) return 0;
  const d: number[] = [];
  for (let i = 1; i < peaks.length; i++) d.push(peaks[i].v - peaks[i - 1].v);
  const mid = median(d);
  const spread = 1.4826 * median(d.map((x) => Math.abs(x - mid)));
  const floor = percent ? 1 : 0.01 * median(peaks.map((p) => Math.abs(p.v)));
  const bar = Math.max(6 * spread, floor);
  let from = 0;
  for (let i = 0; i < d.length; i++) if (Math.abs(d[i] - mid) > bar) from = i + 1;
  return from;
}

/** The peaks a trend is fitted on: those after the last jump to a new level. */
export function usedPeaks(
  peaks: readonly CapacityPoint[],
  percent: boolean,
): { used: readonly CapacityPoint[]; levelShiftAt: number | null } {
  const from = levelShift(peaks, percent);
  return from === 0
    ? { used: peaks, levelShiftAt: null }
    : { used: peaks.slice(from), levelShiftAt: peaks[from].t };
}

export function trend(input: TrendInput): Trend {
  const { limit, now } = input;
  const { used: peaks, levelShiftAt } = usedPeaks(input.peaks, input.percent);
  const last = peaks.length > 0 ? peaks[peaks.length - 1] : null;
  const base = { current: last?.v ?? null, currentAt: last?.t ?? null, levelShiftAt };
  const fit = fitPeaks(peaks);
  if (!fit) {
    const none = { ...base, fit: null, projected: [], limitInterval: null };
    // Too few days for a trend says nothing about a resource that is already over its limit.
    if (last && limit !== null && last.v >= limit) {
      return { ...none, limitReachedAt: now, daysToLimit: 0, status: 'at-limit' };
    }
    return { ...none, limitReachedAt: null, daysToLimit: null, status: 'insufficient-data' };
  }
  const summary = fitSummary(fit, peaks, input.windowDays);
  const projected = projectionsOf(fit, now, input.percent);
  const shrinking = summary.slopePerDay + t95(fit.n - 2) * summary.slopeStdErr < 0;
  const noDate = {
    ...base,
    fit: summary,
    projected,
    limitReachedAt: null,
    limitInterval: null,
    daysToLimit: null,
  };
  if (limit === null) return { ...noDate, status: 'no-limit' };
  if (last && last.v >= limit) {
    return { ...noDate, limitReachedAt: now, daysToLimit: 0, status: 'at-limit' };
  }
  const at = crossing(fit, limit, now, 'v');
  if (at === null) return { ...noDate, status: shrinking ? 'shrinking' : 'ok' };
  const earliest = crossing(fit, limit, now, 'high') ?? at;
  const latest = crossing(fit, limit, now, 'low');
  return {
    ...noDate,
    limitReachedAt: at,
    limitInterval: { earliest: Math.min(earliest, at), latest },
    daysToLimit: (at - now) / DAY_MS,
    status: 'reaches-limit',
  };
}

/** The fitted line with its band at daily steps from `from` to `to`, for the chart. */
export function lineOf(fit: Fit, from: number, to: number, percent: boolean): CapacityLinePoint[] {
  const out: CapacityLinePoint[] = [];
  const push = (t: number): void => {
    const b = bandAt(fit, t);
    out.push({
      t,
      v: clampShare(b.v, percent),
      low: clampShare(b.low, percent),
      high: clampShare(b.high, percent),
    });
  };
  for (let t = from; t < to; t += DAY_MS) push(t);
  push(to);
  return out;
}
