// Shaping series for a chart: explicit gaps where samples are missing, and at most
// 2 x width points (recharts draws SVG and slows down past a few thousand points).
// Pure functions: values in, values out.
import { type RollupPoints, rollupRollups } from './rollup';

/** Samples missing for more than this many intervals break the line. */
export const GAP_FACTOR = 2.5;

export interface Line {
  t: number[];
  v: (number | null)[];
  min?: (number | null)[];
  max?: (number | null)[];
}

/** Median spacing of consecutive times (0 for fewer than two). */
export function medianDelta(t: number[]): number {
  if (t.length < 2) return 0;
  const d = new Float64Array(t.length - 1);
  for (let i = 1; i < t.length; i++) d[i - 1] = t[i] - t[i - 1];
  d.sort();
  return d[d.length >> 1];
}

function pushPoint(out: Line, src: Line, i: number): void {
  out.t.push(src.t[i]);
  out.v.push(src.v[i]);
  if (src.min && out.min) out.min.push(src.min[i]);
  if (src.max && out.max) out.max.push(src.max[i]);
}

function pushNull(out: Line, t: number): void {
  out.t.push(t);
  out.v.push(null);
  out.min?.push(null);
  out.max?.push(null);
}

function emptyLike(src: Line): Line {
  return src.min ? { t: [], v: [], min: [], max: [] } : { t: [], v: [] };
}

/**
 * Inserts a null after a point followed by a silence of more than GAP_FACTOR intervals,
 * and keeps only the first of consecutive nulls.
 */
export function insertGaps(line: Line, interval: number): Line {
  const out = emptyLike(line);
  for (let i = 0; i < line.t.length; i++) {
    const n = out.v.length;
    const afterValue = n > 0 && out.v[n - 1] !== null;
    if (line.v[i] === null) {
      if (afterValue) pushPoint(out, line, i);
      continue;
    }
    if (afterValue && interval > 0 && line.t[i] - out.t[n - 1] > GAP_FACTOR * interval) {
      pushNull(out, out.t[n - 1] + interval);
    }
    pushPoint(out, line, i);
  }
  return out;
}

/** Largest-Triangle-Three-Buckets (Steinarsson, 2013): indices of n representative points. */
export function lttb(t: number[], v: number[], n: number): number[] {
  const len = t.length;
  if (n >= len) return Array.from({ length: len }, (_, i) => i);
  if (n <= 1) return len > 0 ? [len - 1] : [];
  if (n === 2) return [0, len - 1];
  const every = (len - 2) / (n - 2);
  const out = [0];
  let a = 0;
  for (let i = 0; i < n - 2; i++) {
    a = pickInBucket(t, v, a, Math.floor(i * every) + 1, Math.floor((i + 1) * every) + 1, every, i);
    out.push(a);
  }
  out.push(len - 1);
  return out;
}

function pickInBucket(
  t: number[],
  v: number[],
  a: number,
  from: number,
  to: number,
  every: number,
  i: number,
): number {
  const [cx, cy] = nextBucketMean(t, v, Math.floor((i + 1) * every) + 1, every);
  let best = from;
  let bestArea = -1;
  for (let j = from; j < to; j++) {
    const area = Math.abs((t[a] - cx) * (v[j] - v[a]) - (t[a] - t[j]) * (cy - v[a]));
    if (area > bestArea) {
      bestArea = area;
      best = j;
    }
  }
  return best;
}

function nextBucketMean(t: number[], v: number[], from: number, every: number): [number, number] {
  const to = Math.min(Math.floor(from + every), t.length);
  let sx = 0;
  let sy = 0;
  for (let j = from; j < to; j++) {
    sx += t[j];
    sy += v[j];
  }
  const n = to - from;
  return n > 0 ? [sx / n, sy / n] : [t[t.length - 1], v[v.length - 1]];
}

/** Raw samples for a chart: gaps marked, then LTTB per unbroken run, within 2 x width. */
export function shapeRaw(t: number[], v: (number | null)[], width: number): Line {
  return downsampleRaw(insertGaps({ t, v }, medianDelta(t)), width);
}

/** A line with gaps already marked, cut down to 2 x width points. */
export function downsampleRaw(line: Line, width: number): Line {
  const max = 2 * width;
  if (line.t.length <= max) return line;
  return lttbRuns(line, max) ?? bucketRaw(line, width, medianDelta(line.t));
}

/** `a` then `b` (later), with a null between when they are more than 2.5 intervals apart. */
export function joinLines(a: Line, b: Line, interval: number): Line {
  if (a.t.length === 0) return b;
  if (b.t.length === 0) return a;
  const out = emptyLike(a);
  for (let i = 0; i < a.t.length; i++) pushPoint(out, a, i);
  const last = a.t.length - 1;
  const apart = b.t[0] - a.t[last] > GAP_FACTOR * interval;
  if (apart && a.v[last] !== null && b.v[0] !== null) pushNull(out, a.t[last] + interval);
  for (let i = 0; i < b.t.length; i++) pushPoint(out, b, i);
  return out;
}

interface Run {
  from: number;
  to: number;
}

function runsOf(line: Line): Run[] {
  const runs: Run[] = [];
  let start = -1;
  for (let i = 0; i <= line.v.length; i++) {
    const isNull = i === line.v.length || line.v[i] === null;
    if (!isNull && start < 0) start = i;
    if (isNull && start >= 0) {
      runs.push({ from: start, to: i });
      start = -1;
    }
  }
  return runs;
}

/** LTTB on each run between nulls, the point budget shared by run length; null if too broken. */
function lttbRuns(line: Line, max: number): Line | null {
  const runs = runsOf(line);
  const nulls = line.v.length - runs.reduce((s, r) => s + r.to - r.from, 0);
  const budgets = shareBudget(
    runs.map((r) => r.to - r.from),
    max - nulls,
  );
  if (!budgets) return null;
  const out: Line = { t: [], v: [] };
  let next = 0;
  runs.forEach((r, k) => {
    for (; next < r.from; next++) pushPoint(out, line, next);
    const ts = line.t.slice(r.from, r.to);
    const vs = line.v.slice(r.from, r.to) as number[];
    for (const j of lttb(ts, vs, budgets[k])) pushPoint(out, line, r.from + j);
    next = r.to;
  });
  for (; next < line.t.length; next++) pushPoint(out, line, next);
  return out;
}

/** Splits `budget` points over runs in proportion to their length, at least 2 each. */
export function shareBudget(lengths: number[], budget: number): number[] | null {
  const base = lengths.map((l) => Math.min(l, 2));
  const baseSum = base.reduce((s, b) => s + b, 0);
  if (budget < baseSum + lengths.length) return null;
  const rest = budget - baseSum;
  const spare = lengths.reduce((s, l, i) => s + l - base[i], 0);
  return lengths.map((l, i) =>
    Math.min(l, base[i] + Math.floor((rest * (l - base[i])) / Math.max(1, spare))),
  );
}

/** Too broken for LTTB: the average per time bucket, nulls kept, about `width` points. */
function bucketRaw(line: Line, width: number, interval: number): Line {
  const span = bucketSpan(line.t, width, 1);
  const out: Line = { t: [], v: [] };
  let key = NaN;
  let sum = 0;
  let n = 0;
  const emit = (): void => {
    if (Number.isNaN(key)) return;
    out.t.push(key * span);
    out.v.push(n > 0 ? sum / n : null);
  };
  for (let i = 0; i < line.t.length; i++) {
    const k = Math.floor(line.t[i] / span);
    if (k !== key) {
      emit();
      key = k;
      sum = 0;
      n = 0;
    }
    const x = line.v[i];
    if (x !== null) {
      sum += x;
      n++;
    }
  }
  emit();
  return insertGaps(out, Math.max(interval, span));
}

/** A bucket length that cuts [first, last] into at most `width` buckets, a multiple of step. */
function bucketSpan(t: number[], width: number, step: number): number {
  const range = t.length > 0 ? t[t.length - 1] - t[0] + 1 : 1;
  return Math.max(step, Math.ceil(range / width / step) * step);
}

function rollupLine(p: RollupPoints): Line {
  return { t: p.t, v: p.avg, min: p.min, max: p.max };
}

/** Rollup points for a chart: avg with min and max, gaps marked, within 2 x width. */
export function shapeRollup(p: RollupPoints, step: number, width: number): Line {
  const interval = Math.max(step, medianDelta(p.t));
  const line = insertGaps(rollupLine(p), interval);
  if (line.t.length <= 2 * width) return line;
  const span = bucketSpan(p.t, width, step);
  // Min of mins, max of maxes, count-weighted avg per aligned bucket of `span`.
  return insertGaps(rollupLine(rollupRollups(p, span)), Math.max(interval, span));
}
