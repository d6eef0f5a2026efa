// The whole core through its API, against a real sshd, PostgreSQL (with replica) and Redis
// (with replica): targets added, host key accepted, samples collected and stored, secrets kept
// out of the file and logs, history and statuses read back after a restart.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OpsdeckApp } from '../../src/main/app';
import { setLogSink } from '../../src/main/log';
import { appRoot, call } from '../harness/app-api';
import { until } from '../harness/util';
import { startBlackhole, type Blackhole } from '../harness/blackhole';
import { postgresUnavailable, startPostgres, type PgCluster } from '../harness/postgres';
import { redisUnavailable, startRedis, type RedisServer } from '../harness/redis';
import { sshdUnavailable, startSshd, type Sshd } from '../harness/sshd';

const missing = sshdUnavailable() ?? postgresUnavailable() ?? redisUnavailable();
if (missing) process.stdout.write(`# app integration skipped: ${missing}\n`);

const logLines: string[] = [];

async function latestValue(app: OpsdeckApp, targetId: string, metric: string) {
  const now = Date.now();
  const [s] = await call(app, 'query', {
    targetId,
    series: [{ metric }],
    from: now - 10 * 60_000,
    to: now + 1000,
    width: 100,
  });
  const vals = (s?.v ?? []).filter((v): v is number => v !== null);
  return vals.length ? vals[vals.length - 1] : undefined;
}

describe('Opsdeck core against real servers', { skip: missing ?? false }, () => {
  let sshd: Sshd;
  let pg: PgCluster;
  let redis: RedisServer;
  let hole: Blackhole;
  let dataDir: string;
  let app: OpsdeckApp;
  const ids: Record<string, string> = {};

  before(async () => {
    setLogSink((line) => logLines.push(line));
    [sshd, pg, redis, hole] = await Promise.all([
      startSshd(),
      startPostgres({ replica: true }),
      startRedis({ replica: true, aclUser: true }),
      startBlackhole(),
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-app-'));
    app = new OpsdeckApp({ dataDir, appRoot, transport: 'browser' }).start();
  });

  after(async () => {
    await app?.stop();
    await Promise.allSettled([sshd?.stop(), pg?.stop(), redis?.stop(), hole?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with "This workstation" and fills its charts', async () => {
    const targets = await call(app, 'listTargets', {});
    assert.equal(targets.length, 1);
    assert.equal(targets[0].name, 'This workstation');
    const v = await until('local CPU samples', async () => {
      const two = await call(app, 'query', {
        targetId: 'local',
        series: [{ metric: 'host.mem.total' }],
        from: Date.now() - 60_000,
        to: Date.now() + 1000,
        width: 100,
      });
      return two[0]?.v.find((x) => x !== null);
    });
    assert.ok(Number(v) > 0);
  });

  it('asks for the host key, then collects from the SSH host once it is accepted', async () => {
    const t = await call(app, 'saveTarget', {
      name: 'web-1',
      config: {
        kind: 'ssh',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        auth: 'key',
        keyPath: sshd.keyPath,
      },
    });
    ids.ssh = t.id;
    const status = await until('host key prompt', async () => {
      const s = (await call(app, 'statuses', {})).find((x) => x.targetId === t.id);
      return s?.hostKey ? s : undefined;
    });
    assert.equal(status.health, 'unreachable');
    assert.equal(status.hostKey?.fingerprint, sshd.hostKeyFingerprint);
    assert.equal(status.hostKey?.knownFingerprint, null);
    const result = await call(app, 'acceptHostKey', {
      targetId: t.id,
      fingerprint: sshd.hostKeyFingerprint,
    });
    assert.equal(result.ok, true, result.message);
    const mem = await until('SSH host memory', () => latestValue(app, t.id, 'host.mem.total'));
    assert.ok(mem > 0);
    const series = await call(app, 'listSeries', { targetId: t.id });
    assert.ok(series.some((s) => s.metric === 'host.fs.used_pct' && s.labels?.mount === '/'));
  });

  it('collects PostgreSQL with a pg_monitor role, directly and through the SSH host', async () => {
    const direct = await call(app, 'saveTarget', {
      name: 'pg-direct',
      config: {
        kind: 'postgres',
        host: pg.host,
        port: pg.port,
        database: 'postgres',
        user: pg.monitor.user,
        sslmode: 'disable',
      },
      secret: pg.monitor.password,
    });
    const tunnelled = await call(app, 'saveTarget', {
      name: 'pg-tunnel',
      config: {
        kind: 'postgres',
        host: '127.0.0.1',
        port: pg.port,
        database: 'postgres',
        user: pg.monitor.user,
        sslmode: 'disable',
        viaTargetId: ids.ssh,
      },
      secret: pg.monitor.password,
    });
    ids.pg = direct.id;
    for (const t of [direct, tunnelled]) {
      const max = await until(`${t.name} max_connections`, () =>
        latestValue(app, t.id, 'pg.connections.max'),
      );
      assert.ok(max > 0);
    }
    const replicas = await until('replica count', async () => {
      const v = await latestValue(app, direct.id, 'pg.replication.replicas');
      return v !== undefined && v >= 1 ? v : undefined;
    });
    assert.equal(replicas, 1);
    const status = (await call(app, 'statuses', {})).find((s) => s.targetId === direct.id);
    assert.deepEqual(status?.metricErrors, [], 'a pg_monitor role reads every view');
    const xid = await until('xid age', () => latestValue(app, direct.id, 'pg.xid_age'));
    assert.ok(xid > 0 && xid < 2 ** 31);
    const snap = await call(app, 'snapshot', { targetId: direct.id });
    assert.equal(snap?.kind, 'postgres');
    const test = await call(app, 'testTarget', { id: tunnelled.id });
    assert.equal(test.ok, true, test.message);
  });

  it('collects Redis with an ACL user and sees its replica', async () => {
    const acl = redis.aclUser!;
    const t = await call(app, 'saveTarget', {
      name: 'cache',
      config: {
        kind: 'redis',
        host: redis.host,
        port: redis.port,
        tls: false,
        username: acl.user,
        db: 0,
      },
      secret: acl.password,
    });
    ids.redis = t.id;
    const used = await until('redis memory', () => latestValue(app, t.id, 'redis.mem.used'));
    assert.ok(used > 0);
    const replicas = await until('redis replicas', async () => {
      const v = await latestValue(app, t.id, 'redis.replicas');
      return v !== undefined && v >= 1 ? v : undefined;
    });
    assert.equal(replicas, 1);
  });

  it('marks a host that never answers unreachable while the others keep collecting', async () => {
    const t = await call(app, 'saveTarget', {
      name: 'silent',
      intervalMs: 2000,
      config: { kind: 'ssh', host: '127.0.0.1', port: hole.port, user: 'nobody', auth: 'agent' },
    });
    ids.hole = t.id;
    const s = await until('silent host unreachable', async () => {
      const st = (await call(app, 'statuses', {})).find((x) => x.targetId === t.id);
      return st?.health === 'unreachable' ? st : undefined;
    });
    assert.match(s.lastError ?? '', /silent|127\.0\.0\.1/);
    const before = (await call(app, 'statuses', {})).find((x) => x.targetId === ids.ssh)!;
    await until('another SSH round', async () => {
      const st = (await call(app, 'statuses', {})).find((x) => x.targetId === ids.ssh);
      return st && st.lastSampleAt !== null && st.lastSampleAt > (before.lastSampleAt ?? 0);
    });
  });

  it('recovers by itself after the SSH server restarts', async () => {
    const restartedAt = Date.now();
    await sshd.restart();
    const back = await until('SSH host collecting again', async () => {
      const st = (await call(app, 'statuses', {})).find((x) => x.targetId === ids.ssh);
      return st?.health === 'ok' && (st.lastSampleAt ?? 0) > restartedAt ? st : undefined;
    });
    assert.equal(back.lastError, null);
  });

  it('keeps stored secrets out of the SQLite file and the logs', async () => {
    const secrets = [pg.monitor.password, redis.aclUser!.password];
    app.store.flush();
    const files = readdirSync(dataDir).filter((f) => f.startsWith('opsdeck.sqlite'));
    for (const f of files) {
      const bytes = readFileSync(join(dataDir, f));
      for (const s of secrets) {
        const at = bytes.indexOf(Buffer.from(s));
        const around = at < 0 ? '' : bytes.subarray(Math.max(0, at - 300), at).toString('latin1');
        assert.equal(at, -1, `a secret is in ${f}, after: ${around.replace(/[^ -~]/g, '.')}`);
      }
    }
    const logs = logLines.join('\n');
    for (const s of secrets) assert.equal(logs.includes(s), false, 'secret in logs');
    const targets = await call(app, 'listTargets', {});
    assert.equal(targets.find((t) => t.id === ids.pg)?.hasSecret, true);
    assert.equal(JSON.stringify(targets).includes(pg.monitor.password), false);
  });

  it('keeps history and statuses across a restart and serves them with every target down', async () => {
    const from = Date.now() - 10 * 60_000;
    await app.stop();
    await Promise.all([sshd.stop(), pg.stop(), redis.stop()]);
    app = new OpsdeckApp({ dataDir, appRoot, transport: 'browser', collect: false }).start();
    const [mem] = await call(app, 'query', {
      targetId: ids.ssh,
      series: [{ metric: 'host.mem.total' }],
      from,
      to: Date.now() + 1000,
      width: 200,
    });
    assert.ok(
      mem.v.some((v) => v !== null && v > 0),
      'SSH host history survives',
    );
    const fleet = await call(app, 'fleet', {});
    const web = fleet.find((f) => f.target.id === ids.ssh);
    assert.equal(web?.status.health, 'ok', 'last known status is kept offline');
    assert.ok((await call(app, 'snapshot', { targetId: ids.pg }))?.data);
    const audit = await call(app, 'auditLog', { limit: 100 });
    assert.ok(audit.some((a) => a.action === 'host-key-accepted'));
    assert.equal(app.store.verifyAudit().ok, true);
  });
});
