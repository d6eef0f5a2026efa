// The checklist evaluator: an item and the facts Opsdeck holds locally in, a result out.
// Pure: no I/O, no clock (now is passed). An automatic item whose data is older than its
// freshness limit says stale, never pass; an item over several targets lists each.
import type { Alert } from '../../shared/alerts';
import type { CapacityForecast } from '../../shared/capacity';
import type {
  Check,
  ChecklistItem,
  Finding,
  FindingOutcome,
  ItemOutcome,
  ItemResult,
  OutcomeCounts,
  RunOutcome,
  Tick,
} from '../../shared/checklists';
import { assertNever } from '../../shared/result';
import type { TargetHealth, TargetKind } from '../../shared/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface FactTarget {
  id: string;
  name: string;
  group: string;
  kind: TargetKind;
  enabled: boolean;
  health: TargetHealth;
  lastSampleAt: number | null;
  lastError: string | null;
}

/** The latest stored sample of one series. */
export interface FactPoint {
  metric: string;
  labels: Record<string, string>;
  t: number;
  v: number | null;
}

/** A PostgreSQL target with a backup policy, and its newest verified backups. */
export interface BackupFact {
  targetId: string;
  rpoHours: number;
  /** Start of the newest backup whose latest verification passed. */
  newestVerifiedBackupAt: number | null;
  /** When a verification last restored a dump successfully. */
  newestRestoreTestAt: number | null;
}

/** Pending updates of a host, when a check of them has run. */
export interface UpdatesFact {
  targetId: string;
  t: number;
  security: number;
  total: number;
}

export interface ChecklistFacts {
  targets: FactTarget[];
  /** Latest samples by target id (only the metrics checks read). */
  points: Record<string, FactPoint[]>;
  /** Open alerts (pending, firing, acknowledged). */
  alerts: Alert[];
  backups: BackupFact[];
  /** Capacity forecasts; null when capacity planning gave none. */
  forecasts: CapacityForecast[] | null;
  /** Pending updates per host; null: Opsdeck holds no such data. */
  updates: UpdatesFact[] | null;
}

/** The metrics the checks read: the service loads only these. */
export const CHECK_METRICS = [
  'host.fs.used_pct',
  'host.fs.inodes_used_pct',
  'host.mem.available_pct',
  'pg.connections.used_pct',
  'pg.connections.total',
  'pg.connections.max',
  'pg.replication.is_replica',
  'pg.replication.lag_s',
  'pg.replication.replay_lag_s',
  'pg.oldest_xact_s',
  'redis.mem.used_pct',
  'redis.mem.used',
  'redis.mem.maxmemory',
  'redis.evicted_ps',
  'redis.rdb.last_bgsave_ok',
  'redis.rdb.last_save_age_s',
] as const;

interface Evaluated {
  findings: Finding[];
  /** Oldest data used. */
  dataAt: number | null;
  /** Said when there are no findings at all. */
  empty: { outcome: FindingOutcome; text: string };
}

// ---------------------------------------------------------------------------------------
// Words

function fmtNum(v: number, digits = 0): string {
  return v.toFixed(digits).replace(/\.0+$/, '');
}

function fmtPct(v: number): string {
  return `${fmtNum(v, v < 10 ? 1 : 0)} %`;
}

export function fmtAge(ms: number): string {
  const m = Math.max(0, Math.round(ms / MINUTE));
  if (m < 60) return `${m} min`;
  const h = ms / HOUR;
  if (h < 48) return `${fmtNum(h, h < 10 ? 1 : 0)} h`;
  return `${fmtNum(ms / DAY, 0)} days`;
}

function fmtSeconds(s: number): string {
  return s < 60 ? `${fmtNum(s, s < 10 ? 1 : 0)} s` : fmtAge(s * 1000);
}

function fmtBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${fmtNum(v, v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

const DEFAULT_ACTION: Record<Check['kind'], string> = {
  collected:
    'Open the target in Opsdeck and read its last error; check the host is up and reachable ' +
    '(network, SSH key, database password), then test the connection.',
  'alerts-critical':
    'Open Alerts, acknowledge each critical alert with a note and follow its action or ' +
    'runbook; open an incident if users are affected.',
  'alerts-reviewed':
    'Open Alerts and acknowledge every firing alert with a note saying who looks at it.',
  'backups-verified':
    'Take a backup and verify it (Database care → Backups) for each target listed; find out ' +
    'why the scheduled one did not run or failed.',
  'disk-headroom':
    'Free space on the filesystems listed (old logs, dumps, packages) or grow the volume; ' +
    'the "Disk almost full" runbook walks through it.',
  'memory-headroom':
    'Find what uses the memory (largest processes) on the hosts listed; restart a leaking ' +
    'service or add memory before the kernel starts killing processes.',
  'disk-forecast':
    'Plan the growth now: grow the volumes listed, rotate or move data, and note the date ' +
    'in the capacity review.',
  'pg-connections':
    'Look at Database care → Activity for idle and idle-in-transaction sessions; fix the ' +
    'client pool size or add a pooler before max_connections is reached.',
  'pg-replication':
    'Check the replica listed: network, disk and replay activity; a replica far behind ' +
    'loses data on failover.',
  'pg-long-transactions':
    'Find the session in Database care → Activity; ask its owner, then cancel or terminate ' +
    'it: long transactions hold back vacuum and bloat tables.',
  'redis-memory':
    'Check the biggest keys and prefixes (Database care → Redis); set maxmemory with an ' +
    'eviction policy, expire keys, or add memory.',
  'redis-evictions':
    'Keys are being evicted: if Redis holds data that must stay, raise maxmemory or reduce ' +
    'what is stored; if it is a cache, confirm the hit rate is still acceptable.',
  'redis-persistence':
    'Read the Redis log for the failed save (disk full, fork failed for memory); run BGSAVE ' +
    'once fixed and confirm it succeeds.',
  'pending-updates':
    'Check pending updates on each host (apt list --upgradable or dnf check-update) and ' +
    'plan the security ones within the week.',
};

// ---------------------------------------------------------------------------------------
// Helpers

function grade(value: number, warn: number, fail: number, higherIsWorse: boolean): FindingOutcome {
  const over = (v: number, limit: number) => (higherIsWorse ? v >= limit : v <= limit);
  if (over(value, fail)) return 'fail';
  if (over(value, warn)) return 'warning';
  return 'pass';
}

function limitWords(warn: string, fail: string): string {
  return `warning at ${warn}, limit ${fail}`;
}

function inScope(t: FactTarget, group: string | undefined): boolean {
  return t.enabled && (group === undefined || t.group === group);
}

function hostsOf(facts: ChecklistFacts, group: string | undefined): FactTarget[] {
  return facts.targets.filter((t) => inScope(t, group) && (t.kind === 'ssh' || t.kind === 'local'));
}

function ofKind(facts: ChecklistFacts, kind: TargetKind, group: string | undefined): FactTarget[] {
  return facts.targets.filter((t) => inScope(t, group) && t.kind === kind);
}

function points(facts: ChecklistFacts, targetId: string, metric: string): FactPoint[] {
  return (facts.points[targetId] ?? []).filter((p) => p.metric === metric);
}

function point(facts: ChecklistFacts, targetId: string, metric: string): FactPoint | null {
  return points(facts, targetId, metric).find((p) => Object.keys(p.labels).length === 0) ?? null;
}

function oldest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

type Judged = { outcome: FindingOutcome; text: string };

function finding(t: FactTarget, outcome: FindingOutcome, text: string): Finding {
  return { targetId: t.id, targetName: t.name, outcome, text };
}

function staleFinding(t: FactTarget, what: string, at: number | null, now: number): Finding {
  const since = at === null ? 'never collected' : `last sample ${fmtAge(now - at)} ago`;
  return finding(t, 'stale', `${what}: no fresh data (${since})`);
}

function noTargets(kind: string): Evaluated['empty'] {
  return { outcome: 'pass', text: `No ${kind} targets to check.` };
}

/**
 * A per-target threshold check on the latest sample of each series of a metric: stale when
 * the sample is older than the freshness limit or missing.
 */
interface ThresholdSpec {
  metric: string;
  what: (p: FactPoint) => string;
  judge: (v: number, p: FactPoint, t: FactTarget) => Judged;
  optional?: boolean;
}

function thresholdCheck(
  facts: ChecklistFacts,
  targets: FactTarget[],
  now: number,
  freshMs: number,
  spec: ThresholdSpec,
): { findings: Finding[]; dataAt: number | null } {
  const findings: Finding[] = [];
  let dataAt: number | null = null;
  for (const t of targets) {
    const ps = points(facts, t.id, spec.metric);
    if (ps.length === 0) {
      if (!spec.optional) findings.push(staleFinding(t, spec.metric, t.lastSampleAt, now));
      continue;
    }
    for (const p of ps) {
      dataAt = oldest(dataAt, p.t);
      if (now - p.t > freshMs || p.v === null) {
        findings.push(staleFinding(t, spec.what(p), p.t, now));
        continue;
      }
      const j = spec.judge(p.v, p, t);
      findings.push(finding(t, j.outcome, j.text));
    }
  }
  return { findings, dataAt };
}

/** The kinds of target a check looks at, and how "none of them" reads. */
type Scope = 'host' | 'postgres' | 'redis';
const SCOPE_WORD: Record<Scope, string> = { host: 'host', postgres: 'PostgreSQL', redis: 'Redis' };

function scopedTargets(
  facts: ChecklistFacts,
  scope: Scope,
  group: string | undefined,
): FactTarget[] {
  return scope === 'host' ? hostsOf(facts, group) : ofKind(facts, scope, group);
}

type Scoped = { group?: string; freshMinutes: number };

/** thresholdCheck over the targets of one kind in a check's group. */
function scopedThreshold(
  facts: ChecklistFacts,
  now: number,
  c: Scoped,
  scope: Scope,
  spec: ThresholdSpec,
): Evaluated {
  const targets = scopedTargets(facts, scope, c.group);
  const r = thresholdCheck(facts, targets, now, c.freshMinutes * MINUTE, spec);
  return { ...r, empty: noTargets(SCOPE_WORD[scope]) };
}

/**
 * A per-target check on the latest unlabelled sample of one metric over the targets of one
 * kind in a check's group: stale when the sample is missing, empty or older than the
 * freshness limit; else judged with its target.
 */
function latestCheck(
  facts: ChecklistFacts,
  now: number,
  c: Scoped,
  scope: Scope,
  spec: { metric: string; what: string; judge: (v: number, t: FactTarget) => Judged },
): Evaluated {
  const findings: Finding[] = [];
  let dataAt: number | null = null;
  for (const t of scopedTargets(facts, scope, c.group)) {
    const p = point(facts, t.id, spec.metric);
    dataAt = oldest(dataAt, p?.t ?? null);
    if (!p || p.v === null || now - p.t > c.freshMinutes * MINUTE) {
      findings.push(staleFinding(t, spec.what, p?.t ?? t.lastSampleAt, now));
      continue;
    }
    const j = spec.judge(p.v, t);
    findings.push(finding(t, j.outcome, j.text));
  }
  return { findings, dataAt, empty: noTargets(SCOPE_WORD[scope]) };
}

function mountOf(p: FactPoint): string {
  return p.labels.mount ?? p.labels.device ?? '?';
}

// ---------------------------------------------------------------------------------------
// Checks

function collected(
  c: Extract<Check, { kind: 'collected' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  const limit = c.withinMinutes * MINUTE;
  const findings: Finding[] = [];
  let dataAt: number | null = null;
  for (const t of facts.targets.filter((x) => inScope(x, c.group))) {
    dataAt = oldest(dataAt, t.lastSampleAt);
    const ok = t.lastSampleAt !== null && now - t.lastSampleAt <= limit;
    const when =
      t.lastSampleAt === null
        ? 'never collected'
        : `last collected ${fmtAge(now - t.lastSampleAt)} ago`;
    const why = !ok && t.lastError ? ` — ${t.lastError}` : '';
    findings.push(finding(t, ok ? 'pass' : 'fail', `${when} (limit ${c.withinMinutes} min)${why}`));
  }
  return { findings, dataAt, empty: noTargets('enabled') };
}

/** Alerts are evaluated on each round: with no fresh round anywhere, "none firing" proves
 * nothing. The newest sample over the targets in scope dates the alert state. */
function alertsAsOf(facts: ChecklistFacts, group: string | undefined): number | null {
  let newest: number | null = null;
  for (const t of facts.targets) {
    if (!inScope(t, group) || t.lastSampleAt === null) continue;
    newest = newest === null ? t.lastSampleAt : Math.max(newest, t.lastSampleAt);
  }
  return newest;
}

function alertFindings(
  alerts: Alert[],
  facts: ChecklistFacts,
  judge: (a: Alert) => FindingOutcome | null,
): Finding[] {
  const name = (id: string) => facts.targets.find((t) => t.id === id)?.name ?? id;
  const out: Finding[] = [];
  for (const a of alerts) {
    const outcome = judge(a);
    if (outcome === null) continue;
    const ack = a.state === 'acknowledged' ? `, acknowledged by ${a.ackBy ?? 'someone'}` : '';
    out.push({
      targetId: a.targetId,
      targetName: name(a.targetId),
      outcome,
      text: `${a.severity} alert "${a.ruleName}": ${a.message}${ack}`,
    });
  }
  return out;
}

function alertsCheck(
  c: Extract<Check, { kind: 'alerts-critical' | 'alerts-reviewed' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  const scoped = facts.alerts.filter((a) => {
    const t = facts.targets.find((x) => x.id === a.targetId);
    return c.group === undefined || t?.group === c.group;
  });
  const findings =
    c.kind === 'alerts-critical'
      ? alertFindings(scoped, facts, (a) =>
          a.severity !== 'critical'
            ? null
            : a.state === 'firing'
              ? 'fail'
              : a.state === 'acknowledged'
                ? 'warning'
                : null,
        )
      : alertFindings(scoped, facts, (a) => (a.state === 'firing' ? 'fail' : null));
  const asOf = alertsAsOf(facts, c.group);
  const fresh = asOf !== null && now - asOf <= c.freshMinutes * MINUTE;
  const what =
    c.kind === 'alerts-critical' ? 'No critical alert firing' : 'No unacknowledged alert';
  const empty: Evaluated['empty'] = fresh
    ? { outcome: 'pass', text: `${what} (alerts as of ${fmtAge(now - asOf)} ago).` }
    : {
        outcome: 'stale',
        text:
          asOf === null
            ? `${what} known, but no target has ever been collected: the alert state proves nothing.`
            : `${what} known, but the newest sample is ${fmtAge(now - asOf)} old (limit ${c.freshMinutes} min): alerts may be missing.`,
      };
  return { findings, dataAt: asOf, empty };
}

function backupsVerified(
  c: Extract<Check, { kind: 'backups-verified' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  const limit = c.withinHours * HOUR;
  const findings: Finding[] = [];
  for (const b of facts.backups) {
    const t = facts.targets.find((x) => x.id === b.targetId);
    if (!t || !inScope(t, c.group)) continue;
    const at = c.restore ? b.newestRestoreTestAt : b.newestVerifiedBackupAt;
    const what = c.restore ? 'restore test' : 'verified backup';
    const ok = at !== null && now - at <= limit;
    const when = at === null ? `no ${what} yet` : `newest ${what} ${fmtAge(now - at)} old`;
    const text = `${when} (limit ${fmtAge(limit)}; RPO ${b.rpoHours} h)`;
    findings.push(finding(t, ok ? 'pass' : 'fail', text));
  }
  return {
    findings,
    dataAt: null,
    empty: {
      outcome: 'warning',
      text: 'No PostgreSQL target has a backup policy: nothing says backups are kept. Set one in Database care → Backups.',
    },
  };
}

function diskHeadroom(
  c: Extract<Check, { kind: 'disk-headroom' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  const hosts = hostsOf(facts, c.group);
  const fresh = c.freshMinutes * MINUTE;
  const judge = (label: string) => (v: number, p: FactPoint) => {
    const o = grade(v, c.warnPct, c.failPct, true);
    return {
      outcome: o,
      text: `${mountOf(p)} ${fmtPct(v)} ${label} (${limitWords(`${c.warnPct} %`, `${c.failPct} %`)})`,
    };
  };
  const space = thresholdCheck(facts, hosts, now, fresh, {
    metric: 'host.fs.used_pct',
    what: (p) => `${mountOf(p)} space`,
    judge: judge('used'),
  });
  const inodes = thresholdCheck(facts, hosts, now, fresh, {
    metric: 'host.fs.inodes_used_pct',
    what: (p) => `${mountOf(p)} inodes`,
    judge: judge('of inodes used'),
    optional: true,
  });
  return {
    findings: [...space.findings, ...inodes.findings],
    dataAt: oldest(space.dataAt, inodes.dataAt),
    empty: noTargets('host'),
  };
}

function memoryHeadroom(
  c: Extract<Check, { kind: 'memory-headroom' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  return scopedThreshold(facts, now, c, 'host', {
    metric: 'host.mem.available_pct',
    what: () => 'memory',
    judge: (v) => {
      const o = grade(v, c.warnAvailablePct, c.failAvailablePct, false);
      const lim = limitWords(`${c.warnAvailablePct} %`, `${c.failAvailablePct} %`);
      return { outcome: o, text: `memory ${fmtPct(v)} available (${lim})` };
    },
  });
}

function diskForecast(
  c: Extract<Check, { kind: 'disk-forecast' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  if (facts.forecasts === null) {
    return {
      findings: [],
      dataAt: null,
      empty: { outcome: 'warning', text: 'No data: capacity forecasts are not available.' },
    };
  }
  const findings: Finding[] = [];
  let dataAt: number | null = null;
  for (const f of facts.forecasts) {
    if (f.resource !== 'filesystem') continue;
    const t = facts.targets.find((x) => x.id === f.targetId);
    if (!t || !inScope(t, c.group)) continue;
    dataAt = oldest(dataAt, f.currentAt);
    findings.push(forecastFinding(c, f, now));
  }
  return {
    findings,
    dataAt,
    empty: {
      outcome: 'warning',
      text: 'No data: no filesystem has enough history for a forecast yet.',
    },
  };
}

function forecastFinding(
  c: Extract<Check, { kind: 'disk-forecast' }>,
  f: CapacityForecast,
  now: number,
): Finding {
  const base = { targetId: f.targetId, targetName: f.targetName };
  const limit = f.limit ? ` ${f.limit.source}` : '';
  if (f.currentAt === null || now - f.currentAt > c.freshHours * HOUR) {
    const since =
      f.currentAt === null ? 'no daily peak' : `newest daily peak ${fmtAge(now - f.currentAt)} old`;
    return { ...base, outcome: 'stale', text: `${f.label}: no fresh data (${since})` };
  }
  if (f.status === 'insufficient-data') {
    return { ...base, outcome: 'warning', text: `${f.label}: not enough history for a trend yet` };
  }
  if (f.daysToLimit !== null && f.daysToLimit <= c.beyondDays) {
    const when =
      f.daysToLimit <= 0
        ? 'is at its limit now'
        : `reaches${limit} in ${fmtNum(f.daysToLimit)} days`;
    return {
      ...base,
      outcome: 'fail',
      text: `${f.label} ${when} (must be beyond ${c.beyondDays} days)`,
    };
  }
  const beyond =
    f.daysToLimit === null
      ? 'no limit date within the horizon'
      : `limit in ${fmtNum(f.daysToLimit)} days`;
  return {
    ...base,
    outcome: 'pass',
    text: `${f.label}: ${beyond} (must be beyond ${c.beyondDays} days)`,
  };
}

function pgConnections(
  c: Extract<Check, { kind: 'pg-connections' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  return scopedThreshold(facts, now, c, 'postgres', {
    metric: 'pg.connections.used_pct',
    what: () => 'connections',
    judge: (v, _p, t) => {
      const o = grade(v, c.warnPct, c.failPct, true);
      const total = point(facts, t.id, 'pg.connections.total')?.v;
      const max = point(facts, t.id, 'pg.connections.max')?.v;
      const count = total != null && max != null ? ` (${fmtNum(total)} of ${fmtNum(max)})` : '';
      const lim = limitWords(`${c.warnPct} %`, `${c.failPct} %`);
      return { outcome: o, text: `connections ${fmtPct(v)} of max_connections${count}; ${lim}` };
    },
  });
}

function pgReplication(
  c: Extract<Check, { kind: 'pg-replication' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  const fresh = c.freshMinutes * MINUTE;
  const targets = ofKind(facts, 'postgres', c.group);
  const lim = limitWords(fmtSeconds(c.warnSeconds), fmtSeconds(c.failSeconds));
  const judge = (who: (p: FactPoint) => string) => (v: number, p: FactPoint) => {
    const o = grade(v, c.warnSeconds, c.failSeconds, true);
    return { outcome: o, text: `${who(p)} ${fmtSeconds(v)} behind (${lim})` };
  };
  const primary = thresholdCheck(facts, targets, now, fresh, {
    metric: 'pg.replication.lag_s',
    what: (p) => `replica ${p.labels.replica ?? '?'}`,
    judge: judge((p) => `replica ${p.labels.replica ?? '?'}`),
    optional: true,
  });
  const replica = thresholdCheck(facts, targets, now, fresh, {
    metric: 'pg.replication.replay_lag_s',
    what: () => 'replay',
    judge: judge(() => 'this replica replays'),
    optional: true,
  });
  const findings = [...primary.findings, ...replica.findings];
  // A target with no lag series at all: stale when its data is old, else no replication.
  for (const t of targets) {
    if (findings.some((f) => f.targetId === t.id)) continue;
    const up = point(facts, t.id, 'pg.replication.is_replica');
    if (!up || now - up.t > fresh)
      findings.push(staleFinding(t, 'replication', up?.t ?? t.lastSampleAt, now));
    else findings.push(finding(t, 'pass', 'no replicas attached'));
  }
  return {
    findings,
    dataAt: oldest(primary.dataAt, replica.dataAt),
    empty: noTargets('PostgreSQL'),
  };
}

function pgLongTransactions(
  c: Extract<Check, { kind: 'pg-long-transactions' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  return scopedThreshold(facts, now, c, 'postgres', {
    metric: 'pg.oldest_xact_s',
    what: () => 'oldest transaction',
    judge: (v) => {
      const o = grade(v, c.warnSeconds, c.failSeconds, true);
      const lim = limitWords(fmtSeconds(c.warnSeconds), fmtSeconds(c.failSeconds));
      return { outcome: o, text: `oldest transaction open ${fmtSeconds(v)} (${lim})` };
    },
  });
}

function redisMemory(
  c: Extract<Check, { kind: 'redis-memory' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  return latestCheck(facts, now, c, 'redis', {
    metric: 'redis.mem.used',
    what: 'memory',
    judge: (used, t) => {
      const max = point(facts, t.id, 'redis.mem.maxmemory')?.v ?? null;
      if (max === null || max === 0)
        return {
          outcome: 'warning',
          text: `${fmtBytes(used)} used, no maxmemory set: Redis grows until the host runs out of memory`,
        };
      const v = point(facts, t.id, 'redis.mem.used_pct')?.v ?? (used / max) * 100;
      const lim = limitWords(`${c.warnPct} %`, `${c.failPct} %`);
      return {
        outcome: grade(v, c.warnPct, c.failPct, true),
        text: `${fmtBytes(used)} of maxmemory ${fmtBytes(max)} (${fmtPct(v)}; ${lim})`,
      };
    },
  });
}

function redisEvictions(
  c: Extract<Check, { kind: 'redis-evictions' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  return scopedThreshold(facts, now, c, 'redis', {
    metric: 'redis.evicted_ps',
    what: () => 'evictions',
    judge: (v) => {
      const o = v > c.failPerSecond ? 'fail' : v > c.warnPerSecond ? 'warning' : 'pass';
      return {
        outcome: o,
        text: `${fmtNum(v, v < 10 ? 1 : 0)} keys evicted per second (warning above ${c.warnPerSecond}, limit ${c.failPerSecond})`,
      };
    },
  });
}

function redisPersistence(
  c: Extract<Check, { kind: 'redis-persistence' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  return latestCheck(facts, now, c, 'redis', {
    metric: 'redis.rdb.last_bgsave_ok',
    what: 'last save',
    judge: (ok, t) => {
      const age = point(facts, t.id, 'redis.rdb.last_save_age_s')?.v ?? null;
      const ago = age !== null ? `${fmtAge(age * 1000)} ago` : 'at an unknown time';
      if (ok !== 1) return { outcome: 'fail', text: `last RDB save failed (${ago})` };
      const old = age !== null && age * 1000 > c.maxSaveAgeHours * HOUR;
      return {
        outcome: old ? 'warning' : 'pass',
        text: `last RDB save ok, ${ago} (limit ${fmtAge(c.maxSaveAgeHours * HOUR)})`,
      };
    },
  });
}

function pendingUpdates(
  c: Extract<Check, { kind: 'pending-updates' }>,
  facts: ChecklistFacts,
  now: number,
): Evaluated {
  const noData: Evaluated['empty'] = {
    outcome: 'warning',
    text: 'No data: Opsdeck has no record of pending updates; check them on each host by hand.',
  };
  if (facts.updates === null) return { findings: [], dataAt: null, empty: noData };
  const findings: Finding[] = [];
  let dataAt: number | null = null;
  for (const t of hostsOf(facts, c.group)) {
    const u = facts.updates.find((x) => x.targetId === t.id);
    if (!u || now - u.t > c.freshHours * HOUR) {
      findings.push(staleFinding(t, 'pending updates', u?.t ?? null, now));
      continue;
    }
    dataAt = oldest(dataAt, u.t);
    const n = c.securityOnly ? u.security : u.total;
    const what = c.securityOnly ? 'security updates' : 'updates';
    const text = `${n} pending ${what} (checked ${fmtAge(now - u.t)} ago)`;
    findings.push(finding(t, n > 0 ? 'fail' : 'pass', text));
  }
  return { findings, dataAt, empty: noData };
}

function evaluateCheck(c: Check, facts: ChecklistFacts, now: number): Evaluated {
  switch (c.kind) {
    case 'collected':
      return collected(c, facts, now);
    case 'alerts-critical':
    case 'alerts-reviewed':
      return alertsCheck(c, facts, now);
    case 'backups-verified':
      return backupsVerified(c, facts, now);
    case 'disk-headroom':
      return diskHeadroom(c, facts, now);
    case 'memory-headroom':
      return memoryHeadroom(c, facts, now);
    case 'disk-forecast':
      return diskForecast(c, facts, now);
    case 'pg-connections':
      return pgConnections(c, facts, now);
    case 'pg-replication':
      return pgReplication(c, facts, now);
    case 'pg-long-transactions':
      return pgLongTransactions(c, facts, now);
    case 'redis-memory':
      return redisMemory(c, facts, now);
    case 'redis-evictions':
      return redisEvictions(c, facts, now);
    case 'redis-persistence':
      return redisPersistence(c, facts, now);
    case 'pending-updates':
      return pendingUpdates(c, facts, now);
    default:
      return assertNever(c, 'check kind');
  }
}

// ---------------------------------------------------------------------------------------
// Items and runs

/** Worst first: fail, stale (proves nothing), warning, pass. */
const SEVERITY: Record<FindingOutcome, number> = { fail: 3, stale: 2, warning: 1, pass: 0 };

function worst(findings: Finding[]): Finding | null {
  let w: Finding | null = null;
  for (const f of findings) if (!w || SEVERITY[f.outcome] > SEVERITY[w.outcome]) w = f;
  return w;
}

function summaryOf(findings: Finding[], w: Finding): string {
  const bad = findings.filter((f) => f.outcome === w.outcome).length;
  const who = w.targetName ? `${w.targetName}: ` : '';
  const more = bad > 1 ? ` (and ${bad - 1} more ${w.outcome})` : '';
  if (w.outcome === 'pass' && findings.length > 1) return `All ${findings.length} pass.`;
  return `${who}${w.text}${more}`;
}

/** A fresh result for an item, before anything is evaluated or ticked. */
export function blankResult(item: ChecklistItem): ItemResult {
  return {
    itemId: item.id,
    title: item.title,
    group: item.group,
    kind: item.check?.kind ?? 'manual',
    outcome: 'open',
    summary: item.check ? 'Not evaluated yet.' : 'Not ticked yet.',
    findings: [],
    action: null,
    evaluatedAt: null,
    dataAt: null,
    tick: null,
    note: '',
    tickedBy: null,
    tickedAt: null,
  };
}

/**
 * Evaluates an automatic item against the facts (a manual item is returned as it was: only
 * the operator ticks it). `prev` keeps the note and tick of an earlier evaluation.
 */
export function evaluateItem(
  item: ChecklistItem,
  facts: ChecklistFacts,
  now: number,
  prev: ItemResult = blankResult(item),
): ItemResult {
  if (!item.check) return prev;
  const e = evaluateCheck(item.check, facts, now);
  const w = worst(e.findings);
  const outcome: FindingOutcome = w ? w.outcome : e.empty.outcome;
  const summary = w ? summaryOf(e.findings, w) : e.empty.text;
  return {
    ...prev,
    kind: item.check.kind,
    outcome,
    summary,
    findings: e.findings,
    action: outcome === 'pass' ? null : (item.action ?? DEFAULT_ACTION[item.check.kind]),
    evaluatedAt: now,
    dataAt: e.dataAt,
  };
}

const TICK_OUTCOME: Record<Tick, ItemOutcome> = {
  done: 'pass',
  'not-done': 'fail',
  'not-applicable': 'skipped',
};

const TICK_WORDS: Record<Tick, string> = {
  done: 'Done',
  'not-done': 'Not done',
  'not-applicable': 'Not applicable',
};

/** A manual item ticked (tick null: back to open) by `by` at `now`. */
export function tickResult(
  item: ChecklistItem,
  prev: ItemResult,
  tick: Tick | null,
  by: string,
  now: number,
): ItemResult {
  if (tick === null) {
    return {
      ...prev,
      tick: null,
      outcome: 'open',
      summary: 'Not ticked yet.',
      action: null,
      tickedBy: null,
      tickedAt: null,
    };
  }
  const outcome = TICK_OUTCOME[tick];
  return {
    ...prev,
    tick,
    outcome,
    summary: `${TICK_WORDS[tick]}, ticked by ${by}.`,
    action: outcome === 'fail' ? (item.action ?? 'Do it, or note why it cannot be done.') : null,
    tickedBy: by,
    tickedAt: now,
  };
}

export function countOutcomes(items: readonly ItemResult[]): OutcomeCounts {
  const counts: OutcomeCounts = { pass: 0, fail: 0, warning: 0, stale: 0, skipped: 0, open: 0 };
  for (const i of items) counts[i.outcome]++;
  return counts;
}

/** The run's outcome: its worst item; open and skipped items do not count. */
export function runOutcome(counts: OutcomeCounts): RunOutcome {
  if (counts.fail > 0) return 'fail';
  if (counts.stale > 0) return 'stale';
  if (counts.warning > 0) return 'warning';
  return 'pass';
}
