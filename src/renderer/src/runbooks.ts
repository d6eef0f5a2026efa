// Pure pieces of the runbook, run and incident pages: words for every state, the library
// filter, the parameter form, what Enter does at the current step, streamed output, the
// escalation clock and the matrix form. No I/O, no clock reads (pass `now`).
import type {
  Contact,
  EscalationMatrix,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IncidentType,
  Parameter,
  ParamValue,
  PlannedStep,
  Run,
  RunOutput,
  RunStatus,
  Runbook,
  Scenario,
  StepKind,
  StepResult,
  StepStatus,
  TargetRole,
  TimelineKind,
} from '../../shared/runbooks';
import { escalationMatrixSchema } from '../../shared/runbooks';
import type { TargetKind } from '../../shared/types';
import { assertNever } from '../../shared/result';
import { formatDuration } from './format';

export const SCENARIO_WORD: Record<Scenario, string> = {
  'system-failure': 'System failure',
  'security-breach': 'Security breach',
  'data-loss': 'Data loss',
  'site-loss': 'Site loss / disaster',
  routine: 'Routine',
};

export const LEVEL_WORD: Record<IncidentSeverity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

const LEVEL_RANK: Record<IncidentSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export const STEP_STATUS_WORD: Record<StepStatus, string> = {
  pending: 'to do',
  running: 'running',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

export const RUN_STATUS_WORD: Record<RunStatus, string> = {
  running: 'in progress',
  completed: 'completed',
  aborted: 'aborted',
};

export const INCIDENT_TYPE_WORD: Record<IncidentType, string> = {
  performance: 'Performance',
  availability: 'Availability',
  security: 'Security',
  data: 'Data',
  network: 'Network',
  application: 'Application',
};

export const INCIDENT_STATUS_WORD: Record<IncidentStatus, string> = {
  open: 'Open',
  investigating: 'Investigating',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const STEP_KIND_WORD: Record<StepKind, string> = {
  instruction: 'Instruction',
  command: 'Command',
  sql: 'SQL',
  redis: 'Redis command',
  check: 'Check',
  wait: 'Wait',
  decision: 'Decision',
  escalate: 'Escalate',
  note: 'Note',
};

export function timelineWord(kind: TimelineKind): string {
  switch (kind) {
    case 'opened':
      return 'Opened';
    case 'status':
      return 'Status';
    case 'note':
      return 'Note';
    case 'acknowledged':
      return 'Acknowledged';
    case 'escalation-due':
      return 'Escalation due';
    case 'escalated':
      return 'Escalated';
    case 'run-started':
      return 'Runbook started';
    case 'run-finished':
      return 'Runbook finished';
    case 'step':
      return 'Step';
    case 'capture':
      return 'Captured';
    case 'edited':
      return 'Edited';
    case 'notice':
      return 'Notice';
    default:
      return assertNever(kind, 'timeline kind');
  }
}

// ---------------------------------------------------------------------------------------
// Library

export interface LibraryFilter {
  query: string;
  scenario: Scenario | 'all';
  severity: IncidentSeverity | 'all';
  /** Longest estimated time, in minutes; null: no limit. */
  maxMinutes: number | null;
}

export const EMPTY_FILTER: LibraryFilter = {
  query: '',
  scenario: 'all',
  severity: 'all',
  maxMinutes: null,
};

export const TIME_CHOICES: [number | null, string][] = [
  [null, 'any time'],
  [15, 'up to 15 min'],
  [30, 'up to 30 min'],
  [60, 'up to 1 hour'],
];

function haystack(rb: Runbook): string {
  return [
    rb.id,
    rb.title,
    rb.description ?? '',
    SCENARIO_WORD[rb.scenario],
    ...rb.steps.map((s) => s.title),
  ]
    .join(' ')
    .toLowerCase();
}

/** Runbooks matching every word of the query and every filter; worst severity first. */
export function filterRunbooks(list: Runbook[], f: LibraryFilter): Runbook[] {
  const words = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  return list
    .filter((rb) => f.scenario === 'all' || rb.scenario === f.scenario)
    .filter((rb) => f.severity === 'all' || rb.severity === f.severity)
    .filter((rb) => f.maxMinutes === null || rb.estimatedMinutes <= f.maxMinutes)
    .filter((rb) => {
      const text = haystack(rb);
      return words.every((w) => text.includes(w));
    })
    .sort(
      (a, b) => LEVEL_RANK[a.severity] - LEVEL_RANK[b.severity] || a.title.localeCompare(b.title),
    );
}

/** "about 15 min", "about 1 h 30 min". */
export function estimateText(minutes: number): string {
  return `about ${formatDuration(minutes * 60)}`;
}

// ---------------------------------------------------------------------------------------
// Parameters

export type ParamForm = Record<string, string | boolean>;

export function initialParamForm(
  params: Parameter[],
  given: Record<string, ParamValue> = {},
): ParamForm {
  const form: ParamForm = {};
  for (const p of params) {
    const v = given[p.name] ?? p.default;
    if (p.type === 'boolean') form[p.name] = v === true || v === 'true';
    else form[p.name] = v === undefined ? '' : String(v);
  }
  return form;
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

function textProblem(p: Parameter, s: string): string | null {
  if (s.includes('\0')) return 'holds a NUL byte';
  if (p.type === 'path' && !s.startsWith('/')) return 'must be an absolute path (starting with /)';
  if (p.type === 'identifier' && (s.length === 0 || utf8Length(s) > 63))
    return 'must be a SQL name of 1 to 63 bytes';
  if (p.type === 'url' && !/^https?:\/\/\S+$/.test(s)) return 'must be an http(s) address';
  if (p.type === 'choice' && !(p.choices ?? []).includes(s))
    return `must be one of ${(p.choices ?? []).join(', ')}`;
  if (p.pattern !== undefined) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(`^(?:${p.pattern})$`);
    } catch {
      re = null;
    }
    if (re && !re.test(s)) return `must match ${p.pattern}`;
  }
  if (p.min !== undefined && s.length < p.min) return `must be at least ${p.min} characters`;
  if (p.max !== undefined && s.length > p.max) return `must be at most ${p.max} characters`;
  return null;
}

/** One field: its typed value, nothing (left empty and optional), or what is wrong. */
export function checkParam(
  p: Parameter,
  raw: string | boolean,
): { value: ParamValue | undefined } | { error: string } {
  if (p.type === 'boolean') return { value: raw === true || raw === 'true' };
  const s = String(raw);
  if (s.trim() === '') return p.required ? { error: 'is required' } : { value: undefined };
  if (p.type === 'integer' || p.type === 'number') {
    const n = Number(s.trim());
    if (!Number.isFinite(n)) return { error: 'must be a number' };
    if (p.type === 'integer' && !Number.isInteger(n)) return { error: 'must be a whole number' };
    if (p.min !== undefined && n < p.min) return { error: `must be at least ${p.min}` };
    if (p.max !== undefined && n > p.max) return { error: `must be at most ${p.max}` };
    return { value: n };
  }
  const problem = textProblem(p, s);
  return problem ? { error: problem } : { value: s };
}

export function paramLabel(p: Parameter): string {
  return p.label ?? p.name;
}

/** Typed values of the whole form and, per field, what is wrong (in words). */
export function validateParamForm(
  params: Parameter[],
  form: ParamForm,
): { values: Record<string, ParamValue>; errors: Record<string, string> } {
  const values: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const p of params) {
    const r = checkParam(p, form[p.name] ?? '');
    if ('error' in r) errors[p.name] = `${paramLabel(p)} ${r.error}.`;
    else if (r.value !== undefined) values[p.name] = r.value;
  }
  return { values, errors };
}

/** The target role a target of this kind can take in a run. */
export function roleOfKind(kind: TargetKind): TargetRole {
  switch (kind) {
    case 'local':
    case 'ssh':
      return 'host';
    case 'postgres':
      return 'postgres';
    case 'redis':
      return 'redis';
    default:
      return assertNever(kind, 'target kind');
  }
}

export const ROLE_WORD: Record<TargetRole, string> = {
  host: 'Host',
  postgres: 'PostgreSQL',
  redis: 'Redis',
};

// ---------------------------------------------------------------------------------------
// The current step

export type StepAction =
  /** Instruction, note, escalate: the operator says it is done. */
  | { kind: 'tick'; label: string }
  /** A read-only command, SQL, Redis command, check or wait: runs on Enter. */
  | { kind: 'run'; label: string }
  /** A changing step: the confirmation is still open. */
  | { kind: 'confirm'; label: string }
  /** A changing step, confirmed: runs on Enter. */
  | { kind: 'run-change'; label: string }
  /** The operator picks a branch (no Enter default). */
  | { kind: 'decide'; label: string }
  /** A failed step: Enter tries again (a change asks again). */
  | { kind: 'retry'; label: string }
  /** Running now, or nothing left. */
  | { kind: 'none'; label: string };

function runLabel(kind: StepKind): string {
  switch (kind) {
    case 'check':
      return 'Run check';
    case 'wait':
      return 'Start waiting';
    case 'sql':
      return 'Run SQL';
    case 'redis':
      return 'Run Redis command';
    default:
      return 'Run command';
  }
}

export function isChange(step: PlannedStep): boolean {
  return step.mode === 'change';
}

/**
 * What Enter (and the primary button) does at this step. `confirmed`: the operator ticked
 * the confirmation of a changing step; `autoDecision`: a check picks the branch.
 */
export function stepAction(
  step: PlannedStep,
  result: StepResult | undefined,
  confirmed: boolean,
  autoDecision = false,
): StepAction {
  const status: StepStatus = result?.status ?? 'pending';
  if (status === 'running') return { kind: 'none', label: 'Running…' };
  if (status === 'done' || status === 'skipped') return { kind: 'none', label: 'Finished' };
  const failed = status === 'failed';
  switch (step.kind) {
    case 'instruction':
      return { kind: 'tick', label: 'Mark done' };
    case 'note':
      return { kind: 'tick', label: 'Add to timeline and continue' };
    case 'escalate':
      return { kind: 'tick', label: 'Escalate and continue' };
    case 'decision':
      return autoDecision
        ? { kind: failed ? 'retry' : 'run', label: 'Let the check decide' }
        : { kind: 'decide', label: 'Choose a branch' };
    case 'command':
    case 'sql':
    case 'redis':
    case 'check':
    case 'wait':
      if (isChange(step)) {
        if (!confirmed) return { kind: 'confirm', label: 'Run the change' };
        return {
          kind: failed ? 'retry' : 'run-change',
          label: failed ? 'Retry the change' : 'Run the change',
        };
      }
      return failed
        ? { kind: 'retry', label: 'Retry' }
        : { kind: 'run', label: runLabel(step.kind) };
    default:
      return assertNever(step.kind, 'step kind');
  }
}

/** What the step list shows: a step's status, "now" for the current one not yet started,
 * and a check that ran but found a problem apart from one that passed. */
export type ListStatus = StepStatus | 'now' | 'check-failed' | 'warning' | 'not-taken';

export function listStatus(run: Run, index: number): ListStatus {
  const r = run.steps.find((s) => s.index === index);
  const status = r?.status ?? 'pending';
  if (run.status === 'running' && index === run.current && status === 'pending') return 'now';
  // A decision jumped over it (skipping asks for a reason and reads "skipped").
  const passed = run.status === 'completed' || (run.status === 'running' && index < run.current);
  if (status === 'pending' && passed) return 'not-taken';
  if (status === 'done' && r?.outcome === 'fail') return 'check-failed';
  if (status === 'done' && r?.outcome === 'warning') return 'warning';
  return status;
}

export function resultOf(run: Run, index: number): StepResult | undefined {
  return run.steps.find((s) => s.index === index);
}

export interface RunProgress {
  done: number;
  failed: number;
  skipped: number;
  total: number;
}

export function runProgress(run: Run): RunProgress {
  const p: RunProgress = { done: 0, failed: 0, skipped: 0, total: run.plan.length };
  for (const s of run.steps) {
    if (s.status === 'done') p.done++;
    else if (s.status === 'failed') p.failed++;
    else if (s.status === 'skipped') p.skipped++;
  }
  return p;
}

export function progressText(p: RunProgress): string {
  const parts = [`${p.done} of ${p.total} done`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  return parts.join(', ');
}

/** "exit 0", "value 93", "pass": what a finished attempt found, in words. */
export function actualText(r: StepResult | undefined): string {
  if (!r || r.status === 'pending') return 'not run yet';
  if (r.status === 'running') return 'running…';
  if (r.status === 'skipped') return `skipped: ${r.skipReason ?? 'no reason given'}`;
  const parts: string[] = [];
  if (r.outcome) parts.push(r.outcome.toUpperCase());
  // A plain command's leading number means nothing by itself; a check's is its reading.
  if (r.value !== null && r.outcome !== null) parts.push(`value ${r.value}`);
  if (r.exitCode !== null) parts.push(`exit code ${r.exitCode}`);
  if (r.choice) parts.push(`chose ${r.choice}`);
  if (r.error) parts.push(r.error);
  if (parts.length === 0) parts.push(r.status === 'done' ? 'done' : 'failed');
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------
// Streamed output

/** Output streamed so far for one attempt of one step. */
export interface LiveOutput {
  runId: string;
  index: number;
  attempt: number;
  text: string;
  /** Older text was dropped to stay within the cap. */
  cut: boolean;
}

export const LIVE_CAP = 200_000;

/** Adds a chunk; a chunk of another step or a newer attempt starts afresh. */
export function appendOutput(live: LiveOutput | null, ev: RunOutput, cap = LIVE_CAP): LiveOutput {
  const same =
    live !== null &&
    live.runId === ev.runId &&
    live.index === ev.index &&
    live.attempt === ev.attempt;
  if (live !== null && same === false && live.runId === ev.runId && live.index === ev.index) {
    if (ev.attempt < live.attempt) return live;
  }
  const base = same
    ? live
    : { runId: ev.runId, index: ev.index, attempt: ev.attempt, text: '', cut: false };
  let text = base.text + ev.chunk;
  let cut = base.cut;
  if (text.length > cap) {
    text = text.slice(text.length - cap);
    cut = true;
  }
  return { ...base, text, cut };
}

/** The output to show for a step: the finished result's, or what streamed so far. */
export function outputFor(
  run: Run,
  index: number,
  live: LiveOutput | null,
): { text: string; cut: boolean; streaming: boolean } {
  const r = resultOf(run, index);
  const streaming = r?.status === 'running' || (r === undefined && live?.index === index);
  if (live && live.runId === run.id && live.index === index) {
    // While the step runs, what streamed is all there is (its attempt number is the
    // backend's, not known here yet).
    if (streaming) return { text: live.text, cut: live.cut, streaming };
    if (!r?.output && (r === undefined || r.attempt <= live.attempt))
      return { text: live.text, cut: live.cut, streaming };
  }
  return { text: r?.output ?? '', cut: r?.truncated ?? false, streaming: false };
}

// ---------------------------------------------------------------------------------------
// Incidents and the escalation clock

export function incidentOpen(i: Incident): boolean {
  return i.status === 'open' || i.status === 'investigating';
}

/** Open ones first, then worst severity, then newest. */
export function sortIncidents(list: Incident[]): Incident[] {
  return [...list].sort(
    (a, b) =>
      Number(incidentOpen(b)) - Number(incidentOpen(a)) ||
      LEVEL_RANK[a.severity] - LEVEL_RANK[b.severity] ||
      b.openedAt - a.openedAt,
  );
}

export interface Clock {
  acknowledged: boolean;
  closed: boolean;
  levelIndex: number;
  levelName: string;
  /** Who to call now. */
  contacts: Contact[];
  nextName: string | null;
  nextContacts: Contact[];
  /** ms until the next level is due (negative: overdue), null when none is due. */
  dueInMs: number | null;
  /** One sentence for the page. */
  text: string;
}

function levelTitle(matrix: EscalationMatrix | undefined, i: number): string {
  const l = matrix?.levels[i];
  return l ? `Level ${i + 1} — ${l.name}` : `Level ${i + 1}`;
}

export function escalationClock(
  inc: Incident,
  matrix: EscalationMatrix | undefined,
  now: number,
): Clock {
  const i = inc.escalation.level;
  const level = matrix?.levels[i];
  const next = matrix?.levels[i + 1];
  const acknowledged = inc.ackAt !== null;
  const closed = !incidentOpen(inc);
  const dueInMs =
    acknowledged || closed || inc.escalation.nextDueAt === null
      ? null
      : inc.escalation.nextDueAt - now;
  const clock: Clock = {
    acknowledged,
    closed,
    levelIndex: i,
    levelName: levelTitle(matrix, i),
    contacts: level?.contacts ?? [],
    nextName: next ? levelTitle(matrix, i + 1) : null,
    nextContacts: next?.contacts ?? [],
    dueInMs,
    text: '',
  };
  clock.text = clockText(clock, inc);
  return clock;
}

function clockText(c: Clock, inc: Incident): string {
  if (c.closed) return `${INCIDENT_STATUS_WORD[inc.status]}: the escalation clock is stopped.`;
  if (c.acknowledged)
    return `Acknowledged by ${inc.ackBy ?? 'someone'}: the escalation clock is stopped at ${c.levelName}.`;
  if (c.dueInMs === null)
    return `Not acknowledged. ${c.levelName} holds it; there is no further level.`;
  const when = formatDuration(Math.abs(c.dueInMs) / 1000);
  if (c.dueInMs <= 0)
    return `Not acknowledged. ${c.nextName ?? 'The next level'} is overdue by ${when}: call them now.`;
  return `Not acknowledged. ${c.nextName ?? 'The next level'} is due in ${when} unless someone acknowledges.`;
}

// ---------------------------------------------------------------------------------------
// The escalation matrix form

export interface ContactForm {
  name: string;
  role: string;
  phone: string;
  email: string;
  hours: string;
}

export interface LevelForm {
  id: string;
  name: string;
  minutes: string;
  contacts: ContactForm[];
  /** Channel ids for this level's notices; null: the matrix's channels. */
  channels?: string[] | null;
}

export function matrixToForm(m: EscalationMatrix): LevelForm[] {
  return m.levels.map((l) => ({
    id: l.id,
    name: l.name,
    minutes: String(l.withinMinutes),
    contacts: l.contacts.map((c) => ({ ...c })),
    channels: l.channelIds ?? null,
  }));
}

/** A level id from its name: "Team lead" -> "team-lead"; unique among `taken`. */
export function levelId(name: string, taken: string[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'level';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

export function emptyContact(): ContactForm {
  return { name: '', role: '', phone: '', email: '', hours: '' };
}

/** The matrix, or per-field messages keyed like "0.name", "1.minutes", "0.contacts.2.name". */
export function formToMatrix(
  levels: LevelForm[],
  channelIds: string[] = [],
): { matrix: EscalationMatrix } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const ids: string[] = [];
  const draft = levels.map((l, i) => {
    const id = l.id || levelId(l.name, ids);
    ids.push(id);
    const minutes = /^\d+$/.test(l.minutes.trim()) ? Number(l.minutes.trim()) : Number.NaN;
    if (!l.name.trim()) errors[`${i}.name`] = 'Give the level a name.';
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080)
      errors[`${i}.minutes`] = 'Enter whole minutes from 1 to 10080 (one week).';
    l.contacts.forEach((c, j) => {
      if (!c.name.trim()) errors[`${i}.contacts.${j}.name`] = 'A contact needs a name.';
    });
    return {
      id,
      name: l.name.trim(),
      withinMinutes: minutes,
      contacts: l.contacts.map((c) => ({
        name: c.name.trim(),
        role: c.role.trim(),
        phone: c.phone.trim(),
        email: c.email.trim(),
        hours: c.hours.trim(),
      })),
      ...(l.channels ? { channelIds: l.channels } : {}),
    };
  });
  if (levels.length === 0) errors['levels'] = 'Keep at least one level.';
  if (Object.keys(errors).length) return { errors };
  const parsed = escalationMatrixSchema.safeParse({
    levels: draft,
    ...(channelIds.length ? { channelIds } : {}),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.slice(1).map(String).join('.');
      errors[path || 'levels'] = issue.message;
    }
    return { errors };
  }
  return { matrix: parsed.data };
}

// ---------------------------------------------------------------------------------------
// Text

/** A file name that is safe to save: letters, digits, dot, dash, underscore. */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '');
  const withExt = cleaned.toLowerCase().endsWith('.html') ? cleaned : `${cleaned}.html`;
  return cleaned ? withExt.slice(-120) : fallback;
}

export type Block =
  { kind: 'p'; text: string } | { kind: 'list'; items: string[] } | { kind: 'code'; text: string };

/** Markdown enough for step bodies: paragraphs, "- " lists and ``` fences. */
export function markdownBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  let para: string[] = [];
  let list: string[] | null = null;
  let code: string[] | null = null;
  const flush = (): void => {
    if (para.length) blocks.push({ kind: 'p', text: para.join(' ') });
    para = [];
    if (list) blocks.push({ kind: 'list', items: list });
    list = null;
  };
  for (const line of lines) {
    if (code !== null) {
      if (/^\s*```/.test(line)) {
        blocks.push({ kind: 'code', text: code.join('\n') });
        code = null;
      } else code.push(line);
      continue;
    }
    if (/^\s*```/.test(line)) {
      flush();
      code = [];
    } else if (/^\s*[-*]\s+/.test(line)) {
      if (para.length) {
        blocks.push({ kind: 'p', text: para.join(' ') });
        para = [];
      }
      list = list ?? [];
      list.push(line.replace(/^\s*[-*]\s+/, ''));
    } else if (line.trim() === '') {
      flush();
    } else if (list && /^\s+/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      para.push(line.trim());
    }
  }
  if (code !== null) blocks.push({ kind: 'code', text: (code as string[]).join('\n') });
  flush();
  return blocks;
}

export type Inline = { kind: 'text' | 'code' | 'strong'; text: string };

/** `code` and **strong** inside a line; everything else is plain text. */
export function inlineParts(text: string): Inline[] {
  const parts: Inline[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push({ kind: 'text', text: text.slice(last, m.index) });
    parts.push(m[1] !== undefined ? { kind: 'code', text: m[1] } : { kind: 'strong', text: m[2] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/**
 * How far a run has come, a number that never goes down as the run moves on: attempts
 * started, attempts ended, notes, and the run's own end. A reload that was asked for while a
 * step ran can answer after that step's own reply; the smaller figure marks it as older.
 */
export function runAdvance(run: Run): number {
  const ended = run.history.filter((s) => s.finishedAt !== null).length;
  return run.history.length + ended + run.notes.length + (run.status === 'running' ? 0 : 1);
}

/** The run to show: the loaded one unless the one on screen is further along. */
export function newerRun(shown: Run | undefined, loaded: Run): Run {
  return shown && shown.id === loaded.id && runAdvance(shown) > runAdvance(loaded) ? shown : loaded;
}
