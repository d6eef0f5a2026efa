// Capacity forecasts from a real Store: generated history written as samples, rolled up and
// aged out as the app does, then read back at 1-hour resolution into forecasts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { capacitySeries, forecastCapacity } from '../../src/main/capacity';
import Database from 'better-sqlite3';
import { RES, Store } from '../../src/main/store';
import type { CapacityForecast } from '../../src/shared/capacity';
import {
  DAY,
  GIB,
  seedCapacityHistory,
  TRUTHS,
  trueCrossing,
  type Truth,
} from '../harness/capacity-history';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-capacity-'));
const NOW = Date.UTC(2026, 2, 1, 9, 17);
const store = Store.open(join(dir, 'c.db'));
seedCapacityHistory(store, NOW);
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = forecastCapacity(store, { now: NOW, windowDays: 30 });
const find = (targetId: string, label: string, resource?: string): CapacityForecast => {
  const f = all.find(
    (x) => x.targetId === targetId && x.label === label && (!resource || x.resource === resource),
  );
  assert.ok(f, `a forecast for ${label} on ${targetId}`);
  return f;
};

/** Checks the true date lies in the stated interval; returns the true days to the limit. */
function assertCrossingInside(f: CapacityForecast, truth: Truth): number {
  assert.equal(f.status, 'reaches-limit', f.recommendation);
  const at = trueCrossing(truth, f.limit!.value, NOW);
  const iv = f.limitInterval!;
  const days = (t: number | null): string => (t === null ? 'open' : ((t - NOW) / DAY).toFixed(2));
  assert.ok(
    iv.earliest <= at && (iv.latest === null || at <= iv.latest),
    `${f.label} on ${f.targetName}: true ${days(at)} d, stated ${days(iv.earliest)}-${days(iv.latest)} d`,
  );
  return (at - NOW) / DAY;
}

describe('capacity forecasts from the store', () => {
  test('history older than the raw and 1-minute retention is read from 1-hour rollups', () => {
    const db = new Database(join(dir, 'c.db'), { readonly: true });
    const oldest = (res: number): number | null =>
      db.prepare('SELECT min(start_t) FROM chunks WHERE res = ?').pluck().get(res) as number | null;
    try {
      assert.ok(oldest(RES.raw.code)! >= NOW - 3 * DAY, 'raw samples beyond 48 hours are gone');
      assert.ok(oldest(RES['1m'].code)! >= NOW - 31 * DAY, '1-minute rollups beyond 30 days too');
    } finally {
      db.close();
    }
    const quarter = forecastCapacity(store, { now: NOW, windowDays: 90, targetIds: ['host-a'] });
    assert.equal(quarter.find((f) => f.label === '/var')!.fit!.points, 60);
  });

  test('filesystems, memory, CPU and Redis reach their limits within the stated intervals', () => {
    for (const [f, truth] of [
      [find('host-b', '/data'), TRUTHS.hostB.data],
      [find('host-a', '/var'), TRUTHS.hostA.var],
    ] as const) {
      const days = assertCrossingInside(f, truth);
      assert.ok(
        Math.abs(f.daysToLimit! - days) < 1,
        `${f.label}: ${f.daysToLimit} vs ${days} days`,
      );
    }
    assertCrossingInside(find('host-b', 'memory', 'memory'), TRUTHS.hostB.memUsed);
    assertCrossingInside(find('host-b', 'CPU'), TRUTHS.hostB.cpuBusy);
    assertCrossingInside(find('cache-1', 'memory', 'redis-memory'), TRUTHS.redis.used);
  });

  test('slopes and projections follow the generated trends', () => {
    const f = find('host-a', '/var');
    // Within the fit's own uncertainty: 3 standard errors for the slope, the 95 % band for
    // the projection; the day's noise moves a peak by at most 0.9 points.
    const fit = f.fit!;
    assert.ok(Math.abs(fit.slopePerDay - 0.45) < 3 * fit.slopeStdErr, `${fit.slopePerDay}`);
    const [p30, p90, p180] = f.projected;
    const want30 = 72 + 30 * 0.45;
    assert.ok(p30.low <= want30 && want30 <= p30.high, `${p30.low}-${p30.high}`);
    assert.equal(p90.value, 100);
    assert.equal(p180.value, 100);
    assert.ok(Math.abs(f.current! - 72) <= 0.9);
    assert.equal(f.limit!.value, 90);
    assert.match(f.recommendation, /^\/var on host-a reaches 90 % around \d+ April \(± /);
    assert.ok(f.figures.some((x) => x.startsWith('size 100 GiB; changes +')));
  });

  test('steady, shrinking, unlimited and new resources say so', () => {
    assert.equal(find('host-a', '/').status, 'ok');
    assert.equal(find('host-a', 'CPU').status, 'ok');
    assert.equal(find('host-a', 'memory').status, 'ok');
    assert.equal(find('host-c', '/tmp').status, 'shrinking');
    const orders = find('pg-main', 'orders');
    assert.equal(orders.status, 'no-limit');
    assert.equal(orders.limit, null);
    assert.ok(Math.abs(orders.fit!.slopePerDay / 2 ** 20 - 200) < 5);
    assert.ok(Math.abs(orders.projected[0].value - (20 * GIB + 30 * 200 * 2 ** 20)) < 0.2 * GIB);
    assert.match(orders.recommendation, /host-b/);
    assert.equal(find('fresh-host', '/').status, 'insufficient-data');
  });

  test('sorted by days to the limit, soonest first, then those without a date', () => {
    const dated = all.filter((f) => f.daysToLimit !== null).map((f) => `${f.targetId} ${f.label}`);
    assert.deepEqual(dated, [
      'host-b /data',
      'cache-1 memory',
      'host-a /var',
      'host-b memory',
      'host-b CPU',
    ]);
    const firstUndated = all.findIndex((f) => f.daysToLimit === null);
    assert.equal(firstUndated, dated.length);
    assert.equal(all[all.length - 1].status, 'insufficient-data');
  });

  test('the window picks how many daily peaks are fitted', () => {
    const week = forecastCapacity(store, { now: NOW, windowDays: 7, targetIds: ['host-a'] });
    const quarter = forecastCapacity(store, { now: NOW, windowDays: 90, targetIds: ['host-a'] });
    const v = (list: CapacityForecast[]) => list.find((f) => f.label === '/var')!;
    assert.equal(v(week).fit!.points, 7);
    assert.equal(v(quarter).fit!.points, 60);
    assert.ok(week.every((f) => f.targetId === 'host-a'));
  });

  test('a chart series holds the daily peaks and the line with its band to the horizon', () => {
    const f = find('host-b', '/data');
    const s = capacitySeries(store, { now: NOW, windowDays: 30, targetId: 'host-b', key: f.key })!;
    assert.equal(s.peaks.length, 30);
    assert.equal(s.forecast.daysToLimit, f.daysToLimit);
    assert.ok(s.horizon >= NOW + 180 * DAY);
    assert.equal(s.line[s.line.length - 1].t, s.horizon);
    assert.ok(s.line[0].t <= s.peaks[0].t);
    for (const p of s.line) assert.ok(p.low <= p.v && p.v <= p.high);
    assert.equal(
      capacitySeries(store, { now: NOW, windowDays: 30, targetId: 'host-b', key: 'nope' }),
      null,
    );
  });
});

describe('stale history', () => {
  test('a series silent for the whole window has no row; one that stopped says since when', () => {
    const s = Store.open(join(dir, 'stale.db'));
    try {
      s.saveTarget({
        id: 'old',
        name: 'old-host',
        group: '',
        intervalMs: 60_000,
        enabled: false,
        config: { kind: 'ssh', host: 'old.invalid', port: 22, user: 'ops', auth: 'agent' },
        hasSecret: false,
        createdAt: NOW - 90 * DAY,
      });
      const labels = (mount: string) => ({ mount, device: 'sda', fstype: 'ext4' });
      for (let t = NOW - 80 * DAY; t < NOW - 3 * DAY; t += 3_600_000) {
        const pct = 50 + (t - NOW) / DAY / 10;
        const points = [{ metric: 'host.fs.used_pct', labels: labels('/'), value: pct }];
        if (t < NOW - 40 * DAY) {
          points.push({ metric: 'host.fs.used_pct', labels: labels('/gone'), value: 20 });
        }
        s.append('old', t, points);
      }
      s.flush();
      s.maintain(NOW);
      const list = forecastCapacity(s, { now: NOW, windowDays: 30 });
      assert.deepEqual(
        list.map((f) => f.label),
        ['/'],
      );
      assert.match(list[0].figures[0], /^last seen 49\.\d+ % on \d+ February \(no data since\)$/);
      assert.equal(list[0].fit!.points, 27);
    } finally {
      s.close();
    }
  });
});
