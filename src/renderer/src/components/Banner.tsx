// The connection banner: says plainly when the backend is unreachable, since when, and that
// what is on screen is the last data received.
import { assertNever } from '../../../shared/result';
import { formatDuration, formatWhen } from '../format';
import { useConnection, useNow } from '../hooks';

export function Banner(): React.ReactElement | null {
  const conn = useConnection();
  const now = useNow(15_000);
  const since = formatWhen(conn.since, now);
  const lasted = formatDuration(Math.max(0, (now - conn.since) / 1000));
  switch (conn.state) {
    case 'online':
      if (conn.live) return null;
      return (
        <div className="banner banner-warn" role="status">
          <span className="banner-icon" aria-hidden="true">
            !
          </span>
          Live updates interrupted since {since} ({lasted}) — figures refresh only when pages
          reload. Reconnecting…
        </div>
      );
    case 'connecting':
      return (
        <div className="banner banner-info" role="status">
          Connecting to the Opsdeck backend…
        </div>
      );
    case 'offline':
      return (
        <div className="banner banner-bad" role="alert">
          <span className="banner-icon" aria-hidden="true">
            ✕
          </span>
          <strong>Backend unreachable since {since}</strong> ({lasted}) — showing cached data.
          {conn.lastContactAt !== null && (
            <> Last contact {formatWhen(conn.lastContactAt, now)}.</>
          )}{' '}
          Retrying automatically.
        </div>
      );
    case 'unauthorized':
      return null;
    default:
      return assertNever(conn.state, 'link state');
  }
}
