// Each built-in runbook run end to end through the API against the loopback sshd (the
// host), a PostgreSQL cluster and Redis started here: the automated steps run for real,
// changing steps with confirmation. "Service down" drives a small HTTP service on
// 127.0.0.1 through an init-style script (the runbook's documented fallback when the host
// has no systemd unit of that name). Also: SQL and Redis parameters stay inert.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { OpsdeckApp } from '../../src/main/app';
import { healthy, installDemoService, stopDemoService } from '../harness/demo-service';
import { waitFor } from '../harness/util';
import { pgBinDir, postgresUnavailable, startPostgres, type PgCluster } from '../harness/postgres';
import { redisUnavailable, startRedis, type RedisServer } from '../harness/redis';
import { sshdUnavailable, startSshd, type Sshd } from '../harness/sshd';
import { pgTargetConfig, redisTargetConfig, sshTargetConfig } from '../harness/target-configs';
import {
  call,
  openApp,
  quietLogs,
  runbookFolder,
  runUntil,
  tempDir,
  type Notice,
} from './runbooks-helpers';

const missing = sshdUnavailable() ?? postgresUnavailable() ?? redisUnavailable();
if (missing) process.stdout.write(`# built-in runbooks skipped: ${missing}\n`);

const INJECT = `
id: inject-data
title: Parameters as data
scenario: routine
severity: low
estimatedMinutes: 1
parameters:
  - { name: value, type: string }
  - { name: table, type: string }
  - { name: key, type: string }
steps:
  - id: literal
    kind: sql
    title: A value as a bound parameter
    mode: read
    sql: select {{value}}::text as v
  - id: ident
    kind: sql
    title: A value as an identifier
    mode: read
    sql: select count(*) from {{ident:table}}
  - id: set
    kind: redis
    title: Store the value
    mode: change
    argv: [SET, '{{key}}', '{{value}}']
  - id: get
    kind: redis
    title: Read it back
    mode: read
    argv: [GET, '{{key}}']
  - id: size
    kind: check
    title: One key only
    target: redis
    probe: { source: redis, argv: [DBSIZE] }
    expect: { kind: number, op: '==', pass: 1 }
`;

describe('built-in runbooks against real servers', { skip: missing ?? false }, () => {
  quietLogs();
  let sshd: Sshd;
  let pg: PgCluster;
  let redis: RedisServer;
  let app: OpsdeckApp;
  const notices: Notice[] = [];
  const dataDir = tempDir('runbooks-builtin');
  const work = tempDir('runbooks-builtin-work');
  const ids = { host: '', pg: '', redis: '' };

  before(async () => {
    chmodSync(work, 0o755);
    [sshd, pg, redis] = await Promise.all([startSshd(), startPostgres(), startRedis()]);
    app = openApp(dataDir, notices, [sshd.hostKeyFingerprint]);
    const host = await call(app, 'saveTarget', {
      name: 'web-1',
      config: sshTargetConfig(sshd),
    });
    const db = await call(app, 'saveTarget', {
      name: 'db-1',
      config: pgTargetConfig(pg),
      secret: pg.superuser.password,
    });
    const cache = await call(app, 'saveTarget', {
      name: 'cache-1',
      config: redisTargetConfig(redis),
      secret: redis.password ?? null,
    });
    Object.assign(ids, { host: host.id, pg: db.id, redis: cache.id });
  });

  after(async () => {
    stopDemoService(work);
    await app?.stop();
    await Promise.allSettled([sshd?.stop(), pg?.stop(), redis?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('Disk almost full: finds the space, removes old logs with confirmation, verifies', async () => {
    const logs = join(work, 'logs');
    mkdirSync(logs);
    const old = Date.now() / 1000 - 30 * 86_400;
    for (const f of ['app.log.1', 'app.log.2.gz', 'db.old']) {
      writeFileSync(join(logs, f), 'x'.repeat(200_000));
      utimesSync(join(logs, f), old, old);
    }
    writeFileSync(join(logs, 'app.log'), 'current\n');
    writeFileSync(join(logs, 'app.log.3'), 'recent rotation\n');
    const run = await call(app, 'startRun', {
      runbookId: 'disk-almost-full',
      params: { path: work, logDir: logs, days: 14, minFileMb: 0 },
      targets: { host: ids.host },
    });
    await assert.rejects(
      runUntil(app, run.id, { choices: { choose: 'remove', 'after-remove': 'enough' } }),
      { name: 'ConfirmationRequired' },
      'the removal waits for confirmation',
    );
    assert.equal(readdirSync(logs).length, 5, 'nothing removed before confirmation');
    const done = await runUntil(app, run.id, {
      confirm: true,
      choices: { choose: 'remove', 'after-remove': 'enough' },
    });
    assert.equal(done.status, 'completed');
    assert.deepEqual(readdirSync(logs).sort(), ['app.log', 'app.log.3']);
    const byId = Object.fromEntries(done.plan.map((p) => [p.id, done.steps[p.index]]));
    assert.match(byId['biggest-files'].output, /app\.log\.2\.gz/);
    assert.match(byId['old-logs'].output, /db\.old/);
    assert.doesNotMatch(byId['old-logs'].output, /app\.log\.3/);
    assert.equal(typeof byId.verify.value, 'number');
    assert.equal(byId.rotate.status, 'pending', 'the rotation branch was not taken');
  });

  it('Service down: health endpoint, service status, log, restart with confirmation, verify', async () => {
    const { dir, init, port } = await installDemoService(work);
    // The service is down: never started.
    const run = await call(app, 'startRun', {
      runbookId: 'service-down',
      params: {
        service: 'opsdeck-demo',
        healthUrl: `http://127.0.0.1:${port}/health`,
        logFile: join(dir, 'app.log'),
        initDir: init,
      },
      targets: { host: ids.host },
    });
    const done = await runUntil(app, run.id, { confirm: true });
    assert.equal(done.status, 'completed');
    const byId = Object.fromEntries(done.plan.map((p) => [p.id, done.steps[p.index]]));
    assert.equal(byId.reachable.outcome, 'pass');
    assert.equal(byId.health.outcome, 'fail');
    assert.equal(byId.running.outcome, 'fail');
    assert.match(byId.log.output, /ERROR: database connection refused/);
    assert.equal(byId['restart-needed'].choice, 'restart');
    assert.match(byId['restart-needed'].output, /^Decided by step \d+ ".+": fail, \d+ s ago\.$/);
    assert.equal(byId.restart.confirmed, true);
    assert.equal(byId['wait-healthy'].outcome, 'pass');
    assert.equal(byId.verify.outcome, 'pass');
    assert.equal(byId.verify.output.trim(), 'ok');
    assert.ok(await healthy(port), 'the service answers after the run');
  });

  it('PostgreSQL unavailable or overloaded: finds the blocker and terminates it', async () => {
    await pg.psql('CREATE TABLE busy (id int); INSERT INTO busy VALUES (1);');
    const conn = () =>
      new Client({
        host: pg.host,
        port: pg.port,
        user: 'postgres',
        password: pg.superuser.password,
        database: 'postgres',
        application_name: 'test-blocker',
      });
    const holder = conn();
    const waiter = conn();
    holder.on('error', () => {});
    waiter.on('error', () => {});
    await holder.connect();
    await waiter.connect();
    await holder.query('BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE');
    const blocked = waiter.query('SELECT * FROM busy').then(
      () => 'answered',
      (err: Error) => `failed: ${err.message}`,
    );
    await waitFor(
      'a session waiting on the lock',
      async () => {
        const n = await pg.psql(
          'SELECT count(*) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0;',
        );
        return n.trim() === '1';
      },
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1100));
    const run = await call(app, 'startRun', {
      runbookId: 'postgres-unavailable',
      params: { pgHost: '127.0.0.1', pgPort: pg.port, longTxSeconds: 1 },
      targets: { host: ids.host, postgres: ids.pg },
    });
    const done = await runUntil(app, run.id, { confirm: true, choices: { act: 'terminate' } });
    assert.equal(done.status, 'completed');
    const byId = Object.fromEntries(done.plan.map((p) => [p.id, done.steps[p.index]]));
    assert.equal(byId.isready.outcome, 'pass');
    assert.equal(byId.connections.outcome, 'pass');
    assert.equal(byId.blocked.outcome, 'fail', 'a blocked session was found');
    assert.match(byId.blockers.output, /test-blocker/);
    assert.match(byId['long-tx'].output, /LOCK TABLE busy/);
    assert.equal(byId.cancel.status, 'pending', 'the cancel branch was not taken');
    assert.match(byId.terminate.output, /\| true/);
    assert.equal(byId['verify-unblocked'].outcome, 'pass');
    assert.match(await blocked, /answered|failed: terminating connection/);
    await Promise.allSettled([holder.end(), waiter.end()]);
  });

  it('Suspected security breach: captures evidence into the timeline and escalates', async () => {
    const run = await call(app, 'startRun', {
      runbookId: 'security-breach',
      params: {},
      targets: { host: ids.host },
    });
    const done = await runUntil(app, run.id);
    assert.equal(done.status, 'completed');
    assert.ok(done.incidentId);
    const inc = await call(app, 'getIncident', { id: done.incidentId });
    assert.equal(inc.type, 'security');
    assert.equal(inc.severity, 'critical');
    const captures = inc.timeline.filter((e) => e.kind === 'capture');
    assert.equal(captures.length, 5);
    assert.match(captures[2].text, /LISTEN|Netid|State/, 'listening ports captured');
    assert.match(captures[3].text, /^root uid=0/m, 'accounts captured');
    const level = (await call(app, 'getEscalation', {})).levels[inc.escalation.level];
    assert.equal(level.id, 'security');
    assert.ok(notices.some((n) => n.title.includes('escalated')));
  });

  const backups = join(work, 'backups');

  it('Data loss: finds the verified backup, restores it beside the live data, compares', async () => {
    const bin = pgBinDir() as string;
    await pg.psql(
      'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100);',
    );
    mkdirSync(backups);
    const file = join(backups, 'nightly.dump');
    const env = { ...process.env, PGPASSWORD: pg.superuser.password };
    const dump = spawnSync(
      join(bin, 'pg_dump'),
      ['-h', pg.host, '-p', String(pg.port), '-U', 'postgres', '-Fc', '-f', file, 'postgres'],
      { env, encoding: 'utf8' },
    );
    assert.equal(dump.status, 0, dump.stderr);
    const sum = spawnSync('sha256sum', ['nightly.dump'], { cwd: backups, encoding: 'utf8' });
    writeFileSync(`${file}.sha256`, sum.stdout);
    await pg.psql('DELETE FROM orders WHERE id > 90;');
    const pgpass = join(work, 'pgpass');
    writeFileSync(pgpass, `127.0.0.1:${pg.port}:*:postgres:${pg.superuser.password}\n`, {
      mode: 0o600,
    });
    const run = await call(app, 'startRun', {
      runbookId: 'data-loss',
      params: {
        backupDir: backups,
        pgPort: pg.port,
        pgpassFile: pgpass,
        table: 'orders',
      },
      targets: { host: ids.host, postgres: ids.pg },
    });
    const done = await runUntil(app, run.id, {
      confirm: true,
      choices: { decide: 'restore-needed' },
    });
    assert.equal(done.status, 'completed');
    const byId = Object.fromEntries(done.plan.map((p) => [p.id, done.steps[p.index]]));
    assert.match(byId['last-backup'].output, /nightly\.dump: OK/);
    assert.match(byId.restore.output, /restored nightly\.dump/);
    assert.match(byId['count-live'].output, /^live_rows\n90\n/);
    assert.match(byId['count-restored'].output, /restored_rows\n100\n/);
    assert.ok(done.incidentId, 'the escalation opened an incident');
    const dbs = await pg.psql(
      "SELECT count(*) FROM pg_database WHERE datname = 'opsdeck_restore_check';",
    );
    assert.equal(dbs.trim(), '0', 'the scratch database was dropped');
  });

  it('Site loss: backup age against the RPO, the standby role, failover checks', async () => {
    const run = await call(app, 'startRun', {
      runbookId: 'site-loss',
      params: { backupDir: backups },
      targets: { host: ids.host, postgres: ids.pg },
    });
    const done = await runUntil(app, run.id);
    assert.equal(done.status, 'completed');
    const byId = Object.fromEntries(done.plan.map((p) => [p.id, done.steps[p.index]]));
    assert.equal(byId['backup-age'].outcome, 'pass');
    assert.match(byId['backup-age'].output, /^0 min since the last verified backup \(RPO 60 min\)/);
    assert.equal(byId['standby-role'].outcome, 'fail', 'this server is a primary, not a standby');
    assert.equal(byId['primary-check'].outcome, 'pass');
    const inc = await call(app, 'getIncident', { id: done.incidentId as string });
    assert.equal(inc.type, 'availability');
    const matrix = await call(app, 'getEscalation', {});
    assert.equal(matrix.levels[inc.escalation.level].id, 'management');
    const lib = await call(app, 'getRunbook', { id: 'site-loss' });
    assert.deepEqual(lib.objectives, { rtoMinutes: 120, rpoMinutes: 60 });
  });

  it('keeps SQL and Redis parameters inert', async () => {
    await pg.psql('CREATE TABLE t (id int);');
    const folder = runbookFolder({ 'inject.yaml': INJECT });
    await call(app, 'saveRunbookSettings', { folder, outputCapBytes: 65_536 });
    const value = "'; DROP TABLE t; -- \r\nFLUSHALL\r\n$(touch /tmp/x)";
    const run = await call(app, 'startRun', {
      runbookId: 'inject-data',
      params: { value, table: 't; DROP TABLE t; --', key: 'k' },
      targets: { postgres: ids.pg, redis: ids.redis },
    });
    let r = await call(app, 'runStep', { runId: run.id, index: 0 });
    assert.equal(r.steps[0].status, 'done');
    assert.equal(r.steps[0].text, 'select $1::text as v');
    assert.equal(r.steps[0].output, `v\n${value}\n(1 row)`);
    r = await call(app, 'runStep', { runId: run.id, index: 1 });
    assert.equal(r.steps[1].status, 'failed');
    assert.equal(r.steps[1].text, 'select count(*) from "t; DROP TABLE t; --"');
    assert.match(r.steps[1].error ?? '', /does not exist/);
    assert.equal((await pg.psql("SELECT to_regclass('public.t') IS NOT NULL;")).trim(), 't');
    r = await call(app, 'skipStep', { runId: run.id, index: 1, reason: 'expected to fail' });
    r = await call(app, 'runStep', { runId: run.id, index: 2, confirm: true });
    r = await call(app, 'runStep', { runId: run.id, index: 3 });
    assert.equal(r.steps[3].output, value);
    r = await call(app, 'runStep', { runId: run.id, index: 4 });
    assert.equal(r.steps[4].outcome, 'pass', 'FLUSHALL inside a value did not run');
    assert.equal(r.status, 'completed');
    assert.equal(existsSync('/tmp/x'), false);
    const audit = await call(app, 'auditLog', { limit: 1000 });
    assert.ok(
      audit.some((a) => a.detail === `select $1::text as v\n-- $1 = ${JSON.stringify(value)}`),
    );
    rmSync(folder, { recursive: true, force: true });
  });
});
