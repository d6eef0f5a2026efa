// What one collection round of one target yields.
import type { MetricError, MetricPoint } from '../../shared/types';

export interface CollectOutput {
  points: MetricPoint[];
  errors: MetricError[];
  /** Current-state tables that are not series (mounts, sessions, replicas …). */
  snapshot?: Record<string, unknown>;
}

/** Rows read from line-oriented text; a line that could not be read is a problem, not a row. */
export interface Parsed<T> {
  rows: T[];
  problems: string[];
}
