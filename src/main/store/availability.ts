// Availability: collection rounds counted per target and hour (ok and failed), and outage
// stretches. A stretch opens at the first failed round after a good one, with that round's
// reason, and closes at the next good round. Hour rows stay exact and small for years.
import type { Db } from './db';
import { HOUR } from './chunks';

export interface RoundCounts {
  targetId: string;
  hour: number;
  ok: number;
  failed: number;
}

export interface Outage {
  targetId: string;
  start: number;
  /** null while the target still fails. */
  end: number | null;
  reason: string;
}

const REASON_MAX = 1000;

export class AvailabilityTables {
  constructor(private readonly db: Db) {}

  /** Counts one round (plus `missed` scheduled rounds counted as failed) and opens or
   * closes the target's outage; one transaction. */
  recordRound(targetId: string, t: number, ok: boolean, reason: string | null, missed = 0): void {
    const hour = Math.floor(t / HOUR) * HOUR;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO rounds (target_id, hour, ok, failed) VALUES (?, ?, ?, ?)
           ON CONFLICT (target_id, hour) DO UPDATE SET ok = ok + excluded.ok,
             failed = failed + excluded.failed`,
        )
        .run(targetId, hour, ok ? 1 : 0, (ok ? 0 : 1) + missed);
      const open = this.openOutage(targetId);
      if (ok && open) this.closeOutage(targetId, open.start, t);
      if (!ok && !open) this.openNew(targetId, t, reason ?? 'the round failed');
    })();
  }

  /** Ends the open outage of a target (e.g. it was disabled); false when none was open. */
  closeOpen(targetId: string, t: number): boolean {
    const open = this.openOutage(targetId);
    if (!open) return false;
    this.closeOutage(targetId, open.start, Math.max(t, open.start));
    return true;
  }

  /** Hour rows of [from, to) for the targets (all targets when the list is absent). */
  rounds(from: number, to: number, targetIds?: readonly string[]): RoundCounts[] {
    const rows = this.db
      .prepare(
        `SELECT target_id AS targetId, hour, ok, failed FROM rounds
         WHERE hour >= ? AND hour < ? ORDER BY target_id, hour`,
      )
      .all(from, to) as RoundCounts[];
    return targetIds ? rows.filter((r) => targetIds.includes(r.targetId)) : rows;
  }

  /** Outages that overlap [from, to), oldest first. */
  outages(from: number, to: number): Outage[] {
    const rows = this.db
      .prepare(
        `SELECT target_id, start_t, end_t, reason FROM outages
         WHERE start_t < ? AND (end_t IS NULL OR end_t > ?) ORDER BY start_t, target_id`,
      )
      .all(to, from) as {
      target_id: string;
      start_t: number;
      end_t: number | null;
      reason: string;
    }[];
    return rows.map((r) => ({
      targetId: r.target_id,
      start: r.start_t,
      end: r.end_t,
      reason: r.reason,
    }));
  }

  openOutage(targetId: string): Outage | null {
    const r = this.db
      .prepare(
        `SELECT start_t, reason FROM outages WHERE target_id = ? AND end_t IS NULL
         ORDER BY start_t DESC LIMIT 1`,
      )
      .get(targetId) as { start_t: number; reason: string } | undefined;
    return r ? { targetId, start: r.start_t, end: null, reason: r.reason } : null;
  }

  /** Drops hour rows and closed outages older than `before`; returns rows removed. */
  prune(before: number): number {
    const rounds = this.db.prepare('DELETE FROM rounds WHERE hour < ?').run(before).changes;
    const outages = this.db
      .prepare('DELETE FROM outages WHERE end_t IS NOT NULL AND end_t < ?')
      .run(before).changes;
    return rounds + outages;
  }

  /** Everything of one target (it was deleted). */
  forgetTarget(targetId: string): void {
    this.db.prepare('DELETE FROM rounds WHERE target_id = ?').run(targetId);
    this.db.prepare('DELETE FROM outages WHERE target_id = ?').run(targetId);
  }

  private openNew(targetId: string, t: number, reason: string): void {
    this.db
      .prepare(
        `INSERT INTO outages (target_id, start_t, end_t, reason) VALUES (?, ?, NULL, ?)
         ON CONFLICT (target_id, start_t) DO NOTHING`,
      )
      .run(targetId, t, reason.slice(0, REASON_MAX));
  }

  private closeOutage(targetId: string, start: number, end: number): void {
    this.db
      .prepare('UPDATE outages SET end_t = ? WHERE target_id = ? AND start_t = ?')
      .run(end, targetId, start);
  }
}
