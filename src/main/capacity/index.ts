// Capacity forecasts read from the local store alone: no target needs to be reachable, and
// the 1-hour rollups carry the daily peaks long after raw samples have aged out.
import {
  CAPACITY_HORIZON_DAYS,
  type CapacityForecast,
  type CapacityLimit,
  type CapacityResource,
  type CapacitySeries,
  type CapacityStatus,
  type CapacityUnit,
  PROJECTION_DAYS,
} from '../../shared/capacity';
import { seriesKey } from '../../shared/metrics';
import { assertNever } from '../../shared/result';
import type { SeriesRef, Target } from '../../shared/types';
import type { Store } from '../store';
import { DAY_MS, fitPeaks, lineOf, trend, usedPeaks } from './forecast';
import { dailyPeaks, type PeakHow } from './peaks';
import { describeForecast, valueText } from './words';

export { DAY_MS, MIN_PEAKS } from './forecast';

const HOUR_MS = 3_600_000;

/** Default limits in percent: where a filesystem or memory is "full", a CPU "saturated". */
export const DEFAULT_LIMITS = { filesystem: 90, memory: 90, cpu: 80 } as const;
type PercentResource = keyof typeof DEFAULT_LIMITS;

export interface ForecastOptions {
  now: number;
  windowDays: number;
  /** Only these targets; all when absent. */
  targetIds?: readonly string[];
  /** Limits in percent for filesystem, memory and CPU, overriding DEFAULT_LIMITS. */
  limits?: Partial<Record<PercentResource, number>>;
}

/** One resource of one target worth forecasting, before its history is read. */
interface Candidate {
  resource: CapacityResource;
  label: string;
  series: SeriesRef;
  how: PeakHow;
  unit: CapacityUnit;
  limit: CapacityLimit | null;
  sizeBytes: number | null;
}

/** Every capacity forecast of the chosen targets, soonest limit first (see byUrgency). */
export function forecastCapacity(store: Store, opts: ForecastOptions): CapacityForecast[] {
  const out: CapacityForecast[] = [];
  for (const target of chosenTargets(store, opts.targetIds)) {
    for (const c of candidates(store, target, opts.limits)) {
      const one = forecastOne(store, target, c, opts);
      // A series with nothing in the window (a filesystem unmounted long ago) has no row.
      if (one.peaks.length > 0) out.push(one.forecast);
    }
  }
  return out.sort(byUrgency);
}

/** One forecast with its daily peaks, fitted line and band for a chart; null when gone. */
export function capacitySeries(
  store: Store,
  opts: ForecastOptions & { targetId: string; key: string },
): CapacitySeries | null {
  const target = store.getTarget(opts.targetId);
  if (!target) return null;
  const c = candidates(store, target, opts.limits).find((x) => keyOf(x) === opts.key);
  if (!c) return null;
  const { forecast, peaks } = forecastOne(store, target, c, opts);
  const horizon = chartHorizon(forecast, opts.now);
  const fit = fitPeaks(usedPeaks(peaks, c.unit === 'percent').used);
  const from = forecast.levelShiftAt ?? (peaks.length > 0 ? peaks[0].t : opts.now);
  const line = fit ? lineOf(fit, from, horizon, c.unit === 'percent') : [];
  return { forecast, peaks, line, horizon };
}

/**
 * Soonest first: at the limit, then by days to the limit; then those with no date, the
 * fullest (current share of the limit) first; then no limit known; then too little data.
 */
export function byUrgency(a: CapacityForecast, b: CapacityForecast): number {
  const rank = statusRank(a.status) - statusRank(b.status);
  if (rank !== 0) return rank;
  const days = (a.daysToLimit ?? Infinity) - (b.daysToLimit ?? Infinity);
  if (days !== 0 && Number.isFinite(days)) return days;
  const fill = fullness(b) - fullness(a);
  if (fill !== 0) return fill;
  return `${a.targetName} ${a.label}`.localeCompare(`${b.targetName} ${b.label}`);
}

function statusRank(s: CapacityStatus): number {
  switch (s) {
    case 'at-limit':
    case 'reaches-limit':
      return 0;
    case 'ok':
    case 'shrinking':
      return 1;
    case 'no-limit':
      return 2;
    case 'insufficient-data':
      return 3;
    default:
      return assertNever(s, 'capacity status');
  }
}

function fullness(f: CapacityForecast): number {
  return f.limit && f.current !== null && f.limit.value > 0 ? f.current / f.limit.value : 0;
}

/** The chart reaches 180 days, or past the latest limit date when that is later. */
function chartHorizon(f: CapacityForecast, now: number): number {
  const base = now + PROJECTION_DAYS[PROJECTION_DAYS.length - 1] * DAY_MS;
  const reach = f.limitInterval?.latest ?? f.limitReachedAt ?? 0;
  const past = reach + 14 * DAY_MS;
  return Math.min(Math.max(base, past), now + CAPACITY_HORIZON_DAYS * DAY_MS);
}

function chosenTargets(store: Store, ids: readonly string[] | undefined): Target[] {
  const all = store.listTargets();
  if (!ids) return all;
  const want = new Set(ids);
  return all.filter((t) => want.has(t.id));
}

export function keyOf(c: { resource: CapacityResource; series: SeriesRef }): string {
  return `${c.resource}:${seriesKey(c.series.metric, c.series.labels)}`;
}

function percentLimit(
  resource: PercentResource,
  limits: ForecastOptions['limits'],
  words: string,
): CapacityLimit {
  const value = limits?.[resource] ?? DEFAULT_LIMITS[resource];
  return { value, source: `${valueText(value, 'percent')} ${words}` };
}

/** What the stored series of a target allow to forecast. */
function candidates(store: Store, target: Target, limits: ForecastOptions['limits']): Candidate[] {
  const refs = store.listSeries(target.id);
  const latest = store.latest(target.id);
  const last = (ref: SeriesRef): number | null =>
    latest.get(seriesKey(ref.metric, ref.labels))?.v ?? null;
  const out: Candidate[] = [];
  for (const ref of refs) {
    const c = candidateOf(ref, limits, last);
    if (c) out.push(c);
  }
  return out.sort((a, b) => a.resource.localeCompare(b.resource) || a.label.localeCompare(b.label));
}

function candidateOf(
  ref: SeriesRef,
  limits: ForecastOptions['limits'],
  last: (ref: SeriesRef) => number | null,
): Candidate | null {
  const base = { series: ref, sizeBytes: null };
  switch (ref.metric) {
    case 'host.fs.used_pct': {
      const size = last({ metric: 'host.fs.size', labels: ref.labels });
      return {
        ...base,
        resource: 'filesystem',
        label: ref.labels?.mount ?? '?',
        how: 'max',
        unit: 'percent',
        limit: percentLimit('filesystem', limits, 'of the filesystem'),
        sizeBytes: size,
      };
    }
    case 'host.mem.available_pct':
      return {
        ...base,
        resource: 'memory',
        label: 'memory',
        how: 'used-from-available',
        unit: 'percent',
        limit: percentLimit('memory', limits, 'of memory used (available below the rest)'),
      };
    case 'host.cpu.busy':
      return {
        ...base,
        resource: 'cpu',
        label: 'CPU',
        how: 'avg',
        unit: 'percent',
        limit: percentLimit('cpu', limits, 'busy, averaged over the busiest hour'),
      };
    case 'pg.db.size_bytes':
      return {
        ...base,
        resource: 'pg-database',
        label: ref.labels?.db ?? '?',
        how: 'max',
        unit: 'bytes',
        limit: null,
      };
    case 'redis.mem.used': {
      const max = last({ metric: 'redis.mem.maxmemory' });
      return {
        ...base,
        resource: 'redis-memory',
        label: 'memory',
        how: 'max',
        unit: 'bytes',
        // maxmemory 0 means "no limit": Redis grows until the host runs out.
        limit:
          max && max > 0 ? { value: max, source: `maxmemory (${valueText(max, 'bytes')})` } : null,
      };
    }
    default:
      return null;
  }
}

/**
 * Reads a candidate's window at 1-hour resolution (rollup min, max and average; the part
 * not rolled up yet is computed from finer data by the store) and forecasts it.
 */
function forecastOne(
  store: Store,
  target: Target,
  c: Candidate,
  opts: ForecastOptions,
): { forecast: CapacityForecast; peaks: ReturnType<typeof dailyPeaks> } {
  const { now, windowDays } = opts;
  const from = now - windowDays * DAY_MS - HOUR_MS;
  // One point per hour: a width of an hour per point keeps the store at its 1h rollups
  // without downsampling them further.
  const width = windowDays * 24 + 2;
  const [data] = store.query({ targetId: target.id, series: [c.series], from, to: now, width });
  const peaks = data ? dailyPeaks(data, c.how, now, windowDays) : [];
  const t = trend({
    peaks,
    limit: c.limit?.value ?? null,
    now,
    windowDays,
    percent: c.unit === 'percent',
  });
  const words = describeForecast({
    resource: c.resource,
    label: c.label,
    targetName: target.name,
    unit: c.unit,
    status: t.status,
    current: t.current,
    currentAt: t.currentAt,
    limit: c.limit,
    fit: t.fit,
    projected: t.projected,
    limitReachedAt: t.limitReachedAt,
    limitInterval: t.limitInterval,
    levelShiftAt: t.levelShiftAt,
    now,
    windowDays,
    peaks: usedPeaks(peaks, c.unit === 'percent').used.length,
    sizeBytes: c.sizeBytes,
    hostName: hostNameOf(store, target),
  });
  const forecast: CapacityForecast = {
    key: keyOf(c),
    targetId: target.id,
    targetName: target.name,
    group: target.group,
    resource: c.resource,
    label: c.label,
    series: c.series,
    unit: c.unit,
    ...t,
    limit: c.limit,
    ...words,
  };
  return { forecast, peaks };
}

/** The SSH host a database target is reached through, by name. */
function hostNameOf(store: Store, target: Target): string | null {
  const cfg = target.config;
  switch (cfg.kind) {
    case 'postgres':
    case 'redis':
      return cfg.viaTargetId ? (store.getTarget(cfg.viaTargetId)?.name ?? null) : null;
    case 'local':
    case 'ssh':
      return null;
    default:
      return assertNever(cfg, 'target kind');
  }
}
