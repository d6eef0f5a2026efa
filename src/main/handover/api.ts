// The handover slice of the contract: compose, edit, hand over, acknowledge, search, export.
import type { HandoverMethodName } from '../../shared/handover';
import type { ApiImpl } from '../dispatch';
import type { HandoverService } from './service';

type HandoverApi = Pick<ApiImpl, HandoverMethodName>;

export function createHandoverApi(app: { handovers: HandoverService }): HandoverApi {
  const h = () => app.handovers;
  return {
    handoverCurrent: async () => h().current(),
    handoverCompose: async (arg) => h().compose(arg),
    handoverSave: async (arg) => h().save(arg),
    handoverHandOver: async (arg) => h().handOver(arg.id),
    handoverAck: async (arg) => h().ack(arg.id, arg.by, arg.note),
    handoverGet: async (arg) => h().get(arg.id),
    handoverList: async (arg) => h().list(arg.query, arg.limit),
    handoverExport: (arg) => h().export(arg.id, arg.format),
  };
}
