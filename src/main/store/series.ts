// Series identity (one id per target, metric and labels) and the sample policy: what a
// collected value becomes before it is encoded.
import type { Statement } from 'better-sqlite3';
import { seriesKey } from '../../shared/metrics';
import type { SeriesRef } from '../../shared/types';
import type { Db } from './db';

/**
 * Fractional values are kept to 6 significant digits (relative error <= 5e-6, far below a
 * pixel of any chart). A collector's 100 * 437 / 2001 would otherwise carry 17 digits of
 * noise that no codec can compress; short decimals cost 2-3 bytes instead of 8-9.
 * Integers are kept exactly (up to 2^53).
 */
export const SIGNIFICANT_DIGITS = 6;

/** Raw sample times are kept to the second: collection intervals are >= 1 s. */
export const RAW_TIME_UNIT = 1000;

export interface SeriesInfo {
  id: number;
  targetId: string;
  metric: string;
  /** Labels with names sorted, as stored. */
  labels: Record<string, string>;
  key: string;
  /** Time of the last raw sample as collected (before flooring); this session only. */
  lastRawT?: number;
}

/** What a collected value is stored as: null for no value, rounded otherwise. */
export function normalizeValue(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  if (v === 0) return 0; // also turns -0 into 0
  return quantize(v);
}

export function quantize(v: number, digits = SIGNIFICANT_DIGITS): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  const exp = digits - 1 - Math.floor(Math.log10(Math.abs(v)));
  if (exp <= 0) return Math.round(v);
  // Below 1e-9 a power of ten would not be exact; such values are stored as they are.
  if (exp > 15) return v;
  const p = 10 ** exp;
  return Math.round(v * p) / p;
}

/**
 * The stored time of a raw sample, or null when it would not follow the series' last one.
 * Times are floored to the second; a sample that is later than the previous one (lastRawT,
 * its time as collected, when known) but lands on the same second (1 s intervals with
 * jitter) moves to the next second instead of being lost. A repeated sample is dropped.
 */
export function rawSampleTime(t: number, lastT: number, lastRawT = lastT): number | null {
  const floored = Math.floor(t / RAW_TIME_UNIT) * RAW_TIME_UNIT;
  if (floored > lastT) return floored;
  return t > lastT && t > lastRawT ? lastT + RAW_TIME_UNIT : null;
}

export function sortedLabels(labels?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(labels ?? {}).sort()) out[name] = String(labels![name]);
  return out;
}

export class SeriesRegistry {
  private readonly byTarget = new Map<string, Map<string, SeriesInfo>>();
  private readonly insert: Statement;

  constructor(db: Db) {
    this.insert = db.prepare(
      'INSERT INTO series (target_id, key, metric, labels) VALUES (?, ?, ?, ?) RETURNING id',
    );
    this.load(db);
  }

  /** The series for a point, created on first sight. */
  ensure(targetId: string, metric: string, labels?: Record<string, string>): SeriesInfo {
    const key = seriesKey(metric, labels);
    const found = this.byTarget.get(targetId)?.get(key);
    if (found) return found;
    const sorted = sortedLabels(labels);
    const row = this.insert.get(targetId, key, metric, JSON.stringify(sorted)) as { id: number };
    return this.remember({ id: row.id, targetId, metric, labels: sorted, key });
  }

  find(targetId: string, ref: SeriesRef): SeriesInfo | undefined {
    return this.byTarget.get(targetId)?.get(seriesKey(ref.metric, ref.labels));
  }

  list(targetId: string): SeriesInfo[] {
    return [...(this.byTarget.get(targetId)?.values() ?? [])];
  }

  /** Forgets a target's series (their rows are deleted by the caller); returns them. */
  forgetTarget(targetId: string): SeriesInfo[] {
    const gone = this.list(targetId);
    this.byTarget.delete(targetId);
    return gone;
  }

  forget(ids: Set<number>): void {
    for (const map of this.byTarget.values()) {
      for (const [key, s] of map) if (ids.has(s.id)) map.delete(key);
    }
  }

  private load(db: Db): void {
    const rows = db.prepare('SELECT id, target_id, key, metric, labels FROM series').all() as {
      id: number;
      target_id: string;
      key: string;
      metric: string;
      labels: string;
    }[];
    for (const r of rows) {
      const labels = JSON.parse(r.labels) as Record<string, string>;
      this.remember({ id: r.id, targetId: r.target_id, metric: r.metric, labels, key: r.key });
    }
  }

  private remember(s: SeriesInfo): SeriesInfo {
    let map = this.byTarget.get(s.targetId);
    if (!map) this.byTarget.set(s.targetId, (map = new Map()));
    map.set(s.key, s);
    return s;
  }
}
