// The targets and their statuses, loaded once and kept current by 'status' events. Shared by
// the navigation, the host key notices and the pages.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Target, TargetStatus } from '../../shared/types';
import { useClient, useEvent, useLoad } from './hooks';

export interface Inventory {
  targets: Target[] | undefined;
  statuses: Map<string, TargetStatus>;
  error: Error | null;
  loadedAt: number | null;
  reload: () => void;
  /** Replaces one status right away (e.g. after a test or an accepted host key). */
  patchStatus: (s: TargetStatus) => void;
}

const InventoryContext = createContext<Inventory | null>(null);

export function useInventory(): Inventory {
  const inv = useContext(InventoryContext);
  if (!inv) throw new Error('useInventory outside InventoryProvider');
  return inv;
}

export function InventoryProvider({ children }: { children: React.ReactNode }): React.ReactElement {
  const client = useClient();
  const targets = useLoad('listTargets', () => client.listTargets({}));
  const initial = useLoad('statuses', () => client.statuses({}));
  const [statuses, setStatuses] = useState(new Map<string, TargetStatus>());
  const { reload: reloadTargets } = targets;
  const { reload: reloadStatuses } = initial;

  useEffect(() => {
    if (initial.data) setStatuses(new Map(initial.data.map((s) => [s.targetId, s])));
  }, [initial.data]);

  const patchStatus = useCallback((s: TargetStatus) => {
    setStatuses((prev) => new Map(prev).set(s.targetId, s));
  }, []);

  useEvent('status', patchStatus);

  // After the backend comes back, the statuses missed meanwhile are fetched again.
  useEffect(() => {
    let prev = client.connection().state;
    return client.onConnection((c) => {
      if (c.state === 'online' && prev !== 'online') {
        reloadTargets();
        reloadStatuses();
      }
      prev = c.state;
    });
  }, [client, reloadTargets, reloadStatuses]);

  const reload = useCallback(() => {
    reloadTargets();
    reloadStatuses();
  }, [reloadTargets, reloadStatuses]);

  const value = useMemo<Inventory>(
    () => ({
      targets: targets.data,
      statuses,
      error: targets.error ?? initial.error,
      loadedAt: targets.at,
      reload,
      patchStatus,
    }),
    [targets.data, targets.error, targets.at, initial.error, statuses, reload, patchStatus],
  );
  return <InventoryContext.Provider value={value}>{children}</InventoryContext.Provider>;
}
