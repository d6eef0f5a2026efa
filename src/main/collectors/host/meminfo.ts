// /proc/meminfo: "Name:   value kB" lines. Only the fields used are parsed strictly; a line
// a newer kernel adds or shapes differently is left alone.
import { ParseFailed } from '../../errors';
import { parseCount, percent } from '../num';
import { lines } from '../text';

export interface Memory {
  total: number;
  available: number;
  used: number;
  /** Page cache (the kernel's "Cached"), bytes. */
  cached: number | null;
  availablePct: number | null;
  swapTotal: number | null;
  swapUsed: number | null;
}

/** Raw "Name" -> value text with its unit, e.g. "MemTotal" -> "16318480 kB". */
export function parseMeminfoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return out;
}

/** Bytes of one field; undefined when the field is absent; throws when it is malformed. */
export function meminfoBytes(fields: Map<string, string>, name: string): number | undefined {
  const raw = fields.get(name);
  if (raw === undefined) return undefined;
  const [value, unit, ...rest] = raw.split(/\s+/);
  if (rest.length > 0 || (unit !== undefined && unit !== 'kB')) {
    throw new ParseFailed(`meminfo ${name} has an unexpected unit: ${JSON.stringify(raw)}`);
  }
  return parseCount(value, `meminfo ${name}`) * (unit === 'kB' ? 1024 : 1);
}

/**
 * Memory figures. used = total - available (what free(1) calls used since procps 3.3.10).
 * MemAvailable exists since Linux 3.14; before it, free + buffers + cached is the estimate.
 */
export function parseMeminfo(text: string): Memory {
  const f = parseMeminfoFields(text);
  const get = (name: string): number | null => meminfoBytes(f, name) ?? null;
  const total = get('MemTotal');
  if (total === null) throw new ParseFailed('/proc/meminfo has no MemTotal line');
  const available = get('MemAvailable') ?? estimateAvailable(f);
  const swapTotal = get('SwapTotal');
  const swapFree = get('SwapFree');
  return {
    total,
    available,
    used: Math.max(0, total - available),
    cached: get('Cached'),
    availablePct: percent(available, total),
    swapTotal,
    swapUsed: swapTotal !== null && swapFree !== null ? Math.max(0, swapTotal - swapFree) : null,
  };
}

function estimateAvailable(f: Map<string, string>): number {
  const free = meminfoBytes(f, 'MemFree');
  if (free === undefined)
    throw new ParseFailed('/proc/meminfo has neither MemAvailable nor MemFree');
  return free + (meminfoBytes(f, 'Buffers') ?? 0) + (meminfoBytes(f, 'Cached') ?? 0);
}
