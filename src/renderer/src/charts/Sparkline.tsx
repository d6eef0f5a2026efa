// A small line of the last half hour, no axes: the shape matters, the figure sits beside it.
import { Line, LineChart, XAxis, YAxis } from 'recharts';

export interface SparklineProps {
  t: number[];
  v: (number | null)[];
  width?: number;
  height?: number;
  /** Fixed upper bound (100 for percents) so a flat 2 % does not look like a wall. */
  yMax?: number;
  label: string;
  /** Time the line spans, ending at its newest point: a minute of data stays a minute wide. */
  windowMs?: number;
}

export function Sparkline(props: SparklineProps): React.ReactElement {
  const width = props.width ?? 140;
  const height = props.height ?? 32;
  const rows = props.t.map((t, i) => {
    const v = props.v[i];
    return { t, v: typeof v === 'number' && Number.isFinite(v) ? v : null };
  });
  const hasData = rows.some((r) => r.v !== null);
  const last = props.t.length ? props.t[props.t.length - 1] : 0;
  const windowMs = props.windowMs ?? 30 * 60_000;
  if (!hasData) {
    return (
      <span className="sparkline-empty" style={{ width, height }}>
        no data
      </span>
    );
  }
  return (
    <span className="sparkline" role="img" aria-label={props.label}>
      <LineChart
        width={width}
        height={height}
        data={rows}
        margin={{ top: 2, right: 2, bottom: 2, left: 2 }}
      >
        <XAxis hide dataKey="t" type="number" domain={[last - windowMs, last]} allowDataOverflow />
        <YAxis hide domain={[0, props.yMax ?? 'auto']} />
        <Line
          dataKey="v"
          stroke="var(--accent)"
          strokeWidth={1.5}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
}
