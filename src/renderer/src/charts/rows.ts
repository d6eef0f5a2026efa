// Pure shaping of SeriesData into chart rows: one row per timestamp, gaps kept as null,
// rollup min/max as bands, stacks computed here so a missing part breaks the whole stack.
import { seriesKey } from '../../../shared/metrics';
import type { Sample, SeriesData, SeriesRef } from '../../../shared/types';

export interface ChartLine {
  /** Row key for this line, unique within a chart. */
  key: string;
  ref: SeriesRef;
  name: string;
  color: string;
}

export type RowValue = number | null | [number, number] | boolean;

export interface ChartRow {
  t: number;
  [key: string]: RowValue;
}

export const bandKey = (key: string): string => `${key}__band`;
export const stackKey = (key: string): string => `${key}__stack`;
/** Set on a row where the line's value was interpolated between two real points. */
export const estKey = (key: string): string => `${key}__est`;

interface Points {
  t: number[];
  v: (number | null)[];
  min: (number | null)[] | null;
  max: (number | null)[] | null;
}

function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Inserts a null where the spacing between two points is far above the usual spacing, so a
 * stretch without samples shows as a gap instead of a straight line across it.
 */
export function withBreaks(p: Points): Points {
  if (p.t.length < 3) return p;
  const deltas: number[] = [];
  for (let i = 1; i < p.t.length; i++) deltas.push(p.t[i] - p.t[i - 1]);
  const step = median(deltas);
  if (step <= 0) return p;
  const out: Points = { t: [], v: [], min: p.min ? [] : null, max: p.max ? [] : null };
  for (let i = 0; i < p.t.length; i++) {
    if (i > 0 && p.t[i] - p.t[i - 1] > step * 3.5) {
      out.t.push(p.t[i - 1] + step);
      out.v.push(null);
      out.min?.push(null);
      out.max?.push(null);
    }
    out.t.push(p.t[i]);
    out.v.push(finite(p.v[i]));
    out.min?.push(finite(p.min?.[i]));
    out.max?.push(finite(p.max?.[i]));
  }
  return out;
}

function pointsOf(d: SeriesData): Points {
  return withBreaks({ t: d.t, v: d.v, min: d.min ?? null, max: d.max ?? null });
}

function lerp(
  t: number,
  t0: number,
  v0: number | null,
  t1: number,
  v1: number | null,
): number | null {
  if (v0 === null || v1 === null) return null;
  if (t1 === t0) return v0;
  return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}

/** The line's value at each of `times` (sorted): exact where it has a point, else estimated. */
function alignTo(
  times: number[],
  p: Points,
): { v: (number | null)[]; lo: (number | null)[]; hi: (number | null)[]; est: boolean[] } {
  const v: (number | null)[] = [];
  const lo: (number | null)[] = [];
  const hi: (number | null)[] = [];
  const est: boolean[] = [];
  let j = 0;
  for (const t of times) {
    while (j < p.t.length && p.t[j] < t) j++;
    if (j < p.t.length && p.t[j] === t) {
      v.push(p.v[j]);
      lo.push(p.min?.[j] ?? null);
      hi.push(p.max?.[j] ?? null);
      est.push(false);
      continue;
    }
    // Between points j-1 and j (another line has a point here): estimate, gaps stay gaps.
    const a = j - 1;
    const inside = a >= 0 && j < p.t.length;
    v.push(inside ? lerp(t, p.t[a], p.v[a], p.t[j], p.v[j]) : null);
    lo.push(inside && p.min ? lerp(t, p.t[a], p.min[a], p.t[j], p.min[j]) : null);
    hi.push(inside && p.max ? lerp(t, p.t[a], p.max[a], p.t[j], p.max[j]) : null);
    est.push(inside);
  }
  return { v, lo, hi, est };
}

export interface Shaped {
  rows: ChartRow[];
  /** Line keys that have a min/max band. */
  banded: Set<string>;
  /** Line keys that have at least one value. */
  present: Set<string>;
}

/** Merges the answer of a query into rows for the given lines. */
export function shapeRows(lines: ChartLine[], data: SeriesData[], stacked: boolean): Shaped {
  const byKey = new Map(data.map((d) => [seriesKey(d.metric, d.labels), d]));
  const points = new Map<string, Points>();
  for (const line of lines) {
    const d = byKey.get(seriesKey(line.ref.metric, line.ref.labels));
    if (d) points.set(line.key, pointsOf(d));
  }
  const times = [...new Set([...points.values()].flatMap((p) => p.t))].sort((a, b) => a - b);
  const rows: ChartRow[] = times.map((t) => ({ t }));
  const banded = new Set<string>();
  const present = new Set<string>();
  for (const line of lines) {
    const p = points.get(line.key);
    if (!p) continue;
    const a = alignTo(times, p);
    const hasBand = p.min !== null && p.max !== null && !stacked;
    if (hasBand) banded.add(line.key);
    rows.forEach((row, i) => {
      row[line.key] = a.v[i];
      if (a.v[i] !== null) present.add(line.key);
      if (a.est[i]) row[estKey(line.key)] = true;
      if (hasBand) {
        const lo = a.lo[i];
        const hi = a.hi[i];
        row[bandKey(line.key)] = lo !== null && hi !== null ? [lo, hi] : null;
      }
    });
  }
  if (stacked) stackRows(rows, lines);
  return { rows, banded, present };
}

/** Cumulative [low, high] per line; a missing part makes it and everything above it a gap. */
export function stackRows(rows: ChartRow[], lines: ChartLine[]): void {
  for (const row of rows) {
    let base: number | null = 0;
    for (const line of lines) {
      const v = row[line.key];
      if (typeof v !== 'number' || base === null) {
        row[stackKey(line.key)] = null;
        base = null;
        continue;
      }
      row[stackKey(line.key)] = [base, base + v];
      base += v;
    }
  }
}

/** Appends a pushed sample to a raw answer and drops what fell out of the window. */
export function appendSample(
  data: SeriesData[],
  refs: SeriesRef[],
  sample: Sample,
  from: number,
): SeriesData[] {
  const wanted = new Set(refs.map((r) => seriesKey(r.metric, r.labels)));
  const incoming = new Map<string, number | null>();
  for (const p of sample.points) {
    const key = seriesKey(p.metric, p.labels);
    if (wanted.has(key)) incoming.set(key, finite(p.value));
  }
  if (incoming.size === 0) return data;
  const out = data.map((d) => {
    const key = seriesKey(d.metric, d.labels);
    if (!incoming.has(key)) return trim(d, from);
    const v = incoming.get(key) ?? null;
    incoming.delete(key);
    const last = d.t.length ? d.t[d.t.length - 1] : -Infinity;
    if (sample.t <= last) return trim(d, from);
    return trim(
      {
        ...d,
        t: [...d.t, sample.t],
        v: [...d.v, v],
        min: d.min ? [...d.min, v] : undefined,
        max: d.max ? [...d.max, v] : undefined,
      },
      from,
    );
  });
  for (const [key, v] of incoming) {
    const ref = refs.find((r) => seriesKey(r.metric, r.labels) === key)!;
    out.push({
      metric: ref.metric,
      labels: ref.labels ?? {},
      resolution: 'raw',
      t: [sample.t],
      v: [v],
    });
  }
  return out;
}

function trim(d: SeriesData, from: number): SeriesData {
  let i = 0;
  while (i < d.t.length && d.t[i] < from) i++;
  if (i === 0) return d;
  return {
    ...d,
    t: d.t.slice(i),
    v: d.v.slice(i),
    min: d.min?.slice(i),
    max: d.max?.slice(i),
  };
}

/** The last non-null value of a series in an answer, with its time. */
export function lastValue(data: SeriesData | undefined): { t: number; v: number } | null {
  if (!data) return null;
  for (let i = data.v.length - 1; i >= 0; i--) {
    const v = finite(data.v[i]);
    if (v !== null) return { t: data.t[i], v };
  }
  return null;
}

const STEPS = [
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
  21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000,
];

/** Time ticks on round local-time boundaries, about one per `pxPerTick` pixels. */
export function timeTicks(from: number, to: number, width: number, pxPerTick = 90): number[] {
  const want = Math.max(2, Math.floor(width / pxPerTick));
  const step = STEPS.find((s) => (to - from) / s <= want) ?? STEPS[STEPS.length - 1];
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const first = Math.ceil((from - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return ticks;
}
