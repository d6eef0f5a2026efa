// Whether the fleet is out of reach as a whole: every enabled remote target (SSH, PostgreSQL,
// Redis) unreachable. The workstation's own target is left out: it answers from this machine
// whatever the network does, so it says nothing about being offline. Pure.
import type { Target, TargetStatus } from '../../shared/types';

export interface FleetOffline {
  /** The last time any remote target answered (a sample), else when they went down. */
  since: number;
  /** Remote targets that are unreachable (all of the enabled ones). */
  count: number;
  /** The workstation's own target still collects. */
  localLive: boolean;
}

export function fleetOffline(
  targets: readonly Target[],
  statuses: ReadonlyMap<string, TargetStatus>,
): FleetOffline | null {
  const remote = targets.filter((t) => t.enabled && t.config.kind !== 'local');
  if (remote.length === 0) return null;
  const states = remote.map((t) => statuses.get(t.id));
  if (states.some((s) => s === undefined || s.health !== 'unreachable')) return null;
  const known = states as TargetStatus[];
  const answered = known.map((s) => s.lastSampleAt).filter((t): t is number => t !== null);
  const since = answered.length ? Math.max(...answered) : Math.min(...known.map((s) => s.since));
  const local = targets.find((t) => t.enabled && t.config.kind === 'local');
  const localHealth = local ? statuses.get(local.id)?.health : undefined;
  return {
    since,
    count: remote.length,
    localLive: localHealth === 'ok' || localHealth === 'degraded',
  };
}

/** "not reachable since 03:12 (2 h 5 min)" for one target, or null when it answers. */
export function downSince(status: TargetStatus | undefined): number | null {
  if (!status || status.health !== 'unreachable') return null;
  return status.lastSampleAt ?? status.since;
}
