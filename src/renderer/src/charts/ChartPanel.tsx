// A chart that fetches its own series: measures its width, queries with it, follows pushed
// samples in live mode and re-queries longer ranges now and then.
import { useContext, useEffect, useMemo, useState } from 'react';
import type { AnomalyBand } from '../../../shared/alerts';
import { metricInfo, type Unit } from '../../../shared/metrics';
import type { Resolution, SeriesData, SeriesRef } from '../../../shared/types';
import { errorText } from '../client';
import { useClient, useElementWidth, useEvent, useNow } from '../hooks';
import { bandUsable, ChartAtContext, windowAt, type Mark } from './bands';
import type { RangeSpec } from './ranges';
import { knownLines } from './lines';
import { appendSample, shapeRows, type ChartLine } from './rows';
import { TimeChart } from './TimeChart';

export interface ChartPanelProps {
  targetId: string;
  title: string;
  unit: Unit;
  lines: ChartLine[];
  range: RangeSpec;
  live: boolean;
  stacked?: boolean;
  yMax?: number | 'auto';
  height?: number;
  /** A short note under the title (e.g. what the band means). */
  note?: string;
  /** The target's stored series (listSeries): lines without a stored series are left out. */
  known: SeriesRef[];
  /** A series whose expected band (anomaly model) is drawn, with its anomalies marked. */
  bandOf?: SeriesRef;
}

const Y_AXIS_WIDTH = 64;

/** The width sent to query: the plot width, in steps of 50 px so resizing does not flood. */
export function queryWidth(panelWidth: number): number {
  const plot = panelWidth - Y_AXIS_WIDTH - 8;
  return Math.max(10, Math.min(8000, Math.round(plot / 50) * 50 || 10));
}

function resolutionWords(r: Resolution | null): string {
  switch (r) {
    case null:
      return '';
    case 'raw':
      return 'every sample';
    case '1m':
      return '1-minute averages, band min–max';
    case '1h':
      return '1-hour averages, band min–max';
  }
}

interface Answer {
  data: SeriesData[];
  from: number;
  to: number;
}

export function ChartPanel(props: ChartPanelProps): React.ReactElement {
  const { targetId, range } = props;
  const at = useContext(ChartAtContext);
  const live = props.live && at === null;
  const lines = useMemo(() => knownLines(props.lines, props.known), [props.lines, props.known]);
  const client = useClient();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const now = useNow(live ? 5000 : 60_000);
  const qWidth = queryWidth(width);
  const refs = useMemo(() => lines.map((l) => l.ref), [lines]);
  const refsKey = JSON.stringify(refs);

  useEffect(() => {
    if (width <= 0 || refs.length === 0) return;
    let alive = true;
    const t0 = Date.now();
    const [from, to] = at !== null ? windowAt(at, range.ms, t0) : [t0 - range.ms, t0];
    setLoading(true);
    client.query({ targetId, series: refs, from, to, width: qWidth }).then(
      (data) => {
        if (!alive) return;
        setAnswer({ data, from, to });
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!alive) return;
        setError(errorText(err));
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
    // refsKey stands for refs; width matters only through qWidth.
  }, [client, targetId, refsKey, range.ms, qWidth, tick, width > 0, at]);

  const band = useBand(targetId, props.bandOf, answer, qWidth);

  useEffect(() => {
    const every = live ? range.refreshMs * 10 : range.refreshMs;
    const id = setInterval(() => setTick((n) => n + 1), every);
    return () => clearInterval(id);
  }, [live, range.refreshMs]);

  useEvent('sample', (sample) => {
    if (!live || sample.targetId !== targetId) return;
    setAnswer((a) => {
      if (!a) return a;
      const from = sample.t - range.ms;
      return { data: appendSample(a.data, refs, sample, from), from, to: Math.max(a.to, sample.t) };
    });
  });

  const shaped = useMemo(
    () => shapeRows(lines, answer?.data ?? [], props.stacked ?? false),
    [lines, answer, props.stacked],
  );
  const to = live ? Math.max(now, answer?.to ?? now) : (answer?.to ?? now);
  const from = to - range.ms;
  const marks = useMemo<Mark[]>(
    () => (band?.anomalies ?? []).map((a) => ({ ...a, label: 'anomalous' })),
    [band],
  );
  const bandTitle = props.bandOf ? (metricInfo(props.bandOf.metric)?.title ?? '') : '';
  const bandNote = band
    ? `dashed band: usual ${bandTitle}${marks.length > 0 ? ` · ${marks.length} anomal${marks.length === 1 ? 'y' : 'ies'} shaded` : ''}`
    : '';
  const resolution = answer?.data[0]?.resolution ?? null;
  const empty = answer !== null && shaped.present.size === 0;

  return (
    <section className="panel chart-panel" aria-label={props.title}>
      <header className="panel-head">
        <h3>{props.title}</h3>
        <span className="panel-note">
          {[props.note, bandNote, resolutionWords(resolution)].filter(Boolean).join(' · ')}
        </span>
      </header>
      <div className="chart-body" ref={ref}>
        {answer !== null && (
          <TimeChart
            lines={lines}
            shaped={shaped}
            unit={props.unit}
            from={from}
            to={to}
            width={width}
            height={props.height}
            stacked={props.stacked}
            yMax={props.yMax}
            resolution={resolution}
            now={now}
            expected={band}
            marks={marks}
            at={at}
          />
        )}
        {answer === null && (
          <div className="chart-placeholder" style={{ height: props.height ?? 170 }}>
            {lines.length === 0
              ? 'Nothing collected for this chart yet'
              : error
                ? `Could not load: ${error}`
                : loading
                  ? 'Loading…'
                  : ''}
          </div>
        )}
        {empty && <div className="chart-empty">No data in this range</div>}
      </div>
      {answer !== null && error && (
        <p className="chart-error" role="status">
          Showing the last answer; the newest query failed: {error}
        </p>
      )}
    </section>
  );
}

/**
 * The expected band of `ref` over the answer's window, fetched after each answer. Quietly
 * nothing when the backend has none (too little history, or no alerting in this build).
 */
function useBand(
  targetId: string,
  ref: SeriesRef | undefined,
  answer: Answer | null,
  width: number,
): AnomalyBand | null {
  const client = useClient();
  const [band, setBand] = useState<AnomalyBand | null>(null);
  const refKey = ref ? JSON.stringify(ref) : '';
  const from = answer?.from ?? 0;
  const to = answer?.to ?? 0;
  // One fetch per queried window (live appends move `to` but not the window's start much).
  const slot = Math.floor(from / 60_000);
  useEffect(() => {
    if (!ref || to <= from) return;
    let alive = true;
    client.anomalyBand({ targetId, series: ref, from, to, width }).then(
      (b) => {
        if (alive) setBand(bandUsable(b) ? b : null);
      },
      () => {
        if (alive) setBand(null);
      },
    );
    return () => {
      alive = false;
    };
    // refKey stands for ref; the window is re-fetched once a minute at most.
  }, [client, targetId, refKey, slot]);
  return band;
}
