// The runbooks slice of the contract: runbooks, runs, incidents, escalation, audit check.
import type { RunbookMethodName } from '../../shared/runbooks';
import type { OpsdeckApp } from '../app';
import type { ApiImpl } from '../dispatch';
import { RunbooksUnavailable } from '../errors';

type RunbooksApi = Pick<ApiImpl, RunbookMethodName>;

function notYet(): Promise<never> {
  return Promise.reject(new RunbooksUnavailable('Runbooks are not part of this build yet.'));
}

export function createRunbooksApi(app: OpsdeckApp): RunbooksApi {
  void app;
  return {
    listRunbooks: notYet,
    getRunbook: notYet,
    planRun: notYet,
    startRun: notYet,
    getRun: notYet,
    listRuns: notYet,
    runStep: notYet,
    skipStep: notYet,
    decide: notYet,
    addRunNote: notYet,
    abortRun: notYet,
    exportRun: notYet,
    listIncidents: notYet,
    getIncident: notYet,
    openIncident: notYet,
    updateIncident: notYet,
    ackIncident: notYet,
    addIncidentNote: notYet,
    exportIncident: notYet,
    getEscalation: notYet,
    saveEscalation: notYet,
    getRunbookSettings: notYet,
    saveRunbookSettings: notYet,
    verifyAudit: notYet,
  };
}
