// One collection round of one target: the collector of its kind over its connection. Each
// target keeps its own collector, since rates need the previous round's counters.
import type { Target } from '../../shared/types';
import { assertNever } from '../../shared/result';
import { createHostCollector, type HostCollector } from '../collectors/host/collector';
import { createPostgresCollector, type PostgresCollector } from '../collectors/postgres/collector';
import { createRedisCollector, type RedisCollector } from '../collectors/redis/collector';
import type { CollectOutput } from '../collectors/types';
import type { Connections } from './connections';
import type { RoundResult } from './scheduler';

type Collector = HostCollector | PostgresCollector | RedisCollector;

/** A database whose "up" metric is 0 answered nothing: the round failed, with that reason. */
function downReason(out: CollectOutput, upMetric: string): string | undefined {
  const up = out.points.find((p) => p.metric === upMetric && !p.labels);
  if (!up || up.value !== 0) return undefined;
  return out.errors[0]?.reason ?? 'the server did not answer';
}

export class Collection {
  private readonly collectors = new Map<string, { kind: string; c: Collector }>();

  constructor(private readonly connections: Connections) {}

  /** Forgets a target's counters (after an edit or delete). */
  reset(targetId: string): void {
    this.collectors.delete(targetId);
  }

  async collect(target: Target, now: number): Promise<RoundResult> {
    const { config } = target;
    switch (config.kind) {
      case 'local':
      case 'ssh': {
        const c = this.collector(target, createHostCollector) as HostCollector;
        return c.collect(this.connections.runner(target), now);
      }
      case 'postgres': {
        await this.tunnelFirst(target);
        const c = this.collector(target, createPostgresCollector) as PostgresCollector;
        const out = await c.collect(this.connections.sql(target), now);
        return { ...out, unreachable: downReason(out, 'pg.up') };
      }
      case 'redis': {
        await this.tunnelFirst(target);
        const c = this.collector(target, createRedisCollector) as RedisCollector;
        const out = await c.collect(this.connections.redis(target), now);
        return { ...out, unreachable: downReason(out, 'redis.up') };
      }
      default:
        return assertNever(config, 'target kind');
    }
  }

  /** SSH failures (a host key to accept, a refused login) surface as what they are, not as
   * "database down". */
  private async tunnelFirst(target: Target): Promise<void> {
    const { config } = target;
    if ((config.kind === 'postgres' || config.kind === 'redis') && config.viaTargetId) {
      await this.connections.keyHolder(target).connect();
    }
  }

  private collector(target: Target, make: () => Collector): Collector {
    const have = this.collectors.get(target.id);
    if (have && have.kind === target.config.kind) return have.c;
    const c = make();
    this.collectors.set(target.id, { kind: target.config.kind, c });
    return c;
  }
}
