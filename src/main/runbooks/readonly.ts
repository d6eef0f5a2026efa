// A step declared read-only runs on a click, so what it runs must not change anything.
// Redis commands are checked against a list of read-only ones; SQL is screened for
// statements and functions that write or signal (a screen of the text, not a proof: a
// function called from a SELECT can still write, so the author's "mode" stays the rule).
import { maskSql } from './render';

const REDIS_READ = new Set([
  'PING',
  'INFO',
  'GET',
  'MGET',
  'EXISTS',
  'TTL',
  'PTTL',
  'TYPE',
  'STRLEN',
  'SCAN',
  'HSCAN',
  'SSCAN',
  'ZSCAN',
  'HGET',
  'HGETALL',
  'HMGET',
  'HLEN',
  'HKEYS',
  'LLEN',
  'LRANGE',
  'LINDEX',
  'SCARD',
  'SMEMBERS',
  'SISMEMBER',
  'ZCARD',
  'ZRANGE',
  'ZSCORE',
  'XLEN',
  'XINFO',
  'DBSIZE',
  'ROLE',
  'LASTSAVE',
  'TIME',
  'SLOWLOG',
  'LATENCY',
  'MEMORY',
  'CLIENT',
  'CONFIG',
  'OBJECT',
  'COMMAND',
  'PUBSUB',
  'CLUSTER',
  'LOLWUT',
  'ECHO',
]);
/** Subcommands that change state under an otherwise read-only command. */
const REDIS_WRITE_SUB = new Set([
  'SLOWLOG RESET',
  'LATENCY RESET',
  'CONFIG SET',
  'CONFIG REWRITE',
  'CONFIG RESETSTAT',
  'CLIENT KILL',
  'CLIENT PAUSE',
  'CLIENT NO-EVICT',
  'CLIENT SETNAME',
  'MEMORY PURGE',
  'CLUSTER FAILOVER',
  'CLUSTER RESET',
  'CLUSTER FORGET',
  'CLUSTER MEET',
  'CLUSTER ADDSLOTS',
  'CLUSTER DELSLOTS',
  'CLUSTER SETSLOT',
  'CLUSTER REPLICATE',
  'CLUSTER FLUSHSLOTS',
]);

export function redisReadProblem(argv: readonly string[]): string | null {
  const cmd = (argv[0] ?? '').toUpperCase();
  const sub = `${cmd} ${(argv[1] ?? '').toUpperCase()}`;
  if (!REDIS_READ.has(cmd) || REDIS_WRITE_SUB.has(sub)) {
    return `"${argv.slice(0, 2).join(' ')}" is not a read-only Redis command: declare mode: change`;
  }
  return null;
}

const SQL_READ_START = /^\s*(select|with|show|explain|values|table)\b/i;
/** Data changes inside an otherwise reading statement (a WITH … DELETE, SELECT … INTO). */
const SQL_WRITES = /\b(insert|update|delete|merge|into)\b/i;
const SQL_WRITE_FUNCTIONS =
  /\b(pg_cancel_backend|pg_terminate_backend|pg_reload_conf|pg_promote|pg_rotate_logfile|pg_switch_wal|pg_create_restore_point|pg_wal_replay_pause|pg_wal_replay_resume|set_config|nextval|setval|pg_advisory_lock|pg_advisory_xact_lock|lo_unlink|lo_import|lo_export|dblink_exec|pg_drop_replication_slot|pg_create_physical_replication_slot|pg_create_logical_replication_slot|pg_stat_reset\w*|pg_stat_statements_reset)\s*\(/i;

export function sqlReadProblem(sql: string): string | null {
  const code = maskSql(sql);
  if (!SQL_READ_START.test(code)) {
    return 'a read-only statement starts with SELECT, WITH, SHOW, EXPLAIN, VALUES or TABLE; declare mode: change';
  }
  if (/^\s*explain\b[^;]*\banalyze\b/i.test(code.slice(0, 80))) {
    return 'EXPLAIN ANALYZE runs the statement; declare mode: change';
  }
  const w = SQL_WRITES.exec(code);
  if (w) return `"${w[1]}" writes; declare mode: change`;
  const f = SQL_WRITE_FUNCTIONS.exec(code);
  if (f) return `${f[1]}() changes the server; declare mode: change`;
  return null;
}
