// Building chart lines from metric names and the label sets listSeries reported.
import { metricInfo, seriesKey } from '../../../shared/metrics';
import type { SeriesRef } from '../../../shared/types';
import type { ChartLine } from './rows';
import { PALETTE } from './TimeChart';

/** Lines for unlabelled metrics: [metric, name] pairs. Keys are safe for recharts (no dots). */
export function plainLines(specs: [string, string?][]): ChartLine[] {
  return specs.map(([metric, name], i) => ({
    key: `l${i}`,
    ref: { metric },
    name: name ?? metricInfo(metric)?.title ?? metric,
    color: PALETTE[i % PALETTE.length],
  }));
}

/** One line per stored series of `metric`, named by one of its labels. */
export function labelledLines(
  refs: SeriesRef[],
  metric: string,
  label: string,
  offset = 0,
): ChartLine[] {
  return refsOf(refs, metric, label).map((ref, i) => ({
    key: `l${offset + i}`,
    ref,
    name: ref.labels?.[label] ?? '(none)',
    color: PALETTE[(offset + i) % PALETTE.length],
  }));
}

/** Stored series of a metric, sorted by a label's value. */
export function refsOf(refs: SeriesRef[], metric: string, label: string): SeriesRef[] {
  return refs
    .filter((r) => r.metric === metric)
    .sort((a, b) =>
      (a.labels?.[label] ?? '').localeCompare(b.labels?.[label] ?? '', undefined, {
        numeric: true,
      }),
    );
}

/** Distinct values of a label over metrics starting with `prefix`. */
export function labelValues(refs: SeriesRef[], prefix: string, label: string): string[] {
  const set = new Set<string>();
  for (const r of refs) {
    const v = r.labels?.[label];
    if (r.metric.startsWith(prefix) && v !== undefined) set.add(v);
  }
  return [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** The stored ref of `metric` whose `label` equals `value` (labels exactly as stored). */
export function refWith(
  refs: SeriesRef[],
  metric: string,
  label: string,
  value: string,
): SeriesRef {
  return (
    refs.find((r) => r.metric === metric && r.labels?.[label] === value) ?? {
      metric,
      labels: { [label]: value },
    }
  );
}

/** Lines for several metrics that share one label value (e.g. read and write of one disk). */
export function sameLabelLines(
  refs: SeriesRef[],
  label: string,
  value: string,
  specs: [string, string][],
): ChartLine[] {
  return specs.map(([metric, name], i) => ({
    key: `l${i}`,
    ref: refWith(refs, metric, label, value),
    name,
    color: PALETTE[i % PALETTE.length],
  }));
}

/** Keeps the lines whose series the target has stored, so no query asks for unknown series. */
export function knownLines(lines: ChartLine[], refs: SeriesRef[]): ChartLine[] {
  const known = new Set(refs.map((r) => seriesKey(r.metric, r.labels)));
  return lines.filter((l) => known.has(seriesKey(l.ref.metric, l.ref.labels)));
}

/** Keeps the refs the target has stored. */
export function knownRefs(wanted: SeriesRef[], refs: SeriesRef[]): SeriesRef[] {
  const known = new Set(refs.map((r) => seriesKey(r.metric, r.labels)));
  return wanted.filter((r) => known.has(seriesKey(r.metric, r.labels)));
}
