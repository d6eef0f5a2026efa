import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  avgTtl,
  keyspaceOf,
  parseInfo,
  parseKvList,
  replicasOf,
} from '../../src/main/collectors/redis/info';

const INFO = [
  '# Server',
  'redis_version:7.2.4',
  'redis_mode:standalone',
  'executable:/usr/bin/redis-server',
  'config_file:',
  '',
  '# Replication',
  'role:master',
  'connected_slaves:2',
  'slave0:ip=10.0.0.2,port=6379,state=online,offset=1000,lag=0',
  'slave1:ip=::1,port=6380,state=wait_bgsave,offset=0,lag=1,future_field=x',
  'master_repl_offset:1500',
  '',
  '# Keyspace',
  'db0:keys=1500,expires=0,hits=600,misses=700,hit_ratio=0.46,avg_ttl=-1',
  'db3:keys=20,expires=5,avg_ttl=3600000,subexpiry=0',
  '',
].join('\r\n');

test('INFO: sections by name, every key:value kept, values may hold colons', () => {
  const info = parseInfo(INFO);
  assert.equal(info.sections.get('server')?.get('redis_version'), '7.2.4');
  assert.equal(info.fields.get('executable'), '/usr/bin/redis-server');
  assert.equal(info.fields.get('config_file'), '');
  assert.equal(info.fields.get('role'), 'master');
  assert.deepEqual([...info.sections.keys()], ['', 'server', 'replication', 'keyspace']);
});

test('keyspace by name, extra fields ignored, avg_ttl -1 is no data (redis-info-keyspace-by-name)', () => {
  const ks = keyspaceOf(parseInfo(INFO));
  assert.deepEqual(ks.problems, []);
  assert.deepEqual(ks.rows, [
    { db: 'db0', keys: 1500, expires: 0, avgTtlMs: null },
    { db: 'db3', keys: 20, expires: 5, avgTtlMs: 3600000 },
  ]);
});

test('avg_ttl: -1 and 0 are no data, a positive number is ms', () => {
  assert.equal(avgTtl('-1'), null);
  assert.equal(avgTtl('0'), null);
  assert.equal(avgTtl(undefined), null);
  assert.equal(avgTtl('250'), 250);
});

test('fields in another order or unknown ones change nothing', () => {
  const ks = keyspaceOf(parseInfo('# Keyspace\ndb1:avg_ttl=10,zeta=1,expires=2,keys=3\n'));
  assert.deepEqual(ks.rows, [{ db: 'db1', keys: 3, expires: 2, avgTtlMs: 10 }]);
});

test('a keyspace line without keys= or with a bad number is a problem for that db only', () => {
  const ks = keyspaceOf(
    parseInfo('# Keyspace\ndb0:expires=1\ndb1:keys=1,5\ndb2:keys=7,expires=0\n'),
  );
  assert.deepEqual(
    ks.rows.map((r) => r.db),
    ['db1', 'db2'],
  );
  assert.equal(ks.problems.length, 1);
  const bad = keyspaceOf(parseInfo('# Keyspace\ndb0:keys=15x\n'));
  assert.equal(bad.problems.length, 1);
});

test('replica lines by name; IPv6 addresses with colons; unknown fields ignored', () => {
  const r = replicasOf(parseInfo(INFO));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.rows, [
    { replica: '10.0.0.2:6379', ip: '10.0.0.2', port: 6379, state: 'online', offset: 1000, lag: 0 },
    { replica: '::1:6380', ip: '::1', port: 6380, state: 'wait_bgsave', offset: 0, lag: 1 },
  ]);
});

test('a replica line without ip= is a problem', () => {
  const r = replicasOf(parseInfo('# Replication\nslave0:port=1,state=online\n'));
  assert.equal(r.rows.length, 0);
  assert.equal(r.problems.length, 1);
});

test('name=value lists', () => {
  assert.deepEqual(
    [...parseKvList('a=1,b=x=y,c,d=')],
    [
      ['a', '1'],
      ['b', 'x=y'],
      ['d', ''],
    ],
  );
});
