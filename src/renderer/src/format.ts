// Number and time formatting for people: IEC bytes, rates, percents, durations. Pure: no
// clock reads (pass now), no locale-dependent decimal separators in figures.
import type { Unit } from '../../shared/metrics';
import { assertNever } from '../../shared/result';

/** What is shown for "no value". Never "NaN", never "0" for a missing figure. */
export const NO_VALUE = '—';

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
const SI = ['', 'k', 'M', 'G', 'T', 'P'];

export function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Three significant digits, trailing zeros dropped: 1.5, 12.3, 123, 1234. */
export function sig3(x: number): string {
  const abs = Math.abs(x);
  if (abs > 0 && abs < 0.01) return String(Number(x.toPrecision(2)));
  const decimals = abs >= 100 || abs === 0 ? 0 : abs >= 10 ? 1 : 2;
  const text = x.toFixed(decimals);
  return decimals === 0 ? text : text.replace(/\.?0+$/, '');
}

/** Scales by `step` (1024 or 1000) and picks the unit word from `names`. */
function scaled(v: number, step: number, names: string[]): [string, string] {
  let i = 0;
  let x = Math.abs(v);
  while (x >= step && i < names.length - 1) {
    x /= step;
    i++;
  }
  // Rounding can carry into the next unit (1023.9 B shows as "1024 B" otherwise).
  if (Number(sig3(x)) >= step && i < names.length - 1) {
    x /= step;
    i++;
  }
  const sign = v < 0 ? '-' : '';
  return [sign + (i === 0 && step === 1024 ? String(Math.round(x)) : sig3(x)), names[i]];
}

export function formatBytes(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  const [n, u] = scaled(v, 1024, IEC);
  return `${n} ${u}`;
}

export function formatBytesPerSec(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  return `${formatBytes(v)}/s`;
}

/** Plain numbers with k/M/G above a thousand: 950, 1.23k, 4.5M. */
export function formatCount(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  if (Math.abs(v) < 10_000 && Number.isInteger(v)) return String(v);
  const [n, u] = scaled(v, 1000, SI);
  return u === '' ? n : `${n}${u}`;
}

export function formatPerSec(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  const [n, u] = scaled(v, 1000, SI);
  return `${n}${u}/s`;
}

export function formatPercent(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  const text = Math.abs(v) >= 99.95 || v === 0 ? v.toFixed(0) : v.toFixed(1);
  return `${text}%`;
}

export function formatMs(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  if (Math.abs(v) >= 1000) return formatDuration(v / 1000);
  return `${sig3(v)} ms`;
}

/** Seconds as words: "420 ms", "45 s", "12 min 5 s", "3 h 12 min", "2 d 4 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isNumber(seconds)) return NO_VALUE;
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  if (seconds < 1) return seconds === 0 ? '0 s' : `${Math.round(seconds * 1000)} ms`;
  if (seconds < 10) return `${sig3(seconds)} s`;
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const parts: [number, string][] =
    total < 3600
      ? [
          [Math.floor(total / 60), 'min'],
          [total % 60, 's'],
        ]
      : total < 86_400
        ? [
            [Math.floor(total / 3600), 'h'],
            [Math.floor((total % 3600) / 60), 'min'],
          ]
        : [
            [Math.floor(total / 86_400), 'd'],
            [Math.floor((total % 86_400) / 3600), 'h'],
          ];
  const [major, minor] = parts;
  return minor[0] === 0
    ? `${major[0]} ${major[1]}`
    : `${major[0]} ${major[1]} ${minor[0]} ${minor[1]}`;
}

export function formatRatio(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

export function formatBool(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  return v !== 0 ? 'yes' : 'no';
}

export function formatCelsius(v: number | null | undefined): string {
  if (!isNumber(v)) return NO_VALUE;
  return `${v.toFixed(1)} °C`;
}

/** Formats a value by the unit of its metric. null, undefined, NaN, ±Infinity → "—". */
export function formatValue(v: number | null | undefined, unit: Unit): string {
  switch (unit) {
    case 'percent':
      return formatPercent(v);
    case 'bytes':
      return formatBytes(v);
    case 'bytes_per_s':
      return formatBytesPerSec(v);
    case 'per_s':
      return formatPerSec(v);
    case 'ms':
      return formatMs(v);
    case 'seconds':
      return formatDuration(v);
    case 'count':
      return formatCount(v);
    case 'celsius':
      return formatCelsius(v);
    case 'ratio':
      return formatRatio(v);
    case 'bool':
      return formatBool(v);
    default:
      return assertNever(unit, 'unit');
  }
}

/** Short form for chart axes: same rules, fewer words (the chart title carries "/s"). */
export function formatAxis(v: number, unit: Unit): string {
  switch (unit) {
    case 'percent':
      return `${sig3(v)}%`;
    case 'bytes_per_s':
      return formatBytes(v);
    case 'per_s':
      return formatPerSec(v).replace(/\/s$/, '');
    case 'seconds':
      return formatDuration(v).replace(/ (\d+) (min|s|h)$/, '');
    default:
      return formatValue(v, unit);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "14:05" in local time, 24 hours. */
export function formatClock(t: number): string {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** "14:05:09" in local time. */
export function formatClockSeconds(t: number): string {
  const d = new Date(t);
  return `${formatClock(t)}:${pad2(d.getSeconds())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Mar" in local time. */
export function formatDay(t: number): string {
  const d = new Date(t);
  return `${d.getDate()} ${MONTHS[d.getMonth()]}`;
}

/** "14:05" today, "3 Mar 14:05" on another day. */
export function formatWhen(t: number, now: number): string {
  const a = new Date(t);
  const b = new Date(now);
  const sameDay =
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate();
  return sameDay ? formatClock(t) : `${formatDay(t)} ${formatClock(t)}`;
}

/**
 * "3 min ago", "just now", "in the future" for a clock skew. Pages refresh `now` only every
 * few seconds, so a sample newer than the page's `now` by less than a minute is "just now".
 */
export function formatAgo(t: number | null | undefined, now: number): string {
  if (!isNumber(t)) return NO_VALUE;
  const s = (now - t) / 1000;
  if (s < -60) return 'in the future (clock skew?)';
  if (s < 5) return 'just now';
  if (s < 60) return `${Math.round(s)} s ago`;
  return `${formatDuration(s).replace(/ \d+ (s|min|h)$/, '')} ago`;
}

/** "since 14:05 (3 h 12 min)". */
export function formatSince(t: number, now: number): string {
  const s = Math.max(0, (now - t) / 1000);
  return `since ${formatWhen(t, now)} (${formatDuration(s)})`;
}

/** Time axis ticks: clock for up to a day, day and clock for longer ranges. */
export function formatTick(t: number, rangeMs: number): string {
  if (rangeMs <= 26 * 3600_000) return formatClock(t);
  if (rangeMs <= 8 * 86_400_000) return `${formatDay(t)} ${formatClock(t)}`;
  return formatDay(t);
}

const NICE = [1, 2, 2.5, 5, 10];

/** About `count` round ticks from 0 to at least max; bytes step in powers of 1024. */
export function niceTicks(max: number, unit: Unit, count = 4): number[] {
  if (!isNumber(max) || max <= 0) return [0, 1];
  const binary = unit === 'bytes' || unit === 'bytes_per_s';
  let scale = 1;
  if (binary) while (max / scale >= 1024) scale *= 1024;
  const raw = max / scale / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = (NICE.find((n) => n * mag >= raw) ?? 10) * mag * scale;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** "1 replica", "3 replicas", "— replicas" for no value. */
export function plural(n: number | null | undefined, word: string, many = `${word}s`): string {
  if (!isNumber(n)) return `${NO_VALUE} ${many}`;
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}
