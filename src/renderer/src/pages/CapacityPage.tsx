// Capacity planning: every filesystem, memory, CPU, database and Redis memory with its trend,
// soonest limit first; a selected row shows its daily peaks and forecast band.
import {
  CAPACITY_WINDOWS,
  type CapacityForecast,
  type CapacityResource,
  type CapacitySeries,
  type CapacityWindow,
} from '../../../shared/capacity';
import { assertNever } from '../../../shared/result';
import { CapacityChart } from '../charts/CapacityChart';
import { type Column, DataTable } from '../components/DataTable';
import { WordSelect } from '../components/WordSelect';
import { formatDay, formatValue, formatWhen, NO_VALUE } from '../format';
import { useElementWidth } from '../hooks';

const DAY = 86_400_000;

export const RESOURCE_WORD: Record<CapacityResource, string> = {
  filesystem: 'Filesystem',
  memory: 'Memory',
  cpu: 'CPU',
  'pg-database': 'Database',
  'redis-memory': 'Redis memory',
};

const WINDOW_WORD = { '7': '7 days', '30': '30 days', '90': '90 days' } as const;
type WindowText = keyof typeof WINDOW_WORD;
const WINDOW_OPTIONS = CAPACITY_WINDOWS.map((w) => String(w) as WindowText);

export interface CapacityPageProps {
  forecasts: CapacityForecast[] | undefined;
  error: string | null;
  /** When the table was last loaded. */
  loadedAt: number | null;
  windowDays: CapacityWindow;
  groups: string[];
  group: string | null;
  selected: string | null;
  series: CapacitySeries | null | undefined;
  seriesError: string | null;
  now: number;
  onWindow: (w: CapacityWindow) => void;
  onGroup: (g: string | null) => void;
  onSelect: (f: CapacityForecast) => void;
  onRefresh: () => void;
}

/** A row's identity: a forecast key is unique within its target only. */
export function rowId(f: Pick<CapacityForecast, 'targetId' | 'key'>): string {
  return `${f.targetId}|${f.key}`;
}

function value(v: number | null | undefined, unit: CapacityForecast['unit']): string {
  return v === null || v === undefined ? NO_VALUE : formatValue(v, unit);
}

/** "+0.45%", "−0.012%", "+200 MiB": small percent slopes keep two significant digits. */
function slope(f: CapacityForecast): string {
  if (!f.fit) return NO_VALUE;
  const s = f.fit.slopePerDay;
  const sign = s > 0 ? '+' : s < 0 ? '−' : '';
  const a = Math.abs(s);
  const text =
    f.unit === 'percent' && a > 0 && a < 1
      ? `${Number(a.toPrecision(2))}%`
      : formatValue(a, f.unit);
  return `${sign}${text}`;
}

/** "14 Mar", with the year when it is not this year. */
function day(t: number, now: number): string {
  const y = new Date(t).getFullYear();
  return y === new Date(now).getFullYear() ? formatDay(t) : `${formatDay(t)} ${y}`;
}

/** "± 6 d" from the interval; "or later" when the band's lower edge never gets there. */
function spread(f: CapacityForecast): string {
  const at = f.limitReachedAt;
  const iv = f.limitInterval;
  if (at === null || !iv) return '';
  if (iv.latest === null) return 'or later';
  const days = Math.round(Math.max(at - iv.earliest, iv.latest - at) / DAY);
  return days < 1 ? '± <1 d' : `± ${days} d`;
}

/** What the "limit reached" column says, and how loud. */
function reached(f: CapacityForecast, now: number): { text: string; note: string; tone: string } {
  switch (f.status) {
    case 'at-limit':
      return { text: 'Now', note: 'over the limit', tone: 'bad' };
    case 'reaches-limit': {
      const days = f.daysToLimit ?? 0;
      const tone = days <= 30 ? 'bad' : days <= 90 ? 'warn' : 'calm';
      const inDays = days < 1 ? 'within a day' : `in ${Math.round(days)} days`;
      return { text: `${day(f.limitReachedAt!, now)} (${spread(f)})`, note: inDays, tone };
    }
    case 'ok':
      return { text: 'Not within a year', note: '', tone: 'ok' };
    case 'shrinking':
      return { text: 'Shrinking', note: '', tone: 'ok' };
    case 'no-limit':
      return { text: 'No limit known', note: 'projection only', tone: 'calm' };
    case 'insufficient-data':
      return { text: 'Too little data', note: '', tone: 'calm' };
    default:
      return assertNever(f.status, 'capacity status');
  }
}

/** The line above the table: what is over its limit now, then what gets there soon. */
export function capacitySummary(over: number, soon: number): string {
  const n = (k: number): string => `${k} resource${k === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (over > 0) parts.push(`${n(over)} ${over === 1 ? 'is' : 'are'} over the limit now`);
  if (soon > 0) parts.push(`${n(soon)} reach${soon === 1 ? 'es' : ''} the limit within 30 days`);
  if (parts.length === 0) return 'Nothing reaches its limit within 30 days.';
  const text = parts.join('; ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

export function CapacityPage(props: CapacityPageProps): React.ReactElement {
  const { forecasts, now } = props;
  const over = forecasts?.filter((f) => f.status === 'at-limit').length ?? 0;
  const soon =
    forecasts?.filter(
      (f) => f.status === 'reaches-limit' && f.daysToLimit !== null && f.daysToLimit <= 30,
    ).length ?? 0;
  return (
    <section className="page capacity">
      <header className="page-head">
        <h1>Capacity</h1>
        <div className="toolbar">
          <label htmlFor="capacity-window">Trend over</label>
          <WordSelect
            id="capacity-window"
            value={String(props.windowDays) as WindowText}
            options={WINDOW_OPTIONS}
            words={WINDOW_WORD}
            onChange={(w) => props.onWindow(Number(w) as CapacityWindow)}
          />
          <label htmlFor="capacity-group">Group</label>
          <select
            id="capacity-group"
            value={props.group ?? ''}
            onChange={(e) => props.onGroup(e.target.value === '' ? null : e.target.value)}
          >
            <option value="">All groups</option>
            {props.groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
        </div>
      </header>
      <p className="muted capacity-method">
        Each row fits a straight line through the daily peaks of the last {props.windowDays} days
        (the highest hourly value of each 24 hours; for CPU the busiest hour&apos;s average) and
        carries it forward. The ± around a date comes from the line&apos;s 95 % band. Read from the
        local history only
        {props.loadedAt !== null ? `, as of ${formatWhen(props.loadedAt, now)}` : ''}.
      </p>
      {props.error && (
        <p className="error" role="alert">
          Could not load the capacity forecasts: {props.error}
          {forecasts ? ' The table shows the last forecasts loaded.' : ''}
        </p>
      )}
      {forecasts && forecasts.length === 0 && (
        <p className="muted">
          No history to forecast yet{props.group !== null ? ` in group ${props.group}` : ''}: the
          table fills once targets have been collected for a few days.
        </p>
      )}
      {forecasts && forecasts.length > 0 && (
        <>
          <p className="capacity-summary" role="status">
            {capacitySummary(over, soon)}
          </p>
          <CapacityTable {...props} forecasts={forecasts} />
        </>
      )}
      {props.selected && <CapacityDetail {...props} />}
    </section>
  );
}

function CapacityTable(props: CapacityPageProps & { forecasts: CapacityForecast[] }) {
  const { now } = props;
  const at = (f: CapacityForecast, days: number) =>
    value(f.projected.find((p) => p.days === days)?.value, f.unit);
  const columns: Column<CapacityForecast>[] = [
    {
      head: 'Target',
      cell: (f) => (
        <button
          type="button"
          className="link-button capacity-pick"
          aria-pressed={props.selected === rowId(f)}
          onClick={(e) => {
            e.stopPropagation();
            props.onSelect(f);
          }}
        >
          {f.targetName}
        </button>
      ),
    },
    {
      head: 'Resource',
      cell: (f) => (
        <>
          {RESOURCE_WORD[f.resource]}
          {f.resource === 'filesystem' || f.resource === 'pg-database' ? (
            <>
              {' '}
              <code>{f.label}</code>
            </>
          ) : null}
        </>
      ),
    },
    { head: 'Now', num: true, cell: (f) => value(f.current, f.unit) },
    {
      head: 'Limit',
      num: true,
      cell: (f) => (f.limit ? value(f.limit.value, f.unit) : NO_VALUE),
    },
    { head: 'Per day', num: true, cellClass: () => 'nowrap', cell: (f) => slope(f) },
    { head: 'In 30 d', num: true, cell: (f) => at(f, 30) },
    { head: '90 d', num: true, cell: (f) => at(f, 90) },
    { head: '180 d', num: true, cell: (f) => at(f, 180) },
    {
      head: 'Limit reached',
      cellClass: (f) => `capacity-when tone-${reached(f, now).tone}`,
      cell: (f) => {
        const r = reached(f, now);
        return (
          <>
            <span className="nowrap">{r.text}</span>
            {r.note && <span className="capacity-note">{r.note}</span>}
          </>
        );
      },
    },
    { head: 'What to do', cellClass: () => 'capacity-advice', cell: (f) => f.recommendation },
  ];
  return (
    <div className="table-scroll">
      <DataTable
        className="capacity-table"
        columns={columns}
        rows={props.forecasts}
        rowKey={rowId}
        rowProps={(f) => {
          const selected = props.selected === rowId(f);
          return {
            className: selected ? 'selected' : undefined,
            'aria-selected': selected,
            'data-testid': 'capacity-row',
            onClick: () => props.onSelect(f),
          };
        }}
      />
    </div>
  );
}

function CapacityDetail(props: CapacityPageProps): React.ReactElement {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const s = props.series;
  const f = s?.forecast ?? props.forecasts?.find((x) => rowId(x) === props.selected);
  return (
    <section className="capacity-detail" aria-label="Forecast chart">
      {f && (
        <>
          <h2>
            {RESOURCE_WORD[f.resource]} {f.resource === 'filesystem' ? f.label : ''} on{' '}
            {f.targetName}
            {f.resource === 'pg-database' ? ` (database ${f.label})` : ''}
          </h2>
          <p className="capacity-recommendation">{f.recommendation}</p>
          <ul className="capacity-figures">
            {f.figures.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </>
      )}
      {props.seriesError && (
        <p className="error" role="alert">
          Could not load the chart: {props.seriesError}
        </p>
      )}
      <div ref={ref} className="capacity-chart-box">
        {s === undefined && !props.seriesError && <p className="muted">Loading the chart…</p>}
        {s === null && <p className="muted">This resource has no stored history any more.</p>}
        {s && s.peaks.length === 0 && <p className="muted">No daily peaks in this window.</p>}
        {s && s.peaks.length > 0 && width > 0 && (
          <CapacityChart series={s} now={props.now} width={width} />
        )}
      </div>
      <p className="muted capacity-legend">
        Dots: daily peaks. Dashed line: the trend, with its 95 % band shaded. Red line: the limit.
      </p>
    </section>
  );
}
