// The runbooks slice of the contract: runbooks, runs, incidents, escalation, audit check.
import type { RunbookMethodName } from '../../shared/runbooks';
import type { ApiImpl } from '../dispatch';
import type { Store } from '../store';
import { incidentHtml, runHtml } from './html';
import type { Runbooks } from './index';

type RunbooksApi = Pick<ApiImpl, RunbookMethodName>;

export function createRunbooksApi(app: { runbooks: Runbooks; store: Store }): RunbooksApi {
  const runs = () => app.runbooks.runs;
  const incidents = () => app.runbooks.incidents;
  return {
    listRunbooks: async () => runs().catalog.list(),
    getRunbook: async (arg) => runs().catalog.get(arg.id),
    planRun: async (arg) => runs().plan(arg),
    startRun: async (arg) => runs().start(arg),
    getRun: async (arg) => runs().get(arg.id),
    listRuns: async (arg) => runs().list(arg, arg.limit),
    runStep: (arg) => runs().runStep(arg.runId, arg.index, arg.confirm),
    skipStep: async (arg) => runs().skip(arg.runId, arg.index, arg.reason),
    decide: async (arg) => runs().decide(arg.runId, arg.index, arg.option),
    addRunNote: async (arg) => runs().addNote(arg.runId, arg.index, arg.text),
    abortRun: async (arg) => runs().abort(arg.runId, arg.reason),
    exportRun: async (arg) => runHtml(runs().get(arg.id), Date.now()),
    listIncidents: async (arg) => incidents().list(arg.status, arg.limit),
    getIncident: async (arg) => incidents().get(arg.id),
    openIncident: async (arg) => incidents().open(arg),
    updateIncident: async (arg) => incidents().update(arg),
    ackIncident: async (arg) => incidents().ack(arg.id, arg.note),
    addIncidentNote: async (arg) => incidents().note(arg.id, arg.text),
    exportIncident: async (arg) => {
      const inc = incidents().get(arg.id);
      const linked = inc.runIds.map((id) => runs().get(id));
      return incidentHtml(inc, linked, incidents().matrix(), Date.now());
    },
    getEscalation: async () => incidents().matrix(),
    saveEscalation: async (arg) => incidents().saveMatrix(arg),
    getRunbookSettings: async () => runs().settings(),
    saveRunbookSettings: async (arg) => runs().saveSettings(arg),
    verifyAudit: async () => app.store.verifyAudit(),
  };
}
