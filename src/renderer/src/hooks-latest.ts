// The latest value of some series of one target: a short query at start, then pushed samples.
import { useEffect, useMemo, useState } from 'react';
import { seriesKey } from '../../shared/metrics';
import type { SeriesRef } from '../../shared/types';
import { knownRefs } from './charts/lines';
import { lastValue } from './charts/rows';
import { useClient, useEvent } from './hooks';

export type Latest = Map<string, { t: number; v: number | null }>;

// Wide enough that the answer holds raw samples, not bucket averages: the last point is real.
const LOOKBACK_MS = 10 * 60_000;
const WIDTH = 400;

export function useLatest(targetId: string, refs: SeriesRef[]): Latest {
  const client = useClient();
  const [latest, setLatest] = useState<Latest>(new Map());
  const refsKey = JSON.stringify(refs);

  useEffect(() => {
    if (refs.length === 0) return;
    let alive = true;
    const to = Date.now();
    const chunks: SeriesRef[][] = [];
    for (let i = 0; i < refs.length; i += 64) chunks.push(refs.slice(i, i + 64));
    Promise.all(
      chunks.map((series) =>
        client.query({ targetId, series, from: to - LOOKBACK_MS, to, width: WIDTH }),
      ),
    ).then(
      (answers) => {
        if (!alive) return;
        setLatest((prev) => {
          const next = new Map(prev);
          for (const d of answers.flat()) {
            const last = lastValue(d);
            const key = seriesKey(d.metric, d.labels);
            const have = next.get(key);
            if (last && (!have || have.t < last.t)) next.set(key, last);
          }
          return next;
        });
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
    // refsKey stands for refs.
  }, [client, targetId, refsKey]);

  useEvent('sample', (sample) => {
    if (sample.targetId !== targetId) return;
    setLatest((prev) => {
      const next = new Map(prev);
      for (const p of sample.points) {
        const v = typeof p.value === 'number' && Number.isFinite(p.value) ? p.value : null;
        next.set(seriesKey(p.metric, p.labels), { t: sample.t, v });
      }
      return next;
    });
  });

  return latest;
}

/** The latest value of an unlabelled series, or null. */
export function latestOf(
  latest: Latest,
  metric: string,
  labels?: Record<string, string>,
): number | null {
  return latest.get(seriesKey(metric, labels))?.v ?? null;
}

/** Latest values of every labelled series of a metric, by the value of one label. */
export function latestBy(
  latest: Latest,
  refs: SeriesRef[],
  metric: string,
  label: string,
): [string, number | null][] {
  return refs
    .filter((r) => r.metric === metric)
    .map((r) => [r.labels?.[label] ?? '', latest.get(seriesKey(r.metric, r.labels))?.v ?? null]);
}

/**
 * The latest values behind a page's tiles: its unlabelled metrics, plus every existing series
 * of its labelled ones (each filesystem, database, replica …). The lists are module constants.
 */
export function useTileLatest(
  targetId: string,
  refs: SeriesRef[],
  plain: readonly string[],
  labelled: readonly string[],
): Latest {
  const tileRefs = useMemo(
    () =>
      knownRefs(
        [
          ...plain.map((metric) => ({ metric })),
          ...refs.filter((r) => labelled.includes(r.metric)),
        ],
        refs,
      ),
    [refs, plain, labelled],
  );
  return useLatest(targetId, tileRefs);
}
