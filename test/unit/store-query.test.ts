import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  chooseResolution,
  DAY,
  HOUR,
  insertGaps,
  lttb,
  MINUTE,
  medianDelta,
  shapeRaw,
  shapeRollup,
  shareBudget,
  Store,
} from '../../src/main/store';
import type { SeriesData } from '../../src/shared/types';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-store-query-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `q${n++}.db`);

const T0 = Date.UTC(2025, 0, 1);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function assertShape(d: SeriesData, width: number): void {
  assert.ok(d.t.length <= 2 * width, `${d.t.length} points for width ${width}`);
  assert.equal(d.v.length, d.t.length);
  for (let i = 1; i < d.t.length; i++) assert.ok(d.t[i] > d.t[i - 1], 'times increase');
  if (d.resolution !== 'raw') {
    assert.equal(d.min?.length, d.t.length);
    assert.equal(d.max?.length, d.t.length);
  }
  for (const arr of [d.v, d.min ?? [], d.max ?? []]) {
    for (const x of arr) assert.ok(x === null || Number.isFinite(x), `JSON-safe value ${x}`);
  }
}

describe('resolution choice', () => {
  test('the coarsest that still fills half the width', () => {
    assert.equal(chooseResolution(0, 30 * DAY, 1200, 10_000), '1h');
    assert.equal(chooseResolution(0, 7 * DAY, 1200, 10_000), '1m');
    assert.equal(chooseResolution(0, 24 * HOUR, 1200, 10_000), '1m');
    assert.equal(chooseResolution(0, 6 * HOUR, 1200, 10_000), 'raw');
    assert.equal(chooseResolution(0, 30 * DAY, 100, 10_000), '1h');
  });

  test('a series sampled every 5 minutes is not charted at 1m over a day', () => {
    assert.equal(chooseResolution(0, DAY, 1200, 5 * MINUTE), 'raw');
  });
});

describe('chart queries', () => {
  const file = fresh();
  const store = Store.open(file);
  const r = rng(5);
  const end = T0 + 3 * DAY;
  // 3 days at 10 s: a 20-minute silence at day 1 (raw gone by now, 1m left), a 3-minute
  // silence and a single missed sample at day 2.5 (still raw), explicit nulls at day 2.
  const silent = (t: number): boolean =>
    (t >= T0 + DAY && t < T0 + DAY + 20 * MINUTE) ||
    (t >= T0 + 2.5 * DAY && t < T0 + 2.5 * DAY + 3 * MINUTE) ||
    t === T0 + 2.5 * DAY + HOUR;
  for (let t = T0; t < end; t += 10_000) {
    if (silent(t)) continue;
    const value = t >= T0 + 2 * DAY && t < T0 + 2 * DAY + 5 * MINUTE ? null : 20 + r() * 60;
    store.append('h', t, [{ metric: 'cpu', value }]);
  }
  store.maintain(end);
  after(() => store.close());

  test('answers stay within 2 x width at every resolution', () => {
    for (const [from, to] of [
      [end - HOUR, end],
      [end - 12 * HOUR, end],
      [T0, end],
      [T0 - 30 * DAY, end],
    ]) {
      for (const width of [10, 37, 300, 1200]) {
        const [d] = store.query({ targetId: 'h', series: [{ metric: 'cpu' }], from, to, width });
        assert.equal(d.resolution, chooseResolution(from, to, width, 10_000));
        assertShape(d, width);
      }
    }
  });

  test('rollups carry min and max around the avg', () => {
    const [d] = store.query({
      targetId: 'h',
      series: [{ metric: 'cpu' }],
      from: T0,
      to: end,
      width: 36,
    });
    assert.equal(d.resolution, '1h');
    d.v.forEach((v, i) => {
      if (v === null) return;
      assert.ok(d.min![i]! <= v && v <= d.max![i]!);
      assert.ok(d.min![i]! >= 20 && d.max![i]! <= 80);
    });
  });

  test('a silence of more than two intervals breaks the line with a null', () => {
    const from = T0 + 2.5 * DAY - HOUR;
    const q = {
      targetId: 'h',
      series: [{ metric: 'cpu' }],
      from,
      to: from + 3 * HOUR,
      width: 2000,
    };
    const [d] = store.query(q);
    assert.equal(d.resolution, 'raw');
    const nulls = d.t.filter((_, i) => d.v[i] === null);
    assert.deepEqual(nulls, [T0 + 2.5 * DAY], 'one break, one interval after the last sample');
    assert.ok(!d.v.includes(0), 'never a zero');
  });

  test('where raw is gone, a raw chart is filled from 1m, silences still shown', () => {
    const from = T0 + DAY - HOUR;
    const q = {
      targetId: 'h',
      series: [{ metric: 'cpu' }],
      from,
      to: from + 2 * HOUR,
      width: 2000,
    };
    const [d] = store.query(q);
    assert.equal(d.resolution, 'raw');
    assert.ok(d.t[0] < T0 + DAY, 'data before the silence');
    const nulls = d.t.filter((_, i) => d.v[i] === null);
    assert.equal(nulls.length, 1);
    assert.ok(nulls[0] >= T0 + DAY - MINUTE && nulls[0] <= T0 + DAY + MINUTE);
    const [m] = store.query({ ...q, from: T0, to: end, width: 1200 });
    assert.equal(m.resolution, '1m');
    assert.ok(m.v.includes(null), 'the silence shows at 1m too');
  });

  test('stored nulls stay nulls', () => {
    const from = T0 + 2 * DAY - 10 * MINUTE;
    const [d] = store.query({
      targetId: 'h',
      series: [{ metric: 'cpu' }],
      from,
      to: from + 30 * MINUTE,
      width: 1000,
    });
    assert.equal(d.v.filter((v) => v === null).length, 1, 'one break for the run of nulls');
    assert.ok(!d.v.includes(0));
  });

  test('an unknown series answers empty arrays', () => {
    const [d] = store.query({
      targetId: 'h',
      series: [{ metric: 'nope', labels: { b: '2', a: '1' } }],
      from: T0,
      to: end,
      width: 100,
    });
    assert.deepEqual(d.t, []);
    assert.deepEqual(Object.keys(d.labels), ['a', 'b']);
  });

  test('sparkline and latest', () => {
    const s = store.sparkline('h', 'cpu', end - 30 * MINUTE, end, 60);
    assert.ok(s.t.length > 20 && s.t.length <= 60, `${s.t.length} points`);
    const last = store.latest('h').get('cpu')!;
    assert.equal(last.t, end - 10_000);
    assert.ok(last.v !== null && last.v >= 20);
    assert.deepEqual(store.sparkline('h', 'missing', T0, end, 60), { t: [], v: [] });
  });
});

describe('fresh install', () => {
  test('a 30-day chart before any rollup ran is computed from raw', () => {
    const store = Store.open(fresh());
    for (let i = 0; i < 6 * 360; i++)
      store.append('h', T0 + i * 10_000, [{ metric: 'm', value: i % 100 }]);
    const [d] = store.query({
      targetId: 'h',
      series: [{ metric: 'm' }],
      from: T0 - 29 * DAY,
      to: T0 + DAY,
      width: 1200,
    });
    assert.equal(d.resolution, '1h');
    assert.equal(d.t.length, 6);
    assert.deepEqual(d.min, [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(d.max, [99, 99, 99, 99, 99, 99]);
    store.close();
  });
});

describe('downsampling', () => {
  test('LTTB keeps the ends and a spike, with exactly n points', () => {
    const t = Array.from({ length: 1000 }, (_, i) => i);
    const v = t.map((i) => (i === 500 ? 1000 : Math.sin(i / 50)));
    const idx = lttb(t, v, 50);
    assert.equal(idx.length, 50);
    assert.equal(idx[0], 0);
    assert.equal(idx[49], 999);
    assert.ok(idx.includes(500));
    assert.deepEqual(lttb(t.slice(0, 5), v.slice(0, 5), 10), [0, 1, 2, 3, 4]);
  });

  test('gaps go after a silence of more than 2.5 intervals, one null per run', () => {
    const line = insertGaps(
      { t: [0, 10, 20, 40, 100, 110, 120, 130], v: [1, 2, 3, 4, 5, null, null, 6] },
      10,
    );
    assert.deepEqual(line.t, [0, 10, 20, 40, 50, 100, 110, 130]);
    assert.deepEqual(line.v, [1, 2, 3, 4, null, 5, null, 6]);
    assert.equal(medianDelta([0, 10, 20, 40, 100]), 20);
  });

  test('raw series broken into many runs still fit 2 x width', () => {
    const t: number[] = [];
    const v: (number | null)[] = [];
    for (let i = 0; i < 20_000; i++) {
      t.push(i * 10);
      v.push(i % 9 === 0 ? null : i % 13);
    }
    for (const width of [10, 50, 500]) assert.ok(shapeRaw(t, v, width).t.length <= 2 * width);
  });

  test('rollups merge into buckets with min of mins and max of maxes', () => {
    const t = Array.from({ length: 1000 }, (_, i) => i * MINUTE);
    const p = {
      t,
      count: t.map(() => 6),
      min: t.map((_, i) => -i),
      max: t.map((_, i) => i),
      avg: t.map(() => 1),
    };
    const line = shapeRollup(p, MINUTE, 100);
    assert.ok(line.t.length <= 200);
    assert.equal(Math.min(...(line.min as number[])), -999);
    assert.equal(Math.max(...(line.max as number[])), 999);
    assert.ok(line.v.every((x) => x === 1));
  });

  test('point budgets are shared by run length and never exceed the total', () => {
    const b = shareBudget([100, 10, 1, 1000], 60)!;
    assert.ok(b.reduce((s, x) => s + x, 0) <= 60);
    assert.ok(b[3] > b[0] && b[0] > b[1]);
    assert.equal(b[2], 1);
    assert.equal(shareBudget([5, 5, 5], 6), null);
  });
});

test('a series that starts mid-minute has no rolled-up point before its first sample', () => {
  const store = Store.open(fresh());
  const start = T0 + 35_000;
  for (let i = 0; i < 12; i++)
    store.append('h', start + i * 10_000, [{ metric: 'm', value: 100 + i }]);
  store.flush();
  store.maintain(start + 10 * MINUTE); // the minute that holds the first samples is rolled up
  const [d] = store.query({
    targetId: 'h',
    series: [{ metric: 'm' }],
    from: T0 - 10 * MINUTE,
    to: start + 2 * MINUTE,
    width: 400,
  });
  store.close();
  assert.equal(d.t[0], start, 'the chart starts at the first sample');
  assert.equal(d.v[0], 100);
  assert.ok(
    d.t.every((t, i) => i === 0 || t > d.t[i - 1]),
    'times only move forward',
  );
});
