// Browser transport of the contract: loopback HTTP for calls, a WebSocket for pushed events.
// Bound to 127.0.0.1 only; every API call carries a random token; Host and Origin are checked
// so that another web page (or a DNS-rebinding name) cannot drive the console.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../shared/api';
import { EVENT_NAMES } from '../shared/method-names';
import { dispatch, type ApiEventBus, type ApiImpl } from './dispatch';
import { createLogger } from './log';

const log = createLogger('server');
const MAX_BODY = 1024 * 1024;
const EVENTS: readonly EventName[] = EVENT_NAMES;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface ServerOptions {
  impl: ApiImpl;
  events: ApiEventBus;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h && h.startsWith('Bearer ') ? h.slice(7) : null;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type, ...SECURITY_HEADERS });
  res.end(body);
}

function fail(res: ServerResponse, status: number, name: string, message: string): void {
  send(res, status, JSON.stringify({ ok: false, error: { name, message } }));
}

class BodyTooLarge extends Error {}

/** Reads at most MAX_BODY bytes; past that, stops reading and rejects. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLarge(`request body over ${MAX_BODY} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The path of a request URL, decoded; null when its %-escapes are malformed. */
function pathOf(req: IncomingMessage): string | null {
  try {
    return decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
}

/** Loopback names only: a DNS name (even one resolving to 127.0.0.1) is a rebinding attempt. */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;

class Gate {
  constructor(private readonly token: string) {}

  /**
   * Host must be a loopback name (any port, so an SSH tunnel from another local port works);
   * Origin, when the browser sends one, must be that same host, so another local page
   * cannot call in.
   */
  originOk(req: IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    if (!LOOPBACK_HOST.test(host)) return false;
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${host}`;
  }

  tokenOk(given: string | null): boolean {
    return sameToken(given, this.token);
  }
}

async function serveApi(
  req: IncomingMessage,
  res: ServerResponse,
  opts: ServerOptions,
  gate: Gate,
): Promise<void> {
  if (!gate.tokenOk(bearer(req))) return fail(res, 401, 'Unauthorized', 'token');
  if (req.method !== 'POST') return fail(res, 405, 'MethodNotAllowed', 'POST');
  const path = pathOf(req);
  if (path === null) return fail(res, 400, 'ValidationError', 'The request path is malformed.');
  const method = path.slice(5);
  let arg: unknown;
  try {
    const body = await readBody(req);
    arg = body.trim() === '' ? {} : JSON.parse(body);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      return fail(res, 413, 'ValidationError', `Request to ${method}: ${err.message}.`);
    }
    const message = `Request to ${method} is not valid JSON: ${(err as Error).message}`;
    return fail(res, 400, 'ValidationError', message);
  }
  const envelope = await dispatch(opts.impl, method, arg);
  send(res, 200, JSON.stringify(envelope));
}

async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  staticDir: string,
): Promise<void> {
  const pathname = pathOf(req);
  if (pathname === null) return send(res, 400, 'malformed path', 'text/plain');
  const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = normalize(join(staticDir, rel));
  if (!file.startsWith(normalize(staticDir) + sep)) {
    send(res, 404, 'not found', 'text/plain');
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...SECURITY_HEADERS,
    });
    res.end(body);
  } catch {
    send(res, 404, 'not found', 'text/plain');
  }
}

function attachEvents(server: Server, opts: ServerOptions, gate: Gate): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/events' || !gate.originOk(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    if (!gate.tokenOk(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => subscribe(ws, opts));
  });
  return wss;
}

function subscribe(ws: WebSocket, opts: ServerOptions): void {
  const offs = EVENTS.map((event) =>
    opts.events.on(event, (payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    }),
  );
  ws.on('close', () => offs.forEach((off) => off()));
  ws.on('error', () => ws.close());
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const gate = new Gate(token);
  const server = createServer((req, res) => {
    if (!gate.originOk(req)) return fail(res, 403, 'Forbidden', 'origin');
    const handler = req.url?.startsWith('/api/')
      ? serveApi(req, res, opts, gate)
      : serveStatic(req, res, opts.staticDir);
    handler.catch((err: Error) => {
      log.error('request failed', { url: req.url, error: err.message });
      if (!res.headersSent) fail(res, 500, 'Error', err.message);
    });
  });
  const wss = attachEvents(server, opts, gate);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info('listening', { port });
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        wss.clients.forEach((c) => c.terminate());
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
