// Migration 6 (runbooks and incidents) from a version-5 file, and the tables' round trips.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setLogSink } from '../../src/main/log';
import { migrate, openDatabase, SCHEMA_VERSION, Store } from '../../src/main/store';
import { runbooksMigration, type RunHeader } from '../../src/main/store/runbooks';
import type { StepResult } from '../../src/shared/runbooks';

setLogSink(() => {});
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-runbooks-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 0, 1);

const header: RunHeader = {
  id: 'r1',
  runbookId: 'disk-almost-full',
  title: 'Disk almost full',
  scenario: 'system-failure',
  params: { path: '/' },
  targets: { host: 'web1' },
  incidentId: null,
  status: 'running',
  startedAt: T0,
  startedBy: 'ann',
  finishedAt: null,
  current: 0,
  plan: [],
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
  },
};

function step(attempt: number, status: StepResult['status']): StepResult {
  return {
    index: 0,
    stepId: 'a',
    attempt,
    status,
    outcome: null,
    by: 'ann',
    startedAt: T0,
    finishedAt: null,
    targetId: null,
    text: null,
    exitCode: null,
    output: '',
    truncated: false,
    value: null,
    confirmed: false,
    skipReason: null,
    choice: null,
    error: null,
  };
}

describe('runbook tables', () => {
  test('5 -> 6: earlier data survives and the new tables work', () => {
    const file = join(dir, 'v5.db');
    const db = openDatabase(file);
    migrate(db, file, runbooksMigration.version - 1);
    db.prepare(
      `INSERT INTO targets (id, name, grp, interval_ms, enabled, config, created_at)
       VALUES ('web1', 'web 1', '', 10000, 1, '{"kind":"local"}', ?)`,
    ).run(T0);
    db.close();

    const store = Store.open(file);
    try {
      assert.equal(store.schemaVersion, SCHEMA_VERSION, '5 -> 6 and every later step');
      assert.equal(store.getTarget('web1')?.name, 'web 1');
      const t = store.runbooks;
      t.saveRun(header);
      t.saveStep('r1', step(1, 'failed'));
      t.saveStep('r1', step(2, 'running'));
      t.addNote('r1', { t: T0, by: 'ann', index: 0, text: 'n' });
      assert.deepEqual(t.getRunHeader('r1'), header);
      assert.deepEqual(
        t.steps('r1').map((s) => [s.attempt, s.status]),
        [
          [1, 'failed'],
          [2, 'running'],
        ],
      );
      assert.deepEqual(
        t.runningSteps().map((x) => x.runId),
        ['r1'],
      );
      assert.equal(t.listRunHeaders({ status: 'running' }, 10).length, 1);
      assert.equal(t.listRunHeaders({ incidentId: 'nope' }, 10).length, 0);
      assert.deepEqual(t.notes('r1'), [{ t: T0, by: 'ann', index: 0, text: 'n' }]);
      t.setMeta('k', { a: 1 });
      assert.deepEqual(t.getMeta('k'), { a: 1 });
    } finally {
      store.close();
    }
  });
});
