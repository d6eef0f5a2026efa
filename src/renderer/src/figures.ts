// Key figures per target kind, picked from a fleet entry's latest values. Pure.
import type { Unit } from '../../shared/metrics';
import { assertNever } from '../../shared/result';
import type { TargetHealth, TargetKind } from '../../shared/types';
import { formatBytes } from './format';

export type Tone = 'warn' | 'bad';

export interface KeyFigure {
  label: string;
  value: number | null;
  unit: Unit;
  /** Set when the value crosses a threshold; always shown with its word. */
  tone: Tone | null;
  /** Extra words, e.g. which filesystem is the worst. */
  detail?: string;
}

type Figures = Record<string, number | null>;

function num(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/**
 * Entries for a metric: the plain key, every labelled key metric{...}, and the backend's
 * aggregate "metric:max" (the highest over all series, see FIGURES in metrics.ts).
 */
function entriesOf(figures: Figures, metric: string): [string, number][] {
  const out: [string, number][] = [];
  for (const [key, value] of Object.entries(figures)) {
    const v = num(value);
    if (v === null) continue;
    if (key === metric || key === `${metric}:max` || key.startsWith(`${metric}{`)) {
      out.push([key, v]);
    }
  }
  return out;
}

/** The value of one label in a series key made by seriesKey(). */
export function labelOf(key: string, label: string): string | null {
  const m = new RegExp(`[{,]${label}=("(?:[^"\\\\]|\\\\.)*")`).exec(key);
  if (!m) return null;
  try {
    return JSON.parse(m[1]) as string;
  } catch {
    return null;
  }
}

function worst(figures: Figures, metric: string): [string, number] | null {
  let best: [string, number] | null = null;
  for (const e of entriesOf(figures, metric)) if (!best || e[1] > best[1]) best = e;
  return best;
}

/** Tone for "higher is worse" figures. */
export function toneHigh(v: number | null, warn: number, bad: number): Tone | null {
  if (v === null) return null;
  return v >= bad ? 'bad' : v >= warn ? 'warn' : null;
}

/** Tone for "lower is worse" figures. */
export function toneLow(v: number | null, warn: number, bad: number): Tone | null {
  if (v === null) return null;
  return v <= bad ? 'bad' : v <= warn ? 'warn' : null;
}

export function toneWord(tone: Tone | null): string {
  return tone === 'bad' ? 'critical' : tone === 'warn' ? 'high' : '';
}

function hostFigures(f: Figures): KeyFigure[] {
  const busy = num(f['host.cpu.busy']);
  const avail = num(f['host.mem.available_pct']);
  const load = num(f['host.load.1']);
  const cores = num(f['host.cpu.cores']);
  const perCore = load !== null && cores !== null && cores > 0 ? load / cores : null;
  const fs = worst(f, 'host.fs.used_pct');
  const mount = fs ? labelOf(fs[0], 'mount') : null;
  return [
    { label: 'CPU busy', value: busy, unit: 'percent', tone: toneHigh(busy, 80, 95) },
    { label: 'Mem available', value: avail, unit: 'percent', tone: toneLow(avail, 15, 5) },
    { label: 'Load / core', value: perCore, unit: 'ratio', tone: toneHigh(perCore, 1, 2) },
    {
      label: 'Worst disk',
      value: fs ? fs[1] : null,
      unit: 'percent',
      tone: toneHigh(fs ? fs[1] : null, 85, 95),
      detail: mount ?? undefined,
    },
  ];
}

function postgresFigures(f: Figures): KeyFigure[] {
  const used = num(f['pg.connections.used_pct']);
  const hit = num(f['pg.cache.hit_pct']);
  const isReplica = num(f['pg.replication.is_replica']) === 1;
  const lag = isReplica
    ? num(f['pg.replication.replay_lag_s'])
    : (worst(f, 'pg.replication.lag_s')?.[1] ?? null);
  const lagBytes = isReplica ? null : (worst(f, 'pg.replication.lag_bytes')?.[1] ?? null);
  const commits = num(f['pg.xact.commit_ps']);
  return [
    { label: 'Connections used', value: used, unit: 'percent', tone: toneHigh(used, 80, 95) },
    { label: 'Cache hit', value: hit, unit: 'percent', tone: toneLow(hit, 95, 85) },
    { label: 'Commits', value: commits, unit: 'per_s', tone: null },
    {
      label: isReplica ? 'Replay lag' : 'Replica lag',
      value: lag,
      unit: 'seconds',
      tone: toneHigh(lag, 30, 300),
      detail: lagBytes !== null ? `${formatBytes(lagBytes)} behind` : undefined,
    },
  ];
}

function redisFigures(f: Figures): KeyFigure[] {
  const used = num(f['redis.mem.used']);
  const usedPct = num(f['redis.mem.used_pct']);
  const ops = num(f['redis.ops_ps']);
  const hit = num(f['redis.hit_pct']);
  return [
    {
      label: 'Memory used',
      value: used,
      unit: 'bytes',
      tone: toneHigh(usedPct, 80, 95),
      detail: usedPct !== null ? `${usedPct.toFixed(0)}% of maxmemory` : undefined,
    },
    { label: 'Ops', value: ops, unit: 'per_s', tone: null },
    { label: 'Hit rate', value: hit, unit: 'percent', tone: null },
    { label: 'Clients', value: num(f['redis.clients.connected']), unit: 'count', tone: null },
  ];
}

export function keyFigures(kind: TargetKind, figures: Figures): KeyFigure[] {
  switch (kind) {
    case 'local':
    case 'ssh':
      return hostFigures(figures);
    case 'postgres':
      return postgresFigures(figures);
    case 'redis':
      return redisFigures(figures);
    default:
      return assertNever(kind, 'target kind');
  }
}

/** Worst first: what needs attention comes to the top. */
export const HEALTH_ORDER: Record<TargetHealth, number> = {
  unreachable: 0,
  degraded: 1,
  pending: 2,
  ok: 3,
  disabled: 4,
};

export const HEALTH_WORD: Record<TargetHealth, string> = {
  ok: 'OK',
  degraded: 'Degraded',
  unreachable: 'Unreachable',
  pending: 'Pending',
  disabled: 'Disabled',
};

export const KIND_WORD: Record<TargetKind, string> = {
  local: 'This machine',
  ssh: 'SSH host',
  postgres: 'PostgreSQL',
  redis: 'Redis',
};
