// Daily peaks from a stored series read at 1-hour resolution. Pure.
//
// A "day" is a 24-hour stretch ending at `now` (the last one is the last 24 hours), so every
// day is whole and the newest peak is fresh. Each peak is placed at the middle of the hour
// that held it, so the fit sees when the peak happened, not an arbitrary day boundary.
import type { CapacityPoint } from '../../shared/capacity';
import { assertNever } from '../../shared/result';
import type { SeriesData } from '../../shared/types';
import { DAY_MS } from './forecast';

/**
 * What one hour contributes to its day's peak:
 * - max: the hour's highest sample (filesystem, database size, Redis memory);
 * - avg: the hour's mean (CPU: a busy hour, not a one-second spike);
 * - used-from-available: 100 − the hour's lowest "available %" (memory used at its worst).
 */
export type PeakHow = 'max' | 'avg' | 'used-from-available';

function hourValue(d: SeriesData, i: number, how: PeakHow): number | null {
  const v = d.v[i];
  switch (how) {
    case 'max':
      return d.max?.[i] ?? v;
    case 'avg':
      return v;
    case 'used-from-available': {
      const low = d.min?.[i] ?? v;
      return low === null ? null : 100 - low;
    }
    default:
      return assertNever(how, 'peak kind');
  }
}

/** How long one point of the line covers: an hour, a minute, or nothing for raw samples. */
function stepOf(d: SeriesData): number {
  switch (d.resolution) {
    case '1h':
      return 3_600_000;
    case '1m':
      return 60_000;
    case 'raw':
      return 0;
    default:
      return assertNever(d.resolution, 'resolution');
  }
}

/** The highest value of each 24-hour stretch ending at `now`, oldest first. */
export function dailyPeaks(
  d: SeriesData,
  how: PeakHow,
  now: number,
  windowDays: number,
): CapacityPoint[] {
  const half = stepOf(d) / 2;
  const best = new Map<number, CapacityPoint>();
  for (let i = 0; i < d.t.length; i++) {
    const x = hourValue(d, i, how);
    if (x === null || !Number.isFinite(x)) continue;
    const t = Math.min(now, d.t[i] + half);
    const day = Math.floor((now - t) / DAY_MS);
    if (day < 0 || day >= windowDays) continue;
    const seen = best.get(day);
    if (!seen || x > seen.v) best.set(day, { t, v: x });
  }
  return [...best.entries()].sort((a, b) => b[0] - a[0]).map(([, p]) => p);
}
