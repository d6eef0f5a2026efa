// Reports: a period's figures for a target group, stored as a snapshot so that reopening it
// shows the figures as they were after the raw history has aged out. Domain types and the
// contract's slice. No node imports here: the renderer compiles this.
import { z } from 'zod';
import { id, method } from './contract-kit';
import { EXPORT_FORMATS, type FileExport } from './export';

export const REPORT_PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/**
 * One part of a report. `available` is false when the data source does not exist or holds
 * nothing for this period; `note` then says which, in plain words (e.g. "not collected").
 */
export interface Section<T> {
  available: boolean;
  note: string | null;
  rows: T[];
}

export interface ReportTarget {
  id: string;
  name: string;
  kind: string;
}

/** A stretch of failed collection rounds, clipped to the period. */
export interface OutageStretch {
  from: number;
  to: number;
  durationMs: number;
  /** Still failing at the end of the period (or when the report was made). */
  ongoing: boolean;
  reason: string;
}

export interface AvailabilityRow {
  targetId: string;
  targetName: string;
  okRounds: number;
  failedRounds: number;
  /** Share of collection rounds that succeeded, 0-100; null when no round ran. */
  availabilityPct: number | null;
  downMs: number;
  outages: OutageStretch[];
}

/** A compact series for a small chart: one point per bucket (avg and max of the bucket). */
export interface MiniChart {
  stepMs: number;
  t: number[];
  avg: number[];
  max: number[];
}

export type ReportUnit = 'percent' | 'bytes' | 'ratio' | 'count';

export interface ResourceRow {
  targetId: string;
  targetName: string;
  /** What was measured, in words: "CPU busy", "Filesystem /var used", "Database app size". */
  resource: string;
  unit: ReportUnit;
  peak: number;
  /** Start of the hour holding the peak. */
  peakAt: number;
  avg: number;
  /** Samples behind the figures. */
  samples: number;
  chart: MiniChart;
}

export interface AlertRow {
  id: string;
  targetId: string;
  targetName: string;
  rule: string;
  severity: string;
  firingAt: number;
  resolvedAt: number | null;
  /** Firing time inside the period (clipped at its start and end). */
  durationMs: number;
  ongoing: boolean;
  message: string;
}

export interface IncidentRow {
  id: string;
  title: string;
  severity: string;
  status: string;
  openedAt: number;
  resolvedAt: number | null;
  durationMs: number | null;
  targets: string[];
}

export interface RunRow {
  id: string;
  title: string;
  status: string;
  startedAt: number;
  finishedAt: number | null;
  startedBy: string;
  incidentId: string | null;
  targets: string[];
}

export interface MaintenanceRow {
  id: string;
  targetId: string;
  targetName: string;
  action: string;
  scope: string;
  status: string;
  startedAt: number;
  finishedAt: number | null;
  operator: string;
  error: string | null;
}

export interface BackupRow {
  targetId: string;
  targetName: string;
  taken: number;
  failed: number;
  verified: number;
  verifyFailed: number;
  newestVerifiedAt: number | null;
  lastRestoreMs: number | null;
  rpoHours: number | null;
  rtoHours: number | null;
  /** At the end of the period; null when no objective is set. */
  rpoOk: boolean | null;
  rtoOk: boolean | null;
}

export interface SlowQueryRow {
  targetId: string;
  targetName: string;
  database: string | null;
  queryid: string;
  calls: number;
  meanMs: number;
  totalMs: number;
  query: string;
  /** When this top list was read from pg_stat_statements. */
  readAt: number;
}

export interface CapacityRow {
  targetId: string;
  targetName: string;
  resource: string;
  unit: ReportUnit;
  current: number | null;
  limit: number | null;
  /** When the limit is reached by the fit, if it is. */
  reachesAt: number | null;
  /** ± days of that date. */
  uncertaintyDays: number | null;
  advice: string;
}

export interface ChecklistRow {
  id: string;
  checklist: string;
  status: string;
  startedAt: number;
  finishedAt: number | null;
  by: string;
  failed: number;
  warnings: number;
  /** Automatic items whose data was too old to judge. */
  stale: number;
  /** The failed, warning and stale items, in words. */
  problems: string[];
}

export interface UpdateRow {
  targetId: string;
  targetName: string;
  pending: number;
  security: number;
  checkedAt: number;
}

export interface ReportHeadline {
  /** Over every round of every target of the group; null when no round ran. */
  availabilityPct: number | null;
  outages: number;
  alerts: number;
  incidents: number;
}

export interface Report {
  id: string;
  period: ReportPeriod;
  /** Target group; '' means every target. */
  group: string;
  from: number;
  /** End of the period (exclusive). */
  to: number;
  /** Figures stop here: the period's end, or the time of making for a period not over. */
  until: number;
  createdAt: number;
  title: string;
  trigger: 'schedule' | 'manual';
  timeZone: string;
  targets: ReportTarget[];
  headline: ReportHeadline;
  availability: Section<AvailabilityRow>;
  resources: Section<ResourceRow>;
  alerts: Section<AlertRow>;
  incidents: Section<IncidentRow>;
  runs: Section<RunRow>;
  maintenance: Section<MaintenanceRow>;
  backups: Section<BackupRow>;
  slowQueries: Section<SlowQueryRow>;
  capacity: Section<CapacityRow>;
  checklists: Section<ChecklistRow>;
  updates: Section<UpdateRow>;
}

export type ReportSummary = Pick<
  Report,
  | 'id'
  | 'period'
  | 'group'
  | 'from'
  | 'to'
  | 'until'
  | 'createdAt'
  | 'title'
  | 'trigger'
  | 'headline'
>;

export interface ReportSettings {
  daily: boolean;
  weekly: boolean;
  monthly: boolean;
  /** Local time the scheduled reports are made, "HH:MM" (after the period ends). */
  at: string;
  /** Besides the report of every target, one per target group. */
  perGroup: boolean;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  daily: true,
  weekly: true,
  monthly: true,
  at: '00:10',
  perGroup: true,
};

// ---------------------------------------------------------------------------------------
// The contract's slice (spread into `contract` in api.ts)

const group = z
  .string()
  .max(100)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a group name holds no control characters');
const period = z.enum(REPORT_PERIODS);
/** 9999-12-31T23:59:59.999Z. */
const LAST_DATE_MS = 253_402_300_799_999;

export const reportSettingsSchema = z
  .object({
    daily: z.boolean(),
    weekly: z.boolean(),
    monthly: z.boolean(),
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM'),
    perGroup: z.boolean(),
  })
  .strict();

export const reportMethods = {
  /** Newest period first. */
  listReports: method<ReportSummary[]>()(
    z
      .object({
        period: period.optional(),
        group: group.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  getReport: method<Report>()(z.object({ id }).strict()),
  /** Makes a report of the period holding `at` (default: the last complete one). */
  generateReport: method<Report>()(
    z
      .object({
        period,
        group: group.default(''),
        // Up to the end of year 9999: a later time has no calendar date to make a period of.
        at: z.number().int().nonnegative().max(LAST_DATE_MS, 'a time before year 10000').optional(),
      })
      .strict(),
  ),
  exportReport: method<FileExport>()(z.object({ id, format: z.enum(EXPORT_FORMATS) }).strict()),
  deleteReport: method<{ deleted: boolean }>()(z.object({ id }).strict()),
  getReportSettings: method<ReportSettings>()(z.object({}).strict()),
  saveReportSettings: method<ReportSettings>()(reportSettingsSchema),
};

export type ReportMethodName = keyof typeof reportMethods;
