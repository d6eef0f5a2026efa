import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { NotFound, ValidationError } from '../../src/main/errors';
import { DEFAULT_SETTINGS, Store } from '../../src/main/store';
import type { Target, TargetStatus } from '../../src/shared/types';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-store-inventory-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `i${n++}.db`);

const T0 = Date.UTC(2025, 0, 1);

const ssh: Target = {
  id: 'web1',
  name: 'Web 1',
  group: 'prod',
  intervalMs: 10_000,
  enabled: true,
  config: { kind: 'ssh', host: 'web1.example.test', port: 22, user: 'ops', auth: 'agent' },
  hasSecret: false,
  createdAt: T0,
};

const status: TargetStatus = {
  targetId: 'web1',
  health: 'degraded',
  lastError: 'df failed on web1',
  since: T0,
  lastSampleAt: T0 + 5000,
  lastDurationMs: 42,
  metricErrors: [{ metric: 'host.fs.used_pct', reason: 'df timed out' }],
  hostKey: null,
};

describe('inventory', () => {
  test('settings default to 10 s, 15 s, 48 h, 30 d, 730 d', () => {
    const store = Store.open(fresh());
    assert.deepEqual(store.getSettings(), {
      hostIntervalMs: 10_000,
      databaseIntervalMs: 15_000,
      retention: { rawHours: 48, oneMinuteDays: 30, oneHourDays: 730 },
    });
    assert.throws(
      () => store.saveSettings({ ...DEFAULT_SETTINGS, hostIntervalMs: NaN }),
      ValidationError,
    );
    store.close();
  });

  test('everything the UI shows offline survives a restart', () => {
    const file = fresh();
    let store = Store.open(file);
    store.saveTarget(ssh);
    store.saveTarget({ ...ssh, id: 'db1', name: 'DB', config: { kind: 'local' } });
    store.setSecret('web1', new Uint8Array([9, 8, 7]));
    store.saveSnapshot('web1', T0, 'ssh', { sessions: [{ pid: 1 }], ratio: NaN });
    store.saveStatus(status);
    store.saveSettings({ ...DEFAULT_SETTINGS, hostIntervalMs: 30_000 });
    store.close();

    store = Store.open(file);
    assert.deepEqual(
      store.listTargets().map((t) => t.id),
      ['db1', 'web1'],
    );
    assert.deepEqual(store.getTarget('web1'), { ...ssh, hasSecret: true });
    assert.equal(store.getTarget('db1')?.hasSecret, false);
    assert.deepEqual(store.getSecret('web1'), Buffer.from([9, 8, 7]));
    assert.deepEqual(store.getSnapshot('web1'), {
      targetId: 'web1',
      t: T0,
      kind: 'ssh',
      data: { sessions: [{ pid: 1 }], ratio: null },
    });
    assert.deepEqual(store.listStatuses(), [status]);
    assert.equal(store.getSettings().hostIntervalMs, 30_000);
    store.close();
  });

  test('saving a target again updates it but keeps its creation time', () => {
    const store = Store.open(fresh());
    store.saveTarget(ssh);
    const saved = store.saveTarget({ ...ssh, name: 'Renamed', createdAt: T0 + 999 });
    assert.equal(saved.name, 'Renamed');
    assert.equal(saved.createdAt, T0);
    store.close();
  });

  test('secrets: only for known targets, null removes', () => {
    const store = Store.open(fresh());
    assert.throws(() => store.setSecret('ghost', Buffer.from('x')), NotFound);
    store.saveTarget(ssh);
    store.setSecret('web1', Buffer.from('sealed'));
    store.setSecret('web1', null);
    assert.equal(store.getSecret('web1'), null);
    assert.equal(store.getTarget('web1')?.hasSecret, false);
    store.close();
  });

  test('statuses never carry NaN or Infinity', () => {
    const store = Store.open(fresh());
    store.saveStatus({ ...status, lastDurationMs: NaN, lastSampleAt: Infinity });
    const [s] = store.listStatuses();
    assert.equal(s.lastDurationMs, null);
    assert.equal(s.lastSampleAt, null);
    assert.throws(() => store.saveStatus({ ...status, since: NaN }), ValidationError);
    store.close();
  });
});
