// The alert lifecycle through the engine with an injected clock: pending, firing,
// acknowledged, resolved; flapping held firing; silences; absent on missed rounds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlertRule } from '../../src/shared/alerts';
import { Engine, type Change, type TargetInfo } from '../../src/main/alerts/engine';
import { FLAP_HOLD_MS, FLAP_LIMIT } from '../../src/main/alerts/lifecycle';
import { defaultRules } from '../../src/main/alerts/pack';
import { METRICS } from '../../src/shared/metrics';

const T0 = Date.UTC(2026, 0, 5, 12, 0);
const MIN = 60_000;
const web: TargetInfo = {
  id: 'web',
  name: 'web-1',
  group: 'prod',
  kind: 'ssh',
  intervalMs: 10_000,
};

const disk: AlertRule = {
  id: 'disk',
  name: 'Disk above 90 %',
  enabled: true,
  selector: { metric: 'host.fs.used_pct', labels: { mount: '/' } },
  condition: { kind: 'threshold', op: '>', value: 90 },
  forMs: 5 * MIN,
  severity: 'critical',
  message: '{{labels.mount}} on {{target}} is {{value}} full',
  action: 'Clean up.',
  builtin: false,
};

function engineWith(...rules: AlertRule[]): Engine {
  let n = 0;
  const e = new Engine(() => `a${++n}`);
  e.setRules(rules, T0);
  return e;
}

function fs(value: number, mount = '/') {
  return [{ metric: 'host.fs.used_pct', labels: { mount }, value }];
}

const states = (cs: Change[]) => cs.flatMap((c) => c.transitions.map((t) => `${t.from}>${t.to}`));

describe('lifecycle', () => {
  test('pending until forMs holds, firing, acknowledged, resolved after forMs clear', () => {
    const e = engineWith(disk);
    assert.deepEqual(states(e.round(web, T0, fs(95))), ['null>pending']);
    assert.deepEqual(states(e.round(web, T0 + 4 * MIN, fs(96))), []);
    const fired = e.round(web, T0 + 5 * MIN, fs(97));
    assert.deepEqual(states(fired), ['pending>firing']);
    assert.equal(fired[0].alert.message, '/ on web-1 is 97 % full');
    assert.equal(fired[0].alert.firingAt, T0 + 5 * MIN);
    const ack = e.acknowledge(fired[0].alert.id, 'ann', 'cleaning', T0 + 6 * MIN);
    assert.equal(ack?.alert.state, 'acknowledged');
    assert.equal(ack?.alert.ackBy, 'ann');
    assert.deepEqual(states(e.round(web, T0 + 7 * MIN, fs(80))), []);
    assert.deepEqual(states(e.round(web, T0 + 11 * MIN, fs(80))), []);
    const resolved = e.round(web, T0 + 12 * MIN, fs(80));
    assert.deepEqual(states(resolved), ['acknowledged>resolved']);
    assert.equal(resolved[0].alert.resolvedAt, T0 + 12 * MIN);
    assert.equal(resolved[0].alert.message, '/ on web-1 is 97 % full', 'the value that broke it');
    assert.equal(e.openAlerts().length, 0);
  });

  test('a condition that clears while pending never fires', () => {
    const e = engineWith(disk);
    e.round(web, T0, fs(95));
    assert.deepEqual(states(e.round(web, T0 + MIN, fs(50))), ['pending>resolved']);
  });

  test('a labels selector only watches its series; other targets are separate alerts', () => {
    const e = engineWith(disk);
    assert.deepEqual(e.round(web, T0, fs(99, '/var')), []);
    const db: TargetInfo = { ...web, id: 'db', name: 'db-1' };
    e.round(web, T0, fs(99));
    e.round(db, T0, fs(99));
    assert.equal(e.openAlerts().length, 2);
  });

  test(`more than ${FLAP_LIMIT} cycles in an hour: held firing and marked flapping`, () => {
    const e = engineWith({ ...disk, forMs: 0 });
    let t = T0;
    const seen: string[] = [];
    for (let i = 0; i < FLAP_LIMIT + 2; i++) {
      seen.push(...states(e.round(web, (t += MIN), fs(95))));
      seen.push(...states(e.round(web, (t += MIN), fs(50))));
    }
    const fires = seen.filter((s) => s === 'null>firing').length;
    assert.equal(fires, FLAP_LIMIT + 1);
    const open = e.openAlerts();
    assert.equal(open.length, 1);
    assert.equal(open[0].state, 'firing');
    assert.equal(open[0].flapping, true);
    assert.deepEqual(states(e.round(web, t + FLAP_HOLD_MS - MIN, fs(50))), []);
    const done = e.round(web, t + FLAP_HOLD_MS + MIN, fs(50));
    assert.deepEqual(states(done), ['firing>resolved']);
    assert.equal(done[0].alert.flapping, false);
  });

  test('a silence marks alerts silenced but changes no state; it ends on time', () => {
    const e = engineWith({ ...disk, forMs: 0 });
    e.setSilences([
      {
        id: 's',
        targetId: 'web',
        startsAt: T0,
        endsAt: T0 + 10 * MIN,
        reason: 'maintenance',
        by: 'ann',
      },
    ]);
    const c = e.round(web, T0 + MIN, fs(95));
    assert.deepEqual(states(c), ['null>firing']);
    assert.equal(c[0].alert.silenced, true);
    e.round(web, T0 + 2 * MIN, fs(50));
    const later = e.round(web, T0 + 11 * MIN, fs(95));
    assert.equal(later[0].alert.silenced, false);
  });

  test('an edited selector that no longer covers a series resolves its alert', () => {
    const e = engineWith({ ...disk, forMs: 0 });
    e.round(web, T0, fs(95));
    const c = e.setRules(
      [{ ...disk, selector: { metric: 'host.fs.used_pct', labels: { mount: '/var' } } }],
      T0 + MIN,
    );
    assert.deepEqual(states(c), ['firing>resolved']);
  });

  test('a rule removed or disabled resolves its open alerts', () => {
    const e = engineWith({ ...disk, forMs: 0 });
    e.round(web, T0, fs(95));
    const c = e.setRules([{ ...disk, enabled: false }], T0 + MIN);
    assert.deepEqual(states(c), ['firing>resolved']);
  });
});

describe('absent and derived series', () => {
  const gone: AlertRule = {
    ...disk,
    id: 'gone',
    selector: { metric: 'redis.repl.offset_lag' },
    condition: { kind: 'absent', intervals: 2 },
    forMs: 0,
    message: 'Replica {{labels.replica}} of {{target}} is gone',
  };
  const cache: TargetInfo = { ...web, id: 'cache', name: 'cache', kind: 'redis', intervalMs: 2000 };
  const lag = [
    { metric: 'redis.repl.offset_lag', labels: { replica: '127.0.0.1:7001' }, value: 0 },
  ];
  const up = [{ metric: 'redis.up', value: 1 }];

  test('fires on the second round without the series, resolves when it is back', () => {
    const e = engineWith(gone);
    e.round(cache, T0, [...up, ...lag]);
    assert.deepEqual(e.round(cache, T0 + 2000, up), []);
    const c = e.round(cache, T0 + 4000, up);
    assert.deepEqual(states(c), ['null>firing']);
    assert.equal(c[0].alert.message, 'Replica 127.0.0.1:7001 of cache is gone');
    assert.deepEqual(states(e.round(cache, T0 + 6000, [...up, ...lag])), ['firing>resolved']);
  });

  test('a silent target fires on the clock', () => {
    const e = engineWith(gone);
    e.round(cache, T0, [...up, ...lag]);
    assert.deepEqual(e.tick(T0 + 4999), []);
    assert.deepEqual(states(e.tick(T0 + 5000)), ['null>firing']);
  });

  test('after a restart, the last stored sample counts as seen', () => {
    const e = engineWith(gone);
    e.setTarget(cache);
    e.markSeen('cache', 'redis.repl.offset_lag', { replica: '127.0.0.1:7001' }, T0);
    assert.deepEqual(states(e.tick(T0 + 5000)), ['null>firing']);
  });

  test('a target that never had the series never fires', () => {
    const e = engineWith(gone);
    e.round(cache, T0, up);
    assert.deepEqual(e.tick(T0 + 3_600_000), []);
  });

  test('load per core is computed from load and cores', () => {
    const load = defaultRules().find((r) => r.id === 'builtin-load')!;
    const e = engineWith({ ...load, forMs: 0 });
    const round = (l: number) => [
      { metric: 'host.load.1', value: l },
      { metric: 'host.cpu.cores', value: 4 },
    ];
    assert.deepEqual(e.round(web, T0, round(7.9)), []);
    const c = e.round(web, T0 + 10_000, round(8.4));
    assert.equal(c[0].alert.message, 'Load on web-1 is 2.1 per core');
  });
});

describe('default pack', () => {
  test('every rule watches a known (or derived) metric and says what to do', () => {
    for (const r of defaultRules()) {
      const known = r.selector.metric in METRICS || r.selector.metric === 'host.load.per_core';
      assert.ok(known, `${r.id}: ${r.selector.metric}`);
      assert.ok(r.action.length > 20, `${r.id} has an action`);
      assert.equal(r.builtin, true);
    }
  });
});
