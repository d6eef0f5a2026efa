// The default rule pack on real servers: a filling filesystem (an ext4 image loop-mounted
// by this test), a Redis replica that stops and comes back, an sshd that hangs and recovers,
// then stops. Each alert fires, notifies (webhook, desktop, email), and resolves when its
// condition clears.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OpsdeckApp } from '../../src/main/app';
import { setLogSink } from '../../src/main/log';
import { appRoot, call } from '../harness/app-api';
import { until } from '../harness/util';
import type { Alert } from '../../src/shared/alerts';
import { redisUnavailable, startRedis, type RedisServer } from '../harness/redis';
import { sshdUnavailable, startSshd, type Sshd } from '../harness/sshd';
import { spawnTracked, stopTracked } from '../harness/util';
import { startSmtpSink, type SmtpSink } from './alerts-smtp-sink';

const missing = sshdUnavailable() ?? redisUnavailable();
if (missing) process.stdout.write(`# alerts pack integration skipped: ${missing}\n`);

const INTERVAL = 2000;

/** Mounts a small ext4 image on a temp folder; null (with the reason) where it cannot. */
function loopMount(dir: string): { mount: string; unmount: () => void } | string {
  if (process.getuid?.() !== 0) return 'loop mounts need root';
  const image = join(dir, 'fs.img');
  const mount = join(dir, 'mnt');
  mkdirSync(mount);
  try {
    writeFileSync(image, Buffer.alloc(16 * 1024 * 1024));
    execFileSync('/usr/sbin/mkfs.ext4', ['-q', '-F', '-m', '0', image], { stdio: 'pipe' });
    execFileSync('/usr/bin/mount', ['-o', 'loop', image, mount], {
      stdio: 'pipe',
      timeout: 10_000,
    });
  } catch (err) {
    return `cannot loop-mount an ext4 image here: ${(err as Error).message.split('\n')[0]}`;
  }
  return {
    mount,
    unmount: () => execFileSync('/usr/bin/umount', [mount], { stdio: 'pipe', timeout: 10_000 }),
  };
}

describe('default alert pack against real servers', { skip: missing ?? false }, () => {
  let sshd: Sshd;
  let redis: RedisServer;
  let dataDir: string;
  let app: OpsdeckApp;
  let hook: Server;
  let smtp: SmtpSink | undefined;
  let replicaAgain: ReturnType<typeof spawnTracked> | undefined;
  const webhook: { title: string; alerts: Alert[] }[] = [];
  const desktop: string[] = [];
  const events: Alert[] = [];
  const ids: Record<string, string> = {};

  before(async () => {
    setLogSink(() => undefined);
    [sshd, redis] = await Promise.all([startSshd(), startRedis({ replica: true })]);
    hook = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        webhook.push(JSON.parse(Buffer.concat(parts).toString()) as (typeof webhook)[number]);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-alerts-'));
    app = new OpsdeckApp({
      dataDir,
      appRoot,
      transport: 'browser',
      desktopNotifier: (title) => desktop.push(title),
    }).start();
    app.events.on('alert', (a) => events.push(a));
    const port = (hook.address() as AddressInfo).port;
    await call(app, 'saveChannel', {
      name: 'hook',
      minSeverity: 'info',
      config: { kind: 'webhook', url: `http://127.0.0.1:${port}/hook` },
    });
    smtp = await startSmtpSink();
    await call(app, 'saveChannel', {
      name: 'mail',
      minSeverity: 'critical',
      config: {
        kind: 'email',
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        from: 'opsdeck@example.test',
        to: ['oncall@example.test'],
        user: 'opsdeck',
      },
      secret: 'mail-secret',
    });
    await call(app, 'saveChannel', {
      name: 'desk',
      minSeverity: 'info',
      config: { kind: 'desktop' },
    });
  });

  after(async () => {
    await app?.stop();
    if (replicaAgain) await stopTracked(replicaAgain, 'SIGTERM', 5000);
    await Promise.allSettled([sshd?.stop(), redis?.stop()]);
    await new Promise((r) => hook?.close(r));
    await smtp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const firing = (ruleId: string, targetId: string, label?: [string, string]) =>
    call(app, 'listAlerts', { scope: 'active', targetId }).then((list) =>
      list.find(
        (a) =>
          a.ruleId === ruleId &&
          a.state === 'firing' &&
          (!label || a.labels[label[0]] === label[1]),
      ),
    );

  it('a filling filesystem fires the disk rule and resolves when space is freed', async (t) => {
    const fsDir = mkdtempSync(join(tmpdir(), 'opsdeck-alerts-fs-'));
    const mounted = loopMount(fsDir);
    if (typeof mounted === 'string') {
      rmSync(fsDir, { recursive: true, force: true });
      t.skip(mounted);
      return;
    }
    try {
      const local = (await call(app, 'listTargets', {})).find((x) => x.id === 'local')!;
      await call(app, 'saveTarget', {
        id: local.id,
        name: local.name,
        group: local.group,
        enabled: true,
        config: local.config,
        intervalMs: INTERVAL,
      });
      const rule = (await call(app, 'listRules', {})).find((r) => r.id === 'builtin-disk-full')!;
      const { builtin: _b, ...editable } = rule;
      void _b;
      await call(app, 'saveRule', { ...editable, forMs: 0 });
      await until('the loop filesystem in the samples', async () => {
        const series = await call(app, 'listSeries', { targetId: 'local' });
        return series.some(
          (s) => s.metric === 'host.fs.used_pct' && s.labels?.mount === mounted.mount,
        );
      });
      const st = statfsSync(mounted.mount);
      writeFileSync(
        join(mounted.mount, 'fill'),
        Buffer.alloc(Math.floor(st.bavail * st.bsize * 0.97)),
      );
      const a = await until('disk alert', () => firing(rule.id, 'local', ['mount', mounted.mount]));
      assert.match(
        a.message,
        new RegExp(`${mounted.mount} on This workstation is 9\\d(\\.\\d)? % full`),
      );
      assert.match(a.action, /du -xh/);
      rmSync(join(mounted.mount, 'fill'));
      await until('disk alert resolved', async () => {
        const all = await call(app, 'listAlerts', { scope: 'all', targetId: 'local' });
        return all.find((x) => x.id === a.id && x.state === 'resolved');
      });
    } finally {
      mounted.unmount();
      rmSync(fsDir, { recursive: true, force: true });
    }
  });

  it('a stopped Redis replica fires within two collection rounds, and resolves when it is back', async () => {
    const t = await call(app, 'saveTarget', {
      name: 'cache',
      intervalMs: INTERVAL,
      config: { kind: 'redis', host: redis.host, port: redis.port, tls: false, db: 0 },
    });
    ids.redis = t.id;
    await until('the replica in the samples', async () => {
      const series = await call(app, 'listSeries', { targetId: t.id });
      return series.some((s) => s.metric === 'redis.repl.offset_lag');
    });
    await new Promise((r) => setTimeout(r, INTERVAL * 1.5));
    let rounds = 0;
    const off = app.events.on('sample', (s) => {
      if (s.targetId === t.id) rounds++;
    });
    await redis.cli(['SHUTDOWN', 'NOSAVE'], redis.replica).catch(() => '');
    const a = await until('replica alert', () => firing('builtin-redis-replica-gone', t.id));
    const roundsUntilFiring = rounds;
    off();
    process.stdout.write(
      `Redis replica alert fired after ${roundsUntilFiring} collection rounds\n`,
    );
    assert.ok(roundsUntilFiring <= 2, `fired after ${roundsUntilFiring} rounds`);
    assert.match(a.message, /^Replica 127\.0\.0\.1:\d+ of Redis cache is no longer connected$/);
    await until('webhook about the replica', async () =>
      webhook.some((w) => w.alerts.some((x) => x.id === a.id && x.state === 'firing')),
    );
    assert.ok(
      desktop.some((d) => d.startsWith('cache: ')),
      'desktop notification',
    );
    const mail = await until('email about the replica', async () =>
      smtp!.mails.find((m) => m.data.includes('of Redis cache is no longer connected')),
    );
    assert.equal(mail.auth, 'opsdeck:mail-secret');
    assert.match(mail.data, /What to do: Check the replica process/);
    const acked = await call(app, 'ackAlert', { id: a.id, note: 'restarting it' });
    assert.equal(acked.state, 'acknowledged');

    replicaAgain = spawnTracked('/usr/bin/redis-server', [
      join(dirname(redis.replica!.logPath), 'replica.conf'),
    ]);
    await until('replica alert resolved', async () => {
      const all = await call(app, 'listAlerts', { scope: 'all', targetId: t.id });
      return all.find((x) => x.id === a.id && x.state === 'resolved');
    });
    const history = await call(app, 'alertHistory', { alertId: a.id });
    assert.deepEqual(
      history.map((h) => h.to),
      ['firing', 'acknowledged', 'resolved'],
    );
    assert.equal(history[1].note, 'restarting it');
    await until('webhook about the resolve', async () =>
      webhook.some((w) => w.alerts.some((x) => x.id === a.id && x.state === 'resolved')),
    );
    assert.ok(
      events.some((e) => e.id === a.id && e.state === 'resolved'),
      'alert event',
    );
  });

  it('a hung, then stopped, sshd fires "host unreachable"; it resolves once sshd answers again', async () => {
    const t = await call(app, 'saveTarget', {
      name: 'web-1',
      intervalMs: INTERVAL,
      config: {
        kind: 'ssh',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        auth: 'key',
        keyPath: sshd.keyPath,
      },
    });
    await until('host key prompt', async () => {
      const s = (await call(app, 'statuses', {})).find((x) => x.targetId === t.id);
      return s?.hostKey;
    });
    await call(app, 'acceptHostKey', { targetId: t.id, fingerprint: sshd.hostKeyFingerprint });
    await until('uptime from the SSH host', async () => {
      const series = await call(app, 'listSeries', { targetId: t.id });
      return series.some((s) => s.metric === 'host.uptime.seconds');
    });
    await new Promise((r) => setTimeout(r, INTERVAL * 1.5));

    // A hung host first: sshd and its sessions frozen (SIGSTOP), then thawed.
    const listener = Number(readFileSync(join(dirname(sshd.logPath), 'sshd.pid'), 'utf8'));
    const thaw = sshd.pauseConnections();
    process.kill(listener, 'SIGSTOP');
    const hung = await until('host unreachable while hung', () =>
      firing('builtin-host-unreachable', t.id),
    );
    process.kill(listener, 'SIGCONT');
    thaw();
    await until(
      'host unreachable resolved once sshd runs again',
      async () => {
        const all = await call(app, 'listAlerts', { scope: 'all', targetId: t.id });
        return all.find((x) => x.id === hung.id && x.state === 'resolved');
      },
      90_000,
    );
    await until(
      'uptime again',
      async () => (await firing('builtin-host-unreachable', t.id)) === undefined,
    );
    await new Promise((r) => setTimeout(r, INTERVAL * 1.5));

    // Then sshd stopped for good.
    const stoppedAt = Date.now();
    const thawAgain = sshd.pauseConnections();
    await sshd.stop();
    try {
      const a = await until('host unreachable', () => firing('builtin-host-unreachable', t.id));
      process.stdout.write(
        `host unreachable fired ${((a.firingAt! - stoppedAt) / INTERVAL).toFixed(1)} intervals after sshd stopped\n`,
      );
      assert.notEqual(a.id, hung.id);
      assert.equal(a.message, 'web-1 has not answered for two collection intervals');
      assert.equal(a.severity, 'critical');
    } finally {
      thawAgain();
    }
  });
});
