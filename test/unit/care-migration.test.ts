// Migration 4 -> 5 (care tables): a file at 4 keeps its targets and audit chain and gains
// empty care tables that take runs, backups, verifications and policies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { migrate, openDatabase, SCHEMA_VERSION, schemaVersion, Store } from '../../src/main/store';
import { careMigration } from '../../src/main/store/care';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-care-migration-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 0, 1);
const N = careMigration.version;

test(`${N - 1} -> ${N}: targets and audit survive; care tables start empty and work`, () => {
  const file = join(dir, 'v4.db');
  const db = openDatabase(file);
  migrate(db, file, N - 1);
  assert.equal(schemaVersion(db), N - 1);
  db.prepare(
    `INSERT INTO targets (id, name, grp, interval_ms, enabled, config, created_at)
     VALUES ('pg1', 'db one', '', 10000, 1, '{"kind":"local"}', ?)`,
  ).run(T0);
  db.close();

  const store = Store.open(file);
  assert.equal(store.schemaVersion, SCHEMA_VERSION, `${N - 1} -> ${N} and every later step`);
  assert.equal(store.getTarget('pg1')?.name, 'db one');
  assert.deepEqual(store.care.listBackups('pg1'), []);
  store.care.savePolicy({
    targetId: 'pg1',
    keepLast: 3,
    dailyDays: 7,
    weeklyWeeks: 4,
    rpoHours: 24,
    rtoHours: 2,
  });
  assert.equal(store.care.getPolicy('pg1')?.keepLast, 3);
  store.care.saveBackup({
    id: 'b1',
    targetId: 'pg1',
    mode: 'local',
    path: '/tmp/x.dump',
    status: 'succeeded',
    startedAt: T0,
    finishedAt: T0 + 1000,
    durationMs: 1000,
    sizeBytes: 10,
    sha256: 'ab'.repeat(32),
    tocEntries: 4,
    serverVersionNum: 150004,
    pgDumpVersion: '15.4',
    tables: [],
    error: null,
    verification: null,
    deletedAt: null,
  });
  store.care.saveVerification({
    id: 'v1',
    backupId: 'b1',
    t: T0 + 2000,
    ok: true,
    checksumOk: true,
    listOk: true,
    restoreOk: true,
    scratchDatabase: 'opsdeck_verify_x',
    restoreMs: 500,
    tables: [],
    reason: null,
  });
  assert.equal(store.care.getBackup('b1')?.verification?.ok, true);
  assert.equal(store.verifyAudit().ok, true);
  store.close();
});
