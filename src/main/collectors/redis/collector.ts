// Redis collector (Redis 6, 7 and Valkey): one PING and one INFO per round. Counter rates
// use the server's run_id as the epoch, so a restart gives a gap rather than a negative
// rate. A field a server does not print is a gap; a field it prints in a shape that cannot
// be read fails only its metric.
import type { MetricName } from '../../../shared/metrics';
import { errorMessage } from '../../errors';
import type { RedisClientLike } from '../../targets/types';
import { RateTracker } from '../counters';
import { Emitter } from '../emit';
import { parseNum, percent } from '../num';
import type { CollectOutput } from '../types';
import { keyspaceOf, parseInfo, type RedisInfo, replicasOf } from './info';

export interface RedisCollector {
  collect(client: RedisClientLike, now: number): Promise<CollectOutput>;
}

const INFO_METRICS = [
  'redis.mem.used',
  'redis.mem.peak',
  'redis.mem.rss',
  'redis.mem.fragmentation',
  'redis.mem.maxmemory',
  'redis.mem.used_pct',
  'redis.ops_ps',
  'redis.hit_pct',
  'redis.keys',
  'redis.expires',
  'redis.expired_ps',
  'redis.evicted_ps',
  'redis.clients.connected',
  'redis.clients.blocked',
  'redis.role.master',
  'redis.replicas',
  'redis.repl.offset_lag',
  'redis.rdb.last_save_age_s',
  'redis.rdb.last_bgsave_ok',
  'redis.rdb.changes_since_save',
] as const satisfies readonly MetricName[];

interface RedisState {
  tracker: RateTracker;
  /** Databases seen in INFO keyspace; one that empties disappears from it and reads 0. */
  dbs: Set<string>;
}

export function createRedisCollector(): RedisCollector {
  const state: RedisState = { tracker: new RateTracker(), dbs: new Set() };
  return { collect: (client, now) => collectRedis(client, now, state) };
}

async function collectRedis(
  client: RedisClientLike,
  now: number,
  state: RedisState,
): Promise<CollectOutput> {
  const out = new Emitter();
  let pingMs: number;
  try {
    pingMs = await client.ping();
  } catch (err) {
    out.point('redis.up', 0);
    out.point('redis.ping_ms', null);
    out.fail(['redis.up', 'redis.ping_ms'], `PING failed: ${errorMessage(err)}`);
    return out.output();
  }
  out.point('redis.up', 1);
  out.point('redis.ping_ms', pingMs);
  let text: string;
  try {
    text = await client.info();
  } catch (err) {
    out.fail(INFO_METRICS, `INFO failed: ${errorMessage(err)}`);
    return out.output();
  }
  return out.output(emitInfo(out, parseInfo(text), now, state));
}

/** Turns one INFO reply into points; returns the snapshot. Pure apart from `state`. */
function emitInfo(
  out: Emitter,
  info: RedisInfo,
  now: number,
  state: RedisState,
): Record<string, unknown> {
  const f = new Fields(out, info);
  const epoch = info.fields.get('run_id') ?? 'unknown';
  emitMemory(out, f);
  emitRates(out, f, state.tracker, now, epoch);
  emitKeyspace(out, info, state);
  out.point('redis.clients.connected', f.num('redis.clients.connected', 'connected_clients'));
  out.point('redis.clients.blocked', f.num('redis.clients.blocked', 'blocked_clients'));
  const role = info.fields.get('role') ?? null;
  out.point('redis.role.master', role === null ? null : isMaster(role) ? 1 : 0);
  const replicas = emitReplication(out, info, f);
  emitPersistence(out, f, now);
  state.tracker.endRound();
  return snapshotOf(info, f, role, replicas);
}

/** Reads numeric INFO fields; a malformed one fails its metric, an absent one is null. */
class Fields {
  constructor(
    private readonly out: Emitter,
    private readonly info: RedisInfo,
  ) {}

  num(metric: MetricName, key: string): number | null {
    const raw = this.info.fields.get(key);
    if (raw === undefined) return null;
    return this.out.attempt([metric], `INFO ${key}`, () => parseNum(raw, key));
  }

  text(key: string): string | null {
    return this.info.fields.get(key) ?? null;
  }
}

function isMaster(role: string): boolean {
  return role === 'master' || role === 'primary';
}

function emitMemory(out: Emitter, f: Fields): void {
  const used = f.num('redis.mem.used', 'used_memory');
  const max = f.num('redis.mem.maxmemory', 'maxmemory');
  out.point('redis.mem.used', used);
  out.point('redis.mem.peak', f.num('redis.mem.peak', 'used_memory_peak'));
  out.point('redis.mem.rss', f.num('redis.mem.rss', 'used_memory_rss'));
  out.point('redis.mem.fragmentation', f.num('redis.mem.fragmentation', 'mem_fragmentation_ratio'));
  out.point('redis.mem.maxmemory', max);
  // maxmemory 0 means "no limit": there is no share to show.
  out.point('redis.mem.used_pct', max ? percent(used, max) : null);
}

function emitRates(
  out: Emitter,
  f: Fields,
  tracker: RateTracker,
  now: number,
  epoch: string,
): void {
  const rate = (metric: MetricName, key: string): { warm: boolean; value: number | null } => {
    const n = f.num(metric, key);
    const trackKey = `redis.${key}`;
    const warm = tracker.has(trackKey);
    return { warm, value: n === null ? null : tracker.rate(trackKey, n, now, epoch) };
  };
  const ops = rate('redis.ops_ps', 'total_commands_processed');
  out.point('redis.ops_ps', ops.value ?? f.num('redis.ops_ps', 'instantaneous_ops_per_sec'));
  for (const [metric, key] of [
    ['redis.expired_ps', 'expired_keys'],
    ['redis.evicted_ps', 'evicted_keys'],
  ] as const) {
    const r = rate(metric, key);
    if (r.warm) out.point(metric, r.value);
  }
  emitHitRate(out, f, tracker, now, epoch);
}

/** keyspace hits over lookups in the interval; null when nothing was looked up. */
function emitHitRate(
  out: Emitter,
  f: Fields,
  tracker: RateTracker,
  now: number,
  epoch: string,
): void {
  const hits = f.num('redis.hit_pct', 'keyspace_hits');
  const misses = f.num('redis.hit_pct', 'keyspace_misses');
  if (hits === null || misses === null) return;
  const warm = tracker.has('redis.keyspace_hits');
  const dh = tracker.delta('redis.keyspace_hits', hits, now, epoch);
  const dm = tracker.delta('redis.keyspace_misses', misses, now, epoch);
  if (!warm) return;
  out.point('redis.hit_pct', dh && dm ? percent(dh.delta, dh.delta + dm.delta) : null);
}

function emitKeyspace(out: Emitter, info: RedisInfo, state: RedisState): void {
  const ks = keyspaceOf(info);
  for (const p of ks.problems) out.fail(['redis.keys', 'redis.expires'], `INFO ${p}`);
  const listed = new Set(ks.rows.map((d) => d.db));
  for (const d of ks.rows) {
    state.dbs.add(d.db);
    out.point('redis.keys', d.keys, { db: d.db });
    out.point('redis.expires', d.expires, { db: d.db });
  }
  const unreadable = ks.problems.length > 0;
  for (const db of state.dbs) {
    if (listed.has(db) || unreadable) continue;
    out.point('redis.keys', 0, { db });
    out.point('redis.expires', 0, { db });
  }
}

function emitReplication(
  out: Emitter,
  info: RedisInfo,
  f: Fields,
): ReturnType<typeof replicasOf>['rows'] {
  out.point('redis.replicas', f.num('redis.replicas', 'connected_slaves'));
  const replicas = replicasOf(info);
  for (const p of replicas.problems) out.fail(['redis.repl.offset_lag'], `INFO ${p}`);
  const masterOffset = f.num('redis.repl.offset_lag', 'master_repl_offset');
  for (const r of replicas.rows) {
    out.point('redis.repl.offset_lag', offsetLag(masterOffset, r.offset), { replica: r.replica });
  }
  return replicas.rows;
}

/** Bytes the replica has not acknowledged; null when unknown or inconsistent (negative). */
export function offsetLag(
  masterOffset: number | null,
  replicaOffset: number | null,
): number | null {
  if (masterOffset === null || replicaOffset === null) return null;
  const lag = masterOffset - replicaOffset;
  return lag >= 0 ? lag : null;
}

/**
 * Age of the last successful save. The server's own clock (server_time_usec, Redis 7+) is
 * preferred so the workstation's clock skew does not enter.
 */
function emitPersistence(out: Emitter, f: Fields, now: number): void {
  const last = f.num('redis.rdb.last_save_age_s', 'rdb_last_save_time');
  const serverUsec = f.num('redis.rdb.last_save_age_s', 'server_time_usec');
  const nowS = serverUsec !== null ? serverUsec / 1e6 : now / 1000;
  const age = last === null ? null : nowS - last;
  out.point('redis.rdb.last_save_age_s', age !== null && age >= 0 ? age : null);
  const status = f.text('rdb_last_bgsave_status');
  out.point('redis.rdb.last_bgsave_ok', status === null ? null : status === 'ok' ? 1 : 0);
  out.point(
    'redis.rdb.changes_since_save',
    f.num('redis.rdb.changes_since_save', 'rdb_changes_since_last_save'),
  );
}

function snapshotOf(
  info: RedisInfo,
  f: Fields,
  role: string | null,
  replicas: ReturnType<typeof replicasOf>['rows'],
): Record<string, unknown> {
  const valkey = f.text('valkey_version');
  const master = role !== null && !isMaster(role);
  return {
    server: f.text('server_name') ?? (valkey ? 'valkey' : 'redis'),
    version: valkey ?? f.text('redis_version'),
    mode: f.text('redis_mode') ?? f.text('server_mode'),
    role,
    uptimeSeconds: numOrNull(f.text('uptime_in_seconds')),
    maxmemoryPolicy: f.text('maxmemory_policy'),
    replicas,
    keyspace: keyspaceOf(info).rows,
    master: master
      ? {
          host: f.text('master_host'),
          port: numOrNull(f.text('master_port')),
          linkStatus: f.text('master_link_status'),
          lastIoSecondsAgo: numOrNull(f.text('master_last_io_seconds_ago')),
        }
      : null,
  };
}

function numOrNull(text: string | null): number | null {
  if (text === null) return null;
  try {
    return parseNum(text);
  } catch {
    return null;
  }
}
