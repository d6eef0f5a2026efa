// The workstation itself as a target: one long-lived `sh` child with the same framing as
// a remote host's kept shell.
import { spawn } from 'node:child_process';
import { TargetUnreachable } from '../errors';
import { createLogger } from '../log';
import { FramedShell, type ShellPipes } from './framing';
import type { CommandResult, CommandRunner, RunOptions } from './types';

export interface LocalRunnerOptions {
  /** Name used in errors and logs; "local" by default. */
  targetName?: string;
  /** The shell binary; /bin/sh by default. */
  shell?: string;
  /** Per-command timeout when run() is given none; 30 s by default. */
  defaultTimeoutMs?: number;
  maxOutputBytes?: number;
}

export class LocalRunner implements CommandRunner {
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

  close(): Promise<void> {
    return this.shell.close();
  }
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
