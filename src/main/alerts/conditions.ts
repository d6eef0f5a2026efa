// Condition evaluators: pure functions of a series' recent values and `now`. Each answers
// a Verdict; `active: null` means "no verdict" (too little data), which never fires and
// never resolves anything.
import type { Comparison, Condition } from '../../shared/alerts';
import { assertNever } from '../../shared/result';
import { linearFit, type Point, projectLimit } from '../trend/linear';

export { linearFit, projectLimit, type Fit, type Point } from '../trend/linear';

export interface Verdict {
  active: boolean | null;
  /** The value the condition judged (the last value, the rate, the forecast's limit …). */
  value: number | null;
  /** When a forecast reaches its limit (ms since epoch), for the message. */
  projectedAt?: number;
}

export const HOUR_MS = 3_600_000;
/** A window must be at least this much covered by samples before a fit is trusted. */
const MIN_COVERAGE = 0.5;
const MIN_FIT_POINTS = 5;

export const NO_VERDICT: Verdict = { active: null, value: null };

export function compare(op: Comparison, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return assertNever(op, 'comparison');
  }
}

export function thresholdVerdict(
  c: Extract<Condition, { kind: 'threshold' }>,
  last: Point | null,
): Verdict {
  if (!last) return NO_VERDICT;
  return { active: compare(c.op, last.v, c.value), value: last.v };
}

function covered(points: readonly Point[], from: number, now: number, windowMs: number): boolean {
  const first = points.find((p) => p.t >= from);
  return first !== undefined && now - first.t >= windowMs * MIN_COVERAGE;
}

export function rateVerdict(
  c: Extract<Condition, { kind: 'rate' }>,
  points: readonly Point[],
  now: number,
): Verdict {
  const from = now - c.windowMs;
  if (!covered(points, from, now, c.windowMs)) return NO_VERDICT;
  const fit = linearFit(points, from);
  if (!fit || fit.n < MIN_FIT_POINTS) return NO_VERDICT;
  const perHour = fit.slope * HOUR_MS;
  return { active: compare(c.op, perHour, c.perHour), value: perHour };
}

export function forecastVerdict(
  c: Extract<Condition, { kind: 'forecast' }>,
  points: readonly Point[],
  now: number,
): Verdict {
  const from = now - c.windowMs;
  if (!covered(points, from, now, c.windowMs)) return NO_VERDICT;
  const fit = linearFit(points, from);
  if (!fit || fit.n < MIN_FIT_POINTS) return NO_VERDICT;
  const at = projectLimit(fit, c.limit, now);
  const last = points[points.length - 1];
  if (at === null) return { active: false, value: last.v };
  return { active: at - now <= c.horizonMs, value: last.v, projectedAt: Math.round(at) };
}

export interface AbsentInput {
  /** Last sample of the series; null when it was never seen (no verdict). */
  lastT: number | null;
  now: number;
  intervalMs: number;
  /** Rounds of the target that came without this series since it was last seen. */
  missedRounds: number;
}

/**
 * Absent after `intervals` rounds of the target came without the series, or, when no round
 * comes at all (a dead host), after (intervals + ½) intervals of silence: the half interval
 * spares a round that is merely slow.
 */
export function absentVerdict(
  c: Extract<Condition, { kind: 'absent' }>,
  input: AbsentInput,
): Verdict {
  if (input.lastT === null) return NO_VERDICT;
  const silentMs = input.now - input.lastT;
  const active =
    input.missedRounds >= c.intervals || silentMs >= (c.intervals + 0.5) * input.intervalMs;
  return { active, value: null };
}
