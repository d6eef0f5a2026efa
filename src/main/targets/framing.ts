// The framing protocol of a kept `sh` session, shared by the local shell and the SSH one.
//
// Each command is one line of script. It prints a random start marker on stdout and on
// stderr, runs the command in a subshell through `eval` of one quoted word (so a syntax
// error, `exit` or `cd` in the command cannot break or alter the kept shell) with stdin
// from /dev/null (so it cannot eat the script that follows), then prints an end marker
// with the exit status on stdout and an end marker on stderr. stdout and stderr stay
// apart: the session's two streams are cut independently, each between its own markers.
//
// The marker is printed from two printf arguments, so its full text never appears in the
// script itself (xtrace or an echo of the command line cannot forge it).
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { CommandTimeout, OutputTooLarge, TargetUnreachable, errorMessage } from '../errors';
import type { Logger } from '../log';
import { shQuote } from './quote';
import type { CommandResult, RunOptions } from './types';

const MARK_PREFIX = 'OPSDECK_';
const EXIT_VAR = '__opsdeck_rc';

/**
 * Script written once when a session opens: the C locale for every command that follows.
 */
export const SESSION_PROLOGUE = 'LC_ALL=C; export LC_ALL; unset HISTFILE\n';

export interface Frame {
  id: string;
  script: string;
  stdoutStart: Buffer;
  stdoutEnd: Buffer;
  stderrStart: Buffer;
  stderrEnd: Buffer;
}

export function newFrameId(): string {
  return randomBytes(12).toString('hex');
}

/** The script line for one command. Pure: the id is passed in. */
export function frameCommand(command: string, id: string): Frame {
  const p = MARK_PREFIX;
  const script =
    `printf '%s%s:S\\n' ${p} ${id}; printf '%s%s:S\\n' ${p} ${id} >&2; ` +
    `( eval ${shQuote(command)} ) </dev/null; ${EXIT_VAR}=$?; ` +
    `printf '\\n%s%s:E %s\\n' ${p} ${id} "$${EXIT_VAR}"; printf '\\n%s%s:E\\n' ${p} ${id} >&2\n`;
  const mark = `${p}${id}`;
  return {
    id,
    script,
    stdoutStart: Buffer.from(`${mark}:S\n`),
    stdoutEnd: Buffer.from(`\n${mark}:E `),
    stderrStart: Buffer.from(`${mark}:S\n`),
    stderrEnd: Buffer.from(`\n${mark}:E\n`),
  };
}

type CutState = 'seek-start' | 'body' | 'trailer' | 'done';

/**
 * Cuts one stream between a start marker and an end marker, across chunk boundaries.
 * Bytes before the start marker (leftovers of a background job, a login banner) are
 * dropped. For stdout the end marker is followed by the exit status and a newline.
 */
export class StreamCut {
  private state: CutState = 'seek-start';
  private pending: Buffer = Buffer.alloc(0);
  private body: Buffer[] = [];
  private bodyBytes = 0;
  private trailer = '';
  /** Bytes dropped before the start marker, for the log. */
  dropped = 0;

  constructor(
    private readonly start: Buffer,
    private readonly end: Buffer,
    private readonly withStatus: boolean,
    private readonly maxBytes: number,
  ) {}

  get done(): boolean {
    return this.state === 'done';
  }

  get size(): number {
    return this.bodyBytes + this.pending.length;
  }

  /** Feeds a chunk; returns false when the body outgrew maxBytes. */
  push(chunk: Buffer): boolean {
    if (this.state === 'done') return true;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    if (this.state === 'seek-start') this.seekStart();
    if (this.state === 'body') this.seekEnd();
    if (this.state === 'trailer') this.readTrailer();
    return this.size <= this.maxBytes;
  }

  text(): string {
    return Buffer.concat(this.body).toString('utf8');
  }

  status(): number | null {
    const n = Number.parseInt(this.trailer, 10);
    return /^\d+$/.test(this.trailer) && Number.isFinite(n) ? n : null;
  }

  private seekStart(): void {
    const at = this.pending.indexOf(this.start);
    if (at < 0) {
      const keep = Math.min(this.pending.length, this.start.length - 1);
      this.dropped += this.pending.length - keep;
      this.pending = this.pending.subarray(this.pending.length - keep);
      return;
    }
    this.dropped += at;
    this.pending = this.pending.subarray(at + this.start.length);
    this.state = 'body';
  }

  private seekEnd(): void {
    const at = this.pending.indexOf(this.end);
    if (at < 0) {
      // Keep a tail that might be the beginning of the end marker; the rest is body.
      const keep = Math.min(this.pending.length, this.end.length - 1);
      this.takeBody(this.pending.subarray(0, this.pending.length - keep));
      this.pending = Buffer.from(this.pending.subarray(this.pending.length - keep));
      return;
    }
    this.takeBody(this.pending.subarray(0, at));
    this.pending = this.pending.subarray(at + this.end.length);
    this.state = this.withStatus ? 'trailer' : 'done';
  }

  private readTrailer(): void {
    const nl = this.pending.indexOf(0x0a);
    if (nl < 0) {
      if (this.pending.length > 16) this.state = 'done';
      return;
    }
    this.trailer = this.pending.subarray(0, nl).toString('latin1');
    this.pending = this.pending.subarray(nl + 1);
    this.state = 'done';
  }

  private takeBody(part: Buffer): void {
    if (part.length === 0) return;
    this.body.push(Buffer.from(part));
    this.bodyBytes += part.length;
  }
}

/** The three pipes of a running `sh`, carried by a child process or an SSH channel. */
export interface ShellPipes {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Ends the session for good: kill the child, close the channel. */
  destroy(): void;
  /** Called once when the session ends on its own or after destroy(). */
  onClose(cb: (why: string) => void): void;
}

export type OpenShell = () => Promise<ShellPipes>;

export interface FramedShellOptions {
  /** user@host:port or "local": named in every error. */
  targetName: string;
  open: OpenShell;
  log: Logger;
  defaultTimeoutMs: number;
  /** Largest stdout or stderr of one command before the session is reset. */
  maxOutputBytes?: number;
  /** A command slower than this is logged once at debug. */
  slowMs?: number;
}

interface Job {
  command: string;
  timeoutMs: number;
  resolve: (r: CommandResult) => void;
  reject: (e: Error) => void;
}

interface Session {
  pipes: ShellPipes;
  alive: boolean;
  onStdout: ((b: Buffer) => void) | null;
  onStderr: ((b: Buffer) => void) | null;
  onEnd: ((why: string) => void) | null;
}

const DEFAULT_MAX_OUTPUT = 32 * 1024 * 1024;

/**
 * A queue of commands run one at a time through one kept `sh`. A timed-out command
 * poisons the session (its output may still arrive and the shell may be stuck), so the
 * session is destroyed and the next command opens a fresh one.
 */
export class FramedShell {
  private readonly queue: Job[] = [];
  private session: Session | null = null;
  private busy = false;
  private closed = false;

  constructor(private readonly opts: FramedShellOptions) {}

  run(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    if (this.closed) {
      return Promise.reject(
        new TargetUnreachable(`The shell on ${this.opts.targetName} was closed.`),
      );
    }
    try {
      // Refuse now, before queueing, a value no shell word can carry.
      shQuote(command);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<CommandResult>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.opts.defaultTimeoutMs;
      this.queue.push({ command, timeoutMs, resolve, reject });
      void this.pump();
    });
  }

  /** Ends the session; queued commands are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const err = new TargetUnreachable(`The shell on ${this.opts.targetName} was closed.`);
    for (const job of this.queue.splice(0)) job.reject(err);
    this.reset('closed');
  }

  /** Destroys the current session (if any); the next command opens a new one. */
  reset(why: string): void {
    const s = this.session;
    this.session = null;
    if (s && s.alive) {
      s.alive = false;
      this.opts.log.debug('shell session reset', { why });
      s.pipes.destroy();
    }
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        await this.runJob(job);
      }
    } finally {
      this.busy = false;
    }
  }

  private async runJob(job: Job): Promise<void> {
    let session: Session;
    try {
      session = await this.ensureSession();
    } catch (err) {
      job.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    try {
      job.resolve(await this.exchange(session, job));
    } catch (err) {
      job.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private async ensureSession(): Promise<Session> {
    if (this.session?.alive) return this.session;
    const pipes = await this.opts.open();
    const session: Session = { pipes, alive: true, onStdout: null, onStderr: null, onEnd: null };
    pipes.stdout.on('data', (b: Buffer) => session.onStdout?.(b));
    pipes.stderr.on('data', (b: Buffer) => session.onStderr?.(b));
    // open() may have paused the streams while it read a first line of its own.
    pipes.stdout.resume();
    pipes.stderr.resume();
    // A write after the far end closed surfaces here; onClose reports the end itself.
    pipes.stdin.on('error', (e: Error) => this.opts.log.debug('shell stdin error', { err: e }));
    pipes.onClose((why) => {
      session.alive = false;
      if (this.session === session) this.session = null;
      session.onEnd?.(why);
    });
    if (this.closed) {
      pipes.destroy();
      throw new TargetUnreachable(`The shell on ${this.opts.targetName} was closed.`);
    }
    pipes.stdin.write(SESSION_PROLOGUE);
    this.session = session;
    return session;
  }

  private exchange(session: Session, job: Job): Promise<CommandResult> {
    const frame = frameCommand(job.command, newFrameId());
    const max = this.opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const out = new StreamCut(frame.stdoutStart, frame.stdoutEnd, true, max);
    const err = new StreamCut(frame.stderrStart, frame.stderrEnd, false, max);
    const started = performance.now();
    const target = this.opts.targetName;

    return new Promise<CommandResult>((resolve, reject) => {
      const finish = (e: Error | null): void => {
        clearTimeout(timer);
        session.onStdout = session.onStderr = session.onEnd = null;
        if (e) return reject(e);
        resolve(this.result(job, out, err, started));
      };
      const feed = (cut: StreamCut, chunk: Buffer): void => {
        if (!cut.push(chunk)) {
          this.reset('output too large');
          return finish(
            new OutputTooLarge(
              `A command on ${target} printed more than ${max} bytes; its shell was ` +
                'restarted. Narrow the command so it prints less.',
            ),
          );
        }
        if (out.done && err.done) finish(null);
      };
      const timer = setTimeout(() => {
        this.reset('timeout');
        finish(
          new CommandTimeout(
            `A command on ${target} did not finish within ${job.timeoutMs} ms; its shell ` +
              'was restarted. Check that the host is not overloaded, or raise the timeout.',
          ),
        );
      }, job.timeoutMs);
      session.onStdout = (b) => feed(out, b);
      session.onStderr = (b) => feed(err, b);
      session.onEnd = (why) =>
        finish(
          new TargetUnreachable(
            `The shell on ${target} ended while a command ran (${why}). ` +
              'It will be reopened for the next command; check the connection to the host.',
          ),
        );
      if (!session.alive) return session.onEnd('session already closed');
      try {
        session.pipes.stdin.write(frame.script);
      } catch (e) {
        this.reset('write failed');
        finish(
          new TargetUnreachable(`Could not write to the shell on ${target}: ${errorMessage(e)}`),
        );
      }
    });
  }

  private result(job: Job, out: StreamCut, err: StreamCut, started: number): CommandResult {
    const durationMs = performance.now() - started;
    const slow = this.opts.slowMs ?? 1000;
    if (durationMs > slow) {
      this.opts.log.debug('slow command', { durationMs: Math.round(durationMs), bytes: out.size });
    }
    if (out.dropped + err.dropped > 0) {
      this.opts.log.debug('dropped bytes before a frame', { bytes: out.dropped + err.dropped });
    }
    return { stdout: out.text(), stderr: err.text(), code: out.status(), durationMs };
  }
}
