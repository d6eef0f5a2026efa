// Report generation on a seeded store with known figures: availability from recorded rounds
// (with outages that start before, fall within and outlast the day), peaks and averages of
// CPU, memory, filesystems, PostgreSQL connections and Redis memory, an alert's duration,
// a backup against RPO and RTO. Then the raw history is deleted and the stored report
// reopens with the same figures.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Reports } from '../../src/main/reports/service';
import { periodOf } from '../../src/main/reports/period';
import { Store } from '../../src/main/store';
import type { Report } from '../../src/shared/reports';
import { seedReportHistory } from './reports-seed';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-reports-build-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY_START = Date.UTC(2026, 10, 30); // Monday 30 November 2026
const DAY_END = DAY_START + 24 * HOUR;
const NOW = DAY_END + 10 * MIN;

function resource(r: Report, targetId: string, name: string) {
  const row = r.resources.rows.find((x) => x.targetId === targetId && x.resource === name);
  assert.ok(row, `a resource row ${name} of ${targetId}`);
  return row;
}

describe('a daily report on known history', () => {
  const store = Store.open(join(dir, 'a.db'));
  after(() => store.close());
  seedReportHistory(store, DAY_START);
  const reports = new Reports({
    store,
    printPdf: async () => Buffer.from(''),
    now: () => NOW,
    sources: { capacity: () => ({ available: false, note: 'not in this test', rows: [] }) },
  });
  const report = reports.generate({ period: 'daily', group: '' });

  test('covers the last complete day, aligned to midnight', () => {
    assert.deepEqual(periodOf('daily', NOW), {
      period: 'daily',
      from: DAY_END,
      to: DAY_END + 24 * HOUR,
    });
    assert.equal(report.from, DAY_START);
    assert.equal(report.to, DAY_END);
    assert.equal(report.until, DAY_END);
    assert.equal(report.title, 'Daily report, all targets, Mon 30 Nov 2026');
  });

  test('availability is the share of rounds that succeeded, with outage stretches', () => {
    const web = report.availability.rows.find((r) => r.targetId === 'web')!;
    assert.equal(web.okRounds, 1430);
    assert.equal(web.failedRounds, 10);
    assert.equal(web.availabilityPct, (1430 / 1440) * 100);
    assert.deepEqual(web.outages, [
      {
        from: DAY_START + 14 * HOUR + 20 * MIN,
        to: DAY_START + 14 * HOUR + 30 * MIN,
        durationMs: 10 * MIN,
        ongoing: false,
        reason: 'Target web-name did not answer within 2000 ms',
      },
    ]);
    const cache = report.availability.rows.find((r) => r.targetId === 'cache')!;
    assert.equal(cache.okRounds, 1435);
    assert.equal(cache.failedRounds, 5);
    assert.equal(cache.outages.length, 1);
    assert.equal(cache.outages[0].from, DAY_START, 'clipped at the start of the day');
    assert.equal(cache.outages[0].durationMs, 5 * MIN);
    const db = report.availability.rows.find((r) => r.targetId === 'db')!;
    assert.equal(db.outages[0].ongoing, true);
    assert.equal(db.outages[0].to, DAY_END);
    assert.equal(db.downMs, 10 * MIN);
    assert.equal(report.headline.availabilityPct, ((1430 + 1435 + 1430) / (3 * 1440)) * 100);
    assert.equal(report.headline.outages, 3);
  });

  test('peaks and averages are exact', () => {
    const cpu = resource(report, 'web', 'CPU busy');
    assert.equal(cpu.peak, 92);
    assert.equal(cpu.peakAt, DAY_START + 14 * HOUR);
    assert.equal(cpu.avg, 20.5);
    assert.equal(cpu.samples, 144);
    const mem = resource(report, 'web', 'Memory used');
    assert.equal(mem.peak, 76);
    assert.equal(mem.peakAt, DAY_START + 3 * HOUR);
    assert.equal(mem.avg, 40.25);
    const root = resource(report, 'web', 'Filesystem / used');
    assert.deepEqual([root.peak, root.avg], [50, 50]);
    const v = resource(report, 'web', 'Filesystem /var used');
    assert.deepEqual([v.peak, v.peakAt, v.avg], [63, DAY_START + 23 * HOUR, 51.5]);
    const conns = resource(report, 'db', 'Connections');
    assert.deepEqual([conns.peak, conns.avg], [82, 10.5]);
    const redis = resource(report, 'cache', 'Memory used');
    assert.deepEqual([redis.peak, redis.avg, redis.unit], [1_500_000, 1_500_000, 'bytes']);
  });

  test('the small chart has one point per hour of the day', () => {
    const cpu = resource(report, 'web', 'CPU busy');
    assert.equal(cpu.chart.t.length, 24);
    assert.equal(cpu.chart.max[14], 92);
    assert.equal(cpu.chart.avg[14], 32);
    assert.equal(cpu.chart.avg[0], 20);
  });

  test('an alert lasted 45 minutes; the backup meets RPO and RTO', () => {
    assert.equal(report.alerts.rows.length, 1);
    assert.equal(report.alerts.rows[0].durationMs, 45 * MIN);
    assert.equal(report.alerts.rows[0].ongoing, false);
    const b = report.backups.rows.find((x) => x.targetId === 'db')!;
    assert.deepEqual(
      [b.taken, b.verified, b.rpoOk, b.rtoOk, b.lastRestoreMs],
      [1, 1, true, true, 10 * MIN],
    );
  });

  test('incidents, runs and maintenance of the day, with their outcomes', () => {
    assert.deepEqual(
      report.incidents.rows.map((i) => [i.id, i.status, i.durationMs, i.targets]),
      [['inc1', 'investigating', null, ['db-name']]],
    );
    assert.deepEqual(
      report.runs.rows.map((r) => [r.id, r.status, r.targets]),
      [['run1', 'completed', ['db-name']]],
    );
    assert.deepEqual(
      report.maintenance.rows.map((m) => [m.action, m.scope, m.status, m.error]),
      [
        ['vacuum', 'table public.orders', 'succeeded', null],
        ['reindex', 'table public.orders', 'failed', 'canceling statement due to lock timeout'],
      ],
    );
  });

  test('the slowest queries come from the latest top list, and say so', () => {
    assert.deepEqual(
      report.slowQueries.rows.map((q) => [q.queryid, q.meanMs]),
      [
        ['-9223372036854775807', 900],
        ['1', 120],
        ['2', 5.5],
      ],
    );
    assert.match(report.slowQueries.note ?? '', /only the latest top list/);
  });

  test('a section without a data source says so', () => {
    assert.equal(report.updates.available, false);
    assert.match(report.updates.note ?? '', /not collected/i);
  });

  test('a group report holds only the group and the incidents that name it', () => {
    const data = reports.generate({ period: 'daily', group: 'data' });
    assert.deepEqual(data.targets.map((t) => t.id).sort(), ['cache', 'db']);
    assert.equal(data.alerts.rows.length, 0);
    assert.deepEqual(
      data.incidents.rows.map((i) => i.id),
      ['inc1'],
    );
    const web = reports.generate({ period: 'daily', group: 'web' });
    assert.deepEqual([web.incidents.rows.length, web.runs.rows.length], [0, 0]);
    assert.equal(web.slowQueries.available, false);
    assert.equal(data.title, 'Daily report, group data, Mon 30 Nov 2026');
  });

  test('the stored snapshot outlives the raw history', () => {
    for (const id of ['web', 'db', 'cache']) store.deleteTarget(id);
    store.availability.prune(Number.MAX_SAFE_INTEGER);
    assert.equal(store.hourly('web', 'host.cpu.busy', DAY_START, DAY_END).length, 0);
    const again = reports.get(report.id);
    assert.deepEqual(again, report);
    const fresh = reports.generate({ period: 'daily', group: '' });
    assert.equal(fresh.resources.rows.length, 0, 'the history itself is gone');
  });
});
