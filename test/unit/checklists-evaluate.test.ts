// The checklist evaluator on fixed facts: manual, passing, failing, warning and stale items,
// each target listed, data older than its freshness limit stale and never pass.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Alert } from '../../src/shared/alerts';
import type { CapacityForecast } from '../../src/shared/capacity';
import { checklistSchema, type ChecklistItem } from '../../src/shared/checklists';
import {
  blankResult,
  countOutcomes,
  evaluateItem,
  runOutcome,
  tickResult,
  type ChecklistFacts,
  type FactPoint,
  type FactTarget,
} from '../../src/main/checklists/evaluate';

const NOW = Date.UTC(2026, 11, 4, 8, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

function target(id: string, kind: FactTarget['kind'], sampledAgo: number | null): FactTarget {
  return {
    id,
    name: id,
    group: 'prod',
    kind,
    enabled: true,
    health: sampledAgo !== null && sampledAgo < 5 * MIN ? 'ok' : 'unreachable',
    lastSampleAt: sampledAgo === null ? null : NOW - sampledAgo,
    lastError: sampledAgo !== null && sampledAgo < 5 * MIN ? null : 'connection refused',
  };
}

function p(metric: string, v: number | null, ago: number, labels = {}): FactPoint {
  return { metric, labels, t: NOW - ago, v };
}

function alert(over: Partial<Alert>): Alert {
  return {
    id: 'a1',
    ruleId: 'r1',
    ruleName: 'Disk almost full',
    targetId: 'web-1',
    metric: 'host.fs.used_pct',
    labels: {},
    state: 'firing',
    severity: 'critical',
    value: 95,
    message: '/ is 95 % full',
    action: 'free space',
    startedAt: NOW - HOUR,
    firingAt: NOW - HOUR,
    resolvedAt: null,
    ackBy: null,
    ackNote: null,
    ackAt: null,
    flapping: false,
    silenced: false,
    ...over,
  };
}

function forecast(over: Partial<CapacityForecast>): CapacityForecast {
  return {
    key: 'filesystem:/var',
    targetId: 'web-1',
    targetName: 'web-1',
    group: 'prod',
    resource: 'filesystem',
    label: '/var',
    series: { metric: 'host.fs.used_pct', labels: { mount: '/var' } },
    unit: 'percent',
    current: 70,
    currentAt: NOW - 8 * HOUR,
    limit: { value: 90, source: '90 % of the filesystem' },
    fit: null,
    projected: [],
    limitReachedAt: null,
    limitInterval: null,
    daysToLimit: null,
    status: 'ok',
    recommendation: '',
    figures: [],
    ...over,
  };
}

/** web-1 fresh, web-2 collected 2 hours ago; pg-1 fresh, redis-1 fresh. */
function facts(over: Partial<ChecklistFacts> = {}): ChecklistFacts {
  return {
    targets: [
      target('web-1', 'ssh', MIN),
      target('web-2', 'ssh', 2 * HOUR),
      target('pg-1', 'postgres', MIN),
      target('redis-1', 'redis', MIN),
    ],
    points: {
      'web-1': [
        p('host.fs.used_pct', 93, MIN, { mount: '/var' }),
        p('host.fs.used_pct', 40, MIN, { mount: '/' }),
        p('host.mem.available_pct', 15, MIN),
      ],
      'web-2': [
        p('host.fs.used_pct', 20, 2 * HOUR, { mount: '/' }),
        p('host.mem.available_pct', 60, 2 * HOUR),
      ],
      'pg-1': [
        p('pg.connections.used_pct', 45, MIN),
        p('pg.connections.total', 45, MIN),
        p('pg.connections.max', 100, MIN),
        p('pg.oldest_xact_s', 7200, MIN),
        p('pg.replication.is_replica', 0, MIN),
        p('pg.replication.lag_s', 2, MIN, { replica: 'pg-2' }),
      ],
      'redis-1': [
        p('redis.mem.used', 512 * 1024 ** 2, MIN),
        p('redis.mem.maxmemory', 0, MIN),
        p('redis.evicted_ps', 0, MIN),
        p('redis.rdb.last_bgsave_ok', 1, MIN),
        p('redis.rdb.last_save_age_s', 600, MIN),
      ],
    },
    alerts: [],
    backups: [
      {
        targetId: 'pg-1',
        rpoHours: 24,
        newestVerifiedBackupAt: NOW - 30 * HOUR,
        newestRestoreTestAt: NOW - 30 * HOUR,
      },
    ],
    forecasts: [],
    updates: null,
    ...over,
  };
}

const doc = checklistSchema.parse({
  id: 'daily',
  title: 'Daily',
  period: 'daily',
  items: [
    { id: 'logins', title: 'Failed logins reviewed' },
    { id: 'pg-conn', title: 'Connections', check: { kind: 'pg-connections' } },
    { id: 'backups', title: 'Backups', check: { kind: 'backups-verified', withinHours: 24 } },
    { id: 'redis-mem', title: 'Redis memory', check: { kind: 'redis-memory' } },
    { id: 'memory', title: 'Memory', check: { kind: 'memory-headroom' } },
  ],
});

function item(id: string): ChecklistItem {
  const it = doc.items.find((i) => i.id === id);
  assert.ok(it);
  return it;
}

function evalKind(check: unknown, f = facts()) {
  const it = checklistSchema.parse({
    id: 'x',
    title: 'X',
    period: 'daily',
    items: [{ id: 'i', title: 'I', check }],
  }).items[0];
  return evaluateItem(it, f, NOW);
}

describe('checklist evaluator', () => {
  test('a checklist with manual, passing, failing, warning and stale items', () => {
    const f = facts();
    let results = doc.items.map((i) => evaluateItem(i, f, NOW));
    const by = (id: string) => results.find((r) => r.itemId === id)!;

    assert.equal(by('logins').outcome, 'open', 'a manual item waits for the operator');
    assert.equal(by('pg-conn').outcome, 'pass');
    assert.equal(by('pg-conn').action, null);
    assert.match(by('pg-conn').findings[0].text, /45 % of max_connections \(45 of 100\)/);

    assert.equal(by('backups').outcome, 'fail');
    assert.match(by('backups').summary, /pg-1: newest verified backup 30 h old \(limit 24 h/);
    assert.ok(by('backups').action, 'a failing item says what to do');

    assert.equal(by('redis-mem').outcome, 'warning');
    assert.match(by('redis-mem').summary, /no maxmemory set/);

    // Memory: web-1 is fresh and low (warning), web-2's sample is 2 h old: stale, not pass.
    const mem = by('memory');
    assert.equal(mem.outcome, 'stale');
    assert.deepEqual(
      mem.findings.map((x) => [x.targetName, x.outcome]),
      [
        ['web-1', 'warning'],
        ['web-2', 'stale'],
      ],
    );
    assert.match(mem.findings[1].text, /no fresh data \(last sample 2 h ago\)/);
    assert.equal(mem.dataAt, NOW - 2 * HOUR);

    // The operator ticks the manual item done with a note.
    const logins = tickResult(
      item('logins'),
      { ...by('logins'), note: '3 from one address' },
      'done',
      'ann',
      NOW,
    );
    assert.equal(logins.outcome, 'pass');
    assert.equal(logins.tickedBy, 'ann');
    assert.equal(logins.note, '3 from one address');
    results = results.map((r) => (r.itemId === 'logins' ? logins : r));

    const counts = countOutcomes(results);
    assert.deepEqual(counts, { pass: 2, fail: 1, warning: 1, stale: 1, skipped: 0, open: 0 });
    assert.equal(runOutcome(counts), 'fail');
    assert.equal(runOutcome({ ...counts, fail: 0 }), 'stale', 'stale ranks above warning');
  });

  test('not applicable skips a manual item; clearing the tick opens it again', () => {
    const it = item('logins');
    const na = tickResult(it, blankResult(it), 'not-applicable', 'ann', NOW);
    assert.equal(na.outcome, 'skipped');
    const notDone = tickResult(it, na, 'not-done', 'ann', NOW);
    assert.equal(notDone.outcome, 'fail');
    assert.ok(notDone.action);
    const open = tickResult(it, notDone, null, 'ann', NOW);
    assert.equal(open.outcome, 'open');
    assert.equal(open.tickedBy, null);
  });

  test('every target collected: a target 2 hours behind fails, with its last error', () => {
    const r = evalKind({ kind: 'collected', withinMinutes: 5 });
    assert.equal(r.outcome, 'fail');
    const web2 = r.findings.find((x) => x.targetId === 'web-2')!;
    assert.match(web2.text, /last collected 2 h ago \(limit 5 min\) — connection refused/);
    assert.equal(r.findings.filter((x) => x.outcome === 'pass').length, 3);
  });

  test('alerts: critical firing fails, acknowledged warns; none with stale data is stale', () => {
    const firing = evalKind({ kind: 'alerts-critical' }, facts({ alerts: [alert({})] }));
    assert.equal(firing.outcome, 'fail');
    assert.match(firing.summary, /web-1: critical alert "Disk almost full"/);
    const acked = evalKind(
      { kind: 'alerts-critical' },
      facts({ alerts: [alert({ state: 'acknowledged', ackBy: 'bob' })] }),
    );
    assert.equal(acked.outcome, 'warning');
    assert.match(acked.summary, /acknowledged by bob/);
    const reviewed = evalKind(
      { kind: 'alerts-reviewed' },
      facts({ alerts: [alert({ severity: 'warning' })] }),
    );
    assert.equal(reviewed.outcome, 'fail');

    assert.equal(evalKind({ kind: 'alerts-critical' }).outcome, 'pass');
    const old = facts();
    old.targets = old.targets.map((t) => ({ ...t, lastSampleAt: NOW - 3 * HOUR }));
    const stale = evalKind({ kind: 'alerts-critical' }, old);
    assert.equal(stale.outcome, 'stale');
    assert.match(stale.summary, /newest sample is 3 h old/);
  });

  test('disk headroom lists each mount; a restore test within 7 days reads the restore time', () => {
    const disk = evalKind({ kind: 'disk-headroom', warnPct: 80, failPct: 90 });
    assert.equal(disk.outcome, 'fail');
    assert.deepEqual(
      disk.findings.map((x) => [x.targetName, x.outcome, x.text]),
      [
        ['web-1', 'fail', '/var 93 % used (warning at 80 %, limit 90 %)'],
        ['web-1', 'pass', '/ 40 % used (warning at 80 %, limit 90 %)'],
        ['web-2', 'stale', '/ space: no fresh data (last sample 2 h ago)'],
      ],
    );
    const restore = evalKind({ kind: 'backups-verified', withinHours: 168, restore: true });
    assert.equal(restore.outcome, 'pass');
  });

  test('PostgreSQL: long transaction fails, replica lag passes; Redis save and evictions', () => {
    const xact = evalKind({ kind: 'pg-long-transactions' });
    assert.equal(xact.outcome, 'fail');
    assert.match(xact.summary, /oldest transaction open 2 h/);
    const repl = evalKind({ kind: 'pg-replication' });
    assert.equal(repl.outcome, 'pass');
    assert.match(repl.findings[0].text, /replica pg-2 2 s behind/);
    assert.equal(evalKind({ kind: 'redis-persistence' }).outcome, 'pass');
    const f = facts();
    f.points['redis-1'] = f.points['redis-1'].map((x) =>
      x.metric === 'redis.rdb.last_bgsave_ok'
        ? { ...x, v: 0 }
        : x.metric === 'redis.evicted_ps'
          ? { ...x, v: 3 }
          : x,
    );
    assert.equal(evalKind({ kind: 'redis-persistence' }, f).outcome, 'fail');
    assert.equal(evalKind({ kind: 'redis-evictions' }, f).outcome, 'warning');
  });

  test('disk forecasts: within the horizon fails, beyond passes, old peaks are stale', () => {
    const soon = forecast({
      daysToLimit: 12,
      status: 'reaches-limit',
      limitReachedAt: NOW + 12 * 24 * HOUR,
    });
    const r = evalKind({ kind: 'disk-forecast', beyondDays: 30 }, facts({ forecasts: [soon] }));
    assert.equal(r.outcome, 'fail');
    assert.match(
      r.summary,
      /\/var reaches 90 % of the filesystem in 12 days \(must be beyond 30 days\)/,
    );
    const far = forecast({ daysToLimit: 200 });
    assert.equal(evalKind({ kind: 'disk-forecast' }, facts({ forecasts: [far] })).outcome, 'pass');
    const old = forecast({ currentAt: NOW - 5 * 24 * HOUR });
    assert.equal(evalKind({ kind: 'disk-forecast' }, facts({ forecasts: [old] })).outcome, 'stale');
    assert.equal(evalKind({ kind: 'disk-forecast' }, facts({ forecasts: [] })).outcome, 'warning');
  });

  test('pending updates without data say "no data" as a warning, never pass', () => {
    const r = evalKind({ kind: 'pending-updates' });
    assert.equal(r.outcome, 'warning');
    assert.match(r.summary, /^No data/);
    const withData = evalKind(
      { kind: 'pending-updates' },
      facts({
        updates: [
          { targetId: 'web-1', t: NOW - HOUR, security: 2, total: 9 },
          { targetId: 'web-2', t: NOW - HOUR, security: 0, total: 1 },
        ],
      }),
    );
    assert.equal(withData.outcome, 'fail');
    assert.match(withData.summary, /web-1: 2 pending security updates/);
  });
});
