// Capacity forecasts read from the local store alone: no target needs to be reachable.
import type { CapacityForecast, CapacityResource } from '../../shared/capacity';
import type { Store } from '../store';

export interface ForecastOptions {
  now: number;
  windowDays: number;
  /** Only these targets; all when absent. */
  targetIds?: readonly string[];
  /** Limits in percent for filesystem, memory and CPU, overriding the defaults. */
  limits?: Partial<Record<CapacityResource, number>>;
}

/** Every capacity forecast of the chosen targets, soonest limit first. */
export function forecastCapacity(store: Store, opts: ForecastOptions): CapacityForecast[] {
  void store;
  void opts;
  return [];
}
