// Pure parts of Redis care: replies of SLOWLOG, LATENCY, CLIENT LIST and MEMORY STATS read
// by shape, key-name prefixes, the top-N keeper, and the memory and eviction warnings.
import type {
  RedisBigKey,
  RedisClient,
  RedisLatencyEvent,
  RedisPrefix,
  RedisSlowEntry,
} from '../../shared/care';

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'number') return String(v);
  return '';
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(text(v));
  return Number.isFinite(n) ? n : 0;
}

/** SLOWLOG GET: [id, unix s, µs, [args...], client addr?, client name?]. */
export function parseSlowlog(reply: unknown): RedisSlowEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .filter((e): e is unknown[] => Array.isArray(e) && e.length >= 4)
    .map((e) => ({
      id: num(e[0]),
      t: num(e[1]) * 1000,
      micros: num(e[2]),
      command: Array.isArray(e[3]) ? e[3].map(text) : [],
      client: e.length > 4 ? text(e[4]) || null : null,
    }));
}

/** LATENCY LATEST: [[event, unix s, latest ms, max ms], ...]. */
export function parseLatencyLatest(reply: unknown): Omit<RedisLatencyEvent, 'history'>[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .filter((e): e is unknown[] => Array.isArray(e) && e.length >= 4)
    .map((e) => ({
      event: text(e[0]),
      latestAt: num(e[1]) * 1000,
      latestMs: num(e[2]),
      maxMs: num(e[3]),
    }));
}

/** LATENCY HISTORY event: [[unix s, ms], ...]. */
export function parseLatencyHistory(reply: unknown): { t: number; ms: number }[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .filter((e): e is unknown[] => Array.isArray(e) && e.length >= 2)
    .map((e) => ({ t: num(e[0]) * 1000, ms: num(e[1]) }));
}

/** CLIENT LIST: one line per client of space-separated name=value fields. */
export function parseClientList(reply: string): RedisClient[] {
  return reply
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((line) => {
      const f = new Map<string, string>();
      for (const part of line.split(' ')) {
        const eq = part.indexOf('=');
        if (eq > 0) f.set(part.slice(0, eq), part.slice(eq + 1));
      }
      return {
        id: f.get('id') ?? '',
        addr: f.get('addr') ?? '',
        name: f.get('name') ?? '',
        ageS: num(f.get('age')),
        idleS: num(f.get('idle')),
        db: num(f.get('db')),
        cmd: f.get('cmd') ?? '',
        flags: f.get('flags') ?? '',
      };
    });
}

/** MEMORY STATS: a flat [name, value, ...] list; numeric parts are kept, nested ones skipped. */
export function parseMemoryStats(reply: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const name = text(reply[i]);
    const v = reply[i + 1];
    if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))) {
      out[name] = Number(v);
    }
  }
  return out;
}

/** The key's prefix: up to and including its first ':' (or the whole name class without one). */
export function prefixOf(key: string): string {
  const i = key.indexOf(':');
  return i > 0 ? key.slice(0, i + 1) : '(no prefix)';
}

/** Keeps the N largest keys seen, cheaply: trims once the list doubles. */
export class TopKeys {
  private items: RedisBigKey[] = [];

  constructor(private readonly n: number) {}

  add(k: RedisBigKey): void {
    this.items.push(k);
    if (this.items.length >= this.n * 2) this.trim();
  }

  result(): RedisBigKey[] {
    this.trim();
    return this.items;
  }

  private trim(): void {
    this.items.sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1));
    this.items.length = Math.min(this.items.length, this.n);
  }
}

export function addPrefix(map: Map<string, RedisPrefix>, key: string, bytes: number): void {
  const p = prefixOf(key);
  const have = map.get(p) ?? { prefix: p, keys: 0, bytes: 0 };
  have.keys += 1;
  have.bytes += bytes;
  map.set(p, have);
}

export interface MemoryFacts {
  usedBytes: number;
  maxmemoryBytes: number;
  policy: string;
  keys: number;
  expires: number;
  aofEnabled: boolean;
  rdbSaves: boolean;
}

/** Warnings about memory limits and an eviction policy that does not fit the use. */
export function memoryWarnings(m: MemoryFacts): string[] {
  const out: string[] = [];
  if (m.maxmemoryBytes === 0) {
    out.push(
      'maxmemory is unset: Redis grows until the host runs out of memory and the OOM killer ' +
        'stops it. Set maxmemory to leave room for the OS and fork copies (for BGSAVE).',
    );
  } else if (m.usedBytes > m.maxmemoryBytes * 0.9) {
    out.push(
      `Memory is at ${Math.round((m.usedBytes / m.maxmemoryBytes) * 100)} % of maxmemory; ` +
        (m.policy === 'noeviction' ? 'writes will fail soon.' : 'keys are being evicted.'),
    );
  }
  const cacheLike = m.keys > 0 && m.expires / m.keys >= 0.8;
  const persistent = m.aofEnabled || m.rdbSaves;
  if (m.maxmemoryBytes > 0 && m.policy === 'noeviction' && cacheLike) {
    out.push(
      'Most keys expire, as in a cache, but the policy is noeviction: when memory is full ' +
        'writes fail. allkeys-lru or volatile-lru fits a cache.',
    );
  }
  if (m.policy.startsWith('allkeys-') && persistent && m.keys > 0 && m.expires / m.keys < 0.2) {
    out.push(
      `The policy ${m.policy} may evict any key, yet few keys expire and data is persisted, ` +
        'as in a store of record: evictions would lose data. noeviction or volatile-* fits better.',
    );
  }
  return out;
}
