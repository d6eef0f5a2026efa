import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../src/shared/types';
import type { QueryResult, SqlClient } from '../../src/main/targets/types';
import { QueryFailed } from '../../src/main/errors';
import {
  createPostgresCollector,
  pgReason,
  replicaLabel,
  replicaLagSeconds,
  replicaOf,
} from '../../src/main/collectors/postgres/collector';

type Row = Record<string, unknown>;

/** A server's state as the fake answers it; counters are int8 text like the real queries. */
interface FakeServer {
  versionNum: number;
  inRecovery: boolean;
  db: Row;
  checkpoints: Row;
  fail: Map<string, string>;
  extversion: string | null;
  statementRows: Row[];
  replayLag: number | null;
}

function server(over: Partial<FakeServer> = {}): FakeServer {
  return {
    versionNum: 160004,
    inRecovery: false,
    db: {
      xact_commit: '1000',
      xact_rollback: '10',
      tup_read: '50000',
      tup_written: '2000',
      blks_hit: '9000',
      blks_read: '1000',
      temp_bytes: '0',
      deadlocks: '0',
      stats_reset: '2026-01-01 00:00:00+00',
    },
    checkpoints: { timed: '100', requested: '5', buffers: '4000', stats_reset: null },
    fail: new Map(),
    extversion: null,
    statementRows: [],
    replayLag: null,
    ...over,
  };
}

interface Call {
  sql: string;
  params: unknown[];
}

function clientOf(s: FakeServer): SqlClient & { calls: Call[] } {
  const calls: Call[] = [];
  const answer = (sql: string): Row[] => {
    for (const [needle, message] of s.fail) if (sql.includes(needle)) throw new Error(message);
    if (sql === 'select 1 as one') return [{ one: 1 }];
    if (sql.includes("current_setting('server_version_num')")) {
      return [
        {
          version_num: s.versionNum,
          version: `${Math.floor(s.versionNum / 10000)}.4`,
          in_recovery: s.inRecovery,
          max_connections: 100,
          started_at: '2026-01-01 00:00:00+00',
          uptime_s: 3600.5,
        },
      ];
    }
    if (sql.includes('from pg_stat_database')) return [s.db];
    if (sql.includes('group by 1')) {
      return [
        { state: 'active', n: 3 },
        { state: 'idle', n: 10 },
        { state: 'idle in transaction', n: 2 },
      ];
    }
    if (sql.includes('oldest_xact_s')) return [{ oldest_xact_s: 42.5, longest_query_s: 7.25 }];
    if (sql.includes('pg_stat_checkpointer') || sql.includes('pg_stat_bgwriter'))
      return [s.checkpoints];
    if (sql.includes('pg_database_size')) {
      return [
        { datname: 'app', bytes: '123456789012' },
        { datname: 'postgres', bytes: '8000000' },
      ];
    }
    if (sql.includes('datfrozenxid')) return [{ xid_age: '1300000000' }];
    if (sql.includes('from pg_replication_slots')) {
      return [
        { slot_name: 'standby_a', active: true, retained_bytes: '16384' },
        { slot_name: 'old_standby', active: false, retained_bytes: '987654321' },
        { slot_name: 'fresh', active: false, retained_bytes: null },
      ];
    }
    if (sql.includes('from pg_locks')) {
      return [
        { mode: 'AccessShareLock', n: 12, waiting: 0 },
        { mode: 'AccessExclusiveLock', n: 1, waiting: 1 },
        { mode: 'RowExclusiveLock', n: 3, waiting: 2 },
      ];
    }
    if (sql.includes('pg_last_xact_replay_timestamp')) {
      return [{ replay_lag_s: s.replayLag, receive_lsn: '0/3000000', replay_lsn: '0/3000000' }];
    }
    if (sql.includes('from pg_stat_replication')) {
      return s.inRecovery
        ? []
        : [
            {
              pid: 501,
              application_name: 'replica1',
              client_addr: '10.0.0.2',
              state: 'streaming',
              sync_state: 'async',
              lag_bytes: '16384',
              write_lag_s: 0.01,
              flush_lag_s: 0.02,
              replay_lag_s: 0.5,
            },
            {
              pid: 502,
              application_name: 'walreceiver',
              client_addr: null,
              state: 'streaming',
              sync_state: 'async',
              lag_bytes: '0',
              write_lag_s: null,
              flush_lag_s: null,
              replay_lag_s: null,
            },
          ];
    }
    if (sql.includes('from pg_stat_activity where pid <> pg_backend_pid()\n  order by')) {
      return [
        {
          pid: 77,
          usename: 'app',
          datname: 'app',
          application_name: 'web',
          client_addr: '10.0.0.9',
          backend_type: 'client backend',
          state: 'active',
          wait_event_type: 'Lock',
          wait_event: 'relation',
          query: 'x'.repeat(2000),
          backend_age_s: 100,
          xact_age_s: 42.5,
          query_age_s: 7.25,
          state_age_s: 7.25,
        },
      ];
    }
    if (sql.includes('from pg_extension')) {
      return s.extversion ? [{ extversion: s.extversion, nspname: 'public' }] : [];
    }
    if (sql.includes('pg_stat_statements s')) return s.statementRows;
    throw new Error(`fake server does not know: ${sql.slice(0, 80)}`);
  };
  return {
    targetName: 'db-1',
    calls,
    async query<R>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
      calls.push({ sql, params });
      return { rows: answer(sql) as R[] };
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

function advance(s: FakeServer, by: Record<string, number>): void {
  for (const [k, n] of Object.entries(by)) s.db[k] = String(Number(s.db[k]) + n);
}

test('round one: up, ping, gauges; no rates yet', async () => {
  const s = server();
  const a = await createPostgresCollector().collect(clientOf(s), 1_000_000);
  assert.deepEqual(a.errors, []);
  assert.equal(value(a.points, 'pg.up'), 1);
  assert.ok((value(a.points, 'pg.ping_ms') ?? -1) >= 0);
  assert.equal(value(a.points, 'pg.connections.max'), 100);
  assert.equal(value(a.points, 'pg.connections', { state: 'active' }), 3);
  assert.equal(value(a.points, 'pg.connections', { state: 'idle in transaction (aborted)' }), 0);
  assert.equal(value(a.points, 'pg.connections.total'), 15);
  assert.equal(value(a.points, 'pg.connections.used_pct'), 15);
  assert.equal(value(a.points, 'pg.idle_in_xact'), 2);
  assert.equal(value(a.points, 'pg.oldest_xact_s'), 42.5);
  assert.equal(value(a.points, 'pg.longest_query_s'), 7.25);
  assert.equal(value(a.points, 'pg.db.size_bytes', { db: 'app' }), 123456789012);
  assert.equal(value(a.points, 'pg.locks', { mode: 'AccessShareLock' }), 12);
  assert.equal(value(a.points, 'pg.locks', { mode: 'ShareLock' }), 0);
  assert.equal(value(a.points, 'pg.locks.waiting'), 3);
  assert.equal(value(a.points, 'pg.replication.is_replica'), 0);
  assert.equal(value(a.points, 'pg.xid_age'), 1_300_000_000);
  assert.equal(value(a.points, 'pg.replication.slots_inactive'), 2);
  const kept = (slot: string) => value(a.points, 'pg.replication.slot_retained_bytes', { slot });
  assert.equal(kept('old_standby'), 987654321);
  assert.equal(kept('fresh'), null, 'a slot without a restart point keeps nothing measurable');
  for (const m of ['pg.xact.commit_ps', 'pg.cache.hit_pct', 'pg.checkpoints.timed_ps']) {
    assert.equal(value(a.points, m), undefined, `${m} needs two samples`);
  }
});

test('round two: rates per second and cache hit ratio from deltas', async () => {
  const s = server();
  const client = clientOf(s);
  const c = createPostgresCollector();
  await c.collect(client, 1_000_000);
  advance(s, {
    xact_commit: 500,
    xact_rollback: 5,
    tup_read: 10000,
    tup_written: 100,
    blks_hit: 900,
    blks_read: 100,
    temp_bytes: 1048576,
    deadlocks: 1,
  });
  s.checkpoints = { ...s.checkpoints, timed: '101', buffers: '4100' };
  const b = await c.collect(client, 1_010_000);
  assert.deepEqual(b.errors, []);
  assert.equal(value(b.points, 'pg.xact.commit_ps'), 50);
  assert.equal(value(b.points, 'pg.xact.rollback_ps'), 0.5);
  assert.equal(value(b.points, 'pg.tup.read_ps'), 1000);
  assert.equal(value(b.points, 'pg.tup.written_ps'), 10);
  assert.equal(value(b.points, 'pg.temp.bytes_ps'), 104857.6);
  assert.equal(value(b.points, 'pg.deadlocks_ps'), 0.1);
  assert.equal(value(b.points, 'pg.cache.hit_pct'), 90);
  assert.equal(value(b.points, 'pg.checkpoints.timed_ps'), 0.1);
  assert.equal(value(b.points, 'pg.checkpoints.req_ps'), 0);
  assert.equal(value(b.points, 'pg.checkpoints.buffers_ps'), 10);
});

test('no block requested in the interval: hit ratio is null, not NaN', async () => {
  const s = server();
  const client = clientOf(s);
  const c = createPostgresCollector();
  await c.collect(client, 0);
  const b = await c.collect(client, 10_000);
  assert.equal(value(b.points, 'pg.cache.hit_pct'), null);
});

test('stats_reset changed: a gap, then rates from the new baseline', async () => {
  const s = server();
  const client = clientOf(s);
  const c = createPostgresCollector();
  await c.collect(client, 0);
  s.db = { ...s.db, xact_commit: '20', stats_reset: '2026-02-01 00:00:00+00' };
  const b = await c.collect(client, 10_000);
  assert.equal(value(b.points, 'pg.xact.commit_ps'), null);
  advance(s, { xact_commit: 100 });
  const d = await c.collect(client, 20_000);
  assert.equal(value(d.points, 'pg.xact.commit_ps'), 10);
});

test('checkpoints: pg_stat_bgwriter before 17, pg_stat_checkpointer from 17', async () => {
  for (const [versionNum, view, col] of [
    [120015, 'pg_stat_bgwriter', 'checkpoints_timed'],
    [160004, 'pg_stat_bgwriter', 'checkpoints_timed'],
    [170002, 'pg_stat_checkpointer', 'num_timed'],
  ] as const) {
    const client = clientOf(server({ versionNum }));
    const a = await createPostgresCollector().collect(client, 0);
    assert.deepEqual(a.errors, []);
    const sql = client.calls.find((c) => c.sql.includes('checkpoint'))?.sql ?? '';
    assert.match(sql, new RegExp(`from ${view}`), String(versionNum));
    assert.match(sql, new RegExp(col));
  }
});

test('client backends only, by parameter; ages exclude our own session', async () => {
  const client = clientOf(server());
  await createPostgresCollector().collect(client, 0);
  const states = client.calls.find((c) => c.sql.includes('group by 1'));
  assert.deepEqual(states?.params, ['client backend']);
  assert.match(states?.sql ?? '', /backend_type = \$1/);
  const ages = client.calls.find((c) => c.sql.includes('oldest_xact_s'));
  assert.match(ages?.sql ?? '', /pid <> pg_backend_pid\(\)/);
  assert.match(ages?.sql ?? '', /state = 'active'/);
});

test('replicas on a primary: lag bytes and seconds per replica label', async () => {
  const a = await createPostgresCollector().collect(clientOf(server()), 0);
  assert.equal(value(a.points, 'pg.replication.replicas'), 2);
  assert.equal(
    value(a.points, 'pg.replication.lag_bytes', { replica: 'replica1 (10.0.0.2)' }),
    16384,
  );
  assert.equal(value(a.points, 'pg.replication.lag_s', { replica: 'replica1 (10.0.0.2)' }), 0.5);
  // Caught up and idle: replay_lag is null, nothing outstanding => 0.
  assert.equal(value(a.points, 'pg.replication.lag_s', { replica: 'walreceiver' }), 0);
  assert.equal(value(a.points, 'pg.replication.replay_lag_s'), undefined);
  const snap = a.snapshot as { role: string; replicas: { replica: string }[] };
  assert.equal(snap.role, 'primary');
  assert.deepEqual(
    snap.replicas.map((r) => r.replica),
    ['replica1 (10.0.0.2)', 'walreceiver'],
  );
});

test('on a replica: replay lag, null when nothing was replayed; cascading reference', async () => {
  const s = server({ inRecovery: true, replayLag: null });
  const client = clientOf(s);
  const a = await createPostgresCollector().collect(client, 0);
  assert.deepEqual(a.errors, []);
  assert.equal(value(a.points, 'pg.replication.is_replica'), 1);
  assert.equal(value(a.points, 'pg.replication.replay_lag_s'), null);
  assert.equal(value(a.points, 'pg.replication.replicas'), 0);
  const repl = client.calls.find((c) => c.sql.includes('from pg_stat_replication'));
  assert.match(repl?.sql ?? '', /pg_last_wal_replay_lsn\(\)/);
  assert.doesNotMatch(repl?.sql ?? '', /pg_current_wal_lsn/);
  s.replayLag = 3.5;
  const b = await createPostgresCollector().collect(clientOf(s), 0);
  assert.equal(value(b.points, 'pg.replication.replay_lag_s'), 3.5);
  assert.equal((b.snapshot as { role: string }).role, 'replica');
});

test('a failing view fails only its metrics, naming the view, with what to do', async () => {
  const s = server();
  s.fail.set('from pg_locks', 'permission denied for view pg_locks');
  s.fail.set('pg_database_size', 'canceling statement due to statement timeout');
  const a = await createPostgresCollector().collect(clientOf(s), 0);
  assert.deepEqual(a.errors.map((e) => e.metric).sort(), [
    'pg.db.size_bytes',
    'pg.locks',
    'pg.locks.waiting',
  ]);
  const locks = a.errors.find((e) => e.metric === 'pg.locks');
  assert.equal(
    locks?.reason,
    'pg_locks: permission denied for view pg_locks; grant the pg_monitor role to the monitoring user',
  );
  assert.match(
    a.errors.find((e) => e.metric === 'pg.db.size_bytes')?.reason ?? '',
    /^pg_database_size: canceling/,
  );
  assert.equal(value(a.points, 'pg.connections.total'), 15);
  assert.equal(value(a.points, 'pg.up'), 1);
});

test('the server settings query failing: version-bound metrics fail with the reason', async () => {
  const s = server();
  s.fail.set("current_setting('server_version_num')", 'boom');
  const a = await createPostgresCollector().collect(clientOf(s), 0);
  assert.ok(
    a.errors.some(
      (e) => e.metric === 'pg.connections.max' && /server settings: boom/.test(e.reason),
    ),
  );
  assert.ok(
    a.errors.some(
      (e) => e.metric === 'pg.checkpoints.timed_ps' && /version unknown/.test(e.reason),
    ),
  );
  assert.equal(value(a.points, 'pg.locks.waiting'), 3);
});

test('select 1 failing: pg.up 0, no other query', async () => {
  const s = server();
  s.fail.set('select 1 as one', 'Connection terminated unexpectedly');
  const client = clientOf(s);
  const a = await createPostgresCollector().collect(client, 0);
  assert.equal(value(a.points, 'pg.up'), 0);
  assert.equal(value(a.points, 'pg.ping_ms'), null);
  assert.match(a.errors[0].reason, /select 1 failed: Connection terminated/);
  assert.equal(client.calls.length, 1);
});

test('snapshot: version, uptime, sessions with truncated text and ages', async () => {
  const client = clientOf(server());
  const a = await createPostgresCollector().collect(client, 0);
  const snap = a.snapshot as Record<string, unknown>;
  assert.equal(snap.version, '16.4');
  assert.equal(snap.versionNum, 160004);
  assert.equal(snap.uptimeSeconds, 3600.5);
  const sessions = snap.sessions as Record<string, unknown>[];
  assert.equal(sessions[0].pid, 77);
  assert.equal(sessions[0].waitEventType, 'Lock');
  assert.equal((sessions[0].query as string).length, 2000);
  assert.equal(sessions[0].xactAgeSeconds, 42.5);
  const call = client.calls.find((c) => c.sql.includes('left(query, $1)'));
  assert.deepEqual(call?.params, [2000, 500]);
  assert.equal(snap.statements, null, 'extension not installed: no statements, no error');
  assert.deepEqual(snap.problems, []);
});

test('statements in the snapshot: shape from extversion, exact queryid, parameters', async () => {
  const s = server({
    extversion: '1.7',
    statementRows: [
      {
        queryid: '-7234567890123456789',
        calls: '3',
        rows: '3',
        total_time: 30,
        mean_time: 10,
        blk_read_time: 0,
        blk_write_time: 0,
        query: 'select $1',
        datname: 'app',
      },
    ],
  });
  const client = clientOf(s);
  const a = await createPostgresCollector().collect(client, 0);
  const st = (a.snapshot as { statements: Record<string, unknown>[] }).statements;
  assert.equal(st[0].queryid, '-7234567890123456789');
  assert.equal(st[0].totalExecMs, 30);
  assert.equal(st[0].planMs, null);
  const ext = client.calls.find((c) => c.sql.includes('from pg_extension'));
  assert.deepEqual(ext?.params, ['pg_stat_statements']);
  const q = client.calls.find((c) => c.sql.includes('pg_stat_statements s'));
  assert.match(q?.sql ?? '', /s\.total_time/);
  assert.deepEqual(q?.params, [2000, 20]);
});

test('pg_stat_statements installed but not loaded: a snapshot problem, no metric error', async () => {
  const s = server({ extversion: '1.10' });
  s.fail.set(
    'pg_stat_statements s',
    'pg_stat_statements must be loaded via "shared_preload_libraries"',
  );
  const a = await createPostgresCollector().collect(clientOf(s), 0);
  assert.deepEqual(a.errors, []);
  const snap = a.snapshot as { statements: unknown; problems: string[] };
  assert.equal(snap.statements, null);
  assert.match(snap.problems[0], /^pg_stat_statements: .*shared_preload_libraries/);
});

test('every query is fixed text; values only as parameters', async () => {
  const s = server({ extversion: '1.11', statementRows: [] });
  const client = clientOf(s);
  await createPostgresCollector().collect(client, 0);
  for (const c of client.calls) {
    assert.doesNotMatch(c.sql, /'client backend'|'pg_stat_statements'|\b2000\b|limit 500/, c.sql);
  }
});

test('replica labels and lag helpers', () => {
  assert.equal(replicaLabel('r1', '10.0.0.2', 5), 'r1 (10.0.0.2)');
  assert.equal(replicaLabel(null, '10.0.0.2', 5), '10.0.0.2');
  assert.equal(replicaLabel(null, null, 5), 'pid 5');
  const r = replicaOf({
    pid: 1,
    application_name: '',
    client_addr: '',
    lag_bytes: '100',
    replay_lag_s: null,
  });
  assert.equal(r.replica, 'pid 1');
  assert.equal(replicaLagSeconds(r), null);
});

test('an insufficient_privilege SQLSTATE gets the grant hint whatever the wording', () => {
  const err = new QueryFailed('permiso denegado a la vista pg_locks', '42501');
  assert.match(pgReason(err), /grant the pg_monitor role/);
  assert.equal(pgReason(new QueryFailed('syntax error', '42601')), 'syntax error');
});
