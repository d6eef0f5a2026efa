// Shift handover composed from seeded incidents, alerts, runs, schedules and backups; edits
// refused once acknowledged; search by note text; the HTML export references nothing outside.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Backup, MaintenanceSchedule } from '../../src/shared/care';
import type { ChecklistRun, ItemResult } from '../../src/shared/checklists';
import type { Handover, SectionId } from '../../src/shared/handover';
import type { Incident } from '../../src/shared/runbooks';
import { HandoverReadOnly } from '../../src/main/errors';
import { runsWithin, searchWords, spell } from '../../src/main/handover/compose';
import { handoverHtml } from '../../src/main/handover/html';
import { HandoverService } from '../../src/main/handover/service';
import { setLogSink } from '../../src/main/log';
import { Store, type StoredAlert } from '../../src/main/store';
import type { RunHeader } from '../../src/main/store/runbooks';
import { storedAlert } from '../harness/alert-fixture';

setLogSink(() => {});
const printPdf = async (html: string): Promise<Buffer> =>
  Buffer.from(`PDF of ${html.length} chars`);
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-handover-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 15, 6, 0);
let n = 0;

function alert(id: string, over: Partial<StoredAlert>): StoredAlert {
  return storedAlert(NOW - 3 * HOUR, {
    id,
    ruleId: 'disk',
    ruleName: 'Disk almost full',
    targetId: 'db1',
    labels: {},
    message: '/var on db1 is 93 % full',
    action: 'Rotate the logs or grow the volume.',
    seriesKey: 'host.fs.used_pct',
    ...over,
  });
}

function incident(id: string, over: Partial<Incident>): Omit<Incident, 'timeline'> {
  return {
    id,
    title: 'Checkout slow',
    type: 'performance',
    severity: 'high',
    status: 'investigating',
    symptoms: '',
    impact: '',
    targetIds: ['db1'],
    runIds: [],
    origin: 'manual',
    openedAt: NOW - 5 * HOUR,
    openedBy: 'night-op',
    ackAt: null,
    ackBy: null,
    resolvedAt: null,
    escalation: { level: 0, since: NOW - 5 * HOUR, nextDueAt: null },
    ...over,
  };
}

function run(id: string, status: RunHeader['status']): RunHeader {
  return {
    id,
    runbookId: 'disk-almost-full',
    title: 'Disk almost full',
    scenario: 'system-failure',
    params: {},
    targets: { host: 'web1' },
    incidentId: null,
    status,
    startedAt: NOW - HOUR,
    startedBy: 'night-op',
    finishedAt: null,
    current: 1,
    plan: ['Look', 'Clean up'].map((title, index) => ({
      index,
      id: `s${index}`,
      kind: 'instruction' as const,
      title,
      body: null,
      mode: null,
      targetId: 'web1',
      targetName: 'web-1',
      text: null,
      params: [],
      expect: null,
    })),
    doc: {
      id: 'disk-almost-full',
      title: 'Disk almost full',
      scenario: 'system-failure',
      severity: 'high',
      estimatedMinutes: 5,
      dependencies: [],
      targets: [],
      parameters: [],
      steps: [{ id: 'a', kind: 'instruction', title: 'A', timeline: false }],
    } as unknown as RunHeader['doc'],
  };
}

function schedule(id: string, cron: string): MaintenanceSchedule {
  return {
    id,
    targetId: 'db1',
    action: 'vacuum',
    scope: { kind: 'table', schema: 'public', name: 'orders' },
    options: {},
    cron,
    windowStart: '00:00',
    windowEnd: '23:59',
    enabled: true,
    nextRunAt: null,
    lastRunId: null,
    createdAt: NOW - 100 * HOUR,
  } as MaintenanceSchedule;
}

function backup(id: string, status: Backup['status'], startedAt: number): Backup {
  return {
    id,
    targetId: 'db1',
    mode: 'local',
    path: `/backups/${id}.dump`,
    status,
    startedAt,
    finishedAt: startedAt + 60_000,
    durationMs: 60_000,
    sizeBytes: 1000,
    sha256: null,
    tocEntries: null,
    serverVersionNum: 150000,
    pgDumpVersion: '15',
    tables: [],
    error: status === 'failed' ? 'pg_dump: connection to db1 lost' : null,
    verification: null,
    deletedAt: null,
  };
}

/** A store holding one night's worth of events. */
function seeded(): Store {
  const store = Store.open(join(dir, `h-${n++}.db`));
  const base = { group: '', intervalMs: 10_000, enabled: true, hasSecret: false, createdAt: 0 };
  store.saveTarget({ ...base, id: 'web1', name: 'web-1', config: { kind: 'local' } });
  store.saveTarget({
    ...base,
    id: 'db1',
    name: 'db-1',
    config: {
      kind: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      database: 'shop',
      user: 'mon',
      sslmode: 'disable',
    },
  });
  store.runbooks.saveIncident(incident('inc-open', {}));
  store.runbooks.saveIncident(incident('inc-done', { status: 'resolved', title: 'Old one' }));
  store.alerting.saveAlert(alert('a-firing', {}), []);
  store.alerting.saveAlert(
    alert('a-recent', {
      state: 'resolved',
      severity: 'warning',
      message: 'Replica lag on db-1',
      firingAt: NOW - 4 * HOUR,
      resolvedAt: NOW - 3 * HOUR,
    }),
    [],
  );
  store.alerting.saveAlert(
    alert('a-old', { state: 'resolved', message: 'Last week', resolvedAt: NOW - 40 * HOUR }),
    [],
  );
  store.runbooks.saveRun(run('run-live', 'running'));
  store.runbooks.saveRun(run('run-done', 'completed'));
  store.care.saveSchedule(schedule('sch-soon', '*/30 * * * *'));
  store.care.saveSchedule(schedule('sch-far', `0 0 1 1 *`));
  store.care.saveBackup(backup('b-failed', 'failed', NOW - 2 * HOUR));
  store.care.saveBackup(backup('b-old', 'succeeded', NOW - 72 * HOUR));
  store.care.savePolicy({
    targetId: 'db1',
    keepLast: 3,
    dailyDays: 7,
    weeklyWeeks: 4,
    rpoHours: 24,
    rtoHours: 1,
  });
  return store;
}

function service(store: Store, clock = () => NOW): HandoverService {
  return new HandoverService({ store, operator: 'night-op', audit: () => {}, clock, printPdf });
}

function keys(h: Handover, id: SectionId): string[] {
  return h.facts.sections.find((s) => s.id === id)?.facts.map((f) => f.key) ?? [];
}

describe('handover composition', () => {
  test('a draft holds what is open, what fired, what runs and what is due', () => {
    const store = seeded();
    const h = service(store).compose({});
    assert.equal(h.status, 'draft');
    assert.equal(h.outgoing, 'night-op');
    assert.equal(h.facts.shiftHours, 12);
    assert.deepEqual(keys(h, 'incidents'), ['inc-open']);
    assert.deepEqual(keys(h, 'firing'), ['a-firing']);
    assert.deepEqual(keys(h, 'resolved'), ['a-recent']);
    assert.deepEqual(keys(h, 'runs'), ['run-live']);
    assert.deepEqual(keys(h, 'maintenance'), ['sch-soon']);
    assert.deepEqual(keys(h, 'backups'), ['rpo:db1', 'b-failed']);
    assert.deepEqual(keys(h, 'checklists'), []);
    const inc = h.facts.sections[0].facts[0];
    assert.equal(inc.targetName, 'db-1');
    assert.deepEqual(inc.ref, { page: 'incident', id: 'inc-open' });
    const runFact = h.facts.sections.find((s) => s.id === 'runs')!.facts[0];
    assert.match(runFact.detail, /step 2 of 2: Clean up/);
    store.close();
  });

  test('the shift length decides what counts as recent', () => {
    const store = seeded();
    const h = service(store).compose({ shiftHours: 1 });
    assert.deepEqual(keys(h, 'resolved'), []);
    assert.deepEqual(keys(h, 'backups'), ['rpo:db1']);
    store.close();
  });

  test('failed, warning and stale items of the newest run of each checklist', () => {
    const store = seeded();
    const item = (title: string, outcome: ItemResult['outcome']): ItemResult => ({
      itemId: title.toLowerCase().replace(/\W+/g, '-'),
      title,
      group: 'Backups',
      kind: 'manual',
      outcome,
      summary: `${title}: ${outcome}`,
      findings: [],
      action: outcome === 'pass' ? null : 'Verify the newest backup.',
      evaluatedAt: NOW - HOUR,
      dataAt: null,
      tick: null,
      note: '',
      tickedBy: null,
      tickedAt: null,
    });
    const run = (id: string, startedAt: number, items: ItemResult[]): ChecklistRun =>
      ({
        id,
        checklistId: 'daily',
        title: 'Daily checks',
        period: 'daily',
        status: 'finished',
        startedAt,
        startedBy: 'night-op',
        finishedAt: startedAt + 60_000,
        finishedBy: 'night-op',
        note: '',
        items,
        counts: { pass: 0, fail: 0, warning: 0, stale: 0, skipped: 0, open: 0 },
        outcome: 'fail',
        doc: {},
      }) as unknown as ChecklistRun;
    store.checklists.saveRun(run('old', NOW - 3 * HOUR, [item('Replicas caught up', 'fail')]));
    store.checklists.saveRun(
      run('new', NOW - 2 * HOUR, [
        item('Backups verified', 'fail'),
        item('Disk headroom', 'pass'),
        item('Collection fresh', 'stale'),
        item('Failed logins reviewed', 'open'),
      ]),
    );
    store.checklists.saveRun(run('long-ago', NOW - 30 * HOUR, [item('Ancient', 'fail')]));
    const h = service(store).compose({});
    assert.deepEqual(keys(h, 'checklists'), ['new:Backups verified', 'new:Collection fresh']);
    const facts = h.facts.sections.find((s) => s.id === 'checklists')!.facts;
    assert.deepEqual(facts[0].ref, { page: 'checklist', id: 'new' });
    assert.equal(facts[0].level, 'critical');
    assert.equal(facts[1].level, 'warning');
    assert.match(facts[0].detail, /Daily checks: fail\. Backups verified: fail Next: Verify/);
    store.close();
  });

  test('refresh recomposes; hand-over freezes; acknowledged is read-only', () => {
    const store = seeded();
    let now = NOW;
    const svc = service(store, () => now);
    const draft = svc.compose({});
    svc.save({ id: draft.id, notes: 'db-1 vacuum ran long; watch replica lag', tasks: [] });
    store.alerting.saveAlert(alert('a-new', { message: 'Load high on web-1' }), []);
    now += 60_000;
    const refreshed = svc.compose({ id: draft.id });
    assert.deepEqual(keys(refreshed, 'firing').sort(), ['a-firing', 'a-new']);
    assert.equal(refreshed.notes, 'db-1 vacuum ran long; watch replica lag');

    now += 60_000;
    const given = svc.handOver(draft.id);
    assert.equal(given.status, 'handed-over');
    assert.equal(given.handedAt, now);
    assert.equal(given.facts.composedAt, now);
    assert.throws(() => svc.save({ id: draft.id, notes: 'late' }), HandoverReadOnly);
    assert.throws(() => svc.compose({ id: draft.id }), HandoverReadOnly);
    assert.deepEqual(svc.current().waiting?.id, draft.id);
    assert.equal(svc.current().draft, null);

    now += 60_000;
    const acked = svc.ack(draft.id, 'day-op', 'Got it');
    assert.equal(acked.status, 'acknowledged');
    assert.equal(acked.incoming, 'day-op');
    assert.equal(acked.ackAt, now);
    assert.throws(
      () => svc.save({ id: draft.id, notes: 'changed' }),
      (err: Error) =>
        err instanceof HandoverReadOnly && /acknowledged by day-op .*read-only/.test(err.message),
    );
    assert.throws(() => svc.ack(draft.id, 'someone', ''), HandoverReadOnly);
    assert.equal(svc.get(draft.id).notes, 'db-1 vacuum ran long; watch replica lag');
    store.close();
  });

  test('a draft cannot be acknowledged before it is handed over', () => {
    const store = seeded();
    const svc = service(store);
    const d = svc.compose({});
    assert.throws(() => svc.ack(d.id, 'day-op', ''), /still a draft/);
    store.close();
  });

  test('search finds by note text, task text and fact text, every word', () => {
    const store = seeded();
    let now = NOW;
    const svc = service(store, () => now);
    const a = svc.compose({});
    svc.save({
      id: a.id,
      notes: 'PgBouncer restarted twice, pool ran long',
      tasks: [{ text: 'call DBA', done: false }],
    });
    svc.handOver(a.id);
    now += HOUR;
    const b = svc.compose({});
    svc.save({ id: b.id, notes: 'quiet night, 100% boring' });
    assert.deepEqual(
      svc.list('pgbouncer', 10).map((s) => s.id),
      [a.id],
    );
    assert.deepEqual(
      svc.list('long PGBOUNCER', 10).map((s) => s.id),
      [a.id],
    );
    assert.deepEqual(
      svc.list('call dba', 10).map((s) => s.id),
      [a.id],
    );
    assert.deepEqual(
      svc.list('100%', 10).map((s) => s.id),
      [b.id],
    );
    // '%' is a literal, not a wildcard (both hold a '0' somewhere in their facts).
    assert.deepEqual(
      svc.list('0%', 10).map((s) => s.id),
      [b.id],
    );
    // Facts are searched too: both hold the firing disk alert.
    assert.equal(svc.list('93 % full', 10).length, 2);
    assert.deepEqual(
      svc.list('', 10).map((s) => s.id),
      [b.id, a.id],
    );
    assert.deepEqual(searchWords('  A  b '), ['a', 'b']);
    store.close();
  });
});

describe('handover pieces', () => {
  test('cron start times inside the next shift', () => {
    const from = Date.UTC(2026, 5, 15, 6, 0);
    assert.equal(runsWithin('*/30 * * * *', from, from + 2 * HOUR).length, 4);
    assert.deepEqual(runsWithin('not a cron', from, from + HOUR), []);
  });

  test('durations in words', () => {
    assert.equal(spell(40_000), '40 s');
    assert.equal(spell(12 * 60_000), '12 min');
    assert.equal(spell(200 * 60_000), '3 h 20 min');
    assert.equal(spell(72 * HOUR), '3 days');
  });

  test('the HTML export is self-contained and escapes what operators typed', async () => {
    const store = seeded();
    const svc = service(store);
    const h = svc.compose({});
    svc.save({
      id: h.id,
      notes: '<script>alert(1)</script> see <img src="http://example.invalid/x.png">',
      tasks: [{ text: '<a href="https://example.invalid">x</a>', done: false }],
    });
    const html = handoverHtml(svc.get(h.id), NOW);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img|<link|<iframe|<object|<a /i);
    assert.doesNotMatch(html, /<[^>]*\s(src|href|action)=/i);
    assert.doesNotMatch(html, /url\(/i);
    assert.match(html, /default-src 'none'/);
    assert.match(html, /&lt;script&gt;/);
    assert.match(html, /Open incidents \(1\)/);
    assert.match(html, /Checkout slow/);
    const file = await svc.export(h.id, 'html');
    assert.match(file.fileName, /^handover-20260615T060000Z\.html$/);
    assert.equal(file.content, html);
    const pdf = await svc.export(h.id, 'pdf');
    assert.equal(pdf.encoding, 'base64');
    assert.equal(Buffer.from(pdf.content, 'base64').toString(), `PDF of ${html.length} chars`);
    store.close();
  });

  test('the CSV export has one row per fact, task and note, formula-safe', async () => {
    const store = seeded();
    const svc = service(store);
    const h = svc.compose({});
    svc.save({
      id: h.id,
      notes: 'line one\nline "two"',
      tasks: [{ text: '=HYPERLINK(1)', done: true }],
    });
    const csv = (await svc.export(h.id, 'csv')).content;
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], '"section","level","title","target","when","detail"');
    assert.ok(lines.includes(`"task","done","'=HYPERLINK(1)",,,`));
    assert.ok(csv.includes(`"notes",,,,,"line one\nline ""two""` + `"`));
    assert.ok(
      lines.some((l) => l.startsWith('"Open incidents","critical","Checkout slow","db-1",')),
    );
    store.close();
  });
});
