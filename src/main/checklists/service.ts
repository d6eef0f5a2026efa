// Checklists: the library of YAML files, runs recorded in the store, and the facts the
// evaluator reads, gathered from the local store alone (no target needs to answer).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type {
  Checklist,
  ChecklistDoc,
  ChecklistLibrary,
  ChecklistRun,
  ChecklistRunSummary,
  ChecklistSettings,
  ItemResult,
  Tick,
} from '../../shared/checklists';
import type { CapacityForecast } from '../../shared/capacity';
import { seriesKey } from '../../shared/metrics';
import type { TargetStatus } from '../../shared/types';
import { forecastCapacity } from '../capacity';
import { errorMessage, NotFound, ValidationError } from '../errors';
import { createLogger } from '../log';
import type { Store } from '../store';
import { summaryOf } from '../store/checklists';
import { YamlCatalog } from '../yaml-catalog';
import {
  blankResult,
  CHECK_METRICS,
  countOutcomes,
  evaluateItem,
  runOutcome,
  tickResult,
  type BackupFact,
  type ChecklistFacts,
  type FactPoint,
} from './evaluate';
import { parseChecklist } from './yaml';

const log = createLogger('checklists');
const FORECAST_WINDOW_DAYS = 30;
const DEFAULT_SETTINGS: ChecklistSettings = { folder: null };

export interface ChecklistDeps {
  store: Store;
  operator: string;
  appRoot: string;
  /** Live statuses (the scheduler's); the stored ones otherwise. */
  statuses?: () => TargetStatus[];
  audit?: (action: string, detail: string) => void;
  /** Injected clock (tests); Date.now otherwise. */
  now?: () => number;
}

/** Where the shipped checklist files are: the source tree, or beside the built main bundle. */
export function checklistDirs(appRoot: string): string[] {
  return [
    join(appRoot, 'src', 'main', 'checklists', 'builtin'),
    join(appRoot, 'out', 'main', 'checklists'),
    join(__dirname, 'checklists'),
  ];
}

export class ChecklistService {
  readonly catalog: YamlCatalog<ChecklistDoc>;
  private readonly now: () => number;

  constructor(private readonly deps: ChecklistDeps) {
    this.now = deps.now ?? Date.now;
    this.catalog = new YamlCatalog<ChecklistDoc>({
      builtinDirs: checklistDirs(deps.appRoot),
      parse: parseChecklist,
      log,
      what: 'checklist',
    });
    this.catalog.setFolder(this.settings().folder);
  }

  stop(): void {
    this.catalog.close();
  }

  settings(): ChecklistSettings {
    const stored = this.deps.store.checklists.getSettings() as
      Partial<ChecklistSettings> | undefined;
    return { ...DEFAULT_SETTINGS, ...stored };
  }

  saveSettings(s: ChecklistSettings): ChecklistSettings {
    if (s.folder !== null && !s.folder.startsWith('/')) {
      throw new ValidationError(`The checklist folder "${s.folder}" is not an absolute path.`);
    }
    this.deps.store.checklists.setSettings(s);
    this.catalog.setFolder(s.folder);
    this.deps.audit?.('checklist-settings-saved', JSON.stringify(s));
    return s;
  }

  library(): ChecklistLibrary {
    const { docs, problems, folder } = this.catalog.list();
    const last = this.deps.store.checklists.lastRuns();
    const order = { daily: 0, weekly: 1, monthly: 2 };
    const checklists = docs
      .map((checklist: Checklist) => ({ checklist, lastRun: last.get(checklist.id) ?? null }))
      .sort((a, b) => order[a.checklist.period] - order[b.checklist.period]);
    return { checklists, problems, folder };
  }

  get(id: string): ChecklistRun {
    const run = this.deps.store.checklists.getRun(id);
    if (!run) throw new NotFound(`No checklist run with id ${id}; reload the list of runs.`);
    return run;
  }

  list(arg: {
    checklistId?: string;
    from?: number;
    to?: number;
    limit: number;
  }): ChecklistRunSummary[] {
    return this.deps.store.checklists.listRuns(arg).reverse().map(summaryOf);
  }

  start(checklistId: string): ChecklistRun {
    const checklist = this.catalog.find(checklistId);
    if (!checklist) {
      throw new NotFound(
        `No checklist with id "${checklistId}"; it may have been removed from the checklist folder. Reload the list.`,
      );
    }
    const doc: ChecklistDoc = { ...checklist };
    delete (doc as Partial<Checklist>).source;
    delete (doc as Partial<Checklist>).file;
    const now = this.now();
    const run: ChecklistRun = {
      id: randomBytes(6).toString('hex'),
      checklistId: doc.id,
      title: doc.title,
      period: doc.period,
      status: 'open',
      startedAt: now,
      startedBy: this.deps.operator,
      finishedAt: null,
      finishedBy: null,
      note: '',
      items: doc.items.map(blankResult),
      counts: countOutcomes([]),
      outcome: 'pass',
      doc,
    };
    const evaluated = this.evaluate(run, now);
    log.info('checklist run started', { runId: run.id, checklist: doc.id });
    return evaluated;
  }

  refresh(id: string): ChecklistRun {
    const run = this.openRun(id);
    return this.evaluate(run, this.now());
  }

  tick(arg: { runId: string; itemId: string; tick?: Tick | null; note?: string }): ChecklistRun {
    const run = this.openRun(arg.runId);
    const at = run.items.findIndex((i) => i.itemId === arg.itemId);
    const item = run.doc.items.find((i) => i.id === arg.itemId);
    if (at < 0 || !item) throw new NotFound(`The run has no item "${arg.itemId}".`);
    let result: ItemResult = run.items[at];
    if (arg.tick !== undefined) {
      if (item.check) {
        throw new ValidationError(
          `"${item.title}" is checked automatically; refresh the run instead of ticking it.`,
        );
      }
      result = tickResult(item, result, arg.tick, this.deps.operator, this.now());
    }
    if (arg.note !== undefined) result = { ...result, note: arg.note };
    const items = run.items.map((r, i) => (i === at ? result : r));
    return this.save({ ...run, items });
  }

  finish(id: string, note: string): ChecklistRun {
    const run = this.evaluate(this.openRun(id), this.now());
    const done = this.save({
      ...run,
      status: 'finished',
      finishedAt: this.now(),
      finishedBy: this.deps.operator,
      note,
    });
    this.deps.audit?.('checklist-finished', `${done.title}: ${done.outcome}`);
    return done;
  }

  /** Everything the evaluator reads, from the store alone. */
  facts(now: number): ChecklistFacts {
    const store = this.deps.store;
    const statuses = new Map(store.listStatuses().map((s) => [s.targetId, s]));
    for (const s of this.deps.statuses?.() ?? []) statuses.set(s.targetId, s);
    const targets = store.listTargets().map((t) => {
      const s = statuses.get(t.id);
      return {
        id: t.id,
        name: t.name,
        group: t.group,
        kind: t.config.kind,
        enabled: t.enabled,
        health: s?.health ?? 'pending',
        lastSampleAt: s?.lastSampleAt ?? null,
        lastError: s?.lastError ?? null,
      };
    });
    const points: Record<string, FactPoint[]> = {};
    const wanted = new Set<string>(CHECK_METRICS);
    for (const t of targets) {
      const latest = store.latest(t.id);
      points[t.id] = store
        .listSeries(t.id)
        .filter((ref) => wanted.has(ref.metric))
        .flatMap((ref) => {
          const v = latest.get(seriesKey(ref.metric, ref.labels));
          return v ? [{ metric: ref.metric, labels: ref.labels ?? {}, t: v.t, v: v.v }] : [];
        });
    }
    return {
      targets,
      points,
      alerts: store.alerting.openAlerts(),
      backups: this.backupFacts(),
      forecasts: this.forecasts(now),
      updates: null,
    };
  }

  private backupFacts(): BackupFact[] {
    const care = this.deps.store.care;
    return care.listPolicies().map((p) => {
      let newestVerifiedBackupAt: number | null = null;
      let newestRestoreTestAt: number | null = null;
      for (const b of care.listBackups(p.targetId)) {
        const v = b.verification;
        if (!v?.ok || b.deletedAt !== null) continue;
        newestVerifiedBackupAt = Math.max(newestVerifiedBackupAt ?? 0, b.startedAt);
        if (v.restoreOk) newestRestoreTestAt = Math.max(newestRestoreTestAt ?? 0, v.t);
      }
      return {
        targetId: p.targetId,
        rpoHours: p.rpoHours,
        newestVerifiedBackupAt,
        newestRestoreTestAt,
      };
    });
  }

  private forecasts(now: number): CapacityForecast[] | null {
    try {
      return forecastCapacity(this.deps.store, { now, windowDays: FORECAST_WINDOW_DAYS });
    } catch (err) {
      log.warn('capacity forecasts failed', { error: errorMessage(err) });
      return null;
    }
  }

  private openRun(id: string): ChecklistRun {
    const run = this.get(id);
    if (run.status === 'finished') {
      throw new ValidationError(`The run of "${run.title}" is finished; start a new run instead.`);
    }
    return run;
  }

  private evaluate(run: ChecklistRun, now: number): ChecklistRun {
    const facts = this.facts(now);
    const items = run.doc.items.map((item) => {
      const prev = run.items.find((r) => r.itemId === item.id) ?? blankResult(item);
      return evaluateItem(item, facts, now, prev);
    });
    return this.save({ ...run, items });
  }

  private save(run: ChecklistRun): ChecklistRun {
    const counts = countOutcomes(run.items);
    const saved = { ...run, counts, outcome: runOutcome(counts) };
    this.deps.store.checklists.saveRun(saved);
    return saved;
  }
}
