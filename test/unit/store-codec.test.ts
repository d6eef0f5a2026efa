import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ChunkCorrupt,
  ChunkEncoder,
  decodeChunk,
  normalizeValue,
  quantize,
  rawSampleTime,
} from '../../src/main/store';

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

const T0 = Date.UTC(2025, 0, 1);

function encode(values: (number | null)[], times?: number[], unit = 1000): Uint8Array {
  const enc = new ChunkEncoder(unit, 1);
  values.forEach((v, i) => enc.append(times?.[i] ?? T0 + i * 10 * unit, [v]));
  return enc.bytes();
}

function expected(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}

function assertRoundTrip(values: (number | null)[], times?: number[]): Uint8Array {
  const bytes = encode(values, times);
  const d = decodeChunk(bytes);
  assert.equal(d.t.length, values.length);
  values.forEach((v, i) => {
    assert.ok(
      Object.is(d.cols[0][i], expected(v)),
      `value ${i}: ${v} came back as ${d.cols[0][i]}`,
    );
    assert.equal(d.t[i], times?.[i] ?? T0 + i * 10_000);
  });
  return bytes;
}

describe('chunk codec round trip', () => {
  const r = rng(42);
  const N = 720;

  test('random doubles (XOR path)', () => {
    assertRoundTrip(Array.from({ length: N }, () => (r() - 0.5) * 1e6));
  });

  test('constant values cost under a byte per sample', () => {
    const bytes = assertRoundTrip(Array.from({ length: N }, () => 42.5));
    assert.ok(bytes.length / N < 0.5, `${bytes.length / N} B/sample`);
  });

  test('integers', () => {
    assertRoundTrip(Array.from({ length: N }, () => Math.floor(r() * 1e9)));
  });

  test('gaps are stored as gaps, never as zero', () => {
    const values = Array.from({ length: N }, (_, i) => (i % 7 === 0 ? null : i * 1.5));
    assertRoundTrip(values);
    const d = decodeChunk(encode(values));
    assert.equal(d.cols[0].filter((v) => v === null).length, Math.ceil(N / 7));
    assert.equal(d.cols[0][7], null);
  });

  test('negative values', () => {
    assertRoundTrip(Array.from({ length: N }, () => -Math.floor(r() * 1e9) / 100));
  });

  test('large and tiny magnitudes', () => {
    assertRoundTrip(Array.from({ length: N }, (_, i) => (i % 2 ? r() * 1e300 : r() * 1e-300)));
  });

  test('edge values', () => {
    assertRoundTrip([
      0,
      -0,
      5e-324,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      2 ** 53,
      2 ** 53 + 2,
      -(2 ** 53),
      0.1,
      0.2,
      0.30000000000000004,
      1e-20,
      123456789.123,
      null,
      null,
      7,
    ]);
  });

  test('NaN and Infinity become gaps', () => {
    const d = decodeChunk(encode([1, NaN, Infinity, -Infinity, 2]));
    assert.deepEqual(d.cols[0], [1, null, null, null, 2]);
  });

  test('irregular timestamps', () => {
    let t = T0;
    const times = Array.from({ length: N }, () => (t += 1000 * (1 + Math.floor(r() * 4000))));
    assertRoundTrip(
      times.map((_, i) => i),
      times,
    );
  });

  test('a resumed encoder gives the same bytes and continues', () => {
    const values = Array.from({ length: 300 }, () => quantize(30 + r() * 10));
    const bytes = encode(values);
    const resumed = ChunkEncoder.resume(bytes);
    assert.deepEqual(resumed.bytes(), bytes);
    resumed.append(T0 + 300 * 10_000, [99.5]);
    const d = decodeChunk(resumed.bytes());
    assert.equal(d.t.length, 301);
    assert.equal(d.cols[0][300], 99.5);
    assert.deepEqual(d.cols[0].slice(0, 300), values);
  });

  test('rollup chunks keep four columns', () => {
    const enc = new ChunkEncoder(60_000, 4);
    const rows = Array.from({ length: 200 }, (_, i) => [
      6,
      10 + i,
      20 + i,
      quantize(15.3333333 + i),
    ]);
    rows.forEach((row, i) => enc.append(T0 + i * 60_000, row));
    const d = decodeChunk(enc.bytes());
    assert.equal(d.columns, 4);
    for (let c = 0; c < 4; c++)
      assert.deepEqual(
        d.cols[c],
        rows.map((row) => row[c]),
      );
  });

  test('appending out of order or off the unit is refused', () => {
    const enc = new ChunkEncoder(1000, 1);
    enc.append(T0, [1]);
    assert.throws(() => enc.append(T0, [2]), RangeError);
    assert.throws(() => enc.append(T0 + 1500, [2]), RangeError);
  });

  test('a truncated chunk is reported, not misread', () => {
    const bytes = encode([1.5, 2.5, 3.5, 4.25]);
    assert.throws(() => decodeChunk(bytes.subarray(0, bytes.length - 2)), ChunkCorrupt);
  });
});

describe('bytes per sample', () => {
  const r = rng(7);
  const N = 720;

  test('CPU percent with noise, as stored, costs under 4 bytes per sample', () => {
    const values = Array.from({ length: N }, () => {
      const total = 4000 + Math.round((r() - 0.5) * 6);
      return normalizeValue((100 * Math.round(total * (0.3 + (r() - 0.5) * 0.1))) / total);
    });
    const bytes = assertRoundTrip(values);
    assert.ok(bytes.length / N <= 4, `${bytes.length / N} B/sample`);
  });

  test('byte rates over jittered intervals cost under 4 bytes per sample', () => {
    const values = Array.from({ length: N }, () => {
      const dt = 10 + (r() - 0.5) * 0.03;
      return normalizeValue(Math.round(5e6 * (1 + 0.2 * (r() - 0.5)) * dt) / dt);
    });
    const bytes = assertRoundTrip(values);
    assert.ok(bytes.length / N <= 4, `${bytes.length / N} B/sample`);
  });

  test('a gauge with few distinct values costs under a byte per sample', () => {
    let v = 3;
    const values = Array.from({ length: N }, () => (r() < 0.1 ? (v = Math.floor(r() * 5)) : v));
    const bytes = assertRoundTrip(values);
    assert.ok(bytes.length / N < 1, `${bytes.length / N} B/sample`);
  });
});

describe('sample policy', () => {
  test('fractions keep 6 significant digits, integers stay exact', () => {
    assert.equal(quantize((100 * 437) / 2001), 21.8391);
    assert.equal(quantize(0.000123456789), 0.000123457);
    assert.equal(quantize(1234567.891), 1234568);
    assert.equal(quantize(2 ** 53), 2 ** 53);
    assert.equal(quantize(-3.14159265), -3.14159);
  });

  test('non-finite values are no value', () => {
    for (const v of [NaN, Infinity, -Infinity, null, undefined])
      assert.equal(normalizeValue(v), null);
    assert.ok(Object.is(normalizeValue(-0), 0));
  });

  test('raw times are floored to the second and kept in order', () => {
    assert.equal(rawSampleTime(10_700, 0), 10_000);
    assert.equal(rawSampleTime(10_700, 10_000), 11_000, 'later sample in the same second moves on');
    assert.equal(rawSampleTime(9_000, 10_000), null, 'older sample is dropped');
    assert.equal(rawSampleTime(10_000, 10_000), null, 'same time is dropped');
    assert.equal(rawSampleTime(10_700, 10_000, 10_700), null, 'a repeated sample is dropped');
    assert.equal(rawSampleTime(10_900, 10_000, 10_700), 11_000);
  });
});
