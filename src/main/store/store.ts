// The Store: one SQLite file holding inventory, metric series with rollups, and the
// audit log. Everything it returns is JSON-safe (no NaN or Infinity).
import type {
  AuditEntry,
  MetricPoint,
  SeriesData,
  SeriesQuery,
  SeriesRef,
  Settings,
  Snapshot,
  Target,
  TargetKind,
  TargetStatus,
} from '../../shared/types';
import { ValidationError } from '../errors';
import { createLogger } from '../log';
import { AlertTables } from './alerts';
import { CareTables } from './care';
import { ChecklistTables } from './checklists';
import { HandoverTables } from './handovers';
import { AuditLog, type AuditInput, type AuditVerification } from './audit';
import { AvailabilityTables } from './availability';
import { ChunkStore } from './chunks';
import { type Db, fileBytes, openDatabase, type OpenOptions } from './db';
import { Inventory } from './inventory';
import { migrate, schemaVersion } from './migrations';
import { Queries } from './query';
import { ReportTables } from './reports';
import { applyRetention, type RetentionReport, retentionCutoffs } from './retention';
import { type RollupPoints, Rollups } from './rollup';
import { RunbookTables } from './runbooks';
import { normalizeValue, rawSampleTime, SeriesRegistry } from './series';

const log = createLogger('store');
const SLOW_QUERY_MS = 100;
/** Availability rows are kept this long: a yearly look back plus a month. */
export const AVAILABILITY_KEEP_MS = 400 * 24 * 3_600_000;

export interface LatestValue {
  t: number;
  v: number | null;
}

export interface MaintainReport extends RetentionReport {
  /** Rollup points written per resolution. */
  rolledUp: { '1m': number; '1h': number };
}

export class Store {
  /** Alerting: rules, alerts, silences, channels, deliveries. */
  readonly alerting: AlertTables;
  /** Runbook runs and incidents. */
  readonly runbooks: RunbookTables;
  /** Database care: maintenance runs, schedules, backups, verifications, policies. */
  readonly care: CareTables;
  /** Checklist runs; reports read them with `checklists.listRuns({ from, to })`. */
  readonly checklists: ChecklistTables;
  /** Shift handovers: drafts, handed over, acknowledged. */
  readonly handovers: HandoverTables;
  /** Collection rounds per target and hour, and outage stretches. */
  readonly availability: AvailabilityTables;
  /** Stored report snapshots and report settings. */
  readonly reports: ReportTables;
  private readonly inventory: Inventory;
  private readonly audit: AuditLog;
  private readonly series: SeriesRegistry;
  private readonly chunks: ChunkStore;
  private readonly rollups: Rollups;
  private readonly queries: Queries;
  /** Targets deleted in this session: late samples or statuses for them are dropped. */
  private readonly deleted = new Set<string>();
  private readonly one: (number | null)[] = [null];
  private dropped = 0;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly db: Db,
  ) {
    this.inventory = new Inventory(db);
    this.alerting = new AlertTables(db);
    this.runbooks = new RunbookTables(db);
    this.care = new CareTables(db);
    this.checklists = new ChecklistTables(db);
    this.handovers = new HandoverTables(db);
    this.availability = new AvailabilityTables(db);
    this.reports = new ReportTables(db);
    this.audit = new AuditLog(db);
    this.series = new SeriesRegistry(db);
    this.chunks = new ChunkStore(db);
    this.rollups = new Rollups(db, this.chunks);
    this.queries = new Queries(this.series, this.chunks, this.rollups);
  }

  /** Opens (creating and migrating as needed); throws SchemaTooNew for a newer file. */
  static open(file: string, opts: OpenOptions = {}): Store {
    const db = openDatabase(file, opts);
    try {
      migrate(db, file);
      const store = new Store(file, db);
      log.info('store opened', { file, schema: store.schemaVersion });
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** Flushes buffered samples and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.db.close();
    this.closed = true;
  }

  // Inventory

  listTargets(): Target[] {
    return this.inventory.listTargets();
  }

  getTarget(id: string): Target | null {
    return this.inventory.getTarget(id);
  }

  saveTarget(t: Target): Target {
    this.deleted.delete(t.id);
    return this.inventory.saveTarget(t);
  }

  /** Removes the target with its series, chunks, secret, snapshot and status. */
  deleteTarget(id: string): boolean {
    const existed = this.inTransaction(() => {
      const seriesRows = this.db.prepare('DELETE FROM series WHERE target_id = ?').run(id).changes;
      return this.inventory.deleteTarget(id) || seriesRows > 0;
    });
    const gone = this.series.forgetTarget(id);
    this.chunks.forget(gone.map((s) => s.id));
    this.deleted.add(id);
    if (existed) log.info('target deleted with its history', { targetId: id, series: gone.length });
    return existed;
  }

  getSettings(): Settings {
    return this.inventory.getSettings();
  }

  saveSettings(s: Settings): Settings {
    return this.inventory.saveSettings(s);
  }

  /** Keeps an already-encrypted blob for a target; null removes it. */
  setSecret(targetId: string, blob: Uint8Array | null): void {
    this.inventory.setSecret(targetId, blob);
  }

  getSecret(targetId: string): Buffer | null {
    return this.inventory.getSecret(targetId);
  }

  saveSnapshot(targetId: string, t: number, kind: TargetKind, data: Record<string, unknown>): void {
    if (this.deleted.has(targetId)) return;
    this.inventory.saveSnapshot(targetId, t, kind, data);
  }

  getSnapshot(targetId: string): Snapshot | null {
    return this.inventory.getSnapshot(targetId);
  }

  saveStatus(s: TargetStatus): void {
    if (this.deleted.has(s.targetId)) return;
    this.inventory.saveStatus(s);
  }

  listStatuses(): TargetStatus[] {
    return this.inventory.listStatuses();
  }

  // Audit

  appendAudit(e: AuditInput): AuditEntry {
    return this.audit.append(e);
  }

  /** Newest first. */
  listAudit(limit: number): AuditEntry[] {
    return this.audit.list(limit);
  }

  verifyAudit(): AuditVerification {
    return this.audit.verify();
  }

  // Series

  /**
   * Buffers one collection round in memory (null and non-finite values are gaps). Returns
   * how many points were kept; a point not later than its series' last one is dropped.
   */
  append(targetId: string, t: number, points: readonly MetricPoint[]): number {
    if (this.deleted.has(targetId)) return 0;
    if (!Number.isFinite(t) || t < 0) {
      throw new ValidationError(
        `A sample of target ${targetId} has no valid time; it was not stored.`,
      );
    }
    let kept = 0;
    for (const p of points) if (this.appendPoint(targetId, t, p)) kept++;
    this.dropped += points.length - kept;
    return kept;
  }

  /** Writes everything buffered in one transaction; returns the series written. */
  flush(): number {
    if (this.chunks.dirtyCount === 0) return 0;
    const n = this.inTransaction(() => this.chunks.flush());
    if (this.dropped > 0) log.debug('samples dropped as out of order', { count: this.dropped });
    this.dropped = 0;
    return n;
  }

  /** Rolls up completed buckets and applies retention; call about once a minute. */
  maintain(now: number): MaintainReport {
    const retention = this.getSettings().retention;
    const started = performance.now();
    const report = this.inTransaction((): MaintainReport => {
      const rolledUp = this.rollups.rollUp(now);
      this.rollups.saveWatermarks();
      const cut = retentionCutoffs(now, retention, {
        '1m': this.rollups.watermark('1m'),
        '1h': this.rollups.watermark('1h'),
      });
      this.availability.prune(now - AVAILABILITY_KEEP_MS);
      return { rolledUp, ...applyRetention(this.db, this.chunks, this.series, cut) };
    });
    log.debug('maintained', { ...report, ms: Math.round(performance.now() - started) });
    return report;
  }

  query(q: SeriesQuery): SeriesData[] {
    checkQuery(q);
    const started = performance.now();
    const out = this.queries.run(q, this.intervalFor(q.targetId));
    const ms = performance.now() - started;
    if (ms > SLOW_QUERY_MS) log.debug('slow query', { targetId: q.targetId, ms: Math.round(ms) });
    return out;
  }

  listSeries(targetId: string): SeriesRef[] {
    return this.series
      .list(targetId)
      .map((s) =>
        Object.keys(s.labels).length > 0
          ? { metric: s.metric, labels: { ...s.labels } }
          : { metric: s.metric },
      );
  }

  /** Last sample per series key of a target (for fleet figures). */
  latest(targetId: string): Map<string, LatestValue> {
    const out = new Map<string, LatestValue>();
    for (const s of this.series.list(targetId)) {
      const last = this.chunks.last(s.id, 'raw');
      if (!last) continue;
      const v = last.values[0];
      out.set(s.key, { t: last.t, v: typeof v === 'number' && Number.isFinite(v) ? v : null });
    }
    return out;
  }

  /** A small chart of one metric (the unlabelled series, else the first), at most `points`. */
  sparkline(
    targetId: string,
    metric: string,
    from: number,
    to: number,
    points: number,
  ): { t: number[]; v: (number | null)[] } {
    const s =
      this.series.find(targetId, { metric }) ??
      this.series.list(targetId).find((x) => x.metric === metric);
    if (!s || !(to > from)) return { t: [], v: [] };
    const width = Math.max(1, Math.floor(points / 2));
    const [d] = this.queries.run(
      { targetId, series: [{ metric, labels: s.labels }], from, to, width },
      this.intervalFor(targetId),
    );
    return { t: d.t, v: d.v };
  }

  /** Hourly rollups of every series of a metric of a target, buckets starting in [from, to). */
  hourly(
    targetId: string,
    metric: string,
    from: number,
    to: number,
  ): { labels: Record<string, string>; points: RollupPoints }[] {
    if (!(to > from)) return [];
    return this.series
      .list(targetId)
      .filter((s) => s.metric === metric)
      .map((s) => ({
        labels: { ...s.labels },
        points: this.rollups.read(s.id, '1h', from, to - 1),
      }));
  }

  /** Bytes the file takes on disk after folding in the WAL (page_count * page_size). */
  sizeOnDisk(): number {
    return fileBytes(this.db);
  }

  /** Rewrites the file compactly; slow on big files, for maintenance and benchmarks. */
  vacuum(): void {
    this.flush();
    this.db.exec('VACUUM');
  }

  /** Runs fn in a transaction; on failure memory falls back to what the file holds. */
  private inTransaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      log.error('store write failed; unflushed samples dropped', { file: this.file, error: err });
      this.chunks.reset();
      this.rollups.reload();
      throw err;
    }
  }

  private appendPoint(targetId: string, t: number, p: MetricPoint): boolean {
    if (typeof p.metric !== 'string' || p.metric === '') return false;
    const s = this.series.ensure(targetId, p.metric, p.labels);
    const at = rawSampleTime(t, this.chunks.lastTime(s.id, 'raw'), s.lastRawT);
    if (at === null) return false;
    s.lastRawT = t;
    this.one[0] = normalizeValue(p.value);
    return this.chunks.append(s.id, 'raw', at, this.one);
  }

  /** How often a target is sampled: its own interval, else the default for its kind. */
  private intervalFor(targetId: string): number {
    const target = this.inventory.getTarget(targetId);
    if (target) return target.intervalMs;
    return this.getSettings().hostIntervalMs;
  }
}

function checkQuery(q: SeriesQuery): void {
  const ok =
    Number.isFinite(q.from) && Number.isFinite(q.to) && q.from < q.to && Number.isFinite(q.width);
  if (!ok || q.width < 1) {
    throw new ValidationError(
      `The chart query for target ${q.targetId} needs from < to and a width of at least 1.`,
    );
  }
}
