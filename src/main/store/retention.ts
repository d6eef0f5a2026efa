// Retention at chunk granularity: a chunk goes once its last point is older than the
// resolution's horizon. Raw and 1m data are kept until rolled up, whatever the horizon.
import type { Resolution, RetentionSettings } from '../../shared/types';
import { type ChunkStore, DAY, HOUR, RES, RESOLUTIONS } from './chunks';
import type { Db } from './db';
import type { SeriesRegistry } from './series';

export interface RetentionReport {
  deletedChunks: number;
  deletedSeries: number;
}

/** Points older than these times may go, per resolution. */
export function retentionCutoffs(
  now: number,
  r: RetentionSettings,
  rolledUntil: { '1m': number | null; '1h': number | null },
): Record<Resolution, number> {
  const notAfter = (cut: number, w: number | null): number =>
    w === null ? -Infinity : Math.min(cut, w);
  return {
    raw: notAfter(now - r.rawHours * HOUR, rolledUntil['1m']),
    '1m': notAfter(now - r.oneMinuteDays * DAY, rolledUntil['1h']),
    '1h': now - r.oneHourDays * DAY,
  };
}

/** Deletes expired chunks and heads, then series left without data. Caller holds the transaction. */
export function applyRetention(
  db: Db,
  chunks: ChunkStore,
  series: SeriesRegistry,
  cut: Record<Resolution, number>,
): RetentionReport {
  let deletedChunks = 0;
  for (const res of RESOLUTIONS) {
    if (!Number.isFinite(cut[res])) continue;
    const code = RES[res].code;
    deletedChunks += db
      .prepare('DELETE FROM chunks WHERE res = ? AND end_t < ?')
      .run(code, cut[res]).changes;
    const stale = db
      .prepare('DELETE FROM heads WHERE res = ? AND end_t < ? RETURNING series_id')
      .pluck()
      .all(code, cut[res]) as number[];
    for (const id of stale) chunks.forgetHead(id, res);
    deletedChunks += stale.length;
  }
  return { deletedChunks, deletedSeries: dropEmptySeries(db, chunks, series) };
}

function dropEmptySeries(db: Db, chunks: ChunkStore, series: SeriesRegistry): number {
  const ids = db
    .prepare(
      `DELETE FROM series WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.series_id = series.id)
       AND NOT EXISTS (SELECT 1 FROM heads h WHERE h.series_id = series.id) RETURNING id`,
    )
    .pluck()
    .all() as number[];
  if (ids.length === 0) return 0;
  chunks.forget(ids);
  series.forget(new Set(ids));
  return ids.length;
}
