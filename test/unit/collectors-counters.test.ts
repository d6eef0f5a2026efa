import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counterIncrease, perSecond, RateTracker } from '../../src/main/collectors/counters';

const T0 = 1_000_000;

test('the first value gives no rate; the second gives delta per second', () => {
  const r = new RateTracker();
  assert.equal(r.rate('k', 100, T0), null);
  assert.equal(r.rate('k', 1100, T0 + 10_000), 100);
});

test('reset after reboot: btime changed => no rate, new baseline (counters-reset-and-wrap)', () => {
  const r = new RateTracker();
  assert.equal(r.rate('rx', 812345678901, T0, 1700000000), null);
  assert.equal(r.rate('rx', 1234567, T0 + 10_000, 1700000900), null);
  // The new value is the baseline of the next interval.
  assert.equal(r.rate('rx', 1234567 + 50_000, T0 + 20_000, 1700000900), 5000);
});

test('a value that goes backwards in the same boot is a reset, not a negative rate', () => {
  const r = new RateTracker();
  r.rate('k', 812345678901, T0, 1);
  assert.equal(r.rate('k', 1234567, T0 + 10_000, 1), null);
  assert.equal(r.rate('k', 1234667, T0 + 20_000, 1), 10);
});

test('32-bit wrap in the same boot: delta 167296 (counters-reset-and-wrap)', () => {
  assert.equal(counterIncrease(4294900000, 100000), 167296);
  const r = new RateTracker();
  r.delta('tx', 4294900000, T0, 1700000000);
  assert.deepEqual(r.delta('tx', 100000, T0 + 10_000, 1700000000), { delta: 167296, seconds: 10 });
  r.rate('tx2', 4294900000, T0, 1700000000);
  assert.equal(r.rate('tx2', 100000, T0 + 10_000, 1700000000), 16729.6);
});

test('a drop that does not look like a 32-bit wrap is a reset', () => {
  assert.equal(counterIncrease(3_000_000_000, 5), null); // far from 2^32
  assert.equal(counterIncrease(4294900000, 3_500_000_000), null); // new value not near 0
  assert.equal(counterIncrease(2 ** 32 + 5, 10), null); // a 64-bit counter never wraps here
  assert.equal(counterIncrease(10, 10), 0);
});

test('a rate above the plausible maximum is a gap', () => {
  const r = new RateTracker();
  r.rate('k', 0, T0);
  assert.equal(r.rate('k', 1e12, T0 + 1000, undefined, { max: 1e9 }), null);
  assert.equal(r.rate('k', 1e12 + 500, T0 + 2000, undefined, { max: 1e9 }), 500);
});

test('time that does not move forward gives no rate', () => {
  const r = new RateTracker();
  r.rate('k', 10, T0);
  assert.equal(r.rate('k', 20, T0), null);
  assert.equal(r.rate('k', 30, T0 - 1000), null);
  assert.equal(r.rate('k', 40, T0 + 1000), 5); // from the newest baseline (30 at T0 - 1 s)
});

test('a non-finite or negative value drops the baseline', () => {
  const r = new RateTracker();
  r.rate('k', 10, T0);
  assert.equal(r.rate('k', Number.NaN, T0 + 1000), null);
  assert.equal(r.has('k'), false);
  assert.equal(r.rate('k', -5, T0 + 2000), null);
  assert.equal(r.rate('k', 5, T0 + 3000), null);
  assert.equal(r.rate('k', 15, T0 + 4000), 10);
});

test('series are independent by key', () => {
  const r = new RateTracker();
  r.rate('a', 0, T0);
  r.rate('b', 100, T0);
  assert.equal(r.rate('a', 10, T0 + 1000), 10);
  assert.equal(r.rate('b', 300, T0 + 1000), 200);
});

test('baselines not updated for several rounds are forgotten', () => {
  const r = new RateTracker();
  r.rate('gone', 1, T0);
  r.rate('kept', 1, T0);
  r.endRound();
  for (let i = 1; i <= 3; i++) {
    r.rate('kept', 1 + i, T0 + i * 1000);
    r.endRound();
  }
  assert.equal(r.has('gone'), false);
  assert.equal(r.has('kept'), true);
  assert.equal(r.size, 1);
});

test('perSecond refuses missing, negative and implausible deltas', () => {
  assert.equal(perSecond(null), null);
  assert.equal(perSecond({ delta: 10, seconds: 0 }), null);
  assert.equal(perSecond({ delta: -1, seconds: 1 }), null);
  assert.equal(perSecond({ delta: 10, seconds: 2 }), 5);
  assert.equal(perSecond({ delta: 10, seconds: 2 }, { max: 4 }), null);
});
