// The fleet-level offline notice: when no remote target answers, one calm line says since
// when and that what shows is cached, so the errors of each page need not say it.
import { formatWhen } from '../format';
import { useConnection, useNow } from '../hooks';
import { useInventory } from '../inventory';
import { fleetOffline } from '../offline';
import { agoText } from './DownLine';

export function OfflineNotice(): React.ReactElement | null {
  const inv = useInventory();
  const conn = useConnection();
  const now = useNow(10_000);
  // The backend itself being unreachable is the connection banner's to say.
  if (conn.state !== 'online' || !inv.targets) return null;
  const off = fleetOffline(inv.targets, inv.statuses);
  if (!off) return null;
  const ago = agoText(off.since, now);
  return (
    <div className="banner banner-offline" role="status" aria-label="Offline">
      <span className="banner-icon" aria-hidden="true">
        ⊘
      </span>
      <span>
        <strong>
          Offline: no {off.localLive ? 'remote ' : ''}target has answered since{' '}
          {formatWhen(off.since, now)}
        </strong>{' '}
        ({ago}) — showing cached data.
        {off.localLive ? " This workstation's own figures stay live." : ''}
      </span>
    </div>
  );
}
