// The SQL the PostgreSQL collector runs, chosen by server_version_num (12 to 17; newer
// servers get the newest shape). Everything here is readable by a role that has only
// pg_monitor. Values travel as parameters; no value is ever written into the text. Ages
// are computed on the server (now() - …) so the workstation's clock does not matter.

export const PING = 'select 1 as one';

export const SERVER = `select current_setting('server_version_num')::int as version_num,
  current_setting('server_version') as version,
  pg_is_in_recovery() as in_recovery,
  current_setting('max_connections')::int as max_connections,
  pg_postmaster_start_time()::text as started_at,
  extract(epoch from (now() - pg_postmaster_start_time()))::float8 as uptime_s`;

/** Sums over every database; counters as text so int8 never passes through a JS number. */
export const DATABASE_TOTALS = `select sum(xact_commit)::text as xact_commit,
  sum(xact_rollback)::text as xact_rollback,
  sum(tup_returned + tup_fetched)::text as tup_read,
  sum(tup_inserted + tup_updated + tup_deleted)::text as tup_written,
  sum(blks_hit)::text as blks_hit,
  sum(blks_read)::text as blks_read,
  sum(temp_bytes)::text as temp_bytes,
  sum(deadlocks)::text as deadlocks,
  max(stats_reset)::text as stats_reset
from pg_stat_database`;

export const CLIENT_BACKEND = 'client backend';

/** backend_type exists since PostgreSQL 10; before it every row is counted. */
export function connectionsByState(versionNum: number): { sql: string; params: unknown[] } {
  if (versionNum >= 100000) {
    return {
      sql: `select coalesce(state, 'unknown') as state, count(*)::int as n
  from pg_stat_activity where backend_type = $1 group by 1`,
      params: [CLIENT_BACKEND],
    };
  }
  return {
    sql: `select coalesce(state, 'unknown') as state, count(*)::int as n
  from pg_stat_activity where pid <> pg_backend_pid() group by 1`,
    params: [],
  };
}

/** Oldest open transaction and longest running query of client sessions, this one excluded. */
export function activityAges(versionNum: number): { sql: string; params: unknown[] } {
  const clients = versionNum >= 100000 ? 'backend_type = $1 and ' : '';
  return {
    sql: `select
  coalesce(max(extract(epoch from (now() - xact_start))), 0)::float8 as oldest_xact_s,
  coalesce(max(extract(epoch from (now() - query_start))) filter (where state = 'active'),
    0)::float8 as longest_query_s
  from pg_stat_activity where ${clients}pid <> pg_backend_pid()`,
    params: versionNum >= 100000 ? [CLIENT_BACKEND] : [],
  };
}

export const DATABASE_SIZES = `select datname, pg_database_size(oid)::text as bytes
  from pg_database where datallowconn and not datistemplate order by datname`;

/** Distance to transaction id wraparound: the oldest datfrozenxid of any database. */
export const XID_AGE = `select max(age(datfrozenxid))::text as xid_age from pg_database`;

/**
 * Replication slots and the WAL each one holds back. On a replica the current position is
 * the last WAL received (pg_current_wal_lsn() refuses to run during recovery).
 */
export const SLOTS = `select slot_name, active,
    pg_wal_lsn_diff(
      case when pg_is_in_recovery() then pg_last_wal_receive_lsn() else pg_current_wal_lsn() end,
      restart_lsn)::text as retained_bytes
  from pg_replication_slots order by slot_name`;

/** A backend waits for one lock at a time, so waiting pids summed over modes do not repeat. */
export const LOCKS = `select mode, count(*)::int as n,
  count(distinct pid) filter (where not granted)::int as waiting
  from pg_locks group by mode`;

/**
 * Replicas streaming from this server. On a cascading standby pg_current_wal_lsn() raises
 * "recovery is in progress"; there the standby's own replay position is the reference.
 */
export function replicas(inRecovery: boolean): string {
  const head = inRecovery ? 'pg_last_wal_replay_lsn()' : 'pg_current_wal_lsn()';
  return `select pid, application_name, host(client_addr) as client_addr, state, sync_state,
  pg_wal_lsn_diff(${head}, replay_lsn)::text as lag_bytes,
  extract(epoch from write_lag)::float8 as write_lag_s,
  extract(epoch from flush_lag)::float8 as flush_lag_s,
  extract(epoch from replay_lag)::float8 as replay_lag_s,
  sent_lsn::text as sent_lsn, replay_lsn::text as replay_lsn
  from pg_stat_replication order by application_name, client_addr`;
}

/** On a replica: age of the last replayed transaction; null when nothing was replayed yet. */
export const REPLAY_LAG = `select
  extract(epoch from (now() - pg_last_xact_replay_timestamp()))::float8 as replay_lag_s,
  pg_last_wal_receive_lsn()::text as receive_lsn,
  pg_last_wal_replay_lsn()::text as replay_lsn`;

/** PostgreSQL 17 moved checkpoint counters from pg_stat_bgwriter to pg_stat_checkpointer. */
export function checkpoints(versionNum: number): { view: string; sql: string } {
  if (versionNum >= 170000) {
    return {
      view: 'pg_stat_checkpointer',
      sql: `select num_timed::text as timed, num_requested::text as requested,
  buffers_written::text as buffers, stats_reset::text as stats_reset from pg_stat_checkpointer`,
    };
  }
  return {
    view: 'pg_stat_bgwriter',
    sql: `select checkpoints_timed::text as timed, checkpoints_req::text as requested,
  buffers_checkpoint::text as buffers, stats_reset::text as stats_reset from pg_stat_bgwriter`,
  };
}

export const QUERY_TEXT_MAX = 2000;
export const SESSIONS_MAX = 500;

/** Sessions for the snapshot: $1 query text length, $2 row limit; active and oldest first. */
export const SESSIONS = `select pid, usename, datname, application_name,
  host(client_addr) as client_addr, backend_type, state, wait_event_type, wait_event,
  left(query, $1) as query,
  extract(epoch from (now() - backend_start))::float8 as backend_age_s,
  extract(epoch from (now() - xact_start))::float8 as xact_age_s,
  extract(epoch from (now() - query_start))::float8 as query_age_s,
  extract(epoch from (now() - state_change))::float8 as state_age_s
  from pg_stat_activity where pid <> pg_backend_pid()
  order by (state = 'active') desc nulls last, xact_start asc nulls last, pid
  limit $2`;

/** Where pg_stat_statements is installed in the connected database, and which version. */
export const STATEMENTS_EXTENSION = `select e.extversion, n.nspname
  from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = $1`;
