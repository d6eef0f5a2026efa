// Where Opsdeck keeps its files, and which better-sqlite3 build the current runtime loads.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAcceptHostKeyArgs } from './targets/known-hosts';

/** Browser mode's default data folder: $XDG_DATA_HOME/opsdeck, else ~/.local/share/opsdeck. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')
      ? env.XDG_DATA_HOME
      : join(homedir(), '.local', 'share');
  return join(base, 'opsdeck');
}

/** "~" and "~/x" against the home folder; anything else unchanged. */
export function expandHome(p: string, home: string = homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}

export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The native build for this runtime, or undefined to let better-sqlite3 find its own. */
export function sqliteBinding(appRoot: string): string | undefined {
  const runtime = process.versions.electron ? 'electron' : 'node';
  const file = resolve(appRoot, 'native', runtime, 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

export interface CliOptions {
  dataDir?: string;
  port?: number;
  acceptHostKeys: string[];
  open?: boolean;
  /** Browser mode: make a new access token instead of reusing the stored one. */
  newToken?: boolean;
}

/**
 * Parses --data-dir DIR, --port N, --accept-host-key FP (repeatable), --new-token. Unknown flags are
 * refused, except in lenient mode (Electron, whose argv also carries Chromium's switches).
 */
export function parseCli(argv: string[], lenient = false): CliOptions {
  const out: CliOptions = { acceptHostKeys: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--data-dir') out.dataDir = resolve(value());
    else if (flag === '--port') out.port = parsePort(value());
    else if (flag === '--new-token' && inline === undefined) out.newToken = true;
    else if (flag === '--accept-host-key') {
      out.acceptHostKeys.push(...parseAcceptHostKeyArgs([flag, value()]));
    } else if (flag.startsWith('--') && !lenient) {
      throw new Error(
        `Unknown option ${flag}. Options: --data-dir DIR, --port N, ` +
          '--accept-host-key SHA256:..., --new-token',
      );
    }
  }
  return out;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 0 || n > 65535) throw new Error(`--port wants 0-65535, got ${v}`);
  return n;
}

/**
 * Browser mode's access token, kept in the data folder (0600) so that a restart on the same
 * port leaves open tabs working; `rotate` makes a new one, which locks out every tab and
 * link that had the old one.
 */
export function browserToken(dataDir: string, rotate: boolean): string {
  const file = join(dataDir, 'browser-token');
  if (!rotate && existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{32,}$/.test(kept)) return kept;
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
