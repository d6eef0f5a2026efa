// The fleet-level offline judgement (every enabled remote target unreachable, the
// workstation's own target left out, since when nothing answered) and the handover page's
// pure helpers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countsLine, factHref } from '../../src/renderer/src/handover';
import { downSince, fleetOffline } from '../../src/renderer/src/offline';
import { parseRoute, routeHash } from '../../src/renderer/src/router';
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

describe('handover page helpers', () => {
  test('routes of the handover page and of the facts it links to', () => {
    assert.deepEqual(parseRoute('#/handover'), { page: 'handover', id: null });
    assert.deepEqual(parseRoute('#/handover/ab12'), { page: 'handover', id: 'ab12' });
    assert.equal(routeHash({ page: 'handover', id: 'ab12' }), '#/handover/ab12');
    assert.equal(factHref({ page: 'incident', id: 'i1' }), '#/incidents/i1');
    assert.equal(factHref({ page: 'run', id: 'r1' }), '#/runs/r1');
    assert.equal(factHref({ page: 'alerts', targetId: 't1' }), '#/alerts');
    assert.equal(factHref({ page: 'checklist', id: 'c1' }), '#/checklists/c1');
    assert.equal(factHref({ page: 'target', id: 'db1', tab: 'backups' }), '#/target/db1/backups');
  });

  test('counts in words, in section order, zero sections left out', () => {
    assert.equal(
      countsLine({ incidents: 2, firing: 1, resolved: 0, maintenance: 1 }),
      '2 open incidents · 1 firing alert · 1 maintenance due',
    );
    assert.equal(countsLine({ incidents: 0 }), 'nothing open');
  });
});
