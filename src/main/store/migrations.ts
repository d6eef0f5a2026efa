// Numbered schema migrations. Each runs in its own transaction together with the bump of
// PRAGMA user_version, so a file is always at exactly one version. A file written by a
// newer Opsdeck is refused instead of being half-understood.
import { SchemaTooNew } from '../errors';
import { createLogger } from '../log';
import { careMigration } from './care';
import { operationsMigration } from './operations';
import { runbooksMigration } from './runbooks';
import type { Db } from './db';

const log = createLogger('store.migrations');

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

const inventory: Migration = {
  version: 1,
  name: 'inventory',
  up: (db) =>
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE targets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        grp TEXT NOT NULL DEFAULT '',
        interval_ms INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        config TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE secrets (
        target_id TEXT PRIMARY KEY REFERENCES targets(id) ON DELETE CASCADE,
        blob BLOB NOT NULL
      );
      CREATE TABLE snapshots (
        target_id TEXT PRIMARY KEY,
        t INTEGER NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE statuses (target_id TEXT PRIMARY KEY, data TEXT NOT NULL);
    `),
};

const audit: Migration = {
  version: 2,
  name: 'audit log',
  up: (db) =>
    db.exec(`
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        t INTEGER NOT NULL,
        operator TEXT NOT NULL,
        target_id TEXT,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        result TEXT NOT NULL,
        hash TEXT NOT NULL
      );
    `),
};

// Closed chunks are append-only rows in rowid order, which SQLite packs densely; the one
// open chunk per series and resolution lives in `heads`, re-written on every flush, so
// the churn of growing blobs stays in a small table.
const series: Migration = {
  version: 3,
  name: 'series and chunks',
  up: (db) =>
    db.exec(`
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        target_id TEXT NOT NULL,
        key TEXT NOT NULL,
        metric TEXT NOT NULL,
        labels TEXT NOT NULL,
        UNIQUE (target_id, key)
      );
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        res INTEGER NOT NULL,
        start_t INTEGER NOT NULL,
        end_t INTEGER NOT NULL,
        n INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX chunks_by_series ON chunks (series_id, res, end_t);
      CREATE INDEX chunks_by_end ON chunks (res, end_t);
      CREATE TABLE heads (
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        res INTEGER NOT NULL,
        start_t INTEGER NOT NULL,
        end_t INTEGER NOT NULL,
        n INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (series_id, res)
      );
    `),
};

// Alerting: rules and silences as JSON documents (validated by the contract's schemas on
// the way in), alerts with their transitions, notification channels with their encrypted
// secret, and delivery attempts.
const alerting: Migration = {
  version: 4,
  name: 'alerting',
  up: (db) =>
    db.exec(`
      CREATE TABLE alert_rules (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        builtin INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        rule_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        series_key TEXT NOT NULL,
        state TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX alerts_by_state ON alerts (state, started_at);
      CREATE INDEX alerts_by_target ON alerts (target_id, started_at);
      CREATE TABLE alert_transitions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        by TEXT,
        note TEXT
      );
      CREATE INDEX transitions_by_alert ON alert_transitions (alert_id, id);
      CREATE TABLE silences (
        id TEXT PRIMARY KEY,
        ends_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE channels (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        secret BLOB
      );
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        t INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        error TEXT,
        alert_ids TEXT NOT NULL
      );
      CREATE INDEX deliveries_by_t ON deliveries (t);
    `),
};

export const MIGRATIONS: readonly Migration[] = [
  inventory,
  audit,
  series,
  alerting,
  careMigration,
  runbooksMigration,
  operationsMigration,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file up to `upTo` (the current schema unless a test asks for an older one).
 * Returns the versions applied.
 */
export function migrate(db: Db, file: string, upTo = SCHEMA_VERSION): number[] {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw tooNew(file, current);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue;
    runMigration(db, m);
    applied.push(m.version);
  }
  if (applied.length > 0)
    log.info('schema migrated', { file, from: current, to: schemaVersion(db) });
  return applied;
}

function runMigration(db: Db, m: Migration): void {
  db.transaction(() => {
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  })();
}

function tooNew(file: string, version: number): SchemaTooNew {
  return new SchemaTooNew(
    `The data file ${file} has schema version ${version}, but this Opsdeck only knows ` +
      `versions up to ${SCHEMA_VERSION}: it was written by a newer Opsdeck. Install that ` +
      `newer version, or move the file aside to start with an empty one.`,
  );
}
