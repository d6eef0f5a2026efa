// One capacity forecast drawn: the daily peaks, the fitted line carried forward to the
// horizon with its 95 % band, the limit as a line across, and today and the limit date marked.
import { useMemo } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CapacitySeries } from '../../../shared/capacity';
import { formatAxis, formatDay, formatValue, niceTicks } from '../format';

interface Row {
  t: number;
  peak?: number;
  fit?: number;
  band?: [number, number];
}

/** Peaks and line points merged by time, as recharts wants one row per x. */
export function capacityRows(s: CapacitySeries): Row[] {
  const rows = new Map<number, Row>();
  const at = (t: number): Row => {
    let r = rows.get(t);
    if (!r) rows.set(t, (r = { t }));
    return r;
  };
  for (const p of s.peaks) at(p.t).peak = p.v;
  for (const p of s.line) {
    const r = at(p.t);
    r.fit = p.v;
    r.band = [p.low, p.high];
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** Ticks on whole days, about one per 90 px. */
function dayTicks(from: number, to: number, width: number): number[] {
  const day = 86_400_000;
  const span = Math.max(1, Math.ceil((to - from) / day / Math.max(1, width / 90)));
  const step = [1, 2, 7, 14, 30, 60, 90].find((d) => d >= span) ?? 180;
  const out: number[] = [];
  for (let t = Math.ceil(from / day) * day; t <= to; t += step * day) out.push(t);
  return out;
}

export function CapacityChart(props: {
  series: CapacitySeries;
  now: number;
  width: number;
  height?: number;
}): React.ReactElement {
  const { series, now, width } = props;
  const f = series.forecast;
  const unit = f.unit;
  const rows = useMemo(() => capacityRows(series), [series]);
  const from = rows.length > 0 ? rows[0].t : now;
  const to = series.horizon;
  const top = Math.max(
    f.limit?.value ?? 0,
    ...rows.map((r) => Math.max(r.peak ?? 0, r.band?.[1] ?? 0)),
  );
  const yTicks = niceTicks(unit === 'percent' ? Math.min(100, top) || 100 : top, unit);
  const xTicks = useMemo(() => dayTicks(from, to, width - 70), [from, to, width]);
  const reached = f.limitReachedAt;
  return (
    <div className="capacity-chart" data-testid="capacity-chart">
      <ComposedChart
        width={width}
        height={props.height ?? 260}
        data={rows}
        margin={{ top: 12, right: 16, bottom: 4, left: 0 }}
      >
        <CartesianGrid stroke="var(--grid)" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[from, to]}
          ticks={xTicks}
          tickFormatter={(t: number) => formatDay(t)}
          stroke="var(--muted)"
          fontSize={12}
        />
        <YAxis
          width={64}
          domain={[0, yTicks[yTicks.length - 1]]}
          ticks={yTicks}
          tickFormatter={(v: number) => formatAxis(v, unit)}
          stroke="var(--muted)"
          fontSize={12}
        />
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => formatDay(Number(t))}
          formatter={(v, name) => {
            const text = Array.isArray(v)
              ? `${formatValue(Number(v[0]), unit)} – ${formatValue(Number(v[1]), unit)}`
              : formatValue(Number(v), unit);
            return [text, String(name)];
          }}
          contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
        />
        <Area
          dataKey="band"
          name="95 % band"
          stroke="none"
          fill="var(--s1)"
          fillOpacity={0.15}
          isAnimationActive={false}
          connectNulls
        />
        <Line
          dataKey="fit"
          name="trend"
          stroke="var(--s1)"
          strokeDasharray="6 4"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
        <Line
          dataKey="peak"
          name="daily peak"
          stroke="var(--s2)"
          strokeWidth={1.5}
          dot={{ r: 2.5, fill: 'var(--s2)' }}
          isAnimationActive={false}
        />
        {f.limit && (
          <ReferenceLine
            y={f.limit.value}
            stroke="var(--bad)"
            strokeWidth={1.5}
            label={{
              value: `limit ${formatValue(f.limit.value, unit)}`,
              // At the right edge, on the side of the limit the trend is not on.
              position: reached !== null ? 'insideBottomRight' : 'insideTopRight',
              fill: 'var(--bad)',
              fontSize: 12,
            }}
          />
        )}
        <ReferenceLine
          x={now}
          stroke="var(--muted)"
          strokeDasharray="2 3"
          label={{ value: 'now', position: 'insideTopRight', fill: 'var(--muted)', fontSize: 12 }}
        />
        {reached !== null && reached > now && reached <= to && (
          <ReferenceLine
            x={reached}
            stroke="var(--bad)"
            strokeDasharray="2 3"
            label={{
              value: formatDay(reached),
              position: 'insideTopRight',
              fill: 'var(--bad)',
              fontSize: 12,
            }}
          />
        )}
      </ComposedChart>
    </div>
  );
}
