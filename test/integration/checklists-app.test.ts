// Checklists through the app's API on a temp data folder, with store data seeded the way the
// collectors, alerting and backups leave it (no server needed): the daily checklist run with
// fresh, stale and failing items, a manual item ticked with a note, the run left and resumed,
// finished, listed by time range for reports; the operator's folder overriding a built-in and
// a broken file named with its line and field.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OpsdeckApp } from '../../src/main/app';
import { setLogSink } from '../../src/main/log';
import { Store } from '../../src/main/store';
import {
  contract,
  type MethodArg,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../src/shared/api';
import type { Target, TargetStatus } from '../../src/shared/types';

setLogSink(() => {});
const appRoot = resolve(__dirname, '..', '..');
const MIN = 60_000;
const HOUR = 60 * MIN;

async function call<K extends MethodName>(
  app: OpsdeckApp,
  method: K,
  arg: MethodInput<K>,
): Promise<MethodOutput<K>> {
  const parsed = contract[method].input.parse(arg) as MethodArg<K>;
  const fn = app.api[method] as (a: MethodArg<K>) => Promise<MethodOutput<K>>;
  return fn(parsed);
}

function target(id: string, kind: 'ssh' | 'postgres' | 'redis'): Target {
  const config =
    kind === 'ssh'
      ? ({ kind, host: '127.0.0.1', port: 1, user: 'ops', auth: 'agent' } as const)
      : kind === 'postgres'
        ? ({
            kind,
            host: '127.0.0.1',
            port: 1,
            database: 'app',
            user: 'mon',
            sslmode: 'disable',
          } as const)
        : ({ kind, host: '127.0.0.1', port: 1, tls: false, db: 0 } as const);
  return {
    id,
    name: id,
    group: 'prod',
    intervalMs: 10_000,
    enabled: true,
    config,
    hasSecret: false,
    createdAt: 0,
  };
}

function status(targetId: string, lastSampleAt: number, ok: boolean): TargetStatus {
  return {
    targetId,
    health: ok ? 'ok' : 'unreachable',
    lastError: ok ? null : `${targetId}: connection refused; check the host is up`,
    since: lastSampleAt,
    lastSampleAt,
    lastDurationMs: 20,
    metricErrors: [],
    hostKey: null,
  };
}

/** web-1, pg-1 and redis-1 collected a minute ago; web-2 last collected 2 hours ago. */
function seed(dataDir: string, now: number): void {
  const store = Store.open(join(dataDir, 'opsdeck.sqlite'));
  for (const t of [
    target('web-1', 'ssh'),
    target('web-2', 'ssh'),
    target('pg-1', 'postgres'),
    target('redis-1', 'redis'),
  ])
    store.saveTarget(t);
  const fresh = now - MIN;
  const old = now - 2 * HOUR;
  store.append('web-1', fresh, [
    {
      metric: 'host.fs.used_pct',
      labels: { mount: '/', device: '/dev/sda1', fstype: 'ext4' },
      value: 93,
    },
    { metric: 'host.mem.available_pct', value: 55 },
  ]);
  store.append('web-2', old, [
    {
      metric: 'host.fs.used_pct',
      labels: { mount: '/', device: '/dev/sda1', fstype: 'ext4' },
      value: 30,
    },
    { metric: 'host.mem.available_pct', value: 60 },
  ]);
  store.append('pg-1', fresh, [
    { metric: 'pg.connections.used_pct', value: 20 },
    { metric: 'pg.connections.total', value: 20 },
    { metric: 'pg.connections.max', value: 100 },
    { metric: 'pg.oldest_xact_s', value: 4 },
    { metric: 'pg.replication.is_replica', value: 0 },
  ]);
  store.append('redis-1', fresh, [
    { metric: 'redis.mem.used', value: 100 * 1024 ** 2 },
    { metric: 'redis.mem.maxmemory', value: 1024 ** 3 },
    { metric: 'redis.mem.used_pct', value: 9.8 },
    { metric: 'redis.evicted_ps', value: 0 },
    { metric: 'redis.rdb.last_bgsave_ok', value: 1 },
    { metric: 'redis.rdb.last_save_age_s', value: 300 },
  ]);
  store.saveStatus(status('web-1', fresh, true));
  store.saveStatus(status('web-2', old, false));
  store.saveStatus(status('pg-1', fresh, true));
  store.saveStatus(status('redis-1', fresh, true));
  store.care.savePolicy({
    targetId: 'pg-1',
    keepLast: 7,
    dailyDays: 7,
    weeklyWeeks: 4,
    rpoHours: 24,
    rtoHours: 2,
  });
  store.care.saveBackup({
    id: 'b1',
    targetId: 'pg-1',
    mode: 'local',
    path: '/tmp/b1.dump',
    status: 'succeeded',
    startedAt: now - 3 * HOUR,
    finishedAt: now - 3 * HOUR + MIN,
    durationMs: MIN,
    sizeBytes: 1000,
    sha256: 'a'.repeat(64),
    tocEntries: 10,
    serverVersionNum: 150000,
    pgDumpVersion: '15',
    tables: [],
    error: null,
    verification: null,
    deletedAt: null,
  });
  store.care.saveVerification({
    id: 'v1',
    backupId: 'b1',
    t: now - 2 * HOUR,
    ok: true,
    checksumOk: true,
    listOk: true,
    restoreOk: true,
    scratchDatabase: 'scratch',
    restoreMs: 5000,
    tables: [],
    reason: null,
  });
  store.alerting.saveAlert(
    {
      id: 'al1',
      ruleId: 'builtin-disk-full',
      ruleName: 'Disk space above 90 %',
      targetId: 'web-1',
      metric: 'host.fs.used_pct',
      labels: { mount: '/' },
      state: 'firing',
      severity: 'critical',
      value: 93,
      message: '/ on web-1 is 93 % full',
      action: 'Free space',
      startedAt: now - 20 * MIN,
      firingAt: now - 15 * MIN,
      resolvedAt: null,
      ackBy: null,
      ackNote: null,
      ackAt: null,
      flapping: false,
      silenced: false,
      seriesKey: 'host.fs.used_pct{mount="/"}',
      clearSince: null,
    },
    [],
  );
  store.close();
}

describe('checklists through the app API', () => {
  let dataDir: string;
  let app: OpsdeckApp;
  const started = Date.now();

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-checklists-app-'));
    seed(dataDir, started);
    app = new OpsdeckApp({ dataDir, appRoot, transport: 'browser', collect: false }).start();
  });

  after(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the built-in daily, weekly and monthly checklists', async () => {
    const lib = await call(app, 'listChecklists', {});
    assert.deepEqual(
      lib.checklists.map((c) => c.checklist.id),
      ['daily', 'weekly', 'monthly'],
    );
    assert.deepEqual(lib.problems, []);
    assert.equal(lib.checklists[0].lastRun, null);
  });

  it('runs the daily checklist from stored data: failing, stale, passing and manual items', async () => {
    const run = await call(app, 'startChecklistRun', { checklistId: 'daily' });
    const by = (id: string) => run.items.find((i) => i.itemId === id)!;
    assert.equal(run.status, 'open');
    assert.equal(run.startedBy, app.operator);

    assert.equal(by('collected').outcome, 'fail');
    assert.match(
      by('collected').summary,
      /web-2: last collected 2 h ago \(limit 5 min\) — web-2: connection refused/,
    );
    assert.equal(by('alerts-critical').outcome, 'fail');
    assert.match(by('alerts-critical').summary, /Disk space above 90 %/);
    assert.equal(by('alerts-reviewed').outcome, 'fail');
    assert.equal(by('backups-verified').outcome, 'pass');
    assert.match(
      by('backups-verified').findings[0].text,
      /newest verified backup 3 h old \(limit 24 h; RPO 24 h\)/,
    );

    const disk = by('disk-headroom');
    assert.equal(disk.outcome, 'fail');
    assert.deepEqual(
      disk.findings.map((f) => [f.targetName, f.outcome]),
      [
        ['web-1', 'fail'],
        ['web-2', 'stale'],
      ],
    );
    assert.ok(disk.action && /runbook/.test(disk.action));
    assert.equal(by('memory-headroom').outcome, 'stale', 'web-2 is 2 h old: stale, not pass');
    assert.equal(by('pg-connections').outcome, 'pass');
    assert.equal(by('pg-long-transactions').outcome, 'pass');
    assert.equal(by('pg-replication').outcome, 'pass');
    assert.equal(by('redis-memory').outcome, 'pass');
    assert.equal(by('redis-persistence').outcome, 'pass');
    assert.equal(by('failed-logins').outcome, 'open');
    assert.equal(run.outcome, 'fail');
  });

  it('a manual item is ticked with a note, the run resumed later and finished', async () => {
    const [summary] = await call(app, 'listChecklistRuns', { checklistId: 'daily' });
    assert.equal(summary.status, 'open');
    let run = await call(app, 'tickItem', {
      runId: summary.id,
      itemId: 'failed-logins',
      tick: 'done',
      note: '12 failures from 203.0.113.7, blocked',
    });
    const logins = run.items.find((i) => i.itemId === 'failed-logins')!;
    assert.equal(logins.outcome, 'pass');
    assert.equal(logins.tickedBy, app.operator);
    assert.equal(logins.note, '12 failures from 203.0.113.7, blocked');

    await assert.rejects(
      call(app, 'tickItem', { runId: summary.id, itemId: 'collected', tick: 'done' }),
      /checked automatically/,
    );

    // Resumed: the stored run has the tick; a re-check keeps it.
    run = await call(app, 'refreshChecklistRun', { id: summary.id });
    assert.equal(run.items.find((i) => i.itemId === 'failed-logins')!.outcome, 'pass');
    assert.equal(run.counts.open, 1, 'the handover item is still to do');

    run = await call(app, 'finishChecklistRun', {
      id: summary.id,
      note: 'disk on web-1 handed to day shift',
    });
    assert.equal(run.status, 'finished');
    assert.equal(run.finishedBy, app.operator);
    await assert.rejects(
      call(app, 'tickItem', { runId: summary.id, itemId: 'handover-read', tick: 'done' }),
      /is finished/,
    );

    const lib = await call(app, 'listChecklists', {});
    assert.equal(lib.checklists[0].lastRun?.id, summary.id);
    assert.equal(lib.checklists[0].lastRun?.outcome, 'fail');
  });

  it('reports read the runs of a period from the store', async () => {
    const runs = app.store.checklists.listRuns({ from: started - MIN, to: Date.now() + MIN });
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'finished');
    assert.equal(runs[0].items.find((i) => i.itemId === 'failed-logins')?.tick, 'done');
    assert.deepEqual(await call(app, 'listChecklistRuns', { from: 0, to: started - MIN }), []);
  });

  it("the operator's folder overrides a built-in by id and names a broken file's line", async () => {
    const folder = join(dataDir, 'my-checklists');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'daily.yaml'),
      'id: daily\ntitle: Our daily round\nperiod: daily\nitems:\n  - id: coffee\n    title: Coffee made\n',
    );
    writeFileSync(
      join(folder, 'broken.yaml'),
      'id: broken\ntitle: Broken\nperiod: daily\nitems:\n  - id: a\n    title: A\n    check: { kind: disk-headroom, failPct: 400 }\n',
    );
    await call(app, 'saveChecklistSettings', { folder });
    const lib = await call(app, 'listChecklists', {});
    const daily = lib.checklists.find((c) => c.checklist.id === 'daily')!;
    assert.equal(daily.checklist.title, 'Our daily round');
    assert.equal(daily.checklist.source, 'folder');
    assert.equal(lib.problems.length, 1);
    assert.equal(lib.problems[0].file, join(folder, 'broken.yaml'));
    assert.equal(lib.problems[0].line, 7);
    assert.equal(lib.problems[0].field, 'items.0.check.failPct');
    await assert.rejects(
      call(app, 'saveChecklistSettings', { folder: 'relative/path' }),
      /not an absolute path/,
    );
  });
});
