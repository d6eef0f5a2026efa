import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SchemaTooNew } from '../../src/main/errors';
import {
  AuditLog,
  type Db,
  MIGRATIONS,
  migrate,
  openDatabase,
  SCHEMA_VERSION,
  schemaVersion,
  Store,
} from '../../src/main/store';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-store-migrations-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A file at schema `version`, filled by `fill`, closed. */
function fileAt(version: number, fill: (db: Db) => void): string {
  const file = join(dir, `v${version}-${n++}.db`);
  const db = openDatabase(file);
  migrate(db, file, version);
  assert.equal(schemaVersion(db), version);
  fill(db);
  db.close();
  return file;
}

const T0 = Date.UTC(2025, 0, 1);

function insertTarget(db: Db, id: string): void {
  db.prepare(
    `INSERT INTO targets (id, name, grp, interval_ms, enabled, config, created_at)
     VALUES (?, ?, 'prod', 10000, 1, '{"kind":"local"}', ?)`,
  ).run(id, `name ${id}`, T0);
}

describe('migrations', () => {
  test('the list is numbered 1..N without holes', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    );
  });

  test('0 -> 1: an empty file gets the inventory with default settings', () => {
    const file = fileAt(0, () => {});
    const store = Store.open(file);
    assert.equal(store.schemaVersion, SCHEMA_VERSION);
    assert.deepEqual(store.listTargets(), []);
    assert.equal(store.getSettings().hostIntervalMs, 10_000);
    store.close();
  });

  test('1 -> 2: targets, secrets, snapshots and statuses survive; the audit log starts', () => {
    const file = fileAt(1, (db) => {
      insertTarget(db, 'web1');
      db.prepare('INSERT INTO secrets (target_id, blob) VALUES (?, ?)').run(
        'web1',
        Buffer.from([1, 2, 3]),
      );
      db.prepare(`INSERT INTO snapshots VALUES ('web1', ?, 'local', '{"a":1}')`).run(T0);
      db.prepare('INSERT INTO meta VALUES (?, ?)').run(
        'settings',
        JSON.stringify({ hostIntervalMs: 5000 }),
      );
    });
    const store = Store.open(file);
    assert.equal(store.getTarget('web1')?.hasSecret, true);
    assert.deepEqual(store.getSecret('web1'), Buffer.from([1, 2, 3]));
    assert.deepEqual(store.getSnapshot('web1')?.data, { a: 1 });
    assert.equal(store.getSettings().hostIntervalMs, 5000);
    assert.equal(store.getSettings().retention.rawHours, 48, 'missing settings get defaults');
    store.appendAudit({
      t: T0,
      operator: 'ann',
      targetId: 'web1',
      action: 'x',
      detail: '',
      result: 'ok',
    });
    assert.deepEqual(store.verifyAudit(), { ok: true, checked: 1 });
    store.close();
  });

  test('2 -> 3: inventory and audit survive; series can be stored', () => {
    const file = fileAt(2, (db) => {
      insertTarget(db, 'db1');
      migrateAuditRow(db);
    });
    const store = Store.open(file);
    assert.equal(store.listTargets().length, 1);
    assert.equal(store.listAudit(10).length, 1);
    assert.equal(store.verifyAudit().ok, true);
    store.append('db1', T0, [{ metric: 'pg.up', value: 1 }]);
    store.flush();
    assert.deepEqual([...store.latest('db1')], [['pg.up', { t: T0, v: 1 }]]);
    store.close();
  });

  test('a file from a newer Opsdeck is refused with what to do', () => {
    const file = fileAt(SCHEMA_VERSION, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    assert.throws(
      () => Store.open(file),
      (err: unknown) =>
        err instanceof SchemaTooNew &&
        err.message.includes(`schema version ${SCHEMA_VERSION + 1}`) &&
        err.message.includes(file) &&
        /Install that newer version/.test(err.message),
    );
  });

  test('reopening a current file applies nothing', () => {
    const file = fileAt(SCHEMA_VERSION, () => {});
    const db = openDatabase(file);
    assert.deepEqual(migrate(db, file), []);
    db.close();
  });

  test('the file is in WAL mode with foreign keys on', () => {
    const db = openDatabase(join(dir, 'pragmas.db'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('synchronous', { simple: true }), 1, 'NORMAL');
    db.close();
  });
});

/** An audit row written through the real chain code, at schema 2. */
function migrateAuditRow(db: Db): void {
  new AuditLog(db).append({
    t: T0,
    operator: 'bob',
    targetId: null,
    action: 'vacuum',
    detail: 'd',
    result: 'ok',
  });
}

test('the data file and its WAL are readable by their owner only', () => {
  const file = join(dir, 'mode.db');
  writeFileSync(file, '', { mode: 0o644 });
  const store = Store.open(file);
  store.saveSettings(store.getSettings());
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f)) assert.equal(statSync(f).mode & 0o777, 0o600, f);
  }
  assert.ok(existsSync(`${file}-wal`), 'WAL mode keeps a -wal file while open');
  store.close();
});
