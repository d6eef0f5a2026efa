// Rollups: per-bucket count, min, max and avg of a series at 1 minute and 1 hour.
//
// A bucket is rolled up once, when its end is older than `now - ROLLUP_GRACE_MS`: that
// grace covers a slow collection round (samples are stamped when the round starts).
// Samples that arrive later than that for an already rolled-up bucket stay in raw but do
// not change the rollup. Everything after the last rolled-up bucket is computed from the
// finer data when queried, so charts never lag behind the rollup job.
import type { Resolution } from '../../shared/types';
import { type ChunkStore, HOUR, MINUTE, type Points, RES } from './chunks';
import type { Db } from './db';
import { quantize } from './series';

export const ROLLUP_GRACE_MS = 2 * MINUTE;

export type RollupRes = Exclude<Resolution, 'raw'>;

/** Parallel arrays, one entry per bucket that held at least one value. */
export interface RollupPoints {
  t: number[];
  count: number[];
  min: number[];
  max: number[];
  avg: number[];
}

export function emptyRollup(): RollupPoints {
  return { t: [], count: [], min: [], max: [], avg: [] };
}

class Bucket {
  start = NaN;
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  reset(start: number): void {
    this.start = start;
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.sum = 0;
  }

  add(count: number, min: number, max: number, sum: number): void {
    this.count += count;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    this.sum += sum;
  }

  emit(out: RollupPoints): void {
    if (this.count === 0) return;
    out.t.push(this.start);
    out.count.push(this.count);
    out.min.push(this.min);
    out.max.push(this.max);
    out.avg.push(quantize(this.sum / this.count));
  }
}

/** Buckets raw samples (sorted by t); null values are not counted. */
export function rollupRaw(t: number[], v: (number | null)[], step: number): RollupPoints {
  const out = emptyRollup();
  const b = new Bucket();
  for (let i = 0; i < t.length; i++) {
    const x = v[i];
    if (x === null || !Number.isFinite(x)) continue;
    const start = Math.floor(t[i] / step) * step;
    if (start !== b.start) {
      b.emit(out);
      b.reset(start);
    }
    b.add(1, x, x, x);
  }
  b.emit(out);
  return out;
}

/** Merges finer rollup points (sorted by t) into buckets of `step`, weighting avg by count. */
export function rollupRollups(p: RollupPoints, step: number): RollupPoints {
  const out = emptyRollup();
  const b = new Bucket();
  for (let i = 0; i < p.t.length; i++) {
    const start = Math.floor(p.t[i] / step) * step;
    if (start !== b.start) {
      b.emit(out);
      b.reset(start);
    }
    b.add(p.count[i], p.min[i], p.max[i], p.avg[i] * p.count[i]);
  }
  b.emit(out);
  return out;
}

export function rollupFromColumns(p: Points): RollupPoints {
  const out = emptyRollup();
  const [count, min, max, avg] = p.cols;
  for (let i = 0; i < p.t.length; i++) {
    const c = count[i];
    if (c === null || c <= 0 || min[i] === null || max[i] === null || avg[i] === null) continue;
    out.t.push(p.t[i]);
    out.count.push(c);
    out.min.push(min[i]!);
    out.max.push(max[i]!);
    out.avg.push(avg[i]!);
  }
  return out;
}

function appendRollup(a: RollupPoints, b: RollupPoints, after: number): void {
  for (let i = 0; i < b.t.length; i++) {
    if (b.t[i] <= after) continue;
    a.t.push(b.t[i]);
    a.count.push(b.count[i]);
    a.min.push(b.min[i]);
    a.max.push(b.max[i]);
    a.avg.push(b.avg[i]);
  }
}

const SOURCE: Record<RollupRes, Resolution> = { '1m': 'raw', '1h': '1m' };
const WATERMARK_KEY: Record<RollupRes, string> = {
  '1m': 'rollup.1m.until',
  '1h': 'rollup.1h.until',
};

/** Rolls up completed buckets and reads rollups stitched with what is not rolled up yet. */
export class Rollups {
  private readonly watermarks = new Map<RollupRes, number | null>();

  constructor(
    private readonly db: Db,
    private readonly chunks: ChunkStore,
  ) {
    this.reload();
  }

  /** Re-reads the watermarks from the file (after a failed transaction). */
  reload(): void {
    for (const res of ['1m', '1h'] as const) this.watermarks.set(res, this.loadWatermark(res));
  }

  /** All buckets starting before this time are rolled up (null: never ran). */
  watermark(res: RollupRes): number | null {
    return this.watermarks.get(res) ?? null;
  }

  /**
   * Rolls up buckets completed by `now` and writes them through the chunk store. The caller
   * holds the transaction and then calls saveWatermarks in it. Returns points added.
   */
  rollUp(now: number): { '1m': number; '1h': number } {
    const until1m = Math.floor((now - ROLLUP_GRACE_MS) / MINUTE) * MINUTE;
    this.chunks.flush();
    const added1m = this.rollUpTo('1m', until1m);
    // The 1h pass reads the 1m chunks from the file, so they must be there first.
    this.chunks.flush();
    const until1h = Math.floor((this.watermark('1m') ?? until1m) / HOUR) * HOUR;
    const added1h = this.rollUpTo('1h', until1h);
    this.chunks.flush();
    return { '1m': added1m, '1h': added1h };
  }

  saveWatermarks(): void {
    const put = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    for (const [res, w] of this.watermarks) if (w !== null) put.run(WATERMARK_KEY[res], String(w));
  }

  /** Rollup points of a series in [from, to]: stored ones, then ones computed from finer data. */
  read(seriesId: number, res: RollupRes, from: number, to: number): RollupPoints {
    const step = RES[res].step;
    const start = Math.floor(from / step) * step;
    const w = this.watermark(res);
    const storedTo = w === null ? start - 1 : Math.min(to, w - 1);
    const out =
      storedTo >= start
        ? rollupFromColumns(this.chunks.read(seriesId, res, start, storedTo))
        : emptyRollup();
    if (w !== null && to < w) return out;
    const tail = this.computed(seriesId, res, w === null ? start : Math.max(start, w), to);
    appendRollup(out, tail, out.t.length > 0 ? out.t[out.t.length - 1] : -Infinity);
    return out;
  }

  /** Not yet rolled up: 1m from raw, 1h from (stitched) 1m. */
  private computed(seriesId: number, res: RollupRes, from: number, to: number): RollupPoints {
    if (res === '1m') return this.fromSource(seriesId, res, from, to);
    return rollupRollups(this.read(seriesId, '1m', from, to), RES[res].step);
  }

  /** Buckets of `res` computed from the stored data of the next finer resolution. */
  private fromSource(id: number, res: RollupRes, from: number, to: number): RollupPoints {
    const step = RES[res].step;
    if (res === '1m') {
      const raw = this.chunks.read(id, 'raw', from, to);
      return rollupRaw(raw.t, raw.cols[0], step);
    }
    return rollupRollups(rollupFromColumns(this.chunks.read(id, '1m', from, to)), step);
  }

  private rollUpTo(res: RollupRes, until: number): number {
    const from = this.watermark(res) ?? this.earliest(SOURCE[res], RES[res].step) ?? until;
    if (until <= from) {
      if (this.watermark(res) === null) this.watermarks.set(res, until);
      return 0;
    }
    let added = 0;
    for (const id of this.seriesWithData(SOURCE[res], from)) {
      added += this.rollUpSeries(id, res, from, until - 1);
    }
    this.watermarks.set(res, until);
    return added;
  }

  private rollUpSeries(id: number, res: RollupRes, from: number, to: number): number {
    const pts = this.fromSource(id, res, from, to);
    const row: number[] = [0, 0, 0, 0];
    let added = 0;
    for (let i = 0; i < pts.t.length; i++) {
      row[0] = pts.count[i];
      row[1] = pts.min[i];
      row[2] = pts.max[i];
      row[3] = pts.avg[i];
      if (this.chunks.append(id, res, pts.t[i], row)) added++;
    }
    return added;
  }

  private seriesWithData(res: Resolution, from: number): number[] {
    const code = RES[res].code;
    return this.db
      .prepare(
        `SELECT series_id FROM chunks WHERE res = ? AND end_t >= ?
         UNION SELECT series_id FROM heads WHERE res = ? AND end_t >= ?`,
      )
      .pluck()
      .all(code, from, code, from) as number[];
  }

  private earliest(res: Resolution, step: number): number | null {
    const code = RES[res].code;
    const t = this.db
      .prepare(
        `SELECT min(t) FROM (SELECT min(start_t) AS t FROM chunks WHERE res = ?
         UNION ALL SELECT min(start_t) FROM heads WHERE res = ?)`,
      )
      .pluck()
      .get(code, code) as number | null;
    return t === null ? null : Math.floor(t / step) * step;
  }

  private loadWatermark(res: RollupRes): number | null {
    const v = this.db
      .prepare('SELECT value FROM meta WHERE key = ?')
      .pluck()
      .get(WATERMARK_KEY[res]) as string | undefined;
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) ? n : null;
  }
}
