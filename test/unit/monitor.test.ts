import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialStatus, nextStatus, retryDelay } from '../../src/main/monitor/status';
import { Scheduler, type RoundResult } from '../../src/main/monitor/scheduler';
import type { Target, TargetStatus } from '../../src/shared/types';

const target = (id: string, intervalMs = 50): Target => ({
  id,
  name: id,
  group: '',
  intervalMs,
  enabled: true,
  config: { kind: 'local' },
  hasSecret: false,
  createdAt: 0,
});

async function until(cond: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('health follows rounds and since moves only on a change', () => {
  let s = initialStatus('a', 1000);
  assert.equal(s.health, 'pending');
  s = nextStatus(s, { kind: 'ok', t: 2000, durationMs: 5, metricErrors: [] });
  assert.equal(s.health, 'ok');
  assert.equal(s.since, 2000);
  s = nextStatus(s, { kind: 'ok', t: 3000, durationMs: 5, metricErrors: [] });
  assert.equal(s.since, 2000);
  s = nextStatus(s, {
    kind: 'ok',
    t: 4000,
    durationMs: 5,
    metricErrors: [{ metric: 'host.fs.used', reason: 'df output truncated' }],
  });
  assert.equal(s.health, 'degraded');
  assert.match(s.lastError ?? '', /df output truncated/);
  s = nextStatus(s, { kind: 'failed', t: 5000, durationMs: 9, error: 'refused', hostKey: null });
  assert.equal(s.health, 'unreachable');
  assert.equal(s.since, 5000);
  assert.equal(s.lastSampleAt, 4000, 'the last sample time survives a failure');
});

test('retry delay grows, is jittered and capped at a minute', () => {
  assert.equal(retryDelay(10_000, 1, 0.5), 10_000);
  assert.equal(retryDelay(10_000, 2, 0.5), 20_000);
  assert.equal(retryDelay(10_000, 10, 0.5), 60_000);
  assert.ok(retryDelay(10_000, 10, 1) <= 72_000);
  assert.ok(retryDelay(10_000, 1, 0) >= 8_000);
});

test('a target that never answers does not delay another', async () => {
  const rounds: string[] = [];
  const statuses: TargetStatus[] = [];
  const sched = new Scheduler({
    collect: (t): Promise<RoundResult> =>
      t.id === 'dead'
        ? new Promise(() => undefined)
        : Promise.resolve({ points: [{ metric: 'host.cpu.busy', value: 1 }], errors: [] }),
    onRound: (t) => rounds.push(t.id),
    onStatus: (s) => statuses.push(s),
    deadlineMs: () => 300,
  });
  sched.upsert(target('dead'));
  sched.upsert(target('alive'));
  await until(
    () =>
      rounds.filter((r) => r === 'alive').length >= 3 &&
      sched.status('dead')?.health === 'unreachable',
  );
  sched.stop();
  const alive = rounds.filter((r) => r === 'alive').length;
  assert.ok(alive >= 3, `alive target collected ${alive} rounds while the other hung`);
  assert.ok(!rounds.includes('dead'));
  const dead = sched.status('dead');
  assert.equal(dead?.health, 'unreachable');
  assert.match(dead?.lastError ?? '', /dead did not answer within 300 ms/);
});

test('a disabled target reports disabled and is not collected', async () => {
  let calls = 0;
  const sched = new Scheduler({
    collect: async () => {
      calls++;
      return { points: [], errors: [] };
    },
    onRound: () => undefined,
    onStatus: () => undefined,
  });
  sched.upsert({ ...target('off'), enabled: false });
  await new Promise((r) => setTimeout(r, 60));
  sched.stop();
  assert.equal(calls, 0);
  assert.equal(sched.status('off')?.health, 'disabled');
});

test('a database that answered nothing is unreachable, and what it sent is still stored', async () => {
  const stored: number[] = [];
  const sched = new Scheduler({
    collect: async () => ({
      points: [{ metric: 'pg.up', value: 0 }],
      errors: [{ metric: 'pg.up', reason: 'connection refused by pg-1' }],
      unreachable: 'connection refused by pg-1',
    }),
    onRound: (_t, _at, r) => stored.push(r.points.length),
    onStatus: () => undefined,
  });
  sched.upsert({ ...target('pg'), config: { kind: 'local' } });
  await until(() => sched.status('pg')?.health === 'unreachable');
  sched.stop();
  assert.equal(sched.status('pg')?.lastError, 'connection refused by pg-1');
  assert.equal(sched.status('pg')?.lastSampleAt, null, 'a failed round is not a sample');
  assert.ok(stored.length >= 1, 'pg.up = 0 is stored');
});
