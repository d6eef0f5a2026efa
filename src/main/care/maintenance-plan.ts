// Pure: the exact SQL of a maintenance action, the lock it takes, what it rewrites, and the
// progress view that follows it. Identifiers are quoted; options come from a fixed set and
// are checked against the action, never taken as text.
import type {
  LockMode,
  MaintenanceAction,
  MaintenanceOptions,
  MaintenanceProgress,
  MaintenanceScope,
  PlanCheck,
} from '../../shared/care';
import { assertNever } from '../../shared/result';
import { ValidationError } from '../errors';
import { quoteIdent } from '../collectors/postgres/statements';

export interface Statement {
  sql: string[];
  lock: LockMode;
  /** A new copy of the relation is written (VACUUM FULL, REINDEX): free disk matters. */
  rewrites: boolean;
  /** pg_stat_progress_* view that follows the work, or null when the version has none. */
  progressView: string | null;
}

function qualified(scope: { schema: string; name: string }): string {
  return `${quoteIdent(scope.schema)}.${quoteIdent(scope.name)}`;
}

function refuse(what: string): never {
  throw new ValidationError(what);
}

function onlyOptions(
  action: string,
  options: MaintenanceOptions,
  allowed: (keyof MaintenanceOptions)[],
): void {
  for (const [k, v] of Object.entries(options) as [keyof MaintenanceOptions, unknown][]) {
    if (v && !allowed.includes(k)) refuse(`${action} has no ${k.toUpperCase()} option.`);
  }
}

function vacuum(scope: MaintenanceScope, o: MaintenanceOptions): Statement {
  onlyOptions('VACUUM', o, ['full', 'freeze', 'analyze']);
  if (scope.kind === 'index') refuse('VACUUM works on a table or a whole database, not an index.');
  const opts = [o.full && 'FULL', o.freeze && 'FREEZE', o.analyze && 'ANALYZE'].filter(
    (x): x is string => typeof x === 'string',
  );
  const head = opts.length ? `VACUUM (${opts.join(', ')})` : 'VACUUM';
  const sql = scope.kind === 'table' ? `${head} ${qualified(scope)}` : head;
  return {
    sql: [sql],
    lock: o.full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE',
    rewrites: o.full === true,
    progressView: o.full ? 'pg_stat_progress_cluster' : 'pg_stat_progress_vacuum',
  };
}

function analyze(scope: MaintenanceScope, o: MaintenanceOptions, major: number): Statement {
  onlyOptions('ANALYZE', o, []);
  if (scope.kind === 'index') refuse('ANALYZE works on a table or a whole database, not an index.');
  return {
    sql: [scope.kind === 'table' ? `ANALYZE ${qualified(scope)}` : 'ANALYZE'],
    lock: 'SHARE UPDATE EXCLUSIVE',
    rewrites: false,
    progressView: major >= 13 ? 'pg_stat_progress_analyze' : null,
  };
}

function reindex(
  scope: MaintenanceScope,
  o: MaintenanceOptions,
  major: number,
  database: string,
): Statement {
  onlyOptions('REINDEX', o, ['concurrently']);
  if (o.concurrently && major < 12) {
    refuse(`REINDEX CONCURRENTLY needs PostgreSQL 12 or newer; this server is ${major}.`);
  }
  const conc = o.concurrently ? ' CONCURRENTLY' : '';
  let sql: string;
  switch (scope.kind) {
    case 'database':
      sql = `REINDEX DATABASE${conc} ${quoteIdent(database)}`;
      break;
    case 'table':
      sql = `REINDEX TABLE${conc} ${qualified(scope)}`;
      break;
    case 'index':
      sql = `REINDEX INDEX${conc} ${qualified(scope)}`;
      break;
    default:
      return assertNever(scope, 'maintenance scope');
  }
  return {
    sql: [sql],
    lock: o.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
    rewrites: true,
    progressView: 'pg_stat_progress_create_index',
  };
}

function dropInvalid(scope: MaintenanceScope, o: MaintenanceOptions): Statement {
  onlyOptions('Dropping an invalid index', o, []);
  if (scope.kind !== 'index') refuse('Only an index can be dropped as a leftover.');
  return {
    sql: [`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(scope)}`],
    lock: 'SHARE UPDATE EXCLUSIVE',
    rewrites: false,
    progressView: null,
  };
}

/** The statement for an action; throws ValidationError for a combination that does not exist. */
export function maintenanceStatement(
  action: MaintenanceAction,
  scope: MaintenanceScope,
  options: MaintenanceOptions,
  major: number,
  database: string,
): Statement {
  switch (action) {
    case 'vacuum':
      return vacuum(scope, options);
    case 'analyze':
      return analyze(scope, options, major);
    case 'reindex':
      return reindex(scope, options, major, database);
    case 'drop-invalid-index':
      return dropInvalid(scope, options);
    default:
      return assertNever(action, 'maintenance action');
  }
}

/** Lock modes that conflict with the one a maintenance statement takes. */
export function conflictingModes(lock: LockMode): string[] {
  switch (lock) {
    case 'ACCESS EXCLUSIVE':
      return [
        'AccessShareLock',
        'RowShareLock',
        'RowExclusiveLock',
        'ShareUpdateExclusiveLock',
        'ShareLock',
        'ShareRowExclusiveLock',
        'ExclusiveLock',
        'AccessExclusiveLock',
      ];
    case 'SHARE':
      return [
        'RowExclusiveLock',
        'ShareUpdateExclusiveLock',
        'ShareRowExclusiveLock',
        'ExclusiveLock',
        'AccessExclusiveLock',
      ];
    case 'SHARE UPDATE EXCLUSIVE':
      return [
        'ShareUpdateExclusiveLock',
        'ShareLock',
        'ShareRowExclusiveLock',
        'ExclusiveLock',
        'AccessExclusiveLock',
      ];
    default:
      return assertNever(lock, 'lock mode');
  }
}

export interface DiskFacts {
  rewriteBytes: number | null;
  freeBytes: number | null;
  /** Why free disk is unknown, when it is. */
  unknownWhy?: string;
}

/** Free disk against the copy a rewrite writes (with 10 % to spare). */
export function diskCheck(rewrites: boolean, d: DiskFacts): PlanCheck {
  if (!rewrites) return { name: 'disk', status: 'ok', message: 'Nothing is rewritten.' };
  if (d.freeBytes === null || d.rewriteBytes === null) {
    return {
      name: 'disk',
      status: 'unknown',
      message: `Free disk is unknown: ${d.unknownWhy ?? 'it could not be read'}.`,
    };
  }
  const need = Math.ceil(d.rewriteBytes * 1.1);
  const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
  if (d.freeBytes < need) {
    return {
      name: 'disk',
      status: 'blocking',
      message: `The rewrite needs about ${mb(need)} and only ${mb(d.freeBytes)} is free.`,
    };
  }
  return {
    name: 'disk',
    status: 'ok',
    message: `${mb(d.freeBytes)} free for a copy of ${mb(d.rewriteBytes)}.`,
  };
}

export interface Blocker {
  pid: number;
  mode: string;
  xactAgeMs: number | null;
  state: string | null;
}

/** Sessions holding a conflicting lock block the run; old transactions elsewhere warn. */
export function locksCheck(blockers: readonly Blocker[], lock: LockMode): PlanCheck {
  if (blockers.length === 0) {
    return { name: 'locks', status: 'ok', message: `Nothing holds a lock that ${lock} waits for.` };
  }
  const list = blockers
    .slice(0, 5)
    .map((b) => `pid ${b.pid} (${b.mode}, ${b.state ?? 'unknown'}, ${ageText(b.xactAgeMs)})`)
    .join(', ');
  return {
    name: 'locks',
    status: 'blocking',
    message: `${blockers.length} session(s) hold locks that ${lock} would wait for, and every query on the table would queue behind it: ${list}.`,
  };
}

function ageText(ms: number | null): string {
  if (ms === null) return 'no transaction';
  return ms >= 60_000
    ? `${Math.round(ms / 60_000)} min in transaction`
    : `${Math.round(ms / 1000)} s in transaction`;
}

export const LONG_XACT_MS = 5 * 60_000;

export function longTransactionsCheck(
  oldest: readonly Blocker[],
  concurrently: boolean,
): PlanCheck {
  const long = oldest.filter((b) => (b.xactAgeMs ?? 0) >= LONG_XACT_MS);
  if (long.length === 0) {
    return {
      name: 'long-transactions',
      status: 'ok',
      message: 'No transaction is older than 5 minutes.',
    };
  }
  const list = long
    .slice(0, 5)
    .map((b) => `pid ${b.pid} (${ageText(b.xactAgeMs)})`)
    .join(', ');
  return {
    name: 'long-transactions',
    status: concurrently ? 'blocking' : 'warning',
    message: concurrently
      ? `A concurrent build waits for every older transaction to end: ${list}.`
      : `Rows deleted after these transactions began cannot be removed yet: ${list}.`,
  };
}

export const LAG_WARN_BYTES = 256 * 1024 * 1024;

export function replicationCheck(
  maxLagBytes: number | null,
  rewriteBytes: number | null,
): PlanCheck {
  if (maxLagBytes === null) {
    return {
      name: 'replication-lag',
      status: 'ok',
      message: 'No replica streams from this server.',
    };
  }
  const mb = (maxLagBytes / 1024 / 1024).toFixed(1);
  const more = rewriteBytes
    ? ` The rewrite adds about ${(rewriteBytes / 1024 / 1024).toFixed(1)} MB of WAL.`
    : '';
  return {
    name: 'replication-lag',
    status: maxLagBytes >= LAG_WARN_BYTES ? 'warning' : 'ok',
    message: `Replicas are up to ${mb} MB behind.${more}`,
  };
}

type Row = Record<string, unknown>;

function ratio(done: unknown, total: unknown): number | null {
  const d = Number(done);
  const t = Number(total);
  if (!Number.isFinite(d) || !Number.isFinite(t) || t <= 0) return null;
  return Math.max(0, Math.min(100, (d / t) * 100));
}

/** Percentage for a row of a pg_stat_progress_* view, by its phase. */
export function progressPercent(view: string, row: Row): number | null {
  const phase = String(row.phase ?? '');
  switch (view) {
    case 'pg_stat_progress_vacuum':
      if (phase === 'vacuuming heap') return ratio(row.heap_blks_vacuumed, row.heap_blks_total);
      return ratio(row.heap_blks_scanned, row.heap_blks_total);
    case 'pg_stat_progress_cluster':
      return ratio(row.heap_blks_scanned, row.heap_blks_total);
    case 'pg_stat_progress_create_index':
      return ratio(row.blocks_done, row.blocks_total) ?? ratio(row.tuples_done, row.tuples_total);
    case 'pg_stat_progress_analyze':
      return ratio(row.sample_blks_scanned, row.sample_blks_total);
    default:
      return null;
  }
}

export function progressOf(
  runId: string,
  targetId: string,
  view: string | null,
  row: Row | null,
  t: number,
): MaintenanceProgress {
  return {
    runId,
    targetId,
    view: row ? view : null,
    phase: row ? String(row.phase ?? '') || null : null,
    percent: row && view ? progressPercent(view, row) : null,
    t,
  };
}

/** Leftovers of a failed REINDEX CONCURRENTLY: index names ending _ccnew or _ccold (+digits). */
export function isConcurrentLeftover(name: string): boolean {
  return /_cc(new|old)\d*$/.test(name);
}

/** "HH:MM" window check, wrapping midnight when end is before start. */
export function inWindow(start: string, end: string, minutesOfDay: number): boolean {
  const m = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const a = m(start);
  const b = m(end);
  if (a === b) return true;
  return a < b ? minutesOfDay >= a && minutesOfDay < b : minutesOfDay >= a || minutesOfDay < b;
}
