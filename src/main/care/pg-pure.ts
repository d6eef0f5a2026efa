// Pure parts of the PostgreSQL health snapshot: the blocking tree, bloat estimates,
// duplicate and unused indexes, index candidates and settings advice. No I/O, no clock.
import type {
  AdviceItem,
  BlockingNode,
  DuplicateIndexes,
  HostFacts,
  IndexCandidate,
  PgIndex,
  PgSession,
  PgTable,
} from '../../shared/care';
import { quoteIdent } from '../collectors/postgres/statements';

/**
 * Who blocks whom, from each session's pg_blocking_pids. Roots are sessions that block
 * others while waiting for nobody; a cycle (deadlock about to be broken) is entered once
 * at its lowest pid. A pid seen again on the same path ends that branch.
 */
export function blockingTree(sessions: readonly PgSession[]): BlockingNode[] {
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const blocks = new Map<number, number[]>();
  for (const s of sessions) {
    for (const b of s.blockedBy) {
      const list = blocks.get(b) ?? [];
      list.push(s.pid);
      blocks.set(b, list);
    }
  }
  const waiting = new Set(sessions.filter((s) => s.blockedBy.length > 0).map((s) => s.pid));
  const roots = [...blocks.keys()].filter((pid) => !waiting.has(pid)).sort((a, b) => a - b);
  const reached = new Set<number>();
  const build = (pid: number, path: Set<number>): BlockingNode => {
    reached.add(pid);
    const next = new Set(path).add(pid);
    const children = (blocks.get(pid) ?? [])
      .filter((c) => !next.has(c))
      .sort((a, b) => a - b)
      .map((c) => build(c, next));
    return { pid, session: byPid.get(pid) ?? null, blocks: children };
  };
  const tree = roots.map((pid) => build(pid, new Set()));
  for (const pid of [...blocks.keys()].sort((a, b) => a - b)) {
    if (!reached.has(pid)) tree.push(build(pid, new Set()));
  }
  return tree;
}

export interface BloatInput {
  pages: number;
  tuples: number;
  blockSize: number;
  /** Average row (or index entry) data width from pg_stats; null when unreadable. */
  dataWidth: number | null;
  /** Per-row overhead: 24 + 4 for a heap tuple and its line pointer, 8 + 4 for an index. */
  overhead: number;
  fillfactor: number;
  liveTuples?: number;
  deadTuples?: number;
}

/**
 * Estimated bloat: pages held beyond what the rows need at the fill factor. Without column
 * widths (pg_stats hidden from this role) the dead-tuple share of the pages is used instead.
 */
export function estimateBloat(b: BloatInput): { bytes: number; ratio: number } {
  const actual = b.pages * b.blockSize;
  if (actual <= 0) return { bytes: 0, ratio: 0 };
  let expected: number;
  if (b.dataWidth !== null && b.tuples >= 0) {
    const perRow = b.dataWidth + b.overhead;
    const usable = (b.blockSize - 24) * (b.fillfactor / 100);
    const rowsPerPage = Math.max(1, Math.floor(usable / perRow));
    expected = Math.ceil(b.tuples / rowsPerPage) * b.blockSize;
  } else {
    const live = b.liveTuples ?? 0;
    const dead = b.deadTuples ?? 0;
    expected = live + dead > 0 ? actual * (live / (live + dead)) : actual;
  }
  const bytes = Math.max(0, actual - Math.max(expected, b.blockSize));
  return { bytes, ratio: bytes / actual };
}

/** Indexes never scanned since the statistics reset that no constraint or uniqueness needs. */
export function unusedIndexes(indexes: readonly PgIndex[]): PgIndex[] {
  return indexes
    .filter((i) => i.scans === 0 && i.valid && !i.unique && !i.primary && !i.constraint)
    .sort((a, b) => b.bytes - a.bytes);
}

/** Index definition without its own name, so two indexes can be compared. */
export function definitionKey(def: string): string {
  return def.replace(/^CREATE (UNIQUE )?INDEX (CONCURRENTLY )?\S+ ON /i, 'INDEX ON ');
}

/** Indexes of one table with the same columns, method, expressions and predicate. */
export function duplicateIndexes(indexes: readonly PgIndex[]): DuplicateIndexes[] {
  const groups = new Map<string, PgIndex[]>();
  for (const i of indexes) {
    if (!i.valid) continue;
    const key = `${i.schema}\0${i.table}\0${definitionKey(i.definition)}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const out: DuplicateIndexes[] = [];
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => Number(b.constraint) - Number(a.constraint));
    out.push({
      schema: list[0].schema,
      table: list[0].table,
      names: sorted.map((i) => i.name),
      definition: definitionKey(list[0].definition),
      wastedBytes: sorted.slice(1).reduce((s, i) => s + i.bytes, 0),
    });
  }
  return out.sort((a, b) => b.wastedBytes - a.wastedBytes);
}

export const CANDIDATE_MIN_SEQ_SCANS = 50;
export const CANDIDATE_MIN_ROWS = 10_000;

/** Tables read whole, often, with many rows: where an index would likely help. */
export function indexCandidates(tables: readonly PgTable[]): IndexCandidate[] {
  return tables
    .filter(
      (t) =>
        t.seqScans >= CANDIDATE_MIN_SEQ_SCANS &&
        t.rowEstimate >= CANDIDATE_MIN_ROWS &&
        t.seqScans > t.idxScans &&
        t.seqTupRead / t.seqScans >= CANDIDATE_MIN_ROWS,
    )
    .map((t) => ({
      schema: t.schema,
      table: t.name,
      seqScans: t.seqScans,
      seqTupRead: t.seqTupRead,
      rowEstimate: t.rowEstimate,
      why:
        `${t.seqScans} sequential scans read ${Math.round(t.seqTupRead / t.seqScans)} rows ` +
        `each on average, against ${t.idxScans} index scans: look at the slow queries on ` +
        'this table for a column to index.',
    }))
    .sort((a, b) => b.seqTupRead - a.seqTupRead);
}

/** Settings read for the advice, in bytes (memory) or plain values. */
export interface SettingsFacts {
  sharedBuffersBytes: number;
  effectiveCacheSizeBytes: number;
  workMemBytes: number;
  maxConnections: number;
  autovacuum: boolean;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** "128MB"-style text as PostgreSQL accepts it. */
export function pgMemory(bytes: number): string {
  if (bytes >= GB && bytes % GB === 0) return `${bytes / GB}GB`;
  return `${Math.max(1, Math.round(bytes / MB))}MB`;
}

function alterSystem(name: string, value: string): string {
  return `ALTER SYSTEM SET ${quoteIdent(name)} = '${value.replace(/'/g, "''")}'`;
}

function item(
  setting: AdviceItem['setting'],
  current: string,
  suggested: string,
  bad: boolean,
  why: string,
  restart: boolean,
): AdviceItem {
  return {
    setting,
    current,
    suggested,
    severity: bad ? 'warning' : 'ok',
    why,
    sql: bad ? alterSystem(setting, suggested) : null,
    restart,
  };
}

/** A few well-known checks against the host's memory and cores. */
export function adviseSettings(s: SettingsFacts, host: HostFacts): AdviceItem[] {
  const out: AdviceItem[] = [];
  const mem = host.memoryBytes;
  const autovacuum = item(
    'autovacuum',
    s.autovacuum ? 'on' : 'off',
    'on',
    !s.autovacuum,
    'Without autovacuum dead rows pile up and transaction ids run toward wraparound.',
    false,
  );
  if (mem === null) {
    const unknown = (setting: AdviceItem['setting'], current: string): AdviceItem => ({
      setting,
      current,
      suggested: current,
      severity: 'info',
      why: 'The host memory is unknown (no SSH host is linked to this database), so no size is suggested.',
      sql: null,
      restart: setting === 'shared_buffers' || setting === 'max_connections',
    });
    out.push(
      unknown('shared_buffers', pgMemory(s.sharedBuffersBytes)),
      unknown('effective_cache_size', pgMemory(s.effectiveCacheSizeBytes)),
      unknown('work_mem', pgMemory(s.workMemBytes)),
    );
  } else {
    const sb = Math.floor(mem / 4 / MB) * MB;
    out.push(
      item(
        'shared_buffers',
        pgMemory(s.sharedBuffersBytes),
        pgMemory(sb),
        s.sharedBuffersBytes < mem * 0.15 || s.sharedBuffersBytes > mem * 0.4,
        `About a quarter of the host's ${pgMemory(mem)} of memory; the OS cache holds the rest.`,
        true,
      ),
    );
    const ecs = Math.floor((mem * 0.75) / MB) * MB;
    out.push(
      item(
        'effective_cache_size',
        pgMemory(s.effectiveCacheSizeBytes),
        pgMemory(ecs),
        s.effectiveCacheSizeBytes < mem * 0.5 || s.effectiveCacheSizeBytes > mem,
        "The planner's guess of cached data: about three quarters of memory.",
        false,
      ),
    );
    const wm = Math.min(
      256 * MB,
      Math.max(4 * MB, Math.floor(mem / 4 / s.maxConnections / MB) * MB),
    );
    out.push(
      item(
        'work_mem',
        pgMemory(s.workMemBytes),
        pgMemory(wm),
        s.workMemBytes * s.maxConnections > mem * 0.5 || s.workMemBytes < wm / 4,
        `Each sort or hash may take work_mem; with ${s.maxConnections} connections, ` +
          'a quarter of memory shared between them.',
        false,
      ),
    );
  }
  const cores = host.cores;
  if (cores !== null) {
    const limit = Math.max(100, cores * 20);
    out.push(
      item(
        'max_connections',
        String(s.maxConnections),
        String(limit),
        s.maxConnections > limit,
        `${cores} cores run few queries at once; many more connections only add memory and ` +
          'contention. Put a connection pooler in front instead.',
        true,
      ),
    );
  }
  out.push(autovacuum);
  return out;
}
