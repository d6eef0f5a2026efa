// Store data for checklist tests, seeded the way the collectors, alerting and backups leave
// it: web-1, pg-1 and redis-1 collected a minute ago (web-1's / at 93 % with a critical
// alert firing), web-2 last collected 2 hours ago, pg-1 with a policy and a verified backup.
// Targets point at `port` on 127.0.0.1, which the caller owns (nothing listens there).
import { join } from 'node:path';
import { Store } from '../../src/main/store';
import { storedAlert } from '../harness/alert-fixture';
import type { Target, TargetStatus } from '../../src/shared/types';

const MIN = 60_000;
const HOUR = 60 * MIN;

function target(id: string, kind: 'ssh' | 'postgres' | 'redis', port: number): Target {
  const config =
    kind === 'ssh'
      ? ({ kind, host: '127.0.0.1', port, user: 'ops', auth: 'agent' } as const)
      : kind === 'postgres'
        ? ({
            kind,
            host: '127.0.0.1',
            port,
            database: 'app',
            user: 'mon',
            sslmode: 'disable',
          } as const)
        : ({ kind, host: '127.0.0.1', port, tls: false, db: 0 } as const);
  return {
    id,
    name: id,
    group: 'prod',
    intervalMs: 10_000,
    enabled: true,
    config,
    hasSecret: false,
    createdAt: 0,
  };
}

function status(targetId: string, lastSampleAt: number, ok: boolean): TargetStatus {
  return {
    targetId,
    health: ok ? 'ok' : 'unreachable',
    lastError: ok ? null : `${targetId}: connection refused; check the host is up`,
    since: lastSampleAt,
    lastSampleAt,
    lastDurationMs: 20,
    metricErrors: [],
    hostKey: null,
  };
}

/** Writes the seeded store into `dataDir` (before the app opens it). */
export function seedChecklistData(dataDir: string, now: number, port = 1): void {
  const store = Store.open(join(dataDir, 'opsdeck.sqlite'));
  for (const t of [
    target('web-1', 'ssh', port),
    target('web-2', 'ssh', port),
    target('pg-1', 'postgres', port),
    target('redis-1', 'redis', port),
  ])
    store.saveTarget(t);
  const fresh = now - MIN;
  const old = now - 2 * HOUR;
  store.append('web-1', fresh, [
    {
      metric: 'host.fs.used_pct',
      labels: { mount: '/', device: '/dev/sda1', fstype: 'ext4' },
      value: 93,
    },
    { metric: 'host.mem.available_pct', value: 55 },
  ]);
  store.append('web-2', old, [
    {
      metric: 'host.fs.used_pct',
      labels: { mount: '/', device: '/dev/sda1', fstype: 'ext4' },
      value: 30,
    },
    { metric: 'host.mem.available_pct', value: 60 },
  ]);
  store.append('pg-1', fresh, [
    { metric: 'pg.connections.used_pct', value: 20 },
    { metric: 'pg.connections.total', value: 20 },
    { metric: 'pg.connections.max', value: 100 },
    { metric: 'pg.oldest_xact_s', value: 4 },
    { metric: 'pg.replication.is_replica', value: 0 },
  ]);
  store.append('redis-1', fresh, [
    { metric: 'redis.mem.used', value: 100 * 1024 ** 2 },
    { metric: 'redis.mem.maxmemory', value: 1024 ** 3 },
    { metric: 'redis.mem.used_pct', value: 9.8 },
    { metric: 'redis.evicted_ps', value: 0 },
    { metric: 'redis.rdb.last_bgsave_ok', value: 1 },
    { metric: 'redis.rdb.last_save_age_s', value: 300 },
  ]);
  store.saveStatus(status('web-1', fresh, true));
  store.saveStatus(status('web-2', old, false));
  store.saveStatus(status('pg-1', fresh, true));
  store.saveStatus(status('redis-1', fresh, true));
  store.care.savePolicy({
    targetId: 'pg-1',
    keepLast: 7,
    dailyDays: 7,
    weeklyWeeks: 4,
    rpoHours: 24,
    rtoHours: 2,
  });
  store.care.saveBackup({
    id: 'b1',
    targetId: 'pg-1',
    mode: 'local',
    path: '/tmp/b1.dump',
    status: 'succeeded',
    startedAt: now - 3 * HOUR,
    finishedAt: now - 3 * HOUR + MIN,
    durationMs: MIN,
    sizeBytes: 1000,
    sha256: 'a'.repeat(64),
    tocEntries: 10,
    serverVersionNum: 150000,
    pgDumpVersion: '15',
    tables: [],
    error: null,
    verification: null,
    deletedAt: null,
  });
  store.care.saveVerification({
    id: 'v1',
    backupId: 'b1',
    t: now - 2 * HOUR,
    ok: true,
    checksumOk: true,
    listOk: true,
    restoreOk: true,
    scratchDatabase: 'scratch',
    restoreMs: 5000,
    tables: [],
    reason: null,
  });
  store.alerting.saveAlert(
    storedAlert(now - 20 * MIN, { id: 'al1', firingAt: now - 15 * MIN }),
    [],
  );
  store.close();
}
