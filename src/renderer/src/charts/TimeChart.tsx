// A time series chart: lines or a stack, a faint min/max band for rollups, gaps as gaps.
import { useMemo, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { AnomalyBand } from '../../../shared/alerts';
import type { Unit } from '../../../shared/metrics';
import type { Resolution } from '../../../shared/types';
import {
  formatAxis,
  formatClockSeconds,
  formatTick,
  formatValue,
  formatWhen,
  niceTicks,
} from '../format';
import { bandMax, clipMarks, EXPECTED_KEY, withExpected, type Mark } from './bands';
import {
  bandKey,
  estKey,
  stackKey,
  timeTicks,
  type ChartLine,
  type ChartRow,
  type Shaped,
} from './rows';

export const PALETTE = [
  'var(--s1)',
  'var(--s2)',
  'var(--s3)',
  'var(--s4)',
  'var(--s5)',
  'var(--s6)',
  'var(--s7)',
  'var(--s8)',
];

export interface TimeChartProps {
  lines: ChartLine[];
  shaped: Shaped;
  unit: Unit;
  from: number;
  to: number;
  width: number;
  height?: number;
  stacked?: boolean;
  /** Upper bound of the value axis; 'auto' follows the data. The axis always starts at 0. */
  yMax?: number | 'auto';
  resolution: Resolution | null;
  now: number;
  /** The expected band of the anomaly model, drawn as a dashed outline. */
  expected?: AnomalyBand | null;
  /** Shaded stretches (anomalies, where a rule would have fired). */
  marks?: Mark[];
  /** A horizontal line, e.g. a rule's threshold. */
  threshold?: number | null;
  /** A vertical line at a moment, e.g. when an alert started. */
  at?: number | null;
}

const Y_AXIS_WIDTH = 64;

export function TimeChart(props: TimeChartProps): React.ReactElement {
  const { lines, shaped, unit, from, to, width, stacked = false } = props;
  const height = props.height ?? 170;
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const ticks = useMemo(() => timeTicks(from, to, width - Y_AXIS_WIDTH), [from, to, width]);
  const visible = lines.filter((l) => !hidden.has(l.key));
  const rows = useMemo(() => withExpected(shaped.rows, props.expected), [shaped, props.expected]);
  const hasExpected = rows !== shaped.rows;
  const marks = useMemo(() => clipMarks(props.marks ?? [], from, to), [props.marks, from, to]);
  const yTicks = useMemo(
    () =>
      typeof props.yMax === 'number'
        ? undefined
        : niceTicks(
            Math.max(
              maxOf(
                shaped.rows,
                visible.map((l) => l.key),
                stacked,
              ),
              hasExpected ? bandMax(props.expected) : 0,
              props.threshold ?? 0,
            ),
            unit,
          ),
    // visible is derived from lines and hidden.
    [
      shaped,
      lines,
      hidden,
      stacked,
      unit,
      props.yMax,
      hasExpected,
      props.expected,
      props.threshold,
    ],
  );

  function toggle(key: string): void {
    const next = new Set(hidden);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setHidden(next);
  }

  return (
    <div className="time-chart">
      {width > 0 && (
        <ComposedChart
          width={width}
          height={height}
          data={rows}
          margin={{ top: 6, right: 8, bottom: 0, left: 0 }}
          accessibilityLayer
        >
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            domain={[from, to]}
            allowDataOverflow
            ticks={ticks}
            tickFormatter={(t: number) => formatTick(t, to - from)}
            stroke="var(--muted)"
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            tickLine={false}
            minTickGap={12}
          />
          <YAxis
            width={Y_AXIS_WIDTH}
            domain={[0, yTicks ? yTicks[yTicks.length - 1] : (props.yMax ?? 'auto')]}
            ticks={yTicks}
            interval={0}
            allowDataOverflow={typeof props.yMax === 'number'}
            tickFormatter={(v: number) => formatAxis(v, unit)}
            stroke="var(--muted)"
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            isAnimationActive={false}
            cursor={{ stroke: 'var(--muted)', strokeDasharray: '3 3' }}
            content={({ active, payload }) =>
              active && payload && payload.length > 0 ? (
                <ChartTooltip
                  row={payload[0].payload as ChartRow}
                  lines={visible}
                  unit={unit}
                  marks={marks}
                  shortRange={to - from <= 6 * 3600_000}
                  now={props.now}
                />
              ) : null
            }
          />
          {marks.map((m) => (
            <ReferenceArea
              key={`${m.from}-${m.label}`}
              x1={m.from}
              x2={Math.max(m.to, m.from + (to - from) / 400)}
              fill="var(--bad)"
              fillOpacity={0.14}
              stroke="var(--bad)"
              strokeOpacity={0.4}
              ifOverflow="hidden"
            />
          ))}
          {hasExpected && (
            <Area
              dataKey={EXPECTED_KEY}
              name="expected band"
              stroke="var(--muted)"
              strokeDasharray="4 3"
              strokeWidth={1}
              fill="var(--muted)"
              fillOpacity={0.1}
              connectNulls={false}
              isAnimationActive={false}
              activeDot={false}
              legendType="none"
              tooltipType="none"
            />
          )}
          {typeof props.threshold === 'number' && (
            <ReferenceLine
              y={props.threshold}
              stroke="var(--bad)"
              strokeDasharray="6 3"
              ifOverflow="extendDomain"
            />
          )}
          {typeof props.at === 'number' && (
            <ReferenceLine x={props.at} stroke="var(--text)" strokeDasharray="2 2" />
          )}
          {visible
            .filter((l) => shaped.banded.has(l.key))
            .map((l) => (
              <Area
                key={bandKey(l.key)}
                dataKey={bandKey(l.key)}
                stroke="none"
                fill={l.color}
                fillOpacity={0.15}
                connectNulls={false}
                isAnimationActive={false}
                activeDot={false}
                legendType="none"
                tooltipType="none"
              />
            ))}
          {stacked
            ? visible.map((l) => (
                <Area
                  key={stackKey(l.key)}
                  dataKey={stackKey(l.key)}
                  name={l.name}
                  stroke="none"
                  fill={l.color}
                  fillOpacity={0.6}
                  connectNulls={false}
                  isAnimationActive={false}
                  dot={false}
                  activeDot={false}
                />
              ))
            : visible.map((l) => (
                <Line
                  key={l.key}
                  dataKey={l.key}
                  name={l.name}
                  stroke={l.color}
                  strokeWidth={1.5}
                  dot={false}
                  activeDot={{ r: 3 }}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              ))}
        </ComposedChart>
      )}
      <Legend lines={lines} shaped={shaped} hidden={hidden} unit={unit} onToggle={toggle} />
    </div>
  );
}

/** The highest value drawn: line values, band tops and stack tops. */
function maxOf(rows: ChartRow[], keys: string[], stacked: boolean): number {
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const cells = [row[stacked ? stackKey(key) : key], row[bandKey(key)]];
      for (const c of cells) {
        const v = Array.isArray(c) ? c[1] : c;
        if (typeof v === 'number' && Number.isFinite(v) && v > max) max = v;
      }
    }
  }
  return max;
}

function lastOf(rows: ChartRow[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i][key];
    if (typeof v === 'number') return v;
  }
  return null;
}

interface LegendProps {
  lines: ChartLine[];
  shaped: Shaped;
  hidden: Set<string>;
  unit: Unit;
  onToggle: (key: string) => void;
}

/** Names with their latest value; a click (or Enter) hides or shows a line. */
function Legend({ lines, shaped, hidden, unit, onToggle }: LegendProps): React.ReactElement {
  return (
    <ul className="legend" aria-label="Series">
      {lines.map((l) => {
        const off = hidden.has(l.key);
        const missing = !shaped.present.has(l.key);
        return (
          <li key={l.key}>
            <button
              type="button"
              className={off ? 'legend-item off' : 'legend-item'}
              aria-pressed={!off}
              title={off ? `Show ${l.name}` : `Hide ${l.name}`}
              onClick={() => onToggle(l.key)}
            >
              <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
              <span className="legend-name">{l.name}</span>
              <span className="legend-value">
                {missing ? 'no data' : formatValue(lastOf(shaped.rows, l.key), unit)}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

interface TooltipProps {
  row: ChartRow;
  lines: ChartLine[];
  marks: Mark[];
  unit: Unit;
  shortRange: boolean;
  now: number;
}

function ChartTooltip(props: TooltipProps): React.ReactElement {
  const { row, lines, unit, shortRange, now } = props;
  const when = shortRange ? formatClockSeconds(row.t) : formatWhen(row.t, now);
  const expected = row[EXPECTED_KEY];
  const mark = props.marks.find((m) => row.t >= m.from && row.t <= m.to);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">
        {when}
        {mark && <strong className="danger-text"> · {mark.label}</strong>}
      </div>
      {Array.isArray(expected) && (
        <div className="muted">
          expected {formatValue(expected[0], unit)} – {formatValue(expected[1], unit)}
        </div>
      )}
      <table>
        <tbody>
          {lines.map((l) => {
            const v = row[l.key];
            const band = row[bandKey(l.key)];
            const est = row[estKey(l.key)] === true;
            return (
              <tr key={l.key}>
                <td>
                  <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
                  {l.name}
                </td>
                <td className="num">
                  {typeof v === 'number' ? `${est ? '≈ ' : ''}${formatValue(v, unit)}` : 'no value'}
                </td>
                {Array.isArray(band) && (
                  <td className="num muted">
                    {formatValue(band[0], unit)} – {formatValue(band[1], unit)}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
