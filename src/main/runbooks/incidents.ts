// Incidents: opened by hand, from a run or from an alert; a timeline of everything that
// happened to them; an escalation clock that marks the next level due when nobody
// acknowledges in time, with a desktop notification, a timeline entry and a notice through
// the notification channels the matrix names (each delivery's outcome in the timeline).
import { randomBytes } from 'node:crypto';
import type {
  EscalationMatrix,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IncidentType,
  Run,
  Scenario,
  TimelineKind,
} from '../../shared/runbooks';
import { escalationMatrixSchema } from '../../shared/runbooks';
import type { Delivery, NotificationChannel, Severity } from '../../shared/alerts';
import type { DesktopNotifier, Message } from '../alerts/notify';
import type { ApiEventBus } from '../dispatch';
import { errorMessage, NotFound, ValidationError } from '../errors';
import { createLogger } from '../log';
import type { Store } from '../store';
import type { IncidentHeader } from '../store/runbooks';
import {
  advanceEscalation,
  DEFAULT_MATRIX,
  escalateTo,
  startEscalation,
  stopClock,
} from './escalation';
import { channelProblems, escalationNotice, noticeChannelIds, type NoticeCause } from './notices';
import type { IncidentLink, RunService } from './service';

const log = createLogger('runbooks.incidents');
const MATRIX_KEY = 'escalation.matrix';

const TYPE_OF_SCENARIO: Record<Scenario, IncidentType> = {
  'system-failure': 'availability',
  'security-breach': 'security',
  'data-loss': 'data',
  'site-loss': 'availability',
  routine: 'application',
};

const SEVERITY_OF_ALERT: Record<Severity, IncidentSeverity> = {
  info: 'low',
  warning: 'medium',
  critical: 'high',
};

export interface IncidentServiceDeps {
  store: Store;
  events: ApiEventBus;
  operator: string;
  runs: RunService;
  audit: (targetId: string | null, action: string, detail: string, result: string) => void;
  desktop: DesktopNotifier | null;
  /** The alerts' notification channels and their notifier (retries, backoff). */
  channels?: EscalationChannels | null;
  now?: () => number;
}

export interface EscalationChannels {
  list(): NotificationChannel[];
  /** Sends with retries; `record` sees every attempt; resolves with the last. */
  deliver(ch: NotificationChannel, m: Message, record: (d: Delivery) => void): Promise<Delivery>;
}

const NOTIFIER = 'Opsdeck notifier';

export interface OpenArgs {
  title?: string;
  type?: IncidentType;
  severity?: IncidentSeverity;
  symptoms: string;
  impact: string;
  targetIds: string[];
  alertId?: string;
  runId?: string;
}

export interface UpdateArgs {
  id: string;
  title?: string;
  type?: IncidentType;
  severity?: IncidentSeverity;
  status?: IncidentStatus;
  symptoms?: string;
  impact?: string;
  targetIds?: string[];
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

export class IncidentService implements IncidentLink {
  constructor(private readonly deps: IncidentServiceDeps) {}

  private get tables() {
    return this.deps.store.runbooks;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  // Escalation matrix

  matrix(): EscalationMatrix {
    const stored = this.tables.getMeta(MATRIX_KEY);
    const parsed = escalationMatrixSchema.safeParse(stored);
    return parsed.success ? parsed.data : DEFAULT_MATRIX;
  }

  saveMatrix(m: EscalationMatrix): EscalationMatrix {
    const ids = new Set<string>();
    for (const l of m.levels) {
      if (ids.has(l.id)) throw new ValidationError(`Two escalation levels have the id "${l.id}".`);
      ids.add(l.id);
    }
    const problems = channelProblems(m, this.deps.channels?.list() ?? []);
    if (problems.length) throw new ValidationError(problems.join(' '));
    this.tables.setMeta(MATRIX_KEY, m);
    this.deps.audit(null, 'escalation-matrix-saved', `${m.levels.length} levels`, 'ok');
    return this.matrix();
  }

  // Reading

  header(id: string): IncidentHeader {
    const h = this.tables.getIncidentHeader(id);
    if (!h) throw new NotFound(`No incident with id ${id}; it may have been removed.`);
    return h;
  }

  exists(id: string): boolean {
    return this.tables.getIncidentHeader(id) !== null;
  }

  get(id: string): Incident {
    return { ...this.header(id), timeline: this.tables.timeline(id) };
  }

  list(status: IncidentStatus | undefined, limit: number): Incident[] {
    return this.tables
      .listIncidentHeaders(status, limit)
      .map((h) => ({ ...h, timeline: this.tables.timeline(h.id) }));
  }

  // Opening

  open(arg: OpenArgs): Incident {
    if (arg.alertId) return this.openFromAlert(arg);
    if (arg.runId) return this.get(this.openFromRunWith(arg.runId, arg));
    if (!arg.title)
      throw new ValidationError('An incident needs a title: say in a few words what is wrong.');
    const inc = this.create({
      title: arg.title,
      type: arg.type ?? 'application',
      severity: arg.severity ?? 'medium',
      symptoms: arg.symptoms,
      impact: arg.impact,
      targetIds: arg.targetIds,
      origin: 'manual',
    });
    return this.get(inc.id);
  }

  /** From an escalate step (or a failed check) of a run without an incident. */
  openFromRun(runId: string): string {
    return this.openFromRunWith(runId, { symptoms: '', impact: '', targetIds: [] });
  }

  private openFromRunWith(runId: string, arg: OpenArgs): string {
    const run = this.deps.runs.header(runId);
    if (run.incidentId) return run.incidentId;
    const failed = this.deps.runs
      .get(runId)
      .steps.filter((s) => s.status === 'failed' || s.outcome === 'fail')
      .map(
        (s) =>
          `Step ${s.index + 1} (${s.stepId}) ${s.outcome === 'fail' ? 'check failed' : 'failed'}${s.error ? `: ${s.error}` : ''}`,
      );
    const inc = this.create({
      title: arg.title ?? run.title,
      type: arg.type ?? TYPE_OF_SCENARIO[run.scenario],
      severity: arg.severity ?? run.doc.severity,
      symptoms: arg.symptoms || failed.join('\n'),
      impact: arg.impact,
      targetIds: arg.targetIds.length ? arg.targetIds : Object.values(run.targets),
      origin: `runbook:${runId}`,
    });
    this.deps.runs.setIncident(runId, inc.id);
    this.linkRun(inc.id, this.deps.runs.get(runId), `Opened from the run of "${run.title}"`);
    this.backfill(inc.id, runId);
    return inc.id;
  }

  /** The steps a run finished before its incident existed, with their own times. */
  private backfill(incidentId: string, runId: string): void {
    const run = this.deps.runs.get(runId);
    const doc = this.deps.runs.header(runId).doc;
    for (const r of run.steps) {
      if (r.status === 'pending' || r.status === 'running' || r.finishedAt === null) continue;
      const step = doc.steps[r.index];
      const t = r.finishedAt;
      const what = r.outcome ? `${r.status}, check ${r.outcome}` : r.status;
      const text = `Step ${r.index + 1} "${step.title}" ${what}`;
      this.append(incidentId, 'step', text, runId, t, r.by ?? this.deps.operator);
      if (step.timeline && r.text !== null) {
        const capture = `${step.title}\n$ ${r.text}\n${r.output}`;
        this.append(incidentId, 'capture', capture, runId, t, r.by ?? this.deps.operator);
      }
    }
  }

  private openFromAlert(arg: OpenArgs): Incident {
    const alert = this.deps.store.alerting.getAlert(arg.alertId as string);
    if (!alert) throw new NotFound(`No alert with id ${arg.alertId}; it may have been pruned.`);
    const target = this.deps.store.getTarget(alert.targetId);
    const inc = this.create({
      title: arg.title ?? `${alert.ruleName} on ${target?.name ?? alert.targetId}`,
      type: arg.type ?? (alert.metric.includes('up') ? 'availability' : 'performance'),
      severity: arg.severity ?? SEVERITY_OF_ALERT[alert.severity],
      symptoms:
        arg.symptoms || `${alert.message}${alert.action ? `\nWhat to do: ${alert.action}` : ''}`,
      impact: arg.impact,
      targetIds: arg.targetIds.length ? arg.targetIds : [alert.targetId],
      origin: `alert:${alert.id}`,
    });
    if (alert.runbook) {
      this.append(
        inc.id,
        'note',
        `The alert's rule suggests the runbook "${alert.runbook}".`,
        null,
      );
    }
    return this.get(inc.id);
  }

  private create(
    fields: Pick<
      Incident,
      'title' | 'type' | 'severity' | 'symptoms' | 'impact' | 'targetIds' | 'origin'
    >,
  ): IncidentHeader {
    const now = this.now();
    const matrix = this.matrix();
    const h: IncidentHeader = {
      id: newId(),
      ...fields,
      status: 'open',
      runIds: [],
      openedAt: now,
      openedBy: this.deps.operator,
      ackAt: null,
      ackBy: null,
      resolvedAt: null,
      escalation: startEscalation(matrix, now),
    };
    this.tables.saveIncident(h);
    const first = matrix.levels[0];
    this.append(
      h.id,
      'opened',
      `Opened (${h.severity} ${h.type}, ${h.origin}). ${first.name} holds it` +
        (h.escalation.nextDueAt === null
          ? '.'
          : `; acknowledge within ${first.withinMinutes} min.`),
      null,
    );
    this.deps.audit(null, 'incident-opened', `${h.title} (${h.id})`, h.origin);
    log.info('incident opened', { incidentId: h.id, origin: h.origin });
    return h;
  }

  // Changes

  update(arg: UpdateArgs): Incident {
    const h = this.header(arg.id);
    const next: IncidentHeader = { ...h };
    const changed: string[] = [];
    for (const key of ['title', 'type', 'severity', 'symptoms', 'impact'] as const) {
      const v = arg[key];
      if (v !== undefined && v !== h[key]) {
        (next as Record<typeof key, string>)[key] = v;
        changed.push(key);
      }
    }
    if (arg.targetIds) {
      next.targetIds = arg.targetIds;
      changed.push('affected targets');
    }
    if (changed.length) this.append(h.id, 'edited', `Changed ${changed.join(', ')}`, null);
    if (arg.status && arg.status !== h.status) {
      next.status = arg.status;
      if (arg.status === 'resolved' || arg.status === 'closed') {
        next.resolvedAt = h.resolvedAt ?? this.now();
        next.escalation = stopClock(h.escalation);
      }
      this.append(h.id, 'status', `Status ${h.status} → ${arg.status}`, null);
    }
    this.save(next);
    return this.get(h.id);
  }

  ack(id: string, note: string): Incident {
    const h = this.header(id);
    if (h.ackAt !== null) return this.get(id);
    const now = this.now();
    const next: IncidentHeader = {
      ...h,
      ackAt: now,
      ackBy: this.deps.operator,
      status: h.status === 'open' ? 'investigating' : h.status,
      escalation: stopClock(h.escalation),
    };
    this.save(next);
    const level = this.matrix().levels[h.escalation.level];
    this.append(
      id,
      'acknowledged',
      `Acknowledged at level ${level?.name ?? h.escalation.level + 1}${note ? `: ${note}` : ''}`,
      null,
    );
    this.deps.audit(null, 'incident-acknowledged', `${h.title} (${h.id})`, note || 'ok');
    return this.get(id);
  }

  note(id: string, text: string): Incident {
    this.header(id);
    this.append(id, 'note', text, null);
    return this.get(id);
  }

  // IncidentLink (for runs)

  linkRun(incidentId: string, run: Run, text: string): void {
    const h = this.header(incidentId);
    if (!h.runIds.includes(run.id)) this.save({ ...h, runIds: [...h.runIds, run.id] });
    this.append(incidentId, 'run-started', text, run.id);
  }

  record(incidentId: string, kind: TimelineKind, text: string, runId: string): void {
    if (!this.exists(incidentId)) return;
    this.append(incidentId, kind, text, runId);
  }

  escalate(incidentId: string, levelId: string, why: string, runId: string | null): void {
    const h = this.header(incidentId);
    const matrix = this.matrix();
    const state = escalateTo(matrix, h.escalation, levelId, this.now(), h.ackAt !== null);
    if (!state) {
      const known = matrix.levels.map((l) => l.id).join(', ');
      throw new ValidationError(
        `The escalation matrix has no level "${levelId}" (it has ${known}); add it in settings.`,
      );
    }
    this.save({ ...h, escalation: state });
    const level = matrix.levels[state.level];
    const text = `Escalated to ${level.name} by ${why}. Contacts: ${contactsText(level.contacts)}`;
    this.append(incidentId, 'escalated', text, runId);
    this.notify(`Incident escalated: ${h.title}`, text);
    this.sendNotices(h, matrix, state.level, { kind: 'step', why }, this.now());
    this.deps.audit(null, 'incident-escalated', `${h.title} (${h.id}) to ${level.id}`, 'ok');
  }

  // The clock

  /** Marks the next level due for every unacknowledged incident whose time frame passed. */
  tick(now: number): void {
    const matrix = this.matrix();
    for (const h of this.tables.unacknowledged()) {
      const { state, reached } = advanceEscalation(matrix, h.escalation, now);
      if (reached.length === 0) continue;
      this.save({ ...h, escalation: state });
      for (const idx of reached) {
        const level = matrix.levels[idx];
        const prev = matrix.levels[idx - 1];
        const text =
          `Not acknowledged within ${prev?.withinMinutes ?? '?'} min: ${level.name} is now due. ` +
          `Contacts: ${contactsText(level.contacts)}`;
        this.append(h.id, 'escalation-due', text, null, now, 'Opsdeck escalation clock');
        this.notify(`Escalation due: ${h.title}`, text);
        const cause = { kind: 'due', previousMinutes: prev?.withinMinutes ?? 0 } as const;
        this.sendNotices(h, matrix, idx, cause, now);
      }
    }
  }

  private notify(title: string, body: string): void {
    try {
      this.deps.desktop?.(title, body);
    } catch (err) {
      log.warn('desktop notification failed', { error: (err as Error).message });
    }
  }

  /**
   * The level's notice through each channel the matrix names, in the background; the
   * outcome of each delivery (after its retries) lands in the timeline.
   */
  private sendNotices(
    h: IncidentHeader,
    m: EscalationMatrix,
    level: number,
    cause: NoticeCause,
    now: number,
  ): void {
    const ids = noticeChannelIds(m, level);
    if (ids.length === 0 || !this.deps.channels) return;
    const channels = this.deps.channels;
    const names = h.targetIds.map((id) => this.deps.store.getTarget(id)?.name ?? id);
    const message = escalationNotice(h, m, level, cause, names, now);
    const known = new Map(channels.list().map((c) => [c.id, c]));
    for (const id of ids) {
      const ch = known.get(id);
      if (!ch || !ch.enabled) {
        const why = ch
          ? `channel "${ch.name}" is disabled; enable it under Notifications`
          : `channel ${id} no longer exists; choose channels in Settings → Escalation matrix`;
        this.append(
          h.id,
          'notice',
          `Escalation notice not sent: ${why}.`,
          null,
          this.now(),
          NOTIFIER,
        );
        continue;
      }
      // Never throws: the notifier would take a throw after a send for a failed send and
      // send again (and the store may be closed when a last retry ends at shutdown).
      const record = (d: Delivery): void => {
        if (d.status === 'retrying') return;
        const text =
          d.status === 'sent'
            ? `Escalation notice for ${m.levels[level].name} sent to channel "${ch.name}".`
            : `Escalation notice to channel "${ch.name}" failed after ${d.attempts} attempts: ${d.error ?? 'unknown error'}`;
        try {
          if (this.exists(h.id)) this.append(h.id, 'notice', text, null, this.now(), NOTIFIER);
        } catch (err) {
          log.warn('escalation notice not recorded', {
            incidentId: h.id,
            text,
            error: errorMessage(err),
          });
        }
      };
      void channels.deliver(ch, message, record).catch((err: Error) => {
        log.warn('escalation notice failed', { incidentId: h.id, error: err.message });
      });
    }
  }

  private save(h: IncidentHeader): void {
    this.tables.saveIncident(h);
    this.deps.events.emit('incident', this.get(h.id));
  }

  private append(
    id: string,
    kind: TimelineKind,
    text: string,
    runId: string | null,
    t = this.now(),
    by = this.deps.operator,
  ): void {
    this.tables.appendTimeline(id, { t, kind, by, text, runId });
    this.deps.events.emit('incident', this.get(id));
  }
}

function contactsText(contacts: EscalationMatrix['levels'][number]['contacts']): string {
  if (contacts.length === 0) return 'none entered';
  return contacts
    .map((c) => [c.name, c.role, c.phone, c.email, c.hours].filter(Boolean).join(', '))
    .join('; ');
}
