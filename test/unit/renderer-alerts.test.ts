import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert, AlertRule, AnomalyBand } from '../../src/shared/alerts';
import {
  alertValueText,
  chartRangeFor,
  compareAlerts,
  conditionText,
  emptyRuleForm,
  firingByTarget,
  formToRule,
  groupAlerts,
  groupBurst,
  labelsText,
  notifiable,
  parseLabels,
  ruleToForm,
  silenceEnd,
  upsertAlert,
} from '../../src/renderer/src/alerting';
import { bandUsable, clipMarks, withExpected, windowAt } from '../../src/renderer/src/charts/bands';
import { parseRoute, routeHash } from '../../src/renderer/src/router';

const NOW = new Date(2026, 2, 10, 14, 0, 0).getTime();
const MIN = 60_000;
const HOUR = 60 * MIN;

function alert(over: Partial<Alert>): Alert {
  return {
    id: 'a1',
    ruleId: 'r1',
    ruleName: 'Disk space',
    targetId: 'web-1',
    metric: 'host.fs.used_pct',
    labels: { mount: '/' },
    state: 'firing',
    severity: 'warning',
    value: 93.27,
    message: 'Disk / on web-1 is 93.3%',
    action: 'Free space',
    startedAt: NOW - 10 * MIN,
    firingAt: NOW - 5 * MIN,
    resolvedAt: null,
    ackBy: null,
    ackNote: null,
    ackAt: null,
    flapping: false,
    silenced: false,
    ...over,
  };
}

test('firing comes before pending, then acknowledged; critical before warning; oldest first', () => {
  const list = [
    alert({ id: 'ack', state: 'acknowledged' }),
    alert({ id: 'pend', state: 'pending' }),
    alert({ id: 'warn-new', startedAt: NOW - MIN }),
    alert({ id: 'warn-old', startedAt: NOW - HOUR }),
    alert({ id: 'crit', severity: 'critical', startedAt: NOW - MIN }),
  ];
  assert.deepEqual(
    [...list].sort(compareAlerts).map((a) => a.id),
    ['crit', 'warn-old', 'warn-new', 'pend', 'ack'],
  );
});

test('groups: active (firing and pending), acknowledged, resolved in the last day newest first', () => {
  const g = groupAlerts(
    [
      alert({ id: 'f' }),
      alert({ id: 'p', state: 'pending' }),
      alert({ id: 'k', state: 'acknowledged' }),
      alert({ id: 'r-old', state: 'resolved', resolvedAt: NOW - 25 * HOUR }),
      alert({ id: 'r-1', state: 'resolved', resolvedAt: NOW - 2 * HOUR }),
      alert({ id: 'r-2', state: 'resolved', resolvedAt: NOW - HOUR }),
    ],
    NOW,
  );
  assert.deepEqual(
    g.active.map((a) => a.id),
    ['f', 'p'],
  );
  assert.deepEqual(
    g.acknowledged.map((a) => a.id),
    ['k'],
  );
  assert.deepEqual(
    g.resolved.map((a) => a.id),
    ['r-2', 'r-1'],
  );
});

test('a pushed alert replaces the one with its id or is added', () => {
  const list = [alert({ id: 'a' }), alert({ id: 'b' })];
  const next = upsertAlert(list, alert({ id: 'b', state: 'acknowledged' }));
  assert.equal(next[1].state, 'acknowledged');
  assert.equal(list[1].state, 'firing', 'the old list is untouched');
  assert.equal(upsertAlert(list, alert({ id: 'c' })).length, 3);
});

test('firing count per target counts unacknowledged firing alerts only', () => {
  const counts = firingByTarget([
    alert({ id: '1' }),
    alert({ id: '2' }),
    alert({ id: '3', state: 'pending' }),
    alert({ id: '4', state: 'acknowledged' }),
    alert({ id: '5', targetId: 'db-1' }),
  ]);
  assert.deepEqual([...counts.entries()].sort(), [
    ['db-1', 1],
    ['web-1', 2],
  ]);
});

test('values follow the unit of their metric; absent is said in words', () => {
  assert.equal(alertValueText(alert({})), '93.3%');
  assert.equal(
    alertValueText(alert({ metric: 'host.mem.available', value: 512 * 1024 ** 2 })),
    '512 MiB',
  );
  assert.equal(alertValueText(alert({ metric: 'pg.replication.lag_s', value: 95 })), '1 min 35 s');
  assert.equal(alertValueText(alert({ value: null })), 'no data');
  assert.equal(alertValueText(alert({ metric: 'custom.thing', value: 3 })), '3');
  assert.equal(alertValueText(alert({ metric: 'host.load.per_core', value: 1.7853 })), '1.79');
});

test('labels in name order; conditions in words with units', () => {
  assert.equal(labelsText({ mount: '/', device: 'sda1' }), 'device=sda1 mount=/');
  assert.equal(labelsText(undefined), '');
  assert.equal(
    conditionText({ kind: 'threshold', op: '>', value: 90 }, 'host.fs.used_pct'),
    'value > 90.0%',
  );
  assert.equal(
    conditionText(
      { kind: 'forecast', limit: 100, windowMs: 6 * HOUR, horizonMs: 7 * 24 * HOUR },
      'host.fs.used_pct',
    ),
    'reaches 100% within 7 d (fit over 6 h)',
  );
  assert.equal(
    conditionText({ kind: 'absent', intervals: 1 }, 'pg.up'),
    'no sample for 1 interval',
  );
});

test('silence presets: an hour, four hours, tomorrow 08:00 local, a custom future time', () => {
  assert.equal(silenceEnd('1h', NOW), NOW + HOUR);
  assert.equal(silenceEnd('4h', NOW), NOW + 4 * HOUR);
  const tomorrow = new Date(silenceEnd('tomorrow', NOW)!);
  assert.equal(tomorrow.getDate(), 11);
  assert.equal(tomorrow.getHours(), 8);
  assert.equal(tomorrow.getMinutes(), 0);
  assert.equal(
    silenceEnd('custom', NOW, '2026-03-10T18:30'),
    new Date(2026, 2, 10, 18, 30).getTime(),
  );
  assert.equal(silenceEnd('custom', NOW, '2026-03-10T09:00'), null, 'in the past');
  assert.equal(silenceEnd('custom', NOW, '2026-02-31T09:00'), null, 'no such day');
  assert.equal(silenceEnd('custom', NOW, 'tomorrow'), null);
});

test('tomorrow 08:00 at 23:30 on the last day of a month is the 1st of the next', () => {
  const late = new Date(2026, 2, 31, 23, 30).getTime();
  const end = new Date(silenceEnd('tomorrow', late)!);
  assert.deepEqual([end.getMonth(), end.getDate(), end.getHours()], [3, 1, 8]);
});

test('chart range for an alert covers how long it ran', () => {
  assert.equal(chartRangeFor({ startedAt: NOW - 5 * MIN, resolvedAt: null }, NOW), '1h');
  assert.equal(chartRangeFor({ startedAt: NOW - 2 * HOUR, resolvedAt: null }, NOW), '6h');
  assert.equal(
    chartRangeFor({ startedAt: NOW - 30 * HOUR, resolvedAt: NOW - 29 * HOUR }, NOW),
    '6h',
  );
  assert.equal(chartRangeFor({ startedAt: NOW - 3 * 24 * HOUR, resolvedAt: null }, NOW), '7d');
});

test('labels text parses name=value pairs and refuses the rest', () => {
  assert.deepEqual(parseLabels('mount=/ device=sda1'), { mount: '/', device: 'sda1' });
  assert.deepEqual(parseLabels(' db=a=b '), { db: 'a=b' });
  assert.deepEqual(parseLabels(''), {});
  assert.equal(typeof parseLabels('mount'), 'string');
});

test('the rule form round-trips every condition kind', () => {
  const base: AlertRule = {
    id: 'r9',
    name: 'x',
    enabled: true,
    selector: { metric: 'host.fs.used_pct', targetId: 'local', labels: { mount: '/' } },
    condition: { kind: 'threshold', op: '>=', value: 90 },
    forMs: 5 * MIN,
    severity: 'critical',
    message: 'm',
    action: 'a',
    runbook: 'disk-full',
    builtin: false,
  };
  const conditions: AlertRule['condition'][] = [
    { kind: 'threshold', op: '>=', value: 90 },
    { kind: 'rate', op: '>', perHour: 2.5, windowMs: HOUR },
    { kind: 'absent', intervals: 3 },
    { kind: 'forecast', limit: 100, windowMs: 6 * HOUR, horizonMs: 7 * 24 * HOUR },
    { kind: 'anomaly', sensitivity: 4 },
  ];
  for (const condition of conditions) {
    const rule = { ...base, condition };
    const out = formToRule(ruleToForm(rule));
    assert.ok('rule' in out, JSON.stringify(out));
    const { builtin: _b, ...expected } = rule;
    void _b;
    assert.deepEqual(out.rule, expected);
  }
});

test('the rule form names the wrong fields', () => {
  const f = {
    ...emptyRuleForm(),
    name: ' ',
    value: 'ninety',
    forMinutes: '-1',
    scope: 'target' as const,
  };
  const out = formToRule(f);
  assert.ok('errors' in out);
  assert.ok(out.errors.name);
  assert.ok(out.errors.value);
  assert.ok(out.errors.forMinutes);
  assert.equal(out.errors.targetId, 'Choose a target.');
  const ok = formToRule({
    ...emptyRuleForm(),
    name: 'mem',
    metric: 'host.mem.total',
    value: '0',
    forMinutes: '0',
  });
  assert.ok('rule' in ok);
  assert.deepEqual(ok.rule.condition, { kind: 'threshold', op: '>', value: 0 });
  assert.equal(ok.rule.forMs, 0);
  assert.equal(ok.rule.selector.targetId, undefined);
});

test('notifiable: firing and resolving, never silenced, not a pending that went away', () => {
  assert.equal(notifiable(undefined, alert({})), true);
  assert.equal(notifiable(alert({ state: 'pending' }), alert({})), true);
  assert.equal(notifiable(alert({}), alert({})), false, 'no change');
  assert.equal(notifiable(alert({ state: 'pending' }), alert({ silenced: true })), false);
  assert.equal(notifiable(alert({}), alert({ state: 'resolved' })), true);
  assert.equal(notifiable(alert({ state: 'pending' }), alert({ state: 'resolved' })), false);
  assert.equal(notifiable(alert({}), alert({ state: 'acknowledged' })), false);
});

test('a burst makes one notice per target with counts and the first messages', () => {
  const burst = [
    ...Array.from({ length: 6 }, (_, i) => alert({ id: `w${i}`, message: `m${i}` })),
    alert({ id: 'c', severity: 'critical', message: 'worst' }),
    alert({ id: 'r', state: 'resolved', message: 'back' }),
    alert({ id: 'd', targetId: 'db-1', state: 'resolved', message: 'db back' }),
  ];
  const notes = groupBurst(burst, (id) => (id === 'web-1' ? 'web one' : id));
  assert.equal(notes.length, 2);
  const web = notes.find((n) => n.targetId === 'web-1')!;
  assert.equal(web.title, 'web one: 7 firing, 1 resolved');
  assert.equal(web.severity, 'critical');
  assert.equal(web.body.split('\n').length, 5);
  assert.match(web.body, /and 4 more$/);
  assert.equal(notes.find((n) => n.targetId === 'db-1')!.title, 'db-1: 1 resolved');
});

test('the expected band is aligned to the rows by interpolation, outside it nothing', () => {
  const band: AnomalyBand = {
    t: [100, 200, 300],
    expected: [5, 6, 7],
    low: [0, 10, null],
    high: [10, 20, null],
    anomalies: [],
  };
  const rows = withExpected([{ t: 50 }, { t: 100 }, { t: 150 }, { t: 250 }, { t: 400 }], band);
  assert.deepEqual(
    rows.map((r) => r.expected__band),
    [null, [0, 10], [5, 15], null, null],
  );
  assert.equal(bandUsable({ ...band, low: [null, null, null] }), false);
  const plain = [{ t: 1 }];
  assert.equal(withExpected(plain, null), plain, 'no band: the same rows');
});

test('marks are clipped to the window and merged when they overlap', () => {
  assert.deepEqual(
    clipMarks(
      [
        { from: 0, to: 50, label: 'x' },
        { from: 40, to: 120, label: 'x' },
        { from: 300, to: 400, label: 'x' },
        { from: 150, to: 160, label: 'x' },
      ],
      20,
      200,
    ),
    [
      { from: 20, to: 120, label: 'x' },
      { from: 150, to: 160, label: 'x' },
    ],
  );
});

test('a chart opened at a moment centres on it but never reaches past now', () => {
  assert.deepEqual(windowAt(NOW - 2 * HOUR, HOUR, NOW), [NOW - 2.5 * HOUR, NOW - 1.5 * HOUR]);
  assert.deepEqual(windowAt(NOW - 5 * MIN, HOUR, NOW), [NOW - HOUR, NOW]);
});

test('routes: alerts views and a target at a moment', () => {
  assert.deepEqual(parseRoute('#/alerts'), { page: 'alerts', view: 'list' });
  assert.deepEqual(parseRoute('#/alerts/rules'), { page: 'alerts', view: 'rules' });
  assert.deepEqual(parseRoute('#/alerts/notifications'), { page: 'alerts', view: 'notifications' });
  assert.equal(parseRoute('#/alerts/list').page, 'missing');
  assert.equal(parseRoute('#/alerts/nope').page, 'missing');
  const r = parseRoute('#/target/web-1?range=6h&at=1700000000000');
  assert.deepEqual(r, { page: 'target', id: 'web-1', range: '6h', at: 1700000000000 });
  assert.equal(routeHash(r), '#/target/web-1?range=6h&at=1700000000000');
  assert.equal((parseRoute('#/target/web-1?at=soon') as { at: unknown }).at, null);
  assert.equal(routeHash({ page: 'target', id: 'x', range: null }), '#/target/x');
  assert.equal(routeHash({ page: 'alerts', view: 'rules' }), '#/alerts/rules');
});
