// Reports: made on demand and on a schedule (croner), stored as snapshots, exported to HTML,
// CSV and PDF. The schedule owes, for each enabled period, a report of the last complete
// period after each firing; firings missed while the app was closed are caught up at the
// next start, once (the newest missed period only).
import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import type { ExportFormat, FileExport } from '../../shared/export';
import type { Report, ReportPeriod, ReportSettings, ReportSummary } from '../../shared/reports';
import { NotFound } from '../errors';
import { createLogger } from '../log';
import type { Store } from '../store';
import { buildReport } from './build';
import { reportCsv } from './csv';
import { exportFile } from './export';
import { gather, type ReportSources } from './gather';
import { reportHtml } from './html';
import type { PdfPrinter } from './pdf';
import { cronFor, dueReports, enabledPeriods, lastComplete, periodOf } from './period';

const log = createLogger('reports');
const LAST_TICK_KEY = 'reports.lastTick';

export interface ReportsDeps {
  store: Store;
  printPdf: PdfPrinter;
  sources?: ReportSources;
  now?: () => number;
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

function slug(s: string): string {
  return s
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

function fileBase(r: Report): string {
  const d = new Date(r.from);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const group = r.group ? `-${slug(r.group) || 'group'}` : '';
  return `opsdeck-${r.period}-report-${day}${group}`;
}

export class Reports {
  private jobs: Cron[] = [];
  private started = false;
  private readonly now: () => number;

  constructor(private readonly deps: ReportsDeps) {
    this.now = deps.now ?? Date.now;
  }

  private get store(): Store {
    return this.deps.store;
  }

  /** The period holding `at`, else the last complete one; stored before it is returned. */
  generate(
    req: { period: ReportPeriod; group: string; at?: number },
    trigger: Report['trigger'] = 'manual',
  ): Report {
    const now = this.now();
    const range =
      req.at === undefined ? lastComplete(req.period, now) : periodOf(req.period, req.at);
    const input = gather(this.store, this.deps.sources ?? {}, {
      id: newId(),
      range,
      group: req.group,
      now,
      trigger,
    });
    const report = buildReport(input);
    this.store.reports.save(report);
    log.info('report made', { id: report.id, title: report.title, trigger });
    return report;
  }

  list(filter: { period?: ReportPeriod; group?: string }, limit: number): ReportSummary[] {
    return this.store.reports.list(filter, limit);
  }

  get(id: string): Report {
    const r = this.store.reports.get(id);
    if (!r)
      throw new NotFound(`No report with id ${id}; it may have been deleted. Reload the list.`);
    return r;
  }

  delete(id: string): boolean {
    return this.store.reports.delete(id);
  }

  async export(id: string, format: ExportFormat): Promise<FileExport> {
    const r = this.get(id);
    const render = { html: () => reportHtml(r, this.now()), csv: () => reportCsv(r) };
    return exportFile(fileBase(r), format, render, this.deps.printPdf);
  }

  settings(): ReportSettings {
    return this.store.reports.settings();
  }

  saveSettings(s: ReportSettings): ReportSettings {
    const saved = this.store.reports.saveSettings(s);
    if (this.started) this.schedule();
    return saved;
  }

  /** Catches up what the schedule missed while the app was closed, then starts the timers. */
  start(): void {
    this.started = true;
    this.tick(this.now());
    this.schedule();
  }

  stop(): void {
    this.started = false;
    for (const j of this.jobs) j.stop();
    this.jobs = [];
  }

  /** Makes the reports owed since the last check; each period and group once. */
  tick(now: number): Report[] {
    const last = Number(this.store.reports.getMeta(LAST_TICK_KEY) ?? NaN);
    const since = Number.isFinite(last) ? last : now;
    const made: Report[] = [];
    let failed = false;
    for (const due of dueReports(this.settings(), since, now)) {
      for (const group of this.groups()) {
        if (this.store.reports.has(due.period, group, due.from)) continue;
        try {
          made.push(this.generate({ period: due.period, group, at: due.from }, 'schedule'));
        } catch (err) {
          failed = true;
          log.error('scheduled report failed', { period: due.period, group, error: err });
        }
      }
    }
    // A failed report is owed still: the next tick looks at the same stretch again (the
    // reports made meanwhile are not made twice).
    if (!failed) this.store.reports.setMeta(LAST_TICK_KEY, String(now));
    return made;
  }

  /** '' (every target), then each target group when the settings ask for it. */
  groups(): string[] {
    if (!this.settings().perGroup) return [''];
    const named = new Set(
      this.store
        .listTargets()
        .map((t) => t.group)
        .filter((g) => g !== ''),
    );
    return ['', ...[...named].sort()];
  }

  private schedule(): void {
    for (const j of this.jobs) j.stop();
    const s = this.settings();
    this.jobs = enabledPeriods(s).map(
      (p) =>
        new Cron(cronFor(p, s.at), { unref: true, protect: true }, () => {
          this.tick(this.now());
        }),
    );
  }
}
