// Redis replies and warnings on fixed inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TopKeys,
  memoryWarnings,
  parseClientList,
  parseLatencyLatest,
  parseMemoryStats,
  parseSlowlog,
  prefixOf,
} from '../../src/main/care/redis-pure';

test('SLOWLOG GET entries', () => {
  const e = parseSlowlog([[14, 1733330000, 15000, ['KEYS', '*'], '127.0.0.1:5000', 'app']]);
  assert.deepEqual(e, [
    { id: 14, t: 1733330000000, micros: 15000, command: ['KEYS', '*'], client: '127.0.0.1:5000' },
  ]);
});

test('LATENCY LATEST events', () => {
  assert.deepEqual(parseLatencyLatest([['command', 1733330000, 12, 40]]), [
    { event: 'command', latestAt: 1733330000000, latestMs: 12, maxMs: 40 },
  ]);
});

test('CLIENT LIST lines', () => {
  const [c] = parseClientList(
    'id=3 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=8 name=web age=12 idle=1 flags=N db=0 cmd=client|list\n',
  );
  assert.equal(c.name, 'web');
  assert.equal(c.cmd, 'client|list');
  assert.equal(c.ageS, 12);
});

test('MEMORY STATS keeps numeric parts', () => {
  const m = parseMemoryStats([
    'peak.allocated',
    1000,
    'db.0',
    ['overhead.hashtable.main', 72],
    'dataset.percentage',
    '48.5',
  ]);
  assert.deepEqual(m, { 'peak.allocated': 1000, 'dataset.percentage': 48.5 });
});

test('prefixes and the top-N keeper', () => {
  assert.equal(prefixOf('user:42:profile'), 'user:');
  assert.equal(prefixOf('plain'), '(no prefix)');
  const top = new TopKeys(2);
  for (let i = 0; i < 10; i++) top.add({ key: `k${i}`, type: 'string', bytes: i });
  assert.deepEqual(
    top.result().map((k) => k.key),
    ['k9', 'k8'],
  );
});

test('memory and eviction warnings', () => {
  const base = {
    usedBytes: 100,
    maxmemoryBytes: 0,
    policy: 'noeviction',
    keys: 100,
    expires: 95,
    aofEnabled: false,
    rdbSaves: false,
  };
  assert.match(memoryWarnings(base)[0], /maxmemory is unset/);
  const cache = memoryWarnings({ ...base, maxmemoryBytes: 1000 });
  assert.equal(cache.length, 1);
  assert.match(cache[0], /allkeys-lru or volatile-lru/);
  const store = memoryWarnings({
    ...base,
    maxmemoryBytes: 1000,
    policy: 'allkeys-lru',
    expires: 0,
    aofEnabled: true,
  });
  assert.match(store[0], /evictions would lose data/);
  assert.match(
    memoryWarnings({ ...base, usedBytes: 950, maxmemoryBytes: 1000, expires: 0 })[0],
    /95 %/,
  );
});
