// The one confirmation for every change to a database: the exact statement, the plan and the
// target's name; for ACCESS EXCLUSIVE work the name must be typed back. Enter confirms only
// when the change may go ahead, Escape cancels.
import { useId, useState } from 'react';
import { confirmMissing } from '../care/confirm';
import { Dialog } from './Dialog';

export interface ChangeDialogProps {
  /** "Run VACUUM", "Terminate session 4242", … */
  title: string;
  targetName: string;
  /** The exact SQL or command that will run, as the backend will send it. */
  statement: string;
  /** "Statement" for SQL; "What runs" where the command is described rather than quoted. */
  statementLabel?: string;
  /** The lock it takes, when known ("ACCESS EXCLUSIVE", "SHARE UPDATE EXCLUSIVE"). */
  lock?: string | null;
  /** Plan facts and warnings, shown between the statement and the confirmation. */
  plan?: React.ReactNode;
  /** Problems that stop the change unless the operator overrides them. */
  blockers?: string[];
  /** True for ACCESS EXCLUSIVE work: the target's name must be typed. */
  typeName?: boolean;
  confirmLabel: string;
  busy?: boolean;
  /** Why the last attempt failed, shown in the dialog. */
  error?: string | null;
  onConfirm: (override: boolean, typedName: string) => void;
  onCancel: () => void;
}

export function ChangeDialog(props: ChangeDialogProps): React.ReactElement {
  const [typed, setTyped] = useState('');
  const [override, setOverride] = useState(false);
  const nameId = useId();
  const blockers = props.blockers ?? [];
  const typeName = props.typeName ?? false;
  const missing = confirmMissing(
    { targetName: props.targetName, typeName, blockers },
    { typed, override },
  );

  function submit(): void {
    if (missing !== null || props.busy) return;
    props.onConfirm(override, typed);
  }

  return (
    <Dialog
      title={props.title}
      tone="danger"
      wide
      onClose={props.onCancel}
      onSubmit={submit}
      actions={
        <>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="danger"
            disabled={missing !== null || props.busy}
            data-autofocus={typeName || blockers.length > 0 ? undefined : ''}
          >
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        </>
      }
    >
      <p className="change-target">
        On <strong>{props.targetName}</strong>
        {props.lock && (
          <>
            {' '}
            · takes lock <strong className="mono">{props.lock}</strong>
          </>
        )}
      </p>
      <p className="label">{props.statementLabel ?? 'Statement'}</p>
      <pre className="statement" aria-label={props.statementLabel ?? 'Statement'}>
        {props.statement}
      </pre>
      {props.plan && <div className="change-plan">{props.plan}</div>}
      {blockers.length > 0 && (
        <div className="notice notice-bad" role="alert">
          <span className="notice-icon" aria-hidden="true">
            ✕
          </span>
          <span>
            <strong>Blocking problem{blockers.length === 1 ? '' : 's'}:</strong>
            <ul className="blockers">
              {blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
            <label className="switch">
              <input
                type="checkbox"
                checked={override}
                data-autofocus={typeName ? undefined : ''}
                onChange={(e) => setOverride(e.target.checked)}
              />
              Run it anyway (override)
            </label>
          </span>
        </div>
      )}
      {typeName && (
        <div className="type-name">
          <label htmlFor={nameId}>
            This takes an ACCESS EXCLUSIVE lock: reads and writes wait until it ends. Type{' '}
            <strong className="mono">{props.targetName}</strong> to confirm.
          </label>
          <input
            id={nameId}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            data-autofocus
            aria-invalid={typed !== '' && missing !== null ? true : undefined}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
      )}
      {missing !== null && !props.busy && <p className="muted small">{missing}</p>}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
    </Dialog>
  );
}
