import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  DAY,
  decodeChunk,
  HOUR,
  MINUTE,
  normalizeValue,
  retentionCutoffs,
  ROLLUP_GRACE_MS,
  rollupRaw,
  Store,
} from '../../src/main/store';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-store-rollup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `r${n++}.db`);

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

interface Agg {
  count: number;
  min: number;
  max: number;
  sum: number;
}

/** Brute force: every non-null raw value added to its bucket. */
function bruteForce(samples: [number, number | null][], step: number): Map<number, Agg> {
  const out = new Map<number, Agg>();
  for (const [t, v] of samples) {
    if (v === null) continue;
    const b = Math.floor(t / step) * step;
    const a = out.get(b) ?? { count: 0, min: Infinity, max: -Infinity, sum: 0 };
    a.count++;
    a.min = Math.min(a.min, v);
    a.max = Math.max(a.max, v);
    a.sum += v;
    out.set(b, a);
  }
  return out;
}

/** Stored rollup points of one resolution code, decoded from the file. */
function storedRollups(file: string, res: number): Map<number, number[]> {
  const db = new Database(file, { readonly: true });
  const blobs = db
    .prepare(
      `SELECT data FROM (SELECT start_t, data FROM chunks WHERE res = ?
       UNION ALL SELECT start_t, data FROM heads WHERE res = ?) ORDER BY start_t`,
    )
    .pluck()
    .all(res, res) as Buffer[];
  db.close();
  const out = new Map<number, number[]>();
  for (const b of blobs) {
    const d = decodeChunk(b);
    d.t.forEach((t, i) => out.set(t, d.cols.map((c) => c[i]!) as number[]));
  }
  return out;
}

function assertMatches(
  stored: Map<number, number[]>,
  expected: Map<number, Agg>,
  what: string,
): void {
  assert.deepEqual([...stored.keys()].sort(), [...expected.keys()].sort(), `${what} buckets`);
  for (const [t, e] of expected) {
    const [count, min, max, avg] = stored.get(t)!;
    assert.equal(count, e.count, `${what} count at ${t}`);
    assert.equal(min, e.min, `${what} min at ${t}`);
    assert.equal(max, e.max, `${what} max at ${t}`);
    const want = e.sum / e.count;
    assert.ok(
      Math.abs(avg - want) <= 5e-6 * Math.max(1, Math.abs(want)),
      `${what} avg ${avg} vs ${want}`,
    );
  }
}

/** Noisy values with gaps and a 7-minute silence; 10 s apart with jitter. */
function history(minutes: number, seed: number): [number, number | null][] {
  const r = rng(seed);
  const out: [number, number | null][] = [];
  for (let t = T0; t < T0 + minutes * MINUTE; t += 10_000) {
    if (t >= T0 + 30 * MINUTE && t < T0 + 37 * MINUTE) continue;
    const v = r() < 0.05 ? null : normalizeValue(40 + (r() - 0.5) * 30);
    out.push([t + Math.floor(r() * 900), v]);
  }
  return out;
}

describe('rollups', () => {
  test('1m and 1h rollups match a brute-force computation over raw', () => {
    const file = fresh();
    const store = Store.open(file);
    const samples = history(3 * 60 + 5, 1);
    for (const [t, v] of samples) store.append('h', t, [{ metric: 'cpu', value: v }]);
    const end = T0 + (3 * 60 + 5) * MINUTE;
    store.maintain(end + ROLLUP_GRACE_MS + MINUTE);
    store.close();
    const floored = samples.map(([t, v]): [number, number | null] => [
      Math.floor(t / 1000) * 1000,
      v,
    ]);
    assertMatches(storedRollups(file, 1), bruteForce(floored, MINUTE), '1m');
    const hours = bruteForce(
      floored.filter(([t]) => t < T0 + 3 * HOUR),
      HOUR,
    );
    assertMatches(storedRollups(file, 2), hours, '1h');
  });

  test('calling maintain every minute gives the same rollups as once at the end', () => {
    const samples = history(2 * 60 + 10, 2);
    const files = [fresh(), fresh()];
    const stores = files.map((f) => Store.open(f));
    let nextMinute = T0 + MINUTE;
    for (const [t, v] of samples) {
      for (const s of stores) s.append('h', t, [{ metric: 'cpu', value: v }]);
      if (t >= nextMinute) {
        stores[0].maintain(t);
        nextMinute += MINUTE;
      }
    }
    const end = T0 + 3 * HOUR;
    for (const s of stores) {
      s.maintain(end);
      s.close();
    }
    for (const res of [1, 2])
      assert.deepEqual(storedRollups(files[0], res), storedRollups(files[1], res));
    assert.ok(storedRollups(files[0], 2).size === 2);
  });

  test('a bucket within the grace period is not rolled up yet but is charted', () => {
    const file = fresh();
    const store = Store.open(file);
    for (let i = 0; i < 12; i++) store.append('h', T0 + i * 10_000, [{ metric: 'm', value: i }]);
    store.maintain(T0 + 2 * MINUTE + ROLLUP_GRACE_MS - 1);
    const [d] = store.query({
      targetId: 'h',
      series: [{ metric: 'm' }],
      from: T0,
      to: T0 + 3 * DAY,
      width: 100,
    });
    assert.equal(d.resolution, '1h');
    assert.deepEqual(d.min, [0]);
    assert.deepEqual(d.max, [11]);
    store.close();
    assert.equal(storedRollups(file, 1).size, 1, 'only the first minute is final');
  });

  test('null values do not count', () => {
    const r = rollupRaw([0, 10_000, 20_000, 70_000], [null, 4, 2, null], MINUTE);
    assert.deepEqual(r, { t: [0], count: [2], min: [2], max: [4], avg: [3] });
  });
});

describe('retention', () => {
  test('cut-offs never drop data that is not rolled up yet', () => {
    const r = { rawHours: 48, oneMinuteDays: 30, oneHourDays: 730 };
    const now = T0 + 100 * DAY;
    assert.deepEqual(retentionCutoffs(now, r, { '1m': null, '1h': null }), {
      raw: -Infinity,
      '1m': -Infinity,
      '1h': now - 730 * DAY,
    });
    const early = T0;
    assert.equal(retentionCutoffs(now, r, { '1m': early, '1h': early }).raw, early);
  });

  test('old chunks go per resolution at chunk granularity; emptied series go too', () => {
    const file = fresh();
    const store = Store.open(file);
    store.saveSettings({
      hostIntervalMs: 10_000,
      databaseIntervalMs: 15_000,
      retention: { rawHours: 2, oneMinuteDays: 1, oneHourDays: 2 },
    });
    const end = T0 + 4 * DAY;
    for (let t = T0; t < end; t += MINUTE) {
      const points = [{ metric: 'live', value: (t / MINUTE) % 17 }];
      if (t < T0 + DAY) points.push({ metric: 'gone', value: 1 });
      store.append('h', t, points);
    }
    const report = store.maintain(end);
    assert.ok(report.deletedChunks > 0);
    assert.equal(report.deletedSeries, 1);
    assert.deepEqual(
      store.listSeries('h').map((s) => s.metric),
      ['live'],
    );
    store.close();
    const db = new Database(file, { readonly: true });
    const oldest = (res: number): number =>
      db
        .prepare(
          'SELECT min(end_t) FROM (SELECT end_t FROM chunks WHERE res = ? UNION ALL SELECT end_t FROM heads WHERE res = ?)',
        )
        .pluck()
        .get(res, res) as number;
    const earliest = (res: number): number =>
      db
        .prepare(
          'SELECT min(start_t) FROM (SELECT start_t FROM chunks WHERE res = ? UNION ALL SELECT start_t FROM heads WHERE res = ?)',
        )
        .pluck()
        .get(res, res) as number;
    assert.ok(oldest(0) >= end - 2 * HOUR, 'raw kept 2 h');
    assert.ok(earliest(0) >= end - 4 * HOUR, 'raw older than a chunk window beyond 2 h is gone');
    assert.ok(oldest(1) >= end - DAY, '1m kept 1 day');
    assert.ok(earliest(1) >= end - 2 * DAY, '1m older than a window beyond 1 day is gone');
    assert.ok(oldest(2) >= end - 2 * DAY, '1h kept 2 days');
    assert.ok(earliest(2) < end - DAY, '1h still holds what 1m lost');
    db.close();
  });
});
