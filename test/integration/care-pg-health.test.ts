// PostgreSQL health against the harness server: pg_stat_statements on the running version,
// a blocking lock shown as a tree and ended by a confirmed, audited terminate, bloat made by
// the test and reported, the exact fix when the extension is missing, and pg_monitor alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'pg';
import { postgresUnavailable, startPostgres, type PgCluster } from '../harness/postgres';
import { addPg, call, pgClient, startApp, until, type TestApp } from './care-util';

const missing = postgresUnavailable();
if (missing) process.stdout.write(`# care PostgreSQL health skipped: ${missing}\n`);

describe('PostgreSQL health', { skip: missing ?? false }, () => {
  let pg: PgCluster;
  let t: TestApp;
  let su: string;
  let mon: string;
  let admin: Client;

  before(async () => {
    pg = await startPostgres({ replica: true });
    t = startApp();
    su = await addPg(t.app, pg, pg.superuser, 'pg-super');
    mon = await addPg(t.app, pg, pg.monitor, 'pg-monitor');
    admin = await pgClient(pg);
    await admin.query(`select pg_create_physical_replication_slot('care_idle_slot', true)`);
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    await t?.stop();
    await pg?.stop();
  });

  it('reads pg_stat_statements in the shape of the installed extension, ids exact', async () => {
    await admin.query('create table stmt_t (id int primary key, v text)');
    for (let i = 0; i < 20; i++) await admin.query('insert into stmt_t values ($1, $2)', [i, 'x']);
    const cols = await admin.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'pg_stat_statements'`,
    );
    const names = new Set(cols.rows.map((r) => r.column_name));
    const h = await call(t.app, 'carePgHealth', { targetId: su });
    assert.equal(h.statements.available, true, JSON.stringify(h.statements));
    if (!h.statements.available) return;
    assert.ok(names.has('total_exec_time') || names.has('total_time'));
    assert.ok(h.statements.byTotal.length > 0);
    const insert = h.statements.byTotal.find((s) => /insert into stmt_t/i.test(s.query));
    assert.ok(insert, 'the test insert is among the top statements');
    assert.equal(insert.calls, 20);
    assert.match(insert.queryId, /^-?\d+$/);
    const exact = await admin.query<{ q: string }>(
      `select queryid::text as q from pg_stat_statements where query ilike 'insert into stmt_t%'`,
    );
    assert.equal(insert.queryId, exact.rows[0].q);
    const means = h.statements.byMean.map((s) => s.meanMs);
    assert.deepEqual(
      means,
      [...means].sort((a, b) => b - a),
    );
  });

  it('shows a lock held by one session and waited on by another as a tree', async () => {
    await admin.query('create table lock_t (id int)');
    const holder = await pgClient(pg);
    const waiter = await pgClient(pg);
    holder.on('error', () => undefined);
    try {
      await holder.query('begin');
      await holder.query('lock table lock_t in access exclusive mode');
      const holderPid = (await holder.query<{ p: number }>('select pg_backend_pid() as p')).rows[0]
        .p;
      const waiterPid = (await waiter.query<{ p: number }>('select pg_backend_pid() as p')).rows[0]
        .p;
      const waiting = waiter.query('select count(*) from lock_t');
      const h = await until('the waiter to be blocked', async () => {
        const x = await call(t.app, 'carePgHealth', { targetId: su });
        return x.activity.blockingTree.length > 0 ? x : undefined;
      });
      const root = h.activity.blockingTree.find((n) => n.pid === holderPid);
      assert.ok(root, 'the holder is a root');
      assert.deepEqual(
        root.blocks.map((b) => b.pid),
        [waiterPid],
      );
      assert.equal(root.blocks[0].session?.waitEventType, 'Lock');

      const r = await call(t.app, 'careSignalBackend', {
        targetId: su,
        pid: holderPid,
        action: 'terminate',
        confirm: true,
      });
      assert.equal(r.signalled, true);
      await waiting;
      const audit = await call(t.app, 'auditLog', { limit: 20 });
      const entry = audit.find((a) => a.action === 'pg-terminate');
      assert.ok(entry);
      assert.match(entry.detail, new RegExp(`pg_terminate_backend\\(${holderPid}\\) on pg-super`));
      assert.equal(entry.result, 'ok');
    } finally {
      await holder.end().catch(() => undefined);
      await waiter.end().catch(() => undefined);
    }
  });

  it('refuses a terminate without confirmation (schema)', async () => {
    await assert.rejects(() =>
      call(t.app, 'careSignalBackend', {
        targetId: su,
        pid: 1,
        action: 'terminate',
        confirm: false as unknown as true,
      }),
    );
  });

  it('reports bloat and dead tuples made by the test', async () => {
    await admin.query(
      `create table bloat_t as select g as id, repeat('x', 100) as pad from generate_series(1, 100000) g`,
    );
    await admin.query('delete from bloat_t where id % 10 <> 0');
    await admin.query('analyze bloat_t');
    const table = await until('dead tuples in the statistics', async () => {
      const h = await call(t.app, 'carePgHealth', { targetId: su });
      const x = h.tables.find((tb) => tb.name === 'bloat_t');
      return x && x.deadTuples > 50_000 ? x : undefined;
    });
    assert.ok(table.bloatRatio > 0.5, `bloat ratio ${table.bloatRatio}`);
    assert.ok(table.bloatBytes > 5_000_000, `bloat ${table.bloatBytes} bytes`);
    assert.ok(table.xidAge > 0);
  });

  it('finds unused and duplicate indexes', async () => {
    await admin.query('create table idx_t (a int primary key, b int)');
    await admin.query('create index idx_t_b1 on idx_t (b)');
    await admin.query('create index idx_t_b2 on idx_t (b)');
    const h = await call(t.app, 'carePgHealth', { targetId: su });
    const dup = h.duplicateIndexes.find((d) => d.table === 'idx_t');
    assert.deepEqual(dup?.names.sort(), ['idx_t_b1', 'idx_t_b2']);
    const unused = h.unusedIndexes.map((i) => i.name);
    assert.ok(unused.includes('idx_t_b1'));
    assert.ok(!unused.includes('idx_t_pkey'), 'a primary key is never unused');
  });

  it('gives the exact fix when pg_stat_statements is not installed in the database', async () => {
    await admin.query('create database nostat');
    const id = await addPg(t.app, pg, pg.superuser, 'pg-nostat', 'nostat');
    const h = await call(t.app, 'carePgHealth', { targetId: id });
    assert.equal(h.statements.available, false);
    if (h.statements.available) return;
    assert.equal(h.statements.reason, 'not-installed');
    assert.match(h.statements.fix, /CREATE EXTENSION pg_stat_statements;/);
    assert.match(h.statements.fix, /"nostat"/);
  });

  it('applies an advised setting only as a confirmed, audited ALTER SYSTEM', async () => {
    const r = await call(t.app, 'careApplySetting', {
      targetId: su,
      setting: 'work_mem',
      value: '8MB',
      confirm: true,
    });
    assert.equal(r.applied, true);
    assert.match(r.message, /in effect/);
    // pg_reload_conf() only signals the postmaster; other sessions take the new value a moment later.
    let seen = '';
    for (let i = 0; i < 50 && seen !== '8MB'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await admin.query(`select current_setting('work_mem') as v`);
      seen = now.rows[0].v;
    }
    assert.equal(seen, '8MB');
    await assert.rejects(() =>
      call(t.app, 'careApplySetting', {
        targetId: su,
        setting: 'work_mem',
        value: "8MB'; drop table y; --",
        confirm: true,
      }),
    );
    const audit = await call(t.app, 'auditLog', { limit: 20 });
    assert.ok(
      audit.some((a) => a.action === 'pg-alter-system' && a.detail.includes(`"work_mem" = '8MB'`)),
    );
    await admin.query('alter system reset work_mem');
    await admin.query('select pg_reload_conf()');
  });

  it('shows the replica, its lag, and an inactive slot holding WAL', async () => {
    const h = await call(t.app, 'carePgHealth', { targetId: su });
    assert.equal(h.replication.inRecovery, false);
    assert.equal(h.replication.replicas.length, 1);
    assert.equal(h.replication.replicas[0].state, 'streaming');
    assert.ok(h.replication.replicas[0].lagBytes !== null);
    const slot = h.replication.slots.find((s) => s.name === 'care_idle_slot');
    assert.equal(slot?.type, 'physical');
    assert.equal(slot?.active, false);
    assert.ok((slot?.retainedBytes ?? 0) > 0);
    assert.equal(slot?.flagged, true);
    assert.equal(h.replication.archiver?.mode, 'off');
  });

  it('works with a role holding only pg_monitor', async () => {
    const h = await call(t.app, 'carePgHealth', { targetId: mon });
    assert.deepEqual(h.problems, []);
    assert.equal(h.statements.available, true);
    assert.ok(h.tables.some((tb) => tb.name === 'bloat_t'));
    assert.equal(h.major, Math.floor(h.serverVersionNum / 10000));
    assert.ok(h.advice.some((a) => a.setting === 'autovacuum' && a.severity === 'ok'));
    assert.equal(h.host.source, 'unknown');
    assert.ok(h.replication.archiver !== null);
  });
});
