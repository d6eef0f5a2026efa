// Chart queries: pick the coarsest resolution that still fills the chart, read it (with
// the not-yet-rolled-up tail computed from finer data), mark gaps, downsample.
import type { Resolution, SeriesData, SeriesQuery, SeriesRef } from '../../shared/types';
import { type ChunkStore, RES } from './chunks';
import { type Line, shapeRaw, shapeRollup } from './downsample';
import type { Rollups } from './rollup';
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
    if (res === 'raw') {
      const p = this.chunks.read(id, 'raw', q.from, q.to);
      return shapeRaw(p.t, p.cols[0], q.width);
    }
    const p = this.rollups.read(id, res, q.from, q.to);
    return shapeRollup(p, RES[res].step, q.width);
  }
}

function emptyLine(res: Resolution): Line {
  return res === 'raw' ? { t: [], v: [] } : { t: [], v: [], min: [], max: [] };
}
