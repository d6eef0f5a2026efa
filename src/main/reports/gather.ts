// Reads what a report needs from the store: the group's targets, rounds and outages, hourly
// rollups of the resources, alerts, incidents, runs, maintenance, backups and the latest
// pg_stat_statements top list. The builder turns it into figures.
import type { CapacityForecast } from '../../shared/capacity';
import type { ChecklistRun } from '../../shared/checklists';
import type { CapacityRow, ChecklistRow, Section } from '../../shared/reports';
import type { Target } from '../../shared/types';
import { forecastCapacity } from '../capacity';
import type { StatementRecord } from '../collectors/postgres/statements';
import type { Store } from '../store';
import {
  RESOURCE_SPECS,
  type ReportInput,
  type ResourceInput,
  type StatementsInput,
} from './build';
import type { PeriodRange } from './period';

const MANY = 5000;
const DAY = 86_400_000;
/** The forecast window a report uses (the capacity page's default). */
const CAPACITY_WINDOW_DAYS = 30;

/** Optional feature sources; a missing one leaves its section saying it is not there. */
export interface ReportSources {
  capacity?: (targets: Target[], now: number) => Section<CapacityRow>;
  checklists?: (from: number, until: number) => Section<ChecklistRow>;
}

function capacityRow(f: CapacityForecast): CapacityRow {
  const at = f.limitReachedAt;
  const band = f.limitInterval;
  const spread =
    at !== null && band
      ? Math.max(at - band.earliest, band.latest === null ? 0 : band.latest - at) / DAY
      : null;
  return {
    targetId: f.targetId,
    targetName: f.targetName,
    resource: f.label,
    unit: f.unit,
    current: f.current,
    limit: f.limit?.value ?? null,
    reachesAt: at,
    uncertaintyDays: spread,
    advice: f.recommendation,
  };
}

/** Forecasts as of the report's making, from the store's daily peaks. */
export function capacitySection(
  store: Store,
  targets: Target[],
  now: number,
): Section<CapacityRow> {
  const rows = forecastCapacity(store, {
    now,
    windowDays: CAPACITY_WINDOW_DAYS,
    targetIds: targets.map((t) => t.id),
  }).map(capacityRow);
  return {
    available: true,
    note:
      `Forecast when the report was made, from the last ${CAPACITY_WINDOW_DAYS} days of daily peaks.` +
      (rows.length === 0 ? ' No resource had enough history for a forecast.' : ''),
    rows,
  };
}

function checklistRow(run: ChecklistRun): ChecklistRow {
  const problems = run.items
    .filter((i) => i.outcome === 'fail' || i.outcome === 'warning' || i.outcome === 'stale')
    .map((i) => `${i.title}: ${i.outcome}${i.summary ? ` (${i.summary})` : ''}`);
  return {
    id: run.id,
    checklist: run.title,
    status: run.status === 'open' ? `${run.outcome} (not finished)` : run.outcome,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    by: run.finishedBy ?? run.startedBy,
    failed: run.counts.fail,
    warnings: run.counts.warning,
    stale: run.counts.stale,
    problems,
  };
}

/** Checklist runs started in the period; they belong to no target group. */
export function checklistSection(store: Store, from: number, until: number): Section<ChecklistRow> {
  const rows = store.checklists.listRuns({ from, to: until }).map(checklistRow);
  return {
    available: true,
    note:
      'Checklist runs are not tied to a target group: every run of the period is listed.' +
      (rows.length === 0 ? ' No checklist was run in this period.' : ''),
    rows,
  };
}

export function groupTargets(store: Store, group: string): Target[] {
  return store.listTargets().filter((t) => group === '' || t.group === group);
}

function resources(store: Store, targets: Target[], from: number, until: number): ResourceInput[] {
  const out: ResourceInput[] = [];
  for (const t of targets) {
    for (const spec of RESOURCE_SPECS) {
      if (!spec.kinds.includes(t.config.kind)) continue;
      for (const s of store.hourly(t.id, spec.metric, from, until)) {
        out.push({ targetId: t.id, spec, labels: s.labels, points: s.points });
      }
    }
  }
  return out;
}

function statements(store: Store, targets: Target[]): StatementsInput[] {
  return targets
    .filter((t) => t.config.kind === 'postgres')
    .map((t) => {
      const snap = store.getSnapshot(t.id);
      if (!snap) return { targetId: t.id, t: null, rows: null };
      const rows = snap.data.statements as StatementRecord[] | null | undefined;
      return { targetId: t.id, t: snap.t, rows: Array.isArray(rows) ? rows : null };
    });
}

export function gather(
  store: Store,
  sources: ReportSources,
  req: {
    id: string;
    range: PeriodRange;
    group: string;
    now: number;
    trigger: 'schedule' | 'manual';
  },
): ReportInput {
  const { range, now } = req;
  const until = Math.min(range.to, now);
  const targets = groupTargets(store, req.group);
  const ids = targets.map((t) => t.id);
  const pg = targets.filter((t) => t.config.kind === 'postgres');
  return {
    ...req,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time',
    targets,
    rounds: store.availability.rounds(range.from, until, ids),
    outages: store.availability.outages(range.from, until),
    resources: resources(store, targets, range.from, until),
    // Read from the period's end backwards, so a report of an older period sees its own.
    alerts: store.alerting.listAlerts('all', undefined, MANY, until),
    incidents: store.runbooks.listIncidentHeaders(undefined, MANY, until),
    runs: store.runbooks.listRunHeaders({ startedBefore: until }, MANY),
    maintenance: targets.flatMap((t) => store.care.listRuns(t.id, MANY)),
    backups: pg.map((t) => ({
      targetId: t.id,
      backups: store.care.listBackups(t.id),
      policy: store.care.getPolicy(t.id),
    })),
    statements: statements(store, targets),
    capacity: (sources.capacity ?? ((ts, t) => capacitySection(store, ts, t)))(targets, now),
    checklists: (sources.checklists ?? ((f, u) => checklistSection(store, f, u)))(
      range.from,
      until,
    ),
    updates: null,
  };
}
