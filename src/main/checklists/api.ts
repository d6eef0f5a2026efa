// The checklists slice of the contract: library, runs, ticks, refresh, finish, settings.
import type { ChecklistMethodName } from '../../shared/checklists';
import type { ApiImpl } from '../dispatch';
import type { ChecklistService } from './service';

type ChecklistsApi = Pick<ApiImpl, ChecklistMethodName>;

export function createChecklistsApi(app: { checklists: ChecklistService }): ChecklistsApi {
  const svc = () => app.checklists;
  return {
    listChecklists: async () => svc().library(),
    startChecklistRun: async (arg) => svc().start(arg.checklistId),
    getChecklistRun: async (arg) => svc().get(arg.id),
    listChecklistRuns: async (arg) => svc().list(arg),
    tickItem: async (arg) => svc().tick(arg),
    refreshChecklistRun: async (arg) => svc().refresh(arg.id),
    finishChecklistRun: async (arg) => svc().finish(arg.id, arg.note),
    getChecklistSettings: async () => svc().settings(),
    saveChecklistSettings: async (arg) => svc().saveSettings(arg),
  };
}
