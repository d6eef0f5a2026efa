// Report periods and the croner schedule with an injected clock: periods aligned to local
// midnight (weeks from Monday, months from the 1st, a daylight-saving day 23 hours long),
// the firings owed between two times, and the service's catch-up after the app was closed:
// the newest missed period once, never twice.
process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  cronFor,
  dueReports,
  lastComplete,
  periodOf,
  reportTitle,
} from '../../src/main/reports/period';
import { Reports } from '../../src/main/reports/service';
import { Store } from '../../src/main/store';
import { DEFAULT_REPORT_SETTINGS } from '../../src/shared/reports';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-reports-schedule-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Local wall-clock time in the test's zone (Europe/Berlin). */
const local = (y: number, mo: number, d: number, h = 0, mi = 0): number =>
  new Date(y, mo - 1, d, h, mi).getTime();
const HOUR = 3_600_000;

describe('periods', () => {
  test('a day runs from local midnight to the next', () => {
    const p = periodOf('daily', local(2026, 12, 3, 15, 30));
    assert.deepEqual([p.from, p.to], [local(2026, 12, 3), local(2026, 12, 4)]);
  });

  test('the day clocks go forward is 23 hours long', () => {
    const p = periodOf('daily', local(2026, 3, 29, 12));
    assert.equal(p.to - p.from, 23 * HOUR);
  });

  test('a week starts on Monday, also when asked on a Sunday', () => {
    const p = periodOf('weekly', local(2026, 12, 6, 23, 59));
    assert.deepEqual([p.from, p.to], [local(2026, 11, 30), local(2026, 12, 7)]);
    assert.equal(reportTitle(p, ''), 'Weekly report, all targets, Mon 30 Nov – Sun 6 Dec 2026');
  });

  test('a month starts on the 1st; the last complete one before a new year', () => {
    const p = lastComplete('monthly', local(2027, 1, 1, 0, 10));
    assert.deepEqual([p.from, p.to], [local(2026, 12, 1), local(2027, 1, 1)]);
    assert.equal(reportTitle(p, 'web'), 'Monthly report, group web, December 2026');
  });
});

describe('the schedule', () => {
  test('patterns follow the time of day in the settings', () => {
    assert.equal(cronFor('daily', '00:10'), '10 0 * * *');
    assert.equal(cronFor('weekly', '06:05'), '5 6 * * 1');
    assert.equal(cronFor('monthly', '23:59'), '59 23 1 * *');
  });

  test('between Sunday noon and Tuesday morning: one daily, one weekly, one monthly', () => {
    const since = local(2026, 11, 29, 12);
    const now = local(2026, 12, 1, 9);
    const due = dueReports(DEFAULT_REPORT_SETTINGS, since, now);
    const by = Object.fromEntries(due.map((d) => [d.period, d]));
    assert.equal(due.length, 3);
    // The newest daily firing (Tuesday 00:10) reports Monday; Sunday's is not made too.
    assert.deepEqual([by.daily.from, by.daily.to], [local(2026, 11, 30), local(2026, 12, 1)]);
    assert.equal(by.daily.firedAt, local(2026, 12, 1, 0, 10));
    assert.deepEqual([by.weekly.from, by.weekly.to], [local(2026, 11, 23), local(2026, 11, 30)]);
    assert.deepEqual([by.monthly.from, by.monthly.to], [local(2026, 11, 1), local(2026, 12, 1)]);
  });

  test('nothing is due before the time of day, and disabled periods never are', () => {
    const s = { ...DEFAULT_REPORT_SETTINGS, weekly: false, monthly: false };
    assert.deepEqual(dueReports(s, local(2026, 12, 3, 0, 11), local(2026, 12, 4, 0, 9)), []);
    const due = dueReports(s, local(2026, 12, 3, 0, 11), local(2026, 12, 4, 0, 10));
    assert.deepEqual(
      due.map((d) => d.period),
      ['daily'],
    );
  });
});

describe('catch-up at start', () => {
  const store = Store.open(join(dir, 's.db'));
  after(() => store.close());
  store.saveTarget({
    id: 'w1',
    name: 'web-1',
    group: 'web',
    intervalMs: 10_000,
    enabled: true,
    config: { kind: 'local' },
    hasSecret: false,
    createdAt: 0,
  });
  let now = local(2026, 11, 27, 18);
  const reports = new Reports({
    store,
    printPdf: async () => Buffer.from(''),
    now: () => now,
    sources: { capacity: () => ({ available: false, note: 'not here', rows: [] }) },
  });

  test('the first start ever owes nothing', () => {
    assert.deepEqual(reports.tick(now), []);
  });

  test('after days closed, the newest missed period of each kind is made once per group', () => {
    now = local(2026, 12, 2, 8); // closed from Friday evening to Wednesday morning
    const made = reports.tick(now);
    const seen = made.map((r) => `${r.period} ${r.group || 'all'} ${new Date(r.from).getDate()}`);
    assert.deepEqual(seen.sort(), [
      'daily all 1',
      'daily web 1',
      'monthly all 1',
      'monthly web 1',
      'weekly all 23',
      'weekly web 23',
    ]);
    assert.ok(made.every((r) => r.trigger === 'schedule' && r.until === r.to));
  });

  test('a second check at the same time makes nothing more', () => {
    assert.deepEqual(reports.tick(now), []);
    assert.equal(reports.list({}, 100).length, 6);
  });
});
