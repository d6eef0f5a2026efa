// How many incidents are open, for the navigation: loaded once, kept current by `incident`
// events. Zero while the backend has no runbook feature. In browser mode it also raises a
// desktop notification when an escalation level falls due (Electron's main process does
// that by itself).
import { useEffect, useRef, useState } from 'react';
import type { Incident } from '../../shared/runbooks';
import { browserNotificationsPossible } from './alerts-live';
import { useClient, useEvent } from './hooks';
import { incidentOpen } from './runbooks';

/** Timeline entries that call for someone: a level due or escalated. */
function escalations(i: Incident): { id: number; text: string }[] {
  return i.timeline.filter((e) => e.kind === 'escalation-due' || e.kind === 'escalated');
}

function notifyEscalation(i: Incident, text: string): void {
  if (!browserNotificationsPossible() || Notification.permission !== 'granted') return;
  const shown = new Notification(`Escalation: ${i.title}`, {
    body: text,
    tag: `opsdeck-incident-${i.id}`,
  });
  shown.onclick = () => {
    window.focus();
    window.location.hash = `#/incidents/${encodeURIComponent(i.id)}`;
  };
}

export function useOpenIncidents(): number {
  const client = useClient();
  const [open, setOpen] = useState<Map<string, boolean>>(new Map());
  /** Escalation entries already known, so that each is notified once. */
  const seen = useRef<Set<number> | null>(null);

  useEffect(() => {
    let alive = true;
    const load = (): void => {
      client.listIncidents({ limit: 500 }).then(
        (list: Incident[]) => {
          if (!alive) return;
          setOpen(new Map(list.map((i) => [i.id, incidentOpen(i)])));
          const known = seen.current ?? new Set<number>();
          for (const i of list) for (const e of escalations(i)) known.add(e.id);
          seen.current = known;
        },
        () => undefined,
      );
    };
    load();
    let prev = client.connection().state;
    const off = client.onConnection((c) => {
      if (c.state === 'online' && prev !== 'online') load();
      prev = c.state;
    });
    return () => {
      alive = false;
      off();
    };
  }, [client]);

  useEvent('incident', (i) => {
    setOpen((m) => new Map(m).set(i.id, incidentOpen(i)));
    const known = seen.current;
    if (known === null) return;
    for (const e of escalations(i)) {
      if (known.has(e.id)) continue;
      known.add(e.id);
      if (incidentOpen(i)) notifyEscalation(i, e.text);
    }
  });
  let n = 0;
  for (const v of open.values()) if (v) n++;
  return n;
}
