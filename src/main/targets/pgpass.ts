// ~/.pgpass (or $PGPASSFILE), read by Opsdeck itself: pg's own reading is deprecated and
// leaves pg@9. Format per the PostgreSQL manual:
// hostname:port:database:username:password, `*` matches anything, `\:` and `\\` escape,
// first matching line wins, and like libpq the file is ignored when group or others can
// read it.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

export interface PgpassQuery {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Splits one line on unescaped colons, removing the escapes. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (ch === ':' && out.length < 4) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

/** Pure: the entries of a pgpass text, comments and malformed lines skipped. */
export function parsePgpass(text: string): PgpassEntry[] {
  const entries: PgpassEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const f = fields(raw);
    if (f.length !== 5) continue;
    entries.push({ host: f[0], port: f[1], database: f[2], user: f[3], password: f[4] });
  }
  return entries;
}

function fieldMatches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value;
}

/** Pure: the password of the first matching entry. */
export function matchPgpass(entries: PgpassEntry[], q: PgpassQuery): string | undefined {
  const hit = entries.find(
    (e) =>
      fieldMatches(e.host, q.host) &&
      fieldMatches(e.port, String(q.port)) &&
      fieldMatches(e.database, q.database) &&
      fieldMatches(e.user, q.user),
  );
  return hit?.password;
}

export function pgpassPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGPASSFILE || join(homedir(), '.pgpass');
}

export type PgpassResult =
  | { kind: 'found'; password: string; path: string }
  | { kind: 'none'; path: string }
  | { kind: 'insecure'; path: string; mode: number };

/** Looks the password up in the pgpass file; a file others can read is not used. */
export function lookupPgpass(q: PgpassQuery, path = pgpassPath()): PgpassResult {
  let text: string;
  try {
    const st = statSync(path);
    if ((st.mode & 0o077) !== 0) return { kind: 'insecure', path, mode: st.mode & 0o777 };
    text = readFileSync(path, 'utf8');
  } catch {
    return { kind: 'none', path };
  }
  const password = matchPgpass(parsePgpass(text), q);
  return password === undefined ? { kind: 'none', path } : { kind: 'found', password, path };
}
