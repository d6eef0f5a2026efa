// The composed part of a shift handover, from values read out of the store. Pure: takes the
// records and `now`, returns the sections; nothing here reads a clock or a file.
import { Cron } from 'croner';
import type { Alert } from '../../shared/alerts';
import type { Backup, MaintenanceSchedule, ObjectiveStatus } from '../../shared/care';
import type {
  FactLevel,
  HandoverFact,
  HandoverFacts,
  HandoverSection,
  SectionId,
} from '../../shared/handover';
import { assertNever } from '../../shared/result';
import type { Incident, IncidentSeverity, PlannedStep, RunStatus } from '../../shared/runbooks';
import type { Target } from '../../shared/types';

const HOUR = 3_600_000;
/** At most this many facts per section; a night with more is summed up by the count. */
const SECTION_LIMIT = 200;

/** A failed item of a recent checklist run, as the checklists feature reports it. */
export interface ChecklistFailure {
  runId: string;
  checklistTitle: string;
  itemTitle: string;
  outcome: 'fail' | 'warning' | 'stale';
  detail: string;
  at: number;
}

/** A runbook run as its header row keeps it. */
export interface RunInProgress {
  id: string;
  title: string;
  status: RunStatus;
  startedAt: number;
  startedBy: string;
  current: number;
  plan: PlannedStep[];
  incidentId: string | null;
}

export interface ComposeInput {
  now: number;
  shiftHours: number;
  targets: readonly Target[];
  incidents: readonly Omit<Incident, 'timeline'>[];
  /** Open alerts and alerts resolved lately; the composer picks by state and time. */
  alerts: readonly Alert[];
  runs: readonly RunInProgress[];
  /** null leaves the section out (a build without checklists). */
  checklistFailures: readonly ChecklistFailure[] | null;
  schedules: readonly MaintenanceSchedule[];
  /** Backups per PostgreSQL target (any order). */
  backups: readonly Backup[];
  objectives: readonly ObjectiveStatus[];
}

export function composeFacts(input: ComposeInput): HandoverFacts {
  const from = input.now - input.shiftHours * HOUR;
  const until = input.now + input.shiftHours * HOUR;
  const names = new Map(input.targets.map((t) => [t.id, t.name]));
  const ctx: Ctx = { ...input, from, until, nameOf: (id) => (id ? (names.get(id) ?? id) : null) };
  const sections: HandoverSection[] = [];
  for (const id of sectionOrder(input.checklistFailures !== null)) {
    sections.push(section(id, ctx));
  }
  return { composedAt: input.now, shiftHours: input.shiftHours, from, until, sections };
}

interface Ctx extends ComposeInput {
  from: number;
  until: number;
  nameOf: (id: string | null) => string | null;
}

function sectionOrder(withChecklists: boolean): SectionId[] {
  return withChecklists
    ? ['incidents', 'firing', 'runs', 'checklists', 'backups', 'maintenance', 'resolved']
    : ['incidents', 'firing', 'runs', 'backups', 'maintenance', 'resolved'];
}

function section(id: SectionId, c: Ctx): HandoverSection {
  const made = (title: string, empty: string, facts: HandoverFact[]): HandoverSection => ({
    id,
    title,
    empty,
    facts: facts.slice(0, SECTION_LIMIT),
  });
  switch (id) {
    case 'incidents':
      return made('Open incidents', 'No incident is open.', openIncidents(c));
    case 'firing':
      return made('Firing alerts', 'No alert is firing.', firingAlerts(c));
    case 'resolved':
      return made('Alerts resolved this shift', 'No alert resolved this shift.', resolved(c));
    case 'runs':
      return made('Runbook runs in progress', 'No runbook run is in progress.', runs(c));
    case 'checklists':
      return made(
        'Failed checklist items',
        'No checklist item failed in recent runs.',
        checklistFacts(c),
      );
    case 'maintenance':
      return made(
        'Maintenance in the next shift',
        'No maintenance is scheduled in the next shift.',
        maintenance(c),
      );
    case 'backups':
      return made(
        'Backups failed or overdue',
        'No backup failed this shift and none is overdue against its RPO.',
        backupFacts(c),
      );
    default:
      return assertNever(id, 'handover section');
  }
}

function incidentLevel(s: IncidentSeverity): FactLevel {
  switch (s) {
    case 'critical':
    case 'high':
      return 'critical';
    case 'medium':
      return 'warning';
    case 'low':
      return 'info';
    default:
      return assertNever(s, 'incident severity');
  }
}

function openIncidents(c: Ctx): HandoverFact[] {
  const sevRank: Record<IncidentSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  return c.incidents
    .filter((i) => i.status === 'open' || i.status === 'investigating')
    .sort((a, b) => sevRank[a.severity] - sevRank[b.severity] || b.openedAt - a.openedAt)
    .map((i) => {
      const names = i.targetIds.map((t) => c.nameOf(t) ?? t);
      const ack = i.ackAt !== null ? `acknowledged by ${i.ackBy ?? 'someone'}` : 'not acknowledged';
      return {
        key: i.id,
        level: incidentLevel(i.severity),
        title: i.title,
        detail: `${i.severity} ${i.type} incident, ${i.status}, ${ack}; opened by ${i.openedBy}.`,
        targetName: names.length ? names.join(', ') : null,
        at: i.openedAt,
        ref: { page: 'incident', id: i.id },
      };
    });
}

function alertFact(a: Alert, c: Ctx, at: number | null, detail: string): HandoverFact {
  return {
    key: a.id,
    level: a.severity,
    title: a.message || a.ruleName,
    detail,
    targetName: c.nameOf(a.targetId),
    at,
    ref: { page: 'alerts', targetId: a.targetId },
  };
}

function firingAlerts(c: Ctx): HandoverFact[] {
  const sevRank = { critical: 0, warning: 1, info: 2 } as const;
  return c.alerts
    .filter((a) => a.state === 'firing' || a.state === 'acknowledged')
    .sort((a, b) => sevRank[a.severity] - sevRank[b.severity] || b.startedAt - a.startedAt)
    .map((a) => {
      const ack =
        a.state === 'acknowledged'
          ? `acknowledged by ${a.ackBy ?? 'someone'}${a.ackNote ? `: ${a.ackNote}` : ''}`
          : 'not acknowledged';
      const next = a.action ? ` Next: ${a.action}` : '';
      return alertFact(a, c, a.firingAt ?? a.startedAt, `${a.ruleName}, ${ack}.${next}`);
    });
}

function resolved(c: Ctx): HandoverFact[] {
  return c.alerts
    .filter((a) => a.state === 'resolved' && a.resolvedAt !== null && a.resolvedAt >= c.from)
    .sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0))
    .map((a) => {
      const lasted = a.resolvedAt !== null ? a.resolvedAt - (a.firingAt ?? a.startedAt) : 0;
      const fact = alertFact(a, c, a.resolvedAt, `${a.ruleName}, lasted ${spell(lasted)}.`);
      return { ...fact, level: 'info' as const };
    });
}

function runs(c: Ctx): HandoverFact[] {
  return c.runs
    .filter((r) => r.status === 'running')
    .sort((a, b) => b.startedAt - a.startedAt)
    .map((r) => {
      const step = r.plan[r.current];
      const at = step
        ? `at step ${r.current + 1} of ${r.plan.length}: ${step.title}`
        : `all ${r.plan.length} steps done, not closed`;
      const target = r.plan.find((p) => p.targetName)?.targetName ?? null;
      return {
        key: r.id,
        level: 'warning' as const,
        title: r.title,
        detail: `Started by ${r.startedBy}, ${at}.`,
        targetName: target,
        at: r.startedAt,
        ref: { page: 'run' as const, id: r.id },
      };
    });
}

function checklistFacts(c: Ctx): HandoverFact[] {
  return (c.checklistFailures ?? [])
    .filter((f) => f.at >= c.from)
    .sort((a, b) => b.at - a.at)
    .map((f) => ({
      key: `${f.runId}:${f.itemTitle}`,
      level: f.outcome === 'fail' ? ('critical' as const) : ('warning' as const),
      title: f.itemTitle,
      detail: `${f.checklistTitle}: ${f.outcome}. ${f.detail}`.trim(),
      targetName: null,
      at: f.at,
      ref: { page: 'checklist' as const, id: f.runId },
    }));
}

/** Start times of a cron expression after `after`, up to and including `until`. */
export function runsWithin(cron: string, after: number, until: number, max = 50): number[] {
  let job: Cron;
  try {
    job = new Cron(cron, { paused: true });
  } catch {
    return [];
  }
  try {
    return job
      .nextRuns(max, new Date(after))
      .map((d) => d.getTime())
      .filter((t) => t <= until);
  } finally {
    job.stop();
  }
}

function maintenance(c: Ctx): HandoverFact[] {
  const out: HandoverFact[] = [];
  for (const s of c.schedules) {
    if (!s.enabled) continue;
    const times = runsWithin(s.cron, c.now, c.until);
    if (times.length === 0) continue;
    const more = times.length > 1 ? ` (${times.length} times in the next shift)` : '';
    out.push({
      key: s.id,
      level: 'info',
      title: `${s.action.toUpperCase()} ${scopeText(s)}`,
      detail: `Scheduled "${s.cron}", runs only inside ${s.windowStart}–${s.windowEnd}${more}.`,
      targetName: c.nameOf(s.targetId),
      at: times[0],
      ref: { page: 'target', id: s.targetId, tab: 'maintenance' },
    });
  }
  return out.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
}

function scopeText(s: MaintenanceSchedule): string {
  switch (s.scope.kind) {
    case 'database':
      return 'of the whole database';
    case 'table':
      return `of table ${s.scope.schema}.${s.scope.name}`;
    case 'index':
      return `of index ${s.scope.schema}.${s.scope.name}`;
    default:
      return assertNever(s.scope, 'maintenance scope');
  }
}

function backupFacts(c: Ctx): HandoverFact[] {
  const failed: HandoverFact[] = c.backups
    .filter((b) => b.status === 'failed' && b.startedAt >= c.from && b.deletedAt === null)
    .sort((a, b) => b.startedAt - a.startedAt)
    .map((b) => ({
      key: b.id,
      level: 'critical',
      title: 'Backup failed',
      detail: b.error ?? 'The backup did not finish.',
      targetName: c.nameOf(b.targetId),
      at: b.startedAt,
      ref: { page: 'target', id: b.targetId, tab: 'backups' },
    }));
  const overdue: HandoverFact[] = c.objectives
    .filter((o) => o.rpoOk === false)
    .map((o) => ({
      key: `rpo:${o.targetId}`,
      level: 'critical',
      title: 'Backup overdue against RPO',
      detail:
        o.newestVerifiedAt === null
          ? `No verified backup exists; the RPO is ${o.rpoHours} h.`
          : `Newest verified backup is ${spell(o.newestVerifiedAgeMs ?? 0)} old; ` +
            `the RPO is ${o.rpoHours} h.`,
      targetName: o.targetName,
      at: o.newestVerifiedAt,
      ref: { page: 'target', id: o.targetId, tab: 'backups' },
    }));
  return [...overdue, ...failed];
}

/** "3 h 20 min", "12 min", "40 s". */
export function spell(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

/** The text a search reads: names, notes, tasks and every fact, lower-cased. */
export function searchText(parts: {
  outgoing: string;
  incoming: string | null;
  notes: string;
  tasks: readonly { text: string }[];
  facts: HandoverFacts;
  ackNote: string;
}): string {
  const facts = parts.facts.sections.flatMap((s) =>
    s.facts.map((f) => `${f.title} ${f.detail} ${f.targetName ?? ''}`),
  );
  return [
    parts.outgoing,
    parts.incoming ?? '',
    parts.notes,
    ...parts.tasks.map((t) => t.text),
    parts.ackNote,
    ...facts,
  ]
    .join('\n')
    .toLowerCase();
}

/** Search words: lower-cased, split on white space, at most 8. */
export function searchWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
}
