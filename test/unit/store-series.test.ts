import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { HOUR, MAX_CHUNK_BYTES, normalizeValue, Store } from '../../src/main/store';
import type { Target } from '../../src/shared/types';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-store-series-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `s${n++}.db`);

const T0 = Date.UTC(2025, 0, 1);
const STEP = 10_000;

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

/** All raw samples of one series in [from, to] (short ranges stay raw). */
function raw(store: Store, targetId: string, metric: string, from: number, to: number) {
  const [d] = store.query({ targetId, series: [{ metric }], from, to, width: 8000 });
  assert.equal(d.resolution, 'raw');
  return d;
}

function rows(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function target(id: string): Target {
  return {
    id,
    name: id,
    group: '',
    intervalMs: STEP,
    enabled: true,
    config: { kind: 'local' },
    hasSecret: false,
    createdAt: T0,
  };
}

describe('series storage', () => {
  test('samples come back in order with gaps as null, never zero', () => {
    const store = Store.open(fresh());
    for (let i = 0; i < 100; i++) {
      store.append('h', T0 + i * STEP, [
        { metric: 'host.load.1', value: i % 10 === 5 ? null : i / 4 },
      ]);
    }
    store.flush();
    const d = raw(store, 'h', 'host.load.1', T0, T0 + HOUR);
    assert.equal(d.t.length, 100);
    assert.equal(d.v[5], null);
    assert.equal(d.v[6], 1.5);
    assert.equal(d.v.filter((v) => v === 0).length, 1, 'only the real zero');
    store.close();
  });

  test('NaN and Infinity are stored as gaps and the answer is JSON-safe', () => {
    const store = Store.open(fresh());
    const values = [1, NaN, Infinity, -Infinity, 2];
    values.forEach((value, i) => store.append('h', T0 + i * STEP, [{ metric: 'm', value }]));
    const d = raw(store, 'h', 'm', T0, T0 + HOUR);
    assert.deepEqual(d.v, [1, null, 2]);
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
    assert.deepEqual(store.latest('h').get('m'), { t: T0 + 4 * STEP, v: 2 });
    store.close();
  });

  test('labels make distinct series with canonical keys', () => {
    const store = Store.open(fresh());
    store.append('h', T0, [
      {
        metric: 'host.fs.used_pct',
        labels: { mount: '/', device: 'sda1', fstype: 'ext4' },
        value: 50,
      },
      {
        metric: 'host.fs.used_pct',
        labels: { mount: '/boot', device: 'sda2', fstype: 'ext4' },
        value: 20,
      },
    ]);
    store.append('h', T0 + STEP, [
      {
        metric: 'host.fs.used_pct',
        labels: { fstype: 'ext4', device: 'sda1', mount: '/' },
        value: 51,
      },
    ]);
    assert.equal(store.listSeries('h').length, 2);
    const latest = store.latest('h');
    assert.deepEqual(latest.get('host.fs.used_pct{device="sda1",fstype="ext4",mount="/"}'), {
      t: T0 + STEP,
      v: 51,
    });
    store.close();
  });

  test('a sample not later than the last one is dropped', () => {
    const store = Store.open(fresh());
    assert.equal(store.append('h', T0 + STEP, [{ metric: 'm', value: 1 }]), 1);
    assert.equal(store.append('h', T0, [{ metric: 'm', value: 2 }]), 0);
    assert.equal(store.append('h', T0 + STEP + 400, [{ metric: 'm', value: 3 }]), 1);
    assert.equal(
      store.append('h', T0 + STEP + 400, [
        { metric: 'm', value: 4 },
        { metric: 'n', value: 5 },
        { metric: 'n', value: 6 },
      ]),
      1,
      'repeats of earlier samples are dropped',
    );
    assert.deepEqual(raw(store, 'h', 'm', T0, T0 + HOUR).t, [T0 + STEP, T0 + STEP + 1000]);
    assert.deepEqual(raw(store, 'h', 'n', T0, T0 + HOUR).v, [5]);
    store.close();
  });

  test('flushed samples survive a restart; unflushed ones are all that a crash loses', () => {
    const file = fresh();
    const first = Store.open(file);
    for (let i = 0; i < 50; i++) first.append('h', T0 + i * STEP, [{ metric: 'm', value: i }]);
    first.flush();
    for (let i = 50; i < 60; i++) first.append('h', T0 + i * STEP, [{ metric: 'm', value: i }]);
    // `first` is abandoned without flush, like a process that died.
    const second = Store.open(file);
    const d = raw(second, 'h', 'm', T0, T0 + HOUR);
    assert.deepEqual(
      d.v,
      Array.from({ length: 50 }, (_, i) => i),
    );
    second.close();
  });

  test('appending after a restart continues the head chunk, history stays', () => {
    const file = fresh();
    let store = Store.open(file);
    for (let i = 0; i < 100; i++) store.append('h', T0 + i * STEP, [{ metric: 'm', value: i }]);
    store.close();
    store = Store.open(file);
    for (let i = 100; i < 200; i++) store.append('h', T0 + i * STEP, [{ metric: 'm', value: i }]);
    store.close();
    store = Store.open(file);
    const d = raw(store, 'h', 'm', T0, T0 + HOUR);
    assert.deepEqual(
      d.v,
      Array.from({ length: 200 }, (_, i) => i),
    );
    store.close();
    assert.deepEqual(rows(file, 'SELECT n FROM heads'), [{ n: 200 }]);
    assert.deepEqual(rows(file, 'SELECT count(*) AS c FROM chunks'), [{ c: 0 }]);
  });

  test('chunks close at window and size limits and read back seamlessly', () => {
    const file = fresh();
    let store = Store.open(file);
    const r = rng(3);
    const values: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = normalizeValue(30 + (r() - 0.5) * 20)!;
      values.push(v);
      store.append('h', T0 + i * STEP, [{ metric: 'cpu', value: v }]);
      if (i === 1500) {
        store.close();
        store = Store.open(file);
      }
    }
    store.close();
    store = Store.open(file);
    const [d] = store.query({
      targetId: 'h',
      series: [{ metric: 'cpu' }],
      from: T0,
      to: T0 + 3000 * STEP,
      width: 2000,
    });
    assert.equal(d.resolution, 'raw');
    assert.deepEqual(d.v, values);
    store.close();
    const chunks = rows(file, 'SELECT start_t, end_t, length(data) AS len FROM chunks') as {
      start_t: number;
      end_t: number;
      len: number;
    }[];
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    for (const c of chunks) {
      assert.ok(c.len <= MAX_CHUNK_BYTES + 16, `chunk of ${c.len} bytes`);
      assert.equal(
        Math.floor(c.start_t / (2 * HOUR)),
        Math.floor(c.end_t / (2 * HOUR)),
        'one window',
      );
    }
  });

  test('realistic samples take at most 4 bytes each on disk', () => {
    const file = fresh();
    const store = Store.open(file);
    // The empty schema (every table and index takes its own pages) is a fixed cost, not a
    // per-sample one.
    store.vacuum();
    const empty = store.sizeOnDisk();
    const r = rng(11);
    let count = 0;
    for (let i = 0; i < 720; i++) {
      const points = Array.from({ length: 60 }, (_, k) => ({
        metric: `m${k}`,
        value:
          k % 3 === 0
            ? (100 * Math.round(4000 * (0.2 + r() * 0.1))) / 4000
            : k % 3 === 1
              ? (5e6 * (1 + r() * 0.2)) / 10.003
              : Math.floor(r() * 1.2) + 3,
      }));
      count += store.append('h', T0 + i * STEP + Math.floor(r() * 40), points);
    }
    store.vacuum();
    const perSample = (store.sizeOnDisk() - empty) / count;
    store.close();
    assert.ok(perSample <= 4, `${perSample.toFixed(2)} B/sample`);
  });

  test('deleteTarget removes its series, chunks, secret, snapshot and status only', () => {
    const file = fresh();
    const store = Store.open(file);
    for (const id of ['a', 'b']) {
      store.saveTarget(target(id));
      store.setSecret(id, Buffer.from('sealed'));
      store.saveSnapshot(id, T0, 'local', { x: 1 });
      store.saveStatus({
        targetId: id,
        health: 'ok',
        lastError: null,
        since: T0,
        lastSampleAt: T0,
        lastDurationMs: 5,
        metricErrors: [],
        hostKey: null,
      });
      for (let i = 0; i < 2000; i++)
        store.append(id, T0 + i * STEP, [{ metric: 'm', value: i % 13 }]);
    }
    store.flush();
    assert.equal(store.deleteTarget('a'), true);
    assert.equal(store.getTarget('a'), null);
    assert.equal(store.getSecret('a'), null);
    assert.equal(store.getSnapshot('a'), null);
    assert.deepEqual(
      store.listStatuses().map((s) => s.targetId),
      ['b'],
    );
    assert.deepEqual(store.listSeries('a'), []);
    assert.equal(
      store.append('a', T0 + 1e7, [{ metric: 'm', value: 1 }]),
      0,
      'late sample dropped',
    );
    store.saveStatus({ ...store.listStatuses()[0], targetId: 'a' });
    assert.equal(store.listStatuses().length, 1, 'late status dropped');
    assert.equal(store.deleteTarget('a'), false);
    store.close();
    const left = rows(
      file,
      'SELECT DISTINCT s.target_id AS id FROM chunks c JOIN series s ON s.id = c.series_id',
    );
    assert.deepEqual(left, [{ id: 'b' }]);
    assert.deepEqual(
      rows(
        file,
        "SELECT count(*) AS c FROM heads h JOIN series s ON s.id = h.series_id WHERE s.target_id = 'a'",
      ),
      [{ c: 0 }],
    );
    const reopened = Store.open(file);
    assert.equal(reopened.getSnapshot('b')?.data.x, 1);
    assert.equal(reopened.listSeries('b').length, 1);
    reopened.close();
  });
});
