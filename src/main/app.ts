// Opsdeck's main-process core, the same for the desktop app and browser mode: the store,
// the connections, the collection loops and the API implementation on top of them.
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { AppInfo } from '../shared/api';
import type { MetricPoint, Sample, Target, TargetStatus } from '../shared/types';
import { AlertService, TICK_MS } from './alerts/service';
import type { DesktopNotifier } from './alerts/notify';
import { createApi } from './api';
import { AvailabilityRecorder } from './reports/availability';
import { chromiumPrinter, type PdfPrinter } from './reports/pdf';
import { Reports } from './reports/service';
import { ChecklistService } from './checklists/service';
import { ApiEventBus, type ApiImpl } from './dispatch';
import { createLogger } from './log';
import { HandoverService } from './handover/service';
import { ESCALATION_TICK_MS, Runbooks } from './runbooks';
import { Collection } from './monitor/collection';
import { Connections } from './monitor/connections';
import { Scheduler, type RoundResult } from './monitor/scheduler';
import { ensureDataDir, sqliteBinding } from './paths';
import { KeyFileSecretBox } from './secrets/keyfile';
import type { SecretBox } from './secrets/types';
import { Store } from './store';
import { KnownHosts } from './targets/known-hosts';
import type { SshAuditEvent } from './targets/ssh';

const log = createLogger('app');
// Queries read unflushed samples from memory; a flush rewrites each open chunk, so it runs
// rarely enough to spare the disk. A crash loses at most this much history.
const FLUSH_MS = 30_000;
const MAINTAIN_MS = 60_000;

export interface AppOptions {
  dataDir: string;
  /** The folder holding package.json and native/. */
  appRoot: string;
  transport: AppInfo['transport'];
  /** Defaults to the key-file backend in the data folder. */
  secrets?: SecretBox;
  /** Host key fingerprints accepted in advance (--accept-host-key). */
  acceptHostKeys?: string[];
  /** Start the collection loops (tests of the API alone may not want them). */
  collect?: boolean;
  /** Shows a desktop notification (Electron's Notification); browser mode has none. */
  desktopNotifier?: DesktopNotifier;
  /** Prints a report's HTML to PDF (Electron's printToPDF); headless Chromium otherwise. */
  printToPdf?: PdfPrinter;
}

function readVersion(appRoot: string): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

export class OpsdeckApp {
  readonly events = new ApiEventBus();
  readonly store: Store;
  readonly connections: Connections;
  readonly collection: Collection;
  readonly scheduler: Scheduler;
  readonly knownHosts: KnownHosts;
  readonly secrets: SecretBox;
  readonly api: ApiImpl;
  readonly alerts: AlertService;
  readonly runbooks: Runbooks;
  private readonly availability: AvailabilityRecorder;
  readonly reports: Reports;
  readonly checklists: ChecklistService;
  readonly handovers: HandoverService;
  readonly operator = userInfo().username;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(readonly opts: AppOptions) {
    ensureDataDir(opts.dataDir);
    const file = join(opts.dataDir, 'opsdeck.sqlite');
    const fresh = !existsSync(file);
    this.store = Store.open(file, { nativeBinding: sqliteBinding(opts.appRoot) });
    this.availability = new AvailabilityRecorder(this.store.availability);
    this.secrets = opts.secrets ?? new KeyFileSecretBox(opts.dataDir);
    this.knownHosts = new KnownHosts(join(opts.dataDir, 'known_hosts'));
    this.connections = new Connections({
      store: this.store,
      secrets: this.secrets,
      knownHosts: this.knownHosts,
      acceptFingerprints: opts.acceptHostKeys ?? [],
      onAudit: (targetId, e) => this.auditHostKey(targetId, e),
      onReady: (targetId) => this.kickWithDependants(targetId),
    });
    this.collection = new Collection(this.connections);
    this.scheduler = new Scheduler(
      {
        collect: (t, now) => this.collection.collect(t, now),
        onRound: (t, at, r) => this.onRound(t, at, r),
        onStatus: (s) => {
          this.recordAvailability(s);
          this.store.saveStatus(s);
          this.events.emit('status', s);
        },
      },
      this.store.listStatuses(),
    );
    if (fresh && this.store.listTargets().length === 0) this.seedWorkstation();
    this.alerts = new AlertService({
      store: this.store,
      events: this.events,
      secrets: this.secrets,
      operator: this.operator,
      desktop: opts.desktopNotifier ?? null,
      audit: (targetId, action, detail) => this.audit(targetId, action, detail, 'ok'),
    });
    this.runbooks = new Runbooks({
      store: this.store,
      connections: this.connections,
      events: this.events,
      operator: this.operator,
      audit: (targetId, action, detail, result) => this.audit(targetId, action, detail, result),
      appRoot: opts.appRoot,
      desktop: opts.desktopNotifier ?? null,
      channels: {
        list: () => this.store.alerting.listChannels(),
        deliver: (ch, m, record) => this.alerts.notifier.deliverMessage(ch, m, record),
      },
    });
    this.handovers = new HandoverService({
      store: this.store,
      operator: this.operator,
      audit: (action, detail) => this.audit(null, action, detail, 'ok'),
      printPdf: opts.printToPdf ?? chromiumPrinter(),
    });
    this.checklists = new ChecklistService({
      store: this.store,
      operator: this.operator,
      appRoot: opts.appRoot,
      statuses: () => this.store.listTargets().flatMap((t) => this.scheduler.status(t.id) ?? []),
      audit: (action, detail) => this.audit(null, action, detail, 'ok'),
    });
    this.reports = new Reports({
      store: this.store,
      printPdf: opts.printToPdf ?? chromiumPrinter(),
    });
    this.api = createApi(this, {
      version: readVersion(opts.appRoot),
      dataDir: opts.dataDir,
      transport: opts.transport,
      startedAt: Date.now(),
      secretBackend: this.secrets.backend,
    });
  }

  /** Starts collection and the store's housekeeping. */
  start(): this {
    if (this.opts.collect !== false) {
      for (const t of this.store.listTargets()) this.scheduler.upsert(t);
    }
    this.every(FLUSH_MS, () => this.store.flush());
    this.every(MAINTAIN_MS, () => this.store.maintain(Date.now()));
    this.every(TICK_MS, () => this.alerts.tick(Date.now()));
    this.every(ESCALATION_TICK_MS, () => this.runbooks.tick(Date.now()));
    this.reports.start();
    log.info('started', { dataDir: this.opts.dataDir, targets: this.store.listTargets().length });
    return this;
  }

  isStopped(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.forEach((t) => clearInterval(t));
    this.scheduler.stop();
    this.alerts.stop();
    this.runbooks.stop();
    this.reports.stop();
    this.checklists.stop();
    await this.connections.closeAll();
    this.store.flush();
    this.store.close();
    log.info('stopped');
  }

  audit(targetId: string | null, action: string, detail: string, result: string): void {
    this.store.appendAudit({
      t: Date.now(),
      operator: this.operator,
      targetId,
      action,
      detail,
      result,
    });
  }

  private every(ms: number, fn: () => unknown): void {
    const timer = setInterval(() => {
      try {
        fn();
      } catch (err) {
        log.error('housekeeping failed', { error: (err as Error).message });
      }
    }, ms);
    timer.unref?.();
    this.timers.push(timer);
  }

  private onRound(target: Target, t: number, round: RoundResult): void {
    const r = this.withRoundExtras(target, t, round);
    this.store.append(target.id, t, r.points);
    if (r.snapshot) this.store.saveSnapshot(target.id, t, target.config.kind, r.snapshot);
    const sample: Sample = { targetId: target.id, t, points: r.points, errors: r.errors };
    this.events.emit('sample', sample);
    this.alerts.onRound(target, t, r.points);
  }

  /** Counts the round a status ends for availability; never fails the round itself. */
  private recordAvailability(s: TargetStatus): void {
    const target = this.store.getTarget(s.targetId);
    if (!target) return;
    try {
      this.availability.record(s, target.intervalMs, Date.now());
    } catch (err) {
      log.error('availability not recorded', { targetId: s.targetId, error: err });
    }
  }

  /** Figures a feature adds to each round from its own records (e.g. backup age). */
  readonly roundExtras: ((target: Target, t: number) => MetricPoint[])[] = [];

  private withRoundExtras(target: Target, t: number, r: RoundResult): RoundResult {
    if (this.roundExtras.length === 0) return r;
    const extra = this.roundExtras.flatMap((fn) => fn(target, t));
    return extra.length ? { ...r, points: [...r.points, ...extra] } : r;
  }

  /** Collects now from a target and from every target tunnelled through it. */
  kickWithDependants(targetId: string): void {
    this.scheduler.kick(targetId);
    for (const t of this.store.listTargets()) {
      if ('viaTargetId' in t.config && t.config.viaTargetId === targetId) this.scheduler.kick(t.id);
    }
  }

  /** Refusals already audited: a changed key is refused on every retry, audited once. */
  private readonly refusedKeys = new Set<string>();

  private auditHostKey(targetId: string, e: SshAuditEvent): void {
    if (e.action === 'host-key-changed') {
      const key = `${targetId} ${e.host}:${e.port} ${e.fingerprint}`;
      if (this.refusedKeys.has(key)) return;
      this.refusedKeys.add(key);
    }
    const detail =
      `${e.host}:${e.port} ${e.keyType} ${e.fingerprint}` +
      (e.knownFingerprint ? ` (known: ${e.knownFingerprint})` : '');
    const result =
      e.action === 'host-key-changed' ? 'refused' : `accepted by ${e.by ?? 'operator'}`;
    this.audit(targetId, e.action, detail, result);
  }

  private seedWorkstation(): void {
    const settings = this.store.getSettings();
    this.store.saveTarget({
      id: 'local',
      name: 'This workstation',
      group: '',
      intervalMs: settings.hostIntervalMs,
      enabled: true,
      config: { kind: 'local' },
      hasSecret: false,
      createdAt: Date.now(),
    });
  }
}
