// PostgreSQL collector: one round of queries on one session. Each query fails only the
// metrics it feeds (the error names the view and the reason); the rest of the round is
// kept. Counter rates go through a RateTracker whose epoch is the postmaster start time and
// the view's stats_reset, so a restart or a reset gives a gap, never a negative rate.
import { performance } from 'node:perf_hooks';
import type { MetricName } from '../../../shared/metrics';
import { errorMessage, ParseFailed, QueryFailed } from '../../errors';
import type { SqlClient } from '../../targets/types';
import { RateTracker } from '../counters';
import { Emitter } from '../emit';
import { finite, percent, toNum } from '../num';
import type { CollectOutput } from '../types';
import * as Q from './queries';
import {
  normaliseStatement,
  type StatementRecord,
  statementsQuery,
  statementsShape,
} from './statements';
import { redactSql } from './redact';

export interface PostgresCollector {
  collect(client: SqlClient, now: number): Promise<CollectOutput>;
}

type Row = Record<string, unknown>;

/** The states pg_stat_activity reports for a client backend; each gets a series, 0 or more. */
const STATES = [
  'active',
  'idle',
  'idle in transaction',
  'idle in transaction (aborted)',
  'fastpath function call',
  'disabled',
];

const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
];

const TOP_STATEMENTS = 20;
/** SQLSTATE 42501. */
const INSUFFICIENT_PRIVILEGE = '42501';

const DATABASE_METRICS = [
  'pg.xact.commit_ps',
  'pg.xact.rollback_ps',
  'pg.tup.read_ps',
  'pg.tup.written_ps',
  'pg.cache.hit_pct',
  'pg.temp.bytes_ps',
  'pg.deadlocks_ps',
] as const satisfies readonly MetricName[];

const CONNECTION_METRICS = [
  'pg.connections',
  'pg.connections.total',
  'pg.connections.used_pct',
  'pg.idle_in_xact',
] as const satisfies readonly MetricName[];

const REPLICATION_METRICS = [
  'pg.replication.replicas',
  'pg.replication.lag_bytes',
  'pg.replication.lag_s',
] as const satisfies readonly MetricName[];

const CHECKPOINT_METRICS = [
  'pg.checkpoints.timed_ps',
  'pg.checkpoints.req_ps',
  'pg.checkpoints.buffers_ps',
] as const satisfies readonly MetricName[];

interface ServerInfo {
  versionNum: number;
  version: string;
  inRecovery: boolean;
  maxConnections: number | null;
  startedAt: string;
  uptimeSeconds: number | null;
}

export interface ReplicaInfo {
  replica: string;
  pid: number | null;
  applicationName: string | null;
  clientAddr: string | null;
  state: string | null;
  syncState: string | null;
  lagBytes: number | null;
  writeLagSeconds: number | null;
  flushLagSeconds: number | null;
  replayLagSeconds: number | null;
}

export function createPostgresCollector(): PostgresCollector {
  const tracker = new RateTracker();
  return { collect: (client, now) => collectPostgres(client, now, tracker) };
}

async function collectPostgres(
  client: SqlClient,
  now: number,
  tracker: RateTracker,
): Promise<CollectOutput> {
  const out = new Emitter();
  const problems: string[] = [];
  const ping = await pingOnce(client);
  out.point('pg.up', ping.ok ? 1 : 0);
  if (!ping.ok) {
    out.point('pg.ping_ms', null);
    out.fail(['pg.up', 'pg.ping_ms'], `select 1 failed: ${ping.reason}`);
    return out.output();
  }
  out.point('pg.ping_ms', ping.ms);

  const run: Run = async (metrics, view, fn) => {
    try {
      return await fn();
    } catch (err) {
      out.fail(metrics, `${view}: ${pgReason(err)}`);
      return null;
    }
  };

  const server = await run(
    ['pg.connections.max', 'pg.replication.is_replica'],
    'server settings',
    async () => serverInfo(await client.query<Row>(Q.SERVER)),
  );
  if (server) {
    out.point('pg.connections.max', server.maxConnections);
    out.point('pg.replication.is_replica', server.inRecovery ? 1 : 0);
  }
  const versionNum = server?.versionNum ?? null;
  const restartEpoch = server?.startedAt ?? 'unknown';

  await run(DATABASE_METRICS, 'pg_stat_database', async () => {
    const rows = (await client.query<Row>(Q.DATABASE_TOTALS)).rows;
    emitDatabaseTotals(out, tracker, rows[0] ?? {}, now, restartEpoch);
  });

  if (versionNum === null) {
    const why = 'server version unknown (the server settings query failed)';
    out.fail(
      [...CONNECTION_METRICS, 'pg.oldest_xact_s', 'pg.longest_query_s', ...CHECKPOINT_METRICS],
      why,
    );
  } else {
    await run(CONNECTION_METRICS, 'pg_stat_activity', async () => {
      const q = Q.connectionsByState(versionNum);
      emitConnections(
        out,
        (await client.query<Row>(q.sql, q.params)).rows,
        server?.maxConnections ?? null,
      );
    });
    await run(['pg.oldest_xact_s', 'pg.longest_query_s'], 'pg_stat_activity', async () => {
      const q = Q.activityAges(versionNum);
      const row = (await client.query<Row>(q.sql, q.params)).rows[0] ?? {};
      out.point('pg.oldest_xact_s', toNum(row.oldest_xact_s, 'oldest_xact_s'));
      out.point('pg.longest_query_s', toNum(row.longest_query_s, 'longest_query_s'));
    });
    const cp = Q.checkpoints(versionNum);
    await run(CHECKPOINT_METRICS, cp.view, async () => {
      const row = (await client.query<Row>(cp.sql)).rows[0] ?? {};
      emitCheckpoints(out, tracker, row, now, restartEpoch);
    });
  }

  await run(['pg.db.size_bytes'], 'pg_database_size', async () => {
    for (const r of (await client.query<Row>(Q.DATABASE_SIZES)).rows) {
      out.point('pg.db.size_bytes', toNum(r.bytes, 'database size'), { db: String(r.datname) });
    }
  });

  await run(['pg.xid_age'], 'pg_database', async () => {
    const row = (await client.query<Row>(Q.XID_AGE)).rows[0] ?? {};
    out.point('pg.xid_age', toNum(row.xid_age, 'xid_age'));
  });

  await run(
    ['pg.replication.slots_inactive', 'pg.replication.slot_retained_bytes'],
    'pg_replication_slots',
    async () => emitSlots(out, (await client.query<Row>(Q.SLOTS)).rows),
  );

  await run(['pg.locks', 'pg.locks.waiting'], 'pg_locks', async () => {
    emitLocks(out, (await client.query<Row>(Q.LOCKS)).rows);
  });

  const replicaList = server ? await collectReplication(out, client, server, run) : null;
  const sessions = await snapshotPart(problems, 'sessions (pg_stat_activity)', async () =>
    (await client.query<Row>(Q.SESSIONS, [Q.QUERY_TEXT_MAX, Q.SESSIONS_MAX])).rows.map(sessionOf),
  );
  const statements = await snapshotPart(problems, 'pg_stat_statements', () =>
    topStatements(client),
  );

  tracker.endRound();
  return out.output({
    version: server?.version ?? null,
    versionNum,
    uptimeSeconds: server?.uptimeSeconds ?? null,
    startedAt: server?.startedAt ?? null,
    role: server ? (server.inRecovery ? 'replica' : 'primary') : null,
    sessions,
    replicas: replicaList,
    statements,
    problems,
  });
}

async function pingOnce(
  client: SqlClient,
): Promise<{ ok: true; ms: number } | { ok: false; reason: string }> {
  const started = performance.now();
  try {
    await client.query(Q.PING);
    return { ok: true, ms: performance.now() - started };
  } catch (err) {
    return { ok: false, reason: errorMessage(err) };
  }
}

/** The error's message, with what to do when a grant fixes it. */
export function pgReason(err: unknown): string {
  const msg = errorMessage(err);
  const denied = err instanceof QueryFailed && err.code === INSUFFICIENT_PRIVILEGE;
  if (denied || /permission denied|must be superuser/i.test(msg)) {
    return `${msg}; grant the pg_monitor role to the monitoring user`;
  }
  return msg;
}

/** A snapshot-only part: a failure is recorded in the snapshot's problems, no metric fails. */
async function snapshotPart<T>(
  problems: string[],
  what: string,
  fn: () => Promise<T>,
): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    problems.push(`${what}: ${errorMessage(err)}`);
    return null;
  }
}

function serverInfo(result: { rows: Row[] }): ServerInfo {
  const row = result.rows[0];
  if (!row) throw new ParseFailed('the settings query returned no row');
  const versionNum = toNum(row.version_num, 'server_version_num');
  if (versionNum === null) throw new ParseFailed('server_version_num is empty');
  return {
    versionNum,
    version: String(row.version ?? ''),
    inRecovery: row.in_recovery === true,
    maxConnections: toNum(row.max_connections, 'max_connections'),
    startedAt: String(row.started_at ?? 'unknown'),
    uptimeSeconds: toNum(row.uptime_s, 'uptime'),
  };
}

/** Rate of one counter from a row; omitted on the first sample, null (a gap) on reset. */
function emitRate(
  out: Emitter,
  tracker: RateTracker,
  metric: MetricName,
  key: string,
  value: unknown,
  now: number,
  epoch: string,
): void {
  const n = toNum(value, key);
  const warm = tracker.has(key);
  if (n === null) {
    if (warm) out.point(metric, null);
    return;
  }
  const rate = tracker.rate(key, n, now, epoch);
  if (warm) out.point(metric, rate);
}

function emitDatabaseTotals(
  out: Emitter,
  tracker: RateTracker,
  row: Row,
  now: number,
  restart: string,
): void {
  const epoch = `${restart}|${String(row.stats_reset ?? '')}`;
  const rate = (metric: MetricName, col: string): void =>
    emitRate(out, tracker, metric, `db.${col}`, row[col], now, epoch);
  rate('pg.xact.commit_ps', 'xact_commit');
  rate('pg.xact.rollback_ps', 'xact_rollback');
  rate('pg.tup.read_ps', 'tup_read');
  rate('pg.tup.written_ps', 'tup_written');
  rate('pg.temp.bytes_ps', 'temp_bytes');
  rate('pg.deadlocks_ps', 'deadlocks');
  emitHitRatio(out, tracker, row, now, epoch);
}

/** Cache hits over all block requests in the interval; null when no block was requested. */
function emitHitRatio(
  out: Emitter,
  tracker: RateTracker,
  row: Row,
  now: number,
  epoch: string,
): void {
  const hit = toNum(row.blks_hit, 'blks_hit');
  const read = toNum(row.blks_read, 'blks_read');
  if (hit === null || read === null) return;
  const warm = tracker.has('db.blks_hit');
  const dHit = tracker.delta('db.blks_hit', hit, now, epoch);
  const dRead = tracker.delta('db.blks_read', read, now, epoch);
  if (!warm) return;
  out.point('pg.cache.hit_pct', dHit && dRead ? hitPct(dHit.delta, dRead.delta) : null);
}

export function hitPct(hits: number, misses: number): number | null {
  return percent(hits, hits + misses);
}

function emitConnections(out: Emitter, rows: Row[], max: number | null): void {
  const counts = new Map<string, number>(STATES.map((s) => [s, 0]));
  for (const r of rows) {
    const state = String(r.state);
    counts.set(state, (counts.get(state) ?? 0) + (toNum(r.n, 'connections') ?? 0));
  }
  let total = 0;
  for (const [state, n] of counts) {
    out.point('pg.connections', n, { state });
    total += n;
  }
  out.point('pg.connections.total', total);
  out.point('pg.connections.used_pct', percent(total, max));
  const idleInXact =
    (counts.get('idle in transaction') ?? 0) + (counts.get('idle in transaction (aborted)') ?? 0);
  out.point('pg.idle_in_xact', idleInXact);
}

function emitLocks(out: Emitter, rows: Row[]): void {
  const counts = new Map<string, number>(LOCK_MODES.map((m) => [m, 0]));
  let waiting = 0;
  for (const r of rows) {
    const mode = String(r.mode);
    counts.set(mode, (counts.get(mode) ?? 0) + (toNum(r.n, 'locks') ?? 0));
    waiting += toNum(r.waiting, 'waiting') ?? 0;
  }
  for (const [mode, n] of counts) out.point('pg.locks', n, { mode });
  out.point('pg.locks.waiting', waiting);
}

function emitCheckpoints(
  out: Emitter,
  tracker: RateTracker,
  row: Row,
  now: number,
  restart: string,
): void {
  const epoch = `${restart}|${String(row.stats_reset ?? '')}`;
  emitRate(out, tracker, 'pg.checkpoints.timed_ps', 'cp.timed', row.timed, now, epoch);
  emitRate(out, tracker, 'pg.checkpoints.req_ps', 'cp.requested', row.requested, now, epoch);
  emitRate(out, tracker, 'pg.checkpoints.buffers_ps', 'cp.buffers', row.buffers, now, epoch);
}

type Run = <T>(metrics: readonly string[], view: string, fn: () => Promise<T>) => Promise<T | null>;

async function collectReplication(
  out: Emitter,
  client: SqlClient,
  server: ServerInfo,
  run: Run,
): Promise<ReplicaInfo[] | null> {
  if (server.inRecovery) {
    await run(['pg.replication.replay_lag_s'], 'pg_last_xact_replay_timestamp', async () => {
      const row = (await client.query<Row>(Q.REPLAY_LAG)).rows[0] ?? {};
      out.point('pg.replication.replay_lag_s', toNum(row.replay_lag_s, 'replay lag'));
    });
  }
  return run(REPLICATION_METRICS, 'pg_stat_replication', async () => {
    const list = (await client.query<Row>(Q.replicas(server.inRecovery))).rows.map(replicaOf);
    out.point('pg.replication.replicas', list.length);
    for (const r of list) {
      out.point('pg.replication.lag_bytes', r.lagBytes, { replica: r.replica });
      out.point('pg.replication.lag_s', replicaLagSeconds(r), { replica: r.replica });
    }
    return list;
  });
}

export function replicaOf(row: Row): ReplicaInfo {
  const app =
    typeof row.application_name === 'string' && row.application_name !== ''
      ? row.application_name
      : null;
  const addr =
    typeof row.client_addr === 'string' && row.client_addr !== '' ? row.client_addr : null;
  const pid = toNum(row.pid, 'pid');
  return {
    replica: replicaLabel(app, addr, pid),
    pid,
    applicationName: app,
    clientAddr: addr,
    state: typeof row.state === 'string' ? row.state : null,
    syncState: typeof row.sync_state === 'string' ? row.sync_state : null,
    lagBytes: toNum(row.lag_bytes, 'lag bytes'),
    writeLagSeconds: toNum(row.write_lag_s, 'write lag'),
    flushLagSeconds: toNum(row.flush_lag_s, 'flush lag'),
    replayLagSeconds: toNum(row.replay_lag_s, 'replay lag'),
  };
}

/** application_name and client address; either alone when the other is missing. */
export function replicaLabel(app: string | null, addr: string | null, pid: number | null): string {
  if (app && addr) return `${app} (${addr})`;
  return app ?? addr ?? `pid ${pid ?? '?'}`;
}

/**
 * replay_lag turns null once a standby has caught up and nothing new arrives; with no
 * bytes outstanding that is a lag of 0, otherwise unknown.
 */
export function replicaLagSeconds(r: ReplicaInfo): number | null {
  if (r.replayLagSeconds !== null) return r.replayLagSeconds;
  return r.lagBytes === 0 ? 0 : null;
}

function sessionOf(row: Row): Record<string, unknown> {
  const text = (k: string): string | null =>
    typeof row[k] === 'string' ? (row[k] as string) : null;
  const secs = (k: string): number | null => finite(toNum(row[k], k));
  return {
    pid: toNum(row.pid, 'pid'),
    user: text('usename'),
    db: text('datname'),
    application: text('application_name'),
    clientAddr: text('client_addr'),
    backendType: text('backend_type'),
    state: text('state'),
    waitEventType: text('wait_event_type'),
    waitEvent: text('wait_event'),
    query: nullableRedacted(text('query'))?.slice(0, Q.QUERY_TEXT_MAX) ?? null,
    backendAgeSeconds: secs('backend_age_s'),
    xactAgeSeconds: secs('xact_age_s'),
    queryAgeSeconds: secs('query_age_s'),
    stateAgeSeconds: secs('state_age_s'),
  };
}

/** Top statements, or null when pg_stat_statements is not installed in this database. */
async function topStatements(client: SqlClient): Promise<StatementRecord[] | null> {
  const ext = (await client.query<Row>(Q.STATEMENTS_EXTENSION, ['pg_stat_statements'])).rows[0];
  if (!ext) return null;
  const shape = statementsShape(String(ext.extversion));
  const sql = statementsQuery(String(ext.nspname), shape);
  const rows = (await client.query<Row>(sql, [Q.QUERY_TEXT_MAX, TOP_STATEMENTS])).rows;
  return rows.map((r) => normaliseStatement(r, shape));
}

function nullableRedacted(query: string | null | undefined): string | null {
  return typeof query === 'string' ? redactSql(query) : null;
}

/** Inactive slots count, and the WAL every slot keeps (null when it has no restart point). */
function emitSlots(out: Emitter, rows: Row[]): void {
  let inactive = 0;
  for (const r of rows) {
    if (r.active !== true) inactive += 1;
    const retained = r.retained_bytes === null ? null : toNum(r.retained_bytes, 'retained_bytes');
    out.point('pg.replication.slot_retained_bytes', retained, { slot: String(r.slot_name) });
  }
  out.point('pg.replication.slots_inactive', inactive);
}
