// Notifications against servers this test starts on loopback: an HTTP server that records
// webhook calls (and fails on demand), and a tiny SMTP sink of the test's own. Grouping per
// target, minimum severity per channel, retries with backoff, recorded deliveries.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  webhookRequest,
  describeNotice,
  Notifier,
  renderWebhookBody,
  type Notice,
} from '../../src/main/alerts/notify';
import type { Alert, Delivery, NotificationChannel } from '../../src/shared/alerts';
import { startSmtpSink, type SmtpSink } from './alerts-smtp-sink';

const T0 = Date.UTC(2026, 0, 5, 12);

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    ruleId: 'r',
    ruleName: 'Disk',
    targetId: 'web',
    metric: 'host.fs.used_pct',
    labels: { mount: '/' },
    state: 'firing',
    severity: 'critical',
    value: 95,
    message: `/ on web-1 is 95 % full (${id})`,
    action: 'Clean up old logs.',
    startedAt: T0,
    firingAt: T0,
    resolvedAt: null,
    ackBy: null,
    ackNote: null,
    ackAt: null,
    flapping: false,
    silenced: false,
    ...over,
  };
}

const notice: Notice = {
  targetId: 'web',
  targetName: 'web-1',
  alerts: [alert('a1'), alert('a2', { state: 'resolved', severity: 'warning' })],
};

interface Recorded {
  body: string;
  type: string | undefined;
  path: string | undefined;
  auth: string | undefined;
}

let http: Server;
let httpUrl = '';
const calls: Recorded[] = [];
let failNext = 0;

let smtp: SmtpSink;

before(async () => {
  http = createHttpServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      calls.push({
        body: Buffer.concat(parts).toString(),
        type: req.headers['content-type'],
        path: req.url,
        auth: req.headers.authorization,
      });
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('busy');
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;
  smtp = await startSmtpSink();
});

after(async () => {
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
  await smtp.stop();
});

function notifier(channels: NotificationChannel[], secrets: Record<string, string> = {}) {
  const deliveries: Delivery[] = [];
  const desktop: [string, string][] = [];
  const n = new Notifier({
    channels: () => channels,
    secret: (id) => secrets[id] ?? null,
    record: (d) => deliveries.push(d),
    desktop: (title, body) => desktop.push([title, body]),
    backoffMs: 20,
    attempts: 3,
    timeoutMs: 3000,
  });
  return { n, deliveries, desktop };
}

function channel(
  id: string,
  config: NotificationChannel['config'],
  over: Partial<NotificationChannel> = {},
): NotificationChannel {
  return { id, name: id, enabled: true, minSeverity: 'info', config, hasSecret: false, ...over };
}

describe('notifications', () => {
  test('one grouped notice per target says what fired, what resolved and what to do', () => {
    const t = describeNotice(notice);
    assert.equal(t.title, 'web-1: 1 firing, 1 resolved');
    assert.match(
      t.text,
      /CRITICAL: \/ on web-1 is 95 % full \(a1\)\n {2}What to do: Clean up old logs\./,
    );
    assert.match(t.text, /RESOLVED: .*\(a2\)/);
    assert.equal(t.severity, 'critical');
  });

  test('a Slack-style template gets JSON-escaped values', () => {
    const body = renderWebhookBody('{"text": "{{title}}\\n{{text}}", "n": {{count}}}', notice);
    const parsed = JSON.parse(body) as { text: string; n: number };
    assert.equal(parsed.n, 2);
    assert.match(parsed.text, /^web-1: 1 firing/);
  });

  test('webhook: POSTs JSON once for the whole group', async () => {
    calls.length = 0;
    const { n, deliveries } = notifier([channel('hook', { kind: 'webhook', url: httpUrl })]);
    n.notify(notice);
    await n.idle();
    assert.equal(calls.length, 1);
    assert.equal(calls[0].type, 'application/json');
    const body = JSON.parse(calls[0].body) as { target: string; alerts: Alert[] };
    assert.equal(body.target, 'web-1');
    assert.deepEqual(
      body.alerts.map((a) => a.id),
      ['a1', 'a2'],
    );
    assert.deepEqual(
      deliveries.map((d) => [d.status, d.attempts]),
      [['sent', 1]],
    );
  });

  test('webhook: the stored secret fills {{secret}} in the URL, else goes as a bearer token', async () => {
    assert.deepEqual(webhookRequest('https://hooks.example.test/services/{{secret}}', 'T/B/x y'), {
      url: 'https://hooks.example.test/services/T%2FB%2Fx%20y',
      headers: { 'content-type': 'application/json' },
    });
    calls.length = 0;
    const { n } = notifier(
      [
        channel('slack', { kind: 'webhook', url: `${httpUrl}/{{secret}}` }, { hasSecret: true }),
        channel('bearer', { kind: 'webhook', url: httpUrl }, { hasSecret: true }),
      ],
      { slack: 'tok123', bearer: 'b-456' },
    );
    n.notify(notice);
    await n.idle();
    assert.deepEqual(calls.map((c) => c.path).sort(), ['/hook', '/hook/tok123']);
    assert.equal(calls.find((c) => c.path === '/hook')?.auth, 'Bearer b-456');
  });

  test('webhook: a failure is retried with backoff and every attempt recorded', async () => {
    calls.length = 0;
    failNext = 2;
    const { n, deliveries } = notifier([channel('hook', { kind: 'webhook', url: httpUrl })]);
    n.notify(notice);
    await n.idle();
    assert.equal(calls.length, 3);
    assert.deepEqual(
      deliveries.map((d) => [d.status, d.attempts]),
      [
        ['retrying', 1],
        ['retrying', 2],
        ['sent', 3],
      ],
    );
    assert.match(deliveries[0].error ?? '', /hook: the webhook answered HTTP 503/);
  });

  test('webhook: gives up after the last attempt and records the failure', async () => {
    failNext = 5;
    const { n, deliveries } = notifier([channel('hook', { kind: 'webhook', url: httpUrl })]);
    n.notify(notice);
    await n.idle();
    failNext = 0;
    const last = deliveries[deliveries.length - 1];
    assert.equal(last.status, 'failed');
    assert.equal(last.attempts, 3);
  });

  test('a closed port fails as a recorded delivery, not an exception', async () => {
    const { n, deliveries } = notifier([
      channel('dead', { kind: 'webhook', url: 'http://127.0.0.1:9/x' }),
    ]);
    n.notify(notice);
    await n.idle();
    assert.equal(deliveries[deliveries.length - 1].status, 'failed');
  });

  test('minimum severity and disabled channels are honoured; desktop gets the group', async () => {
    calls.length = 0;
    const { n, desktop } = notifier([
      channel('hook', { kind: 'webhook', url: httpUrl }, { minSeverity: 'critical' }),
      channel('off', { kind: 'webhook', url: httpUrl }, { enabled: false }),
      channel('desk', { kind: 'desktop' }),
    ]);
    n.notify({ ...notice, alerts: [alert('w', { severity: 'warning' })] });
    await n.idle();
    assert.equal(calls.length, 0);
    assert.equal(desktop.length, 1);
    assert.equal(desktop[0][0], 'web-1: 1 firing');
  });

  test('email over SMTP with the stored password', async () => {
    smtp.mails.length = 0;
    const { n, deliveries } = notifier(
      [
        channel(
          'mail',
          {
            kind: 'email',
            host: '127.0.0.1',
            port: smtp.port,
            secure: false,
            from: 'opsdeck@example.test',
            to: ['ops@example.test', 'oncall@example.test'],
            user: 'ops',
          },
          { hasSecret: true },
        ),
      ],
      { mail: 's3cret' },
    );
    n.notify(notice);
    await n.idle();
    assert.deepEqual(
      deliveries.map((d) => d.status),
      ['sent'],
      deliveries[0]?.error ?? '',
    );
    assert.equal(smtp.mails.length, 1);
    assert.equal(smtp.mails[0].auth, 'ops:s3cret');
    assert.deepEqual(smtp.mails[0].to, ['<ops@example.test>', '<oncall@example.test>']);
    assert.match(smtp.mails[0].data, /Subject: \[Opsdeck critical\] web-1: 1 firing, 1 resolved/);
    assert.match(smtp.mails[0].data, /What to do: Clean up old logs\./);
  });
});
