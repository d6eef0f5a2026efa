// Maintenance against the harness server: identifiers escaped (a hostile table name is
// vacuumed and the table it names survives), the token and typed-name confirmations enforced
// in the backend, VACUUM FULL with progress and before/after figures, a cancelled REINDEX
// CONCURRENTLY leaving an INVALID _ccnew index that is detected and cleaned up, schedules.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'pg';
import type { MaintenanceProgress } from '../../src/shared/care';
import { careServices } from '../../src/main/care/api';
import { postgresUnavailable, startPostgres, type PgCluster } from '../harness/postgres';
import { addPg, call, pgClient, startApp, until, type TestApp } from './care-util';

const missing = postgresUnavailable();
if (missing) process.stdout.write(`# care maintenance skipped: ${missing}\n`);

describe('PostgreSQL maintenance', { skip: missing ?? false }, () => {
  let pg: PgCluster;
  let t: TestApp;
  let id: string;
  let admin: Client;
  const progress: MaintenanceProgress[] = [];

  before(async () => {
    pg = await startPostgres();
    t = startApp();
    id = await addPg(t.app, pg, pg.superuser, 'pg-main');
    admin = await pgClient(pg);
    t.app.events.on('careProgress', (p) => progress.push(p));
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    await t?.stop();
    await pg?.stop();
  });

  const wait = (runId: string) => careServices.get(t.app)!.maintenance.waitFor(runId);

  it('vacuums a table named x"; DROP TABLE y; -- and y survives', async () => {
    const name = 'x"; DROP TABLE y; --';
    await admin.query('create table y (id int)');
    await admin.query(`create table "x""; DROP TABLE y; --" (id int)`);
    const plan = await call(t.app, 'carePlanMaintenance', {
      targetId: id,
      action: 'vacuum',
      scope: { kind: 'table', schema: 'public', name },
      options: { analyze: true },
    });
    assert.deepEqual(plan.sql, ['VACUUM (ANALYZE) "public"."x""; DROP TABLE y; --"']);
    assert.equal(plan.lock, 'SHARE UPDATE EXCLUSIVE');
    assert.equal(plan.requiresTypedName, false);
    const run = await call(t.app, 'careRunMaintenance', { token: plan.token });
    const done = await wait(run.id);
    assert.equal(done.status, 'succeeded', done.error ?? '');
    const y = await admin.query(`select to_regclass('public.y') as r`);
    assert.equal(y.rows[0].r, 'y');
    const v = await admin.query(
      `select last_vacuum is not null as v from pg_stat_user_tables where relname = $1`,
      [name],
    );
    assert.equal(v.rows[0].v, true);
    const audit = await call(t.app, 'auditLog', { limit: 10 });
    assert.ok(audit.some((a) => a.action === 'maintenance-finished' && a.result === 'ok'));
  });

  it('refuses a run without a plan token, and a token used twice', async () => {
    await assert.rejects(
      () => call(t.app, 'careRunMaintenance', { token: 'a'.repeat(32) }),
      /expired or was already used/,
    );
    const plan = await call(t.app, 'carePlanMaintenance', {
      targetId: id,
      action: 'analyze',
      scope: { kind: 'table', schema: 'public', name: 'y' },
    });
    const run = await call(t.app, 'careRunMaintenance', { token: plan.token });
    await wait(run.id);
    await assert.rejects(
      () => call(t.app, 'careRunMaintenance', { token: plan.token }),
      /expired or was already used/,
    );
  });

  it('refuses options outside the fixed set for the action', async () => {
    await assert.rejects(
      () =>
        call(t.app, 'carePlanMaintenance', {
          targetId: id,
          action: 'analyze',
          scope: { kind: 'table', schema: 'public', name: 'y' },
          options: { full: true },
        }),
      /ANALYZE has no FULL option/,
    );
  });

  it('runs VACUUM FULL with the typed name, shows progress and before/after', async () => {
    await admin.query(
      `create table big_t as select g as id, md5(g::text) as pad from generate_series(1, 1500000) g`,
    );
    await admin.query('delete from big_t where id % 2 = 0');
    await until('dead tuples counted', async () => {
      const r = await admin.query(
        `select n_dead_tup from pg_stat_user_tables where relname = 'big_t'`,
      );
      return Number(r.rows[0]?.n_dead_tup) > 500_000;
    });
    const plan = await call(t.app, 'carePlanMaintenance', {
      targetId: id,
      action: 'vacuum',
      scope: { kind: 'table', schema: 'public', name: 'big_t' },
      options: { full: true },
    });
    assert.equal(plan.lock, 'ACCESS EXCLUSIVE');
    assert.equal(plan.requiresTypedName, true);
    assert.ok((plan.rewriteBytes ?? 0) > 50_000_000);
    const disk = plan.checks.find((c) => c.name === 'disk');
    assert.equal(disk?.status, 'unknown');
    assert.match(disk?.message ?? '', /no SSH host is linked/);
    await assert.rejects(
      () => call(t.app, 'careRunMaintenance', { token: plan.token, typedName: 'pg-mian' }),
      /type the target's name "pg-main"/,
    );
    const run = await call(t.app, 'careRunMaintenance', {
      token: plan.token,
      typedName: 'pg-main',
    });
    const done = await wait(run.id);
    assert.equal(done.status, 'succeeded', done.error ?? '');
    const seen = progress.filter((p) => p.runId === run.id);
    assert.ok(seen.length > 0, 'progress was reported');
    assert.ok(seen.every((p) => p.view === 'pg_stat_progress_cluster' && p.phase));
    assert.ok(seen.some((p) => p.percent !== null));
    assert.ok(done.before && done.after);
    assert.ok(
      done.after.bytes < done.before.bytes * 0.7,
      `${done.before.bytes} -> ${done.after.bytes}`,
    );
    assert.ok(done.before.deadTuples > 500_000);
  });

  it('finds the INVALID _ccnew index a cancelled REINDEX CONCURRENTLY leaves, and drops it', async () => {
    await admin.query('create table r_t as select g as id from generate_series(1, 10000) g');
    await admin.query('create index r_t_idx on r_t (id)');
    const writer = await pgClient(pg);
    try {
      await writer.query('begin');
      await writer.query('insert into r_t values (0)');
      const plan = await call(t.app, 'carePlanMaintenance', {
        targetId: id,
        action: 'reindex',
        scope: { kind: 'index', schema: 'public', name: 'r_t_idx' },
        options: { concurrently: true },
      });
      assert.deepEqual(plan.sql, ['REINDEX INDEX CONCURRENTLY "public"."r_t_idx"']);
      assert.equal(plan.lock, 'SHARE UPDATE EXCLUSIVE');
      const run = await call(t.app, 'careRunMaintenance', { token: plan.token });
      await until('the reindex waiting for the open writer', async () => {
        const r = careServices.get(t.app)!.maintenance.getRun(run.id);
        return r.lastProgress?.phase?.startsWith('waiting') ? r : undefined;
      });
      const c = await call(t.app, 'careCancelMaintenance', { runId: run.id });
      assert.equal(c.cancelled, true);
      const done = await wait(run.id);
      assert.equal(done.status, 'cancelled');
      assert.deepEqual(done.leftovers, ['public.r_t_idx_ccnew']);
    } finally {
      await writer.query('rollback').catch(() => undefined);
      await writer.end();
    }
    const h = await call(t.app, 'carePgHealth', { targetId: id });
    assert.ok(h.invalidIndexes.some((i) => i.name === 'r_t_idx_ccnew'));
    await assert.rejects(
      () =>
        call(t.app, 'carePlanMaintenance', {
          targetId: id,
          action: 'drop-invalid-index',
          scope: { kind: 'index', schema: 'public', name: 'r_t_idx' },
        }),
      /is valid/,
    );
    const plan = await call(t.app, 'carePlanMaintenance', {
      targetId: id,
      action: 'drop-invalid-index',
      scope: { kind: 'index', schema: 'public', name: 'r_t_idx_ccnew' },
    });
    const run = await call(t.app, 'careRunMaintenance', { token: plan.token });
    assert.equal((await wait(run.id)).status, 'succeeded');
    const left = await admin.query(`select to_regclass('public.r_t_idx_ccnew') as r`);
    assert.equal(left.rows[0].r, null);
  });

  it('a plan with a blocking lock needs the override', async () => {
    const holder = await pgClient(pg);
    try {
      await holder.query('begin');
      await holder.query('lock table y in share mode');
      const plan = await call(t.app, 'carePlanMaintenance', {
        targetId: id,
        action: 'vacuum',
        scope: { kind: 'table', schema: 'public', name: 'y' },
      });
      assert.equal(plan.blocked, true);
      assert.equal(plan.checks.find((c) => c.name === 'locks')?.status, 'blocking');
      await assert.rejects(
        () => call(t.app, 'careRunMaintenance', { token: plan.token }),
        /blocking problem/,
      );
    } finally {
      await holder.end();
    }
  });

  it('stores schedules and their runs', async () => {
    await assert.rejects(
      () =>
        call(t.app, 'careSaveSchedule', {
          targetId: id,
          action: 'vacuum',
          scope: { kind: 'table', schema: 'public', name: 'y' },
          options: { full: true },
          cron: '0 3 * * *',
          windowStart: '02:00',
          windowEnd: '05:00',
        }),
      /ACCESS EXCLUSIVE/,
    );
    const s = await call(t.app, 'careSaveSchedule', {
      targetId: id,
      action: 'analyze',
      scope: { kind: 'table', schema: 'public', name: 'y' },
      cron: '0 3 * * *',
      windowStart: '00:00',
      windowEnd: '00:00',
    });
    assert.ok(s.nextRunAt !== null && s.nextRunAt > Date.now());
    const run = await careServices.get(t.app)!.maintenance.fire(s.id);
    assert.ok(run);
    assert.equal((await wait(run.id)).status, 'succeeded');
    const runs = await call(t.app, 'careListRuns', { targetId: id });
    assert.ok(runs.some((r) => r.scheduleId === s.id && r.status === 'succeeded'));
    const [stored] = await call(t.app, 'careListSchedules', { targetId: id });
    assert.equal(stored.lastRunId, run.id);
    assert.deepEqual(await call(t.app, 'careDeleteSchedule', { id: s.id }), { deleted: true });
  });
});
