// Checklist runs through the store: saved, read back, rewritten, listed by time range (what
// reports call), the last run per checklist, and the folder setting.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setLogSink } from '../../src/main/log';
import { Store } from '../../src/main/store';
import { checklistSchema, type ChecklistRun } from '../../src/shared/checklists';

setLogSink(() => {});
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-checklists-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 11, 1, 8, 0);
const DAY = 86_400_000;

const doc = checklistSchema.parse({
  id: 'daily',
  title: 'Daily checks',
  period: 'daily',
  items: [{ id: 'logins', title: 'Failed logins reviewed' }],
});

function run(id: string, checklistId: string, startedAt: number): ChecklistRun {
  return {
    id,
    checklistId,
    title: checklistId,
    period: 'daily',
    status: 'open',
    startedAt,
    startedBy: 'ann',
    finishedAt: null,
    finishedBy: null,
    note: '',
    items: [
      {
        itemId: 'logins',
        title: 'Failed logins reviewed',
        group: 'General',
        kind: 'manual',
        outcome: 'open',
        summary: 'Not ticked yet.',
        findings: [],
        action: null,
        evaluatedAt: null,
        dataAt: null,
        tick: null,
        note: '',
        tickedBy: null,
        tickedAt: null,
      },
    ],
    counts: { pass: 0, fail: 0, warning: 0, stale: 0, skipped: 0, open: 1 },
    outcome: 'pass',
    doc,
  };
}

describe('checklist runs in the store', () => {
  test('round trip, rewrite, range listing and last runs survive a reopen', () => {
    const file = join(dir, 'a.sqlite');
    let store = Store.open(file);
    store.checklists.saveRun(run('r1', 'daily', T0));
    store.checklists.saveRun(run('r2', 'daily', T0 + DAY));
    store.checklists.saveRun(run('r3', 'weekly', T0 + 2 * DAY));
    const done: ChecklistRun = {
      ...run('r2', 'daily', T0 + DAY),
      status: 'finished',
      finishedAt: T0 + DAY + 600_000,
      finishedBy: 'bob',
      note: 'all good',
    };
    done.items[0] = { ...done.items[0], tick: 'done', outcome: 'pass', note: 'none seen' };
    store.checklists.saveRun(done);
    store.close();

    store = Store.open(file);
    assert.deepEqual(store.checklists.getRun('r2'), done);
    assert.equal(store.checklists.getRun('nope'), null);
    assert.deepEqual(
      store.checklists.listRuns({ from: T0, to: T0 + 2 * DAY }).map((r) => r.id),
      ['r1', 'r2'],
      'from inclusive, to exclusive, oldest first',
    );
    assert.deepEqual(
      store.checklists.listRuns({}).map((r) => r.id),
      ['r1', 'r2', 'r3'],
    );
    assert.deepEqual(
      store.checklists.listRuns({ checklistId: 'daily', limit: 1 }).map((r) => r.id),
      ['r2'],
      'the limit keeps the newest',
    );
    assert.equal(
      store.checklists.listRuns({ from: T0 + DAY, to: T0 + DAY + 1 })[0].items[0].note,
      'none seen',
    );
    const last = store.checklists.lastRuns();
    assert.equal(last.get('daily')?.id, 'r2');
    assert.equal(last.get('daily')?.status, 'finished');
    assert.equal(last.get('weekly')?.id, 'r3');
    assert.equal('items' in (last.get('daily') ?? {}), false, 'a summary carries no items');

    assert.equal(store.checklists.getSettings(), undefined);
    store.checklists.setSettings({ folder: '/srv/checklists' });
    assert.deepEqual(store.checklists.getSettings(), { folder: '/srv/checklists' });
    store.close();
  });
});
