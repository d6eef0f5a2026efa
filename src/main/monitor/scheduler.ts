// Runs one collection loop per target. Rounds of one target never overlap, every round has a
// deadline, and no target waits for another: each loop has its own timer.
import type { MetricError, MetricPoint, Target, TargetStatus } from '../../shared/types';
import { HostKeyChanged, HostKeyUnknown, errorMessage } from '../errors';
import { createLogger } from '../log';
import { initialStatus, nextStatus, retryDelay, type RoundOutcome } from './status';

const log = createLogger('monitor');

export interface RoundResult {
  points: MetricPoint[];
  errors: MetricError[];
  snapshot?: Record<string, unknown>;
  /** Set when the target answered nothing useful (a database that is down): the round
   * still stores what it has (e.g. up = 0) but the target counts as unreachable. */
  unreachable?: string;
}

export interface SchedulerDeps {
  /** Collects one round from a target; rejects when the target cannot be reached. */
  collect(target: Target, now: number): Promise<RoundResult>;
  onRound(target: Target, t: number, result: RoundResult): void;
  onStatus(status: TargetStatus): void;
  now?: () => number;
  /** Deadline of one round; defaults to roundDeadline(intervalMs). */
  deadlineMs?: (target: Target) => number;
}

interface Loop {
  target: Target;
  timer: NodeJS.Timeout | null;
  running: boolean;
  failures: number;
  stopped: boolean;
}

export class RoundTimeout extends Error {
  override name = 'CommandTimeout';
}

/** The deadline of one round: most of the interval, never the whole of it. */
export function roundDeadline(intervalMs: number): number {
  return Math.max(2000, Math.min(intervalMs - 500, 30_000));
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RoundTimeout(`${what} did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

export class Scheduler {
  private readonly loops = new Map<string, Loop>();
  private readonly statuses = new Map<string, TargetStatus>();
  private readonly now: () => number;

  constructor(
    private readonly deps: SchedulerDeps,
    restored: TargetStatus[] = [],
  ) {
    this.now = deps.now ?? Date.now;
    for (const s of restored) this.statuses.set(s.targetId, s);
  }

  status(targetId: string): TargetStatus | undefined {
    return this.statuses.get(targetId);
  }

  allStatuses(): TargetStatus[] {
    return [...this.statuses.values()];
  }

  /** Starts, restarts or stops the loop of a target after it was added or changed. */
  upsert(target: Target): void {
    this.remove(target.id, false);
    const prev =
      this.statuses.get(target.id) ?? initialStatus(target.id, this.now(), target.enabled);
    if (!target.enabled) {
      this.setStatus(nextStatus(prev, { kind: 'disabled', t: this.now() }));
      return;
    }
    if (prev.health === 'disabled') this.setStatus(initialStatus(target.id, this.now()));
    else if (!this.statuses.has(target.id)) this.setStatus(prev);
    const loop: Loop = { target, timer: null, running: false, failures: 0, stopped: false };
    this.loops.set(target.id, loop);
    this.schedule(loop, 0);
  }

  remove(targetId: string, forget = true): void {
    const loop = this.loops.get(targetId);
    if (loop) {
      loop.stopped = true;
      if (loop.timer) clearTimeout(loop.timer);
      this.loops.delete(targetId);
    }
    if (forget) this.statuses.delete(targetId);
  }

  /** Runs a round now (e.g. after a host key was accepted) instead of waiting for the timer. */
  kick(targetId: string): void {
    const loop = this.loops.get(targetId);
    if (loop && !loop.running) {
      if (loop.timer) clearTimeout(loop.timer);
      this.schedule(loop, 0);
    }
  }

  stop(): void {
    for (const id of [...this.loops.keys()]) this.remove(id, false);
  }

  private schedule(loop: Loop, delay: number): void {
    loop.timer = setTimeout(() => void this.round(loop), delay);
    loop.timer.unref?.();
  }

  private async round(loop: Loop): Promise<void> {
    if (loop.stopped || loop.running) return;
    loop.running = true;
    const { target } = loop;
    const started = this.now();
    let outcome: RoundOutcome;
    try {
      const what = `Target ${target.name}`;
      const result = await withDeadline(
        this.deps.collect(target, started),
        (this.deps.deadlineMs ?? ((t: Target) => roundDeadline(t.intervalMs)))(target),
        what,
      );
      if (!loop.stopped) this.deps.onRound(target, started, result);
      const durationMs = this.now() - started;
      if (result.unreachable !== undefined) {
        outcome = {
          kind: 'failed',
          t: started,
          durationMs,
          error: result.unreachable,
          hostKey: null,
        };
        loop.failures += 1;
      } else {
        outcome = { kind: 'ok', t: started, durationMs, metricErrors: result.errors };
        loop.failures = 0;
      }
    } catch (err) {
      outcome = this.failure(target, err, started);
      loop.failures += 1;
    }
    loop.running = false;
    if (loop.stopped) return;
    const prev = this.statuses.get(target.id) ?? initialStatus(target.id, started);
    this.setStatus(nextStatus(prev, outcome));
    const delay =
      loop.failures === 0
        ? Math.max(0, target.intervalMs - (this.now() - started))
        : retryDelay(target.intervalMs, loop.failures, Math.random());
    this.schedule(loop, delay);
  }

  private failure(target: Target, err: unknown, t: number): RoundOutcome {
    const durationMs = this.now() - t;
    log.debug('round failed', { target: target.name, error: errorMessage(err) });
    if (err instanceof HostKeyUnknown || err instanceof HostKeyChanged) {
      const hostKey = {
        targetId: target.id,
        host: err.host,
        port: err.port,
        keyType: err.keyType,
        fingerprint: err.fingerprint,
        knownFingerprint: err instanceof HostKeyChanged ? err.knownFingerprint : null,
      };
      return { kind: 'failed', t, durationMs, error: err.message, hostKey };
    }
    return { kind: 'failed', t, durationMs, error: errorMessage(err), hostKey: null };
  }

  private setStatus(status: TargetStatus): void {
    const prev = this.statuses.get(status.targetId);
    this.statuses.set(status.targetId, status);
    if (prev?.health !== status.health) {
      log.info('target health', {
        targetId: status.targetId,
        health: status.health,
        error: status.lastError,
      });
    }
    this.deps.onStatus(status);
  }
}
