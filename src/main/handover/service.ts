// Shift handover: composes drafts from the store, keeps the outgoing operator's notes and
// tasks, freezes the facts at hand-over and records the incoming operator's acknowledgement.
import { randomBytes } from 'node:crypto';
import { objectives } from '../care/backup-pure';
import type { ChecklistRun } from '../../shared/checklists';
import type { ExportFormat, FileExport } from '../../shared/export';
import type {
  Handover,
  HandoverCurrent,
  HandoverSummary,
  HandoverTask,
} from '../../shared/handover';
import { DEFAULT_SHIFT_HOURS } from '../../shared/handover';
import { assertNever } from '../../shared/result';
import { HandoverReadOnly, NotFound } from '../errors';
import { createLogger } from '../log';
import type { Store } from '../store';
import { type ChecklistFailure, composeFacts, searchText, searchWords } from './compose';
import { exportFile } from '../reports/export';
import type { PdfPrinter } from '../reports/pdf';
import { handoverCsv } from './csv';
import { handoverHtml } from './html';

const log = createLogger('handover');
const HOUR = 3_600_000;
/** Alerts read when composing: open ones plus enough history to cover a long shift. */
const ALERT_HISTORY = 5000;
const INCIDENT_LIMIT = 1000;
const RUN_LIMIT = 500;

export interface HandoverDeps {
  store: Store;
  operator: string;
  audit: (action: string, detail: string) => void;
  /** Prints HTML to PDF (the reports' printer: Electron's printToPDF or Chromium). */
  printPdf: PdfPrinter;
  clock?: () => number;
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

export class HandoverService {
  private readonly now: () => number;

  constructor(private readonly deps: HandoverDeps) {
    this.now = deps.clock ?? Date.now;
  }

  current(): HandoverCurrent {
    const tables = this.deps.store.handovers;
    return {
      draft: tables.newest('draft'),
      waiting: tables.newest('handed-over'),
      operator: this.deps.operator,
    };
  }

  get(id: string): Handover {
    const h = this.deps.store.handovers.get(id);
    if (!h) throw new NotFound(`No handover with id ${id}; it may have been removed. Reload.`);
    return h;
  }

  /** A new draft, or draft `id` with its facts composed again (refresh). */
  compose(arg: { id?: string; shiftHours?: number }): Handover {
    const now = this.now();
    if (arg.id) {
      const h = this.editable(arg.id, 'refreshed');
      const shiftHours = arg.shiftHours ?? h.facts.shiftHours;
      return this.write({ ...h, updatedAt: now, facts: this.facts(now, shiftHours) });
    }
    const h: Handover = {
      id: newId(),
      status: 'draft',
      createdAt: now,
      updatedAt: now,
      outgoing: this.deps.operator,
      notes: '',
      tasks: [],
      facts: this.facts(now, arg.shiftHours ?? DEFAULT_SHIFT_HOURS),
      handedAt: null,
      incoming: null,
      ackAt: null,
      ackNote: '',
    };
    log.info('handover draft composed', { id: h.id });
    return this.write(h);
  }

  save(arg: { id: string; outgoing?: string; notes?: string; tasks?: HandoverTask[] }): Handover {
    const h = this.editable(arg.id, 'edited');
    return this.write({
      ...h,
      updatedAt: this.now(),
      outgoing: arg.outgoing?.trim() ?? h.outgoing,
      notes: arg.notes ?? h.notes,
      tasks: arg.tasks ?? h.tasks,
    });
  }

  /** The facts are composed one last time and kept as they are from now on. */
  handOver(id: string): Handover {
    const h = this.editable(id, 'handed over');
    const now = this.now();
    const given = this.write({
      ...h,
      status: 'handed-over',
      updatedAt: now,
      handedAt: now,
      facts: this.facts(now, h.facts.shiftHours),
    });
    this.deps.audit('handover-given', `${given.id} by ${given.outgoing}`);
    return given;
  }

  ack(id: string, by: string, note: string): Handover {
    const h = this.get(id);
    switch (h.status) {
      case 'draft':
        throw new HandoverReadOnly(
          `The handover from ${h.outgoing} is still a draft: it can be acknowledged once ` +
            'it is handed over.',
        );
      case 'acknowledged':
        throw new HandoverReadOnly(
          `The handover from ${h.outgoing} was already acknowledged by ${h.incoming ?? 'someone'}` +
            ` at ${iso(h.ackAt)}; it is read-only.`,
        );
      case 'handed-over':
        break;
      default:
        return assertNever(h.status, 'handover status');
    }
    const now = this.now();
    const acked = this.write({
      ...h,
      status: 'acknowledged',
      updatedAt: now,
      incoming: by.trim(),
      ackAt: now,
      ackNote: note,
    });
    this.deps.audit('handover-acknowledged', `${acked.id} from ${acked.outgoing} by ${by.trim()}`);
    return acked;
  }

  list(query: string, limit: number): HandoverSummary[] {
    return this.deps.store.handovers.list(searchWords(query), limit).map(summary);
  }

  async export(id: string, format: ExportFormat): Promise<FileExport> {
    const h = this.get(id);
    const base = `handover-${fileStamp(h.handedAt ?? h.createdAt)}`;
    const render = { html: () => handoverHtml(h, this.now()), csv: () => handoverCsv(h) };
    return exportFile(base, format, render, this.deps.printPdf);
  }

  private editable(id: string, what: string): Handover {
    const h = this.get(id);
    switch (h.status) {
      case 'draft':
        return h;
      case 'handed-over':
        throw new HandoverReadOnly(
          `The handover from ${h.outgoing} was handed over at ${iso(h.handedAt)} and cannot be ` +
            `${what}. Start a new draft for anything that came up since.`,
        );
      case 'acknowledged':
        throw new HandoverReadOnly(
          `The handover from ${h.outgoing} was acknowledged by ${h.incoming ?? 'someone'} at ` +
            `${iso(h.ackAt)}; it is read-only and cannot be ${what}. Start a new draft instead.`,
        );
      default:
        return assertNever(h.status, 'handover status');
    }
  }

  private write(h: Handover): Handover {
    this.deps.store.handovers.save(h, searchText(h));
    return h;
  }

  private facts(now: number, shiftHours: number): Handover['facts'] {
    const { store } = this.deps;
    const from = now - shiftHours * HOUR;
    const targets = store.listTargets();
    const pgTargets = targets.filter((t) => t.config.kind === 'postgres');
    return composeFacts({
      now,
      shiftHours,
      targets,
      // Read by status, so an old open incident or a long-firing alert is not crowded out
      // by newer ones.
      incidents: [
        ...store.runbooks.listIncidentHeaders('open', INCIDENT_LIMIT),
        ...store.runbooks.listIncidentHeaders('investigating', INCIDENT_LIMIT),
      ],
      alerts: byId([
        ...store.alerting.listAlerts('active', undefined, ALERT_HISTORY),
        ...store.alerting.listAlerts('all', undefined, ALERT_HISTORY),
      ]),
      runs: store.runbooks.listRunHeaders({ status: 'running' }, RUN_LIMIT),
      checklistFailures: checklistFailures(store.checklists.listRuns({ from, to: now + 1 })),
      schedules: store.care.listSchedules(),
      backups: pgTargets.flatMap((t) => store.care.listBackups(t.id)),
      objectives: pgTargets.map((t) =>
        objectives(t.id, t.name, store.care.listBackups(t.id), store.care.getPolicy(t.id), now),
      ),
    });
  }
}

function byId<T extends { id: string }>(xs: readonly T[]): T[] {
  return [...new Map(xs.map((x) => [x.id, x])).values()];
}

/** Items that did not pass in the newest run of each checklist started in the shift. */
export function checklistFailures(runs: readonly ChecklistRun[]): ChecklistFailure[] {
  const newest = new Map<string, ChecklistRun>();
  for (const r of runs) {
    const have = newest.get(r.checklistId);
    if (!have || r.startedAt > have.startedAt) newest.set(r.checklistId, r);
  }
  const out: ChecklistFailure[] = [];
  for (const run of newest.values()) {
    for (const item of run.items) {
      const outcome = item.outcome;
      if (outcome !== 'fail' && outcome !== 'warning' && outcome !== 'stale') continue;
      out.push({
        runId: run.id,
        checklistTitle: run.title,
        itemTitle: item.title,
        outcome,
        detail: [item.summary, item.action].filter(Boolean).join(' Next: '),
        at: item.evaluatedAt ?? item.tickedAt ?? run.startedAt,
      });
    }
  }
  return out;
}

function summary(h: Handover): HandoverSummary {
  const counts: HandoverSummary['counts'] = {};
  for (const s of h.facts.sections) counts[s.id] = s.facts.length;
  return {
    id: h.id,
    status: h.status,
    createdAt: h.createdAt,
    handedAt: h.handedAt,
    ackAt: h.ackAt,
    outgoing: h.outgoing,
    incoming: h.incoming,
    counts,
    excerpt: h.notes.slice(0, 200),
  };
}

function iso(t: number | null): string {
  return t === null
    ? 'an unknown time'
    : new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/:\d\d\.\d+Z$/, ' UTC');
}

function fileStamp(t: number): string {
  return new Date(t)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
