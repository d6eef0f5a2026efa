// Chart queries: pick the coarsest resolution that still fills the chart, read it (with
// the not-yet-rolled-up tail computed from finer data), mark gaps, downsample.
import type { Resolution, SeriesData, SeriesQuery, SeriesRef } from '../../shared/types';
import { type ChunkStore, HOUR, MINUTE, RES } from './chunks';
import {
  downsampleRaw,
  insertGaps,
  joinLines,
  type Line,
  medianDelta,
  shapeRollup,
} from './downsample';
import type { RollupPoints, RollupRes, Rollups } from './rollup';
import { type SeriesRegistry, sortedLabels } from './series';

/** Coarsest first; a chart wants at least width / FILL_FACTOR points. */
const COARSE_TO_FINE: readonly Resolution[] = ['1h', '1m', 'raw'];
const FILL_FACTOR = 2;

/**
 * The coarsest resolution whose expected point count over [from, to] is at least half the
 * width. A series collected less often than a rollup step has at most one point per its
 * own interval, hence the max.
 */
export function chooseResolution(
  from: number,
  to: number,
  width: number,
  intervalMs: number,
): Resolution {
  for (const res of COARSE_TO_FINE) {
    if (res === 'raw') break;
    const every = Math.max(RES[res].step, intervalMs);
    if ((to - from) / every >= width / FILL_FACTOR) return res;
  }
  return 'raw';
}

/** The chosen resolution and the finer ones to fall back to, in that order. */
export function fallbackOrder(chosen: Resolution): Resolution[] {
  return COARSE_TO_FINE.slice(COARSE_TO_FINE.indexOf(chosen)) as Resolution[];
}

function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** NaN and Infinity never leave the store: JSON would turn them into null or choke. */
export function jsonSafe(line: Line): Line {
  const out: Line = { t: line.t, v: line.v.map(finiteOrNull) };
  if (line.min) out.min = line.min.map(finiteOrNull);
  if (line.max) out.max = line.max.map(finiteOrNull);
  return out;
}

export class Queries {
  constructor(
    private readonly series: SeriesRegistry,
    private readonly chunks: ChunkStore,
    private readonly rollups: Rollups,
  ) {}

  run(q: SeriesQuery, intervalMs: number): SeriesData[] {
    const chosen = chooseResolution(q.from, q.to, q.width, intervalMs);
    let out: SeriesData[] = [];
    for (const res of fallbackOrder(chosen)) {
      out = q.series.map((ref) => this.one(q, ref, res));
      if (out.some((s) => s.t.length > 0)) break;
    }
    return out;
  }

  private one(q: SeriesQuery, ref: SeriesRef, res: Resolution): SeriesData {
    const s = this.series.find(q.targetId, ref);
    const labels = s ? { ...s.labels } : sortedLabels(ref.labels);
    const line = s ? jsonSafe(this.line(s.id, res, q)) : emptyLine(res);
    return { metric: ref.metric, labels, resolution: res, ...line };
  }

  private line(id: number, res: Resolution, q: SeriesQuery): Line {
    if (res === 'raw') return downsampleRaw(this.rawLine(id, q.from, q.to), q.width);
    const p = this.rollupPoints(id, res, q.from, q.to);
    return shapeRollup(p, RES[res].step, q.width);
  }

  /**
   * Raw samples with gaps marked; where retention already removed the start of the range,
   * the 1m rollup (avg) fills it so the chart is not half empty.
   */
  private rawLine(id: number, from: number, to: number): Line {
    const p = this.chunks.read(id, 'raw', from, to);
    const raw = insertGaps({ t: p.t, v: p.cols[0] }, medianDelta(p.t));
    const first = p.t.length > 0 ? p.t[0] : to + 1;
    if (first - from <= MINUTE) return raw;
    const older = this.rollupPoints(id, '1m', from, first - 1);
    // Only whole minutes before the first raw sample: a bucket that reaches into the raw
    // samples would add an average placed up to a minute before the series existed.
    const keep = older.t.filter((t) => t + MINUTE <= first).length;
    const t = older.t.slice(0, keep);
    const interval = Math.max(MINUTE, medianDelta(t));
    return joinLines(insertGaps({ t, v: older.avg.slice(0, keep) }, interval), raw, interval);
  }

  /** Rollup points; where 1m retention removed the start of the range, 1h fills it. */
  private rollupPoints(id: number, res: RollupRes, from: number, to: number): RollupPoints {
    const p = this.rollups.read(id, res, from, to);
    const first = p.t.length > 0 ? p.t[0] : to + 1;
    if (res === '1h' || first - from <= HOUR) return p;
    const older = this.rollups.read(id, '1h', from, first - 1);
    return concatRollups(older, p, first, HOUR);
  }
}

/** `older` buckets that end by `first`, then all of `newer`. */
function concatRollups(
  older: RollupPoints,
  newer: RollupPoints,
  first: number,
  step: number,
): RollupPoints {
  const keep = older.t.filter((t) => t + step <= first).length;
  const cut = (a: number[], b: number[]): number[] => a.slice(0, keep).concat(b);
  return {
    t: cut(older.t, newer.t),
    count: cut(older.count, newer.count),
    min: cut(older.min, newer.min),
    max: cut(older.max, newer.max),
    avg: cut(older.avg, newer.avg),
  };
}

function emptyLine(res: Resolution): Line {
  return res === 'raw' ? { t: [], v: [] } : { t: [], v: [], min: [], max: [] };
}
