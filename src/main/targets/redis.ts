// A Redis target through ioredis, set up to fail fast: no offline queue (a dead server
// answers at once instead of queueing commands forever), no retries behind the caller's
// back, a connect and a command timeout. The connection is opened lazily and reopened
// lazily after a drop. RESP2 and no CLIENT SETINFO, so old servers (< 6) work too.
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Socket } from 'node:net';
import Redis, { AbstractConnector, type RedisOptions } from 'ioredis';
import type { RedisTargetConfig } from '../../shared/types';
import {
  AuthFailed,
  CommandTimeout,
  ConnectTimeout,
  OpsdeckError,
  TargetUnreachable,
  ValidationError,
  errorMessage,
} from '../errors';
import { createLogger, type Logger } from '../log';
import { checkHostName } from './quote';
import { TunnelSocket, type TunnelOpener } from './tunnel';
import type { RedisClientLike } from './types';

export interface RedisFields {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
}

export interface RedisTargetOptions extends Partial<RedisFields> {
  /** redis:// or rediss:// URL; the fields above override its parts. */
  url?: string;
  targetName?: string;
  /** Reach the server through this SSH host; host/port are then as seen from it. */
  via?: TunnelOpener;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** For rediss://: verify the certificate (default true). */
  tlsVerify?: boolean;
}

const DEFAULTS = { connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 };

/** Pure: the parts of a redis:// or rediss:// URL. */
export function parseRedisUrl(url: string): Partial<RedisFields> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValidationError(
      'The Redis URL cannot be read. Write it as redis://[user:password@]host:6379/0.',
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ValidationError(
      `A Redis URL starts with redis:// or rediss://, not ${u.protocol}//.`,
    );
  }
  const out: Partial<RedisFields> = { tls: u.protocol === 'rediss:' };
  const host = decodeURIComponent(u.hostname).replace(/^\[|\]$/g, '');
  if (host) out.host = host;
  if (u.port) out.port = Number(u.port);
  if (u.username) out.username = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  const path = u.pathname.replace(/^\//, '');
  if (path) {
    if (!/^\d+$/.test(path))
      throw new ValidationError(`The Redis database in the URL must be a number, not "${path}".`);
    out.db = Number(path);
  }
  return out;
}

export function resolveRedisFields(opts: RedisTargetOptions): RedisFields {
  const fromUrl = opts.url ? parseRedisUrl(opts.url) : {};
  const port = opts.port ?? fromUrl.port ?? 6379;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(`The Redis port must be 1-65535, not ${port}.`);
  }
  return {
    host: checkHostName(opts.host ?? fromUrl.host ?? '', 'Redis host'),
    port,
    tls: opts.tls ?? fromUrl.tls ?? false,
    username: opts.username ?? fromUrl.username,
    password: opts.password ?? fromUrl.password,
    db: opts.db ?? fromUrl.db ?? 0,
  };
}

/** An ioredis Connector that opens each connection through an SSH host. */
function tunnelConnector(
  via: TunnelOpener,
  f: RedisFields,
  tls: ConnectionOptions | null,
): RedisOptions['Connector'] {
  return class extends AbstractConnector {
    constructor() {
      super(2000);
    }

    connect(): Promise<Socket> {
      this.connecting = true;
      const raw = new TunnelSocket(via).connect(f.port, f.host);
      const stream = tls ? tlsConnect({ ...tls, socket: raw as unknown as Socket }) : raw;
      stream.once('error', (err: Error) => {
        this.firstError = err;
      });
      this.stream = stream as unknown as Socket;
      return Promise.resolve(this.stream);
    }
  };
}

export class RedisTarget implements RedisClientLike {
  readonly targetName: string;
  private readonly fields: RedisFields;
  private readonly redis: Redis;
  private readonly log: Logger;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private lastError: Error | null = null;

  constructor(private readonly opts: RedisTargetOptions) {
    const f = (this.fields = resolveRedisFields(opts));
    const who = f.username ? `${f.username}@` : '';
    this.targetName =
      opts.targetName ?? `redis${f.tls ? 's' : ''}://${who}${f.host}:${f.port}/${f.db}`;
    this.log = createLogger('targets.redis', { target: this.targetName });
    const tls: ConnectionOptions | null = f.tls
      ? { servername: f.host, rejectUnauthorized: opts.tlsVerify ?? true }
      : null;
    this.redis = new Redis({
      host: f.host,
      port: f.port,
      username: f.username,
      password: f.password,
      db: f.db,
      tls: tls ?? undefined,
      Connector: opts.via ? tunnelConnector(opts.via, f, tls) : undefined,
      lazyConnect: true,
      connectTimeout: opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      commandTimeout: opts.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      autoResendUnfulfilledCommands: false,
      enableReadyCheck: true,
      protocol: 2,
      disableClientInfo: true,
      maintNotifications: 'disabled',
      connectionName: 'opsdeck',
    });
    this.redis.on('error', (err: Error) => {
      this.lastError = err;
      this.log.debug('redis error', { err });
    });
  }

  async connect(): Promise<void> {
    await this.ensureReady();
  }

  async info(section?: string): Promise<string> {
    return this.call(() => (section ? this.redis.info(section) : this.redis.info()));
  }

  /** Round trip of one PING, ms. */
  async ping(): Promise<number> {
    await this.ensureReady();
    const started = performance.now();
    await this.call(() => this.redis.ping());
    return performance.now() - started;
  }

  /** Any other command, e.g. call('SLOWLOG', 'GET', 10). */
  async command(name: string, ...args: (string | number)[]): Promise<unknown> {
    return this.call(() => this.redis.call(name, ...args));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.redis.disconnect();
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    await this.ensureReady();
    try {
      return await fn();
    } catch (err) {
      throw this.translate(err);
    }
  }

  private ensureReady(): Promise<void> {
    if (this.closed)
      return Promise.reject(
        new TargetUnreachable(`The connection to ${this.targetName} was closed.`),
      );
    const status = this.redis.status;
    if (status === 'ready') return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.open().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  /**
   * Connects and waits for "ready" (AUTH, SELECT and the INFO ready check answered). The
   * whole of it is bounded by connectTimeoutMs: ioredis' own connectTimeout covers only
   * the TCP connect, so a port that accepts and never answers would otherwise wait for
   * the command timeout of each handshake command.
   */
  private async open(): Promise<void> {
    const status = this.redis.status;
    // A dropped connection ends ('end'); start over from a clean state.
    if (status !== 'wait' && status !== 'end') this.redis.disconnect();
    this.lastError = null;
    const timeoutMs = this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.redis.connect(), deadline]);
      this.log.info('connected');
    } catch (err) {
      this.redis.disconnect();
      const timedOut = (err as { code?: string }).code === 'ETIMEDOUT';
      throw this.translate(timedOut ? err : (this.lastError ?? err));
    } finally {
      clearTimeout(timer);
    }
  }

  private translate(err: unknown): OpsdeckError {
    if (err instanceof OpsdeckError) return err;
    const e = err as Error & { code?: string };
    const msg = errorMessage(e);
    const t = this.targetName;
    const f = this.fields;
    const who = f.username ? `user "${f.username}" or its password` : 'password';
    const seconds = Math.round((this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs) / 1000);
    const commandMs = this.opts.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs;
    if (/WRONGPASS|invalid username-password|invalid password/i.test(msg)) {
      return new AuthFailed(`Redis at ${t} refused the ${who}. Check the stored credentials.`);
    }
    if (/NOAUTH/i.test(msg)) {
      return new AuthFailed(
        `Redis at ${t} requires a password and none is stored. Store the password ` +
          '(and ACL user) with the target.',
      );
    }
    if (/NOPERM/i.test(msg)) {
      return new AuthFailed(
        `Redis at ${t}: the user ${f.username ?? 'default'} lacks a permission ` +
          `(${msg}). ${aclFix(msg, f.username ?? 'default')}`,
      );
    }
    if (e.code === 'ECONNREFUSED') {
      return new TargetUnreachable(
        `The connection to Redis at ${t} was refused: nothing listens on ` +
          `${f.host}:${f.port}. Check the port and that redis-server runs.`,
      );
    }
    if (e.code === 'ETIMEDOUT' || /connect ETIMEDOUT/.test(msg)) {
      return new ConnectTimeout(
        `No answer from Redis at ${t} within ${seconds} s. Check the host, port and firewall.`,
      );
    }
    if (/Command timed out/i.test(msg)) {
      return new CommandTimeout(
        `Redis at ${t} did not answer a command within ${commandMs} ms. ` +
          'The server may be blocked (a slow command, a save).',
      );
    }
    if (/enableOfflineQueue|Connection is closed|isn't writeable|ECONNRESET|EPIPE/i.test(msg)) {
      return new TargetUnreachable(
        `The connection to Redis at ${t} is down (${msg}); it reopens at the next call.`,
      );
    }
    if (/SSL|TLS|certificate|EPROTO/i.test(msg)) {
      return new TargetUnreachable(
        `TLS with Redis at ${t} failed (${msg}). Check rediss:// against the server's TLS setup.`,
      );
    }
    return new TargetUnreachable(`Redis at ${t}: ${msg}`);
  }
}

/** Options for a RedisTarget from a stored target. */
/** The ACL change a NOPERM error asks for: the command it names (Redis 6 and 7 word it
 * "...permissions to run the 'scan' command"), or key access; shown, never run. */
export function aclFix(noperm: string, user: string): string {
  const command = /run the '([^']+)' command/i.exec(noperm)?.[1]?.toLowerCase();
  if (command && /^[a-z][a-z0-9|_-]*$/.test(command)) {
    return `Grant it in the ACL, e.g. ACL SETUSER ${user} +${command}.`;
  }
  if (/keys?/i.test(noperm)) {
    return `Grant key access in the ACL, e.g. ACL SETUSER ${user} ~* (or the key patterns it needs).`;
  }
  return 'Grant the missing permission in the ACL (ACL LOG on the server names it).';
}

export function redisTargetOptionsFromTarget(
  config: RedisTargetConfig,
  deps: { secret: string | null; via?: TunnelOpener; targetName?: string },
): RedisTargetOptions {
  return {
    host: config.host,
    port: config.port,
    tls: config.tls,
    username: config.username,
    password: deps.secret ?? undefined,
    db: config.db,
    via: deps.via,
    targetName: deps.targetName,
  };
}
