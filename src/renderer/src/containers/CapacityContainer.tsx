// Loads the capacity forecasts for the chosen window and group, and the chart of the
// selected one. Everything comes from the local store, so it works with every target down.
import { useState } from 'react';
import {
  type CapacityForecast,
  type CapacityWindow,
  DEFAULT_CAPACITY_WINDOW,
} from '../../../shared/capacity';
import { errorText } from '../client';
import { useClient, useLoad, useNow } from '../hooks';
import { useInventory } from '../inventory';
import { CapacityPage, rowId } from '../pages/CapacityPage';

export function CapacityContainer(): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const now = useNow(60_000);
  const [windowDays, setWindow] = useState<CapacityWindow>(DEFAULT_CAPACITY_WINDOW);
  const [group, setGroup] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ targetId: string; key: string } | null>(null);

  const list = useLoad(`capacity:${windowDays}:${group ?? ''}`, () =>
    client.capacity({ windowDays, ...(group !== null ? { group } : {}) }),
  );
  // The most urgent row is shown until the operator picks another.
  const shown = pickedOrFirst(picked, list.data);
  const series = useLoad(shown ? `capacitySeries:${windowDays}:${rowId(shown)}` : null, () =>
    client.capacitySeries({ targetId: shown!.targetId, key: shown!.key, windowDays }),
  );
  const groups = [...new Set((inv.targets ?? []).map((t) => t.group).filter((g) => g !== ''))];

  return (
    <CapacityPage
      forecasts={list.data}
      error={list.error ? errorText(list.error) : null}
      loadedAt={list.at}
      windowDays={windowDays}
      groups={groups.sort()}
      group={group}
      selected={shown ? rowId(shown) : null}
      series={shown ? series.data : undefined}
      seriesError={series.error ? errorText(series.error) : null}
      now={now}
      onWindow={setWindow}
      onGroup={setGroup}
      onSelect={(f) => setPicked({ targetId: f.targetId, key: f.key })}
      onRefresh={() => {
        list.reload();
        series.reload();
      }}
    />
  );
}

function pickedOrFirst(
  picked: { targetId: string; key: string } | null,
  list: CapacityForecast[] | undefined,
): { targetId: string; key: string } | null {
  if (!list || list.length === 0) return picked;
  if (picked && list.some((f) => rowId(f) === rowId(picked))) return picked;
  return { targetId: list[0].targetId, key: list[0].key };
}
