// Generated history for capacity tests: a few disabled targets on .invalid names (nothing is
// ever contacted) whose filesystems, memory, CPU, database sizes and Redis memory follow
// known trends with a daily rhythm and noise, written through a real Store and rolled up as
// the app does.
import type { Store } from '../../src/main/store';
import type { MetricPoint, Target, TargetConfig } from '../../src/shared/types';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const GIB = 2 ** 30;
export const MIB = 2 ** 20;
/** Samples every 10 minutes: enough for hourly peaks, small enough to seed in a second. */
const EVERY = 10 * MIN;

/** A resource's daily peak follows `peakNow + slopePerDay · days from now`, plus noise. */
export interface Truth {
  peakNow: number;
  slopePerDay: number;
}

export interface SeededTarget {
  target: Target;
  days: number;
}

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

function target(
  id: string,
  name: string,
  group: string,
  config: TargetConfig,
  now: number,
): Target {
  return {
    id,
    name,
    group,
    intervalMs: MIN,
    enabled: false,
    config,
    hasSecret: false,
    createdAt: now - 90 * DAY,
  };
}

const ssh = (host: string): TargetConfig => ({
  kind: 'ssh',
  host,
  port: 22,
  user: 'ops',
  auth: 'agent',
});

/**
 * A value with a daily rhythm whose highest point each day lies on the truth line, moved up
 * or down by that day's noise (up to 30 % of the swing either way, zero on average). The
 * rhythm peaks at 14:30 UTC (mid-hour, where a forecast places an hour's peak) and is
 * `swing` lower at night. Noise per day rather than per sample keeps the daily maximum
 * unbiased: the maximum of many noisy samples would sit above the line.
 */
function shaped(truth: Truth, now: number, t: number, swing: number, noise: DayNoise): number {
  const day = (t % DAY) / DAY;
  const rhythm = (Math.cos(2 * Math.PI * (day - 14.5 / 24)) - 1) / 2; // 0 at 14:30, −1 at 02:30
  // Keyed by days before `now` (the forecast's 24-hour stretches), not by calendar day, so
  // a seed gives the same peaks whatever the date the test runs on.
  const offset = (noise(Math.floor((now - t) / DAY)) - 0.5) * 0.6 * swing;
  return truth.peakNow + (truth.slopePerDay * (t - now)) / DAY + swing * rhythm + offset;
}

/** A fixed random number in [0, 1) per day (counted back from now). */
type DayNoise = (day: number) => number;

function dayNoise(seed: number): DayNoise {
  const seen = new Map<number, number>();
  return (day) => {
    let x = seen.get(day);
    if (x === undefined) seen.set(day, (x = rng(seed * 100_003 + day)()));
    return x;
  };
}

/** The known trends, by target and resource, that the tests check the forecasts against. */
export const TRUTHS = {
  hostA: {
    var: { peakNow: 72, slopePerDay: 0.45 },
    root: { peakNow: 41, slopePerDay: 0 },
    memUsed: { peakNow: 62, slopePerDay: 0.02 },
    cpuBusy: { peakNow: 35, slopePerDay: 0 },
  },
  hostB: {
    data: { peakNow: 76, slopePerDay: 1.1 },
    memUsed: { peakNow: 71, slopePerDay: 0.3 },
    cpuBusy: { peakNow: 55, slopePerDay: 0.1 },
  },
  hostC: { tmp: { peakNow: 50, slopePerDay: -0.6 } },
  pg: {
    orders: { peakNow: 20 * GIB, slopePerDay: 200 * MIB },
    app: { peakNow: 3 * GIB, slopePerDay: 0 },
  },
  redis: { used: { peakNow: 1.5 * GIB, slopePerDay: 20 * MIB }, maxmemory: 2 * GIB },
} as const;

/** When a truth's peak line reaches `limit`. */
export function trueCrossing(truth: Truth, limit: number, now: number): number {
  return now + ((limit - truth.peakNow) / truth.slopePerDay) * DAY;
}

function fs(mount: string, usedPct: number, sizeBytes: number): MetricPoint[] {
  const labels = {
    mount,
    device: `/dev/${mount === '/' ? 'root' : mount.slice(1)}`,
    fstype: 'ext4',
  };
  return [
    { metric: 'host.fs.used_pct', labels, value: usedPct },
    { metric: 'host.fs.size', labels, value: sizeBytes },
  ];
}

function write(
  store: Store,
  id: string,
  now: number,
  days: number,
  seed: number,
  points: (t: number, r: DayNoise) => MetricPoint[],
): void {
  const r = dayNoise(seed);
  const start = Math.floor((now - days * DAY) / EVERY) * EVERY;
  for (let t = start; t <= now; t += EVERY) store.append(id, t, points(t, r));
}

/**
 * Seeds six targets: host-a (web: /var fills in about 40 days, / flat), host-b (web: /data
 * fills in about 13 days, memory in about 63), host-c (web: /tmp shrinking), pg-main (data:
 * orders grows, no limit known), cache-1 (data: Redis reaches maxmemory in about 26 days)
 * and fresh-host (web: three days of history only). Then rolls up and applies retention at
 * `now`, so raw samples older than 48 hours and 1-minute rollups older than 30 days are gone.
 */
export function seedCapacityHistory(store: Store, now: number, days = 60): SeededTarget[] {
  const T = TRUTHS;
  const targets: SeededTarget[] = [
    { target: target('host-a', 'host-a', 'web', ssh('host-a.invalid'), now), days },
    { target: target('host-b', 'host-b', 'web', ssh('host-b.invalid'), now), days },
    { target: target('host-c', 'host-c', 'web', ssh('host-c.invalid'), now), days },
    {
      target: target(
        'pg-main',
        'pg-main',
        'data',
        {
          kind: 'postgres',
          host: 'pg-main.invalid',
          port: 5432,
          user: 'ops',
          database: 'postgres',
          sslmode: 'disable',
          viaTargetId: 'host-b',
        },
        now,
      ),
      days,
    },
    {
      target: target(
        'cache-1',
        'cache-1',
        'data',
        { kind: 'redis', host: 'cache-1.invalid', port: 6379, tls: false, db: 0 },
        now,
      ),
      days,
    },
    { target: target('fresh-host', 'fresh-host', 'web', ssh('fresh.invalid'), now), days: 3 },
  ];
  for (const s of targets) store.saveTarget(s.target);

  write(store, 'host-a', now, days, 1, (t, r) => [
    ...fs('/var', shaped(T.hostA.var, now, t, 3, r), 100 * GIB),
    ...fs('/', shaped(T.hostA.root, now, t, 1, r), 20 * GIB),
    { metric: 'host.mem.available_pct', value: 100 - shaped(T.hostA.memUsed, now, t, 10, r) },
    { metric: 'host.cpu.busy', value: shaped(T.hostA.cpuBusy, now, t, 20, r) },
  ]);
  write(store, 'host-b', now, days, 2, (t, r) => [
    ...fs('/data', shaped(T.hostB.data, now, t, 2, r), 500 * GIB),
    { metric: 'host.mem.available_pct', value: 100 - shaped(T.hostB.memUsed, now, t, 8, r) },
    { metric: 'host.cpu.busy', value: shaped(T.hostB.cpuBusy, now, t, 10, r) },
  ]);
  write(store, 'host-c', now, days, 3, (t, r) => [
    ...fs('/tmp', shaped(T.hostC.tmp, now, t, 4, r), 10 * GIB),
  ]);
  write(store, 'pg-main', now, days, 4, (t, r) => [
    {
      metric: 'pg.db.size_bytes',
      labels: { db: 'orders' },
      value: Math.round(shaped(T.pg.orders, now, t, 50 * MIB, r)),
    },
    {
      metric: 'pg.db.size_bytes',
      labels: { db: 'app' },
      value: Math.round(shaped(T.pg.app, now, t, 10 * MIB, r)),
    },
  ]);
  write(store, 'cache-1', now, days, 5, (t, r) => [
    { metric: 'redis.mem.used', value: Math.round(shaped(T.redis.used, now, t, 100 * MIB, r)) },
    { metric: 'redis.mem.maxmemory', value: T.redis.maxmemory },
  ]);
  write(store, 'fresh-host', now, 3, 6, (t, r) => [
    ...fs('/', shaped({ peakNow: 30, slopePerDay: 1 }, now, t, 1, r), 20 * GIB),
  ]);
  store.flush();
  store.maintain(now);
  return targets;
}

export interface FleetOptions {
  hosts: number;
  postgres: number;
  redis: number;
  days: number;
  /** Availability rounds (one good round per target and hour, an outage now and then) for
   * the last `roundDays` days; none when 0. The rounds table holds one row per target and
   * hour whatever the count, so one round an hour gives the real number of rows. */
  roundDays?: number;
}

/**
 * A larger generated fleet for benchmarks: `hosts` SSH hosts (CPU, memory and three
 * filesystems each, slopes drawn from a seeded generator), PostgreSQL targets with three
 * databases and Redis targets, all disabled on .invalid names; rolled up as the app does.
 */
export function seedFleetHistory(store: Store, now: number, o: FleetOptions): Target[] {
  const r = rng(42);
  const pick = (lo: number, hi: number): number => lo + r() * (hi - lo);
  const targets: Target[] = [];
  for (let i = 0; i < o.hosts; i++) {
    const id = `fleet-host-${i}`;
    const t = target(id, id, `fleet-${i % 5}`, ssh(`${id}.invalid`), now);
    const mounts = ['/', '/var', '/data'].map((mount) => ({
      mount,
      truth: { peakNow: pick(20, 85), slopePerDay: pick(-0.2, 0.6) },
      size: Math.round(pick(20, 500)) * GIB,
    }));
    const mem = { peakNow: pick(30, 85), slopePerDay: pick(-0.05, 0.2) };
    const cpu = { peakNow: pick(10, 70), slopePerDay: pick(-0.05, 0.1) };
    store.saveTarget(t);
    targets.push(t);
    write(store, id, now, o.days, 100 + i, (ts, n) => [
      ...mounts.flatMap((m) => fs(m.mount, shaped(m.truth, now, ts, 2, n), m.size)),
      { metric: 'host.mem.available_pct', value: 100 - shaped(mem, now, ts, 10, n) },
      { metric: 'host.cpu.busy', value: shaped(cpu, now, ts, 20, n) },
    ]);
  }
  for (let i = 0; i < o.postgres; i++) {
    const id = `fleet-pg-${i}`;
    const t = target(
      id,
      id,
      'fleet-data',
      {
        kind: 'postgres',
        host: `${id}.invalid`,
        port: 5432,
        user: 'ops',
        database: 'postgres',
        sslmode: 'disable',
      },
      now,
    );
    const dbs = ['orders', 'app', 'audit'].map((db) => ({
      db,
      truth: { peakNow: pick(1, 40) * GIB, slopePerDay: pick(0, 300) * MIB },
    }));
    store.saveTarget(t);
    targets.push(t);
    write(store, id, now, o.days, 200 + i, (ts, n) =>
      dbs.map((d) => ({
        metric: 'pg.db.size_bytes',
        labels: { db: d.db },
        value: Math.round(shaped(d.truth, now, ts, 20 * MIB, n)),
      })),
    );
  }
  for (let i = 0; i < o.redis; i++) {
    const id = `fleet-redis-${i}`;
    const t = target(
      id,
      id,
      'fleet-data',
      { kind: 'redis', host: `${id}.invalid`, port: 6379, tls: false, db: 0 },
      now,
    );
    const used = { peakNow: pick(0.5, 1.8) * GIB, slopePerDay: pick(0, 20) * MIB };
    store.saveTarget(t);
    targets.push(t);
    write(store, id, now, o.days, 300 + i, (ts, n) => [
      { metric: 'redis.mem.used', value: Math.round(shaped(used, now, ts, 100 * MIB, n)) },
      { metric: 'redis.mem.maxmemory', value: 2 * GIB },
    ]);
  }
  store.flush();
  store.maintain(now);
  const roundDays = o.roundDays ?? 0;
  const from = Math.floor((now - roundDays * DAY) / HOUR) * HOUR;
  for (const t of targets) {
    for (let ts = from; ts <= now; ts += HOUR) {
      // About one failed round in 500 opens an outage that the next good round closes.
      const ok = r() > 0.002;
      store.availability.recordRound(t.id, ts, ok, ok ? null : `${t.name} did not answer`);
    }
  }
  return targets;
}
