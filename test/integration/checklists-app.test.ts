// Checklists through the app's API on a temp data folder, with store data seeded the way the
// collectors, alerting and backups leave it (no server needed): the daily checklist run with
// fresh, stale and failing items, a manual item ticked with a note, the run left and resumed,
// finished, listed by time range for reports; the operator's folder overriding a built-in and
// a broken file named with its line and field.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OpsdeckApp } from '../../src/main/app';
import { setLogSink } from '../../src/main/log';
import { Store } from '../../src/main/store';
import { appRoot, call } from '../harness/app-api';
import { seedChecklistData } from './checklists-seed';

setLogSink(() => {});
const MIN = 60_000;

const DAY = 24 * 60 * MIN;

/** web-1's /data filled from 60 % a point a day for 20 days: 90 % about 10 days ahead. */
function seedDiskGrowth(dataDir: string, now: number): void {
  const store = Store.open(join(dataDir, 'opsdeck.sqlite'));
  const labels = { mount: '/data', device: '/dev/sdb1', fstype: 'ext4' };
  for (let t = now - 20 * DAY + 9 * MIN; t <= now - MIN; t += 10 * MIN) {
    const value = 80 - ((now - t) / DAY) * 1;
    store.append('web-1', t, [{ metric: 'host.fs.used_pct', labels, value }]);
  }
  store.flush();
  store.maintain(now);
  store.close();
}

describe('checklists through the app API', () => {
  let dataDir: string;
  let app: OpsdeckApp;
  const started = Date.now();

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-checklists-app-'));
    seedChecklistData(dataDir, started);
    seedDiskGrowth(dataDir, started);
    app = new OpsdeckApp({ dataDir, appRoot, transport: 'browser', collect: false }).start();
  });

  after(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the built-in daily, weekly and monthly checklists', async () => {
    const lib = await call(app, 'listChecklists', {});
    assert.deepEqual(
      lib.checklists.map((c) => c.checklist.id),
      ['daily', 'weekly', 'monthly'],
    );
    assert.deepEqual(lib.problems, []);
    assert.equal(lib.checklists[0].lastRun, null);
  });

  it('runs the daily checklist from stored data: failing, stale, passing and manual items', async () => {
    const run = await call(app, 'startChecklistRun', { checklistId: 'daily' });
    const by = (id: string) => run.items.find((i) => i.itemId === id)!;
    assert.equal(run.status, 'open');
    assert.equal(run.startedBy, app.operator);

    assert.equal(by('collected').outcome, 'fail');
    assert.match(
      by('collected').summary,
      /web-2: last collected 2 h ago \(limit 5 min\) — web-2: connection refused/,
    );
    assert.equal(by('alerts-critical').outcome, 'fail');
    assert.match(by('alerts-critical').summary, /Disk space above 90 %/);
    assert.equal(by('alerts-reviewed').outcome, 'fail');
    assert.equal(by('backups-verified').outcome, 'pass');
    assert.match(
      by('backups-verified').findings[0].text,
      /newest verified backup 3 h old \(limit 24 h; RPO 24 h\)/,
    );

    const disk = by('disk-headroom');
    assert.equal(disk.outcome, 'fail');
    assert.deepEqual(
      disk.findings.map((f) => `${f.targetName} ${f.outcome} ${f.text.split(' ')[0]}`).sort(),
      ['web-1 fail /', 'web-1 pass /data', 'web-2 stale /'],
    );
    assert.ok(disk.action && /runbook/.test(disk.action));
    assert.equal(by('memory-headroom').outcome, 'stale', 'web-2 is 2 h old: stale, not pass');
    assert.equal(by('pg-connections').outcome, 'pass');
    assert.equal(by('pg-long-transactions').outcome, 'pass');
    assert.equal(by('pg-replication').outcome, 'pass');
    assert.equal(by('redis-memory').outcome, 'pass');
    assert.equal(by('redis-persistence').outcome, 'pass');
    assert.equal(by('failed-logins').outcome, 'open');
    assert.equal(run.outcome, 'fail');
  });

  it('a manual item is ticked with a note, the run resumed later and finished', async () => {
    const [summary] = await call(app, 'listChecklistRuns', { checklistId: 'daily' });
    assert.equal(summary.status, 'open');
    let run = await call(app, 'tickItem', {
      runId: summary.id,
      itemId: 'failed-logins',
      tick: 'done',
      note: '12 failures from 203.0.113.7, blocked',
    });
    const logins = run.items.find((i) => i.itemId === 'failed-logins')!;
    assert.equal(logins.outcome, 'pass');
    assert.equal(logins.tickedBy, app.operator);
    assert.equal(logins.note, '12 failures from 203.0.113.7, blocked');

    await assert.rejects(
      call(app, 'tickItem', { runId: summary.id, itemId: 'collected', tick: 'done' }),
      /checked automatically/,
    );

    // Resumed: the stored run has the tick; a re-check keeps it.
    run = await call(app, 'refreshChecklistRun', { id: summary.id });
    assert.equal(run.items.find((i) => i.itemId === 'failed-logins')!.outcome, 'pass');
    assert.equal(run.counts.open, 1, 'the handover item is still to do');

    run = await call(app, 'finishChecklistRun', {
      id: summary.id,
      note: 'disk on web-1 handed to day shift',
    });
    assert.equal(run.status, 'finished');
    assert.equal(run.finishedBy, app.operator);
    await assert.rejects(
      call(app, 'tickItem', { runId: summary.id, itemId: 'handover-read', tick: 'done' }),
      /is finished/,
    );

    const lib = await call(app, 'listChecklists', {});
    assert.equal(lib.checklists[0].lastRun?.id, summary.id);
    assert.equal(lib.checklists[0].lastRun?.outcome, 'fail');
  });

  it('reports read the runs of a period from the store', async () => {
    const runs = app.store.checklists.listRuns({ from: started - MIN, to: Date.now() + MIN });
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'finished');
    assert.equal(runs[0].items.find((i) => i.itemId === 'failed-logins')?.tick, 'done');
    assert.deepEqual(await call(app, 'listChecklistRuns', { from: 0, to: started - MIN }), []);
  });

  it('the weekly checklist reads disk forecasts and says "no data" for updates', async () => {
    const run = await call(app, 'startChecklistRun', { checklistId: 'weekly' });
    const forecast = run.items.find((i) => i.itemId === 'disk-forecast')!;
    assert.equal(forecast.outcome, 'fail');
    const data = forecast.findings.find((f) => f.text.startsWith('/data'));
    assert.ok(data, JSON.stringify(forecast.findings));
    assert.equal(data.outcome, 'fail');
    assert.match(data.text, /reaches .*in (9|10|11) days \(must be beyond 30 days\)/);
    const updates = run.items.find((i) => i.itemId === 'pending-updates')!;
    assert.equal(updates.outcome, 'warning');
    assert.match(updates.summary, /^No data/);
    assert.equal(run.items.find((i) => i.itemId === 'restore-test')!.outcome, 'pass');
  });

  it("the operator's folder overrides a built-in by id and names a broken file's line", async () => {
    const folder = join(dataDir, 'my-checklists');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'daily.yaml'),
      'id: daily\ntitle: Our daily round\nperiod: daily\nitems:\n  - id: coffee\n    title: Coffee made\n',
    );
    writeFileSync(
      join(folder, 'broken.yaml'),
      'id: broken\ntitle: Broken\nperiod: daily\nitems:\n  - id: a\n    title: A\n    check: { kind: disk-headroom, failPct: 400 }\n',
    );
    await call(app, 'saveChecklistSettings', { folder });
    const lib = await call(app, 'listChecklists', {});
    const daily = lib.checklists.find((c) => c.checklist.id === 'daily')!;
    assert.equal(daily.checklist.title, 'Our daily round');
    assert.equal(daily.checklist.source, 'folder');
    assert.equal(lib.problems.length, 1);
    assert.equal(lib.problems[0].file, join(folder, 'broken.yaml'));
    assert.equal(lib.problems[0].line, 7);
    assert.equal(lib.problems[0].field, 'items.0.check.failPct');
    // A file added later is picked up by the folder watch.
    writeFileSync(
      join(folder, 'night.yaml'),
      'id: night\ntitle: Night round\nperiod: daily\nitems:\n  - id: a\n    title: A\n',
    );
    for (let i = 0; ; i++) {
      const ids = (await call(app, 'listChecklists', {})).checklists.map((c) => c.checklist.id);
      if (ids.includes('night')) break;
      assert.ok(i < 200, `night.yaml was not picked up: ${ids.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await assert.rejects(
      call(app, 'saveChecklistSettings', { folder: 'relative/path' }),
      /not an absolute path/,
    );
  });
});
