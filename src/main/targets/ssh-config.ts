// Import of ~/.ssh/config: one candidate target per concrete Host alias, with HostName,
// Port, User, IdentityFile and ProxyJump resolved as OpenSSH would. The `ssh-config`
// package parses and computes; Include is expanded here, before parsing, because the
// package does not follow it. `Match exec` is never evaluated: importing a file must not
// run commands.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import { LineType, parse } from 'ssh-config';
import type { SshConfigCandidate } from '../../shared/types';
import { ValidationError } from '../errors';
import { expandHome } from '../paths';

export interface SshConfigImportOptions {
  /** The home folder for ~ and relative Include paths; os.homedir() by default. */
  home?: string;
  /** The default User; the current OS user by default. */
  localUser?: string;
}

const MAX_CONFIG_CHARS = 2 * 2 ** 20;
const MAX_ALIASES = 1000;

/** OpenSSH stops nesting Includes at 16 levels. */
const MAX_INCLUDE_DEPTH = 16;
const INCLUDE_LINE = /^\s*include(?:\s*=\s*|\s+)(.*)$/i;
const SECTION_LINE = /^\s*(host|match)(?:\s*=\s*|\s+)/i;

/** Words of a directive value, honouring double quotes. */
export function splitArgs(value: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) out.push(m[1] ?? m[2]);
  return out;
}

function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (const ch of segment) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    // [ and ] pass through: a bracket class means the same in a glob and a RegExp.
    else re += /[.+^${}()|\\]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${re}$`);
}

/** Paths matching a glob with * ? [..] in any segment, sorted as glob(3) sorts them. */
export function globPaths(pattern: string): string[] {
  const parts = pattern.split(sep).filter((p, i) => p !== '' || i === 0);
  let found = [parts[0] === '' ? sep : parts[0]];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const base of found) {
      if (!hasWildcard(part)) {
        const p = join(base, part);
        if (existsSync(p)) next.push(p);
        continue;
      }
      let names: string[] = [];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      const re = segmentRegex(part);
      // Like glob(3), a leading dot is only matched by a pattern that starts with one.
      for (const n of names)
        if (re.test(n) && (!n.startsWith('.') || part.startsWith('.'))) next.push(join(base, n));
    }
    found = next;
  }
  return found.sort();
}

/**
 * The text of a config file with every Include replaced by the included files' text.
 * After an included file that opened sections of its own, the section that held the
 * Include is reopened, so the lines after it keep applying to the same hosts.
 */
export function expandIncludes(
  path: string,
  home: string,
  depth = 0,
  seen = new Set<string>(),
): string {
  if (depth > MAX_INCLUDE_DEPTH) {
    throw new ValidationError(`Include nests deeper than ${MAX_INCLUDE_DEPTH} levels at ${path}.`);
  }
  if (seen.has(path)) return '';
  const text = readFileSync(path, 'utf8');
  const inner = new Set(seen).add(path);
  let section = 'Host *';
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (SECTION_LINE.test(line)) section = line.trim();
    const m = INCLUDE_LINE.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    let opened = false;
    for (const arg of splitArgs(m[1])) {
      const expanded = expandHome(arg, home);
      const full = isAbsolute(expanded) ? expanded : join(home, '.ssh', expanded);
      for (const file of hasWildcard(full) ? globPaths(full) : existsSync(full) ? [full] : []) {
        const included = expandIncludes(file, home, depth + 1, inner);
        if (included.split(/\r?\n/).some((l) => SECTION_LINE.test(l))) opened = true;
        out.push(included);
      }
    }
    if (opened) out.push(section);
  }
  return out.join('\n');
}

type Computed = Record<string, string | string[]>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** OpenSSH's %-tokens that make sense without a connection: %% %d %h %u %r. */
function expandTokens(
  s: string,
  t: { home: string; host: string; localUser: string; user: string },
): string {
  return s.replace(/%([%dhur])/g, (_, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'd':
        return t.home;
      case 'h':
        return t.host;
      case 'u':
        return t.localUser;
      default:
        return t.user;
    }
  });
}

function portOf(v: string | undefined): number | null {
  if (v === undefined) return 22;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : null;
}

function saneHost(h: string): boolean {
  return h.length > 0 && !h.startsWith('-') && !/[\s\u0000-\u001f\u007f]/.test(h);
}

interface Resolved {
  host: string;
  port: number;
  user: string;
}

type Resolver = (alias: string) => Computed;

function resolveHop(hop: string, resolve: Resolver, localUser: string): string | null {
  const m = /^(?:ssh:\/\/)?(?:([^@\s]+)@)?(\[[^\]]+\]|[^@\s:]+)(?::(\d{1,5}))?$/.exec(hop.trim());
  if (!m) return null;
  const alias = m[2].replace(/^\[|\]$/g, '');
  const c = resolve(alias);
  const host = expandTokens(first(c.hostname) ?? alias, {
    home: '',
    host: alias,
    localUser,
    user: '',
  });
  const port = portOf(m[3] ?? first(c.port));
  const user = m[1] ?? first(c.user) ?? localUser;
  if (port === null || !saneHost(host)) return null;
  return `${user}@${host}:${port}`;
}

function candidateFor(
  alias: string,
  resolve: Resolver,
  home: string,
  localUser: string,
): SshConfigCandidate | null {
  const c = resolve(alias);
  const user = first(c.user) ?? localUser;
  const tokens = { home, host: alias, localUser, user };
  const r: Resolved = {
    host: expandTokens(first(c.hostname) ?? alias, tokens),
    port: portOf(first(c.port)) ?? -1,
    user,
  };
  if (r.port < 0 || !saneHost(r.host) || r.user.startsWith('-')) return null;
  const candidate: SshConfigCandidate = { alias, host: r.host, port: r.port, user: r.user };
  const identity = first(c.identityfile);
  if (identity && identity.toLowerCase() !== 'none') {
    const p = expandHome(expandTokens(identity, { ...tokens, host: r.host }), home);
    candidate.keyPath = isAbsolute(p) ? p : join(home, p);
  }
  const jump = first(c.proxyjump);
  if (jump && jump.toLowerCase() !== 'none') {
    const hops = jump.split(',').map((h) => resolveHop(h, resolve, localUser));
    if (hops.some((h) => h === null)) return null;
    candidate.proxyJump = hops as string[];
  }
  return candidate;
}

function hostPatterns(value: unknown): string[] {
  if (typeof value === 'string') return splitArgs(value);
  if (Array.isArray(value)) return value.map((v: { val: string }) => v.val);
  return [];
}

/** Candidates from config text already expanded (pure: no file access). */
export function candidatesFromText(
  text: string,
  opts: Required<SshConfigImportOptions>,
): SshConfigCandidate[] {
  if (text.length > MAX_CONFIG_CHARS) {
    throw new ValidationError(
      `This ssh config is over ${MAX_CONFIG_CHARS / 2 ** 20} MiB with its Includes: too large ` +
        'to import. Import a smaller file that lists the hosts you want.',
    );
  }
  const config = parse(text);
  const resolve: Resolver = (alias) =>
    config.compute(alias, { ignoreCase: true, matchExec: false });
  const aliases = new Set<string>();
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    for (const p of hostPatterns(line.value)) {
      // Wildcards and negations describe defaults for many hosts, not a host to add.
      if (!hasWildcard(p) && !p.startsWith('!')) aliases.add(p);
    }
  }
  // Resolving one alias walks every section (first match wins), so the work grows with the
  // square of the host count; a bound keeps the import from stalling the app.
  if (aliases.size > MAX_ALIASES) {
    throw new ValidationError(
      `This ssh config names ${aliases.size} hosts; Opsdeck imports at most ${MAX_ALIASES} at ` +
        'once. Split it into smaller files and import them one by one.',
    );
  }
  return [...aliases]
    .map((a) => candidateFor(a, resolve, opts.home, opts.localUser))
    .filter((c): c is SshConfigCandidate => c !== null);
}

/** Reads an ssh config file (and its Includes) into candidate targets. */
export function importSshConfig(
  path?: string,
  opts: SshConfigImportOptions = {},
): SshConfigCandidate[] {
  const home = opts.home ?? homedir();
  const file = path ?? join(home, '.ssh', 'config');
  if (!existsSync(file)) return [];
  const localUser = opts.localUser ?? userInfo().username;
  const text = expandIncludes(file, home);
  return candidatesFromText(text, { home, localUser });
}
