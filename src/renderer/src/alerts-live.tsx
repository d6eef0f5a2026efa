// The active alerts, loaded once and kept current by `alert` events. Shared by the
// navigation count, the fleet badges and the browser-mode desktop notifications.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { Alert } from '../../shared/alerts';
import { firingByTarget, groupBurst, notifiable, upsertAlert } from './alerting';
import { ApiCallError } from './client';
import { useClient, useEvent } from './hooks';
import { useInventory } from './inventory';

export interface LiveAlerts {
  /** Active alerts (pending, firing, acknowledged) and the ones resolved since loading. */
  alerts: Alert[] | undefined;
  /** Set when this build of the backend has no alerting: pages say so once, plainly. */
  unavailable: string | null;
  error: Error | null;
  firing: Map<string, number>;
  /** Grows by one on every pushed alert change. */
  version: number;
  reload: () => void;
}

const LiveAlertsContext = createContext<LiveAlerts | null>(null);

export function useLiveAlerts(): LiveAlerts {
  const live = useContext(LiveAlertsContext);
  if (!live) throw new Error('useLiveAlerts outside AlertsProvider');
  return live;
}

/** The backend answers AlertsUnavailable until the alert engine is part of the build. */
export function isUnavailable(err: unknown): boolean {
  return err instanceof ApiCallError && err.name === 'AlertsUnavailable';
}

export function AlertsProvider({ children }: { children: React.ReactNode }): React.ReactElement {
  const client = useClient();
  const [alerts, setAlerts] = useState<Alert[] | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const notifier = useBurstNotifier();

  useEffect(() => {
    let alive = true;
    client.listAlerts({ scope: 'active' }).then(
      (list) => {
        if (!alive) return;
        setAlerts(list);
        setError(null);
        setUnavailable(null);
      },
      (err: unknown) => {
        if (!alive) return;
        if (isUnavailable(err)) setUnavailable((err as Error).message);
        else setError(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return () => {
      alive = false;
    };
  }, [client, tick]);

  // After the backend comes back, what changed meanwhile is fetched again.
  useEffect(() => {
    let prev = client.connection().state;
    return client.onConnection((c) => {
      if (c.state === 'online' && prev !== 'online') reload();
      prev = c.state;
    });
  }, [client, reload]);

  const alertsRef = useRef(alerts);
  alertsRef.current = alerts;
  useEvent('alert', (a) => {
    const prev = alertsRef.current?.find((x) => x.id === a.id);
    notifier(prev, a);
    setAlerts((list) => upsertAlert(list ?? [], a));
    setVersion((n) => n + 1);
    setUnavailable(null);
  });

  const value = useMemo<LiveAlerts>(
    () => ({
      alerts,
      unavailable,
      error,
      firing: firingByTarget(alerts ?? []),
      version,
      reload,
    }),
    [alerts, unavailable, error, version, reload],
  );
  return <LiveAlertsContext.Provider value={value}>{children}</LiveAlertsContext.Provider>;
}

/** Browser mode only: Electron's main process notifies by itself. */
export function browserNotificationsPossible(): boolean {
  return window.opsdeck === undefined && typeof Notification !== 'undefined';
}

/** Collects notifiable changes for a few seconds, then one notification per target. */
const BURST_MS = 3000;

function useBurstNotifier(): (prev: Alert | undefined, next: Alert) => void {
  const inv = useInventory();
  const pending = useRef<Alert[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const invRef = useRef(inv);
  invRef.current = inv;

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return useCallback((prev: Alert | undefined, next: Alert) => {
    if (!browserNotificationsPossible() || Notification.permission !== 'granted') return;
    if (!notifiable(prev, next)) return;
    pending.current = [...pending.current.filter((a) => a.id !== next.id), next];
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      const burst = pending.current;
      pending.current = [];
      const nameOf = (id: string): string =>
        invRef.current.targets?.find((t) => t.id === id)?.name ?? id;
      for (const n of groupBurst(burst, nameOf)) {
        // The tag makes a newer notice for the same target replace the older one.
        const shown = new Notification(n.title, { body: n.body, tag: `opsdeck-${n.targetId}` });
        shown.onclick = () => {
          window.focus();
          window.location.hash = '#/alerts';
        };
      }
    }, BURST_MS);
  }, []);
}
