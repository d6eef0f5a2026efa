// "web-1 not reachable since 03:12 (2 h 5 min)": one calm line on a page whose target does
// not answer, and the context that tells the live parts below it (care tabs) to say less.
import { createContext, useContext } from 'react';
import type { TargetStatus } from '../../../shared/types';
import { formatDuration, formatWhen } from '../format';
import { downSince } from '../offline';

/** Since when the target of the page does not answer; null while it answers. */
export const TargetDownContext = createContext<number | null>(null);

export function useTargetDown(): number | null {
  return useContext(TargetDownContext);
}

export function agoText(since: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - since) / 60_000));
  return minutes === 0 ? 'under a minute' : formatDuration(minutes * 60);
}

export function DownLine(props: {
  status: TargetStatus | undefined;
  now: number;
  /** What the page shows meanwhile, e.g. "Charts show the stored history." */
  meanwhile: string;
  /** Starts the line ("Not reachable since …") or names the target ("db-1 not reachable"). */
  name?: string;
}): React.ReactElement | null {
  const since = downSince(props.status);
  if (since === null) return null;
  return (
    <p className="down-line" role="status">
      <strong>
        {props.name ? `${props.name} not reachable` : 'Not reachable'} since{' '}
        {formatWhen(since, props.now)}
      </strong>{' '}
      ({agoText(since, props.now)}). {props.meanwhile}
    </p>
  );
}
