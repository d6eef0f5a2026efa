// The alerting slice of the contract, on top of the alert service.
import type { ApiImpl } from '../dispatch';
import type { AlertService } from './service';

type AlertMethods = Pick<
  ApiImpl,
  | 'listAlerts'
  | 'alertHistory'
  | 'ackAlert'
  | 'listRules'
  | 'saveRule'
  | 'deleteRule'
  | 'previewRule'
  | 'exportRules'
  | 'importRules'
  | 'listSilences'
  | 'saveSilence'
  | 'deleteSilence'
  | 'listChannels'
  | 'saveChannel'
  | 'deleteChannel'
  | 'testChannel'
  | 'listDeliveries'
  | 'anomalyBand'
>;

export function createAlertsApi(app: { alerts: AlertService }): AlertMethods {
  const s = app.alerts;
  const store = () => s.store.alerting;
  return {
    listAlerts: async (arg) => s.listAlerts(arg),
    alertHistory: async (arg) => store().transitions(arg.alertId),
    ackAlert: async (arg) => s.ack(arg.id, arg.note),
    listRules: async () => s.listRules(),
    saveRule: async (arg) => s.saveRule(arg),
    deleteRule: async (arg) => s.deleteRule(arg.id),
    previewRule: async (arg) => s.preview(arg),
    exportRules: async () => s.exportRules(),
    importRules: async (arg) => s.importRules(arg.yaml),
    listSilences: async () => s.listSilences(),
    saveSilence: async (arg) => s.saveSilence(arg),
    deleteSilence: async (arg) => s.deleteSilence(arg.id),
    listChannels: async () => s.listChannels(),
    saveChannel: async (arg) => s.saveChannel(arg),
    deleteChannel: async (arg) => s.deleteChannel(arg.id),
    testChannel: (arg) => s.testChannel(arg.id),
    listDeliveries: async (arg) => store().listDeliveries(arg.limit),
    anomalyBand: async (arg) => s.anomalyBand(arg),
  };
}
