// The care slice of the contract: PostgreSQL and Redis health, maintenance and backups.
import type { CareMethodName } from '../../shared/care';
import type { OpsdeckApp } from '../app';
import type { ApiImpl } from '../dispatch';
import { BackupService } from './backup';
import { MaintenanceService } from './maintenance';
import { applySetting, signalBackend } from './pg-actions';
import { redisBgsave, redisHealth, redisPersistence, redisScan } from './redis-care';
import { pgHealth } from './pg-health';
import { careTarget, viaHost } from './targets';

type CareApi = Pick<ApiImpl, CareMethodName>;

export interface CareServices {
  maintenance: MaintenanceService;
  backups: BackupService;
}

/** The services behind an app's care slice, for tests and benchmarks that drive them. */
export const careServices = new WeakMap<OpsdeckApp, CareServices>();

export function createCareApi(app: OpsdeckApp): CareApi {
  const audit = (targetId: string, action: string, detail: string, result: string): void =>
    app.audit(targetId, action, detail, result);
  const pg = (id: string) => {
    const target = careTarget(app, id, 'postgres');
    return { target, sql: app.connections.sql(target) };
  };
  const maintenance = new MaintenanceService(app);
  maintenance.startSchedules();
  const backups = new BackupService(app);
  careServices.set(app, { maintenance, backups });
  app.roundExtras.push((target, t) => backups.roundFigures(target, t));
  const redis = (id: string) => {
    const target = careTarget(app, id, 'redis');
    return { target, r: app.connections.redis(target) };
  };
  return {
    carePgHealth: async (arg) => {
      const { target, sql } = pg(arg.targetId);
      return pgHealth(target, sql, viaHost(app, target), Date.now);
    },
    careSignalBackend: async (arg) => {
      const { target, sql } = pg(arg.targetId);
      return signalBackend(target, sql, arg.pid, arg.action, audit);
    },
    careApplySetting: async (arg) => {
      const { target, sql } = pg(arg.targetId);
      return applySetting(target, sql, arg.setting, arg.value, audit);
    },
    carePlanMaintenance: (arg) => maintenance.plan(arg),
    careRunMaintenance: (arg) => maintenance.run(arg),
    careCancelMaintenance: (arg) => maintenance.cancel(arg.runId),
    careListRuns: async (arg) => maintenance.listRuns(arg.targetId, arg.limit),
    careGetRun: async (arg) => maintenance.getRun(arg.runId),
    careListSchedules: async (arg) => maintenance.listSchedules(arg.targetId),
    careSaveSchedule: (arg) => maintenance.saveSchedule(arg),
    careDeleteSchedule: async (arg) => maintenance.deleteSchedule(arg.id),
    careBackupPreflight: (arg) => backups.preflight(arg.targetId, arg.mode),
    careStartBackup: (arg) => backups.start(arg),
    careListBackups: async (arg) => backups.list(arg.targetId),
    careVerifyBackup: (arg) => backups.verify(arg),
    careGetPolicy: async (arg) => backups.getPolicy(arg.targetId),
    careSavePolicy: async (arg) => backups.savePolicy(arg),
    careRunRetention: (arg) => backups.retention(arg.targetId),
    careObjectives: async () => backups.objectives(),
    careRedisHealth: async (arg) => {
      const { target, r } = redis(arg.targetId);
      return redisHealth(target, r, Date.now());
    },
    careRedisScan: async ({ targetId, ...opts }) => {
      const { target, r } = redis(targetId);
      return redisScan(target, r, opts);
    },
    careRedisPersistence: async (arg) => {
      const { target, r } = redis(arg.targetId);
      return redisPersistence(target, r);
    },
    careRedisBgsave: async (arg) => {
      const { target, r } = redis(arg.targetId);
      return redisBgsave(target, r, (action, detail, result) =>
        audit(target.id, action, detail, result),
      );
    },
  };
}
