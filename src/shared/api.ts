// The one contract both transports carry. Each method takes one argument object, validated
// by its zod schema on the main side before anything runs.
import { z } from 'zod';
import { id, method, none } from './contract-kit';
import { lineText, proseText } from './text';
import type {
  Alert,
  AlertRule,
  AlertTransition,
  AnomalyBand,
  Delivery,
  NotificationChannel,
  RulePreview,
  Silence,
} from './alerts';
import { capacityMethods } from './capacity';
import { careMethods, type MaintenanceProgress } from './care';
import { checklistMethods } from './checklists';
import { handoverMethods } from './handover';
import { METHOD_NAMES } from './method-names';
import { reportMethods } from './reports';
import { runbookMethods, type RunbookEvents } from './runbooks';
import type {
  AuditEntry,
  FleetEntry,
  Sample,
  SeriesData,
  SeriesRef,
  Settings,
  Snapshot,
  SshConfigCandidate,
  Target,
  TargetStatus,
  TestResult,
} from './types';

/** A host name or address: no leading '-', no whitespace or control characters. */
const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[^-\s][^\s]*$/, 'a host name must not start with "-" or hold spaces')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a host name holds no control characters');
const port = z.number().int().min(1).max(65535);
/** A name shown to people: printable, not blank, no direction overrides that reverse text. */
export const displayName = lineText(100).refine(
  (s) => s.trim().length > 0,
  'a name must not be blank',
);
const userName = lineText(64)
  .min(1)
  .regex(/^[^-\s][^\s:@]*$/, 'a user name must not start with "-" or hold spaces, ":" or "@"');
const labels = z.record(z.string().max(200), z.string().max(1000));
const hop = z
  .string()
  .max(400)
  .regex(/^(?:[^\s@:/-][^\s@:/]*@)?[^\s@/-][^\s@/]*(?::\d{1,5})?$/, 'a hop is [user@]host[:port]');
const algoList = z.array(z.string().regex(/^[A-Za-z0-9@._+-]{1,100}$/)).max(20);

export const legacyAlgorithmsSchema = z
  .object({
    kex: algoList.optional(),
    serverHostKey: algoList.optional(),
    cipher: algoList.optional(),
    hmac: algoList.optional(),
  })
  .strict();

export const targetConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z
    .object({
      kind: z.literal('ssh'),
      host: hostName,
      port,
      user: userName,
      auth: z.enum(['key', 'agent', 'password']),
      keyPath: z.string().min(1).max(4096).optional(),
      proxyJump: z.array(hop).max(8).optional(),
      legacyAlgorithms: legacyAlgorithmsSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('postgres'),
      host: hostName,
      port,
      database: z.string().min(1).max(63),
      user: z.string().min(1).max(63),
      sslmode: z.enum(['disable', 'prefer', 'require', 'verify-full']),
      viaTargetId: id.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('redis'),
      host: hostName,
      port,
      tls: z.boolean(),
      username: z.string().min(1).max(128).optional(),
      db: z.number().int().min(0).max(1000),
      viaTargetId: id.optional(),
    })
    .strict(),
]);

export const seriesRefSchema = z.object({
  metric: z.string().min(1).max(200),
  labels: labels.optional(),
});

export const settingsSchema = z
  .object({
    hostIntervalMs: z.number().int().min(1000).max(3_600_000),
    databaseIntervalMs: z.number().int().min(1000).max(3_600_000),
    retention: z
      .object({
        rawHours: z
          .number()
          .min(1)
          .max(24 * 90),
        oneMinuteDays: z.number().min(1).max(3650),
        oneHourDays: z.number().min(1).max(36500),
      })
      .strict()
      .refine(
        (r) => r.rawHours / 24 <= r.oneMinuteDays && r.oneMinuteDays <= r.oneHourDays,
        'keep raw samples no longer than 1-minute rollups, and those no longer than 1-hour ones',
      ),
  })
  .strict();

const severity = z.enum(['info', 'warning', 'critical']);
const comparison = z.enum(['>', '>=', '<', '<=']);
const finite = z.number().refine(Number.isFinite, 'a finite number');
const durationMs = z
  .number()
  .int()
  .min(0)
  .max(400 * 24 * 3_600_000);

export const conditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('threshold'), op: comparison, value: finite }).strict(),
  z
    .object({
      kind: z.literal('rate'),
      op: comparison,
      perHour: finite,
      windowMs: durationMs.min(60_000),
    })
    .strict(),
  z.object({ kind: z.literal('absent'), intervals: z.number().int().min(1).max(10_000) }).strict(),
  z
    .object({
      kind: z.literal('forecast'),
      limit: finite,
      windowMs: durationMs.min(3_600_000),
      horizonMs: durationMs.min(60_000),
    })
    .strict(),
  z.object({ kind: z.literal('anomaly'), sensitivity: z.number().min(1).max(20) }).strict(),
]);

export const ruleSelectorSchema = z
  .object({
    targetId: id.optional(),
    group: lineText(100).optional(),
    kind: z.enum(['local', 'ssh', 'postgres', 'redis']).optional(),
    metric: z.string().min(1).max(200),
    labels: labels.optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: id.optional(),
    name: z.string().min(1).max(200),
    enabled: z.boolean().default(true),
    selector: ruleSelectorSchema,
    condition: conditionSchema,
    forMs: durationMs,
    severity,
    message: z.string().min(1).max(1000),
    action: proseText(2000).default(''),
    runbook: z.string().max(200).optional(),
  })
  .strict();

export const channelConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('desktop') }).strict(),
  z
    .object({
      kind: z.literal('webhook'),
      url: z
        .string()
        .url()
        .max(2000)
        .refine((u) => /^https?:\/\//.test(u), 'http or https'),
      template: z.string().max(20_000).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('email'),
      host: hostName,
      port,
      secure: z.boolean(),
      from: z.string().email().max(300),
      to: z.array(z.string().email().max(300)).min(1).max(50),
      user: z.string().min(1).max(300).optional(),
    })
    .strict(),
]);

const byId = z.object({ id }).strict();
const byTarget = z.object({ targetId: id }).strict();

export const saveTargetSchema = z
  .object({
    id: id.optional(),
    name: displayName,
    group: lineText(100).default(''),
    intervalMs: z.number().int().min(1000).max(3_600_000).optional(),
    enabled: z.boolean().default(true),
    config: targetConfigSchema,
    /** undefined keeps the stored secret, null removes it, a string replaces it. */
    secret: z.string().max(10_000).nullable().optional(),
  })
  .strict();

export const querySchema = z
  .object({
    targetId: id,
    series: z.array(seriesRefSchema).min(1).max(64),
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    width: z.number().int().min(10).max(8000),
  })
  .strict()
  .refine((q) => q.from < q.to, 'from must be before to');

export const contract = {
  appInfo: method<AppInfo>()(none),
  listTargets: method<Target[]>()(none),
  saveTarget: method<Target>()(saveTargetSchema),
  deleteTarget: method<{ deleted: boolean }>()(byId),
  testTarget: method<TestResult>()(byId),
  acceptHostKey: method<TestResult>()(
    z
      .object({
        targetId: id,
        fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'a SHA256 fingerprint'),
      })
      .strict(),
  ),
  importSshConfig: method<SshConfigCandidate[]>()(
    z.object({ path: z.string().min(1).max(4096).optional() }).strict(),
  ),
  fleet: method<FleetEntry[]>()(none),
  statuses: method<TargetStatus[]>()(none),
  listSeries: method<SeriesRef[]>()(byTarget),
  query: method<SeriesData[]>()(querySchema),
  snapshot: method<Snapshot | null>()(byTarget),
  getSettings: method<Settings>()(none),
  saveSettings: method<Settings>()(settingsSchema),
  listAlerts: method<Alert[]>()(
    z
      .object({
        scope: z.enum(['active', 'all']).default('active'),
        targetId: id.optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
  ),
  alertHistory: method<AlertTransition[]>()(z.object({ alertId: id }).strict()),
  ackAlert: method<Alert>()(z.object({ id, note: proseText(2000).default('') }).strict()),
  listRules: method<AlertRule[]>()(none),
  saveRule: method<AlertRule>()(ruleSchema),
  deleteRule: method<{ deleted: boolean }>()(byId),
  previewRule: method<RulePreview>()(
    z
      .object({
        rule: ruleSchema,
        from: z.number().int().nonnegative(),
        to: z.number().int().nonnegative(),
        width: z.number().int().min(10).max(8000),
      })
      .strict(),
  ),
  exportRules: method<{ yaml: string }>()(none),
  importRules: method<{ imported: number }>()(
    z.object({ yaml: z.string().min(1).max(2_000_000) }).strict(),
  ),
  listSilences: method<Silence[]>()(none),
  saveSilence: method<Silence>()(
    z
      .object({
        targetId: id.optional(),
        ruleId: id.optional(),
        startsAt: z.number().int().nonnegative().optional(),
        endsAt: z.number().int().nonnegative(),
        reason: z.string().min(1).max(1000),
      })
      .strict(),
  ),
  deleteSilence: method<{ deleted: boolean }>()(byId),
  listChannels: method<NotificationChannel[]>()(none),
  saveChannel: method<NotificationChannel>()(
    z
      .object({
        id: id.optional(),
        name: z.string().min(1).max(100),
        enabled: z.boolean().default(true),
        minSeverity: severity,
        config: channelConfigSchema,
        secret: z.string().max(10_000).nullable().optional(),
      })
      .strict(),
  ),
  deleteChannel: method<{ deleted: boolean }>()(byId),
  testChannel: method<Delivery>()(byId),
  listDeliveries: method<Delivery[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
  ),
  anomalyBand: method<AnomalyBand>()(
    z
      .object({
        targetId: id,
        series: seriesRefSchema,
        from: z.number().int().nonnegative(),
        to: z.number().int().nonnegative(),
        width: z.number().int().min(10).max(8000),
      })
      .strict(),
  ),
  auditLog: method<AuditEntry[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
  ),
  ...careMethods,
  ...runbookMethods,
  ...reportMethods,
  ...checklistMethods,
  ...handoverMethods,
  ...capacityMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<K extends MethodName> = z.input<Contract[K]['input']>;
export type MethodArg<K extends MethodName> = z.output<Contract[K]['input']>;
export type MethodOutput<K extends MethodName> = Exclude<Contract[K]['output'], undefined>;

/** What the renderer calls: one promise-returning function per method. */
export type OpsdeckApi = {
  [K in MethodName]: (arg: MethodInput<K>) => Promise<MethodOutput<K>>;
};

export interface AppInfo {
  version: string;
  dataDir: string;
  transport: 'electron' | 'browser';
  startedAt: number;
  /** How secrets are protected: 'safeStorage' (OS keychain) or 'keyfile' (0600 file). */
  secretBackend: 'safeStorage' | 'keyfile';
}

/** Events pushed from main to the renderer. */
export interface ApiEvents {
  sample: Sample;
  status: TargetStatus;
  alert: Alert;
  careProgress: MaintenanceProgress;
  run: RunbookEvents['run'];
  runOutput: RunbookEvents['runOutput'];
  incident: RunbookEvents['incident'];
}
export type EventName = keyof ApiEvents;

export const methodNames = Object.keys(contract) as MethodName[];

// Compile-time proof that the preload's plain list names exactly the contract's methods.
type ListedName = (typeof METHOD_NAMES)[number];
const exactList: [ListedName] extends [MethodName]
  ? [MethodName] extends [ListedName]
    ? true
    : never
  : never = true;
void exactList;
