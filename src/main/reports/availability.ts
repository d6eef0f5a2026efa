// What counts for availability. Every collection round ends in a status: ok or degraded is
// a good round (the target answered; some metrics failing is degraded, not an outage);
// unreachable is a failed round: the target could not be reached, timed out, refused its
// host key or login, or is a database that answered nothing useful (the collector reports
// it unreachable, e.g. PostgreSQL down behind a live SSH tunnel). Pending (never tried) is
// no round; disabling a target ends its open outage, since nothing is measured after it.
import type { TargetStatus } from '../../shared/types';
import type { AvailabilityTables } from '../store/availability';

export function recordStatus(tables: AvailabilityTables, s: TargetStatus, now: number): void {
  switch (s.health) {
    case 'ok':
    case 'degraded':
      tables.recordRound(s.targetId, s.lastSampleAt ?? now, true, null);
      return;
    case 'unreachable':
      tables.recordRound(s.targetId, now, false, s.lastError ?? 'the target could not be reached');
      return;
    case 'disabled':
      tables.closeOpen(s.targetId, now);
      return;
    case 'pending':
      return;
    default: {
      const never: never = s.health;
      throw new Error(`impossible health ${String(never)}`);
    }
  }
}
