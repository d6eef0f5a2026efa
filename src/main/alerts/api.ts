// The alerting slice of the contract. Until the alert engine is wired in, every method
// answers with a plain error instead of pretending.
import type { ApiImpl } from '../dispatch';
import { OpsdeckError } from '../errors';

export class AlertsUnavailable extends OpsdeckError {}

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

const unavailable = (): Promise<never> =>
  Promise.reject(new AlertsUnavailable('Alerting is not part of this build of Opsdeck yet.'));

export function createAlertsApi(): AlertMethods {
  return {
    listAlerts: unavailable,
    alertHistory: unavailable,
    ackAlert: unavailable,
    listRules: unavailable,
    saveRule: unavailable,
    deleteRule: unavailable,
    previewRule: unavailable,
    exportRules: unavailable,
    importRules: unavailable,
    listSilences: unavailable,
    saveSilence: unavailable,
    deleteSilence: unavailable,
    listChannels: unavailable,
    saveChannel: unavailable,
    deleteChannel: unavailable,
    testChannel: unavailable,
    listDeliveries: unavailable,
    anomalyBand: unavailable,
  };
}
