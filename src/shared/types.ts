// Domain types shared by main and renderer. No node imports here: the renderer compiles this.

export type TargetKind = 'local' | 'ssh' | 'postgres' | 'redis';

/** Algorithms an operator allowed for one old host only (never globally). */
export interface LegacyAlgorithms {
  kex?: string[];
  serverHostKey?: string[];
  cipher?: string[];
  hmac?: string[];
}

export interface LocalTargetConfig {
  kind: 'local';
}

export type SshAuth = 'key' | 'agent' | 'password';

export interface SshTargetConfig {
  kind: 'ssh';
  host: string;
  port: number;
  user: string;
  auth: SshAuth;
  /** Private key path on the workstation, for auth 'key'. */
  keyPath?: string;
  /** Hops in order, each "user@host:port"; the last hop connects to host. */
  proxyJump?: string[];
  legacyAlgorithms?: LegacyAlgorithms;
}

export interface PostgresTargetConfig {
  kind: 'postgres';
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: 'disable' | 'prefer' | 'require' | 'verify-full';
  /** Reach the server through this SSH target's connection (forwardOut). */
  viaTargetId?: string;
}

export interface RedisTargetConfig {
  kind: 'redis';
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  db: number;
  viaTargetId?: string;
}

export type TargetConfig =
  LocalTargetConfig | SshTargetConfig | PostgresTargetConfig | RedisTargetConfig;

export interface Target {
  id: string;
  name: string;
  group: string;
  intervalMs: number;
  enabled: boolean;
  config: TargetConfig;
  /** True when a password or passphrase is stored (encrypted) for this target. */
  hasSecret: boolean;
  createdAt: number;
}

export type TargetHealth = 'ok' | 'degraded' | 'unreachable' | 'pending' | 'disabled';

export interface TargetStatus {
  targetId: string;
  health: TargetHealth;
  /** Plain words: what happened, to which target, what to do. */
  lastError: string | null;
  /** Since when the target has been in this health state (ms since epoch). */
  since: number;
  lastSampleAt: number | null;
  /** Duration of the last collection round, ms. */
  lastDurationMs: number | null;
  /** Metrics that failed in the last round, with reasons. */
  metricErrors: MetricError[];
  /** A host key waiting for the operator's decision, if any. */
  hostKey: HostKeyPrompt | null;
}

export interface HostKeyPrompt {
  targetId: string;
  host: string;
  port: number;
  keyType: string;
  /** "SHA256:..." as OpenSSH prints it. */
  fingerprint: string;
  /** Set when a known key changed: the stored fingerprint. A changed key is refused. */
  knownFingerprint: string | null;
}

/** One value of one series. null means "no value" (a gap), never zero. */
export interface MetricPoint {
  metric: string;
  labels?: Record<string, string>;
  value: number | null;
}

export interface MetricError {
  metric: string;
  reason: string;
}

export interface Sample {
  targetId: string;
  t: number;
  points: MetricPoint[];
  errors: MetricError[];
}

/** Identifies a series inside one target. */
export interface SeriesRef {
  metric: string;
  labels?: Record<string, string>;
}

export type Resolution = 'raw' | '1m' | '1h';

export interface SeriesQuery {
  targetId: string;
  series: SeriesRef[];
  from: number;
  to: number;
  /** Chart width in pixels: the answer carries at most about twice as many points. */
  width: number;
}

/** A chart series: parallel arrays. For rollups, min and max bound each point. */
export interface SeriesData {
  metric: string;
  labels: Record<string, string>;
  resolution: Resolution;
  t: number[];
  v: (number | null)[];
  min?: (number | null)[];
  max?: (number | null)[];
}

export interface FleetEntry {
  target: Target;
  status: TargetStatus;
  /** Latest value of the target's key figures by metric key (see metrics.ts). */
  figures: Record<string, number | null>;
  /** Last 30 minutes of the target's headline metric. */
  sparkline: { t: number[]; v: (number | null)[] };
}

/** Current-state tables that are not series (PG sessions, replicas, Redis roles …). */
export interface Snapshot {
  targetId: string;
  t: number;
  kind: TargetKind;
  data: Record<string, unknown>;
}

export interface RetentionSettings {
  rawHours: number;
  oneMinuteDays: number;
  oneHourDays: number;
}

export interface Settings {
  hostIntervalMs: number;
  databaseIntervalMs: number;
  retention: RetentionSettings;
}

export interface SshConfigCandidate {
  alias: string;
  host: string;
  port: number;
  user: string;
  keyPath?: string;
  proxyJump?: string[];
}

export interface TestResult {
  ok: boolean;
  message: string;
  durationMs: number;
  hostKey: HostKeyPrompt | null;
}

export interface AuditEntry {
  id: number;
  t: number;
  operator: string;
  targetId: string | null;
  action: string;
  detail: string;
  result: string;
}
