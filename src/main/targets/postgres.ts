// A PostgreSQL target: one monitoring session, opened lazily and reopened lazily after a
// drop, with timeouts set at startup so no monitoring query can hang or hold locks.
// Reached directly or through an SSH host (a forwardOut channel per connection).
import { Client, type ClientConfig, type DatabaseError } from 'pg';
import type { PostgresTargetConfig } from '../../shared/types';
import {
  AuthFailed,
  CommandTimeout,
  ConnectTimeout,
  NotFound,
  OpsdeckError,
  QueryFailed,
  TargetUnreachable,
  ValidationError,
  errorMessage,
} from '../errors';
import { createLogger, type Logger } from '../log';
import { lookupPgpass, pgpassPath } from './pgpass';
import { checkHostName } from './quote';
import { TunnelSocket, type TunnelOpener } from './tunnel';
import type { QueryResult, SqlClient } from './types';

export type SslMode = PostgresTargetConfig['sslmode'];

export interface PgFields {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
}

export interface PgTargetOptions extends Partial<PgFields> {
  /** postgres:// or postgresql:// URI; the fields above override its parts. */
  uri?: string;
  /** The stored password; when absent, $PGPASSFILE or ~/.pgpass is looked up. */
  password?: string | null;
  targetName?: string;
  /** Reach the server through this SSH host; host/port are then as seen from it. */
  via?: TunnelOpener;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  /** The pgpass file; $PGPASSFILE or ~/.pgpass by default. */
  pgpassFile?: string;
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 15_000,
  lockTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 60_000,
};
const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-full'];

/** Pure: the parts of a postgres:// or postgresql:// URI. */
export function parsePgUri(uri: string): Partial<PgFields> & { password?: string } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ValidationError(
      'The PostgreSQL URI cannot be read. Write it as postgres://user@host:5432/database.',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ValidationError(
      `A PostgreSQL URI starts with postgres:// or postgresql://, not ${url.protocol}//.`,
    );
  }
  const out: Partial<PgFields> & { password?: string } = {};
  const host = decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '');
  if (host.includes(',')) {
    throw new ValidationError(
      'A PostgreSQL URI with several hosts is not supported: make one target per server.',
    );
  }
  if (host) out.host = host;
  if (url.port) out.port = Number(url.port);
  if (url.username) out.user = decodeURIComponent(url.username);
  if (url.password) out.password = decodeURIComponent(url.password);
  const db = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (db) out.database = db;
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null) {
    if (!SSL_MODES.includes(sslmode as SslMode)) {
      throw new ValidationError(
        `sslmode=${sslmode} is not supported; use one of ${SSL_MODES.join(', ')}.`,
      );
    }
    out.sslmode = sslmode as SslMode;
  }
  return out;
}

/** The fields of a target: URI parts, then explicit fields, then libpq's defaults. */
export function resolvePgFields(opts: PgTargetOptions): PgFields & { password: string | null } {
  const fromUri = opts.uri ? parsePgUri(opts.uri) : {};
  const user = opts.user ?? fromUri.user;
  if (!user) throw new ValidationError('A PostgreSQL target needs a user name.');
  const host = checkHostName(opts.host ?? fromUri.host ?? '', 'PostgreSQL host');
  const port = opts.port ?? fromUri.port ?? 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(`The PostgreSQL port must be 1-65535, not ${port}.`);
  }
  return {
    host,
    port,
    user,
    database: opts.database ?? fromUri.database ?? user,
    sslmode: opts.sslmode ?? fromUri.sslmode ?? 'prefer',
    password: opts.password ?? fromUri.password ?? null,
  };
}

function sslOption(mode: SslMode, host: string): ClientConfig['ssl'] {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      // libpq's "require": encrypted, the certificate not checked.
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, servername: host };
  }
}

export class PgTarget implements SqlClient {
  readonly targetName: string;
  private readonly fields: PgFields & { password: string | null };
  private readonly log: Logger;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** For sslmode=prefer: set once the server said it has no SSL. */
  private sslRefused = false;

  constructor(private readonly opts: PgTargetOptions) {
    this.fields = resolvePgFields(opts);
    const f = this.fields;
    this.targetName = opts.targetName ?? `${f.user}@${f.host}:${f.port}/${f.database}`;
    this.log = createLogger('targets.postgres', { target: this.targetName });
  }

  async connect(): Promise<void> {
    await this.ensureClient();
  }

  /** One statement, parameters bound ($1, $2 …), queued behind the previous ones. */
  query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const run = async (): Promise<QueryResult<R>> => {
      const client = await this.ensureClient();
      const started = performance.now();
      try {
        const res = await client.query(sql, params);
        this.logSlow(started);
        return { rows: res.rows as R[] };
      } catch (err) {
        throw this.queryError(err);
      }
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private logSlow(started: number): void {
    const ms = performance.now() - started;
    if (ms > 1000) this.log.debug('slow query', { durationMs: Math.round(ms) });
  }

  private ensureClient(): Promise<Client> {
    if (this.closed)
      return Promise.reject(new TargetUnreachable(`The session to ${this.targetName} was closed.`));
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      this.connecting = this.open().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async open(): Promise<Client> {
    const mode = this.fields.sslmode;
    try {
      return await this.openWith(mode === 'prefer' && this.sslRefused ? 'disable' : mode);
    } catch (err) {
      if (
        mode === 'prefer' &&
        !this.sslRefused &&
        /does not (support|offer) SSL/i.test(errorMessage(err))
      ) {
        this.sslRefused = true;
        return this.openWith('disable');
      }
      throw err;
    }
  }

  private async openWith(mode: SslMode): Promise<Client> {
    const f = this.fields;
    const timeoutMs = this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    const via = this.opts.via;
    const client = new Client({
      host: f.host,
      port: f.port,
      database: f.database,
      user: f.user,
      password: () => this.password(),
      ssl: sslOption(mode, f.host),
      connectionTimeoutMillis: timeoutMs,
      statement_timeout: this.opts.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
      lock_timeout: this.opts.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs,
      idle_in_transaction_session_timeout:
        this.opts.idleInTransactionTimeoutMs ?? DEFAULTS.idleInTransactionTimeoutMs,
      application_name: 'opsdeck',
      keepAlive: true,
      stream: via ? () => new TunnelSocket(via) : undefined,
    });
    let timedOut = false;
    const timer = setTimeout(() => (timedOut = true), timeoutMs);
    const markDead = (why: string): void => {
      if (this.client !== client) return;
      this.client = null;
      this.log.info('session lost; it reopens at the next query', { why });
      client.end().catch(() => undefined);
    };
    client.on('error', (err: Error) => markDead(err.message));
    client.on('end', () => markDead('ended'));
    try {
      await client.connect();
    } catch (err) {
      client.end().catch(() => undefined);
      throw this.connectError(err, timedOut);
    } finally {
      clearTimeout(timer);
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new TargetUnreachable(`The session to ${this.targetName} was closed.`);
    }
    this.client = client;
    this.log.info('session open', { ssl: mode !== 'disable' });
    return client;
  }

  /** Asked by pg only when the server wants a password. */
  private async password(): Promise<string> {
    const f = this.fields;
    if (f.password !== null) return f.password;
    const path = this.opts.pgpassFile ?? pgpassPath();
    const r = lookupPgpass(
      { host: f.host, port: f.port, database: f.database, user: f.user },
      path,
    );
    switch (r.kind) {
      case 'found':
        return r.password;
      case 'insecure':
        throw new AuthFailed(
          `PostgreSQL at ${this.targetName} asks for a password; ${path} is ignored because ` +
            `others can read it (mode ${r.mode.toString(8)}). Run "chmod 600 ` +
            `${path}", or store the password with the target.`,
        );
      case 'none':
        throw new AuthFailed(
          `PostgreSQL at ${this.targetName} asks for a password, and none is stored and ${path} ` +
            'has no matching line. Store the password with the target or add it to ' +
            'the pgpass file.',
        );
    }
  }

  private connectError(err: unknown, timedOut: boolean): OpsdeckError {
    if (err instanceof OpsdeckError) return err;
    const e = err as Partial<DatabaseError> & Error & { code?: string };
    const f = this.fields;
    const t = this.targetName;
    switch (e.code) {
      case '28P01':
        return new AuthFailed(
          `PostgreSQL at ${t} refused the password for user "${f.user}". Check the ` +
            'stored password or the pgpass line.',
        );
      case '28000':
        return new AuthFailed(
          `PostgreSQL at ${t} does not let user "${f.user}" in (${e.message}). Ask ` +
            'the DBA for a pg_hba.conf line for this user, database and address.',
        );
      case '3D000':
        return new NotFound(
          `The database "${f.database}" does not exist on ${t}. Check the database ` +
            'name of the target.',
        );
      case '53300':
        return new TargetUnreachable(
          `PostgreSQL at ${t} has no free connection slots (${e.message}). Try later ` +
            'or raise max_connections.',
        );
      case '57P03':
        return new TargetUnreachable(
          `PostgreSQL at ${t} is starting up or shutting down. Try again in a moment.`,
        );
      case 'ECONNREFUSED':
        return new TargetUnreachable(
          `The connection to PostgreSQL at ${t} was refused: nothing listens on ` +
            `${f.host}:${f.port}. Check the port, and listen_addresses on the server.`,
        );
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new TargetUnreachable(
          `The host name ${f.host} of ${t} cannot be resolved. Check its spelling and DNS.`,
        );
    }
    if (timedOut || /timeout/i.test(e.message)) {
      return new ConnectTimeout(
        `No answer from PostgreSQL at ${t} within ` +
          `${Math.round((this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs) / 1000)} s. ` +
          'Check the host and port, and that no firewall drops the traffic.',
      );
    }
    if (/does not support SSL/i.test(e.message)) {
      return new TargetUnreachable(
        `PostgreSQL at ${t} does not offer SSL, and the target requires it. Enable ` +
          'SSL on the server or lower sslmode.',
      );
    }
    return new TargetUnreachable(`Cannot open a session to PostgreSQL at ${t}: ${e.message}`);
  }

  private queryError(err: unknown): OpsdeckError {
    if (err instanceof OpsdeckError) return err;
    const e = err as Partial<DatabaseError> & Error;
    const t = this.targetName;
    if (e.code === '57014') {
      return new CommandTimeout(
        `A query on ${t} was canceled by statement_timeout ` +
          `(${this.opts.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs} ms). ` +
          'The server may be overloaded; the query was stopped on the server.',
      );
    }
    if (e.code === '55P03') {
      return new CommandTimeout(
        `A query on ${t} waited for a lock longer than lock_timeout and was stopped.`,
      );
    }
    if (!e.code || /^(57P0[1-3]|08)/.test(e.code)) {
      this.client = null;
      return new TargetUnreachable(
        `The session to ${t} was lost during a query (${e.message}); it reopens at the next query.`,
      );
    }
    return new QueryFailed(`A query on ${t} failed: ${e.message} (SQLSTATE ${e.code}).`, e.code);
  }
}

/** Options for a PgTarget from a stored target. */
export function pgTargetOptionsFromTarget(
  config: PostgresTargetConfig,
  deps: { secret: string | null; via?: TunnelOpener; targetName?: string },
): PgTargetOptions {
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    sslmode: config.sslmode,
    password: deps.secret,
    via: deps.via,
    targetName: deps.targetName,
  };
}
