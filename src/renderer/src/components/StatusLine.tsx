// Health, since when, the last error in plain words and how fresh the data is.
import type { Target, TargetStatus } from '../../../shared/types';
import { formatAgo, formatDuration, formatSince } from '../format';
import { HealthBadge } from './Health';

/** True when an enabled target's last sample is older than three collection intervals. */
export function isStale(target: Target, status: TargetStatus | undefined, now: number): boolean {
  if (!target.enabled || !status || status.lastSampleAt === null) return false;
  return now - status.lastSampleAt > Math.max(3 * target.intervalMs, 60_000);
}

export function StatusLine(props: {
  target: Target;
  status: TargetStatus | undefined;
  now: number;
  detailed?: boolean;
}): React.ReactElement {
  const { target, status, now } = props;
  if (!status) {
    return (
      <div className="status-line">
        <HealthBadge health="pending" /> <span className="muted">no status yet</span>
      </div>
    );
  }
  const stale = isStale(target, status, now);
  return (
    <div className="status-line">
      <div>
        <HealthBadge health={status.health} />{' '}
        <span className="muted">{formatSince(status.since, now)}</span>
      </div>
      {status.lastError && (
        <p className={props.detailed ? 'last-error' : 'last-error clamp'} title={status.lastError}>
          {status.lastError}
        </p>
      )}
      <div className={stale ? 'freshness stale' : 'freshness muted'}>
        {stale && <span className="tone-word">stale</span>}{' '}
        {status.lastSampleAt === null
          ? 'No sample yet'
          : `Last sample ${formatAgo(status.lastSampleAt, now)}`}
        {stale && ' — newer data is missing'}
        {props.detailed && status.lastDurationMs !== null && (
          <> · collection took {formatDuration(status.lastDurationMs / 1000)}</>
        )}
      </div>
      {props.detailed && status.metricErrors.length > 0 && (
        <details className="metric-errors">
          <summary>
            {status.metricErrors.length} metric{status.metricErrors.length === 1 ? '' : 's'} failed
            in the last round
          </summary>
          <ul>
            {status.metricErrors.map((e) => (
              <li key={e.metric}>
                <code>{e.metric}</code>: {e.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
