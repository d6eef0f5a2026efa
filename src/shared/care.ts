// PostgreSQL and Redis care (issue 4): health snapshots, safe maintenance with a plan, and
// verified backups. Types and argument schemas for the care slice of the contract; the
// renderer compiles this file, so it holds no node imports.
import { z } from 'zod';
import { id, method } from './contract-kit';

// ---------------------------------------------------------------------------------------
// PostgreSQL health

export interface PgSession {
  pid: number;
  user: string | null;
  database: string | null;
  application: string | null;
  clientAddr: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  /** Query text with literals that look like secrets masked. */
  query: string;
  backendType: string | null;
  /** Age of the transaction, ms; null outside a transaction. */
  xactAgeMs: number | null;
  /** Age of the current (or last) query, ms. */
  queryAgeMs: number | null;
  /** Pids this session waits for (pg_blocking_pids). */
  blockedBy: number[];
}

/** One node of the blocking tree: a session and those it blocks. */
export interface BlockingNode {
  pid: number;
  session: PgSession | null;
  blocks: BlockingNode[];
}

export interface PgActivity {
  sessions: PgSession[];
  /** Roots: sessions that block others and wait for nobody (or cycles broken at a pid). */
  blockingTree: BlockingNode[];
}

export interface PgStatement {
  /** int8 as an exact decimal string. */
  queryId: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  planMs: number | null;
  rows: number;
  sharedHit: number;
  sharedRead: number;
}

export type StatementsState =
  | { available: true; extVersion: string; byTotal: PgStatement[]; byMean: PgStatement[] }
  | { available: false; reason: 'not-installed' | 'not-preloaded' | 'no-permission'; fix: string };

export interface PgTable {
  schema: string;
  name: string;
  totalBytes: number;
  tableBytes: number;
  indexBytes: number;
  rowEstimate: number;
  seqScans: number;
  seqTupRead: number;
  idxScans: number;
  liveTuples: number;
  deadTuples: number;
  lastVacuum: number | null;
  lastAutovacuum: number | null;
  lastAnalyze: number | null;
  lastAutoanalyze: number | null;
  /** age(relfrozenxid). */
  xidAge: number;
  /** Fraction of autovacuum_freeze_max_age used by xidAge. */
  wraparoundFraction: number;
  bloatBytes: number;
  bloatRatio: number;
}

export interface PgIndex {
  schema: string;
  table: string;
  name: string;
  bytes: number;
  scans: number;
  unique: boolean;
  primary: boolean;
  /** Backs a constraint (primary key, unique, exclusion). */
  constraint: boolean;
  valid: boolean;
  definition: string;
  bloatBytes: number;
  bloatRatio: number;
}

export interface DuplicateIndexes {
  schema: string;
  table: string;
  /** Index names with the same definition (columns, expressions, predicate). */
  names: string[];
  definition: string;
  wastedBytes: number;
}

export interface IndexCandidate {
  schema: string;
  table: string;
  seqScans: number;
  seqTupRead: number;
  rowEstimate: number;
  why: string;
}

export interface PgReplica {
  pid: number;
  application: string | null;
  clientAddr: string | null;
  state: string | null;
  syncState: string | null;
  lagBytes: number | null;
  replayLagMs: number | null;
}

export interface PgSlot {
  name: string;
  type: string;
  active: boolean;
  retainedBytes: number | null;
  /** Inactive and holding WAL. */
  flagged: boolean;
}

export interface PgArchiver {
  archivedCount: number;
  lastArchivedWal: string | null;
  lastArchivedAt: number | null;
  failedCount: number;
  lastFailedWal: string | null;
  lastFailedAt: number | null;
  /** archive_mode setting. */
  mode: string;
}

export interface PgReplication {
  inRecovery: boolean;
  replicas: PgReplica[];
  slots: PgSlot[];
  archiver: PgArchiver | null;
  /** On a replica: how far replay is behind, ms. */
  replayDelayMs: number | null;
}

export type AdviceSeverity = 'ok' | 'info' | 'warning';

/** Settings the advice may suggest changing; applying one is a confirmed, audited step. */
export const ADVISED_SETTINGS = [
  'shared_buffers',
  'effective_cache_size',
  'work_mem',
  'max_connections',
  'autovacuum',
] as const;
export type AdvisedSetting = (typeof ADVISED_SETTINGS)[number];

export interface AdviceItem {
  setting: AdvisedSetting;
  current: string;
  suggested: string;
  severity: AdviceSeverity;
  why: string;
  /** The exact statement applying the suggestion (ALTER SYSTEM ...), or null when ok. */
  sql: string | null;
  /** Whether the change needs a restart (postmaster context). */
  restart: boolean;
}

export interface HostFacts {
  memoryBytes: number | null;
  cores: number | null;
  /** Where the facts came from: the SSH host, or unknown when none is linked. */
  source: 'ssh' | 'unknown';
}

export interface PgHealth {
  targetId: string;
  t: number;
  serverVersionNum: number;
  major: number;
  activity: PgActivity;
  statements: StatementsState;
  tables: PgTable[];
  indexes: PgIndex[];
  unusedIndexes: PgIndex[];
  duplicateIndexes: DuplicateIndexes[];
  indexCandidates: IndexCandidate[];
  invalidIndexes: PgIndex[];
  replication: PgReplication;
  host: HostFacts;
  advice: AdviceItem[];
  /** Sections that could not be read (e.g. a view needing more privilege), with why. */
  problems: string[];
  durationMs: number;
}

// ---------------------------------------------------------------------------------------
// Maintenance

export const MAINTENANCE_ACTIONS = ['vacuum', 'analyze', 'reindex', 'drop-invalid-index'] as const;
export type MaintenanceAction = (typeof MAINTENANCE_ACTIONS)[number];

export type MaintenanceScope =
  | { kind: 'database' }
  | { kind: 'table'; schema: string; name: string }
  | { kind: 'index'; schema: string; name: string };

export interface MaintenanceOptions {
  full?: boolean;
  freeze?: boolean;
  analyze?: boolean;
  concurrently?: boolean;
}

export type LockMode = 'SHARE UPDATE EXCLUSIVE' | 'SHARE' | 'ACCESS EXCLUSIVE';

export type PlanCheckStatus = 'ok' | 'warning' | 'blocking' | 'unknown';

export interface PlanCheck {
  name: 'disk' | 'long-transactions' | 'replication-lag' | 'locks' | 'version';
  status: PlanCheckStatus;
  message: string;
}

export interface MaintenancePlan {
  token: string;
  targetId: string;
  targetName: string;
  action: MaintenanceAction;
  scope: MaintenanceScope;
  options: MaintenanceOptions;
  /** The exact statements, in order. */
  sql: string[];
  lock: LockMode;
  /** Bytes of the relation(s) a rewrite copies; null when nothing is rewritten. */
  rewriteBytes: number | null;
  freeDiskBytes: number | null;
  checks: PlanCheck[];
  /** Some check is blocking: running needs override: true. */
  blocked: boolean;
  /** ACCESS EXCLUSIVE work: running needs the target's name typed. */
  requiresTypedName: boolean;
  createdAt: number;
  expiresAt: number;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RelationFigures {
  bytes: number;
  deadTuples: number;
}

export interface MaintenanceProgress {
  runId: string;
  targetId: string;
  /** The pg_stat_progress_* view read, or null when none applies. */
  view: string | null;
  phase: string | null;
  /** 0-100, or null when the phase has no measure. */
  percent: number | null;
  t: number;
}

export interface MaintenanceRun {
  id: string;
  targetId: string;
  scheduleId: string | null;
  action: MaintenanceAction;
  scope: MaintenanceScope;
  options: MaintenanceOptions;
  sql: string[];
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
  before: RelationFigures | null;
  after: RelationFigures | null;
  lastProgress: MaintenanceProgress | null;
  /** INVALID indexes left by a concurrent reindex, found after the run. */
  leftovers: string[];
  operator: string;
}

export interface MaintenanceSchedule {
  id: string;
  targetId: string;
  action: MaintenanceAction;
  scope: MaintenanceScope;
  options: MaintenanceOptions;
  cron: string;
  /** Window in the workstation's local time, "HH:MM"; a run starts only inside it. */
  windowStart: string;
  windowEnd: string;
  enabled: boolean;
  nextRunAt: number | null;
  lastRunId: string | null;
  createdAt: number;
}

// ---------------------------------------------------------------------------------------
// Backups

export type BackupMode = 'host' | 'local';
export type BackupStatus = 'running' | 'succeeded' | 'failed';

export interface BackupTableRow {
  schema: string;
  name: string;
  /** pg_class.reltuples at dump time (-1 or 0: never analysed). */
  rowEstimate: number;
  /** count(*) in the snapshot pg_dump used, for tables small enough to count; else null. */
  exactRows: number | null;
}

export interface Backup {
  id: string;
  targetId: string;
  mode: BackupMode;
  /** Path on the SSH host (mode host) or on the workstation (mode local). */
  path: string;
  status: BackupStatus;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  sizeBytes: number | null;
  sha256: string | null;
  tocEntries: number | null;
  serverVersionNum: number | null;
  pgDumpVersion: string | null;
  tables: BackupTableRow[];
  error: string | null;
  /** Latest verification, if any. */
  verification: Verification | null;
  deletedAt: number | null;
}

export interface TableCountCheck {
  schema: string;
  name: string;
  expected: number;
  restored: number;
  ok: boolean;
}

export interface Verification {
  id: string;
  backupId: string;
  t: number;
  ok: boolean;
  checksumOk: boolean | null;
  listOk: boolean | null;
  restoreOk: boolean | null;
  scratchDatabase: string | null;
  restoreMs: number | null;
  tables: TableCountCheck[];
  /** Why it failed, in words; null when ok. */
  reason: string | null;
}

export interface Preflight {
  ok: boolean;
  serverVersionNum: number;
  serverMajor: number;
  pgDumpVersion: string | null;
  pgDumpMajor: number | null;
  message: string;
}

export interface RetentionPolicy {
  targetId: string;
  keepLast: number;
  dailyDays: number;
  weeklyWeeks: number;
  rpoHours: number;
  rtoHours: number;
}

export interface RetentionResult {
  kept: string[];
  deleted: string[];
  /** Expired but kept because no newer verified backup exists. */
  heldBack: string[];
  message: string;
}

export interface ObjectiveStatus {
  targetId: string;
  targetName: string;
  rpoHours: number | null;
  rtoHours: number | null;
  newestVerifiedAt: number | null;
  newestVerifiedAgeMs: number | null;
  lastRestoreMs: number | null;
  rpoOk: boolean | null;
  rtoOk: boolean | null;
}

export interface RedisPersistence {
  targetId: string;
  lastSaveAt: number | null;
  lastBgsaveStatus: string | null;
  bgsaveInProgress: boolean;
  changesSinceSave: number | null;
  aofEnabled: boolean;
  aofRewriteInProgress: boolean;
  aofLastWriteStatus: string | null;
  aofLastRewriteStatus: string | null;
}

// ---------------------------------------------------------------------------------------
// Redis health

export interface RedisMemory {
  usedBytes: number;
  rssBytes: number | null;
  peakBytes: number | null;
  maxmemoryBytes: number;
  policy: string;
  fragmentationRatio: number | null;
  /** MEMORY STATS parts, name -> bytes (overhead, dataset, clients, replication, ...). */
  breakdown: Record<string, number>;
}

export interface RedisSlowEntry {
  id: number;
  t: number;
  micros: number;
  command: string[];
  client: string | null;
}

export interface RedisLatencyEvent {
  event: string;
  latestAt: number;
  latestMs: number;
  maxMs: number;
  history: { t: number; ms: number }[];
}

export interface RedisClient {
  id: string;
  addr: string;
  name: string;
  ageS: number;
  idleS: number;
  db: number;
  cmd: string;
  flags: string;
}

export interface RedisHealth {
  targetId: string;
  t: number;
  version: string;
  role: string;
  memory: RedisMemory;
  hits: number;
  misses: number;
  /** hits / (hits + misses), null with no lookups. */
  hitRate: number | null;
  slowlog: RedisSlowEntry[];
  latencyThresholdMs: number;
  latency: RedisLatencyEvent[];
  clients: RedisClient[];
  keyspace: Record<string, number>;
  warnings: string[];
}

export interface RedisBigKey {
  key: string;
  type: string;
  bytes: number;
}

export interface RedisPrefix {
  prefix: string;
  keys: number;
  bytes: number;
}

export interface RedisScanResult {
  targetId: string;
  scanned: number;
  complete: boolean;
  durationMs: number;
  bigKeys: RedisBigKey[];
  prefixes: RedisPrefix[];
  /** Slowest server-side command seen in the slow log during the scan, µs (or null). */
  slowestMicros: number | null;
}

// ---------------------------------------------------------------------------------------
// Argument schemas

const byTarget = z.object({ targetId: id }).strict();
/** A PostgreSQL identifier as stored in the catalogue (any bytes but NUL, at most 63). */
const pgIdent = z
  .string()
  .min(1)
  .max(63)
  .refine((s) => !s.includes('\0'), 'an identifier holds no NUL');

export const maintenanceScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('database') }).strict(),
  z.object({ kind: z.literal('table'), schema: pgIdent, name: pgIdent }).strict(),
  z.object({ kind: z.literal('index'), schema: pgIdent, name: pgIdent }).strict(),
]);

export const maintenanceOptionsSchema = z
  .object({
    full: z.boolean().optional(),
    freeze: z.boolean().optional(),
    analyze: z.boolean().optional(),
    concurrently: z.boolean().optional(),
  })
  .strict();

export const maintenanceRequestSchema = z
  .object({
    targetId: id,
    action: z.enum(MAINTENANCE_ACTIONS),
    scope: maintenanceScopeSchema,
    options: maintenanceOptionsSchema.default({}),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM');

export const scheduleSchema = z
  .object({
    id: id.optional(),
    targetId: id,
    action: z.enum(MAINTENANCE_ACTIONS),
    scope: maintenanceScopeSchema,
    options: maintenanceOptionsSchema.default({}),
    cron: z.string().min(9).max(100),
    windowStart: hhmm,
    windowEnd: hhmm,
    enabled: z.boolean().default(true),
    /** The target's name, typed: needed when the work takes an ACCESS EXCLUSIVE lock. */
    typedName: z.string().max(200).optional(),
  })
  .strict();

/** A folder on the host or workstation: absolute, no NUL or newline. */
const folder = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\//, 'an absolute path')
  .refine((s) => !/[\0\n\r]/.test(s), 'a path holds no NUL or newline');

export const policySchema = z
  .object({
    targetId: id,
    keepLast: z.number().int().min(1).max(1000),
    dailyDays: z.number().int().min(0).max(3650),
    weeklyWeeks: z.number().int().min(0).max(520),
    rpoHours: z
      .number()
      .min(0.1)
      .max(24 * 365),
    rtoHours: z
      .number()
      .min(0.1)
      .max(24 * 365),
  })
  .strict();

export const careMethods = {
  carePgHealth: method<PgHealth>()(byTarget),
  careSignalBackend: method<{ signalled: boolean; message: string }>()(
    z
      .object({
        targetId: id,
        pid: z
          .number()
          .int()
          .min(1)
          .max(2 ** 31 - 1),
        action: z.enum(['cancel', 'terminate']),
        confirm: z.literal(true),
      })
      .strict(),
  ),
  careApplySetting: method<{ applied: boolean; message: string }>()(
    z
      .object({
        targetId: id,
        setting: z.enum(ADVISED_SETTINGS),
        value: z
          .string()
          .min(1)
          .max(32)
          .regex(/^[A-Za-z0-9.]+$/, 'a setting value is letters, digits and dots'),
        confirm: z.literal(true),
      })
      .strict(),
  ),
  carePlanMaintenance: method<MaintenancePlan>()(maintenanceRequestSchema),
  careRunMaintenance: method<MaintenanceRun>()(
    z
      .object({
        token: z.string().regex(/^[a-f0-9]{32}$/, 'a plan token'),
        override: z.boolean().default(false),
        typedName: z.string().max(200).optional(),
      })
      .strict(),
  ),
  careCancelMaintenance: method<{ cancelled: boolean }>()(z.object({ runId: id }).strict()),
  careListRuns: method<MaintenanceRun[]>()(
    z.object({ targetId: id, limit: z.number().int().min(1).max(500).default(50) }).strict(),
  ),
  careGetRun: method<MaintenanceRun>()(z.object({ runId: id }).strict()),
  careListSchedules: method<MaintenanceSchedule[]>()(byTarget),
  careSaveSchedule: method<MaintenanceSchedule>()(scheduleSchema),
  careDeleteSchedule: method<{ deleted: boolean }>()(z.object({ id }).strict()),
  careBackupPreflight: method<Preflight>()(
    z.object({ targetId: id, mode: z.enum(['host', 'local']) }).strict(),
  ),
  careStartBackup: method<Backup>()(
    z
      .object({
        targetId: id,
        mode: z.enum(['host', 'local']),
        /** Required for mode host; mode local defaults to the data folder's backups/. */
        folder: folder.optional(),
        confirm: z.literal(true),
      })
      .strict(),
  ),
  careListBackups: method<Backup[]>()(byTarget),
  careVerifyBackup: method<Verification>()(
    z
      .object({
        backupId: id,
        /** The PostgreSQL target whose server takes the test restore (default: the source). */
        restoreTargetId: id.optional(),
        exactCounts: z.boolean().default(true),
      })
      .strict(),
  ),
  careGetPolicy: method<RetentionPolicy | null>()(byTarget),
  careSavePolicy: method<RetentionPolicy>()(policySchema),
  careRunRetention: method<RetentionResult>()(
    z.object({ targetId: id, confirm: z.literal(true) }).strict(),
  ),
  careObjectives: method<ObjectiveStatus[]>()(z.object({}).strict()),
  careRedisHealth: method<RedisHealth>()(byTarget),
  careRedisScan: method<RedisScanResult>()(
    z
      .object({
        targetId: id,
        maxKeys: z.number().int().min(100).max(10_000_000).default(100_000),
        /** SCAN COUNT hint per call. */
        count: z.number().int().min(10).max(1000).default(200),
        /** Upper bound on keys looked at per second. */
        keysPerSecond: z.number().int().min(100).max(1_000_000).default(50_000),
        top: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
  ),
  careRedisPersistence: method<RedisPersistence>()(byTarget),
  careRedisBgsave: method<RedisPersistence>()(
    z.object({ targetId: id, confirm: z.literal(true) }).strict(),
  ),
};

export type CareMethodName = keyof typeof careMethods;
