// A TCP server on 127.0.0.1 that accepts connections and never answers: for timeouts.
import { createServer, type Socket } from 'node:net';
import { onExit } from './util';

export interface Blackhole {
  host: '127.0.0.1';
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  stop(): Promise<void>;
}

export function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((sock) => {
    count++;
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    // Read and drop whatever arrives; answer nothing.
    sock.resume();
  });
  const stopNow = (): void => {
    for (const s of sockets) s.destroy();
    server.close();
  };
  const unhook = onExit(stopNow);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (!addr || typeof addr !== 'object')
        return reject(new Error('harness: blackhole has no port'));
      resolve({
        host: '127.0.0.1',
        port: addr.port,
        accepted: () => count,
        stop: () =>
          new Promise<void>((r) => {
            unhook();
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
