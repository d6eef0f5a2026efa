// What collectors and features need from a target, independent of how it is reached.

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the command was killed by a signal or timed out. */
  code: number | null;
  durationMs: number;
}

export interface RunOptions {
  timeoutMs?: number;
}

/** Runs a POSIX sh command line on a host (locally or over SSH), with LC_ALL=C. */
export interface CommandRunner {
  readonly targetName: string;
  run(command: string, opts?: RunOptions): Promise<CommandResult>;
  close(): Promise<void>;
}

export interface QueryResult<R> {
  rows: R[];
}

/** A PostgreSQL session: every query bound, with statement_timeout set. */
export interface SqlClient {
  readonly targetName: string;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  close(): Promise<void>;
}

/** The Redis commands collectors need. */
export interface RedisClientLike {
  readonly targetName: string;
  info(): Promise<string>;
  /** Round trip of one PING, ms. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

/** Options of exec(): long or streaming work apart from the kept shell. */
export interface ExecOptions {
  timeoutMs?: number;
  /** Aborting stops the command and what it started; the result then has code null. */
  signal?: AbortSignal;
  onData?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Keep stdout/stderr in the result (default true); false when onData consumes them. */
  collect?: boolean;
}

/** A host that also runs long or streaming work (tail -F, pg_dump, apt) on its own channel. */
export interface ExecRunner extends CommandRunner {
  exec(command: string, opts?: ExecOptions): Promise<CommandResult>;
}
