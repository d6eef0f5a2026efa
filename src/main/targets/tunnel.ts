// Database connections through an SSH host. Two shapes:
//  - TunnelSocket: a Duplex that looks enough like net.Socket for pg's `stream` option
//    and ioredis' Connector (connect(port, host), setNoDelay, setKeepAlive, 'connect');
//    it opens one forwardOut channel per connection. No local port is opened.
//  - startLoopbackForward: a listener on 127.0.0.1 at a random port whose connections are
//    piped through forwardOut, for tools that only take host:port (pg_dump, redis-cli).
//    Any local user can connect to it while it is open: open it for one job, then close.
import { Duplex } from 'node:stream';
import { createServer, type Server, type Socket } from 'node:net';
import { TunnelFailed, errorMessage } from '../errors';
import { createLogger } from '../log';

/** What a tunnel needs from an SSH host: SshHost fits. */
export interface TunnelOpener {
  readonly targetName: string;
  forwardOut(host: string, port: number): Promise<Duplex>;
}

/** A socket-shaped Duplex whose far end is host:port as seen from the SSH host. */
export class TunnelSocket extends Duplex {
  connecting = false;
  private channel: Duplex | null = null;
  private pendingWrites: { chunk: Buffer; cb: (err?: Error | null) => void }[] = [];
  private wantRead = false;
  private ended = false;
  private deadline: NodeJS.Timeout | null = null;

  constructor(private readonly via: TunnelOpener) {
    super();
  }

  /** Opens the channel; emits 'connect' when it is open, 'error' when it cannot be. */
  connect(port: number, host: string): this {
    this.connecting = true;
    this.via.forwardOut(host, port).then(
      (channel) => this.attach(channel),
      (err: unknown) => {
        this.connecting = false;
        const e =
          err instanceof TunnelFailed
            ? err
            : new TunnelFailed(
                `Could not open a tunnel through ${this.via.targetName} to ` +
                  `${host}:${port}: ${errorMessage(err)}`,
              );
        this.destroy(e);
      },
    );
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  /** Not idle-based like net.Socket's: a plain deadline, enough for a connect timeout. */
  setTimeout(ms: number, cb?: () => void): this {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
    if (cb) this.once('timeout', cb);
    if (ms > 0) {
      this.deadline = setTimeout(() => this.emit('timeout'), ms);
      this.deadline.unref?.();
    }
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  private attach(channel: Duplex): void {
    if (this.destroyed) {
      channel.destroy();
      return;
    }
    this.channel = channel;
    this.connecting = false;
    channel.on('data', (b: Buffer) => {
      if (!this.push(b)) channel.pause();
    });
    channel.once('end', () => this.push(null));
    channel.once('close', () => {
      if (!this.destroyed) this.push(null);
    });
    channel.on('error', (e: Error) => this.destroy(e));
    for (const w of this.pendingWrites.splice(0)) channel.write(w.chunk, w.cb);
    if (this.ended) channel.end();
    if (!this.wantRead) channel.pause();
    this.emit('connect');
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.channel) this.channel.write(chunk, cb);
    else this.pendingWrites.push({ chunk, cb });
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.ended = true;
    this.channel?.end();
    cb();
  }

  override _read(): void {
    this.wantRead = true;
    this.channel?.resume();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.channel?.destroy();
    for (const w of this.pendingWrites.splice(0)) w.cb(err ?? new Error('tunnel closed'));
    cb(err);
  }
}

export interface LoopbackForward {
  host: '127.0.0.1';
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (random port) and pipes each connection through the SSH host. */
export function startLoopbackForward(
  via: TunnelOpener,
  host: string,
  port: number,
): Promise<LoopbackForward> {
  const log = createLogger('targets.tunnel', { target: via.targetName });
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.once('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.pause();
    via.forwardOut(host, port).then(
      (channel) => {
        channel.on('error', () => sock.destroy());
        sock.pipe(channel).pipe(sock);
        sock.resume();
      },
      (err: unknown) => {
        log.warn('tunnel connection failed', { err, to: `${host}:${port}` });
        sock.destroy();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new TunnelFailed(`Could not open a local tunnel port for ${via.targetName}: ${e.message}`),
      ),
    );
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const localPort = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        host: '127.0.0.1',
        port: localPort,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
