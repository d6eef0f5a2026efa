// The lifecycle of one alert per (rule, series), as a pure step function:
//   (none|resolved) -> pending -> firing -> acknowledged -> resolved
// Pending: the condition holds but not yet for the rule's forMs. Firing: it held that long.
// Resolved: false for forMs. A rule that resolves more than FLAP_LIMIT times within an
// hour is flapping: it is held firing until the condition stays false for FLAP_HOLD_MS.
// Silences change what is notified, never the state.
import type { Alert, AlertRule, AlertState } from '../../shared/alerts';

export const FLAP_LIMIT = 3;
export const FLAP_WINDOW_MS = 3_600_000;
export const FLAP_HOLD_MS = 30 * 60_000;

export interface Transition {
  from: AlertState | null;
  to: AlertState;
}

/** An alert with what the state machine needs beyond the shared view. */
export interface AlertRecord extends Alert {
  seriesKey: string;
  /** Since when the condition has been false while firing; null while it holds. */
  clearSince: number | null;
}

/** Per (rule, series): resolve times of the last hour, which outlive single alerts. */
export interface FlapHistory {
  resolves: number[];
}

export interface StepInput {
  active: boolean;
  value: number | null;
  now: number;
}

export interface StepResult {
  alert: AlertRecord | null;
  transitions: Transition[];
}

export type NewAlert = Omit<
  AlertRecord,
  'state' | 'startedAt' | 'firingAt' | 'resolvedAt' | 'clearSince' | 'value'
>;

function isOpen(a: AlertRecord | null): a is AlertRecord {
  return a !== null && a.state !== 'resolved';
}

/** One evaluation of one series against one rule. */
export function step(
  rule: Pick<AlertRule, 'forMs'>,
  current: AlertRecord | null,
  input: StepInput,
  flap: FlapHistory,
  fresh: () => NewAlert,
): StepResult {
  if (!isOpen(current)) return input.active ? start(rule, input, fresh()) : none();
  if (current.state === 'pending') return stepPending(rule, current, input);
  return stepFiring(rule, current, input, flap);
}

function none(): StepResult {
  return { alert: null, transitions: [] };
}

function start(rule: Pick<AlertRule, 'forMs'>, input: StepInput, base: NewAlert): StepResult {
  const firing = rule.forMs === 0;
  const alert: AlertRecord = {
    ...base,
    state: firing ? 'firing' : 'pending',
    value: input.value,
    startedAt: input.now,
    firingAt: firing ? input.now : null,
    resolvedAt: null,
    clearSince: null,
  };
  return { alert, transitions: [{ from: null, to: alert.state }] };
}

function stepPending(rule: Pick<AlertRule, 'forMs'>, a: AlertRecord, input: StepInput): StepResult {
  if (!input.active) {
    const next = { ...a, state: 'resolved' as const, resolvedAt: input.now, value: input.value };
    return { alert: next, transitions: [{ from: 'pending', to: 'resolved' }] };
  }
  if (input.now - a.startedAt < rule.forMs) {
    return { alert: { ...a, value: input.value }, transitions: [] };
  }
  const next = { ...a, state: 'firing' as const, firingAt: input.now, value: input.value };
  return { alert: next, transitions: [{ from: 'pending', to: 'firing' }] };
}

function stepFiring(
  rule: Pick<AlertRule, 'forMs'>,
  a: AlertRecord,
  input: StepInput,
  flap: FlapHistory,
): StepResult {
  if (input.active) {
    return { alert: { ...a, value: input.value, clearSince: null }, transitions: [] };
  }
  const clearSince = a.clearSince ?? input.now;
  const hold = a.flapping ? Math.max(rule.forMs, FLAP_HOLD_MS) : rule.forMs;
  if (input.now - clearSince < hold) {
    return { alert: { ...a, value: input.value, clearSince }, transitions: [] };
  }
  flap.resolves = flap.resolves.filter((t) => input.now - t < FLAP_WINDOW_MS);
  if (!a.flapping && flap.resolves.length >= FLAP_LIMIT) {
    // Resolving again would be one cycle too many: hold it firing, marked flapping.
    return { alert: { ...a, value: input.value, clearSince, flapping: true }, transitions: [] };
  }
  flap.resolves.push(input.now);
  const next: AlertRecord = {
    ...a,
    state: 'resolved',
    resolvedAt: input.now,
    value: input.value,
    clearSince,
    flapping: false,
  };
  return { alert: next, transitions: [{ from: a.state, to: 'resolved' }] };
}

/** Acknowledges a firing (or pending) alert; null when it is resolved already. */
export function acknowledge(
  a: AlertRecord,
  by: string,
  note: string,
  now: number,
): StepResult | null {
  if (a.state === 'resolved') return null;
  const next: AlertRecord = { ...a, state: 'acknowledged', ackBy: by, ackNote: note, ackAt: now };
  return { alert: next, transitions: [{ from: a.state, to: 'acknowledged' }] };
}
