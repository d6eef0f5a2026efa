// Gathers one round's points and metric errors. Every value passes the finite check here,
// so no NaN or Infinity leaves a collector.
import type { MetricName } from '../../shared/metrics';
import type { MetricError, MetricPoint } from '../../shared/types';
import { errorMessage } from '../errors';
import { finite } from './num';
import type { CollectOutput } from './types';

export class Emitter {
  readonly points: MetricPoint[] = [];
  readonly errors: MetricError[] = [];

  point(
    metric: MetricName,
    value: number | null | undefined,
    labels?: Record<string, string>,
  ): void {
    const p: MetricPoint = { metric, value: finite(value) };
    if (labels) p.labels = labels;
    this.points.push(p);
  }

  /** One error per metric the failed step feeds, all with the same reason. */
  fail(metrics: readonly string[], reason: string): void {
    for (const metric of metrics) this.errors.push({ metric, reason });
  }

  /** Runs one step; a throw fails only `metrics` (reason: `what` and the message) => null. */
  attempt<T>(metrics: readonly string[], what: string, fn: () => T): T | null {
    try {
      return fn();
    } catch (err) {
      this.fail(metrics, `${what}: ${errorMessage(err)}`);
      return null;
    }
  }

  /** Async attempt, for queries. */
  async attemptAsync<T>(
    metrics: readonly string[],
    what: string,
    fn: () => Promise<T>,
  ): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      this.fail(metrics, `${what}: ${errorMessage(err)}`);
      return null;
    }
  }

  output(snapshot?: Record<string, unknown>): CollectOutput {
    return snapshot
      ? { points: this.points, errors: this.errors, snapshot }
      : { points: this.points, errors: this.errors };
  }
}
