// Shared pieces of the test harness: free ports, temp folders, waiting with a deadline,
// and a cleanup registry that kills what the harness started even when a test fails or
// the process is interrupted.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1: bind port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `check` until it returns a value; fails after timeoutMs, naming `what`.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
  diagnostics: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastErr = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      const extra = diagnostics();
      throw new Error(
        `harness: ${what} not ready after ${timeoutMs} ms` +
          (lastErr ? ` (last error: ${lastErr})` : '') +
          (extra ? `\n${extra}` : ''),
      );
    }
    await sleep(100);
  }
}

/** Reads the first bytes a TCP server sends (e.g. the SSH banner), or null. */
export function readBanner(port: number, timeoutMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const done = (v: string | null): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.once('data', (b) => done(b.toString('latin1')));
    sock.once('error', () => done(null));
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
const exitHooks = new Set<() => void>();
let hooked = false;

function cleanupAllSync(): void {
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      // best effort at exit
    }
  }
  for (const child of children) killTree(child, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  children.clear();
  dirs.clear();
}

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupAllSync();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** A temp folder removed at stop or at exit. */
export function tempDir(prefix: string): string {
  installHooks();
  const dir = mkdtempSync(join(tmpdir(), `opsdeck-${prefix}-`));
  dirs.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  dirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A synchronous hook run at exit (e.g. a `pg_ctl stop` the process group kill cannot do).
 */
export function onExit(hook: () => void): () => void {
  installHooks();
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

/** Spawns a server process in its own process group, registered for cleanup. */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  installHooks();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Keep the pipes drained so a chatty server never blocks on a full pipe.
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', () => {});
  return child;
}

/**
 * Every process below `pid`, from /proc. Needed because daemons such as sshd put each
 * connection in a new session (setsid), out of reach of a process group signal.
 */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function signalPids(pids: number[], signal: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const below = descendants(child.pid);
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
  signalPids(below, signal);
}

/**
 * Signals the process and everything below it (or only the process, when `leaderOnly`:
 * e.g. the postmaster, which shuts its children down itself), waits for the exit, and
 * escalates to SIGKILL of the whole tree after graceMs.
 */
export async function stopTracked(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
  leaderOnly = false,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (leaderOnly) child.kill(signal);
  else killTree(child, signal);
  const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/** Runs a command to completion; rejects with its output when it fails. */
export function runTool(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = opts.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(cmd, args, { stdio: [stdin, 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`harness: cannot run ${cmd}: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(out);
      reject(
        new Error(`harness: ${cmd} ${args.join(' ')} failed (${signal ?? code}):\n${err || out}`),
      );
    });
    child.stdin?.on('error', () => {});
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** The first of the paths that exists, or null: for "is this binary installed?". */
export function findBinary(...paths: string[]): string | null {
  return paths.find((p) => existsSync(p)) ?? null;
}

/** waitFor for tests: polls `fn` until it returns a value, for at most `ms`. */
export function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 60_000,
): Promise<T> {
  return waitFor(what, fn, ms);
}
