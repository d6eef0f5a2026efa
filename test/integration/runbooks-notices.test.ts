// Escalation notices through the alerts' notification channels, on an injected clock: an
// incident left unacknowledged past a level's time frame sends that level's notice (which
// incident, severity, the level due, its contacts as entered, how long unacknowledged) to a
// webhook receiver and the SMTP sink started here on 127.0.0.1; every delivery's outcome,
// a failure after its retries included, lands in the incident's timeline.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Notifier } from '../../src/main/alerts/notify';
import { ApiEventBus } from '../../src/main/dispatch';
import { setLogSink } from '../../src/main/log';
import type { Connections } from '../../src/main/monitor/connections';
import { Runbooks } from '../../src/main/runbooks';
import { DEFAULT_MATRIX } from '../../src/main/runbooks/escalation';
import { Store } from '../../src/main/store';
import type { NotificationChannel } from '../../src/shared/alerts';
import type { EscalationMatrix, Incident } from '../../src/shared/runbooks';
import { freePort } from '../harness/util';
import { startSmtpSink, type SmtpSink } from './alerts-smtp-sink';

setLogSink(() => {});
const MIN = 60_000;
const T0 = Date.UTC(2026, 3, 1, 3, 0, 0);

interface Call {
  path: string;
  body: string;
}

function channel(id: string, config: NotificationChannel['config'], enabled = true) {
  const ch: NotificationChannel = {
    id,
    name: `${id} channel`,
    enabled,
    minSeverity: 'critical',
    config,
    hasSecret: false,
  };
  return ch;
}

function notices(inc: Incident): string[] {
  return inc.timeline.filter((e) => e.kind === 'notice').map((e) => e.text);
}

describe('escalation notices through notification channels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-notices-'));
  const store = Store.open(join(dir, 'opsdeck.sqlite'));
  const calls: Call[] = [];
  const desktop: string[] = [];
  let http: Server;
  let smtp: SmtpSink;
  let rb: Runbooks;
  let notifier: Notifier;
  let now = T0;

  before(async () => {
    http = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        calls.push({ path: req.url ?? '', body: Buffer.concat(parts).toString() });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    smtp = await startSmtpSink();
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const closed = await freePort();
    for (const ch of [
      channel('hook', { kind: 'webhook', url: `${base}/hook` }),
      channel('chat', { kind: 'webhook', url: `${base}/chat`, template: '{"text":"{{text}}"}' }),
      channel('mail', {
        kind: 'email',
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        from: 'opsdeck@example.test',
        to: ['lead@example.test'],
      }),
      channel('broken', { kind: 'webhook', url: `http://127.0.0.1:${closed}/nobody` }),
      channel('off', { kind: 'webhook', url: `${base}/off` }, false),
      channel('desk', { kind: 'desktop' }),
    ]) {
      store.alerting.saveChannel(ch);
    }
    notifier = new Notifier({
      channels: () => store.alerting.listChannels(),
      secret: () => null,
      record: () => undefined,
      desktop: null,
      backoffMs: 5,
      attempts: 2,
      timeoutMs: 3000,
      now: () => now,
    });
    rb = new Runbooks({
      store,
      connections: {} as Connections,
      events: new ApiEventBus(),
      operator: 'ann',
      audit: () => undefined,
      appRoot: resolve(__dirname, '..', '..'),
      desktop: (title, body) => desktop.push(`${title}: ${body}`),
      channels: {
        list: () => store.alerting.listChannels(),
        deliver: (ch, m, record) => notifier.deliverMessage(ch, m, record),
      },
      now: () => now,
    });
  });

  after(async () => {
    notifier.stop();
    rb.stop();
    store.close();
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
    await smtp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the matrix names only channels that exist and can carry a notice', () => {
    const withLevel = (ids: string[]): EscalationMatrix => ({
      levels: DEFAULT_MATRIX.levels.map((l, i) => (i === 1 ? { ...l, channelIds: ids } : l)),
    });
    assert.throws(() => rb.incidents.saveMatrix(withLevel(['gone'])), {
      name: 'ValidationError',
      message: /Level "Team lead" names the channel "gone", which does not exist/,
    });
    assert.throws(() => rb.incidents.saveMatrix({ ...withLevel([]), channelIds: ['desk'] }), {
      message: /names the desktop channel "desk channel".*webhook or email/,
    });
    assert.equal(rb.incidents.matrix().channelIds, undefined, 'nothing was saved');
  });

  test('a level past its time frame is noticed through its channels, each outcome in the timeline', async () => {
    const levels = DEFAULT_MATRIX.levels.map((l) => ({ ...l }));
    levels[1] = {
      ...levels[1],
      contacts: [
        {
          name: 'Lee Placeholder',
          role: 'Operations lead',
          phone: '+00 000 000 042',
          email: 'lee@example.invalid',
          hours: '24/7',
        },
      ],
      channelIds: ['hook', 'chat', 'mail', 'broken', 'off'],
    };
    levels[2] = { ...levels[2], channelIds: [] };
    rb.incidents.saveMatrix({ levels, channelIds: ['hook'] });
    const web = store.saveTarget({
      id: 'web1',
      name: 'web-1',
      group: 'web',
      intervalMs: 60_000,
      enabled: true,
      config: { kind: 'local' },
      hasSecret: false,
      createdAt: T0,
    });

    now = T0;
    const inc = rb.incidents.open({
      title: 'Checkout is down',
      type: 'availability',
      severity: 'critical',
      symptoms: 'HTTP 502',
      impact: 'no orders',
      targetIds: [web.id],
    });
    now = T0 + 14 * MIN;
    rb.tick(now);
    await notifier.idle();
    assert.equal(calls.length, 0, 'nothing is due yet');

    now = T0 + 16 * MIN;
    rb.tick(now);
    await notifier.idle();
    const hook = calls.find((c) => c.path === '/hook');
    assert.ok(hook, 'the webhook was called');
    const body = JSON.parse(hook.body) as Record<string, unknown>;
    assert.equal(body.kind, 'escalation');
    assert.equal(body.severity, 'critical');
    assert.deepEqual(body.incident, {
      id: inc.id,
      title: 'Checkout is down',
      type: 'availability',
      severity: 'critical',
      status: 'open',
      openedAt: new Date(T0).toISOString(),
    });
    assert.deepEqual(body.level, { index: 2, id: 'team-lead', name: 'Team lead' });
    assert.equal(body.unacknowledgedMinutes, 16);
    assert.deepEqual(body.contacts, levels[1].contacts);
    assert.deepEqual(body.targets, ['web-1']);

    const chat = JSON.parse(calls.find((c) => c.path === '/chat')?.body ?? '{}') as {
      text: string;
    };
    assert.match(chat.text, /^Incident: Checkout is down/, 'the template got the text');
    assert.match(chat.text, /Lee Placeholder, Operations lead, \+00 000 000 042/);
    assert.equal(calls.filter((c) => c.path === '/off').length, 0, 'a disabled channel is skipped');

    assert.equal(smtp.mails.length, 1);
    const mail = quotedPrintable(smtp.mails[0].data);
    assert.match(mail, /Subject: \[Opsdeck critical\] Escalation: Team lead is due for/);
    assert.match(mail, /Unacknowledged for: 16 min/);
    assert.match(mail, /lee@example\.invalid/);
    assert.match(mail, /Level due: 2 — Team lead\. Nobody acknowledged within 15 min\./);

    const got = notices(rb.incidents.get(inc.id));
    assert.deepEqual(got.slice().sort(), [
      'Escalation notice for Team lead sent to channel "chat channel".',
      'Escalation notice for Team lead sent to channel "hook channel".',
      'Escalation notice for Team lead sent to channel "mail channel".',
      'Escalation notice not sent: channel "off channel" is disabled; enable it under Notifications.',
      expectFailure(got),
    ]);
    assert.match(
      expectFailure(got),
      /^Escalation notice to channel "broken channel" failed after 2 attempts: broken channel: /,
    );
    assert.equal(desktop.length, 1, 'the desktop notice still goes out');

    // Security names no channels: its notice stays on the desktop. Management inherits the
    // matrix's list: the webhook only.
    calls.length = 0;
    now = T0 + 46 * MIN;
    rb.tick(now);
    await notifier.idle();
    assert.equal(calls.length, 0, 'a level with an empty list sends nothing');
    now = T0 + 76 * MIN;
    rb.tick(now);
    await notifier.idle();
    assert.deepEqual(
      calls.map((c) => c.path),
      ['/hook'],
    );
    const mgmt = JSON.parse(calls[0].body) as { level: { name: string }; text: string };
    assert.equal(mgmt.level.name, 'Management');
    assert.match(mgmt.text, /Unacknowledged for: 1 h 16 min/);
    assert.match(mgmt.text, /Head of operations \(placeholder\)/);

    // Acknowledged: the clock stops, nothing more goes out.
    calls.length = 0;
    rb.incidents.ack(inc.id, 'on it');
    rb.tick(T0 + 600 * MIN);
    await notifier.idle();
    assert.equal(calls.length, 0);
  });

  test('an escalate step notices the level it names', async () => {
    calls.length = 0;
    now = T0 + 1000 * MIN;
    const inc = rb.incidents.open({
      title: 'Odd logins',
      type: 'security',
      severity: 'high',
      symptoms: '',
      impact: '',
      targetIds: [],
    });
    now += 3 * MIN;
    rb.incidents.escalate(inc.id, 'management', 'the operator', null);
    await notifier.idle();
    assert.deepEqual(
      calls.map((c) => c.path),
      ['/hook'],
    );
    const body = JSON.parse(calls[0].body) as { cause: string; unacknowledgedMinutes: number };
    assert.equal(body.cause, 'runbook-step');
    assert.equal(body.unacknowledgedMinutes, 3);
    assert.deepEqual(notices(rb.incidents.get(inc.id)), [
      'Escalation notice for Management sent to channel "hook channel".',
    ]);
  });
});

/** The mail as written, before header words and body were encoded for transport. */
function quotedPrintable(data: string): string {
  const bytes = (s: string): string =>
    s.replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));
  return bytes(
    data
      .replace(/=\?UTF-8\?Q\?(.*?)\?=\s*/gi, (_, w: string) => w.replace(/_/g, ' '))
      .replace(/=\r?\n/g, ''),
  );
}

function expectFailure(got: string[]): string {
  return got.find((t) => t.includes('"broken channel" failed')) ?? '(no failure recorded)';
}
