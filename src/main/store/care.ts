// Database care tables (migration 5): maintenance runs and schedules, backups with their
// checksums and verifications, retention policies. Documents are stored as JSON; the columns
// beside them are what queries filter on. A backup's SHA-256 lives here, apart from the file.
import type {
  Backup,
  MaintenanceRun,
  MaintenanceSchedule,
  RetentionPolicy,
  Verification,
} from '../../shared/care';
import type { Db } from './db';
import type { Migration } from './migrations';

export const careMigration: Migration = {
  version: 5,
  name: 'care',
  up: (db) =>
    db.exec(`
      CREATE TABLE care_runs (
        id TEXT PRIMARY KEY,
        target_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX care_runs_by_target ON care_runs (target_id, started_at);
      CREATE TABLE care_schedules (
        id TEXT PRIMARY KEY,
        target_id TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE care_backups (
        id TEXT PRIMARY KEY,
        target_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        sha256 TEXT,
        data TEXT NOT NULL
      );
      CREATE INDEX care_backups_by_target ON care_backups (target_id, started_at);
      CREATE TABLE care_verifications (
        id TEXT PRIMARY KEY,
        backup_id TEXT NOT NULL,
        t INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX care_verifications_by_backup ON care_verifications (backup_id, t);
      CREATE TABLE care_policies (
        target_id TEXT PRIMARY KEY,
        data TEXT NOT NULL
      );
    `),
};

interface DataRow {
  data: string;
}

export class CareTables {
  constructor(private readonly db: Db) {}

  saveRun(run: MaintenanceRun): void {
    this.db
      .prepare(
        `INSERT INTO care_runs (id, target_id, started_at, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
      )
      .run(run.id, run.targetId, run.startedAt, JSON.stringify(run));
  }

  getRun(id: string): MaintenanceRun | null {
    const row = this.db.prepare('SELECT data FROM care_runs WHERE id = ?').get(id) as
      DataRow | undefined;
    return row ? (JSON.parse(row.data) as MaintenanceRun) : null;
  }

  listRuns(targetId: string, limit: number): MaintenanceRun[] {
    const rows = this.db
      .prepare(
        'SELECT data FROM care_runs WHERE target_id = ? ORDER BY started_at DESC, id LIMIT ?',
      )
      .all(targetId, limit) as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as MaintenanceRun);
  }

  saveSchedule(s: MaintenanceSchedule): void {
    this.db
      .prepare(
        `INSERT INTO care_schedules (id, target_id, data) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET target_id = excluded.target_id, data = excluded.data`,
      )
      .run(s.id, s.targetId, JSON.stringify(s));
  }

  listSchedules(targetId?: string): MaintenanceSchedule[] {
    const rows = (
      targetId
        ? this.db
            .prepare('SELECT data FROM care_schedules WHERE target_id = ? ORDER BY id')
            .all(targetId)
        : this.db.prepare('SELECT data FROM care_schedules ORDER BY id').all()
    ) as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as MaintenanceSchedule);
  }

  deleteSchedule(id: string): boolean {
    return this.db.prepare('DELETE FROM care_schedules WHERE id = ?').run(id).changes > 0;
  }

  saveBackup(b: Backup): void {
    const doc: Backup = { ...b, verification: null };
    this.db
      .prepare(
        `INSERT INTO care_backups (id, target_id, started_at, sha256, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, data = excluded.data`,
      )
      .run(b.id, b.targetId, b.startedAt, b.sha256, JSON.stringify(doc));
  }

  getBackup(id: string): Backup | null {
    const row = this.db.prepare('SELECT data FROM care_backups WHERE id = ?').get(id) as
      DataRow | undefined;
    return row ? this.withVerification(JSON.parse(row.data) as Backup) : null;
  }

  /** Newest first. */
  listBackups(targetId: string): Backup[] {
    const rows = this.db
      .prepare('SELECT data FROM care_backups WHERE target_id = ? ORDER BY started_at DESC, id')
      .all(targetId) as DataRow[];
    return rows.map((r) => this.withVerification(JSON.parse(r.data) as Backup));
  }

  saveVerification(v: Verification): void {
    this.db
      .prepare('INSERT INTO care_verifications (id, backup_id, t, data) VALUES (?, ?, ?, ?)')
      .run(v.id, v.backupId, v.t, JSON.stringify(v));
  }

  latestVerification(backupId: string): Verification | null {
    const row = this.db
      .prepare(
        'SELECT data FROM care_verifications WHERE backup_id = ? ORDER BY t DESC, rowid DESC LIMIT 1',
      )
      .get(backupId) as DataRow | undefined;
    return row ? (JSON.parse(row.data) as Verification) : null;
  }

  getPolicy(targetId: string): RetentionPolicy | null {
    const row = this.db
      .prepare('SELECT data FROM care_policies WHERE target_id = ?')
      .get(targetId) as DataRow | undefined;
    return row ? (JSON.parse(row.data) as RetentionPolicy) : null;
  }

  savePolicy(p: RetentionPolicy): void {
    this.db
      .prepare(
        `INSERT INTO care_policies (target_id, data) VALUES (?, ?)
         ON CONFLICT (target_id) DO UPDATE SET data = excluded.data`,
      )
      .run(p.targetId, JSON.stringify(p));
  }

  listPolicies(): RetentionPolicy[] {
    const rows = this.db.prepare('SELECT data FROM care_policies').all() as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as RetentionPolicy);
  }

  private withVerification(b: Backup): Backup {
    return { ...b, verification: this.latestVerification(b.id) };
  }
}
