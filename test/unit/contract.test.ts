import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contract } from '../../src/shared/api';

test('contract: blank or direction-reversing names and inverted retention are refused', () => {
  const base = { config: { kind: 'local' as const } };
  for (const name of ['   ', 'a\u202eb', 'x\u0000y']) {
    assert.equal(contract.saveTarget.input.safeParse({ ...base, name }).success, false, name);
  }
  assert.equal(contract.saveTarget.input.safeParse({ ...base, name: 'web-1 (eu)' }).success, true);
  const settings = {
    hostIntervalMs: 10_000,
    databaseIntervalMs: 15_000,
    retention: { rawHours: 2000, oneMinuteDays: 1, oneHourDays: 1 },
  };
  assert.equal(contract.saveSettings.input.safeParse(settings).success, false);
  settings.retention = { rawHours: 48, oneMinuteDays: 30, oneHourDays: 730 };
  assert.equal(contract.saveSettings.input.safeParse(settings).success, true);
});
