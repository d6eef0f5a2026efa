// Pure helpers for what is drawn over a chart besides its lines: the expected band of the
// anomaly model, shaded stretches (anomalies, where a rule would have fired) and the window
// a chart shows when it is opened at a moment in the past.
import { createContext } from 'react';
import type { AnomalyBand } from '../../../shared/alerts';
import type { ChartRow } from './rows';

export const EXPECTED_KEY = 'expected__band';

/** A stretch of time shaded on a chart, with the word said for it. */
export interface Mark {
  from: number;
  to: number;
  label: string;
}

/** True when the band holds at least two points with both bounds. */
export function bandUsable(band: AnomalyBand | null | undefined): band is AnomalyBand {
  if (!band) return false;
  let n = 0;
  for (let i = 0; i < band.t.length; i++) {
    if (typeof band.low[i] === 'number' && typeof band.high[i] === 'number') n++;
    if (n >= 2) return true;
  }
  return false;
}

function interpolate(band: AnomalyBand, t: number, j: number): [number, number] | null {
  const lo0 = band.low[j - 1];
  const hi0 = band.high[j - 1];
  const lo1 = band.low[j];
  const hi1 = band.high[j];
  if (lo0 == null || hi0 == null || lo1 == null || hi1 == null) return null;
  const t0 = band.t[j - 1];
  const t1 = band.t[j];
  const f = t1 === t0 ? 0 : (t - t0) / (t1 - t0);
  return [lo0 + (lo1 - lo0) * f, hi0 + (hi1 - hi0) * f];
}

/**
 * Copies the rows with the band's [low, high] at each row's time (interpolated between the
 * band's points; nothing outside them). Rows are not added, so the lines keep their gaps.
 */
export function withExpected(rows: ChartRow[], band: AnomalyBand | null | undefined): ChartRow[] {
  if (!bandUsable(band)) return rows;
  let j = 0;
  return rows.map((row) => {
    while (j < band.t.length && band.t[j] < row.t) j++;
    let cell: [number, number] | null = null;
    if (j < band.t.length && band.t[j] === row.t) {
      const lo = band.low[j];
      const hi = band.high[j];
      cell = lo != null && hi != null ? [lo, hi] : null;
    } else if (j > 0 && j < band.t.length) {
      cell = interpolate(band, row.t, j);
    }
    return { ...row, [EXPECTED_KEY]: cell };
  });
}

/** The highest upper bound of the band, 0 without one. */
export function bandMax(band: AnomalyBand | null | undefined): number {
  if (!band) return 0;
  let max = 0;
  for (const v of band.high) if (typeof v === 'number' && Number.isFinite(v) && v > max) max = v;
  return max;
}

/** Stretches clipped to [from, to], dropped when outside, merged when they overlap. */
export function clipMarks(marks: Mark[], from: number, to: number): Mark[] {
  const inside = marks
    .map((m) => ({ ...m, from: Math.max(m.from, from), to: Math.min(m.to, to) }))
    .filter((m) => m.to >= m.from)
    .sort((a, b) => a.from - b.from);
  const out: Mark[] = [];
  for (const m of inside) {
    const last = out[out.length - 1];
    if (last && m.from <= last.to && m.label === last.label) last.to = Math.max(last.to, m.to);
    else out.push({ ...m });
  }
  return out;
}

/** The chart window [from, to] of `rangeMs` around `at` (centred), never past `now`. */
export function windowAt(at: number, rangeMs: number, now: number): [number, number] {
  const to = Math.min(now, at + rangeMs / 2);
  return [to - rangeMs, to];
}

/** Set by a target page opened at a moment (#/target/x?at=...): charts centre on it. */
export const ChartAtContext = createContext<number | null>(null);
