// Store benchmark: ingest rate, 30-day chart query time, bytes on disk per raw sample and
// per rollup point. Values mimic collectors: CPU percent computed from jiffies with noise,
// byte counters turned into rates over a jittered interval, gauges with few values.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DAY, MINUTE, Store } from '../src/main/store';

const INTERVAL = 10_000;

/** Deterministic PRNG (mulberry32) so runs are comparable. */
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

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

type Gen = (i: number, dtMs: number) => number | null;

/** CPU busy percent as a collector computes it: busy jiffies / total jiffies * 100. */
function cpuPercent(r: () => number): Gen {
  const base = 5 + r() * 50;
  const cores = 2 + Math.floor(r() * 6);
  return (i) => {
    const total = cores * 1000 + Math.round(gaussian(r) * 3);
    const pct = base + 10 * Math.sin(i / 360) + gaussian(r) * 3;
    const busy = Math.max(0, Math.min(total, Math.round((total * pct) / 100)));
    return (100 * busy) / total;
  };
}

/** Bytes per second from a counter read over a slightly irregular interval. */
function byteRate(r: () => number): Gen {
  const mean = 1e5 + r() * 1e7;
  return (_i, dtMs) => {
    const delta = Math.max(0, Math.round(mean * (1 + 0.2 * gaussian(r)) * (dtMs / 1000)));
    return delta / (dtMs / 1000);
  };
}

/** A gauge with few distinct values: running processes, connections, up flags. */
function fewValues(r: () => number): Gen {
  const values = [0, 1, 2, 3, 4].map((v) => v + Math.floor(r() * 20));
  let current = values[0];
  return () => {
    if (r() < 0.1) current = values[Math.floor(r() * values.length)];
    return current;
  };
}

function generators(count: number, seed: number): Gen[] {
  const r = rng(seed);
  const kinds = [cpuPercent, cpuPercent, byteRate, byteRate, fewValues, fewValues, fewValues];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length](r));
}

interface Fleet {
  targets: string[];
  perTarget: number;
  gens: Gen[];
  /** Samples stored and time spent by the last `ingest`, generation excluded. */
  lastRun?: { samples: number; ms: number };
}

/** Collected values for every round, generated before timing: [round][series]. */
function collect(
  fleet: Fleet,
  rounds: number,
  seed: number,
): { values: Float64Array; dt: number[] } {
  const r = rng(seed);
  const width = fleet.gens.length;
  const values = new Float64Array(rounds * width);
  const dt: number[] = [];
  for (let i = 0; i < rounds; i++) {
    dt.push(INTERVAL + Math.floor(r() * 30) - 15);
    for (let k = 0; k < width; k++) values[i * width + k] = fleet.gens[k](i, dt[i]) ?? NaN;
  }
  return { values, dt };
}

/** Appends `rounds` collection rounds for every target, flushing every `batch` rounds. */
function ingest(store: Store, fleet: Fleet, start: number, rounds: number, batch: number): number {
  const data = collect(fleet, rounds, 7);
  const started = performance.now();
  const samples = replay(store, fleet, data, start, batch);
  fleet.lastRun = { samples, ms: performance.now() - started };
  return samples;
}

function replay(
  store: Store,
  fleet: Fleet,
  data: { values: Float64Array; dt: number[] },
  start: number,
  batch: number,
): number {
  const names = Array.from({ length: fleet.perTarget }, (_, k) => `bench.m${k}`);
  let samples = 0;
  let t = start;
  data.dt.forEach((dt, i) => {
    t += dt;
    fleet.targets.forEach((target, k) => {
      const base = (i * fleet.targets.length + k) * fleet.perTarget;
      const points = names.map((metric, j) => ({ metric, value: data.values[base + j] }));
      samples += store.append(target, t, points);
    });
    if ((i + 1) % batch === 0) store.flush();
  });
  store.flush();
  return samples;
}

function fleetOf(targets: number, perTarget: number, seed: number): Fleet {
  return {
    targets: Array.from({ length: targets }, (_, i) => `bench-${i}`),
    perTarget,
    gens: generators(targets * perTarget, seed),
  };
}

/** Bytes of the compacted file, and a count, read with a plain connection. */
function compactedBytes(file: string, prepare?: (db: Database.Database) => void): number {
  const db = new Database(file);
  prepare?.(db);
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = (db.pragma('page_count', { simple: true }) as number) * 4096;
  db.close();
  return bytes;
}

function sumPoints(file: string, resCodes: number[]): number {
  const db = new Database(file, { readonly: true });
  const list = resCodes.join(',');
  const n = db
    .prepare(
      `SELECT (SELECT coalesce(sum(n), 0) FROM chunks WHERE res IN (${list}))
            + (SELECT coalesce(sum(n), 0) FROM heads WHERE res IN (${list}))`,
    )
    .pluck()
    .get() as number;
  db.close();
  return n;
}

function line(name: string, value: number, unit: string, goal: string): void {
  const shown = value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2);
  process.stdout.write(`${name}: ${shown} ${unit} (goal: ${goal})\n`);
}

function benchIngest(dir: string): void {
  const file = join(dir, 'ingest.db');
  const store = Store.open(file);
  const fleet = fleetOf(10, 50, 1);
  const start = Date.UTC(2025, 0, 1);
  const samples = ingest(store, fleet, start, 2160, 60);
  const seconds = fleet.lastRun!.ms / 1000;
  store.close();
  line(
    'store ingest (500 series, append + flush every 60 rounds)',
    samples / seconds,
    'samples/s',
    '>= 1,000,000',
  );
  benchOneRound(file, fleet, start + 2161 * INTERVAL);
  const bytes = compactedBytes(file);
  line('store bytes on disk per raw sample', bytes / sumPoints(file, [0]), 'B', '<= 4');
}

/** What the app pays every collection round: one flush rewriting every head chunk. */
function benchOneRound(file: string, fleet: Fleet, start: number): void {
  const store = Store.open(file);
  const other = new Database(file);
  const times: number[] = [];
  const walBytes: number[] = [];
  for (let i = 0; i < 10; i++) {
    other.pragma('wal_checkpoint(TRUNCATE)');
    ingest(store, fleet, start + i * INTERVAL, 1, 1);
    times.push(fleet.lastRun!.ms);
    walBytes.push(statSync(`${file}-wal`).size);
  }
  other.close();
  store.close();
  const median = (a: number[]): number => a.sort((x, y) => x - y)[a.length >> 1];
  line(
    'store one round of 500 series, append + flush (median)',
    median(times),
    'ms',
    'none, informative',
  );
  line('store bytes written to the WAL by that flush', median(walBytes), 'B', 'none, informative');
}

function benchHistory(dir: string): void {
  const file = join(dir, 'history.db');
  const store = Store.open(file);
  const fleet = fleetOf(1, 20, 2);
  const start = Date.UTC(2025, 0, 1);
  const rounds = (30 * DAY) / INTERVAL;
  ingest(store, fleet, start, rounds, 360);
  const now = start + rounds * INTERVAL + MINUTE;
  store.maintain(now);
  benchQuery(store, fleet, now);
  store.close();
  const points = sumPoints(file, [1, 2]);
  const bytes = compactedBytes(file, (db) =>
    db.exec('DELETE FROM chunks WHERE res = 0; DELETE FROM heads WHERE res = 0'),
  );
  line('store bytes on disk per rollup point (1m + 1h)', bytes / points, 'B', '<= 16');
}

function benchQuery(store: Store, fleet: Fleet, now: number): void {
  const q = {
    targetId: fleet.targets[0],
    series: Array.from({ length: fleet.perTarget }, (_, k) => ({ metric: `bench.m${k}` })),
    from: now - 30 * DAY,
    to: now,
    width: 1200,
  };
  store.query(q);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    store.query(q);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  line(
    'store 30-day chart query, 20 series, width 1200 (median)',
    times[times.length >> 1],
    'ms',
    '< 50',
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-store-'));
  try {
    benchIngest(dir);
    benchHistory(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
