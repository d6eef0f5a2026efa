// Pure helpers of the database care pages: words for scopes, options, runs and objectives,
// the blocking tree as indented rows, and which options an action takes (a fixed set).
import { assertNever } from '../../../shared/result';
import type {
  BlockingNode,
  MaintenanceAction,
  MaintenanceOptions,
  MaintenanceScope,
  ObjectiveStatus,
  PgSession,
  RunStatus,
  Verification,
} from '../../../shared/care';
import { formatDuration } from '../format';

/** The backend's answer for a part of care that is not built yet. */
export const NOT_IN_BUILD = 'CareUnavailable';

export function isNotInBuild(err: unknown): boolean {
  return err instanceof Error && err.name === NOT_IN_BUILD;
}

export type OptionName = keyof MaintenanceOptions;

/** The options each action takes; nothing else is ever sent. */
export function optionsFor(action: MaintenanceAction): OptionName[] {
  switch (action) {
    case 'vacuum':
      return ['full', 'freeze', 'analyze'];
    case 'analyze':
      return [];
    case 'reindex':
      return ['concurrently'];
    case 'drop-invalid-index':
      // Always DROP INDEX CONCURRENTLY: the backend takes no option here.
      return [];
    default:
      return assertNever(action, 'maintenance action');
  }
}

/** The scopes an action may take: DROP of an INVALID index works on one index only. */
export function scopesFor(action: MaintenanceAction): MaintenanceScope['kind'][] {
  switch (action) {
    case 'vacuum':
    case 'analyze':
      return ['database', 'table'];
    case 'reindex':
      return ['database', 'table', 'index'];
    case 'drop-invalid-index':
      return ['index'];
    default:
      return assertNever(action, 'maintenance action');
  }
}

/** Keeps only the options the action takes, set to true. */
export function cleanOptions(
  action: MaintenanceAction,
  options: MaintenanceOptions,
): MaintenanceOptions {
  const out: MaintenanceOptions = {};
  for (const name of optionsFor(action)) if (options[name]) out[name] = true;
  return out;
}

export const ACTION_WORD: Record<MaintenanceAction, string> = {
  vacuum: 'VACUUM',
  analyze: 'ANALYZE',
  reindex: 'REINDEX',
  'drop-invalid-index': 'DROP INVALID INDEX',
};

export const OPTION_WORD: Record<OptionName, string> = {
  full: 'FULL (rewrites the table, ACCESS EXCLUSIVE)',
  freeze: 'FREEZE',
  analyze: 'ANALYZE',
  concurrently: 'CONCURRENTLY (no write lock, slower)',
};

/** "public.orders", "index public.orders_pkey", "the whole database". */
export function scopeText(scope: MaintenanceScope): string {
  switch (scope.kind) {
    case 'database':
      return 'the whole database';
    case 'table':
      return `${scope.schema}.${scope.name}`;
    case 'index':
      return `index ${scope.schema}.${scope.name}`;
    default:
      return assertNever(scope, 'maintenance scope');
  }
}

/** "VACUUM (FULL, ANALYZE) on public.orders". */
export function actionText(
  action: MaintenanceAction,
  options: MaintenanceOptions,
  scope: MaintenanceScope,
): string {
  const opts = (Object.keys(options) as OptionName[]).filter((k) => options[k]);
  const list = opts.length ? ` (${opts.map((o) => o.toUpperCase()).join(', ')})` : '';
  return `${ACTION_WORD[action]}${list} on ${scopeText(scope)}`;
}

export function runStatusWord(status: RunStatus): string {
  switch (status) {
    case 'running':
      return 'running';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return assertNever(status, 'run status');
  }
}

export interface TreeRow {
  pid: number;
  depth: number;
  session: PgSession | null;
  /** How many sessions wait behind this one, directly or not. */
  waiting: number;
}

/** The blocking tree, depth first, as rows with their depth (roots at 0). */
export function treeRows(roots: BlockingNode[]): TreeRow[] {
  const rows: TreeRow[] = [];
  const seen = new Set<number>();
  const count = (n: BlockingNode): number => n.blocks.reduce((sum, c) => sum + 1 + count(c), 0);
  const walk = (n: BlockingNode, depth: number): void => {
    if (seen.has(n.pid) && depth > 0) return;
    seen.add(n.pid);
    rows.push({ pid: n.pid, depth, session: n.session, waiting: count(n) });
    for (const c of n.blocks) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return rows;
}

export type ObjectiveTone = 'ok' | 'bad' | 'unknown';

export interface ObjectiveWords {
  tone: ObjectiveTone;
  text: string;
}

/** The verdict alone: "RPO met", "RTO unproven", "no RPO set". */
export function verdictOf(words: ObjectiveWords): string {
  return words.text.split(':')[0];
}

/** RPO in words: the newest verified backup's age against the objective. */
export function rpoWords(o: ObjectiveStatus): ObjectiveWords {
  if (o.rpoHours === null) return { tone: 'unknown', text: 'no RPO set' };
  if (o.newestVerifiedAgeMs === null)
    return { tone: 'bad', text: `RPO missed: no verified backup (objective ${o.rpoHours} h)` };
  const age = formatDuration(o.newestVerifiedAgeMs / 1000);
  return o.rpoOk
    ? { tone: 'ok', text: `RPO met: newest verified backup ${age} old (objective ${o.rpoHours} h)` }
    : {
        tone: 'bad',
        text: `RPO missed: newest verified backup ${age} old (objective ${o.rpoHours} h)`,
      };
}

/** RTO in words: the last measured test restore against the objective. */
export function rtoWords(o: ObjectiveStatus): ObjectiveWords {
  if (o.rtoHours === null) return { tone: 'unknown', text: 'no RTO set' };
  if (o.lastRestoreMs === null)
    return { tone: 'bad', text: `RTO unproven: no test restore yet (objective ${o.rtoHours} h)` };
  const took = formatDuration(o.lastRestoreMs / 1000);
  return o.rtoOk
    ? { tone: 'ok', text: `RTO met: last test restore took ${took} (objective ${o.rtoHours} h)` }
    : {
        tone: 'bad',
        text: `RTO missed: last test restore took ${took} (objective ${o.rtoHours} h)`,
      };
}

/** "12.4 GiB of 40 GiB free" style checks need bytes; this says how old a thing is. */
export function ageText(t: number | null, now: number): string {
  if (t === null) return 'never';
  return `${formatDuration(Math.max(0, (now - t) / 1000))} ago`;
}

/** A backup's latest verification in words. */
export function verificationWords(v: Verification | null): ObjectiveWords {
  if (!v) return { tone: 'unknown', text: 'not verified' };
  if (v.ok) {
    const rto = v.restoreMs !== null ? `, restore took ${formatDuration(v.restoreMs / 1000)}` : '';
    return { tone: 'ok', text: `verified${rto}` };
  }
  return { tone: 'bad', text: `verification failed: ${v.reason ?? 'no reason given'}` };
}

/** MEMORY STATS fields that add up to used memory, with words for them. */
const MEMORY_PARTS: [RegExp, string][] = [
  [/^dataset\.bytes$/, 'data set (keys and values)'],
  [/^startup\.allocated$/, 'startup'],
  [/^replication\.backlog$/, 'replication backlog'],
  [/^clients\.slaves$/, 'replica client buffers'],
  [/^clients\.normal$/, 'client buffers'],
  [/^cluster\.links$/, 'cluster links'],
  [/^aof\.buffer$/, 'AOF buffer'],
  [/^lua\.caches$/, 'Lua scripts'],
  [/^functions\.caches$/, 'functions'],
  [/^overhead\.hashtable\.main$/, 'key table'],
  [/^overhead\.hashtable\.expires$/, 'expiry table'],
  [/^overhead\.db\.hashtable\.lut$/, 'key table lookup'],
  [/^overhead\.db\.hashtable\.rehashing$/, 'rehashing'],
  [/^db\.\d+\.overhead\.hashtable\.main$/, 'key table'],
  [/^db\.\d+\.overhead\.hashtable\.expires$/, 'expiry table'],
];

export interface MemoryPart {
  part: string;
  field: string;
  bytes: number;
}

/**
 * The parts of used memory from MEMORY STATS, largest first. Ratios, percentages, counts
 * and totals (peak, total, allocator, RSS) are left out: they are not parts of the sum.
 */
export function memoryParts(breakdown: Record<string, number>): MemoryPart[] {
  const parts: MemoryPart[] = [];
  for (const [field, bytes] of Object.entries(breakdown)) {
    const hit = MEMORY_PARTS.find(([re]) => re.test(field));
    if (!hit || !Number.isFinite(bytes) || bytes <= 0) continue;
    const db = /^db\.(\d+)\./.exec(field);
    parts.push({ part: db ? `${hit[1]} (db${db[1]})` : hit[1], field, bytes });
  }
  return parts.sort((a, b) => b.bytes - a.bytes);
}
