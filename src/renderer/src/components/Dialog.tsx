// A modal dialog on the native <dialog>: focus stays inside, Escape cancels, Enter submits
// the primary action (the form's submit button).
import { useEffect, useRef } from 'react';

export interface DialogProps {
  title: string;
  onClose: () => void;
  /** Called on Enter or the submit button. Omit for dialogs without a primary action. */
  onSubmit?: () => void;
  tone?: 'danger' | 'normal';
  children: React.ReactNode;
  /** Buttons; type="submit" is the primary action, data-autofocus gets the first focus. */
  actions: React.ReactNode;
  wide?: boolean;
}

export function Dialog(props: DialogProps): React.ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const dlg = ref.current;
    if (!dlg) return;
    opener.current = document.activeElement;
    if (!dlg.open) dlg.showModal();
    // showModal() picks the first focusable element; the dialog names its own default.
    dlg.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (opener.current instanceof HTMLElement) opener.current.focus();
    };
  }, []);

  function submit(e: React.FormEvent): void {
    e.preventDefault();
    props.onSubmit?.();
  }

  return (
    <dialog
      ref={ref}
      className={`dialog ${props.tone === 'danger' ? 'dialog-danger' : ''} ${props.wide ? 'dialog-wide' : ''}`}
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <form onSubmit={submit}>
        <h2 id="dialog-title">{props.title}</h2>
        <div className="dialog-body">{props.children}</div>
        <div className="dialog-actions">{props.actions}</div>
      </form>
    </dialog>
  );
}

/** The usual pair of a form dialog: Cancel, and the primary action that reads `busyLabel`
 * and waits while its call is under way. */
export function SubmitActions(props: {
  busy: boolean;
  onCancel: () => void;
  label: string;
  busyLabel: string;
}): React.ReactElement {
  return (
    <>
      <button type="button" onClick={props.onCancel} disabled={props.busy}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={props.busy}>
        {props.busy ? props.busyLabel : props.label}
      </button>
    </>
  );
}
