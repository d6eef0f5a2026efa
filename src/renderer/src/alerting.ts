// Pure alerting logic of the renderer: ordering and grouping of alerts, words for states,
// conditions and values, silence end times, the rule form and notification bursts. No clock
// reads (pass now), no I/O.
import { ruleSchema } from '../../shared/api';
import type {
  Alert,
  AlertRule,
  AlertState,
  Comparison,
  Condition,
  Severity,
} from '../../shared/alerts';
import { metricInfo } from '../../shared/metrics';
import { assertNever } from '../../shared/result';
import type { TargetKind } from '../../shared/types';
import { formatDuration, formatValue, sig3 } from './format';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const SEVERITY_WORD: Record<Severity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export const STATE_WORD: Record<AlertState, string> = {
  firing: 'Firing',
  pending: 'Pending',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** Firing before pending; within a state, the most severe and then the oldest first. */
const STATE_ORDER: Record<AlertState, number> = {
  firing: 0,
  pending: 1,
  acknowledged: 2,
  resolved: 3,
};

/** How long a resolved alert stays in the "recently resolved" list. */
export const RECENT_MS = DAY;

export interface AlertGroups {
  /** Firing and pending: what needs someone now. */
  active: Alert[];
  acknowledged: Alert[];
  /** Resolved within RECENT_MS, newest first. */
  resolved: Alert[];
}

export function compareAlerts(a: Alert, b: Alert): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.startedAt - b.startedAt ||
    a.id.localeCompare(b.id)
  );
}

export function groupAlerts(alerts: Alert[], now: number): AlertGroups {
  const sorted = [...alerts].sort(compareAlerts);
  return {
    active: sorted.filter((a) => a.state === 'firing' || a.state === 'pending'),
    acknowledged: sorted.filter((a) => a.state === 'acknowledged'),
    resolved: sorted
      .filter((a) => a.state === 'resolved' && now - (a.resolvedAt ?? a.startedAt) <= RECENT_MS)
      .sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0)),
  };
}

/** Replaces the alert with the same id (or adds it): how a pushed `alert` event is applied. */
export function upsertAlert(list: Alert[], alert: Alert): Alert[] {
  const i = list.findIndex((a) => a.id === alert.id);
  if (i < 0) return [...list, alert];
  const out = [...list];
  out[i] = alert;
  return out;
}

/** Unacknowledged firing alerts per target (pending ones have not fired yet). */
export function firingByTarget(alerts: Iterable<Alert>): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of alerts) {
    if (a.state === 'firing') out.set(a.targetId, (out.get(a.targetId) ?? 0) + 1);
  }
  return out;
}

export function firingCountText(n: number): string {
  return `${n} firing`;
}

/** The alert's value in the unit of its metric; "no data" when absent. */
export function alertValueText(alert: Pick<Alert, 'metric' | 'value'>): string {
  if (alert.value === null) return 'no data';
  const unit = metricInfo(alert.metric)?.unit;
  return unit ? formatValue(alert.value, unit) : sig3(alert.value);
}

/** 'mount=/ device=sda1' — labels in name order; empty for none. */
export function labelsText(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`)
    .join(' ');
}

/** "Filesystem used (mount=/)": the metric's title with its labels. */
export function seriesText(metric: string, labels?: Record<string, string>): string {
  const title = metricInfo(metric)?.title ?? metric;
  const l = labelsText(labels);
  return l ? `${title} (${l})` : title;
}

function durationText(ms: number): string {
  return formatDuration(ms / 1000);
}

/** A condition in words, with values in the metric's unit. */
export function conditionText(c: Condition, metric: string): string {
  const unit = metricInfo(metric)?.unit;
  const v = (x: number): string =>
    unit && unit !== 'bool' ? formatValue(x, unit) : String(Number(x.toPrecision(6)));
  switch (c.kind) {
    case 'threshold':
      return unit === 'bool' ? boolThresholdText(c.op, c.value) : `value ${c.op} ${v(c.value)}`;
    case 'rate':
      return `change ${c.op} ${v(c.perHour)} per hour over ${durationText(c.windowMs)}`;
    case 'absent':
      return `no sample for ${c.intervals} interval${c.intervals === 1 ? '' : 's'}`;
    case 'forecast':
      return `reaches ${v(c.limit)} within ${durationText(c.horizonMs)} (fit over ${durationText(c.windowMs)})`;
    case 'anomaly':
      return `outside its usual band by ${c.sensitivity} deviations`;
    default:
      return assertNever(c, 'condition');
  }
}

/** A yes/no series compared with a number: "is no (0)" where that is what it means. */
function boolThresholdText(op: Comparison, value: number): string {
  const no = (op === '<' && value > 0 && value <= 1) || (op === '<=' && value >= 0 && value < 1);
  const yes = (op === '>' && value >= 0 && value < 1) || (op === '>=' && value > 0 && value <= 1);
  return no ? 'is no (0)' : yes ? 'is yes (1)' : `value ${op} ${value}`;
}

export type SilencePreset = '1h' | '4h' | 'tomorrow' | 'custom';

export const SILENCE_PRESETS: [SilencePreset, string][] = [
  ['1h', '1 hour'],
  ['4h', '4 hours'],
  ['tomorrow', 'until tomorrow 08:00'],
  ['custom', 'until a time you choose'],
];

/** The end of a silence started at `now`; custom takes a datetime-local text. null: invalid. */
export function silenceEnd(preset: SilencePreset, now: number, custom = ''): number | null {
  switch (preset) {
    case '1h':
      return now + HOUR;
    case '4h':
      return now + 4 * HOUR;
    case 'tomorrow': {
      const d = new Date(now);
      d.setDate(d.getDate() + 1);
      d.setHours(8, 0, 0, 0);
      return d.getTime();
    }
    case 'custom': {
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(custom.trim());
      if (!m) return null;
      const [y, mo, d, h, mi] = m.slice(1).map(Number);
      const t = new Date(y, mo - 1, d, h, mi, 0, 0);
      if (t.getMonth() !== mo - 1 || t.getDate() !== d) return null;
      return t.getTime() > now ? t.getTime() : null;
    }
    default:
      return assertNever(preset, 'silence preset');
  }
}

/** A datetime-local value for `t` in local time. */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The chart window that shows an alert's start: an hour, or more when it runs longer. */
export function chartRangeFor(alert: Pick<Alert, 'startedAt' | 'resolvedAt'>, now: number): string {
  const end = alert.resolvedAt ?? now;
  const span = end - alert.startedAt;
  if (span <= 30 * 60_000) return '1h';
  if (span <= 3 * HOUR) return '6h';
  if (span <= 12 * HOUR) return '24h';
  return '7d';
}

// ---- Rule form -------------------------------------------------------------------------

export type Scope = 'all' | 'target' | 'group' | 'kind';

/** The editor's fields as typed text; turned into a rule by formToRule. */
export interface RuleForm {
  id: string | undefined;
  builtin: boolean;
  name: string;
  enabled: boolean;
  scope: Scope;
  targetId: string;
  group: string;
  kind: TargetKind;
  metric: string;
  /** One label a line or space separated: mount=/ */
  labels: string;
  conditionKind: Condition['kind'];
  op: Comparison;
  value: string;
  perHour: string;
  windowHours: string;
  intervals: string;
  limit: string;
  horizonDays: string;
  sensitivity: string;
  forMinutes: string;
  severity: Severity;
  message: string;
  action: string;
  runbook: string;
}

export function emptyRuleForm(): RuleForm {
  return {
    id: undefined,
    builtin: false,
    name: '',
    enabled: true,
    scope: 'all',
    targetId: '',
    group: '',
    kind: 'local',
    metric: 'host.fs.used_pct',
    labels: '',
    conditionKind: 'threshold',
    op: '>',
    value: '90',
    perHour: '1',
    windowHours: '1',
    intervals: '3',
    limit: '100',
    horizonDays: '7',
    sensitivity: '4',
    forMinutes: '5',
    severity: 'warning',
    message: '{{metric}} on {{target}} is {{value}}',
    action: '',
    runbook: '',
  };
}

const trimNum = (x: number): string => String(Number(x.toPrecision(12)));

export function ruleToForm(rule: AlertRule): RuleForm {
  const f = emptyRuleForm();
  const s = rule.selector;
  const c = rule.condition;
  const form: RuleForm = {
    ...f,
    id: rule.id,
    builtin: rule.builtin,
    name: rule.name,
    enabled: rule.enabled,
    scope: s.targetId ? 'target' : s.group ? 'group' : s.kind ? 'kind' : 'all',
    targetId: s.targetId ?? '',
    group: s.group ?? '',
    kind: s.kind ?? 'local',
    metric: s.metric,
    labels: labelsText(s.labels),
    conditionKind: c.kind,
    forMinutes: trimNum(rule.forMs / 60_000),
    severity: rule.severity,
    message: rule.message,
    action: rule.action,
    runbook: rule.runbook ?? '',
  };
  switch (c.kind) {
    case 'threshold':
      return { ...form, op: c.op, value: trimNum(c.value) };
    case 'rate':
      return {
        ...form,
        op: c.op,
        perHour: trimNum(c.perHour),
        windowHours: trimNum(c.windowMs / HOUR),
      };
    case 'absent':
      return { ...form, intervals: String(c.intervals) };
    case 'forecast':
      return {
        ...form,
        limit: trimNum(c.limit),
        windowHours: trimNum(c.windowMs / HOUR),
        horizonDays: trimNum(c.horizonMs / DAY),
      };
    case 'anomaly':
      return { ...form, sensitivity: trimNum(c.sensitivity) };
    default:
      return assertNever(c, 'condition');
  }
}

/** Parses "a=b c=d" or one per line; a value may hold '=' after the first. */
export function parseLabels(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) return `"${part}" is not name=value`;
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

function number(text: string): number {
  const t = text.trim();
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}

function conditionOf(f: RuleForm): Condition {
  switch (f.conditionKind) {
    case 'threshold':
      return { kind: 'threshold', op: f.op, value: number(f.value) };
    case 'rate':
      return {
        kind: 'rate',
        op: f.op,
        perHour: number(f.perHour),
        windowMs: Math.round(number(f.windowHours) * HOUR),
      };
    case 'absent':
      return { kind: 'absent', intervals: number(f.intervals) };
    case 'forecast':
      return {
        kind: 'forecast',
        limit: number(f.limit),
        windowMs: Math.round(number(f.windowHours) * HOUR),
        horizonMs: Math.round(number(f.horizonDays) * DAY),
      };
    case 'anomaly':
      return { kind: 'anomaly', sensitivity: number(f.sensitivity) };
    default:
      return assertNever(f.conditionKind, 'condition kind');
  }
}

/** What saveRule takes. */
export type RuleInput = Omit<AlertRule, 'id' | 'builtin'> & { id?: string };

/** Which form field each schema path belongs to, for messages beside the field. */
const FIELD_OF: Record<string, keyof RuleForm> = {
  name: 'name',
  targetId: 'targetId',
  group: 'group',
  metric: 'metric',
  labels: 'labels',
  value: 'value',
  perHour: 'perHour',
  windowMs: 'windowHours',
  intervals: 'intervals',
  limit: 'limit',
  horizonMs: 'horizonDays',
  sensitivity: 'sensitivity',
  forMs: 'forMinutes',
  message: 'message',
  action: 'action',
  runbook: 'runbook',
};

export type RuleFormErrors = Partial<Record<keyof RuleForm, string>>;

/** The rule the form describes, or the fields that are wrong and why. */
export function formToRule(f: RuleForm): { rule: RuleInput } | { errors: RuleFormErrors } {
  const errors: RuleFormErrors = {};
  const labels = parseLabels(f.labels);
  if (typeof labels === 'string') errors.labels = labels;
  const candidate = {
    ...(f.id ? { id: f.id } : {}),
    name: f.name.trim(),
    enabled: f.enabled,
    selector: {
      metric: f.metric,
      ...(f.scope === 'target' ? { targetId: f.targetId } : {}),
      ...(f.scope === 'group' ? { group: f.group.trim() } : {}),
      ...(f.scope === 'kind' ? { kind: f.kind } : {}),
      ...(typeof labels !== 'string' && Object.keys(labels).length > 0 ? { labels } : {}),
    },
    condition: conditionOf(f),
    forMs: Math.round(number(f.forMinutes) * 60_000),
    severity: f.severity,
    message: f.message.trim(),
    action: f.action.trim(),
    ...(f.runbook.trim() ? { runbook: f.runbook.trim() } : {}),
  };
  const parsed = ruleSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = FIELD_OF[String(issue.path[issue.path.length - 1])] ?? 'name';
      if (!errors[key]) errors[key] = fieldHint(key, issue.message);
    }
  }
  if (f.scope === 'target' && !f.targetId) errors.targetId = 'Choose a target.';
  if (f.scope === 'group' && !f.group.trim()) errors.group = 'Enter a group name.';
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { rule: parsed.data as RuleInput };
}

function fieldHint(key: keyof RuleForm, message: string): string {
  switch (key) {
    case 'forMinutes':
      return 'Enter minutes, 0 or more.';
    case 'windowHours':
      return 'Enter hours, at least 0.0167 (one minute).';
    case 'horizonDays':
      return 'Enter days, more than 0.';
    case 'intervals':
      return 'Enter a whole number of intervals, 1 or more.';
    case 'sensitivity':
      return 'Enter a number from 1 to 20.';
    case 'name':
      return 'Enter a name.';
    case 'message':
      return 'Enter a message.';
    case 'value':
    case 'perHour':
    case 'limit':
      return 'Enter a number.';
    default:
      return message;
  }
}

// ---- Notification bursts ---------------------------------------------------------------

export interface BurstNotice {
  targetId: string;
  title: string;
  body: string;
  /** The worst severity in the burst. */
  severity: Severity;
}

/** Is this change of an alert worth a desktop notification (firing or resolved, not silenced)? */
export function notifiable(prev: Alert | undefined, next: Alert): boolean {
  if (next.silenced) return false;
  if (prev?.state === next.state) return false;
  if (next.state === 'firing') return prev?.state !== 'acknowledged';
  return next.state === 'resolved' && prev !== undefined && prev.state !== 'pending';
}

/** One notice per target for a burst of alert changes, so one bad host makes one notice. */
export function groupBurst(changes: Alert[], nameOf: (id: string) => string): BurstNotice[] {
  const byTarget = new Map<string, Alert[]>();
  for (const a of changes) byTarget.set(a.targetId, [...(byTarget.get(a.targetId) ?? []), a]);
  return [...byTarget.entries()].map(([targetId, list]) => {
    const firing = list.filter((a) => a.state === 'firing');
    const resolved = list.filter((a) => a.state === 'resolved');
    const name = nameOf(targetId);
    const parts = [
      firing.length > 0 ? `${firing.length} firing` : '',
      resolved.length > 0 ? `${resolved.length} resolved` : '',
    ].filter(Boolean);
    const worst = [...firing].sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    )[0];
    const lines = [...firing, ...resolved]
      .slice(0, 4)
      .map((a) => `${STATE_WORD[a.state]}: ${a.message || a.ruleName}`);
    if (firing.length + resolved.length > 4)
      lines.push(`and ${firing.length + resolved.length - 4} more`);
    return {
      targetId,
      title: `${name}: ${parts.join(', ')}`,
      body: lines.join('\n'),
      severity: worst?.severity ?? 'info',
    };
  });
}

/** "3 transitions" style words for counts. */
export function countWord(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
