// The escalation clock on an injected clock: each unacknowledged time frame makes the next
// level due, with a notification and a timeline entry; acknowledgement stops it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { ApiEventBus } from '../../src/main/dispatch';
import { setLogSink } from '../../src/main/log';
import type { Connections } from '../../src/main/monitor/connections';
import { Runbooks } from '../../src/main/runbooks';
import {
  advanceEscalation,
  DEFAULT_MATRIX,
  escalateTo,
  startEscalation,
} from '../../src/main/runbooks/escalation';
import { Store } from '../../src/main/store';
import type { Incident } from '../../src/shared/runbooks';

setLogSink(() => {});
const MIN = 60_000;
const T0 = Date.UTC(2026, 3, 1, 3, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-escalation-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('escalation clock (pure)', () => {
  test('levels fall due one time frame after another; the last has no successor', () => {
    const s0 = startEscalation(DEFAULT_MATRIX, T0);
    assert.deepEqual(s0, { level: 0, since: T0, nextDueAt: T0 + 15 * MIN });
    assert.deepEqual(advanceEscalation(DEFAULT_MATRIX, s0, T0 + 15 * MIN - 1).reached, []);
    const jump = advanceEscalation(DEFAULT_MATRIX, s0, T0 + 200 * MIN);
    assert.deepEqual(jump.reached, [1, 2, 3], 'a long sleep catches up level by level');
    assert.deepEqual(jump.state, { level: 3, since: T0 + 75 * MIN, nextDueAt: null });
  });

  test('an escalate step jumps to a named level, never down', () => {
    const s0 = startEscalation(DEFAULT_MATRIX, T0);
    const sec = escalateTo(DEFAULT_MATRIX, s0, 'security', T0 + MIN, false);
    assert.deepEqual(sec, { level: 2, since: T0 + MIN, nextDueAt: T0 + 31 * MIN });
    const down = escalateTo(DEFAULT_MATRIX, sec ?? s0, 'on-call', T0 + 2 * MIN, true);
    assert.deepEqual(down, { level: 2, since: T0 + 2 * MIN, nextDueAt: null });
    assert.equal(escalateTo(DEFAULT_MATRIX, s0, 'nobody', T0, false), null);
  });
});

describe('incidents on an injected clock', () => {
  let now = T0;
  const notices: string[] = [];
  const events: Incident[] = [];
  const store = Store.open(join(dir, 'opsdeck.sqlite'));
  const bus = new ApiEventBus();
  bus.on('incident', (i) => events.push(i));
  const audit: string[] = [];
  const rb = new Runbooks({
    store,
    connections: {} as Connections,
    events: bus,
    operator: 'ann',
    audit: (_t, action) => audit.push(action),
    appRoot: resolve(__dirname, '..', '..'),
    desktop: (title, body) => notices.push(`${title}: ${body}`),
    now: () => now,
  });
  after(() => {
    rb.stop();
    store.close();
  });

  test('unacknowledged: the next level becomes due and is notified; ack stops the clock', () => {
    const inc = rb.incidents.open({
      title: 'Checkout is down',
      type: 'availability',
      severity: 'critical',
      symptoms: 'HTTP 502',
      impact: 'no orders',
      targetIds: [],
    });
    assert.equal(inc.status, 'open');
    assert.equal(inc.escalation.nextDueAt, T0 + 15 * MIN);
    now = T0 + 14 * MIN;
    rb.tick(now);
    assert.equal(notices.length, 0);
    now = T0 + 16 * MIN;
    rb.tick(now);
    let got = rb.incidents.get(inc.id);
    assert.equal(got.escalation.level, 1);
    assert.equal(got.escalation.nextDueAt, T0 + 45 * MIN);
    assert.equal(notices.length, 1);
    assert.match(
      notices[0],
      /^Escalation due: Checkout is down: Not acknowledged within 15 min: Team lead is now due/,
    );
    const due = got.timeline.filter((e) => e.kind === 'escalation-due');
    assert.equal(due.length, 1);
    assert.equal(due[0].t, T0 + 16 * MIN);
    assert.equal(due[0].by, 'Opsdeck escalation clock');

    now = T0 + 20 * MIN;
    got = rb.incidents.ack(inc.id, 'on it');
    assert.equal(got.ackBy, 'ann');
    assert.equal(got.status, 'investigating');
    assert.equal(got.escalation.nextDueAt, null);
    assert.ok(got.timeline.some((e) => e.kind === 'acknowledged' && /on it/.test(e.text)));
    rb.tick(T0 + 600 * MIN);
    assert.equal(rb.incidents.get(inc.id).escalation.level, 1, 'the clock stopped');
    assert.equal(notices.length, 1);
    assert.ok(events.length > 0, 'incident events were pushed');
    assert.ok(audit.includes('incident-opened') && audit.includes('incident-acknowledged'));
  });

  test('resolving stops the clock; edits and status changes land in the timeline', () => {
    now = T0;
    const inc = rb.incidents.open({ title: 'Slow', symptoms: '', impact: '', targetIds: [] });
    now = T0 + 5 * MIN;
    const done = rb.incidents.update({ id: inc.id, status: 'resolved', impact: 'slow pages' });
    assert.equal(done.resolvedAt, T0 + 5 * MIN);
    assert.equal(done.escalation.nextDueAt, null);
    assert.deepEqual(
      done.timeline.map((e) => e.kind),
      ['opened', 'edited', 'status'],
    );
    rb.tick(T0 + 600 * MIN);
    assert.equal(rb.incidents.get(inc.id).escalation.level, 0);
  });

  test('opened from an alert: title, severity, target and symptoms come from it', () => {
    store.alerting.saveAlert(
      {
        id: 'a1',
        ruleId: 'disk',
        ruleName: 'Disk almost full',
        targetId: 'web1',
        metric: 'host.fs.used_pct',
        labels: { mount: '/' },
        state: 'firing',
        severity: 'critical',
        value: 97,
        message: '/ is 97 % full',
        action: 'Free space',
        runbook: 'disk-almost-full',
        startedAt: T0,
        firingAt: T0,
        resolvedAt: null,
        ackBy: null,
        ackNote: null,
        ackAt: null,
        flapping: false,
        silenced: false,
        seriesKey: 'host.fs.used_pct{mount=/}',
        clearSince: null,
      },
      [],
    );
    const inc = rb.incidents.open({ alertId: 'a1', symptoms: '', impact: '', targetIds: [] });
    assert.equal(inc.title, 'Disk almost full on web1');
    assert.equal(inc.severity, 'high');
    assert.equal(inc.origin, 'alert:a1');
    assert.deepEqual(inc.targetIds, ['web1']);
    assert.match(inc.symptoms, /97 % full\nWhat to do: Free space/);
    assert.ok(inc.timeline.some((e) => e.text.includes('"disk-almost-full"')));
  });

  test('the matrix is validated and kept', () => {
    assert.throws(
      () =>
        rb.incidents.saveMatrix({
          levels: [
            { id: 'a', name: 'A', withinMinutes: 5, contacts: [] },
            { id: 'a', name: 'B', withinMinutes: 5, contacts: [] },
          ],
        }),
      /two escalation levels have the id "a"/i,
    );
    const m = rb.incidents.saveMatrix({
      levels: [{ id: 'only', name: 'Only', withinMinutes: 5, contacts: [] }],
    });
    assert.equal(m.levels.length, 1);
    now = T0;
    const inc = rb.incidents.open({ title: 'x', symptoms: '', impact: '', targetIds: [] });
    assert.equal(inc.escalation.nextDueAt, null, 'a single level has nobody to escalate to');
  });
});
