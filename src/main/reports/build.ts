// The report builder: a period's records in, one report snapshot out. Pure: the caller
// (gather.ts) reads the store; nothing here reads a clock or a file.
import type { Alert } from '../../shared/alerts';
import type { Backup, MaintenanceRun, RetentionPolicy } from '../../shared/care';
import type {
  AlertRow,
  AvailabilityRow,
  BackupRow,
  CapacityRow,
  ChecklistRow,
  IncidentRow,
  MaintenanceRow,
  MiniChart,
  OutageStretch,
  Report,
  ReportPeriod,
  ReportUnit,
  ResourceRow,
  RunRow,
  Section,
  SlowQueryRow,
  UpdateRow,
} from '../../shared/reports';
import { assertNever } from '../../shared/result';
import type { Incident, Run } from '../../shared/runbooks';
import type { Target, TargetKind } from '../../shared/types';
import { objectives } from '../care/backup-pure';
import type { StatementRecord } from '../collectors/postgres/statements';
import type { RoundCounts, Outage } from '../store/availability';
import type { RollupPoints } from '../store/rollup';
import { type PeriodRange, reportTitle } from './period';

const HOUR = 3_600_000;
const SLOW_QUERIES = 10;

export interface ResourceSpec {
  metric: string;
  kinds: readonly TargetKind[];
  unit: ReportUnit;
  name: (labels: Record<string, string>) => string;
  /** The stored series is the complement (available %), the report shows used %. */
  invert?: boolean;
}

const HOSTS: readonly TargetKind[] = ['local', 'ssh'];

/** What the resource section reads, per target kind. */
export const RESOURCE_SPECS: readonly ResourceSpec[] = [
  { metric: 'host.cpu.busy', kinds: HOSTS, unit: 'percent', name: () => 'CPU busy' },
  {
    metric: 'host.mem.available_pct',
    kinds: HOSTS,
    unit: 'percent',
    name: () => 'Memory used',
    invert: true,
  },
  { metric: 'host.load.1', kinds: HOSTS, unit: 'ratio', name: () => 'Load (1 min)' },
  {
    metric: 'host.fs.used_pct',
    kinds: HOSTS,
    unit: 'percent',
    name: (l) => `Filesystem ${l.mount ?? '?'} used`,
  },
  { metric: 'pg.connections.total', kinds: ['postgres'], unit: 'count', name: () => 'Connections' },
  {
    metric: 'pg.db.size_bytes',
    kinds: ['postgres'],
    unit: 'bytes',
    name: (l) => `Database ${l.db ?? '?'} size`,
  },
  { metric: 'redis.mem.used', kinds: ['redis'], unit: 'bytes', name: () => 'Memory used' },
];

export interface ResourceInput {
  targetId: string;
  spec: ResourceSpec;
  labels: Record<string, string>;
  /** Hourly rollups. */
  points: RollupPoints;
}

export interface StatementsInput {
  targetId: string;
  /** When the top list was read; null when nothing was ever collected. */
  t: number | null;
  /** null: pg_stat_statements is not installed in the monitored database. */
  rows: StatementRecord[] | null;
}

export interface ReportInput {
  id: string;
  range: PeriodRange;
  group: string;
  now: number;
  trigger: Report['trigger'];
  timeZone: string;
  /** Targets of the group. */
  targets: Target[];
  rounds: RoundCounts[];
  outages: Outage[];
  resources: ResourceInput[];
  alerts: Alert[];
  incidents: Omit<Incident, 'timeline'>[];
  runs: Omit<Run, 'steps' | 'history' | 'notes'>[];
  maintenance: MaintenanceRun[];
  backups: { targetId: string; backups: Backup[]; policy: RetentionPolicy | null }[];
  statements: StatementsInput[];
  /** null when that feature is not there: the section says so. */
  capacity: Section<CapacityRow> | null;
  checklists: Section<ChecklistRow> | null;
  updates: Section<UpdateRow> | null;
}

export function chartStep(period: ReportPeriod): number {
  switch (period) {
    case 'daily':
      return HOUR;
    case 'weekly':
      return 4 * HOUR;
    case 'monthly':
      return 12 * HOUR;
    default:
      return assertNever(period);
  }
}

/** Six significant digits: what the store keeps, without float noise like 0.30000000004. */
function clean(x: number): number {
  return Number(x.toPrecision(6));
}

function section<T>(rows: T[], emptyNote: string | null): Section<T> {
  return { available: true, note: rows.length === 0 ? emptyNote : null, rows };
}

function absent<T>(note: string): Section<T> {
  return { available: false, note, rows: [] };
}

export function buildReport(input: ReportInput): Report {
  const { range, now } = input;
  const until = Math.min(range.to, now);
  const names = new Map(input.targets.map((t) => [t.id, t.name]));
  const ids = new Set(names.keys());
  const ctx: Ctx = { from: range.from, until, names, ids, group: input.group };
  const availability = availabilityRows(input, ctx);
  const alerts = alertRows(input.alerts, ctx);
  const incidents = incidentRows(input.incidents, ctx);
  const ok = availability.reduce((n, r) => n + r.okRounds, 0);
  const failed = availability.reduce((n, r) => n + r.failedRounds, 0);
  return {
    id: input.id,
    period: range.period,
    group: input.group,
    from: range.from,
    to: range.to,
    until,
    createdAt: now,
    title: reportTitle(range, input.group) + (until < range.to ? ' (so far)' : ''),
    trigger: input.trigger,
    timeZone: input.timeZone,
    targets: input.targets.map((t) => ({ id: t.id, name: t.name, kind: t.config.kind })),
    headline: {
      availabilityPct: ok + failed > 0 ? (ok / (ok + failed)) * 100 : null,
      outages: availability.reduce((n, r) => n + r.outages.length, 0),
      alerts: alerts.length,
      incidents: incidents.length,
    },
    availability: input.targets.length
      ? section(availability, null)
      : absent('This group has no targets.'),
    resources: section(resourceRows(input, ctx), 'No resource samples were stored in this period.'),
    alerts: section(alerts, 'No alert fired in this period.'),
    incidents: section(incidents, 'No incident was open in this period.'),
    runs: section(runRows(input.runs, ctx), 'No runbook was run in this period.'),
    maintenance: section(
      maintenanceRows(input.maintenance, ctx),
      'No maintenance ran in this period.',
    ),
    backups: backupSection(input, ctx),
    slowQueries: slowQuerySection(input, ctx),
    capacity:
      input.capacity ?? absent('Not available: capacity planning is not part of this build.'),
    checklists: input.checklists ?? absent('Not available: checklists are not part of this build.'),
    updates: input.updates ?? absent('Not collected: Opsdeck does not check for pending updates.'),
  };
}

interface Ctx {
  from: number;
  until: number;
  names: Map<string, string>;
  ids: Set<string>;
  group: string;
}

function nameOf(ctx: Ctx, id: string): string {
  return ctx.names.get(id) ?? id;
}

/** Clipped to [from, until]; null when it does not overlap. */
function clip(ctx: Ctx, start: number, end: number | null): { from: number; to: number } | null {
  const from = Math.max(start, ctx.from);
  const to = Math.min(end ?? ctx.until, ctx.until);
  return to > from || (to === from && start >= ctx.from && start < ctx.until) ? { from, to } : null;
}

function availabilityRows(input: ReportInput, ctx: Ctx): AvailabilityRow[] {
  return input.targets.map((t) => {
    const rounds = input.rounds.filter(
      (r) => r.targetId === t.id && r.hour >= ctx.from && r.hour < ctx.until,
    );
    const okRounds = rounds.reduce((n, r) => n + r.ok, 0);
    const failedRounds = rounds.reduce((n, r) => n + r.failed, 0);
    const outages: OutageStretch[] = [];
    for (const o of input.outages.filter((x) => x.targetId === t.id)) {
      const c = clip(ctx, o.start, o.end);
      if (!c) continue;
      const ongoing = o.end === null || o.end > ctx.until;
      outages.push({ ...c, durationMs: c.to - c.from, ongoing, reason: o.reason });
    }
    outages.sort((a, b) => a.from - b.from);
    const total = okRounds + failedRounds;
    return {
      targetId: t.id,
      targetName: t.name,
      okRounds,
      failedRounds,
      availabilityPct: total > 0 ? (okRounds / total) * 100 : null,
      downMs: outages.reduce((n, o) => n + o.durationMs, 0),
      outages,
    };
  });
}

function resourceRows(input: ReportInput, ctx: Ctx): ResourceRow[] {
  const step = chartStep(input.range.period);
  const rows: ResourceRow[] = [];
  for (const r of input.resources) {
    if (!ctx.ids.has(r.targetId)) continue;
    const row = resourceRow(r, ctx, step);
    if (row) rows.push(row);
  }
  return rows;
}

function resourceRow(r: ResourceInput, ctx: Ctx, step: number): ResourceRow | null {
  const p = r.points;
  const flip = (x: number): number => (r.spec.invert ? 100 - x : x);
  let samples = 0;
  let sum = 0;
  let peak = -Infinity;
  let peakAt = 0;
  const buckets = new Map<number, { n: number; sum: number; max: number }>();
  for (let i = 0; i < p.t.length; i++) {
    if (p.t[i] < ctx.from || p.t[i] >= ctx.until) continue;
    const high = flip(r.spec.invert ? p.min[i] : p.max[i]);
    const avg = flip(p.avg[i]);
    samples += p.count[i];
    sum += avg * p.count[i];
    if (high > peak) {
      peak = high;
      peakAt = p.t[i];
    }
    const b0 = ctx.from + Math.floor((p.t[i] - ctx.from) / step) * step;
    const b = buckets.get(b0) ?? { n: 0, sum: 0, max: -Infinity };
    b.n += p.count[i];
    b.sum += avg * p.count[i];
    b.max = Math.max(b.max, high);
    buckets.set(b0, b);
  }
  if (samples === 0) return null;
  const chart: MiniChart = { stepMs: step, t: [], avg: [], max: [] };
  for (const [t, b] of [...buckets].sort((a, c) => a[0] - c[0])) {
    chart.t.push(t);
    chart.avg.push(clean(b.sum / b.n));
    chart.max.push(clean(b.max));
  }
  return {
    targetId: r.targetId,
    targetName: nameOf(ctx, r.targetId),
    resource: r.spec.name(r.labels),
    unit: r.spec.unit,
    peak: clean(peak),
    peakAt,
    avg: clean(sum / samples),
    samples,
    chart,
  };
}

function alertRows(alerts: Alert[], ctx: Ctx): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const a of alerts) {
    if (!ctx.ids.has(a.targetId) || a.firingAt === null) continue;
    const c = clip(ctx, a.firingAt, a.resolvedAt);
    if (!c) continue;
    rows.push({
      id: a.id,
      targetId: a.targetId,
      targetName: nameOf(ctx, a.targetId),
      rule: a.ruleName,
      severity: a.severity,
      firingAt: a.firingAt,
      resolvedAt: a.resolvedAt,
      durationMs: c.to - c.from,
      ongoing: a.resolvedAt === null || a.resolvedAt > ctx.until,
      message: a.message,
    });
  }
  return rows.sort((a, b) => a.firingAt - b.firingAt);
}

/** In the group: every record for all targets; else one that names a target of the group. */
function inGroup(ctx: Ctx, targetIds: readonly string[]): boolean {
  return ctx.group === '' || targetIds.some((id) => ctx.ids.has(id));
}

function incidentRows(incidents: ReportInput['incidents'], ctx: Ctx): IncidentRow[] {
  return incidents
    .filter((i) => inGroup(ctx, i.targetIds) && clip(ctx, i.openedAt, i.resolvedAt) !== null)
    .map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity,
      status: i.status,
      openedAt: i.openedAt,
      resolvedAt: i.resolvedAt,
      durationMs: i.resolvedAt === null ? null : i.resolvedAt - i.openedAt,
      targets: i.targetIds.map((id) => nameOf(ctx, id)),
    }))
    .sort((a, b) => a.openedAt - b.openedAt);
}

function runRows(runs: ReportInput['runs'], ctx: Ctx): RunRow[] {
  return runs
    .filter((r) => {
      const targets = Object.values(r.targets).filter((x): x is string => !!x);
      return inGroup(ctx, targets) && clip(ctx, r.startedAt, r.finishedAt) !== null;
    })
    .map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      startedBy: r.startedBy,
      incidentId: r.incidentId,
      targets: Object.values(r.targets)
        .filter((x): x is string => !!x)
        .map((id) => nameOf(ctx, id)),
    }))
    .sort((a, b) => a.startedAt - b.startedAt);
}

function scopeText(run: MaintenanceRun): string {
  const s = run.scope;
  switch (s.kind) {
    case 'database':
      return 'whole database';
    case 'table':
      return `table ${s.schema}.${s.name}`;
    case 'index':
      return `index ${s.schema}.${s.name}`;
    default:
      return assertNever(s);
  }
}

function maintenanceRows(runs: MaintenanceRun[], ctx: Ctx): MaintenanceRow[] {
  return runs
    .filter((r) => ctx.ids.has(r.targetId) && r.startedAt >= ctx.from && r.startedAt < ctx.until)
    .map((r) => ({
      id: r.id,
      targetId: r.targetId,
      targetName: nameOf(ctx, r.targetId),
      action: r.action,
      scope: scopeText(r),
      status: r.status,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      operator: r.operator,
      error: r.error,
    }))
    .sort((a, b) => a.startedAt - b.startedAt);
}

function within(ctx: Ctx, t: number): boolean {
  return t >= ctx.from && t < ctx.until;
}

function backupSection(input: ReportInput, ctx: Ctx): Section<BackupRow> {
  const pg = input.targets.filter((t) => t.config.kind === 'postgres');
  if (pg.length === 0) return absent('No PostgreSQL target in this group: no backups to report.');
  const rows = pg.map((t): BackupRow => {
    const found = input.backups.find((b) => b.targetId === t.id);
    const all = found?.backups ?? [];
    // As known at the period's end: later backups and verifications do not count.
    const asOf = all
      .filter((b) => b.startedAt < ctx.until)
      .map((b) =>
        b.verification && b.verification.t >= ctx.until ? { ...b, verification: null } : b,
      );
    const o = objectives(t.id, t.name, asOf, found?.policy ?? null, ctx.until);
    const inPeriod = asOf.filter((b) => within(ctx, b.startedAt));
    const checks = asOf.map((b) => b.verification).filter((v) => v && within(ctx, v.t));
    return {
      targetId: t.id,
      targetName: t.name,
      taken: inPeriod.filter((b) => b.status === 'succeeded').length,
      failed: inPeriod.filter((b) => b.status === 'failed').length,
      verified: checks.filter((v) => v?.ok).length,
      verifyFailed: checks.filter((v) => v && !v.ok).length,
      newestVerifiedAt: o.newestVerifiedAt,
      lastRestoreMs: o.lastRestoreMs,
      rpoHours: o.rpoHours,
      rtoHours: o.rtoHours,
      rpoOk: o.rpoOk,
      rtoOk: o.rtoOk,
    };
  });
  return section(rows, null);
}

function slowQuerySection(input: ReportInput, ctx: Ctx): Section<SlowQueryRow> {
  const pg = input.targets.filter((t) => t.config.kind === 'postgres');
  if (pg.length === 0) return absent('No PostgreSQL target in this group.');
  const notes: string[] = [];
  const rows: SlowQueryRow[] = [];
  for (const t of pg) {
    const s = input.statements.find((x) => x.targetId === t.id);
    if (!s || s.t === null) {
      notes.push(`${t.name}: nothing collected yet.`);
      continue;
    }
    if (s.rows === null) {
      notes.push(`${t.name}: pg_stat_statements is not installed.`);
      continue;
    }
    const readAt = s.t;
    if (readAt < ctx.from) notes.push(`${t.name}: its list was read before this period began.`);
    for (const r of s.rows) {
      rows.push({
        targetId: t.id,
        targetName: t.name,
        database: r.datname,
        queryid: r.queryid,
        calls: r.calls,
        meanMs: r.meanExecMs,
        totalMs: r.totalExecMs,
        query: r.query,
        readAt,
      });
    }
  }
  rows.sort((a, b) => b.meanMs - a.meanMs);
  const caveat =
    'pg_stat_statements keeps running totals since its last reset, and Opsdeck keeps only the ' +
    'latest top list: these are the slowest statements as last read, not limited to the period.';
  return {
    available: rows.length > 0,
    note: [caveat, ...notes].join(' '),
    rows: rows.slice(0, SLOW_QUERIES),
  };
}
