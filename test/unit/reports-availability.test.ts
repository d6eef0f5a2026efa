// What counts as a failed round: statuses after each round go into the rounds per hour and
// the outage stretches. Ok and degraded are good rounds; unreachable fails and opens a
// stretch with its reason, the next good round closes it; pending is no round; disabling a
// target ends its stretch. Hour rows older than 400 days go at maintenance.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AvailabilityRecorder, missedRounds } from '../../src/main/reports/availability';
import { Store } from '../../src/main/store';
import type { TargetHealth, TargetStatus } from '../../src/shared/types';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-reports-availability-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 10);

function status(health: TargetHealth, at: number, error: string | null = null): TargetStatus {
  return {
    targetId: 'h1',
    health,
    lastError: error,
    since: at,
    lastSampleAt: health === 'ok' || health === 'degraded' ? at : null,
    lastDurationMs: 5,
    metricErrors: [],
    hostKey: null,
  };
}

describe('rounds and outages from statuses', () => {
  const store = Store.open(join(dir, 'a.db'));
  after(() => store.close());
  const a = store.availability;
  const steps: [TargetHealth, number, string | null][] = [
    ['pending', T0, null],
    ['ok', T0 + 10_000, null],
    ['degraded', T0 + 20_000, null],
    ['unreachable', T0 + 30_000, 'connect ECONNREFUSED'],
    ['unreachable', T0 + 40_000, 'connect ETIMEDOUT'],
    ['ok', T0 + 50_000, null],
    ['unreachable', T0 + HOUR, 'host key changed'],
    ['disabled', T0 + HOUR + 5_000, null],
  ];
  const recorder = new AvailabilityRecorder(a);
  for (const [health, at, error] of steps) recorder.record(status(health, at, error), 10_000, at);

  test('ok and degraded are good rounds, unreachable failed ones, pending none', () => {
    assert.deepEqual(a.rounds(T0, T0 + 2 * HOUR), [
      { targetId: 'h1', hour: T0, ok: 3, failed: 2 },
      { targetId: 'h1', hour: T0 + HOUR, ok: 0, failed: 1 },
    ]);
  });

  test('a stretch opens at the first failed round with its reason and closes at the next good one', () => {
    assert.deepEqual(a.outages(T0, T0 + 2 * HOUR), [
      { targetId: 'h1', start: T0 + 30_000, end: T0 + 50_000, reason: 'connect ECONNREFUSED' },
      { targetId: 'h1', start: T0 + HOUR, end: T0 + HOUR + 5_000, reason: 'host key changed' },
    ]);
    assert.equal(a.openOutage('h1'), null, 'disabling ended the second stretch');
  });

  test('hour rows and closed stretches older than 400 days go at maintenance', () => {
    const old = T0 - 401 * 24 * HOUR;
    a.recordRound('h1', old, false, 'gone long ago');
    a.recordRound('h1', old + 60_000, true, null);
    assert.equal(a.rounds(old - HOUR, old + HOUR).length, 1);
    store.maintain(T0 + 2 * HOUR);
    assert.equal(a.rounds(old - HOUR, old + HOUR).length, 0);
    assert.equal(a.outages(old - HOUR, old + HOUR).length, 0);
    assert.equal(a.rounds(T0, T0 + 2 * HOUR).length, 2, 'recent rows stay');
  });
});

describe('rounds a retry with backoff replaced', () => {
  const I = 10_000;
  test('count as failed while the target was last known down', () => {
    assert.equal(missedRounds({ t: 0, ok: false }, 40_000, I), 3);
    assert.equal(missedRounds({ t: 0, ok: false }, 10_000, I), 0, 'no retry wait, nothing missed');
  });

  test('count nothing after a good round or across a gap longer than any backoff', () => {
    assert.equal(missedRounds({ t: 0, ok: true }, 40_000, I), 0);
    assert.equal(missedRounds(undefined, 40_000, I), 0);
    assert.equal(missedRounds({ t: 0, ok: false }, 3_600_000, I), 0, 'Opsdeck was closed');
  });

  test('an outage retried every minute reads as the share of time it lasted', () => {
    const store = Store.open(join(dir, 'b.db'));
    after(() => store.close());
    const recorder = new AvailabilityRecorder(store.availability);
    let t = T0;
    // 50 minutes of good rounds every 10 s, then 10 minutes down retried once a minute.
    for (; t < T0 + 50 * 60_000; t += I)
      recorder.record({ ...status('ok', t), targetId: 'h2' }, I, t);
    for (; t < T0 + HOUR; t += 60_000)
      recorder.record({ ...status('unreachable', t, 'timeout'), targetId: 'h2' }, I, t);
    recorder.record({ ...status('ok', t), targetId: 'h2' }, I, t);
    const [hour] = store.availability.rounds(T0, T0 + HOUR, ['h2']);
    assert.equal(hour.ok, 300);
    assert.equal(
      hour.failed,
      60 - 5,
      'the retry wait before the good round at 11:00 falls in the next hour',
    );
  });
});

describe('a new host key waiting for the operator', () => {
  test('is no round and opens no outage; a changed key is a failed round', () => {
    const store = Store.open(join(dir, 'c.db'));
    after(() => store.close());
    const recorder = new AvailabilityRecorder(store.availability);
    const prompt = {
      targetId: 'h3',
      host: '127.0.0.1',
      port: 22,
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:new',
      knownFingerprint: null as string | null,
    };
    const waiting = { ...status('unreachable', T0, 'not known yet'), targetId: 'h3' };
    recorder.record({ ...waiting, hostKey: prompt }, 10_000, T0);
    assert.deepEqual(store.availability.rounds(T0, T0 + HOUR, ['h3']), []);
    assert.equal(store.availability.openOutage('h3'), null);
    const changed = { ...prompt, knownFingerprint: 'SHA256:old' };
    recorder.record({ ...waiting, hostKey: changed }, 10_000, T0 + 10_000);
    assert.equal(store.availability.rounds(T0, T0 + HOUR, ['h3'])[0].failed, 1);
    assert.notEqual(store.availability.openOutage('h3'), null);
  });
});
