// The PostgreSQL health snapshot: activity with the blocking tree, pg_stat_statements,
// tables and indexes with bloat, replication, settings advice. Everything here is readable
// by a role holding pg_monitor; a section that fails is named in `problems`, the others
// still answer. SQL differences by version (12 to 17) are chosen from server_version_num
// and, for pg_stat_statements, from the extension's own version.
import type {
  HostFacts,
  PgActivity,
  PgArchiver,
  PgHealth,
  PgIndex,
  PgReplication,
  PgSession,
  PgStatement,
  PgTable,
  StatementsState,
} from '../../shared/care';
import type { Target } from '../../shared/types';
import { QueryFailed, errorMessage } from '../errors';
import { toNum } from '../collectors/num';
import * as Q from '../collectors/postgres/queries';
import { redactSql } from '../collectors/postgres/redact';
import {
  normaliseStatement,
  quoteIdent,
  statementsShape,
  type StatementsShape,
} from '../collectors/postgres/statements';
import type { SshHost } from '../targets/ssh';
import type { SqlClient } from '../targets/types';
import {
  adviseSettings,
  blockingTree,
  duplicateIndexes,
  estimateBloat,
  indexCandidates,
  unusedIndexes,
  type SettingsFacts,
} from './pg-pure';

const SESSIONS_MAX = 500;
const TABLES_MAX = 5000;
const STATEMENTS_TOP = 25;
const SKIP_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

type Row = Record<string, unknown>;

function num(v: unknown, what: string): number {
  return toNum(v, what) ?? 0;
}

function numOrNull(v: unknown, what: string): number | null {
  return toNum(v, what);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export const SETTINGS_SQL = `select name, setting, unit from pg_settings where name = any($1)`;
const SETTING_NAMES = [
  'server_version_num',
  'shared_buffers',
  'effective_cache_size',
  'work_mem',
  'max_connections',
  'autovacuum',
  'block_size',
  'autovacuum_freeze_max_age',
  'shared_preload_libraries',
  'archive_mode',
];

/** pg_settings value and unit -> bytes ('8kB' pages, 'kB', 'MB'). */
export function settingBytes(setting: string, unit: string | null): number {
  const n = Number(setting);
  const mult: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  const m = unit ? /^(\d+)?(B|kB|MB|GB)$/.exec(unit) : null;
  if (!m) return n;
  return n * Number(m[1] ?? 1) * mult[m[2]];
}

export async function readSettings(sql: SqlClient): Promise<Map<string, Row>> {
  const r = await sql.query<Row>(SETTINGS_SQL, [SETTING_NAMES]);
  return new Map(r.rows.map((row) => [String(row.name), row]));
}

function settingsFacts(s: Map<string, Row>): SettingsFacts {
  const bytes = (name: string): number => {
    const row = s.get(name);
    return row ? settingBytes(String(row.setting), str(row.unit)) : 0;
  };
  return {
    sharedBuffersBytes: bytes('shared_buffers'),
    effectiveCacheSizeBytes: bytes('effective_cache_size'),
    workMemBytes: bytes('work_mem'),
    maxConnections: Number(s.get('max_connections')?.setting ?? 100),
    autovacuum: s.get('autovacuum')?.setting === 'on',
  };
}

export const ACTIVITY_SQL = `select pid, usename, datname, application_name,
  host(client_addr) as client_addr, backend_type, state, wait_event_type, wait_event,
  left(query, $1) as query,
  (extract(epoch from (now() - xact_start)) * 1000)::float8 as xact_age_ms,
  (extract(epoch from (now() - query_start)) * 1000)::float8 as query_age_ms,
  pg_blocking_pids(pid) as blocked_by
  from pg_stat_activity where pid <> pg_backend_pid()
  order by (state = 'active') desc nulls last, xact_start asc nulls last, pid
  limit $2`;

export async function readActivity(sql: SqlClient): Promise<PgActivity> {
  const r = await sql.query<Row>(ACTIVITY_SQL, [Q.QUERY_TEXT_MAX, SESSIONS_MAX]);
  const sessions: PgSession[] = r.rows.map((row) => ({
    pid: num(row.pid, 'pid'),
    user: str(row.usename),
    database: str(row.datname),
    application: str(row.application_name),
    clientAddr: str(row.client_addr),
    state: str(row.state),
    waitEventType: str(row.wait_event_type),
    waitEvent: str(row.wait_event),
    query: redactSql(str(row.query) ?? ''),
    backendType: str(row.backend_type),
    xactAgeMs: numOrNull(row.xact_age_ms, 'xact_age_ms'),
    queryAgeMs: numOrNull(row.query_age_ms, 'query_age_ms'),
    blockedBy: Array.isArray(row.blocked_by) ? row.blocked_by.map((p) => num(p, 'pid')) : [],
  }));
  return { sessions, blockingTree: blockingTree(sessions) };
}

/** The exact fix for a missing pg_stat_statements, keeping libraries already preloaded. */
export function statementsFix(
  reason: 'not-installed' | 'not-preloaded',
  preloaded: string,
  database: string,
): string {
  const libs = preloaded
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const hasLib = libs.includes('pg_stat_statements');
  const steps: string[] = [];
  if (!hasLib || reason === 'not-preloaded') {
    const wanted = hasLib ? libs : [...libs, 'pg_stat_statements'];
    steps.push(
      `ALTER SYSTEM SET shared_preload_libraries = '${wanted.join(',')}'; then restart ` +
        'PostgreSQL (a reload is not enough)',
    );
  }
  if (reason === 'not-installed') {
    steps.push(`in database ${quoteIdent(database)}: CREATE EXTENSION pg_stat_statements;`);
  }
  return steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
}

export function statementsSql(schema: string, shape: StatementsShape, order: 'total' | 'mean') {
  const plan = shape.totalPlan ? `s.${shape.totalPlan}` : 'null::float8 as total_plan_time';
  const col = order === 'total' ? shape.totalExec : shape.meanExec;
  return `select s.queryid::text as queryid, s.calls::text as calls, s.rows::text as rows,
  s.${shape.totalExec}, s.${shape.meanExec}, ${plan}, s.${shape.blkRead}, s.${shape.blkWrite},
  s.shared_blks_hit::text as shared_blks_hit, s.shared_blks_read::text as shared_blks_read,
  left(s.query, $1) as query, null::text as datname
  from ${quoteIdent(schema)}.pg_stat_statements s
  where s.queryid is not null
  order by s.${col} desc nulls last
  limit $2`;
}

function toStatement(row: Row, shape: StatementsShape): PgStatement {
  const r = normaliseStatement(row, shape);
  return {
    queryId: r.queryid,
    query: r.query,
    calls: r.calls,
    totalMs: r.totalExecMs,
    meanMs: r.meanExecMs,
    planMs: r.planMs,
    rows: r.rows,
    sharedHit: num(row.shared_blks_hit, 'shared_blks_hit'),
    sharedRead: num(row.shared_blks_read, 'shared_blks_read'),
  };
}

export async function readStatements(
  sql: SqlClient,
  settings: Map<string, Row>,
  database: string,
): Promise<StatementsState> {
  const preloaded = String(settings.get('shared_preload_libraries')?.setting ?? '');
  const ext = await sql.query<{ extversion: string; nspname: string }>(Q.STATEMENTS_EXTENSION, [
    'pg_stat_statements',
  ]);
  if (ext.rows.length === 0) {
    return {
      available: false,
      reason: 'not-installed',
      fix: statementsFix('not-installed', preloaded, database),
    };
  }
  const { extversion, nspname } = ext.rows[0];
  const shape = statementsShape(extversion);
  try {
    const params = [Q.QUERY_TEXT_MAX, STATEMENTS_TOP];
    const byTotal = await sql.query<Row>(statementsSql(nspname, shape, 'total'), params);
    const byMean = await sql.query<Row>(statementsSql(nspname, shape, 'mean'), params);
    return {
      available: true,
      extVersion: extversion,
      byTotal: byTotal.rows.map((r) => toStatement(r, shape)),
      byMean: byMean.rows.map((r) => toStatement(r, shape)),
    };
  } catch (err) {
    if (err instanceof QueryFailed && err.code === '55000') {
      return {
        available: false,
        reason: 'not-preloaded',
        fix: statementsFix('not-preloaded', preloaded, database),
      };
    }
    if (err instanceof QueryFailed && err.code === '42501') {
      return {
        available: false,
        reason: 'no-permission',
        fix: 'GRANT pg_read_all_stats TO the monitoring role (pg_monitor includes it).',
      };
    }
    throw err;
  }
}

export const TABLES_SQL = `select n.nspname as schema, c.relname as name,
  pg_total_relation_size(c.oid)::float8 as total_bytes,
  pg_relation_size(c.oid)::float8 as table_bytes,
  pg_indexes_size(c.oid)::float8 as index_bytes,
  greatest(c.reltuples, 0)::float8 as reltuples, c.relpages::float8 as relpages,
  coalesce(s.seq_scan, 0)::float8 as seq_scan, coalesce(s.seq_tup_read, 0)::float8 as seq_tup_read,
  coalesce(s.idx_scan, 0)::float8 as idx_scan, coalesce(s.n_live_tup, 0)::float8 as n_live_tup,
  coalesce(s.n_dead_tup, 0)::float8 as n_dead_tup,
  (extract(epoch from s.last_vacuum) * 1000)::float8 as last_vacuum,
  (extract(epoch from s.last_autovacuum) * 1000)::float8 as last_autovacuum,
  (extract(epoch from s.last_analyze) * 1000)::float8 as last_analyze,
  (extract(epoch from s.last_autoanalyze) * 1000)::float8 as last_autoanalyze,
  age(c.relfrozenxid)::float8 as xid_age,
  coalesce((select substring(o from '^fillfactor=(\\d+)$') from unnest(c.reloptions) o
    where o like 'fillfactor=%'), '100')::int as fillfactor,
  w.width
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  left join pg_stat_all_tables s on s.relid = c.oid
  left join (select schemaname, tablename, sum(avg_width)::float8 as width
    from pg_stats group by 1, 2) w on w.schemaname = n.nspname and w.tablename = c.relname
  where c.relkind in ('r', 'm') and ${SKIP_SCHEMAS}
  order by total_bytes desc, 1, 2
  limit $1`;

export const INDEXES_SQL = `select n.nspname as schema, t.relname as table, i.relname as name,
  pg_relation_size(i.oid)::float8 as bytes, coalesce(s.idx_scan, 0)::float8 as scans,
  x.indisunique as uniq, x.indisprimary as prim, x.indisvalid as valid,
  exists (select 1 from pg_constraint k where k.conindid = i.oid) as constraint_backed,
  pg_get_indexdef(i.oid) as def, i.relpages::float8 as relpages,
  greatest(i.reltuples, 0)::float8 as reltuples, am.amname,
  case when 0 = any (x.indkey::int2[]) then null else
    (select sum(st.avg_width)::float8 from pg_attribute a join pg_stats st
      on st.schemaname = n.nspname and st.tablename = t.relname and st.attname = a.attname
      where a.attrelid = t.oid and a.attnum = any (x.indkey::int2[])) end as width
  from pg_index x join pg_class i on i.oid = x.indexrelid
  join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
  join pg_am am on am.oid = i.relam
  left join pg_stat_all_indexes s on s.indexrelid = i.oid
  where ${SKIP_SCHEMAS}
  order by bytes desc, 1, 2, 3
  limit $1`;

function ms(v: unknown, what: string): number | null {
  const n = numOrNull(v, what);
  return n === null ? null : Math.round(n);
}

export async function readTables(
  sql: SqlClient,
  blockSize: number,
  freezeMaxAge: number,
): Promise<PgTable[]> {
  const r = await sql.query<Row>(TABLES_SQL, [TABLES_MAX]);
  return r.rows.map((row) => {
    const live = num(row.n_live_tup, 'n_live_tup');
    const dead = num(row.n_dead_tup, 'n_dead_tup');
    const bloat = estimateBloat({
      pages: num(row.relpages, 'relpages'),
      tuples: num(row.reltuples, 'reltuples'),
      blockSize,
      dataWidth: numOrNull(row.width, 'width'),
      overhead: 28,
      fillfactor: num(row.fillfactor, 'fillfactor'),
      liveTuples: live,
      deadTuples: dead,
    });
    const xidAge = num(row.xid_age, 'xid_age');
    return {
      schema: String(row.schema),
      name: String(row.name),
      totalBytes: num(row.total_bytes, 'total_bytes'),
      tableBytes: num(row.table_bytes, 'table_bytes'),
      indexBytes: num(row.index_bytes, 'index_bytes'),
      rowEstimate: num(row.reltuples, 'reltuples'),
      seqScans: num(row.seq_scan, 'seq_scan'),
      seqTupRead: num(row.seq_tup_read, 'seq_tup_read'),
      idxScans: num(row.idx_scan, 'idx_scan'),
      liveTuples: live,
      deadTuples: dead,
      lastVacuum: ms(row.last_vacuum, 'last_vacuum'),
      lastAutovacuum: ms(row.last_autovacuum, 'last_autovacuum'),
      lastAnalyze: ms(row.last_analyze, 'last_analyze'),
      lastAutoanalyze: ms(row.last_autoanalyze, 'last_autoanalyze'),
      xidAge,
      wraparoundFraction: freezeMaxAge > 0 ? xidAge / freezeMaxAge : 0,
      bloatBytes: bloat.bytes,
      bloatRatio: bloat.ratio,
    };
  });
}

export async function readIndexes(sql: SqlClient, blockSize: number): Promise<PgIndex[]> {
  const r = await sql.query<Row>(INDEXES_SQL, [TABLES_MAX * 4]);
  return r.rows.map((row) => {
    const btree = row.amname === 'btree';
    const bloat = estimateBloat({
      pages: Math.max(0, num(row.relpages, 'relpages') - 1),
      tuples: num(row.reltuples, 'reltuples'),
      blockSize,
      dataWidth: btree ? numOrNull(row.width, 'width') : null,
      overhead: 12,
      fillfactor: 90,
    });
    return {
      schema: String(row.schema),
      table: String(row.table),
      name: String(row.name),
      bytes: num(row.bytes, 'bytes'),
      scans: num(row.scans, 'scans'),
      unique: row.uniq === true,
      primary: row.prim === true,
      constraint: row.constraint_backed === true,
      valid: row.valid === true,
      definition: String(row.def),
      bloatBytes: bloat.bytes,
      bloatRatio: bloat.ratio,
    };
  });
}

/** Slots and the WAL each holds (on a replica against the last WAL received). */
export const SLOTS_SQL = `select slot_name, slot_type, active,
    pg_wal_lsn_diff(
      case when pg_is_in_recovery() then pg_last_wal_receive_lsn() else pg_current_wal_lsn() end,
      restart_lsn)::text as retained_bytes
  from pg_replication_slots order by slot_name`;

export const ARCHIVER_SQL = `select archived_count::float8 as archived_count, last_archived_wal,
  (extract(epoch from last_archived_time) * 1000)::float8 as last_archived_at,
  failed_count::float8 as failed_count, last_failed_wal,
  (extract(epoch from last_failed_time) * 1000)::float8 as last_failed_at
  from pg_stat_archiver`;

export async function readReplication(
  sql: SqlClient,
  settings: Map<string, Row>,
): Promise<PgReplication> {
  const rec = await sql.query<{ r: boolean }>('select pg_is_in_recovery() as r');
  const inRecovery = rec.rows[0]?.r === true;
  const reps = await sql.query<Row>(Q.replicas(inRecovery));
  const slots = await sql.query<Row>(SLOTS_SQL);
  const arch = await sql.query<Row>(ARCHIVER_SQL);
  let replayDelayMs: number | null = null;
  if (inRecovery) {
    const lag = await sql.query<Row>(Q.REPLAY_LAG);
    const s = numOrNull(lag.rows[0]?.replay_lag_s, 'replay_lag_s');
    replayDelayMs = s === null ? null : Math.round(s * 1000);
  }
  const a = arch.rows[0];
  const archiver: PgArchiver | null = a
    ? {
        archivedCount: num(a.archived_count, 'archived_count'),
        lastArchivedWal: str(a.last_archived_wal),
        lastArchivedAt: ms(a.last_archived_at, 'last_archived_at'),
        failedCount: num(a.failed_count, 'failed_count'),
        lastFailedWal: str(a.last_failed_wal),
        lastFailedAt: ms(a.last_failed_at, 'last_failed_at'),
        mode: String(settings.get('archive_mode')?.setting ?? 'off'),
      }
    : null;
  return {
    inRecovery,
    replicas: reps.rows.map((row) => {
      const replay = numOrNull(row.replay_lag_s, 'replay_lag_s');
      return {
        pid: num(row.pid, 'pid'),
        application: str(row.application_name),
        clientAddr: str(row.client_addr),
        state: str(row.state),
        syncState: str(row.sync_state),
        lagBytes: numOrNull(row.lag_bytes, 'lag_bytes'),
        replayLagMs: replay === null ? null : Math.round(replay * 1000),
      };
    }),
    slots: slots.rows.map((row) => {
      const retained = numOrNull(row.retained_bytes, 'retained_bytes');
      const active = row.active === true;
      return {
        name: String(row.slot_name),
        type: String(row.slot_type ?? 'physical'),
        active,
        retainedBytes: retained,
        flagged: !active && (retained ?? 0) > 0,
      };
    }),
    archiver,
    replayDelayMs,
  };
}

/** Memory and cores of the database's SSH host; unknown without one. */
export async function readHostFacts(ssh: SshHost | null): Promise<HostFacts> {
  if (!ssh) return { memoryBytes: null, cores: null, source: 'unknown' };
  const r = await ssh.run("nproc; awk '/^MemTotal:/ {print $2}' /proc/meminfo", {
    timeoutMs: 10_000,
  });
  const [cores, memKb] = r.stdout.trim().split('\n').map(Number);
  return {
    cores: Number.isFinite(cores) && cores > 0 ? cores : null,
    memoryBytes: Number.isFinite(memKb) && memKb > 0 ? memKb * 1024 : null,
    source: 'ssh',
  };
}

async function section<T>(
  problems: string[],
  what: string,
  fallback: T,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    problems.push(`${what}: ${errorMessage(err)}`);
    return fallback;
  }
}

export async function pgHealth(
  target: Target,
  sql: SqlClient,
  ssh: SshHost | null,
  now: () => number,
): Promise<PgHealth> {
  const started = now();
  const database = target.config.kind === 'postgres' ? target.config.database : '';
  const problems: string[] = [];
  const settings = await readSettings(sql);
  const versionNum = Number(settings.get('server_version_num')?.setting ?? 0);
  const blockSize = Number(settings.get('block_size')?.setting ?? 8192);
  const freezeMaxAge = Number(settings.get('autovacuum_freeze_max_age')?.setting ?? 200_000_000);
  const activity = await section(problems, 'Activity', { sessions: [], blockingTree: [] }, () =>
    readActivity(sql),
  );
  const statements = await section<StatementsState>(
    problems,
    'Statements',
    { available: false, reason: 'no-permission', fix: 'See the problem listed.' },
    () => readStatements(sql, settings, database),
  );
  const tables = await section(problems, 'Tables', [], () =>
    readTables(sql, blockSize, freezeMaxAge),
  );
  const indexes = await section(problems, 'Indexes', [], () => readIndexes(sql, blockSize));
  const replication = await section<PgReplication>(
    problems,
    'Replication',
    { inRecovery: false, replicas: [], slots: [], archiver: null, replayDelayMs: null },
    () => readReplication(sql, settings),
  );
  const host = await section<HostFacts>(
    problems,
    'Host memory and cores',
    { memoryBytes: null, cores: null, source: 'unknown' },
    () => readHostFacts(ssh),
  );
  return {
    targetId: target.id,
    t: started,
    serverVersionNum: versionNum,
    major: Math.floor(versionNum / 10000),
    activity,
    statements,
    tables,
    indexes,
    unusedIndexes: unusedIndexes(indexes),
    duplicateIndexes: duplicateIndexes(indexes),
    indexCandidates: indexCandidates(tables),
    invalidIndexes: indexes.filter((i) => !i.valid),
    replication,
    host,
    advice: adviseSettings(settingsFacts(settings), host),
    problems,
    durationMs: now() - started,
  };
}
