// Availability recorded by the running app and a report made through the API: the
// workstation collects (good rounds), a Redis target behind a socket that never answers
// fails its rounds (an outage stretch open with its reason). The report is exported, the app
// restarted without collection, and the report reopens unchanged; a schedule last checked
// two days ago makes yesterday's daily report at that start, once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OpsdeckApp } from '../../src/main/app';
import { lastComplete } from '../../src/main/reports/period';
import type { MethodOutput } from '../../src/shared/api';
import { appRoot, call } from '../harness/app-api';
import { startBlackhole, type Blackhole } from '../harness/blackhole';

const LONG = 90_000;

async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + LONG;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not seen within ${LONG} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('reports in the running app', () => {
  let dataDir = '';
  let app: OpsdeckApp;
  let hole: Blackhole;
  let redisId = '';

  before(async () => {
    hole = await startBlackhole();
    dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-reports-app-'));
    app = new OpsdeckApp({ dataDir, appRoot, transport: 'browser' }).start();
    const redis = await call(app, 'saveTarget', {
      name: 'cache behind a dead socket',
      intervalMs: 1000,
      config: { kind: 'redis', host: '127.0.0.1', port: hole.port, tls: false, db: 0 },
    });
    redisId = redis.id;
  });

  after(async () => {
    await app?.stop();
    await hole?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records good rounds of the workstation and an open outage of the dead target', async () => {
    const a = app.store.availability;
    const day = lastComplete('daily', Date.now());
    const counts = (id: string) => a.rounds(day.from, Date.now() + 3_600_000, [id]);
    await until('two good rounds of the workstation', () => counts('local').some((r) => r.ok >= 2));
    await until('a failed round of the Redis target', () =>
      counts(redisId).some((r) => r.failed >= 1),
    );
    const open = a.openOutage(redisId);
    assert.ok(open, 'an outage is open');
    assert.match(open.reason, /cache behind a dead socket|did not answer|timed out|timeout/i);
    assert.equal(a.openOutage('local'), null);
  });

  let reportId = '';
  let made: MethodOutput<'getReport'>;

  it('makes the day so far and exports it', async () => {
    made = await call(app, 'generateReport', { period: 'daily', at: Date.now() });
    reportId = made.id;
    assert.match(made.title, /^Daily report, all targets, .* \(so far\)$/);
    const local = made.availability.rows.find((r) => r.targetId === 'local');
    const redis = made.availability.rows.find((r) => r.targetId === redisId);
    assert.ok(local && local.okRounds >= 2 && local.failedRounds === 0);
    assert.equal(local.availabilityPct, 100);
    assert.ok(redis && redis.failedRounds >= 1 && redis.okRounds === 0);
    assert.equal(redis.availabilityPct, 0);
    assert.equal(redis.outages.length, 1);
    assert.equal(redis.outages[0].ongoing, true);
    assert.ok(made.resources.rows.some((r) => r.targetId === 'local' && r.resource === 'CPU busy'));

    const html = await call(app, 'exportReport', { id: reportId, format: 'html' });
    assert.equal(html.encoding, 'utf8');
    assert.match(html.content, /<h1>Daily report, all targets/);
    const csv = await call(app, 'exportReport', { id: reportId, format: 'csv' });
    assert.match(csv.content, /"# Availability"/);
    const listed = await call(app, 'listReports', { period: 'daily' });
    assert.deepEqual(
      listed.map((r) => r.id),
      [reportId],
    );
  });

  it('reopens unchanged after a restart, and catches up yesterday once', async () => {
    app.store.reports.setMeta('reports.lastTick', String(Date.now() - 2 * 86_400_000));
    await app.stop();
    app = new OpsdeckApp({ dataDir, appRoot, transport: 'browser', collect: false }).start();
    assert.deepEqual(await call(app, 'getReport', { id: reportId }), made);
    const yesterday = lastComplete('daily', Date.now());
    const scheduled = (await call(app, 'listReports', { period: 'daily' })).filter(
      (r) => r.trigger === 'schedule',
    );
    assert.deepEqual(
      scheduled.map((r) => [r.from, r.group]),
      [[yesterday.from, '']],
    );
    await call(app, 'saveReportSettings', { ...(await call(app, 'getReportSettings', {})) });
    assert.equal(app.reports.tick(Date.now()).length, 0, 'nothing made twice');
  });
});
