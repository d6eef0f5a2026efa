// Browser transport: loopback only, token required, Host and Origin checked, arguments
// validated, events pushed over the WebSocket.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { OpsdeckApp } from '../../src/main/app';
import { startServer, type RunningServer } from '../../src/main/server';

interface Reply {
  status: number;
  body: string;
}

function post(
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<Reply> {
  return new Promise((resolveReply, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolveReply({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser-mode server', () => {
  let dataDir: string;
  let app: OpsdeckApp;
  let server: RunningServer;
  let auth: Record<string, string>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-server-'));
    app = new OpsdeckApp({
      dataDir,
      appRoot: resolve(__dirname, '../..'),
      transport: 'browser',
      collect: false,
    }).start();
    server = await startServer({
      impl: app.api,
      events: app.events,
      staticDir: join(dataDir, 'nothing'),
    });
    auth = { Authorization: `Bearer ${server.token}` };
  });

  after(async () => {
    await server?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a loopback URL that carries the token', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
  });

  it('answers a call with the token', async () => {
    const r = await post(server.port, '/api/listTargets', '{}', auth);
    assert.equal(r.status, 200);
    const env = JSON.parse(r.body);
    assert.equal(env.ok, true);
    assert.equal(env.value[0].name, 'This workstation');
  });

  it('refuses a call without the token or with a wrong one (401)', async () => {
    assert.equal((await post(server.port, '/api/listTargets', '{}', {})).status, 401);
    const last = server.token.slice(-1);
    const wrong = {
      Authorization: `Bearer ${server.token.slice(0, -1)}${last === 'x' ? 'y' : 'x'}`,
    };
    assert.equal((await post(server.port, '/api/listTargets', '{}', wrong)).status, 401);
  });

  it('refuses a foreign Origin and a foreign Host name (403)', async () => {
    const evil = await post(server.port, '/api/listTargets', '{}', {
      ...auth,
      Origin: 'http://evil.example',
    });
    assert.equal(evil.status, 403);
    const rebinding = await post(server.port, '/api/listTargets', '{}', {
      ...auth,
      Host: `evil.example:${server.port}`,
    });
    assert.equal(rebinding.status, 403);
    const own = await post(server.port, '/api/listTargets', '{}', {
      ...auth,
      Origin: `http://127.0.0.1:${server.port}`,
    });
    assert.equal(own.status, 200);
    const otherLocalPage = await post(server.port, '/api/listTargets', '{}', {
      ...auth,
      Origin: 'http://localhost:3000',
    });
    assert.equal(otherLocalPage.status, 403);
  });

  it('works through an SSH tunnel from another local port', async () => {
    const tunnelled = { ...auth, Host: 'localhost:18080', Origin: 'http://localhost:18080' };
    assert.equal((await post(server.port, '/api/listTargets', '{}', tunnelled)).status, 200);
  });

  it('validates arguments and names the method and field', async () => {
    const bad = JSON.stringify({
      name: 'x',
      config: { kind: 'ssh', host: '-oProxyCommand=id', port: 22, user: 'u', auth: 'agent' },
    });
    const env = JSON.parse((await post(server.port, '/api/saveTarget', bad, auth)).body);
    assert.equal(env.ok, false);
    assert.equal(env.error.name, 'ValidationError');
    assert.match(env.error.message, /saveTarget.*config\.host.*must not start with "-"/);
    const unknown = JSON.parse((await post(server.port, '/api/rmRf', '{}', auth)).body);
    assert.equal(unknown.error.name, 'NotFound');
    const extra = JSON.parse((await post(server.port, '/api/fleet', '{"x":1}', auth)).body);
    assert.equal(extra.error.name, 'ValidationError');
    const notJson = await post(server.port, '/api/fleet', '{', auth);
    assert.equal(notJson.status, 400);
    const badEscape = await post(server.port, '/api/%E0%A4%A', '{}', auth);
    assert.equal(badEscape.status, 400);
    const huge = await post(
      server.port,
      '/api/fleet',
      `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`,
      auth,
    );
    assert.equal(huge.status, 413);
    assert.match(JSON.parse(huge.body).error.message, /over 1048576 bytes/);
  });

  it('pushes events over the WebSocket only with the token', async () => {
    const url = `ws://127.0.0.1:${server.port}/events`;
    const refused = new WebSocket(url);
    const code = await new Promise<number>((r) =>
      refused.on('unexpected-response', (_q, res) => r(res.statusCode ?? 0)),
    );
    assert.equal(code, 401);
    const ws = new WebSocket(`${url}?token=${server.token}`);
    await new Promise((r) => ws.once('open', r));
    const got = new Promise<{ event: string; payload: { targetId: string } }>((r) =>
      ws.once('message', (m) => r(JSON.parse(String(m)))),
    );
    app.events.emit('status', {
      targetId: 'local',
      health: 'ok',
      lastError: null,
      since: 1,
      lastSampleAt: null,
      lastDurationMs: null,
      metricErrors: [],
      hostKey: null,
    });
    const msg = await got;
    assert.equal(msg.event, 'status');
    assert.equal(msg.payload.targetId, 'local');
    ws.close();
  });
});
