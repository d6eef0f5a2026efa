// Redis care: the health view (memory breakdown, slow log, latency, clients, hit rate,
// warnings), big keys and prefixes by SCAN at a bounded rate (never KEYS), persistence,
// and a confirmed BGSAVE that waits for the save to finish.
import type {
  RedisHealth,
  RedisLatencyEvent,
  RedisPersistence,
  RedisPrefix,
  RedisScanResult,
} from '../../shared/care';
import type { MethodArg } from '../../shared/api';
import type { Target } from '../../shared/types';
import { CommandTimeout, errorMessage } from '../errors';
import { createLogger } from '../log';
import { parseInfo, type RedisInfo } from '../collectors/redis/info';
import type { RedisTarget } from '../targets/redis';
import {
  TopKeys,
  addPrefix,
  memoryWarnings,
  parseClientList,
  parseLatencyHistory,
  parseLatencyLatest,
  parseMemoryStats,
  parseSlowlog,
} from './redis-pure';

const log = createLogger('care.redis');
const BGSAVE_TIMEOUT_MS = 30 * 60_000;

function field(info: RedisInfo, name: string): string {
  return info.fields.get(name) ?? '';
}

function n(info: RedisInfo, name: string): number {
  const v = Number(field(info, name));
  return Number.isFinite(v) ? v : 0;
}

function nOrNull(info: RedisInfo, name: string): number | null {
  const s = field(info, name);
  if (s === '') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** A reply the role may not be allowed to read: the section is left empty, not the view. */
async function optional<T>(what: string, fallback: T, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    log.debug('redis read skipped', { what, error: errorMessage(err) });
    return fallback;
  }
}

async function configNumber(r: RedisTarget, name: string): Promise<number> {
  const reply = await r.command('CONFIG', 'GET', name);
  return Array.isArray(reply) && reply.length >= 2 ? Number(reply[1]) || 0 : 0;
}

export async function redisHealth(
  target: Target,
  r: RedisTarget,
  now: number,
): Promise<RedisHealth> {
  const info = parseInfo(await r.info('everything').catch(() => r.info()));
  const breakdown = await optional('MEMORY STATS', {}, async () =>
    parseMemoryStats(await r.command('MEMORY', 'STATS')),
  );
  const slowlog = await optional('SLOWLOG', [], async () =>
    parseSlowlog(await r.command('SLOWLOG', 'GET', 50)),
  );
  const threshold = await optional('latency-monitor-threshold', 0, () =>
    configNumber(r, 'latency-monitor-threshold'),
  );
  const latency: RedisLatencyEvent[] = [];
  if (threshold > 0) {
    const latest = await optional('LATENCY LATEST', [], async () =>
      parseLatencyLatest(await r.command('LATENCY', 'LATEST')),
    );
    for (const e of latest) {
      const history = await optional('LATENCY HISTORY', [], async () =>
        parseLatencyHistory(await r.command('LATENCY', 'HISTORY', e.event)),
      );
      latency.push({ ...e, history });
    }
  }
  const clients = await optional('CLIENT LIST', [], async () =>
    parseClientList(String(await r.command('CLIENT', 'LIST'))),
  );
  const hits = n(info, 'keyspace_hits');
  const misses = n(info, 'keyspace_misses');
  const keyspace: Record<string, number> = {};
  let keys = 0;
  let expires = 0;
  for (const [db, v] of info.sections.get('keyspace') ?? new Map<string, string>()) {
    const k = /keys=(\d+)/.exec(v);
    const e = /expires=(\d+)/.exec(v);
    keyspace[db] = k ? Number(k[1]) : 0;
    keys += keyspace[db];
    expires += e ? Number(e[1]) : 0;
  }
  const memory = {
    usedBytes: n(info, 'used_memory'),
    rssBytes: nOrNull(info, 'used_memory_rss'),
    peakBytes: nOrNull(info, 'used_memory_peak'),
    maxmemoryBytes: n(info, 'maxmemory'),
    policy: field(info, 'maxmemory_policy') || 'unknown',
    fragmentationRatio: nOrNull(info, 'mem_fragmentation_ratio'),
    breakdown,
  };
  return {
    targetId: target.id,
    t: now,
    version: field(info, 'redis_version'),
    role: field(info, 'role'),
    memory,
    hits,
    misses,
    hitRate: hits + misses > 0 ? hits / (hits + misses) : null,
    slowlog,
    latencyThresholdMs: threshold,
    latency,
    clients,
    keyspace,
    warnings: memoryWarnings({
      usedBytes: memory.usedBytes,
      maxmemoryBytes: memory.maxmemoryBytes,
      policy: memory.policy,
      keys,
      expires,
      aofEnabled: field(info, 'aof_enabled') === '1',
      rdbSaves:
        n(info, 'rdb_changes_since_last_save') >= 0 && field(info, 'rdb_last_save_time') !== '',
    }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function newestSlowId(r: RedisTarget): Promise<number | null> {
  const s = parseSlowlog(await r.command('SLOWLOG', 'GET', 1));
  return s[0]?.id ?? -1;
}

/**
 * MEMORY USAGE of each key in one round trip: a read-only script looping over the batch
 * (a few µs per key, far below 10 ms for a SCAN batch). Where scripts are not allowed for
 * this user, one pipelined MEMORY USAGE per key instead.
 */
const USAGE_SCRIPT =
  '#!lua flags=no-writes\n' +
  "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('MEMORY', 'USAGE', k) or 0 end return r";

async function sizesOf(
  r: RedisTarget,
  keys: string[],
  batched: boolean,
): Promise<{ values: unknown[]; batched: boolean }> {
  if (keys.length === 0) return { values: [], batched };
  if (batched) {
    try {
      const values = await r.command('EVAL', USAGE_SCRIPT, keys.length, ...keys);
      if (Array.isArray(values)) return { values, batched: true };
    } catch (err) {
      log.debug('MEMORY USAGE script refused; one command per key', { error: errorMessage(err) });
    }
  }
  const values = await Promise.all(keys.map((k) => r.command('MEMORY', 'USAGE', k)));
  return { values, batched: false };
}

/**
 * Big keys and prefixes by SCAN (never KEYS): COUNT per call, MEMORY USAGE per batch in
 * one round trip (TYPE only for the biggest), paced to keysPerSecond, stopping at maxKeys.
 */
export async function redisScan(
  target: Target,
  r: RedisTarget,
  arg: Omit<MethodArg<'careRedisScan'>, 'targetId'>,
): Promise<RedisScanResult> {
  const started = performance.now();
  const slowBefore = await optional('SLOWLOG', null, () => newestSlowId(r));
  const top = new TopKeys(arg.top);
  const prefixes = new Map<string, RedisPrefix>();
  let cursor = '0';
  let scanned = 0;
  let batched = true;
  do {
    const reply = (await r.command('SCAN', cursor, 'COUNT', arg.count)) as [string, string[]];
    cursor = String(reply[0]);
    const keys = reply[1].slice(0, arg.maxKeys - scanned);
    const sizes = await sizesOf(r, keys, batched);
    if (sizes.batched === false) batched = false;
    keys.forEach((key, i) => {
      const bytes = Number(sizes.values[i] ?? 0) || 0;
      top.add({ key, type: '', bytes });
      addPrefix(prefixes, key, bytes);
    });
    scanned += keys.length;
    const elapsed = performance.now() - started;
    const due = (scanned / arg.keysPerSecond) * 1000;
    if (due > elapsed) await sleep(due - elapsed);
  } while (cursor !== '0' && scanned < arg.maxKeys);
  const bigKeys = top.result();
  const types = await Promise.all(bigKeys.map((k) => r.command('TYPE', k.key)));
  bigKeys.forEach((k, i) => (k.type = String(types[i])));
  let slowestMicros: number | null = null;
  if (slowBefore !== null) {
    const entries = await optional('SLOWLOG', [], async () =>
      parseSlowlog(await r.command('SLOWLOG', 'GET', 128)),
    );
    const mine = entries.filter((e) => e.id > slowBefore);
    slowestMicros = mine.length ? Math.max(...mine.map((e) => e.micros)) : null;
  }
  return {
    targetId: target.id,
    scanned,
    complete: cursor === '0',
    durationMs: Math.round(performance.now() - started),
    bigKeys,
    prefixes: [...prefixes.values()].sort((a, b) => b.bytes - a.bytes).slice(0, arg.top),
    slowestMicros,
  };
}

export async function redisPersistence(target: Target, r: RedisTarget): Promise<RedisPersistence> {
  const info = parseInfo(await r.info('persistence'));
  const last = nOrNull(info, 'rdb_last_save_time');
  return {
    targetId: target.id,
    lastSaveAt: last === null ? null : last * 1000,
    lastBgsaveStatus: field(info, 'rdb_last_bgsave_status') || null,
    bgsaveInProgress: field(info, 'rdb_bgsave_in_progress') === '1',
    changesSinceSave: nOrNull(info, 'rdb_changes_since_last_save'),
    aofEnabled: field(info, 'aof_enabled') === '1',
    aofRewriteInProgress: field(info, 'aof_rewrite_in_progress') === '1',
    aofLastWriteStatus: field(info, 'aof_last_write_status') || null,
    aofLastRewriteStatus: field(info, 'aof_last_bgrewrite_status') || null,
  };
}

/** BGSAVE, then waits until the save has finished (or failed) and reports persistence. */
export async function redisBgsave(
  target: Target,
  r: RedisTarget,
  audit: (action: string, detail: string, result: string) => void,
  pollMs = 200,
): Promise<RedisPersistence> {
  const before = await redisPersistence(target, r);
  const saves = async (): Promise<number | null> =>
    nOrNull(parseInfo(await r.info('persistence')), 'rdb_saves');
  const savesBefore = await saves();
  let seenRunning = false;
  try {
    if (!before.bgsaveInProgress) await r.command('BGSAVE');
    const end = Date.now() + BGSAVE_TIMEOUT_MS;
    for (;;) {
      await sleep(pollMs);
      const p = await redisPersistence(target, r);
      seenRunning ||= p.bgsaveInProgress;
      const count = await saves();
      const finished =
        !p.bgsaveInProgress &&
        (seenRunning ||
          (p.lastSaveAt ?? 0) > (before.lastSaveAt ?? 0) ||
          (count !== null && savesBefore !== null && count > savesBefore) ||
          p.lastBgsaveStatus === 'err');
      if (finished) {
        audit(
          'redis-bgsave',
          `BGSAVE on ${target.name}`,
          p.lastBgsaveStatus === 'ok' ? 'ok' : `status ${p.lastBgsaveStatus}`,
        );
        return p;
      }
      if (Date.now() > end) {
        throw new CommandTimeout(
          `BGSAVE on ${target.name} has not finished after ${BGSAVE_TIMEOUT_MS / 60_000} minutes; it goes on in the background. Look at the persistence status later.`,
        );
      }
    }
  } catch (err) {
    audit('redis-bgsave', `BGSAVE on ${target.name}`, `failed: ${errorMessage(err)}`);
    throw err;
  }
}
