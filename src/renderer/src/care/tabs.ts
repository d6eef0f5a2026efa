// The tabs of a database target page. Pure: which tabs a kind has, and the one a route names.
export interface CareTab {
  id: string;
  label: string;
}

export const PG_TABS: CareTab[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'activity', label: 'Activity' },
  { id: 'queries', label: 'Queries' },
  { id: 'tables', label: 'Tables and indexes' },
  { id: 'replication', label: 'Replication' },
  { id: 'maintenance', label: 'Maintenance' },
  { id: 'backups', label: 'Backups' },
  { id: 'advice', label: 'Advice' },
];

export const REDIS_TABS: CareTab[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'memory', label: 'Memory' },
  { id: 'keys', label: 'Big keys' },
  { id: 'slowlog', label: 'Slow log and latency' },
  { id: 'clients', label: 'Clients' },
  { id: 'persistence', label: 'Persistence' },
];

/** The tab a route names, or the first (overview) for none or an unknown one. */
export function tabOf(tabs: CareTab[], id: string | null | undefined): CareTab {
  return tabs.find((t) => t.id === id) ?? tabs[0];
}
