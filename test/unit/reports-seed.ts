// Known history for report tests: three targets (SSH host, PostgreSQL, Redis) with samples
// every 10 minutes over one day, collection rounds every minute with three outages (one
// from the day before, one inside, one still open at the end), an alert of 45 minutes and a
// verified backup under its RPO and RTO. The figures the tests expect follow from here.
import type { Store, StoredAlert } from '../../src/main/store';
import type { Backup, RetentionPolicy, Verification } from '../../src/shared/care';
import type { Target } from '../../src/shared/types';

const MIN = 60_000;
const HOUR = 60 * MIN;

function target(
  id: string,
  kind: 'ssh' | 'postgres' | 'redis',
  group: string,
  enabled: boolean,
): Target {
  const config =
    kind === 'ssh'
      ? { kind, host: 'h', port: 22, user: 'u', auth: 'agent' as const }
      : kind === 'postgres'
        ? { kind, host: 'h', port: 5432, database: 'app', user: 'u', sslmode: 'disable' as const }
        : { kind, host: 'h', port: 6379, tls: false, db: 0 };
  return {
    id,
    name: `${id}-name`,
    group,
    intervalMs: 60_000,
    enabled,
    config,
    hasSecret: false,
    createdAt: 0,
  } as Target;
}

/** Every 10 minutes of the day: 144 samples. */
function everyTenMinutes(dayStart: number, fn: (t: number, i: number) => void): void {
  for (let i = 0; i < 144; i++) fn(dayStart + i * 10 * MIN, i);
}

/** Seeds the day starting at DAY_START (a local midnight); targets are disabled when asked. */
export function seedReportHistory(store: Store, DAY_START: number, enabled = true): void {
  store.saveTarget(target('web', 'ssh', 'web', enabled));
  store.saveTarget(target('db', 'postgres', 'data', enabled));
  store.saveTarget(target('cache', 'redis', 'data', enabled));
  everyTenMinutes(DAY_START, (t, i) => {
    const hour = Math.floor(i / 6);
    store.append('web', t, [
      // 20 % all day, one sample of 92 % at 14:30: peak 92, average 20 + 72/144 = 20.5.
      { metric: 'host.cpu.busy', value: t === DAY_START + 14.5 * HOUR ? 92 : 20 },
      // 60 % available all day but 24 % at 03:10: used peaks at 76, averages 40.25.
      {
        metric: 'host.mem.available_pct',
        value: t === DAY_START + 3 * HOUR + 10 * MIN ? 24 : 60,
      },
      { metric: 'host.fs.used_pct', labels: { mount: '/' }, value: 50 },
      // 40 + hour: peak 63 in the last hour, average 51.5.
      { metric: 'host.fs.used_pct', labels: { mount: '/var' }, value: 40 + hour },
      { metric: 'host.load.1', value: 1 },
    ]);
    store.append('db', t, [
      { metric: 'pg.connections.total', value: t === DAY_START + 9 * HOUR ? 82 : 10 },
    ]);
    store.append('cache', t, [{ metric: 'redis.mem.used', value: 1_500_000 }]);
  });
  store.flush();

  const a = store.availability;
  // cache: failing since 23:55 the day before until 00:05 (5 failed rounds in the day).
  for (let m = -5; m < 24 * 60; m++) {
    const t = DAY_START + m * MIN;
    const failing = m < 5;
    a.recordRound('cache', t, !failing, failing ? 'connect ECONNREFUSED 127.0.0.1:6379' : null);
  }
  // web: 10 failed rounds from 14:20 to 14:29, good again at 14:30.
  for (let m = 0; m < 24 * 60; m++) {
    const t = DAY_START + m * MIN;
    const failing = m >= 14 * 60 + 20 && m < 14 * 60 + 30;
    a.recordRound(
      'web',
      t,
      !failing,
      failing ? 'Target web-name did not answer within 2000 ms' : null,
    );
  }
  // db: fails from 23:50 and is still failing when the day ends.
  for (let m = 0; m < 24 * 60; m++) {
    const t = DAY_START + m * MIN;
    const failing = m >= 23 * 60 + 50;
    a.recordRound('db', t, !failing, failing ? 'PostgreSQL answered nothing' : null);
  }

  const alert: StoredAlert = {
    id: 'al1',
    ruleId: 'cpu',
    ruleName: 'CPU busy',
    targetId: 'web',
    metric: 'host.cpu.busy',
    labels: {},
    state: 'resolved',
    severity: 'warning',
    value: 92,
    message: 'CPU busy at 92 % on web-name',
    action: '',
    startedAt: DAY_START + 13 * HOUR - 5 * MIN,
    firingAt: DAY_START + 13 * HOUR,
    resolvedAt: DAY_START + 13 * HOUR + 45 * MIN,
    ackBy: null,
    ackNote: null,
    ackAt: null,
    flapping: false,
    silenced: false,
    seriesKey: 'host.cpu.busy',
    clearSince: null,
  };
  store.alerting.saveAlert(alert, []);

  const backup: Backup = {
    id: 'b1',
    targetId: 'db',
    mode: 'local',
    path: '/tmp/b1.dump',
    status: 'succeeded',
    startedAt: DAY_START + 2 * HOUR,
    finishedAt: DAY_START + 2 * HOUR + MIN,
    durationMs: MIN,
    sizeBytes: 1000,
    sha256: 'x',
    tocEntries: 3,
    serverVersionNum: 150000,
    pgDumpVersion: '15',
    tables: [],
    error: null,
    verification: null,
    deletedAt: null,
  };
  store.care.saveBackup(backup);
  const v: Verification = {
    id: 'v1',
    backupId: 'b1',
    t: DAY_START + 3 * HOUR,
    ok: true,
    checksumOk: true,
    listOk: true,
    restoreOk: true,
    scratchDatabase: 'scratch',
    restoreMs: 10 * MIN,
    tables: [],
    reason: null,
  };
  store.care.saveVerification(v);
  const policy: RetentionPolicy = {
    targetId: 'db',
    keepLast: 3,
    dailyDays: 7,
    weeklyWeeks: 4,
    rpoHours: 24,
    rtoHours: 1,
  };
  store.care.savePolicy(policy);

  seedOperations(store, DAY_START);
}

/** An incident and a runbook run on db at the end of the day, one long before; maintenance
 * on db (one run failed); a pg_stat_statements top list read just after the day. */
function seedOperations(store: Store, DAY_START: number): void {
  const incident = (
    id: string,
    title: string,
    targetIds: string[],
    at: number,
    end: number | null,
  ) =>
    store.runbooks.saveIncident({
      id,
      title,
      type: 'availability',
      severity: 'high',
      status: end === null ? 'investigating' : 'resolved',
      symptoms: '',
      impact: '',
      targetIds,
      runIds: [],
      origin: 'manual',
      openedAt: at,
      openedBy: 'ops',
      ackAt: null,
      ackBy: null,
      resolvedAt: end,
      escalation: { level: 0, since: at, nextDueAt: null },
    });
  incident('inc1', 'Checkout slow: database down', ['db'], DAY_START + 23 * HOUR + 52 * MIN, null);
  incident('inc0', 'Old web outage', ['web'], DAY_START - 7 * 24 * HOUR, DAY_START - 6 * 24 * HOUR);
  store.runbooks.saveRun({
    id: 'run1',
    runbookId: 'postgres-unavailable',
    title: 'PostgreSQL unavailable',
    scenario: 'system-failure',
    params: {},
    targets: { postgres: 'db' },
    incidentId: 'inc1',
    status: 'completed',
    startedAt: DAY_START + 23 * HOUR + 55 * MIN,
    startedBy: 'ops',
    finishedAt: DAY_START + 24 * HOUR + 20 * MIN,
    current: 3,
    plan: [],
    doc: {} as never,
  });
  const care = (id: string, action: 'vacuum' | 'reindex', at: number, error: string | null) =>
    store.care.saveRun({
      id,
      targetId: 'db',
      scheduleId: null,
      action,
      scope: { kind: 'table', schema: 'public', name: 'orders' },
      options: {},
      sql: [],
      status: error ? 'failed' : 'succeeded',
      startedAt: at,
      finishedAt: at + MIN,
      error,
      before: null,
      after: null,
      lastProgress: null,
      leftovers: [],
      operator: 'ops',
    });
  care('m1', 'vacuum', DAY_START + 4 * HOUR, null);
  care('m2', 'reindex', DAY_START + 5 * HOUR, 'canceling statement due to lock timeout');
  const statement = (queryid: string, meanExecMs: number, query: string) => ({
    queryid,
    calls: 10,
    totalExecMs: meanExecMs * 10,
    meanExecMs,
    planMs: null,
    rows: 10,
    ioReadMs: null,
    ioWriteMs: null,
    query,
    datname: 'app',
  });
  store.saveSnapshot('db', DAY_START + 24 * HOUR + 5 * MIN, 'postgres', {
    statements: [
      statement('1', 120, 'SELECT * FROM orders WHERE id = $1'),
      statement('2', 5.5, 'SELECT 1'),
      statement('-9223372036854775807', 900, 'UPDATE stock SET n = n - $1'),
    ],
  });
}
