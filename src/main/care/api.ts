// The care slice of the contract: PostgreSQL and Redis health, maintenance and backups.
import type { CareMethodName } from '../../shared/care';
import type { OpsdeckApp } from '../app';
import type { ApiImpl } from '../dispatch';
import { CareUnavailable } from '../errors';

type CareApi = Pick<ApiImpl, CareMethodName>;

function notYet(): Promise<never> {
  return Promise.reject(
    new CareUnavailable('This part of database care is not in this build yet.'),
  );
}

export function createCareApi(app: OpsdeckApp): CareApi {
  void app;
  return {
    carePgHealth: notYet,
    careSignalBackend: notYet,
    careApplySetting: notYet,
    carePlanMaintenance: notYet,
    careRunMaintenance: notYet,
    careCancelMaintenance: notYet,
    careListRuns: notYet,
    careGetRun: notYet,
    careListSchedules: notYet,
    careSaveSchedule: notYet,
    careDeleteSchedule: notYet,
    careBackupPreflight: notYet,
    careStartBackup: notYet,
    careListBackups: notYet,
    careVerifyBackup: notYet,
    careGetPolicy: notYet,
    careSavePolicy: notYet,
    careRunRetention: notYet,
    careObjectives: notYet,
    careRedisHealth: notYet,
    careRedisScan: notYet,
    careRedisPersistence: notYet,
    careRedisBgsave: notYet,
  };
}
