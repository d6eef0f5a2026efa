// Redis INFO: "# Section" headers and "key:value" lines, read by name. Newer servers and
// forks (Valkey) add keys and sub-fields; unknown ones are kept and never an error.
// Values of keyspace (db0:keys=..,expires=..) and replica lines (slave0:ip=..,port=..)
// are lists of name=value pairs, also read by name; ip may be IPv6 and hold colons, so a
// line is split at its first colon only.
import { ParseFailed } from '../../errors';
import { parseCount, parseNum } from '../num';
import { parseLines } from '../text';
import type { Parsed } from '../types';

export interface RedisInfo {
  /** Section name in lower case ("keyspace") -> its key/value pairs in order. */
  sections: Map<string, Map<string, string>>;
  /** Every key of every section; a key repeated in a later section wins. */
  fields: Map<string, string>;
}

export function parseInfo(text: string): RedisInfo {
  const sections = new Map<string, Map<string, string>>();
  const fields = new Map<string, string>();
  let current = new Map<string, string>();
  sections.set('', current);
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('#')) {
      current = new Map();
      sections.set(line.slice(1).trim().toLowerCase(), current);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    current.set(key, value);
    fields.set(key, value);
  }
  return { sections, fields };
}

/** "keys=1,expires=0,avg_ttl=-1" -> name -> value; a part without "=" is ignored. */
export function parseKvList(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export interface KeyspaceDb {
  /** "db0" as INFO names it. */
  db: string;
  keys: number;
  expires: number;
  /** Average TTL of keys with an expiry, ms; null when Redis has no figure (-1 or 0). */
  avgTtlMs: number | null;
}

export function keyspaceOf(info: RedisInfo): Parsed<KeyspaceDb> {
  const section = info.sections.get('keyspace') ?? new Map<string, string>();
  const entries = [...section].filter(([k]) => /^db\d+$/.test(k));
  return parseLines(
    entries.map(([k, v]) => `${k}:${v}`),
    'keyspace',
    (line) => {
      const colon = line.indexOf(':');
      const kv = parseKvList(line.slice(colon + 1));
      const need = (name: string): number => {
        const v = kv.get(name);
        if (v === undefined) throw new ParseFailed(`no ${name}=`);
        return parseCount(v, name);
      };
      return {
        db: line.slice(0, colon),
        keys: need('keys'),
        expires: kv.has('expires') ? need('expires') : 0,
        avgTtlMs: avgTtl(kv.get('avg_ttl')),
      };
    },
  );
}

/** -1 (newer servers) and 0 (older ones) both mean "no keys with a TTL sampled". */
export function avgTtl(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = parseNum(text, 'avg_ttl');
  return n === null || n <= 0 ? null : n;
}

export interface RedisReplica {
  /** "ip:port", the series label. */
  replica: string;
  ip: string;
  port: number | null;
  state: string | null;
  offset: number | null;
  lag: number | null;
}

/** Replica lines of INFO replication on a master: slaveN (replicaN in some forks). */
export function replicasOf(info: RedisInfo): Parsed<RedisReplica> {
  const section = info.sections.get('replication') ?? new Map<string, string>();
  const entries = [...section].filter(([k]) => /^(slave|replica)\d+$/.test(k));
  return parseLines(
    entries.map(([, v]) => v),
    'replication',
    (value) => {
      const kv = parseKvList(value);
      const ip = kv.get('ip');
      if (ip === undefined) throw new ParseFailed('no ip=');
      const port = kv.has('port') ? parseCount(kv.get('port') ?? '', 'port') : null;
      const num = (name: string): number | null =>
        kv.has(name) ? parseNum(kv.get(name) ?? '', name) : null;
      return {
        replica: port === null ? ip : `${ip}:${port}`,
        ip,
        port,
        state: kv.get('state') ?? null,
        offset: num('offset'),
        lag: num('lag'),
      };
    },
  );
}
