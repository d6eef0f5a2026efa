// Least-squares lines through time series, with the uncertainty of the fit. Pure: used by
// the alert engine's rate and forecast conditions and by capacity forecasts.

export interface Point {
  t: number;
  v: number;
}

export interface Fit {
  /** Change per ms. */
  slope: number;
  /** Mean time of the points; the line is centred there for numerical stability. */
  at: number;
  /** Fitted value at `at` (the mean value). */
  valueAt: number;
  n: number;
  /** Sum of squared time deviations from `at` (ms²). */
  sxx: number;
  /** Sum of squared residuals around the line. */
  sse: number;
}

/** Least-squares line through the points at or after `from`; null under 2 distinct times. */
export function linearFit(points: readonly Point[], from = 0): Fit | null {
  let n = 0;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    if (p.t < from) continue;
    n++;
    st += p.t;
    sv += p.v;
  }
  if (n < 2) return null;
  const mt = st / n;
  const mv = sv / n;
  let sxv = 0;
  let sxx = 0;
  let svv = 0;
  for (const p of points) {
    if (p.t < from) continue;
    const dt = p.t - mt;
    const dv = p.v - mv;
    sxv += dt * dv;
    sxx += dt * dt;
    svv += dv * dv;
  }
  if (sxx === 0) return null;
  const slope = sxv / sxx;
  // Residual sum of squares, clamped: rounding can leave it a hair below zero on a
  // perfectly straight line.
  const sse = Math.max(0, svv - slope * sxv);
  return { slope, at: mt, valueAt: mv, n, sxx, sse };
}

/** The fitted value at time t. */
export function fitValue(fit: Fit, t: number): number {
  return fit.valueAt + fit.slope * (t - fit.at);
}

/** Residual standard deviation (n - 2 degrees of freedom); null under 3 points. */
export function residualStdDev(fit: Fit): number | null {
  return fit.n > 2 ? Math.sqrt(fit.sse / (fit.n - 2)) : null;
}

/** Standard error of the slope (per ms); null under 3 points. */
export function slopeStdErr(fit: Fit): number | null {
  const s = residualStdDev(fit);
  return s === null ? null : s / Math.sqrt(fit.sxx);
}

/**
 * Standard error of the fitted line (the mean value) at time t: s·√(1/n + (t − t̄)²/Sxx).
 * It grows away from the points' mean time: the slope's uncertainty is multiplied by the
 * distance, and the level's uncertainty (s/√n) adds to it.
 */
export function lineStdErr(fit: Fit, t: number): number | null {
  const s = residualStdDev(fit);
  if (s === null) return null;
  const d = t - fit.at;
  return s * Math.sqrt(1 / fit.n + (d * d) / fit.sxx);
}

// Two-sided 95 % quantiles of Student's t by degrees of freedom (n − 2 for a line).
const T95: readonly [number, number][] = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [7, 2.365],
  [8, 2.306],
  [9, 2.262],
  [10, 2.228],
  [12, 2.179],
  [15, 2.131],
  [20, 2.086],
  [25, 2.06],
  [30, 2.042],
  [40, 2.021],
  [60, 2.0],
  [120, 1.98],
];

/**
 * The multiplier k of a 95 % band "fit ± k standard errors": about 2 for many points, more
 * for few (3.18 with 5 points), so a fit on a handful of days does not claim a narrow band.
 * Between table rows the next smaller df is used, which errs on the wide side.
 */
export function t95(df: number): number {
  if (df < 1) return Infinity;
  let k = T95[0][1];
  for (const [d, q] of T95) if (d <= df) k = q;
  return df > 120 ? 1.96 : k;
}

/**
 * When the fitted line reaches `limit`: `now` when it is already there, null when it is
 * flat or moving away. Whether the limit is a ceiling or a floor follows from the side the
 * window's mean lies on (disk full at 100 is a ceiling, memory left at 0 a floor).
 */
export function projectLimit(fit: Fit, limit: number, now: number): number | null {
  const current = fitValue(fit, now);
  const ceiling = fit.valueAt <= limit;
  if (ceiling ? current >= limit : current <= limit) return now;
  const toward = ceiling ? fit.slope > 0 : fit.slope < 0;
  return toward ? now + (limit - current) / fit.slope : null;
}
