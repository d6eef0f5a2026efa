// The workstation itself as a target: one long-lived `sh` child with the same framing as
// a remote host's kept shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { CommandTimeout, TargetUnreachable } from '../errors';
import { createLogger } from '../log';
import { FramedShell, type ShellPipes } from './framing';
import type { CommandResult, ExecOptions, ExecRunner, RunOptions } from './types';

export interface LocalRunnerOptions {
  /** Name used in errors and logs; "local" by default. */
  targetName?: string;
  /** The shell binary; /bin/sh by default. */
  shell?: string;
  /** Per-command timeout when run() is given none; 30 s by default. */
  defaultTimeoutMs?: number;
  maxOutputBytes?: number;
}

export class LocalRunner implements ExecRunner {
  readonly targetName: string;
  private readonly shell: FramedShell;

  constructor(opts: LocalRunnerOptions = {}) {
    this.targetName = opts.targetName ?? 'local';
    const log = createLogger('targets.local', { target: this.targetName });
    const binary = opts.shell ?? '/bin/sh';
    this.shell = new FramedShell({
      targetName: this.targetName,
      open: () => spawnShell(binary, this.targetName),
      log,
      defaultTimeoutMs: opts.defaultTimeoutMs ?? 30_000,
      maxOutputBytes: opts.maxOutputBytes,
    });
  }

  run(command: string, opts?: RunOptions): Promise<CommandResult> {
    return this.shell.run(command, opts);
  }

  /** Runs a command as its own `sh -c` process group, for long or streaming work. */
  exec(command: string, opts: ExecOptions = {}): Promise<CommandResult> {
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      detached: true,
    });
    return collectChild(child, opts, this.targetName);
  }

  close(): Promise<void> {
    return this.shell.close();
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function collectChild(
  child: ChildProcess,
  opts: ExecOptions,
  targetName: string,
): Promise<CommandResult> {
  const started = performance.now();
  const keep = opts.collect !== false;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  return new Promise((resolve, reject) => {
    let failure: Error | null = null;
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      killGroup(child, 'SIGTERM');
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          failure = new CommandTimeout(
            `A command on ${targetName} did not finish within ${opts.timeoutMs} ms and was ` +
              'killed. Raise the timeout if it needs longer.',
          );
          killGroup(child, 'SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout?.on('data', (b: Buffer) => {
      if (keep) out.push(b);
      opts.onData?.(b, 'stdout');
    });
    child.stderr?.on('data', (b: Buffer) => {
      if (keep) err.push(b);
      opts.onData?.(b, 'stderr');
    });
    child.once('error', (e) => {
      failure = new TargetUnreachable(`Could not start a command on ${targetName}: ${e.message}`);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: aborted ? null : code,
        durationMs: performance.now() - started,
      });
    });
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Starts `sh` as the leader of its own process group, so that killing the group on a
 * timeout also ends whatever the stuck command started.
 */
function spawnShell(binary: string, targetName: string): Promise<ShellPipes> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      detached: true,
    });
    let closed = false;
    const closeHandlers: ((why: string) => void)[] = [];
    const kill = (): void => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    child.once('error', (err) => {
      if (!closed) {
        closed = true;
        reject(
          new TargetUnreachable(`Could not start ${binary} for ${targetName}: ${err.message}`),
        );
        closeHandlers.forEach((cb) => cb(err.message));
      }
    });
    child.once('close', (code, signal) => {
      if (closed) return;
      closed = true;
      closeHandlers.forEach((cb) => cb(signal ? `killed by ${signal}` : `exited with ${code}`));
    });
    child.once('spawn', () =>
      resolve({
        stdin: child.stdin,
        stdout: child.stdout,
        stderr: child.stderr,
        destroy: kill,
        onClose: (cb) => closeHandlers.push(cb),
      }),
    );
  });
}
