// Pure status bookkeeping: what one collection round means for a target's health.
import type { HostKeyPrompt, MetricError, TargetHealth, TargetStatus } from '../../shared/types';

export type RoundOutcome =
  | { kind: 'ok'; t: number; durationMs: number; metricErrors: MetricError[] }
  | { kind: 'failed'; t: number; durationMs: number; error: string; hostKey: HostKeyPrompt | null }
  | { kind: 'disabled'; t: number };

export function initialStatus(targetId: string, now: number, enabled = true): TargetStatus {
  return {
    targetId,
    health: enabled ? 'pending' : 'disabled',
    lastError: null,
    since: now,
    lastSampleAt: null,
    lastDurationMs: null,
    metricErrors: [],
    hostKey: null,
  };
}

function healthOf(outcome: RoundOutcome): TargetHealth {
  switch (outcome.kind) {
    case 'ok':
      return outcome.metricErrors.length > 0 ? 'degraded' : 'ok';
    case 'failed':
      return 'unreachable';
    case 'disabled':
      return 'disabled';
    default: {
      const never: never = outcome;
      throw new Error(`impossible outcome ${JSON.stringify(never)}`);
    }
  }
}

function summarise(errors: MetricError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.metric}: ${e.reason}`);
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `Some metrics failed: ${shown.join('; ')}${more}`;
}

/** The next status; `since` moves only when the health changes. */
export function nextStatus(prev: TargetStatus, outcome: RoundOutcome): TargetStatus {
  const health = healthOf(outcome);
  const since = health === prev.health ? prev.since : outcome.t;
  switch (outcome.kind) {
    case 'ok':
      return {
        ...prev,
        health,
        since,
        lastError: outcome.metricErrors.length ? summarise(outcome.metricErrors) : null,
        lastSampleAt: outcome.t,
        lastDurationMs: outcome.durationMs,
        metricErrors: outcome.metricErrors,
        hostKey: null,
      };
    case 'failed':
      return {
        ...prev,
        health,
        since,
        lastError: outcome.error,
        lastDurationMs: outcome.durationMs,
        metricErrors: [],
        hostKey: outcome.hostKey,
      };
    case 'disabled':
      return { ...prev, health, since, lastError: null, metricErrors: [], hostKey: null };
    default: {
      const never: never = outcome;
      throw new Error(`impossible outcome ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Delay before the next try after `failures` failed rounds in a row: exponential, jittered so
 * that many hosts lost together do not retry in step, and capped at a minute so a host that
 * comes back is seen soon.
 */
export function retryDelay(intervalMs: number, failures: number, random: number): number {
  const cap = Math.max(intervalMs, 60_000);
  const base = Math.min(intervalMs * 2 ** Math.max(0, failures - 1), cap);
  return Math.round(base * (0.8 + 0.4 * random));
}
