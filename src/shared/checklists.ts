// Checklists (issue 6): daily, weekly and monthly routines as YAML files, runs of them with
// each item's result, and the contract's slice. No node imports: the renderer compiles this.
import { z } from 'zod';
import { id, method, none } from './contract-kit';
import { lineText, proseText } from './text';
import type { RunbookProblem } from './runbooks';

// ---------------------------------------------------------------------------------------
// Checklist format (what a YAML file holds, after validation)

export const PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type ChecklistPeriod = (typeof PERIODS)[number];

const itemId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'an id is lower-case letters, digits, _ or -');
const text = proseText;
const pct = z.number().min(0).max(100);
const seconds = z
  .number()
  .min(0)
  .max(10 * 365 * 86_400);

/** Which targets a check looks at: a group (all groups when absent). */
const scope = { group: lineText(100).optional() };
/** Samples older than this make the item stale, not pass. */
const fresh = { freshMinutes: z.number().int().min(1).max(10_080).default(10) };

/** Automatic checks: each reads data Opsdeck already stores locally, never a target. */
export const checkSchema = z.discriminatedUnion('kind', [
  /** Every enabled target collected within the last N minutes. */
  z
    .object({
      kind: z.literal('collected'),
      ...scope,
      withinMinutes: z.number().int().min(1).max(10_080).default(5),
    })
    .strict(),
  /** No critical alert firing (an acknowledged one is a warning). */
  z.object({ kind: z.literal('alerts-critical'), ...scope, ...fresh }).strict(),
  /** Every firing alert acknowledged (reviewed by someone). */
  z.object({ kind: z.literal('alerts-reviewed'), ...scope, ...fresh }).strict(),
  /** Newest verified backup within N hours, for each PostgreSQL target with a backup policy;
   * with restore: true only a verification that restored the dump counts. */
  z
    .object({
      kind: z.literal('backups-verified'),
      ...scope,
      withinHours: z
        .number()
        .min(1)
        .max(24 * 366)
        .default(24),
      restore: z.boolean().default(false),
    })
    .strict(),
  /** Filesystem space and inodes used, per mount. */
  z
    .object({
      kind: z.literal('disk-headroom'),
      ...scope,
      ...fresh,
      warnPct: pct.default(80),
      failPct: pct.default(90),
    })
    .strict(),
  /** Memory available, per host. */
  z
    .object({
      kind: z.literal('memory-headroom'),
      ...scope,
      ...fresh,
      warnAvailablePct: pct.default(20),
      failAvailablePct: pct.default(10),
    })
    .strict(),
  /** No filesystem forecast to reach its limit within N days (capacity planning). */
  z
    .object({
      kind: z.literal('disk-forecast'),
      ...scope,
      beyondDays: z.number().int().min(1).max(365).default(30),
      /** Daily peaks older than this make the item stale. */
      freshHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 31)
        .default(48),
    })
    .strict(),
  /** PostgreSQL connections in use against max_connections. */
  z
    .object({
      kind: z.literal('pg-connections'),
      ...scope,
      ...fresh,
      warnPct: pct.default(70),
      failPct: pct.default(90),
    })
    .strict(),
  /** Replica lag, seen from the primary (per replica) and from each replica. */
  z
    .object({
      kind: z.literal('pg-replication'),
      ...scope,
      ...fresh,
      warnSeconds: seconds.default(30),
      failSeconds: seconds.default(300),
    })
    .strict(),
  /** Age of the oldest open transaction. */
  z
    .object({
      kind: z.literal('pg-long-transactions'),
      ...scope,
      ...fresh,
      warnSeconds: seconds.default(300),
      failSeconds: seconds.default(3600),
    })
    .strict(),
  /** Redis memory used against maxmemory (no maxmemory set is a warning). */
  z
    .object({
      kind: z.literal('redis-memory'),
      ...scope,
      ...fresh,
      warnPct: pct.default(80),
      failPct: pct.default(90),
    })
    .strict(),
  /** Keys evicted per second. */
  z
    .object({
      kind: z.literal('redis-evictions'),
      ...scope,
      ...fresh,
      warnPerSecond: z.number().min(0).default(0),
      failPerSecond: z.number().min(0).default(100),
    })
    .strict(),
  /** Last RDB save succeeded, and not longer ago than N hours. */
  z
    .object({
      kind: z.literal('redis-persistence'),
      ...scope,
      ...fresh,
      maxSaveAgeHours: z
        .number()
        .min(0.1)
        .max(24 * 31)
        .default(24),
    })
    .strict(),
  /** No pending (security) updates; without data the item says "no data" as a warning. */
  z
    .object({
      kind: z.literal('pending-updates'),
      ...scope,
      securityOnly: z.boolean().default(true),
      freshHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 31)
        .default(48),
    })
    .strict(),
]);
export type Check = z.output<typeof checkSchema>;
export type CheckKind = Check['kind'];

export const itemSchema = z
  .object({
    id: itemId,
    title: text(300).min(1),
    /** Items are shown grouped under this heading. */
    group: text(100).min(1).default('General'),
    /** Markdown-free help: what to look at, where. */
    help: text(4000).optional(),
    /** What to do when the item does not pass (automatic items have a default). */
    action: text(2000).optional(),
    /** Absent: a manual item the operator ticks. */
    check: checkSchema.optional(),
  })
  .strict();
export type ChecklistItem = z.output<typeof itemSchema>;

export const checklistSchema = z
  .object({
    id: itemId,
    title: text(200).min(1),
    period: z.enum(PERIODS),
    description: text(4000).optional(),
    items: z.array(itemSchema).min(1).max(200),
  })
  .strict();
export type ChecklistDoc = z.output<typeof checklistSchema>;

export interface Checklist extends ChecklistDoc {
  source: 'builtin' | 'folder';
  file: string;
}

/** A checklist file that failed to load: file, line and field of each mistake. */
export type ChecklistProblem = RunbookProblem;

// ---------------------------------------------------------------------------------------
// Runs

/** pass/fail/warning/stale: an automatic item (or a manual one ticked done / not done);
 * skipped: ticked not applicable; open: a manual item not ticked yet. */
export const ITEM_OUTCOMES = ['pass', 'fail', 'warning', 'stale', 'skipped', 'open'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];
export type FindingOutcome = 'pass' | 'fail' | 'warning' | 'stale';
export const TICKS = ['done', 'not-done', 'not-applicable'] as const;
export type Tick = (typeof TICKS)[number];

/** One thing an automatic item found, on one target (or on none). */
export interface Finding {
  targetId: string | null;
  targetName: string | null;
  outcome: FindingOutcome;
  /** The figure against its limit, in words: "/var 93 % used (fail at 90 %)". */
  text: string;
}

export interface ItemResult {
  itemId: string;
  title: string;
  group: string;
  kind: 'manual' | CheckKind;
  outcome: ItemOutcome;
  /** One line: the worst finding, or what the operator ticked. */
  summary: string;
  findings: Finding[];
  /** What to do when it does not pass; null when it passes. */
  action: string | null;
  /** When an automatic item was last evaluated. */
  evaluatedAt: number | null;
  /** The oldest data the evaluation rested on (null: none). */
  dataAt: number | null;
  tick: Tick | null;
  note: string;
  tickedBy: string | null;
  tickedAt: number | null;
}

export type RunStatus = 'open' | 'finished';
/** A run's outcome: its worst item (stale ranks above warning: it proves nothing). */
export type RunOutcome = 'pass' | 'warning' | 'stale' | 'fail';

export type OutcomeCounts = Record<ItemOutcome, number>;

export interface ChecklistRun {
  id: string;
  checklistId: string;
  title: string;
  period: ChecklistPeriod;
  status: RunStatus;
  startedAt: number;
  /** OS user who started it. */
  startedBy: string;
  finishedAt: number | null;
  finishedBy: string | null;
  /** The operator's closing note. */
  note: string;
  items: ItemResult[];
  counts: OutcomeCounts;
  outcome: RunOutcome;
  /** The checklist as it was when the run started (an edited file does not change it). */
  doc: ChecklistDoc;
}

export type ChecklistRunSummary = Omit<ChecklistRun, 'items' | 'doc'>;

export interface ChecklistEntry {
  checklist: Checklist;
  lastRun: ChecklistRunSummary | null;
}

export interface ChecklistLibrary {
  checklists: ChecklistEntry[];
  problems: ChecklistProblem[];
  folder: string | null;
}

export const checklistSettingsSchema = z
  .object({
    /** The operator's checklist folder (absolute), reloaded when it changes; null: none. */
    folder: z.string().min(1).max(4096).nullable(),
  })
  .strict();
export type ChecklistSettings = z.output<typeof checklistSettingsSchema>;

// ---------------------------------------------------------------------------------------
// The contract's slice (spread into `contract` in api.ts)

const time = z.number().int().nonnegative();

export const checklistMethods = {
  /** Built-in and folder checklists with their last run, and the files that did not load. */
  listChecklists: method<ChecklistLibrary>()(none),
  /** Starts a run: automatic items evaluated now, manual items open. */
  startChecklistRun: method<ChecklistRun>()(z.object({ checklistId: itemId }).strict()),
  getChecklistRun: method<ChecklistRun>()(z.object({ id }).strict()),
  /** Runs started in [from, to), newest first. */
  listChecklistRuns: method<ChecklistRunSummary[]>()(
    z
      .object({
        checklistId: itemId.optional(),
        from: time.optional(),
        to: time.optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  /** Ticks a manual item (tick null clears it) and/or sets any item's note. */
  tickItem: method<ChecklistRun>()(
    z
      .object({
        runId: id,
        itemId,
        tick: z.enum(TICKS).nullable().optional(),
        note: text(4000).optional(),
      })
      .strict(),
  ),
  /** Evaluates the automatic items again against the data stored now. */
  refreshChecklistRun: method<ChecklistRun>()(z.object({ id }).strict()),
  finishChecklistRun: method<ChecklistRun>()(
    z.object({ id, note: text(4000).default('') }).strict(),
  ),
  getChecklistSettings: method<ChecklistSettings>()(none),
  saveChecklistSettings: method<ChecklistSettings>()(checklistSettingsSchema),
};

export type ChecklistMethodName = keyof typeof checklistMethods;
