// Small pieces of the alerting pages: severity and state badges (colour, shape and word),
// the firing count of a target, the tabs of the alerts area and the silence dialog.
import { useState } from 'react';
import type { AlertState, Severity } from '../../../shared/alerts';
import { assertNever } from '../../../shared/result';
import {
  SEVERITY_WORD,
  SILENCE_PRESETS,
  STATE_WORD,
  firingCountText,
  silenceEnd,
  toLocalInput,
  type SilencePreset,
} from '../alerting';
import { formatWhen } from '../format';
import { routeHash, type AlertsView } from '../router';
import { Dialog } from './Dialog';

function severityGlyph(s: Severity): string {
  switch (s) {
    case 'critical':
      return '✕';
    case 'warning':
      return '!';
    case 'info':
      return 'i';
    default:
      return assertNever(s, 'severity');
  }
}

export function SeverityBadge({ severity }: { severity: Severity }): React.ReactElement {
  return (
    <span className={`sev sev-${severity}`}>
      <span className="sev-icon" aria-hidden="true">
        {severityGlyph(severity)}
      </span>
      {SEVERITY_WORD[severity]}
    </span>
  );
}

export function StateBadge({ state }: { state: AlertState }): React.ReactElement {
  return <span className={`alert-state alert-state-${state}`}>{STATE_WORD[state]}</span>;
}

/** "2 firing" beside a target, linking to the alerts page. Nothing when none fire. */
export function FiringBadge({ count }: { count: number }): React.ReactElement | null {
  if (count <= 0) return null;
  return (
    <a className="firing-badge" href="#/alerts" title="Open the alerts page">
      <span aria-hidden="true">▲ </span>
      {firingCountText(count)}
    </a>
  );
}

const TABS: [AlertsView, string][] = [
  ['list', 'Alerts'],
  ['rules', 'Rules'],
  ['notifications', 'Notifications and silences'],
];

export function AlertsTabs({ view }: { view: AlertsView }): React.ReactElement {
  return (
    <nav className="tabs" aria-label="Alerting">
      {TABS.map(([v, label]) => (
        <a
          key={v}
          className="tab"
          href={routeHash({ page: 'alerts', view: v })}
          aria-current={v === view ? 'page' : undefined}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}

export interface SilenceChoice {
  on: 'target' | 'rule';
  endsAt: number;
  reason: string;
}

/**
 * Asks what to silence (the target or the rule), until when and why. The target and rule are
 * named in words; `now` is the time the dialog opened.
 */
export function SilenceDialog(props: {
  targetName: string | null;
  ruleName: string | null;
  now: number;
  busy: boolean;
  error: string | null;
  onSave: (c: SilenceChoice) => void;
  onClose: () => void;
}): React.ReactElement {
  const [on, setOn] = useState<'target' | 'rule'>(props.targetName !== null ? 'target' : 'rule');
  const [preset, setPreset] = useState<SilencePreset>('1h');
  const [custom, setCustom] = useState(() => toLocalInput(props.now + 2 * 3_600_000));
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const endsAt = silenceEnd(preset, props.now, custom);
  const reasonError = tried && reason.trim() === '' ? 'Say why, for whoever looks later.' : null;
  const endError = tried && endsAt === null ? 'Choose a time in the future.' : null;

  function submit(): void {
    setTried(true);
    if (endsAt === null || reason.trim() === '') return;
    props.onSave({ on, endsAt, reason: reason.trim() });
  }

  return (
    <Dialog
      title="Silence"
      onClose={props.onClose}
      onSubmit={submit}
      actions={
        <>
          <button type="button" onClick={props.onClose} disabled={props.busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={props.busy}>
            {props.busy ? 'Saving…' : 'Silence'}
          </button>
        </>
      }
    >
      <p className="muted">
        Alerts stay visible while silenced; they are not notified until the silence ends.
      </p>
      <fieldset>
        <legend>What</legend>
        {props.targetName !== null && (
          <label className="radio">
            <input
              type="radio"
              name="silence-on"
              checked={on === 'target'}
              onChange={() => setOn('target')}
              data-autofocus={on === 'target' ? true : undefined}
            />
            Every alert of the target <strong>{props.targetName}</strong>
          </label>
        )}
        {props.ruleName !== null && (
          <label className="radio">
            <input
              type="radio"
              name="silence-on"
              checked={on === 'rule'}
              onChange={() => setOn('rule')}
            />
            The rule <strong>{props.ruleName}</strong> on every target
          </label>
        )}
      </fieldset>
      <fieldset>
        <legend>Until</legend>
        {SILENCE_PRESETS.map(([p, label]) => (
          <label className="radio" key={p}>
            <input
              type="radio"
              name="silence-until"
              checked={preset === p}
              onChange={() => setPreset(p)}
            />
            {label}
            {p !== 'custom' && (
              <span className="muted"> ({formatWhen(silenceEnd(p, props.now)!, props.now)})</span>
            )}
          </label>
        ))}
        {preset === 'custom' && (
          <label className="stacked">
            <span>End time</span>
            <input
              type="datetime-local"
              value={custom}
              aria-invalid={endError ? true : undefined}
              onChange={(e) => setCustom(e.target.value)}
            />
          </label>
        )}
        {endError && <div className="field-error">{endError}</div>}
      </fieldset>
      <label className="stacked">
        <span>Reason</span>
        <input
          type="text"
          value={reason}
          placeholder="e.g. maintenance window, disk replaced tonight"
          aria-invalid={reasonError ? true : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {reasonError && <div className="field-error">{reasonError}</div>}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
    </Dialog>
  );
}
