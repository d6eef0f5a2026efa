// Range buttons and the live switch for chart pages.
import { RANGES, type RangeSpec } from '../charts/ranges';
import { useConnection } from '../hooks';

export function RangeBar(props: {
  range: RangeSpec;
  live: boolean;
  onRange: (r: RangeSpec) => void;
  onLive: (live: boolean) => void;
}): React.ReactElement {
  const { range, live } = props;
  const conn = useConnection();
  return (
    <div className="range-bar" role="group" aria-label="Time range">
      {RANGES.map((r, i) => (
        <button
          key={r.id}
          type="button"
          className="range-button"
          aria-pressed={r.id === range.id}
          title={`Last ${r.label} (key ${i + 1})`}
          onClick={() => props.onRange(r)}
        >
          {r.label}
        </button>
      ))}
      <label
        className="live-switch"
        title={range.live ? 'Follow new samples (key L)' : 'Live mode is for ranges up to 1 h'}
      >
        <input
          type="checkbox"
          checked={live && range.live}
          disabled={!range.live}
          onChange={(e) => props.onLive(e.target.checked)}
        />
        <span>Live</span>
        {live && range.live && conn.live && (
          <span className="live-dot" aria-hidden="true">
            ●
          </span>
        )}
        {live && range.live && !conn.live && <span className="muted">paused: no live updates</span>}
      </label>
    </div>
  );
}
