// Where a backup file lives and the PostgreSQL client tools run: the workstation (spawned
// without a shell, argv as given) or the database's SSH host (one exec channel per command,
// every word quoted). Both answer the same few questions about files.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { BackupMode } from '../../shared/care';
import { ParseFailed } from '../errors';
import type { SshHost } from '../targets/ssh';
import { shCommand, shQuote } from '../targets/quote';
import type { CommandResult } from '../targets/types';
import type { ToolCandidate } from './backup-pure';

export interface ToolRun {
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Place {
  readonly mode: BackupMode;
  readonly name: string;
  run(argv: string[], opts?: ToolRun): Promise<CommandResult>;
  /** pg_dump (or pg_restore) programs found, with their --version text. */
  tools(program: 'pg_dump' | 'pg_restore'): Promise<ToolCandidate[]>;
  mkdir(folder: string): Promise<void>;
  size(path: string): Promise<number>;
  sha256(path: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** A file for a pgpass line, readable only by its owner; removed by the caller. */
  writePrivate(path: string, content: string): Promise<void>;
}

const TOOL_DIRS = ['/usr/lib/postgresql', '/usr/pgsql-'];

export class LocalPlace implements Place {
  readonly mode = 'local' as const;
  readonly name = 'this workstation';

  run(argv: string[], opts: ToolRun = {}): Promise<CommandResult> {
    const started = performance.now();
    return new Promise((resolve) => {
      const child = spawn(argv[0], argv.slice(1), {
        env: { ...process.env, LC_ALL: 'C', ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        signal: opts.signal,
        timeout: opts.timeoutMs,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      const done = (code: number | null, extra = ''): void =>
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8') + extra,
          code,
          durationMs: performance.now() - started,
        });
      child.on('error', (e) => done(null, e.message));
      child.on('close', (code) => done(code));
    });
  }

  async tools(program: 'pg_dump' | 'pg_restore'): Promise<ToolCandidate[]> {
    const paths = new Set<string>();
    const root = TOOL_DIRS[0];
    if (existsSync(root)) {
      for (const v of readdirSync(root)) {
        const p = join(root, v, 'bin', program);
        if (existsSync(p)) paths.add(p);
      }
    }
    for (const dir of (process.env.PATH ?? '').split(':')) {
      if (dir && existsSync(join(dir, program))) paths.add(join(dir, program));
    }
    const out: ToolCandidate[] = [];
    for (const path of paths) {
      const r = await this.run([path, '--version'], { timeoutMs: 10_000 });
      if (r.code === 0) out.push({ path, versionText: r.stdout.trim() });
    }
    return out;
  }

  async mkdir(folder: string): Promise<void> {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  }

  async size(path: string): Promise<number> {
    return statSync(path).size;
  }

  sha256(path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const h = createHash('sha256');
      createReadStream(path)
        .on('data', (b) => h.update(b))
        .on('error', reject)
        .on('end', () => resolve(h.digest('hex')));
    });
  }

  async rename(from: string, to: string): Promise<void> {
    renameSync(from, to);
  }

  async remove(path: string): Promise<void> {
    rmSync(path, { force: true });
  }

  async writePrivate(path: string, content: string): Promise<void> {
    writeFileSync(path, content, { mode: 0o600 });
  }
}

export class HostPlace implements Place {
  readonly mode = 'host' as const;

  constructor(private readonly ssh: SshHost) {}

  get name(): string {
    return this.ssh.targetName;
  }

  async run(argv: string[], opts: ToolRun = {}): Promise<CommandResult> {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shQuote(v)}`);
    const line = [...env, shCommand(argv)].join(' ');
    const r = await this.ssh.exec(line, { timeoutMs: opts.timeoutMs, signal: opts.signal });
    // exec writes the process group id as the first stderr line.
    return { ...r, stderr: r.stderr.replace(/^\d+\n/, '') };
  }

  async tools(program: 'pg_dump' | 'pg_restore'): Promise<ToolCandidate[]> {
    const find =
      `for p in /usr/lib/postgresql/*/bin/${program} /usr/pgsql-*/bin/${program} ` +
      `$(command -v ${program} 2>/dev/null); do [ -x "$p" ] && printf '%s\\t%s\\n' "$p" "$("$p" --version 2>/dev/null)"; done; true`;
    const r = await this.ssh.run(find, { timeoutMs: 15_000 });
    const seen = new Set<string>();
    const out: ToolCandidate[] = [];
    for (const line of r.stdout.split('\n')) {
      const [path, versionText] = line.split('\t');
      if (!path || !versionText || seen.has(path)) continue;
      seen.add(path);
      out.push({ path, versionText });
    }
    return out;
  }

  async mkdir(folder: string): Promise<void> {
    await this.must(`mkdir -p -m 700 -- ${shQuote(folder)}`, 'create the backup folder');
  }

  async size(path: string): Promise<number> {
    const r = await this.must(`stat -c %s -- ${shQuote(path)}`, 'read the file size');
    const n = Number(r.trim());
    if (!Number.isInteger(n)) throw new ParseFailed(`stat printed ${JSON.stringify(r)}`);
    return n;
  }

  async sha256(path: string): Promise<string> {
    const r = await this.must(`sha256sum -- ${shQuote(path)}`, 'compute the SHA-256', 3_600_000);
    const m = /^([0-9a-f]{64})\s/.exec(r);
    if (!m) throw new ParseFailed(`sha256sum printed ${JSON.stringify(r.slice(0, 200))}`);
    return m[1];
  }

  async rename(from: string, to: string): Promise<void> {
    await this.must(`mv -f -- ${shQuote(from)} ${shQuote(to)}`, 'rename the file');
  }

  async remove(path: string): Promise<void> {
    await this.must(`rm -f -- ${shQuote(path)}`, 'remove the file');
  }

  async writePrivate(path: string, content: string): Promise<void> {
    // The line passes through the remote shell's command line for the few milliseconds
    // printf runs; sshd has no other way to hand a value to a command without a tty.
    await this.must(
      `umask 077 && printf '%s\\n' ${shQuote(content)} > ${shQuote(path)}`,
      'write the password file',
    );
  }

  private async must(cmd: string, what: string, timeoutMs = 60_000): Promise<string> {
    const r = await this.ssh.exec(cmd, { timeoutMs });
    if (r.code !== 0) {
      const err = r.stderr.replace(/^\d+\n/, '').trim();
      throw new Error(`Could not ${what} on ${this.ssh.targetName}: ${err || `exit ${r.code}`}`);
    }
    return r.stdout;
  }
}
