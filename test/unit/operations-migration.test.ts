// Migration 6 -> 7 (reports, checklists, handovers, availability): a file at 6 keeps its
// targets, incidents and audit chain, and gains empty tables that take rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { migrate, openDatabase, SCHEMA_VERSION, schemaVersion, Store } from '../../src/main/store';
import { operationsMigration } from '../../src/main/store/operations';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-operations-migration-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 0, 1);
const N = operationsMigration.version;

test(`${N - 1} -> ${N}: earlier rows survive; the new tables start empty and take rows`, () => {
  const file = join(dir, 'v6.db');
  const db = openDatabase(file);
  migrate(db, file, N - 1);
  assert.equal(schemaVersion(db), N - 1);
  db.prepare(
    `INSERT INTO targets (id, name, grp, interval_ms, enabled, config, created_at)
     VALUES ('h1', 'host one', 'prod', 10000, 1, '{"kind":"local"}', ?)`,
  ).run(T0);
  db.prepare(
    `INSERT INTO incidents (id, status, opened_at, data) VALUES ('i1', 'open', ?, '{}')`,
  ).run(T0);
  db.close();

  const store = Store.open(file);
  assert.equal(store.schemaVersion, SCHEMA_VERSION, `${N - 1} -> ${N} and every later step`);
  assert.equal(store.getTarget('h1')?.name, 'host one');
  assert.equal(store.verifyAudit().ok, true);
  store.close();

  const raw = openDatabase(file);
  assert.equal(raw.prepare(`SELECT status FROM incidents WHERE id = 'i1'`).pluck().get(), 'open');
  for (const table of ['rounds', 'outages', 'checklist_runs', 'reports', 'handovers']) {
    assert.equal(raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), 0, table);
  }
  raw.prepare(`INSERT INTO rounds (target_id, hour, ok, failed) VALUES ('h1', 1, 359, 1)`).run();
  raw
    .prepare(`INSERT INTO outages (target_id, start_t, end_t, reason) VALUES ('h1', ?, ?, 'x')`)
    .run(T0, T0 + 60_000);
  assert.deepEqual(raw.prepare(`SELECT ok, failed FROM rounds`).get(), { ok: 359, failed: 1 });
  raw.close();
});
