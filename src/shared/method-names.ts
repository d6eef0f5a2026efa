// The contract's method names as plain data, for the preload bundle (which must stay tiny and
// carries no schema library). api.ts checks at compile time that this list is exact.
export const METHOD_NAMES = [
  'appInfo',
  'listTargets',
  'saveTarget',
  'deleteTarget',
  'testTarget',
  'acceptHostKey',
  'importSshConfig',
  'fleet',
  'statuses',
  'listSeries',
  'query',
  'snapshot',
  'getSettings',
  'saveSettings',
  'listAlerts',
  'alertHistory',
  'ackAlert',
  'listRules',
  'saveRule',
  'deleteRule',
  'previewRule',
  'exportRules',
  'importRules',
  'listSilences',
  'saveSilence',
  'deleteSilence',
  'listChannels',
  'saveChannel',
  'deleteChannel',
  'testChannel',
  'listDeliveries',
  'anomalyBand',
  'auditLog',
] as const;

export const EVENT_NAMES = ['sample', 'status', 'alert'] as const;

export const IPC_EVENT_CHANNEL = 'opsdeck:event';
export const ipcChannel = (method: string): string => `opsdeck:${method}`;
