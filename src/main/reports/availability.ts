// What counts for availability. Every collection round ends in a status: ok or degraded is
// a good round (the target answered; some metrics failing is degraded, not an outage);
// unreachable is a failed round: the target could not be reached, timed out, refused its
// host key or login, or is a database that answered nothing useful (the collector reports
// it unreachable, e.g. PostgreSQL down behind a live SSH tunnel). Pending (never tried) and
// a new host key waiting for the operator's decision are no round; disabling a target ends
// its open outage, since nothing is measured after it.
//
// A failing target is retried with backoff (up to about a minute) instead of every
// interval, so an outage would produce fewer rounds per minute than good service and the
// share would flatter it. The scheduled rounds a retry replaced are therefore counted as
// failed while the target was last known down: the time since the previous attempt, in
// intervals. A gap longer than any backoff (Opsdeck was closed, the machine slept) counts
// nothing, since nothing was measured then.
import type { TargetStatus } from '../../shared/types';
import type { AvailabilityTables } from '../store/availability';

interface LastRound {
  t: number;
  ok: boolean;
}

/** Longest wait between two attempts the scheduler makes (retryDelay's cap with its jitter,
 * plus a round's deadline), in intervals of at least a minute. */
function longestGapMs(intervalMs: number): number {
  return 1.2 * Math.max(intervalMs, 60_000) + intervalMs;
}

/** The scheduled rounds between two attempts that were not made, counted as failed only
 * when the previous attempt failed. */
export function missedRounds(prev: LastRound | undefined, t: number, intervalMs: number): number {
  if (!prev || prev.ok || intervalMs <= 0) return 0;
  const gap = t - prev.t;
  if (gap <= intervalMs || gap > longestGapMs(intervalMs)) return 0;
  return Math.max(0, Math.round(gap / intervalMs) - 1);
}

export class AvailabilityRecorder {
  private readonly last = new Map<string, LastRound>();

  constructor(private readonly tables: AvailabilityTables) {}

  /** Counts the round a status ends (and the rounds a retry replaced). */
  record(s: TargetStatus, intervalMs: number, now: number): void {
    switch (s.health) {
      case 'ok':
      case 'degraded':
        this.round(s, s.lastSampleAt ?? now, true, null, intervalMs);
        return;
      case 'unreachable':
        // A first host key waiting for the operator to accept it: nothing was tried, so
        // this is no round (a changed key, refused, is a failed one).
        if (s.hostKey && s.hostKey.knownFingerprint === null) return;
        this.round(s, now, false, s.lastError ?? 'the target could not be reached', intervalMs);
        return;
      case 'disabled':
        this.last.delete(s.targetId);
        this.tables.closeOpen(s.targetId, now);
        return;
      case 'pending':
        return;
      default: {
        const never: never = s.health;
        throw new Error(`impossible health ${String(never)}`);
      }
    }
  }

  private round(
    s: TargetStatus,
    t: number,
    ok: boolean,
    reason: string | null,
    intervalMs: number,
  ): void {
    const missed = missedRounds(this.last.get(s.targetId), t, intervalMs);
    this.tables.recordRound(s.targetId, t, ok, reason, missed);
    this.last.set(s.targetId, { t, ok });
  }
}
