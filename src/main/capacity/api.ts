// The capacity slice of the contract: forecasts and chart data from the local store only.
import type { CapacityMethodName } from '../../shared/capacity';
import type { OpsdeckApp } from '../app';
import type { ApiImpl } from '../dispatch';
import { capacitySeries, forecastCapacity } from './index';

type CapacityApi = Pick<ApiImpl, CapacityMethodName>;

export function createCapacityApi(app: OpsdeckApp): CapacityApi {
  return {
    capacity: async ({ windowDays, group }) => {
      const targets = app.store.listTargets();
      const targetIds =
        group === undefined ? undefined : targets.filter((t) => t.group === group).map((t) => t.id);
      return forecastCapacity(app.store, { now: Date.now(), windowDays, targetIds });
    },
    capacitySeries: async ({ targetId, key, windowDays }) =>
      capacitySeries(app.store, { now: Date.now(), windowDays, targetId, key }),
  };
}
