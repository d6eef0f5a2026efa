// How many incidents are open, for the navigation: loaded once, kept current by `incident`
// events. Zero while the backend has no runbook feature.
import { useEffect, useState } from 'react';
import type { Incident } from '../../shared/runbooks';
import { useClient, useEvent } from './hooks';
import { incidentOpen } from './runbooks';

export function useOpenIncidents(): number {
  const client = useClient();
  const [open, setOpen] = useState<Map<string, boolean>>(new Map());

  useEffect(() => {
    let alive = true;
    const load = (): void => {
      client.listIncidents({ limit: 500 }).then(
        (list: Incident[]) => {
          if (alive) setOpen(new Map(list.map((i) => [i.id, incidentOpen(i)])));
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

  useEvent('incident', (i) => setOpen((m) => new Map(m).set(i.id, incidentOpen(i))));
  let n = 0;
  for (const v of open.values()) if (v) n++;
  return n;
}
