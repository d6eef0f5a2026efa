import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../src/shared/types';
import type { RedisClientLike } from '../../src/main/targets/types';
import { createRedisCollector, offsetLag } from '../../src/main/collectors/redis/collector';

interface Fake {
  fields: Record<string, string | number>;
  keyspace: string[];
  replicas: string[];
  pingFails?: string;
  infoFails?: string;
  extraServer?: string[];
}

function fake(over: Partial<Fake> = {}): Fake {
  return {
    fields: {
      redis_version: '7.2.4',
      redis_mode: 'standalone',
      run_id: 'aaaa',
      uptime_in_seconds: 3600,
      server_time_usec: 1_700_000_100_000_000,
      connected_clients: 12,
      blocked_clients: 1,
      used_memory: 1000000,
      used_memory_peak: 2000000,
      used_memory_rss: 1500000,
      mem_fragmentation_ratio: '1.50',
      maxmemory: 4000000,
      maxmemory_policy: 'allkeys-lru',
      rdb_changes_since_last_save: 42,
      rdb_last_save_time: 1_700_000_000,
      rdb_last_bgsave_status: 'ok',
      total_commands_processed: 10000,
      instantaneous_ops_per_sec: 77,
      keyspace_hits: 900,
      keyspace_misses: 100,
      expired_keys: 50,
      evicted_keys: 5,
      role: 'master',
      connected_slaves: 1,
      master_repl_offset: 5000,
    },
    keyspace: [
      'db0:keys=1500,expires=0,avg_ttl=-1',
      'db3:keys=20,expires=5,avg_ttl=3600000,subexpiry=0',
    ],
    replicas: ['slave0:ip=10.0.0.2,port=6379,state=online,offset=4000,lag=0'],
    ...over,
  };
}

function infoText(f: Fake): string {
  const server = ['redis_version', 'redis_mode', 'run_id', 'uptime_in_seconds', 'server_time_usec'];
  const lines = ['# Server', ...(f.extraServer ?? [])];
  const rest: string[] = ['# Stats'];
  for (const [k, v] of Object.entries(f.fields))
    (server.includes(k) ? lines : rest).push(`${k}:${v}`);
  return [
    ...lines,
    '',
    ...rest,
    '',
    '# Replication',
    ...f.replicas,
    '',
    '# Keyspace',
    ...f.keyspace,
    '',
  ].join('\r\n');
}

function clientOf(f: Fake): RedisClientLike {
  return {
    targetName: 'cache-1',
    async info() {
      if (f.infoFails) throw new Error(f.infoFails);
      return infoText(f);
    },
    async ping() {
      if (f.pingFails) throw new Error(f.pingFails);
      return 0.4;
    },
    async close() {},
  };
}

function value(
  points: MetricPoint[],
  metric: string,
  labels?: Record<string, string>,
): number | null | undefined {
  return points.find(
    (p) =>
      p.metric === metric &&
      (labels === undefined || JSON.stringify(p.labels ?? {}) === JSON.stringify(labels)),
  )?.value;
}

function bump(f: Fake, by: Record<string, number>): void {
  for (const [k, n] of Object.entries(by)) f.fields[k] = Number(f.fields[k]) + n;
}

test('round one: gauges, instantaneous ops as the first ops figure', async () => {
  const f = fake();
  const a = await createRedisCollector().collect(clientOf(f), 1_700_000_100_000);
  assert.deepEqual(a.errors, []);
  assert.equal(value(a.points, 'redis.up'), 1);
  assert.equal(value(a.points, 'redis.ping_ms'), 0.4);
  assert.equal(value(a.points, 'redis.mem.used'), 1000000);
  assert.equal(value(a.points, 'redis.mem.peak'), 2000000);
  assert.equal(value(a.points, 'redis.mem.rss'), 1500000);
  assert.equal(value(a.points, 'redis.mem.fragmentation'), 1.5);
  assert.equal(value(a.points, 'redis.mem.maxmemory'), 4000000);
  assert.equal(value(a.points, 'redis.mem.used_pct'), 25);
  assert.equal(value(a.points, 'redis.ops_ps'), 77);
  assert.equal(value(a.points, 'redis.keys', { db: 'db0' }), 1500);
  assert.equal(value(a.points, 'redis.expires', { db: 'db3' }), 5);
  assert.equal(value(a.points, 'redis.clients.connected'), 12);
  assert.equal(value(a.points, 'redis.clients.blocked'), 1);
  assert.equal(value(a.points, 'redis.role.master'), 1);
  assert.equal(value(a.points, 'redis.replicas'), 1);
  assert.equal(value(a.points, 'redis.repl.offset_lag', { replica: '10.0.0.2:6379' }), 1000);
  assert.equal(value(a.points, 'redis.rdb.last_save_age_s'), 100);
  assert.equal(value(a.points, 'redis.rdb.last_bgsave_ok'), 1);
  assert.equal(value(a.points, 'redis.rdb.changes_since_save'), 42);
  for (const m of ['redis.hit_pct', 'redis.expired_ps', 'redis.evicted_ps']) {
    assert.equal(value(a.points, m), undefined, `${m} needs two samples`);
  }
});

test('round two: ops from the command counter delta, hit rate and expiry rates', async () => {
  const f = fake();
  const client = clientOf(f);
  const c = createRedisCollector();
  await c.collect(client, 0);
  bump(f, {
    total_commands_processed: 5000,
    keyspace_hits: 300,
    keyspace_misses: 100,
    expired_keys: 20,
    evicted_keys: 0,
  });
  const b = await c.collect(client, 10_000);
  assert.deepEqual(b.errors, []);
  assert.equal(value(b.points, 'redis.ops_ps'), 500);
  assert.equal(value(b.points, 'redis.hit_pct'), 75);
  assert.equal(value(b.points, 'redis.expired_ps'), 2);
  assert.equal(value(b.points, 'redis.evicted_ps'), 0);
});

test('no lookups in the interval: hit rate null', async () => {
  const f = fake();
  const client = clientOf(f);
  const c = createRedisCollector();
  await c.collect(client, 0);
  const b = await c.collect(client, 10_000);
  assert.equal(value(b.points, 'redis.hit_pct'), null);
});

test('restart (new run_id, counters back to small values): gaps, never negative', async () => {
  const f = fake();
  const client = clientOf(f);
  const c = createRedisCollector();
  await c.collect(client, 0);
  f.fields = {
    ...f.fields,
    run_id: 'bbbb',
    total_commands_processed: 10,
    keyspace_hits: 1,
    keyspace_misses: 0,
    expired_keys: 0,
  };
  const b = await c.collect(client, 10_000);
  assert.equal(value(b.points, 'redis.hit_pct'), null);
  assert.equal(value(b.points, 'redis.expired_ps'), null);
  assert.equal(value(b.points, 'redis.ops_ps'), 77, 'falls back to the instantaneous figure');
  for (const p of b.points) assert.ok(p.value === null || p.value >= 0, p.metric);
});

test('maxmemory 0: no used percent', async () => {
  const f = fake();
  f.fields.maxmemory = 0;
  const a = await createRedisCollector().collect(clientOf(f), 0);
  assert.equal(value(a.points, 'redis.mem.used_pct'), null);
  assert.equal(value(a.points, 'redis.mem.maxmemory'), 0);
});

test('a database that empties reads 0 keys instead of vanishing', async () => {
  const f = fake();
  const client = clientOf(f);
  const c = createRedisCollector();
  await c.collect(client, 0);
  f.keyspace = ['db0:keys=1500,expires=0,avg_ttl=-1'];
  const b = await c.collect(client, 10_000);
  assert.equal(value(b.points, 'redis.keys', { db: 'db3' }), 0);
  assert.equal(value(b.points, 'redis.expires', { db: 'db3' }), 0);
});

test('a malformed field fails only its metric; a locale comma is not truncated', async () => {
  const f = fake();
  f.fields.mem_fragmentation_ratio = '1,50';
  f.keyspace = ['db0:keys=15x'];
  const a = await createRedisCollector().collect(clientOf(f), 0);
  assert.deepEqual(a.errors.map((e) => e.metric).sort(), [
    'redis.expires',
    'redis.keys',
    'redis.mem.fragmentation',
  ]);
  assert.match(
    a.errors.find((e) => e.metric === 'redis.mem.fragmentation')?.reason ?? '',
    /"1,50"/,
  );
  assert.equal(value(a.points, 'redis.mem.fragmentation'), null);
  assert.equal(value(a.points, 'redis.mem.used'), 1000000);
});

test('replica role, and a replica reporting an offset ahead: lag null, not negative', async () => {
  const f = fake();
  f.fields.role = 'slave';
  f.fields.master_host = '10.0.0.1';
  f.fields.master_port = 6379;
  f.fields.master_link_status = 'up';
  f.fields.connected_slaves = 0;
  f.replicas = [];
  const a = await createRedisCollector().collect(clientOf(f), 0);
  assert.equal(value(a.points, 'redis.role.master'), 0);
  const snap = a.snapshot as { master: { host: string; linkStatus: string } };
  assert.equal(snap.master.host, '10.0.0.1');
  assert.equal(snap.master.linkStatus, 'up');
  assert.equal(offsetLag(100, 150), null);
  assert.equal(offsetLag(150, 100), 50);
  assert.equal(offsetLag(null, 100), null);
});

test('Valkey: server_name and valkey_version, extra fields ignored', async () => {
  const f = fake({
    extraServer: ['server_name:valkey', 'valkey_version:8.0.1', 'valkey_release_stage:ga'],
  });
  const a = await createRedisCollector().collect(clientOf(f), 0);
  assert.deepEqual(a.errors, []);
  const snap = a.snapshot as Record<string, unknown>;
  assert.equal(snap.server, 'valkey');
  assert.equal(snap.version, '8.0.1');
  assert.equal(snap.mode, 'standalone');
  assert.equal(snap.role, 'master');
  assert.equal(snap.maxmemoryPolicy, 'allkeys-lru');
  assert.equal(snap.uptimeSeconds, 3600);
  assert.deepEqual(snap.keyspace, [
    { db: 'db0', keys: 1500, expires: 0, avgTtlMs: null },
    { db: 'db3', keys: 20, expires: 5, avgTtlMs: 3600000 },
  ]);
});

test('Redis 6 without server_time_usec: save age from the collector clock', async () => {
  const f = fake({ fields: { ...fake().fields, redis_version: '6.0.16' } });
  delete f.fields.server_time_usec;
  const a = await createRedisCollector().collect(clientOf(f), 1_700_000_030_000);
  assert.equal(value(a.points, 'redis.rdb.last_save_age_s'), 30);
  assert.equal((a.snapshot as { server: string; version: string }).version, '6.0.16');
});

test('PING failing: redis.up 0 and nothing else asked', async () => {
  const a = await createRedisCollector().collect(clientOf(fake({ pingFails: 'ECONNREFUSED' })), 0);
  assert.equal(value(a.points, 'redis.up'), 0);
  assert.equal(value(a.points, 'redis.ping_ms'), null);
  assert.match(a.errors[0].reason, /PING failed: ECONNREFUSED/);
});

test('INFO failing: every INFO metric fails with the reason, up and ping kept', async () => {
  const a = await createRedisCollector().collect(clientOf(fake({ infoFails: 'NOPERM' })), 0);
  assert.equal(value(a.points, 'redis.up'), 1);
  assert.ok(a.errors.length >= 20);
  assert.ok(a.errors.every((e) => /INFO failed: NOPERM/.test(e.reason)));
});
