// Small pieces shared by the database care tabs: how fresh a load is (and the last snapshot
// with its age when the target or backend does not answer), a yes/no word with a shape, and
// the one flow every change takes through the confirmation dialog.
import { useState } from 'react';
import { errorText } from '../client';
import { isNotInBuild } from '../care/logic';
import { formatDuration, formatWhen } from '../format';
import type { Loaded } from '../hooks';
import { useTargetDown } from './DownLine';
import { ChangeDialog, type ChangeDialogProps } from './ChangeDialog';

/** Freshness of a loaded part, its failure in words, and a refresh button. */
export function LoadNotice<T>(props: {
  what: string;
  loaded: Loaded<T>;
  now: number;
  /** When the data itself says when it was read (health snapshots do). */
  readAt?: number | null;
}): React.ReactElement | null {
  const { what, loaded, now } = props;
  const at = props.readAt ?? loaded.at;
  const age = at !== null ? formatDuration(Math.max(0, (now - at) / 1000)) : null;
  // The page says once that the target is down; here only what is shown meanwhile.
  const down = useTargetDown() !== null && loaded.error !== null;
  if (loaded.error && isNotInBuild(loaded.error)) {
    return (
      <div className="notice notice-info" role="status">
        <span className="notice-icon" aria-hidden="true">
          i
        </span>
        <span>
          <strong>{loaded.error.message}</strong> {what} will show here once the backend has it.
        </span>
      </div>
    );
  }
  return (
    <>
      <div className="care-fresh">
        <span className="muted small">
          {loaded.loading && loaded.data === undefined
            ? `Reading ${what}…`
            : at !== null
              ? `${capital(what)} as of ${formatWhen(at, now)} (${age} ago)`
              : ''}
        </span>
        <button type="button" onClick={loaded.reload} disabled={loaded.loading}>
          {loaded.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {down && (
        <p className="muted">
          {loaded.data !== undefined && age !== null
            ? `Showing the last answer, ${age} old.`
            : `Nothing read yet: ${what} is read live and shows once the target answers.`}
        </p>
      )}
      {loaded.error && !down && (
        <div className={`notice ${loaded.data ? 'notice-warn' : 'notice-bad'}`} role="alert">
          <span className="notice-icon" aria-hidden="true">
            {loaded.data ? '!' : '✕'}
          </span>
          <span>
            Could not read {what}: {errorText(loaded.error)}
            {loaded.data !== undefined && age !== null
              ? ` Showing the last snapshot, ${age} old.`
              : ''}
          </span>
        </div>
      )}
    </>
  );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export type Tone = 'ok' | 'warn' | 'bad' | 'unknown';

const GLYPH: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✕', unknown: '?' };

/** A word with a colour and a shape: never colour alone. */
export function ToneWord({ tone, children }: { tone: Tone; children: React.ReactNode }) {
  return (
    <span className={`tone-badge tone-badge-${tone}`}>
      <span aria-hidden="true">{GLYPH[tone]}</span> {children}
    </span>
  );
}

/** A change waiting for confirmation: the dialog's facts and the call that makes it. */
export type Change = Omit<
  ChangeDialogProps,
  'onConfirm' | 'onCancel' | 'busy' | 'error' | 'targetName'
> & {
  /** Makes the change; resolves with the outcome in words. */
  run: (override: boolean, typedName: string) => Promise<string>;
};

export interface ChangeFlow {
  ask: (change: Change) => void;
  /** The dialog (when open) and the last outcome; render once on the tab. */
  view: React.ReactElement;
}

/** Every change goes through here: dialog, call, outcome in words, then `after()`. */
export function useChangeFlow(targetName: string, after: () => void): ChangeFlow {
  const [open, setOpen] = useState<Change | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function confirm(change: Change, override: boolean, typed: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const text = await change.run(override, typed);
      setOpen(null);
      setOutcome({ ok: true, text });
      after();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const view = (
    <>
      {outcome && (
        <div className={`notice ${outcome.ok ? 'notice-ok' : 'notice-bad'}`} role="status">
          <span className="notice-icon" aria-hidden="true">
            {outcome.ok ? '✓' : '✕'}
          </span>
          <span>{outcome.text}</span>
          <button type="button" onClick={() => setOutcome(null)}>
            Dismiss
          </button>
        </div>
      )}
      {open && (
        <ChangeDialog
          {...open}
          targetName={targetName}
          busy={busy}
          error={error}
          onConfirm={(override, typed) => void confirm(open, override, typed)}
          onCancel={() => {
            setOpen(null);
            setError(null);
          }}
        />
      )}
    </>
  );
  return {
    ask: (change) => {
      setError(null);
      setOpen(change);
    },
    view,
  };
}
