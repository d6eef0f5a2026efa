// Chunk storage per series and resolution: closed chunks are immutable rows, the open
// (head) chunk is kept in memory and upserted on flush, so a crash loses only what was
// appended since the last flush.
import type { Statement } from 'better-sqlite3';
import type { Resolution } from '../../shared/types';
import { createLogger } from '../log';
import { ChunkCorrupt } from './bits';
import { ChunkEncoder, decodeChunk } from './codec';
import type { Db } from './db';

const log = createLogger('store.chunks');

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface ResSpec {
  code: number;
  /** Time unit of the chunk encoding (raw sample times are kept to the second). */
  unit: number;
  /** Chunks never straddle a window boundary, so retention can drop whole chunks. */
  window: number;
  /** raw: [value]; rollups: [count, min, max, avg]. */
  columns: number;
  /** Bucket length of a rollup; 0 for raw. */
  step: number;
}

export const RES: Record<Resolution, ResSpec> = {
  raw: { code: 0, unit: SECOND, window: 2 * HOUR, columns: 1, step: 0 },
  '1m': { code: 1, unit: MINUTE, window: DAY, columns: 4, step: MINUTE },
  '1h': { code: 2, unit: HOUR, window: 30 * DAY, columns: 4, step: HOUR },
};

export const RESOLUTIONS: readonly Resolution[] = ['raw', '1m', '1h'];

/**
 * A chunk is closed once it reaches this size. Three such rows (with their ~30 bytes of
 * row overhead and the last point's bits) fill one 4 KiB page; a row a little over a
 * third or half a page would leave the rest of its page empty. Smaller heads also mean
 * fewer bytes re-written per flush; smaller chunks cost more per-chunk overhead.
 */
export const MAX_CHUNK_BYTES = 1260;

export interface Points {
  t: number[];
  cols: (number | null)[][];
}

interface ClosedChunk {
  start: number;
  end: number;
  n: number;
  data: Uint8Array;
}

class Head {
  enc: ChunkEncoder | null = null;
  window = 0;
  pending: ClosedChunk[] = [];

  constructor(
    readonly seriesId: number,
    readonly res: Resolution,
  ) {}
}

function blob(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function emptyPoints(columns: number): Points {
  return { t: [], cols: Array.from({ length: columns }, () => []) };
}

export class ChunkStore {
  private readonly heads = new Map<Resolution, Map<number, Head>>(
    RESOLUTIONS.map((r) => [r, new Map()]),
  );
  private readonly dirty = new Set<Head>();
  private readonly sql: Record<'insertChunk' | 'upsertHead' | 'headData' | 'chunksIn', Statement>;

  constructor(db: Db) {
    this.sql = {
      insertChunk: db.prepare(
        'INSERT INTO chunks (series_id, res, start_t, end_t, n, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      upsertHead: db.prepare(
        `INSERT INTO heads (series_id, res, start_t, end_t, n, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (series_id, res) DO UPDATE SET start_t = excluded.start_t,
           end_t = excluded.end_t, n = excluded.n, data = excluded.data`,
      ),
      headData: db.prepare('SELECT data FROM heads WHERE series_id = ? AND res = ?').pluck(),
      chunksIn: db
        .prepare(
          `SELECT data FROM chunks WHERE series_id = ? AND res = ? AND end_t >= ? AND start_t <= ?
           ORDER BY start_t`,
        )
        .pluck(),
    };
  }

  /** Time of the last point of a series at a resolution, or -Infinity. */
  lastTime(seriesId: number, res: Resolution): number {
    const enc = this.head(seriesId, res).enc;
    return enc && enc.count > 0 ? enc.lastT : -Infinity;
  }

  /** Appends one point; false (and nothing stored) when t is not after the last point. */
  append(seriesId: number, res: Resolution, t: number, values: ArrayLike<number | null>): boolean {
    const h = this.head(seriesId, res);
    if (h.enc && t <= h.enc.lastT) return false;
    const spec = RES[res];
    const window = Math.floor(t / spec.window) * spec.window;
    if (h.enc && (window !== h.window || h.enc.byteLength >= MAX_CHUNK_BYTES || h.enc.full)) {
      this.close(h);
    }
    if (!h.enc) {
      h.enc = new ChunkEncoder(spec.unit, spec.columns);
      h.window = window;
    }
    h.enc.append(t, values);
    this.dirty.add(h);
    return true;
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** Writes closed chunks and dirty heads. The caller holds the transaction. */
  flush(): number {
    for (const h of this.dirty) this.writeHead(h);
    const n = this.dirty.size;
    this.dirty.clear();
    return n;
  }

  /** Points with t in [from, to], oldest first: stored chunks, unflushed ones, the head. */
  read(seriesId: number, res: Resolution, from: number, to: number): Points {
    const out = emptyPoints(RES[res].columns);
    const rows = this.sql.chunksIn.all(seriesId, RES[res].code, from, to) as Buffer[];
    for (const data of rows) this.decodeInto(out, data, from, to, seriesId);
    const h = this.heads.get(res)!.get(seriesId);
    for (const c of h?.pending ?? []) this.decodeInto(out, c.data, from, to, seriesId);
    const head = h ? h.enc?.bytes() : this.storedHead(seriesId, res);
    if (head) this.decodeInto(out, head, from, to, seriesId);
    return out;
  }

  /** The last point without loading the head into memory for good. */
  last(seriesId: number, res: Resolution): { t: number; values: (number | null)[] } | null {
    const enc = this.heads.get(res)!.get(seriesId)?.enc;
    if (enc) return enc.count > 0 ? { t: enc.lastT, values: enc.lastValues } : null;
    const data = this.storedHead(seriesId, res);
    if (!data) return null;
    const d = this.safeDecode(data, seriesId);
    const i = d ? d.t.length - 1 : -1;
    return i >= 0 ? { t: d!.t[i], values: d!.cols.map((c) => c[i]) } : null;
  }

  /**
   * Forgets everything in memory after a failed transaction: heads reload from the file,
   * so what is lost is what had not been flushed, as after a crash.
   */
  reset(): void {
    for (const map of this.heads.values()) map.clear();
    this.dirty.clear();
  }

  /** Drops in-memory state of series whose rows were deleted. */
  forget(seriesIds: Iterable<number>): void {
    for (const id of seriesIds) {
      for (const map of this.heads.values()) {
        const h = map.get(id);
        if (h) this.dirty.delete(h);
        map.delete(id);
      }
    }
  }

  /** Forgets one resolution's head of a series (its row was removed by retention). */
  forgetHead(seriesId: number, res: Resolution): void {
    const h = this.heads.get(res)!.get(seriesId);
    if (h) this.dirty.delete(h);
    this.heads.get(res)!.delete(seriesId);
  }

  private head(seriesId: number, res: Resolution): Head {
    const map = this.heads.get(res)!;
    let h = map.get(seriesId);
    if (!h) {
      h = this.loadHead(seriesId, res);
      map.set(seriesId, h);
    }
    return h;
  }

  private loadHead(seriesId: number, res: Resolution): Head {
    const h = new Head(seriesId, res);
    const data = this.storedHead(seriesId, res);
    if (!data) return h;
    try {
      h.enc = ChunkEncoder.resume(data);
      h.window = Math.floor(h.enc.firstT / RES[res].window) * RES[res].window;
    } catch (err) {
      if (!(err instanceof ChunkCorrupt)) throw err;
      // The next flush overwrites the unreadable head; its samples were lost already.
      log.warn('unreadable head chunk replaced', { seriesId, res, error: err.message });
    }
    return h;
  }

  private storedHead(seriesId: number, res: Resolution): Buffer | undefined {
    return this.sql.headData.get(seriesId, RES[res].code) as Buffer | undefined;
  }

  private close(h: Head): void {
    const enc = h.enc!;
    h.pending.push({ start: enc.firstT, end: enc.lastT, n: enc.count, data: enc.bytes() });
    h.enc = null;
  }

  private writeHead(h: Head): void {
    const code = RES[h.res].code;
    for (const c of h.pending) {
      this.sql.insertChunk.run(h.seriesId, code, c.start, c.end, c.n, blob(c.data));
    }
    h.pending = [];
    const enc = h.enc;
    if (!enc || enc.count === 0) return;
    this.sql.upsertHead.run(h.seriesId, code, enc.firstT, enc.lastT, enc.count, blob(enc.bytes()));
  }

  private decodeInto(out: Points, data: Uint8Array, from: number, to: number, id: number): void {
    const d = this.safeDecode(data, id);
    if (!d) return;
    for (let i = 0; i < d.t.length; i++) {
      const t = d.t[i];
      if (t < from || t > to) continue;
      out.t.push(t);
      for (let c = 0; c < out.cols.length; c++) out.cols[c].push(d.cols[c]?.[i] ?? null);
    }
  }

  private safeDecode(data: Uint8Array, seriesId: number): ReturnType<typeof decodeChunk> | null {
    try {
      return decodeChunk(data);
    } catch (err) {
      if (!(err instanceof ChunkCorrupt)) throw err;
      log.warn('unreadable chunk skipped', { seriesId, error: err.message });
      return null;
    }
  }
}
