// The snapshot block of a database page: when it was taken, errors, and its tables.
import type { Snapshot } from '../../../shared/types';
import { formatWhen } from '../format';
import { SnapshotView, type SnapshotViewProps } from './SnapshotView';

export interface SnapshotState {
  snapshot: Snapshot | null | undefined;
  error: string | null;
  at: number | null;
}

export function SnapshotSection(
  props: { state: SnapshotState; now: number } & Omit<SnapshotViewProps, 'data' | 'now'>,
): React.ReactElement {
  const { state, now, ...view } = props;
  return (
    <>
      <h2>
        Current state{' '}
        {state.snapshot && (
          <span className="muted small">as of {formatWhen(state.snapshot.t, now)}</span>
        )}
      </h2>
      {state.error && (
        <p className="error" role="alert">
          Could not load the snapshot: {state.error}
          {state.snapshot ? ' Showing the previous one.' : ''}
        </p>
      )}
      {state.snapshot === null && (
        <p className="muted">No snapshot yet: it appears after the first successful collection.</p>
      )}
      {state.snapshot === undefined && !state.error && <p className="muted">Loading…</p>}
      {state.snapshot && <SnapshotView data={state.snapshot.data} now={now} {...view} />}
    </>
  );
}
