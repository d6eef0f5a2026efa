// Reports, checklists, shift handovers and availability (migration 7).
// Documents are JSON beside the columns that lists filter and sort on. Availability is
// counted per target and hour (rounds that succeeded and failed), which stays exact and
// small for years; outages are the stretches between the first failed round and the next
// good one, written as they open and close.
import type { Migration } from './migrations';

export const operationsMigration: Migration = {
  version: 7,
  name: 'reports, checklists, handovers and availability',
  up: (db) =>
    db.exec(`
      CREATE TABLE rounds (
        target_id TEXT NOT NULL,
        hour INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        PRIMARY KEY (target_id, hour)
      ) WITHOUT ROWID;
      CREATE TABLE outages (
        target_id TEXT NOT NULL,
        start_t INTEGER NOT NULL,
        end_t INTEGER,
        reason TEXT NOT NULL,
        PRIMARY KEY (target_id, start_t)
      );
      CREATE INDEX outages_by_end ON outages (end_t);
      CREATE TABLE checklist_runs (
        id TEXT PRIMARY KEY,
        checklist_id TEXT NOT NULL,
        period TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        data TEXT NOT NULL
      );
      CREATE INDEX checklist_runs_by_start ON checklist_runs (started_at);
      CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        period TEXT NOT NULL,
        grp TEXT NOT NULL,
        from_t INTEGER NOT NULL,
        to_t INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        title TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX reports_by_period ON reports (period, grp, to_t);
      CREATE TABLE handovers (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        handed_at INTEGER,
        acked_at INTEGER,
        search TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL
      );
      CREATE INDEX handovers_by_created ON handovers (created_at);
    `),
};
