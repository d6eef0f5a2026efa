// Runbooks, runs, incidents and escalation: domain types and the contract's slice for them.
// No node imports here: the renderer compiles this.
import { z } from 'zod';
import { id, method, none } from './contract-kit';
import { proseText } from './text';

// ---------------------------------------------------------------------------------------
// Runbook format (what a YAML file holds, after validation)

export const SCENARIOS = [
  'system-failure',
  'security-breach',
  'data-loss',
  'site-loss',
  'routine',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
/** Severity of a runbook's scenario and of an incident. */
export type IncidentSeverity = (typeof LEVELS)[number];

/** Which target a step acts on: the run binds each role to one target of that kind. */
export const TARGET_ROLES = ['host', 'postgres', 'redis'] as const;
export type TargetRole = (typeof TARGET_ROLES)[number];

const name = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'a name is a letter then letters, digits or _');
const stepId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a step id is lower-case letters, digits, _ or -');
const text = proseText;
const op = z.enum(['<', '<=', '>', '>=', '==', '!=']);
export type CheckOp = z.infer<typeof op>;

export const parameterSchema = z
  .object({
    name,
    label: text(200).optional(),
    description: text(2000).optional(),
    /** string: free text (with optional pattern); path: absolute path; identifier: a SQL
     * name; url: http(s) address; integer/number: with min/max; boolean; choice. */
    type: z.enum(['string', 'path', 'identifier', 'url', 'integer', 'number', 'boolean', 'choice']),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    required: z.boolean().default(true),
    pattern: text(500).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    choices: z.array(text(200)).max(100).optional(),
  })
  .strict();
export type Parameter = z.output<typeof parameterSchema>;
export type ParamValue = string | number | boolean;

/** What a check compares. For command: the exit code or the number stdout starts with;
 * for sql: the first column of the first row (or the row count); for metric: the latest
 * stored sample of the target. */
export const expectationSchema = z.discriminatedUnion('kind', [
  /** Passes when the exit code equals `code`. */
  z.object({ kind: z.literal('exit'), code: z.number().int().default(0) }).strict(),
  /** Passes when `value op pass`; else warning when `value op warn`; else fail. */
  z
    .object({ kind: z.literal('number'), op, pass: z.number(), warn: z.number().optional() })
    .strict(),
  /** Passes when the output contains the text. */
  z.object({ kind: z.literal('contains'), text: text(1000) }).strict(),
  /** Passes when the output (or the row set) is empty. */
  z.object({ kind: z.literal('empty') }).strict(),
]);
export type Expectation = z.output<typeof expectationSchema>;

export const probeSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('command'), command: text(20_000) }).strict(),
  z.object({ source: z.literal('sql'), sql: text(20_000) }).strict(),
  z.object({ source: z.literal('redis'), argv: z.array(text(10_000)).min(1).max(100) }).strict(),
  z
    .object({
      source: z.literal('metric'),
      metric: text(200),
      labels: z.record(text(200), text(1000)).optional(),
    })
    .strict(),
]);
export type Probe = z.output<typeof probeSchema>;

const stepBase = {
  id: stepId,
  title: text(300),
  /** Markdown shown with the step. */
  body: text(20_000).optional(),
  /** Output of this step lands in the linked incident's timeline too. */
  timeline: z.boolean().default(false),
};
/** read runs on click; change needs the operator's explicit confirmation, per run of it. */
const mode = z.enum(['read', 'change']);
export type StepMode = z.infer<typeof mode>;
const timeoutSeconds = z.number().int().min(1).max(86_400).default(60);

export const stepSchema = z.discriminatedUnion('kind', [
  z.object({ ...stepBase, kind: z.literal('instruction') }).strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('command'),
      target: z.literal('host').default('host'),
      /** A POSIX sh line; {{param}} becomes one quoted shell word. */
      command: text(20_000),
      mode,
      timeoutSeconds,
    })
    .strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('sql'),
      target: z.literal('postgres').default('postgres'),
      /** One statement; {{param}} becomes a bound parameter, {{ident:param}} an escaped
       * identifier. */
      sql: text(20_000),
      mode,
    })
    .strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('redis'),
      target: z.literal('redis').default('redis'),
      /** One command as argv; {{param}} inside an element is plain data. */
      argv: z.array(text(10_000)).min(1).max(100),
      mode,
    })
    .strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('check'),
      target: z.enum(TARGET_ROLES).default('host'),
      probe: probeSchema,
      expect: expectationSchema,
      /** stop: a failed check fails the step (retry or skip); continue: it is recorded and
       * the run goes on (a later decision may read it). */
      onFail: z.enum(['stop', 'continue']).default('stop'),
      timeoutSeconds,
    })
    .strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('wait'),
      /** A plain timer, or (with until) the longest wait. */
      seconds: z.number().int().min(1).max(86_400),
      /** Poll this check until it passes, within `seconds`. */
      until: z
        .object({
          target: z.enum(TARGET_ROLES).default('host'),
          probe: probeSchema,
          expect: expectationSchema,
          everySeconds: z.number().int().min(1).max(3600).default(5),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('decision'),
      options: z
        .array(
          z
            .object({
              id: stepId,
              label: text(300),
              /** Step id to continue at; absent: the next step; 'end': finish the run. */
              next: z.string().max(64).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(20),
      /** Decided by the outcome of an earlier check step instead of the operator. */
      auto: z
        .object({
          check: stepId,
          pass: stepId,
          fail: stepId,
          warning: stepId.optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('escalate'),
      /** An escalation level id of the matrix (e.g. "security"). */
      level: z.string().min(1).max(64),
    })
    .strict(),
  z
    .object({
      ...stepBase,
      kind: z.literal('note'),
      /** A prompt for the operator; what they write goes into the timeline. */
      prompt: text(1000).optional(),
    })
    .strict(),
]);
export type Step = z.output<typeof stepSchema>;
export type StepKind = Step['kind'];

export const runbookSchema = z
  .object({
    id: stepId,
    title: text(200).min(1),
    scenario: z.enum(SCENARIOS),
    severity: z.enum(LEVELS),
    description: text(20_000).optional(),
    estimatedMinutes: z.number().int().min(1).max(10_000),
    /** Free-text dependencies (tools, access, people). */
    dependencies: z.array(text(500)).max(50).default([]),
    /** Target roles the steps need. */
    targets: z.array(z.enum(TARGET_ROLES)).max(3).default([]),
    parameters: z.array(parameterSchema).max(50).default([]),
    /** Shown with the run: recovery objectives (site-loss runbooks). */
    objectives: z
      .object({
        rtoMinutes: z.number().int().min(0).optional(),
        rpoMinutes: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    steps: z.array(stepSchema).min(1).max(200),
  })
  .strict();
export type RunbookDoc = z.output<typeof runbookSchema>;

export interface Runbook extends RunbookDoc {
  source: 'builtin' | 'folder';
  /** The file it was read from. */
  file: string;
}

/** A runbook file that failed to load: file, line and field of each mistake. */
export interface RunbookProblem {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

export interface RunbookLibrary {
  runbooks: Runbook[];
  problems: RunbookProblem[];
  folder: string | null;
}

// ---------------------------------------------------------------------------------------
// Runs

export type RunStatus = 'running' | 'completed' | 'aborted';
/** pending: not reached; running: executing now; done; failed (retry or skip); skipped. */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export type CheckOutcome = 'pass' | 'warning' | 'fail';

/** One step filled in: what would run, exactly. */
export interface PlannedStep {
  index: number;
  id: string;
  kind: StepKind;
  title: string;
  body: string | null;
  mode: StepMode | null;
  /** The target it acts on (id and name), when it has one. */
  targetId: string | null;
  targetName: string | null;
  /** Exact text that runs: the shell line, the SQL (with $n), or the Redis argv joined. */
  text: string | null;
  /** Bound SQL parameters, in order; Redis argv. */
  params: string[];
  /** Human reading of the expected condition (checks, waits). */
  expect: string | null;
  /** Decision steps: the options to offer (decide() takes the id). Absent in runs stored
   * before it was added: read the runbook then. */
  options?: { id: string; label: string }[] | null;
  /** Note steps: what to ask the operator (addRunNote stores the answer). */
  prompt?: string | null;
}

export interface RunPlan {
  runbookId: string;
  title: string;
  params: Record<string, ParamValue>;
  steps: PlannedStep[];
}

/** One attempt at one step. */
export interface StepResult {
  index: number;
  stepId: string;
  attempt: number;
  status: StepStatus;
  outcome: CheckOutcome | null;
  by: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  targetId: string | null;
  /** The exact text run (command, SQL, Redis argv). */
  text: string | null;
  exitCode: number | null;
  output: string;
  /** The output was cut at the configured cap (the cut is marked in `output`). */
  truncated: boolean;
  /** The value a check read. */
  value: number | null;
  /** The operator confirmed a changing step. */
  confirmed: boolean;
  skipReason: string | null;
  /** Decision option chosen. */
  choice: string | null;
  error: string | null;
}

export interface RunNote {
  t: number;
  by: string;
  index: number | null;
  text: string;
}

export interface Run {
  id: string;
  runbookId: string;
  title: string;
  scenario: Scenario;
  params: Record<string, ParamValue>;
  /** Target role -> target id. */
  targets: Partial<Record<TargetRole, string>>;
  incidentId: string | null;
  status: RunStatus;
  startedAt: number;
  startedBy: string;
  finishedAt: number | null;
  /** Index of the step to do next (steps.length when finished). */
  current: number;
  plan: PlannedStep[];
  /** Latest attempt of each step, by index. */
  steps: StepResult[];
  /** Every attempt, oldest first. */
  history: StepResult[];
  notes: RunNote[];
}

export interface RunSummary {
  id: string;
  runbookId: string;
  title: string;
  status: RunStatus;
  incidentId: string | null;
  startedAt: number;
  startedBy: string;
  finishedAt: number | null;
  current: number;
  stepCount: number;
  failed: number;
  skipped: number;
}

/** Streamed output of a running step. */
export interface RunOutput {
  runId: string;
  index: number;
  attempt: number;
  stream: 'stdout' | 'stderr';
  chunk: string;
}

// ---------------------------------------------------------------------------------------
// Incidents and escalation

export const INCIDENT_TYPES = [
  'performance',
  'availability',
  'security',
  'data',
  'network',
  'application',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const INCIDENT_STATUSES = ['open', 'investigating', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export type TimelineKind =
  | 'opened'
  | 'status'
  | 'note'
  | 'acknowledged'
  | 'escalation-due'
  | 'escalated'
  | 'run-started'
  | 'run-finished'
  | 'step'
  | 'capture'
  | 'edited'
  /** An escalation notice sent (or not) through a notification channel. */
  | 'notice';

export interface TimelineEntry {
  id: number;
  incidentId: string;
  t: number;
  kind: TimelineKind;
  by: string;
  text: string;
  runId: string | null;
}

export interface EscalationState {
  /** Index into the matrix of the level now responsible (0 = first). */
  level: number;
  /** Since when that level holds the incident. */
  since: number;
  /** When the next level becomes due if nobody acknowledges, or null (last level / acked). */
  nextDueAt: number | null;
}

export interface Incident {
  id: string;
  title: string;
  type: IncidentType;
  severity: IncidentSeverity;
  status: IncidentStatus;
  symptoms: string;
  impact: string;
  targetIds: string[];
  runIds: string[];
  /** Where it came from: 'manual', 'runbook:<runId>', 'alert:<alertId>'. */
  origin: string;
  openedAt: number;
  openedBy: string;
  ackAt: number | null;
  ackBy: string | null;
  resolvedAt: number | null;
  escalation: EscalationState;
  timeline: TimelineEntry[];
}

const channelRef = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a channel id is 1-64 letters, digits, _ or -');

export const contactSchema = z
  .object({
    name: text(200).min(1),
    role: text(200).default(''),
    phone: text(100).default(''),
    email: text(300).default(''),
    /** Free text, e.g. "Mon-Fri 08-18" or "24/7". */
    hours: text(200).default(''),
  })
  .strict();
export type Contact = z.output<typeof contactSchema>;

export const escalationLevelSchema = z
  .object({
    id: stepId,
    name: text(200).min(1),
    /** How long this level has to acknowledge before the next one is due. */
    withinMinutes: z.number().int().min(1).max(10_080),
    contacts: z.array(contactSchema).max(50),
    /**
     * Notification channels (webhook, email) that receive this level's escalation notices;
     * absent: the matrix's own list.
     */
    channelIds: z.array(channelRef).max(20).optional(),
  })
  .strict();
export type EscalationLevel = z.output<typeof escalationLevelSchema>;

export const escalationMatrixSchema = z
  .object({
    levels: z.array(escalationLevelSchema).min(1).max(20),
    /** Channels for the notices of every level that names none of its own. */
    channelIds: z.array(channelRef).max(20).optional(),
  })
  .strict();
export type EscalationMatrix = z.output<typeof escalationMatrixSchema>;

export const runbookSettingsSchema = z
  .object({
    /** The operator's runbook folder (absolute), reloaded when it changes; null: none. */
    folder: z.string().min(1).max(4096).nullable(),
    /** Output kept per step; beyond it the output is cut and the cut marked. */
    outputCapBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024),
  })
  .strict();
export type RunbookSettings = z.output<typeof runbookSettingsSchema>;

/** Result of walking the audit log's hash chain. */
export type AuditCheck =
  { ok: true; checked: number } | { ok: false; checked: number; brokenId: number; reason: string };

/** A self-contained HTML report, to save as a file. */
export interface HtmlExport {
  fileName: string;
  html: string;
}

// ---------------------------------------------------------------------------------------
// The contract's slice (spread into `contract` in api.ts)

const paramValues = z.record(
  z.string().max(64),
  z.union([z.string().max(10_000), z.number(), z.boolean()]),
);
const targetBinding = z
  .object({ host: id.optional(), postgres: id.optional(), redis: id.optional() })
  .strict();

export const startRunSchema = z
  .object({
    runbookId: stepId,
    params: paramValues.default({}),
    targets: targetBinding.default({}),
    incidentId: id.optional(),
  })
  .strict();

export const openIncidentSchema = z
  .object({
    title: text(300).min(1).optional(),
    type: z.enum(INCIDENT_TYPES).optional(),
    severity: z.enum(LEVELS).optional(),
    symptoms: text(20_000).default(''),
    impact: text(20_000).default(''),
    targetIds: z.array(id).max(100).default([]),
    /** Open from an alert: title, severity, target and symptoms come from it. */
    alertId: id.optional(),
    /** Open from a run (e.g. a failed check): the run is linked. */
    runId: id.optional(),
  })
  .strict();

export const runbookMethods = {
  /** Built-in and folder runbooks, with the problems of files that did not load. */
  listRunbooks: method<RunbookLibrary>()(none),
  getRunbook: method<Runbook>()(z.object({ id: stepId }).strict()),
  /** Dry run: every step filled in, nothing run, nothing stored or audited. */
  planRun: method<RunPlan>()(startRunSchema),
  startRun: method<Run>()(startRunSchema),
  getRun: method<Run>()(z.object({ id }).strict()),
  listRuns: method<RunSummary[]>()(
    z
      .object({
        incidentId: id.optional(),
        status: z.enum(['running', 'completed', 'aborted']).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  /** Runs (or ticks, or retries) the step at `index`, which must be the current one. A
   * changing step needs confirm: true, else ConfirmationRequired. Output streams as
   * `runOutput` events; the answer is the run after the step. */
  runStep: method<Run>()(
    z
      .object({ runId: id, index: z.number().int().min(0), confirm: z.boolean().default(false) })
      .strict(),
  ),
  skipStep: method<Run>()(
    z.object({ runId: id, index: z.number().int().min(0), reason: text(2000).min(1) }).strict(),
  ),
  /** The operator's choice at a decision step. */
  decide: method<Run>()(
    z.object({ runId: id, index: z.number().int().min(0), option: stepId }).strict(),
  ),
  addRunNote: method<Run>()(
    z
      .object({ runId: id, index: z.number().int().min(0).optional(), text: text(20_000).min(1) })
      .strict(),
  ),
  abortRun: method<Run>()(z.object({ runId: id, reason: text(2000).min(1) }).strict()),
  exportRun: method<HtmlExport>()(z.object({ id }).strict()),

  listIncidents: method<Incident[]>()(
    z
      .object({
        status: z.enum(INCIDENT_STATUSES).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  getIncident: method<Incident>()(z.object({ id }).strict()),
  openIncident: method<Incident>()(openIncidentSchema),
  updateIncident: method<Incident>()(
    z
      .object({
        id,
        title: text(300).min(1).optional(),
        type: z.enum(INCIDENT_TYPES).optional(),
        severity: z.enum(LEVELS).optional(),
        status: z.enum(INCIDENT_STATUSES).optional(),
        symptoms: text(20_000).optional(),
        impact: text(20_000).optional(),
        targetIds: z.array(id).max(100).optional(),
      })
      .strict(),
  ),
  /** Stops the escalation clock. */
  ackIncident: method<Incident>()(z.object({ id, note: text(2000).default('') }).strict()),
  addIncidentNote: method<Incident>()(z.object({ id, text: text(20_000).min(1) }).strict()),
  exportIncident: method<HtmlExport>()(z.object({ id }).strict()),

  getEscalation: method<EscalationMatrix>()(none),
  saveEscalation: method<EscalationMatrix>()(escalationMatrixSchema),
  getRunbookSettings: method<RunbookSettings>()(none),
  saveRunbookSettings: method<RunbookSettings>()(runbookSettingsSchema),
  /** Walks the audit log's hash chain. */
  verifyAudit: method<AuditCheck>()(none),
};

/** Events of this feature (keys of ApiEvents). */
export interface RunbookEvents {
  run: RunSummary;
  runOutput: RunOutput;
  incident: Incident;
}

export type RunbookMethodName = keyof typeof runbookMethods;
