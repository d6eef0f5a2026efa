// Fetches the fleet, patches statuses as they are pushed and refetches on samples (throttled).
import { useEffect, useState } from 'react';
import type { FleetEntry } from '../../../shared/types';
import { useLiveAlerts } from '../alerts-live';
import { errorText } from '../client';
import { useClient, useEvent, useLoad, useNow, useThrottled } from '../hooks';
import { FleetPage } from '../pages/FleetPage';

export function FleetContainer(): React.ReactElement {
  const client = useClient();
  const fleet = useLoad('fleet', () => client.fleet({}));
  const [entries, setEntries] = useState<FleetEntry[] | undefined>(fleet.data);
  const now = useNow(10_000);
  const live = useLiveAlerts();
  const refetch = useThrottled(fleet.reload, 5000);
  // Objectives come from the care backend; a build without it just shows none.
  const objectives = useLoad('careObjectives', () => client.careObjectives({}));
  const reloadObjectives = useThrottled(objectives.reload, 60_000);

  useEffect(() => setEntries(fleet.data), [fleet.data]);

  useEvent('status', (s) => {
    setEntries((list) => list?.map((e) => (e.target.id === s.targetId ? { ...e, status: s } : e)));
    refetch();
  });
  useEvent('sample', () => {
    refetch();
    reloadObjectives();
  });

  return (
    <FleetPage
      entries={entries}
      error={fleet.error ? errorText(fleet.error) : null}
      loadedAt={fleet.at}
      now={now}
      onRefresh={fleet.reload}
      firing={live.firing}
      objectives={new Map((objectives.data ?? []).map((o) => [o.targetId, o]))}
    />
  );
}
