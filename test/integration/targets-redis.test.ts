// RedisTarget against real redis-server instances started by the harness.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AuthFailed,
  ConnectTimeout,
  TargetUnreachable,
  ValidationError,
} from '../../src/main/errors';
import { KnownHosts } from '../../src/main/targets/known-hosts';
import { RedisTarget, parseRedisUrl, type RedisTargetOptions } from '../../src/main/targets/redis';
import { SshHost } from '../../src/main/targets/ssh';
import { startBlackhole } from '../harness/blackhole';
import { startRedis, redisUnavailable, type RedisServer } from '../harness/redis';
import { startSshd, sshdUnavailable } from '../harness/sshd';
import { freePort } from '../harness/util';

const unavailable = redisUnavailable();
if (unavailable) process.stdout.write(`# targets-redis skipped: ${unavailable}\n`);

describe('Redis URLs (pure)', () => {
  it('reads redis:// and rediss:// with user, password, db and TLS', () => {
    assert.deepEqual(parseRedisUrl('rediss://mon:p%40ss@cache.example.org:6380/3'), {
      tls: true,
      host: 'cache.example.org',
      port: 6380,
      username: 'mon',
      password: 'p@ss',
      db: 3,
    });
    assert.deepEqual(parseRedisUrl('redis://:secret@10.0.0.5'), {
      tls: false,
      host: '10.0.0.5',
      password: 'secret',
    });
    assert.throws(() => parseRedisUrl('http://x'), ValidationError);
    assert.throws(() => parseRedisUrl('redis://h/zero'), /must be a number/);
    assert.throws(() => new RedisTarget({ url: 'redis://-h:1' }), /starts with "-"/);
  });
});

describe('RedisTarget against redis-server', { skip: unavailable ?? false }, () => {
  let redis: RedisServer;
  const targets: RedisTarget[] = [];
  const make = (opts: RedisTargetOptions): RedisTarget => {
    const t = new RedisTarget({ connectTimeoutMs: 2000, commandTimeoutMs: 2000, ...opts });
    targets.push(t);
    return t;
  };

  before(async () => {
    redis = await startRedis({ replica: true, password: true, aclUser: true });
  });
  after(async () => {
    await Promise.all(targets.map((t) => t.close()));
    await redis?.stop();
  });

  it('connects directly with the password, answers INFO and PING', async () => {
    const t = make({ host: redis.host, port: redis.port, password: redis.password });
    const info = await t.info();
    assert.match(info, /^# Server/m);
    assert.match(info, /redis_version:/);
    const ms = await t.ping();
    assert.ok(Number.isFinite(ms) && ms >= 0);
    assert.match(await t.info('replication'), /role:master/);
  });

  it('connects with an ACL user from a redis:// URL, limited to monitoring', async () => {
    const acl = redis.aclUser;
    assert.ok(acl);
    const t = make({
      url: `redis://${acl.user}:${encodeURIComponent(acl.password)}@127.0.0.1:${redis.port}/0`,
    });
    assert.match(await t.info('server'), /redis_version/);
    assert.equal(await t.command('ACL', 'WHOAMI').catch(() => 'denied'), 'denied');
    const whoami = await make({
      host: redis.host,
      port: redis.port,
      password: redis.password,
    }).command('CLIENT', 'LIST');
    assert.match(
      String(whoami),
      new RegExp(`user=${acl.user} .*name=opsdeck|name=opsdeck .*user=${acl.user}`),
    );
    await assert.rejects(t.command('SET', 'k', 'v'), (e: unknown) => {
      assert.ok(e instanceof AuthFailed);
      assert.match(e.message, /lacks a permission/);
      return true;
    });
  });

  it('names the target and what to do: wrong password, no password, refused, timeout', async () => {
    await assert.rejects(
      make({ host: redis.host, port: redis.port, password: 'wrong' }).ping(),
      (e: unknown) => {
        assert.ok(e instanceof AuthFailed);
        assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${redis.port}`));
        assert.match(e.message, /refused the password/);
        return true;
      },
    );
    await assert.rejects(
      make({
        host: redis.host,
        port: redis.port,
        username: redis.aclUser?.user,
        password: 'wrong',
      }).ping(),
      /refused the user/,
    );
    await assert.rejects(
      make({ host: redis.host, port: redis.port }).info(),
      /requires a password/,
    );
    const closedPort = await freePort();
    await assert.rejects(make({ host: '127.0.0.1', port: closedPort }).ping(), (e: unknown) => {
      assert.ok(e instanceof TargetUnreachable);
      assert.match(e.message, /refused/);
      return true;
    });
    const hole = await startBlackhole();
    after(() => hole.stop());
    await assert.rejects(
      make({ host: '127.0.0.1', port: hole.port, connectTimeoutMs: 300 }).ping(),
      ConnectTimeout,
    );
  });

  it('fails fast while the server is down, and reconnects lazily when it is back', async () => {
    const own = await startRedis();
    after(() => own.stop());
    const t = make({ host: own.host, port: own.port });
    await t.ping();
    await own.cli(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
    // The drop may surface on the first call; the call after that opens a new connection.
    const first = await t.ping().then(
      () => 'ok',
      (e: Error) => e.name,
    );
    assert.ok(['ok', 'TargetUnreachable'].includes(first), first);
    assert.ok((await t.ping()) >= 0);
  });

  it('sees the replica from the primary and from the replica', async () => {
    assert.ok(redis.replica);
    const primary = make({ host: redis.host, port: redis.port, password: redis.password });
    assert.match(
      await primary.info('replication'),
      new RegExp(`connected_slaves:1[\\s\\S]*port=${redis.replica.port},state=online`),
    );
    const replica = make({ host: redis.host, port: redis.replica.port, password: redis.password });
    const info = await replica.info('replication');
    assert.match(info, /role:slave/);
    assert.match(info, /master_link_status:up/);
  });

  it('reaches Redis through an SSH tunnel (forwardOut)', async (t) => {
    const why = sshdUnavailable();
    if (why) return t.skip(why);
    const sshd = await startSshd();
    after(() => sshd.stop());
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-redistest-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const ssh = new SshHost({
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { method: 'key', keyPath: sshd.keyPath },
      knownHosts: new KnownHosts(join(dir, 'known_hosts')),
      acceptFingerprints: [sshd.hostKeyFingerprint],
    });
    after(() => ssh.close());
    const acl = redis.aclUser;
    assert.ok(acl);
    const tunnelled = make({
      host: '127.0.0.1',
      port: redis.port,
      username: acl.user,
      password: acl.password,
      via: ssh,
    });
    assert.match(await tunnelled.info('server'), /redis_version/);
    assert.ok((await tunnelled.ping()) >= 0);
    assert.match(sshd.readLog(), /Accepted publickey/);
    const closedPort = await freePort();
    await assert.rejects(
      make({ host: '127.0.0.1', port: closedPort, via: ssh }).ping(),
      /TunnelFailed|tunnel/i,
    );
  });
});
