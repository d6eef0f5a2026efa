// One SSH connection per host, kept open: keepalive, reconnect with jittered backoff,
// ProxyJump chains, host keys checked against the app's known_hosts before anything is
// authenticated, a kept `sh` session for collection and exec channels for long work.
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { Client, utils, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { LegacyAlgorithms, SshTargetConfig } from '../../shared/types';
import {
  AlgorithmMismatch,
  AuthFailed,
  CommandTimeout,
  HostKeyChanged,
  HostKeyUnknown,
  NotFound,
  OpsdeckError,
  TargetUnreachable,
  TunnelFailed,
  ValidationError,
  errorMessage,
} from '../errors';
import { createLogger, type Logger } from '../log';
import {
  algorithmsFor,
  checkLegacy,
  collectHandshakeLine,
  type HandshakeLists,
} from './algorithms';
import { FramedShell, type ShellPipes } from './framing';
import type { HostKeyVerdict, KnownHosts, KnownKey } from './known-hosts';
import { checkHostName, shQuote } from './quote';
import { translateSshError, type SshFailureContext } from './ssh-errors';
import type { CommandResult, ExecOptions, ExecRunner, RunOptions } from './types';
import { isAbsolute } from 'node:path';
import { expandHome } from '../paths';

export type { ExecOptions } from './types';

export type SshAuthOptions =
  | { method: 'key'; keyPath: string; passphrase?: string }
  | { method: 'agent'; /** Defaults to SSH_AUTH_SOCK. */ socket?: string }
  | { method: 'password'; password: string };

/** One host of a connection chain: a jump host or the target itself. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  auth: SshAuthOptions;
  /** Weak algorithms allowed for this host only. */
  legacyAlgorithms?: LegacyAlgorithms;
}

export type SshStatus = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'failed' | 'closed';

export interface SshStatusEvent {
  status: SshStatus;
  error: OpsdeckError | null;
  /** For 'reconnecting': when the next attempt starts. */
  retryInMs: number | null;
}

export interface SshAuditEvent {
  action: 'host-key-changed' | 'host-key-accepted';
  target: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  knownFingerprint: string | null;
  /** 'operator' (accepted a shown fingerprint) or 'preaccepted' (--accept-host-key). */
  by?: 'operator' | 'preaccepted';
}

export interface SshReconnectOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface SshHostOptions extends SshEndpoint {
  /** Name in errors and logs; user@host:port by default. */
  targetName?: string;
  knownHosts: KnownHosts;
  /** Jump hosts in order; the last one connects to `host`. */
  proxyJump?: SshEndpoint[];
  /** Fingerprints accepted in advance (`--accept-host-key`), for hosts not known yet. */
  acceptFingerprints?: string[];
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Timeout of a command in the kept shell when run() is given none. */
  commandTimeoutMs?: number;
  /** false: never reconnect on its own after a drop. */
  reconnect?: false | SshReconnectOptions;
  onAudit?: (event: SshAuditEvent) => void;
  /** For the backoff jitter; Math.random by default. */
  random?: () => number;
}

const DEFAULTS = {
  readyTimeoutMs: 15_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
  commandTimeoutMs: 30_000,
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
};

export function endpointLabel(ep: Pick<SshEndpoint, 'user' | 'host' | 'port'>): string {
  return `${ep.user}@${ep.host}:${ep.port}`;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential up to maxMs, with half
 * of it random so that many hosts dropped at once do not come back in lockstep.
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: number,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** Errors that another attempt cannot fix without the operator. */
function isPermanent(err: OpsdeckError): boolean {
  return [HostKeyUnknown, HostKeyChanged, AuthFailed, AlgorithmMismatch, ValidationError].some(
    (cls) => err instanceof cls,
  );
}

function toOpsdeckError(err: unknown, fallback: string): OpsdeckError {
  if (err instanceof OpsdeckError) return err;
  return new TargetUnreachable(`${fallback}: ${errorMessage(err)}`);
}

export class SshHost implements ExecRunner {
  readonly targetName: string;
  private readonly endpoint: SshEndpoint;
  private readonly hops: SshEndpoint[];
  private readonly opts: SshHostOptions;
  private readonly log: Logger;
  private readonly events = new EventEmitter();
  private readonly shell: FramedShell;
  private chain: Client[] = [];
  private conn: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private closed = false;
  private _status: SshStatus = 'idle';
  private _lastError: OpsdeckError | null = null;

  constructor(opts: SshHostOptions) {
    for (const ep of [...(opts.proxyJump ?? []), opts]) {
      checkHostName(ep.host);
      if (!Number.isInteger(ep.port) || ep.port < 1 || ep.port > 65535) {
        throw new ValidationError(`The SSH port of ${ep.host} must be 1-65535, not ${ep.port}.`);
      }
      if (!ep.user || ep.user.startsWith('-')) {
        throw new ValidationError(`The SSH user for ${ep.host} is empty or starts with "-".`);
      }
      checkLegacy(ep.legacyAlgorithms);
    }
    this.opts = opts;
    this.endpoint = {
      host: opts.host,
      port: opts.port,
      user: opts.user,
      auth: opts.auth,
      legacyAlgorithms: opts.legacyAlgorithms,
    };
    this.hops = opts.proxyJump ?? [];
    this.targetName = opts.targetName ?? endpointLabel(opts);
    this.log = createLogger('targets.ssh', { target: this.targetName });
    this.events.on('error', () => {});
    this.shell = new FramedShell({
      targetName: this.targetName,
      open: () => this.openShell(),
      log: this.log,
      defaultTimeoutMs: opts.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
    });
  }

  get status(): SshStatus {
    return this._status;
  }

  get lastError(): OpsdeckError | null {
    return this._lastError;
  }

  /** Subscribes to status changes; returns the unsubscribe function. */
  onStatus(listener: (e: SshStatusEvent) => void): () => void {
    this.events.on('status', listener);
    return () => this.events.off('status', listener);
  }

  /** Connects now (or waits for the connection in progress). */
  async connect(): Promise<void> {
    await this.ensureConnected();
  }

  /** Runs a command through the kept shell, one at a time, with LC_ALL=C. */
  run(command: string, opts?: RunOptions): Promise<CommandResult> {
    return this.shell.run(command, opts);
  }

  /**
   * Runs a command on its own exec channel, for long or streaming work. The command runs
   * as `env LC_ALL=C sh -c <command>` under the login shell (which must accept POSIX
   * single quotes). On timeout or abort its whole process group is killed: OpenSSH
   * ignores signal requests on a channel, and closing the channel alone leaves the
   * command running.
   */
  async exec(command: string, opts: ExecOptions = {}): Promise<CommandResult> {
    // sshd starts the login shell as a session leader: $$ is the command's process group.
    const line = `echo $$ >&2; exec env LC_ALL=C sh -c ${shQuote(command)}`;
    const conn = await this.ensureConnected();
    const started = performance.now();
    const channel = await this.openExec(conn, line);
    return this.collectExec(channel, opts, started);
  }

  /** A TCP stream to host:port opened from the SSH host (direct-tcpip), for tunnels. */
  async forwardOut(host: string, port: number): Promise<Duplex> {
    checkHostName(host, 'tunnel destination');
    const conn = await this.ensureConnected();
    return forwardFrom(conn, host, port, this.targetName);
  }

  /**
   * Accepts a host key the operator was shown, by its fingerprint: the full key kept from
   * the refused connection is written to known_hosts. Works for jump hosts too.
   */
  acceptHostKey(fingerprint: string): KnownKey {
    for (const ep of [...this.hops, this.endpoint]) {
      const pending = this.opts.knownHosts.pendingKey(ep.host, ep.port, fingerprint);
      if (!pending) continue;
      const key = this.opts.knownHosts.acceptPending(ep.host, ep.port, fingerprint);
      this.audit({
        action: 'host-key-accepted',
        host: ep.host,
        port: ep.port,
        keyType: key.keyType,
        fingerprint,
        knownFingerprint: null,
        by: 'operator',
      });
      if (this._status === 'failed') this._lastError = null;
      return key;
    }
    throw new NotFound(
      `${this.targetName} has not presented a host key with fingerprint ${fingerprint}. ` +
        'Test the connection again to see the key it presents now.',
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.shell.close();
    this.endChain();
    this.setStatus('closed', null);
  }

  private setStatus(
    status: SshStatus,
    error: OpsdeckError | null,
    retryInMs: number | null = null,
  ): void {
    this._status = status;
    if (error) this._lastError = error;
    if (status === 'ready') this._lastError = null;
    const event: SshStatusEvent = { status, error, retryInMs };
    if (
      status === 'ready' ||
      status === 'closed' ||
      status === 'reconnecting' ||
      status === 'failed'
    ) {
      this.log.info('ssh status', { status, error: error?.message, retryInMs });
    }
    this.events.emit('status', event);
  }

  private audit(e: Omit<SshAuditEvent, 'target'>): void {
    const event: SshAuditEvent = { target: this.targetName, ...e };
    this.log.warn(e.action, {
      host: e.host,
      port: e.port,
      fingerprint: e.fingerprint,
      knownFingerprint: e.knownFingerprint,
    });
    try {
      this.opts.onAudit?.(event);
    } catch (err) {
      this.log.error('audit callback failed', { err });
    }
  }

  private ensureConnected(): Promise<Client> {
    if (this.closed) {
      return Promise.reject(
        new TargetUnreachable(`The connection to ${this.targetName} was closed.`),
      );
    }
    if (this.conn) return Promise.resolve(this.conn);
    if (this.connecting) return this.connecting;
    if (this.reconnectTimer) {
      return Promise.reject(
        new TargetUnreachable(
          `The SSH connection to ${this.targetName} was lost` +
            (this._lastError ? ` (${this._lastError.message})` : '') +
            '; Opsdeck is reconnecting on its own.',
        ),
      );
    }
    this.connecting = this.doConnect().then(
      (c) => {
        this.connecting = null;
        return c;
      },
      (err: OpsdeckError) => {
        this.connecting = null;
        this.setStatus('failed', err);
        throw err;
      },
    );
    return this.connecting;
  }

  private async doConnect(): Promise<Client> {
    this.setStatus('connecting', null);
    const clients = await this.openChain();
    if (this.closed) {
      clients.forEach((c) => c.end());
      throw new TargetUnreachable(`The connection to ${this.targetName} was closed.`);
    }
    this.adopt(clients);
    this.attempt = 0;
    this.setStatus('ready', null);
    return this.conn as Client;
  }

  private async openChain(): Promise<Client[]> {
    const endpoints = [...this.hops, this.endpoint];
    const clients: Client[] = [];
    try {
      for (let i = 0; i < endpoints.length; i++) {
        const ep = endpoints[i];
        const sock =
          i === 0
            ? undefined
            : await forwardFrom(
                clients[i - 1],
                ep.host,
                ep.port,
                this.labelOf(endpoints[i - 1], true),
              );
        clients.push(await this.connectOne(ep, sock, i < endpoints.length - 1));
      }
    } catch (err) {
      clients.forEach((c) => c.end());
      throw toOpsdeckError(err, `SSH connection to ${this.targetName} failed`);
    }
    return clients;
  }

  private labelOf(ep: SshEndpoint, isHop: boolean): string {
    return isHop
      ? `${endpointLabel(ep)} (jump host for ${this.targetName})`
      : this.targetName === endpointLabel(ep)
        ? this.targetName
        : `${this.targetName} (${endpointLabel(ep)})`;
  }

  private async connectOne(
    ep: SshEndpoint,
    sock: Duplex | undefined,
    isHop: boolean,
  ): Promise<Client> {
    const readyTimeoutMs = this.opts.readyTimeoutMs ?? DEFAULTS.readyTimeoutMs;
    const ctx: SshFailureContext = {
      label: this.labelOf(ep, isHop),
      host: ep.host,
      port: ep.port,
      method: ep.auth.method,
      keyPath: ep.auth.method === 'key' ? ep.auth.keyPath : undefined,
      readyTimeoutMs,
      lists: { local: {}, remote: {} } satisfies HandshakeLists,
      verdict: null,
    };
    const auth = await authConfig(ep, ctx.label);
    let handshaking = true;
    const config: ConnectConfig = {
      host: ep.host,
      port: ep.port,
      username: ep.user,
      sock,
      readyTimeout: readyTimeoutMs,
      keepaliveInterval: this.opts.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
      keepaliveCountMax: this.opts.keepaliveCountMax ?? DEFAULTS.keepaliveCountMax,
      hostVerifier: (key: Buffer) => {
        try {
          ctx.verdict = this.verifyHostKey(ep, key);
        } catch (err) {
          // Without a readable known_hosts nothing can be verified: refuse, say why.
          ctx.knownHostsError = new ValidationError(
            `Cannot check the host key of ${ctx.label}: the known_hosts file ` +
              `${this.opts.knownHosts.path} cannot be used (${errorMessage(err)}). ` +
              'Check its permissions.',
          );
          return false;
        }
        return ctx.verdict.kind === 'known';
      },
      // Only the handshake lines are kept: ssh2 reports the compared lists nowhere else.
      debug: (line: string) => {
        if (!handshaking) return;
        if (line === 'Handshake completed') handshaking = false;
        else collectHandshakeLine(ctx.lists, line);
      },
      algorithms: algorithmsFor(
        ep.legacyAlgorithms,
        this.opts.knownHosts.knownKeyTypes(ep.host, ep.port),
      ),
      ...auth,
    };
    return new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let settled = false;
      const fail = (err: unknown): void => {
        if (settled) return;
        settled = true;
        client.end();
        sock?.destroy();
        reject(translateSshError(err, ctx));
      };
      client.once('ready', () => {
        settled = true;
        handshaking = false;
        resolve(client);
      });
      client.on('error', fail);
      client.once('close', () => fail(new Error('the connection closed before login finished')));
      try {
        client.connect(config);
      } catch (err) {
        fail(err);
      }
    });
  }

  private verifyHostKey(ep: SshEndpoint, key: Buffer): HostKeyVerdict {
    const kh = this.opts.knownHosts;
    const verdict = kh.check(ep.host, ep.port, key);
    if (verdict.kind === 'unknown' && this.opts.acceptFingerprints?.includes(verdict.fingerprint)) {
      kh.acceptPending(ep.host, ep.port, verdict.fingerprint);
      this.audit({
        action: 'host-key-accepted',
        host: ep.host,
        port: ep.port,
        keyType: verdict.keyType,
        fingerprint: verdict.fingerprint,
        knownFingerprint: null,
        by: 'preaccepted',
      });
      return { kind: 'known' };
    }
    if (verdict.kind === 'changed') {
      this.audit({
        action: 'host-key-changed',
        host: ep.host,
        port: ep.port,
        keyType: verdict.keyType,
        fingerprint: verdict.fingerprint,
        knownFingerprint: verdict.knownFingerprint,
      });
    }
    return verdict;
  }

  private adopt(clients: Client[]): void {
    const conn = clients[clients.length - 1];
    this.chain = clients;
    this.conn = conn;
    for (const c of clients) {
      c.on('error', (err: Error) => this.log.debug('ssh error after login', { err }));
      c.once('close', () => this.onDrop(conn));
    }
  }

  private endChain(): void {
    const chain = this.chain;
    this.chain = [];
    this.conn = null;
    for (const c of [...chain].reverse()) c.end();
  }

  private onDrop(conn: Client): void {
    if (this.conn !== conn) return;
    this.endChain();
    this.shell.reset('connection lost');
    if (this.closed) return;
    const err = new TargetUnreachable(`The SSH connection to ${this.targetName} dropped.`);
    this._lastError = err;
    if (this.opts.reconnect === false) {
      this.setStatus('failed', err);
      return;
    }
    this.scheduleReconnect(err);
  }

  private scheduleReconnect(err: OpsdeckError): void {
    const r = this.opts.reconnect || {};
    const delay = backoffDelay(
      this.attempt++,
      r.initialDelayMs ?? DEFAULTS.initialDelayMs,
      r.maxDelayMs ?? DEFAULTS.maxDelayMs,
      (this.opts.random ?? Math.random)(),
    );
    this.setStatus('reconnecting', err, delay);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connecting = this.doConnect().then(
        (c) => {
          this.connecting = null;
          return c;
        },
        (e: OpsdeckError) => {
          this.connecting = null;
          if (this.closed) throw e;
          if (isPermanent(e)) this.setStatus('failed', e);
          else this.scheduleReconnect(e);
          throw e;
        },
      );
      this.connecting.catch(() => {});
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private async openShell(): Promise<ShellPipes> {
    const conn = await this.ensureConnected();
    const channel = await this.openExec(conn, 'echo $$; exec sh');
    const pid = await readPidLine(channel, 10_000).catch(() => null);
    return {
      stdin: channel,
      stdout: channel,
      stderr: channel.stderr,
      destroy: () => {
        if (pid !== null) this.killRemoteGroup(pid, 'KILL');
        channel.close();
        channel.destroy();
      },
      onClose: (cb) => channel.once('close', () => cb('channel closed')),
    };
  }

  /**
   * Kills a remote process group from a fresh exec channel, without waiting: the channel
   * that ran it may be stuck behind the very command being killed.
   */
  private killRemoteGroup(pid: number, signal: 'KILL' | 'TERM'): void {
    const conn = this.conn;
    if (!conn || !Number.isInteger(pid) || pid <= 1) return;
    const line = `kill -${signal} -- -${pid} 2>/dev/null; kill -${signal} ${pid} 2>/dev/null; true`;
    this.openExec(conn, line).then(
      (ch) => {
        ch.on('data', () => {});
        ch.stderr.on('data', () => {});
        ch.end();
      },
      (err: Error) => this.log.debug('could not kill a remote command', { err, pid }),
    );
  }

  private openExec(conn: Client, line: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      try {
        conn.exec(line, (err, channel) => {
          if (err) {
            // ssh2 says "No response from server" when the open request went unanswered: a
            // frozen host or network, not a refusal.
            const silent = /no response/i.test(err.message);
            reject(
              new TargetUnreachable(
                silent
                  ? `${this.targetName} did not answer a request for a new SSH session ` +
                      `(${err.message}): the host or the network may be frozen or overloaded. ` +
                      'Check that the host responds (console, ping), then retry.'
                  : `${this.targetName} refused a new SSH session (${err.message}). Check ` +
                      "sshd's MaxSessions on the host, or whether the connection just dropped.",
              ),
            );
            return;
          }
          resolve(channel);
        });
      } catch (err) {
        reject(toOpsdeckError(err, `Cannot open an SSH session on ${this.targetName}`));
      }
    });
  }

  private collectExec(
    channel: ClientChannel,
    opts: ExecOptions,
    started: number,
  ): Promise<CommandResult> {
    const keep = opts.collect !== false;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let code: number | null = null;
    let pid: number | null = null;
    let settled = false;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (failure: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          code,
          durationMs: performance.now() - started,
        });
      };
      const stop = (signal: 'KILL' | 'TERM', failure: Error | null): void => {
        if (pid !== null) this.killRemoteGroup(pid, signal);
        channel.close();
        code = null;
        finish(failure);
      };
      const onAbort = (): void => stop('TERM', null);
      const stderrData = (b: Buffer): void => {
        if (keep) err.push(b);
        opts.onData?.(b, 'stderr');
      };
      channel.on('data', (b: Buffer) => {
        if (settled) return;
        if (keep) out.push(b);
        opts.onData?.(b, 'stdout');
      });
      let head = Buffer.alloc(0);
      channel.stderr.on('data', (b: Buffer) => {
        if (settled) return;
        if (pid !== null) return stderrData(b);
        // The first stderr line is the pid printed by the wrapper, not the command's.
        head = Buffer.concat([head, b]);
        const nl = head.indexOf(0x0a);
        if (nl < 0) return;
        pid = Number(head.subarray(0, nl).toString('latin1')) || 0;
        if (head.length > nl + 1) stderrData(head.subarray(nl + 1));
      });
      channel.on('exit', (c: number | null) => {
        code = typeof c === 'number' ? c : null;
      });
      channel.once('close', () => finish(null));
      if (opts.timeoutMs) {
        timer = setTimeout(
          () =>
            stop(
              'KILL',
              new CommandTimeout(
                `A command on ${this.targetName} did not finish within ${opts.timeoutMs} ms and ` +
                  'was killed. Check the host, or raise the timeout.',
              ),
            ),
          opts.timeoutMs,
        );
      }
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
      channel.end();
    });
  }
}

/**
 * Reads one line holding a pid from a fresh channel, then pauses it for the next reader.
 */
function readPidLine(channel: ClientChannel, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error('no pid line')), timeoutMs);
    const done = (err: Error | null, pid?: number, rest?: Buffer): void => {
      clearTimeout(timer);
      channel.off('data', onData);
      channel.off('close', onClose);
      channel.pause();
      if (rest?.length) channel.unshift(rest);
      if (err) reject(err);
      else resolve(pid as number);
    };
    const onData = (b: Buffer): void => {
      buf = Buffer.concat([buf, b]);
      const nl = buf.indexOf(0x0a);
      if (nl < 0) return;
      const pid = Number(buf.subarray(0, nl).toString('latin1'));
      if (!Number.isInteger(pid)) return done(new Error('bad pid line'), undefined, buf);
      done(null, pid, buf.subarray(nl + 1));
    };
    const onClose = (): void => done(new Error('channel closed'));
    channel.on('data', onData);
    channel.once('close', onClose);
  });
}

function forwardFrom(
  conn: Client,
  host: string,
  port: number,
  via: string,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      conn.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
        if (err) {
          reject(
            new TunnelFailed(
              `Could not open a tunnel through ${via} to ${host}:${port} (${err.message}). ` +
                `Check that ${host}:${port} is reachable from that host and that its sshd ` +
                'allows TCP forwarding (AllowTcpForwarding).',
            ),
          );
          return;
        }
        resolve(channel);
      });
    } catch (err) {
      reject(new TunnelFailed(`Could not open a tunnel through ${via}: ${errorMessage(err)}`));
    }
  });
}

type AuthConfig = Pick<
  ConnectConfig,
  'privateKey' | 'passphrase' | 'agent' | 'password' | 'authHandler' | 'tryKeyboard'
>;

async function authConfig(ep: SshEndpoint, label: string): Promise<AuthConfig> {
  const auth = ep.auth;
  switch (auth.method) {
    case 'key':
      return {
        privateKey: await readPrivateKey(auth.keyPath, auth.passphrase, label),
        passphrase: auth.passphrase,
        authHandler: ['publickey'],
        tryKeyboard: false,
      };
    case 'agent': {
      const socket = auth.socket ?? process.env.SSH_AUTH_SOCK;
      if (!socket) {
        throw new AuthFailed(
          `Cannot log in to ${label} with the ssh-agent: no agent is running for Opsdeck ` +
            '(SSH_AUTH_SOCK is not set). Start ssh-agent and add a key, or use a key file.',
        );
      }
      return { agent: socket, authHandler: ['agent'], tryKeyboard: false };
    }
    case 'password':
      return { password: auth.password, authHandler: ['password'], tryKeyboard: false };
  }
}

async function readPrivateKey(
  path: string,
  passphrase: string | undefined,
  label: string,
): Promise<Buffer> {
  const file = expandHome(path);
  if (!isAbsolute(file)) {
    throw new AuthFailed(
      `The private key path "${path}" for ${label} is relative: give it as an absolute path ` +
        'or starting with ~/.',
    );
  }
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    throw new AuthFailed(
      `Cannot read the private key ${path} for ${label} (${errorMessage(err)}). Check ` +
        'the key path in the target.',
    );
  }
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    const msg = parsed.message;
    if (/no passphrase/i.test(msg)) {
      throw new AuthFailed(
        `The private key ${path} for ${label} is protected by a passphrase. Store the ` +
          'passphrase with the target.',
      );
    }
    if (/passphrase|decrypt/i.test(msg)) {
      throw new AuthFailed(
        `The passphrase stored for the private key ${path} (${label}) is wrong. Store ` +
          'the right passphrase.',
      );
    }
    throw new AuthFailed(
      `The file ${path} for ${label} is not a private key ssh can use (${msg}).`,
    );
  }
  return data;
}

/** Secrets and paths an SshHost needs beyond the stored target config. */
export interface SshTargetDeps {
  knownHosts: KnownHosts;
  /** The stored password or key passphrase, decrypted. */
  secret: string | null;
  targetName?: string;
  acceptFingerprints?: string[];
  onAudit?: (event: SshAuditEvent) => void;
}

/** "user@host:port" of a ProxyJump hop; missing parts come from the target. */
export function parseHop(
  hop: string,
  defaults: { user: string; port?: number },
): { user: string; host: string; port: number } {
  const m = /^(?:([^@\s]+)@)?([^@\s:]+)(?::(\d{1,5}))?$/.exec(hop);
  if (!m) throw new ValidationError(`The jump host "${hop}" is not [user@]host[:port].`);
  const port = m[3] ? Number(m[3]) : (defaults.port ?? 22);
  return { user: m[1] ?? defaults.user, host: checkHostName(m[2], 'jump host'), port };
}

function authOf(config: SshTargetConfig, secret: string | null): SshAuthOptions {
  switch (config.auth) {
    case 'key':
      if (!config.keyPath)
        throw new ValidationError(
          `The SSH target ${config.user}@${config.host} uses a key but names no key file.`,
        );
      return { method: 'key', keyPath: config.keyPath, passphrase: secret ?? undefined };
    case 'agent':
      return { method: 'agent' };
    case 'password':
      if (secret === null)
        throw new ValidationError(
          `No password is stored for ${config.user}@${config.host}:${config.port}. ` +
            'Store one with the target.',
        );
      return { method: 'password', password: secret };
  }
}

/**
 * Options for an SshHost from a stored target. Jump hosts log in the same way as the
 * target (same key or agent); a password target's jump hosts use the ssh-agent, since one
 * password rarely fits several hosts.
 */
export function sshHostOptionsFromTarget(
  config: SshTargetConfig,
  deps: SshTargetDeps,
): SshHostOptions {
  const auth = authOf(config, deps.secret);
  const hopAuth: SshAuthOptions = auth.method === 'password' ? { method: 'agent' } : auth;
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    auth,
    legacyAlgorithms: config.legacyAlgorithms,
    proxyJump: (config.proxyJump ?? []).map((h) => ({
      ...parseHop(h, { user: config.user }),
      auth: hopAuth,
    })),
    knownHosts: deps.knownHosts,
    targetName: deps.targetName,
    acceptFingerprints: deps.acceptFingerprints,
    onAudit: deps.onAudit,
  };
}
