// The one contract both transports carry. Each method takes one argument object, validated
// by its zod schema on the main side before anything runs.
import { z } from 'zod';
import { METHOD_NAMES } from './method-names';
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

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id is 1-64 letters, digits, _ or -');
/** A host name or address: no leading '-', no whitespace or control characters. */
const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[^-\s][^\s]*$/, 'a host name must not start with "-" or hold spaces')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a host name holds no control characters');
const port = z.number().int().min(1).max(65535);
const userName = z
  .string()
  .min(1)
  .max(64)
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
      .strict(),
  })
  .strict();

const none = z.object({}).strict();

/** A method's schema and, as a phantom, its result type. */
interface Method<I extends z.ZodType, O> {
  input: I;
  output?: O;
}
/** Curried so the input type is inferred from the schema and the output named. */
const method =
  <O>() =>
  <I extends z.ZodType>(input: I): Method<I, O> => ({ input });

const byId = z.object({ id }).strict();
const byTarget = z.object({ targetId: id }).strict();

export const saveTargetSchema = z
  .object({
    id: id.optional(),
    name: z.string().min(1).max(100),
    group: z.string().max(100).default(''),
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
  auditLog: method<AuditEntry[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
  ),
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
