// The fleet-level offline judgement: every enabled remote target unreachable, the
// workstation's own target left out, and since when nothing answered.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { downSince, fleetOffline } from '../../src/renderer/src/offline';
import type { Target, TargetHealth, TargetStatus } from '../../src/shared/types';

const base = { group: '', intervalMs: 10_000, hasSecret: false, createdAt: 0 };
const local: Target = {
  ...base,
  id: 'local',
  name: 'This workstation',
  enabled: true,
  config: { kind: 'local' },
};

function remote(id: string, enabled = true): Target {
  return {
    ...base,
    id,
    name: id,
    enabled,
    config: { kind: 'redis', host: '127.0.0.1', port: 6379, tls: false, db: 0 },
  };
}

function status(
  targetId: string,
  health: TargetHealth,
  since: number,
  lastSampleAt: number | null,
): TargetStatus {
  return {
    targetId,
    health,
    since,
    lastSampleAt,
    lastError: null,
    lastDurationMs: null,
    metricErrors: [],
    hostKey: null,
  };
}

const map = (...s: TargetStatus[]) => new Map(s.map((x) => [x.targetId, x]));

describe('fleet offline', () => {
  test('every enabled remote target unreachable: offline since the last answer of any', () => {
    const off = fleetOffline(
      [local, remote('a'), remote('b'), remote('off', false)],
      map(
        status('local', 'ok', 0, 5000),
        status('a', 'unreachable', 1200, 1000),
        status('b', 'unreachable', 2200, 2000),
        status('off', 'disabled', 0, null),
      ),
    );
    assert.deepEqual(off, { since: 2000, count: 2, localLive: true });
  });

  test('one remote target answering, or one not known yet: not offline', () => {
    const targets = [remote('a'), remote('b')];
    assert.equal(
      fleetOffline(targets, map(status('a', 'unreachable', 1, 1), status('b', 'degraded', 1, 9))),
      null,
    );
    assert.equal(fleetOffline(targets, map(status('a', 'unreachable', 1, 1))), null);
    assert.equal(
      fleetOffline(targets, map(status('a', 'unreachable', 1, 1), status('b', 'pending', 1, null))),
      null,
    );
  });

  test('no remote target at all: the workstation alone is never "offline"', () => {
    assert.equal(fleetOffline([local], map(status('local', 'unreachable', 1, 1))), null);
  });

  test('targets that never answered: since they went down; no live workstation', () => {
    const off = fleetOffline(
      [remote('a'), remote('b')],
      map(status('a', 'unreachable', 300, null), status('b', 'unreachable', 100, null)),
    );
    assert.deepEqual(off, { since: 100, count: 2, localLive: false });
  });

  test('one target down since its last sample', () => {
    assert.equal(downSince(status('a', 'unreachable', 900, 800)), 800);
    assert.equal(downSince(status('a', 'unreachable', 900, null)), 900);
    assert.equal(downSince(status('a', 'ok', 900, 800)), null);
    assert.equal(downSince(undefined), null);
  });
});
