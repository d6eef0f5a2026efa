// A forecast in plain words: what reaches which limit when, what to do, and the figures
// behind it. Pure.
import type {
  CapacityFit,
  CapacityLimit,
  CapacityProjection,
  CapacityResource,
  CapacityStatus,
  CapacityUnit,
} from '../../shared/capacity';
import { assertNever } from '../../shared/result';
import { DAY_MS, MIN_PEAKS } from './forecast';

export interface WordsInput {
  resource: CapacityResource;
  label: string;
  targetName: string;
  unit: CapacityUnit;
  status: CapacityStatus;
  current: number | null;
  /** Where the latest peak sits; older than a day when collection stopped. */
  currentAt?: number | null;
  limit: CapacityLimit | null;
  fit: CapacityFit | null;
  projected: readonly CapacityProjection[];
  limitReachedAt: number | null;
  limitInterval: { earliest: number; latest: number | null } | null;
  /** When the peaks jumped to a new level; the trend starts there. */
  levelShiftAt?: number | null;
  now: number;
  windowDays: number;
  /** Peaks found in the window (for "too little data"). */
  peaks: number;
  /** Filesystem size in bytes, when known: growth is also said in bytes. */
  sizeBytes?: number | null;
  /** The SSH host a database is reached through, when any. */
  hostName?: string | null;
}

export interface Words {
  recommendation: string;
  figures: string[];
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Three significant digits for 1 and above, two below: 123, 12.3, 1.23, 0.045. */
function sig(x: number): string {
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a < 1) return String(Number(x.toPrecision(2)));
  const decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return x
    .toFixed(decimals)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

export function bytesText(v: number): string {
  let x = Math.abs(v);
  let i = 0;
  // Rounding can carry into the next unit: 1023.9 MiB reads "1 GiB", not "1024 MiB".
  while ((x >= 1024 || Number(sig(x)) >= 1024) && i < IEC.length - 1) {
    x /= 1024;
    i++;
  }
  return `${v < 0 ? '−' : ''}${i === 0 ? Math.round(x) : sig(x)} ${IEC[i]}`;
}

export function valueText(v: number, unit: CapacityUnit): string {
  switch (unit) {
    case 'percent':
      return `${sig(v)} %`;
    case 'bytes':
      return bytesText(v);
    default:
      return assertNever(unit, 'unit');
  }
}

/** "+0.52 %/day", "−120 MiB/day". */
export function slopeText(perDay: number, unit: CapacityUnit): string {
  const sign = perDay > 0 ? '+' : perDay < 0 ? '−' : '±';
  return `${sign}${valueText(Math.abs(perDay), unit)}/day`;
}

/** "14 March", with the year when it is not now's year (UTC). */
export function dateText(t: number, now: number): string {
  const d = new Date(t);
  const sameYear = d.getUTCFullYear() === new Date(now).getUTCFullYear();
  return d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: 'UTC',
  });
}

/** "± 6 days" from the interval around the date; the wider side, so it is never too tight. */
export function spreadText(
  at: number,
  interval: { earliest: number; latest: number | null } | null,
): string {
  if (!interval) return '';
  if (interval.latest === null) return 'perhaps later or never: the trend is uncertain';
  const days = Math.round(Math.max(at - interval.earliest, interval.latest - at) / DAY_MS);
  return days < 1 ? '± less than a day' : `± ${days} day${days === 1 ? '' : 's'}`;
}

function subject(i: WordsInput): string {
  switch (i.resource) {
    case 'filesystem':
      return `${i.label} on ${i.targetName}`;
    case 'memory':
      return `Memory on ${i.targetName}`;
    case 'cpu':
      return `CPU on ${i.targetName}`;
    case 'pg-database':
      return `Database ${i.label} on ${i.targetName}`;
    case 'redis-memory':
      return `Redis memory on ${i.targetName}`;
    default:
      return assertNever(i.resource, 'resource');
  }
}

function limitWord(i: WordsInput, limit: CapacityLimit): string {
  const v = valueText(limit.value, i.unit);
  switch (i.resource) {
    case 'filesystem':
      return v;
    case 'memory':
      return `${v} used`;
    case 'cpu':
      return `${v} busy in its busiest hour`;
    case 'pg-database':
      return v;
    case 'redis-memory':
      return `maxmemory (${v})`;
    default:
      return assertNever(i.resource, 'resource');
  }
}

function action(resource: CapacityResource, urgent: boolean): string {
  switch (resource) {
    case 'filesystem':
      return urgent
        ? 'free space now (rotate or remove old logs, backups and dumps) or grow the volume'
        : 'grow the volume or free space (rotate logs, remove old backups and dumps)';
    case 'memory':
      return 'find what grows (a steady climb is often a leak), add memory or move load elsewhere';
    case 'cpu':
      return 'add cores or spread the load before then';
    case 'pg-database':
      return 'make sure the filesystem that holds it has room, or archive or purge old rows';
    case 'redis-memory':
      return urgent
        ? 'Redis is evicting keys or refusing writes: raise maxmemory if the host has room, or give keys a TTL'
        : 'raise maxmemory if the host has room, give keys a TTL, or check the eviction policy';
    default:
      return assertNever(resource, 'resource');
  }
}

function noLimitWords(i: WordsInput, fit: CapacityFit): string {
  const s = subject(i);
  const slope = slopeText(fit.slopePerDay, i.unit);
  const growing = fit.slopePerDay > 0;
  switch (i.resource) {
    case 'redis-memory':
      return (
        `${s} has no maxmemory set and changes ${slope}: it can grow until the host runs out of ` +
        'memory; set maxmemory and an eviction policy.'
      );
    case 'pg-database': {
      if (!growing) return `${s} is not growing (${slope}): nothing to do.`;
      const in90 = bytesText(fit.slopePerDay * 90);
      const where = i.hostName
        ? `the filesystem of ${i.hostName} that holds its data (see that host's rows)`
        : 'the filesystem that holds its data directory';
      return (
        `${s} grows ${slope} (about ${in90} in 90 days). Opsdeck cannot tell from PostgreSQL ` +
        `alone how much room is left, so no date is given: compare with the free space of ${where}.`
      );
    }
    case 'filesystem':
    case 'memory':
    case 'cpu':
      return `${s} changes ${slope}; no limit is known for it.`;
    default:
      return assertNever(i.resource, 'resource');
  }
}

function sentence(i: WordsInput): string {
  const s = subject(i);
  const fit = i.fit;
  switch (i.status) {
    case 'insufficient-data':
      if (i.levelShiftAt) {
        return (
          `${s} jumped to a new level on ${dateText(i.levelShiftAt, i.now)} (grown, cleaned ` +
          `up or restarted?); a trend needs at least ${MIN_PEAKS} days after that, there ` +
          `${i.peaks === 1 ? 'is 1' : `are ${i.peaks}`}. Look again in a few days.`
        );
      }
      return (
        `${s}: only ${i.peaks} day${i.peaks === 1 ? '' : 's'} of history in the last ` +
        `${i.windowDays} days; a trend needs at least ${MIN_PEAKS}. Look again in a few days.`
      );
    case 'no-limit':
      return fit ? noLimitWords(i, fit) : `${s}: no limit is known.`;
    case 'at-limit':
      return (
        `${s} is at ${valueText(i.current ?? 0, i.unit)}, over its limit of ` +
        `${limitWord(i, i.limit!)}: ${action(i.resource, true)}.`
      );
    case 'reaches-limit': {
      const at = i.limitReachedAt!;
      const spread = spreadText(at, i.limitInterval);
      const when = `around ${dateText(at, i.now)}${spread ? ` (${spread})` : ''}`;
      return `${s} reaches ${limitWord(i, i.limit!)} ${when}: ${action(i.resource, false)}.`;
    }
    case 'shrinking':
      return `${s} is shrinking (${slopeText(fit!.slopePerDay, i.unit)}): nothing to do.`;
    case 'ok':
      return (
        `${s} stays below ${limitWord(i, i.limit!)} for more than a year at its trend ` +
        `(${slopeText(fit!.slopePerDay, i.unit)}): nothing to do now.`
      );
    default:
      return assertNever(i.status, 'capacity status');
  }
}

function figureLines(i: WordsInput): string[] {
  const out: string[] = [];
  const v = (x: number): string => valueText(x, i.unit);
  if (i.current !== null) {
    const old = i.currentAt != null && i.now - i.currentAt > DAY_MS;
    out.push(
      old
        ? `last seen ${v(i.current)} on ${dateText(i.currentAt!, i.now)} (no data since)`
        : `now ${v(i.current)} (highest in the last 24 hours)`,
    );
  }
  if (i.limit) out.push(`limit ${i.limit.source}`);
  const fit = i.fit;
  if (fit) {
    const k = fit.slopeStdErr * 2;
    out.push(
      `trend ${slopeText(fit.slopePerDay, i.unit)} (± ${v(k)}/day), from ${fit.points} daily ` +
        `peaks over ${fit.windowDays} days`,
    );
  }
  if (i.projected.length > 0) {
    const days = i.projected.map((p) => p.days).join(' / ');
    const values = i.projected.map((p) => v(p.value)).join(' / ');
    out.push(`in ${days} days: ${values}`);
  }
  if (i.limitReachedAt !== null && i.limitInterval && i.status === 'reaches-limit') {
    const latest = i.limitInterval.latest;
    out.push(
      `limit reached ${dateText(i.limitReachedAt, i.now)}, between ` +
        `${dateText(i.limitInterval.earliest, i.now)} and ` +
        `${latest === null ? 'never (open)' : dateText(latest, i.now)} (95 %)`,
    );
  }
  if (i.levelShiftAt) {
    out.push(`jumped to a new level on ${dateText(i.levelShiftAt, i.now)}: the trend starts there`);
  }
  if (i.resource === 'filesystem' && fit && i.sizeBytes) {
    const perDay = (fit.slopePerDay / 100) * i.sizeBytes;
    out.push(`size ${bytesText(i.sizeBytes)}; changes ${slopeText(perDay, 'bytes')}`);
  }
  return out;
}

export function describeForecast(i: WordsInput): Words {
  return { recommendation: sentence(i), figures: figureLines(i) };
}
