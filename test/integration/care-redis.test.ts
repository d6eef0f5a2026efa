// Redis care against the harness server: big keys and prefixes by SCAN over 100k generated
// keys with no slow log entry above 10 ms, the health view, persistence and a confirmed
// BGSAVE that waits for the save.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import { redisUnavailable, startRedis, type RedisServer } from '../harness/redis';
import { call, startApp, type TestApp } from './care-util';

const missing = redisUnavailable();
if (missing) process.stdout.write(`# care Redis skipped: ${missing}\n`);

const KEYS = 100_000;

describe('Redis care', { skip: missing ?? false }, () => {
  let redis: RedisServer;
  let t: TestApp;
  let id: string;
  let direct: Redis;

  before(async () => {
    redis = await startRedis();
    t = startApp();
    const target = await call(t.app, 'saveTarget', {
      name: 'cache-1',
      config: { kind: 'redis', host: redis.host, port: redis.port, tls: false, db: 0 },
    });
    id = target.id;
    direct = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await direct.connect();
    const prefixes = ['user:', 'session:', 'cache:', 'queue:'];
    for (let start = 0; start < KEYS; start += 5000) {
      const p = direct.pipeline();
      for (let i = start; i < Math.min(KEYS, start + 5000); i++) {
        p.set(`${prefixes[i % 4]}${i}`, 'v'.repeat(20));
      }
      await p.exec();
    }
    await direct.set('blob:huge', 'x'.repeat(1_000_000));
    const list = direct.pipeline();
    for (let i = 0; i < 20; i++)
      list.rpush('queue:biglist', ...Array.from({ length: 1000 }, (_, j) => `item-${i}-${j}`));
    await list.exec();
    await direct.config('SET', 'slowlog-log-slower-than', '10000');
    await direct.slowlog('RESET');
  });

  after(async () => {
    direct?.disconnect();
    await t?.stop();
    await redis?.stop();
  });

  it('finds the big keys and prefixes by SCAN with no command over 10 ms', async () => {
    const r = await call(t.app, 'careRedisScan', {
      targetId: id,
      maxKeys: 200_000,
      keysPerSecond: 1_000_000,
      count: 500,
      top: 10,
    });
    assert.equal(r.complete, true);
    assert.equal(r.scanned, KEYS + 2);
    assert.equal(r.bigKeys[0].key, 'blob:huge');
    assert.equal(r.bigKeys[0].type, 'string');
    assert.ok(r.bigKeys[0].bytes >= 1_000_000);
    assert.equal(r.bigKeys[1].key, 'queue:biglist');
    assert.equal(r.bigKeys[1].type, 'list');
    const users = r.prefixes.find((p) => p.prefix === 'user:');
    assert.equal(users?.keys, KEYS / 4);
    assert.equal(r.slowestMicros, null, 'no slow log entry above 10 ms during the scan');
    const slow = (await direct.slowlog('GET', 128)) as unknown[];
    assert.equal(slow.length, 0);
  });

  it('stops at the bound on keys and keeps to the rate', async () => {
    const r = await call(t.app, 'careRedisScan', {
      targetId: id,
      maxKeys: 2000,
      keysPerSecond: 10_000,
      count: 100,
    });
    assert.equal(r.scanned, 2000);
    assert.equal(r.complete, false);
    assert.ok(r.durationMs >= 150, `2000 keys at 10,000/s took ${r.durationMs} ms`);
  });

  it('shows memory, hit rate, clients, slow log and the maxmemory warning', async () => {
    await direct.get('user:0');
    await direct.get('nope');
    await direct.config('SET', 'latency-monitor-threshold', '1');
    await direct.call('DEBUG', 'SLEEP', '0.01').catch(() => undefined);
    const h = await call(t.app, 'careRedisHealth', { targetId: id });
    assert.ok(h.memory.usedBytes > 1_000_000);
    assert.ok(Object.keys(h.memory.breakdown).length > 3);
    assert.ok('dataset.bytes' in h.memory.breakdown);
    assert.ok(h.hits >= 1 && h.misses >= 1);
    assert.ok(h.hitRate !== null && h.hitRate > 0 && h.hitRate < 1);
    assert.ok(h.clients.length >= 2);
    assert.equal(h.keyspace.db0, KEYS + 2);
    assert.equal(h.latencyThresholdMs, 1);
    assert.ok(h.warnings.some((w) => /maxmemory is unset/.test(w)));
  });

  it('runs a confirmed BGSAVE and waits for it to finish', async () => {
    const before = await call(t.app, 'careRedisPersistence', { targetId: id });
    const p = await call(t.app, 'careRedisBgsave', { targetId: id, confirm: true });
    assert.equal(p.bgsaveInProgress, false);
    assert.equal(p.lastBgsaveStatus, 'ok');
    assert.ok((p.lastSaveAt ?? 0) >= (before.lastSaveAt ?? 0));
    assert.equal(p.changesSinceSave, 0);
    const audit = await call(t.app, 'auditLog', { limit: 10 });
    assert.ok(audit.some((a) => a.action === 'redis-bgsave' && a.result === 'ok'));
  });
});
