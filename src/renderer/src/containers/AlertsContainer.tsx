// Loads every recent alert, applies pushed changes, loads histories on demand and carries
// out acknowledge and silence.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Alert } from '../../../shared/alerts';
import { chartRangeFor, upsertAlert } from '../alerting';
import { isUnavailable, useLiveAlerts } from '../alerts-live';
import { errorText } from '../client';
import type { SilenceChoice } from '../components/AlertBits';
import { useClient, useEvent, useLoad, useNow, useThrottled } from '../hooks';
import { useInventory } from '../inventory';
import { AlertsPage, type HistoryState } from '../pages/AlertsPage';
import { navigate, NO_START, type RunStart } from '../router';
import { roleOfKind } from '../runbooks';

export function AlertsContainer(): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const live = useLiveAlerts();
  const now = useNow(10_000);
  const all = useLoad('alerts:all', () => client.listAlerts({ scope: 'all', limit: 500 }));
  const [alerts, setAlerts] = useState<Alert[] | undefined>(all.data);
  const [history, setHistory] = useState(new Map<string, HistoryState>());
  const refetch = useThrottled(all.reload, 5000);
  const reloadLive = live.reload;

  useEffect(() => setAlerts(all.data), [all.data]);

  const loadHistory = useCallback(
    (id: string) => {
      client.alertHistory({ alertId: id }).then(
        (list) => setHistory((h) => (h.has(id) ? new Map(h).set(id, { list, error: null }) : h)),
        (err: unknown) =>
          setHistory((h) =>
            h.has(id)
              ? new Map(h).set(id, { list: h.get(id)?.list ?? null, error: errorText(err) })
              : h,
          ),
      );
    },
    [client],
  );

  const historyRef = useRef(history);
  historyRef.current = history;
  useEvent('alert', (a) => {
    setAlerts((list) => upsertAlert(list ?? [], a));
    if (historyRef.current.has(a.id)) loadHistory(a.id);
    refetch();
  });

  function onHistory(id: string, open: boolean): void {
    setHistory((h) => {
      const next = new Map(h);
      if (open) next.set(id, { list: null, error: null });
      else next.delete(id);
      return next;
    });
    if (open) loadHistory(id);
  }

  async function onAck(alert: Alert, note: string): Promise<void> {
    const updated = await client.ackAlert({ id: alert.id, note });
    setAlerts((list) => upsertAlert(list ?? [], updated));
    if (historyRef.current.has(alert.id)) loadHistory(alert.id);
    reloadLive();
  }

  async function onSilence(alert: Alert, c: SilenceChoice): Promise<void> {
    await client.saveSilence({
      ...(c.on === 'target' ? { targetId: alert.targetId } : { ruleId: alert.ruleId }),
      endsAt: c.endsAt,
      reason: c.reason,
    });
    all.reload();
    reloadLive();
  }

  function onOpenChart(alert: Alert): void {
    navigate({
      page: 'target',
      id: alert.targetId,
      range: chartRangeFor(alert, Date.now()),
      at: alert.startedAt,
    });
  }

  /** An incident from the alert, then the runbook's start page linked to it. */
  async function onStartRunbook(alert: Alert): Promise<void> {
    if (!alert.runbook) return;
    const incident = await client.openIncident({ alertId: alert.id });
    const target = inv.targets?.find((t) => t.id === alert.targetId);
    const start: RunStart = { ...NO_START, incident: incident.id };
    if (target) start[roleOfKind(target.config.kind)] = target.id;
    navigate({ page: 'runbook', id: alert.runbook, start });
  }

  const unavailable = all.error && isUnavailable(all.error) ? all.error.message : null;
  return (
    <AlertsPage
      alerts={alerts}
      unavailable={unavailable}
      error={all.error && !unavailable ? errorText(all.error) : null}
      loadedAt={all.at}
      now={now}
      nameOf={(id) => inv.targets?.find((t) => t.id === id)?.name ?? id}
      history={history}
      onHistory={onHistory}
      onAck={onAck}
      onSilence={onSilence}
      onOpenChart={onOpenChart}
      onStartRunbook={onStartRunbook}
      onRefresh={all.reload}
    />
  );
}
