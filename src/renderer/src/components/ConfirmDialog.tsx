// Yes/no before something that cannot be undone. Enter confirms, Escape cancels.
import { Dialog } from './Dialog';

export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  children: React.ReactNode;
}): React.ReactElement {
  return (
    <Dialog
      title={props.title}
      tone="danger"
      onClose={props.onCancel}
      onSubmit={props.onConfirm}
      actions={
        <>
          <button type="button" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
          <button type="submit" className="danger" data-autofocus disabled={props.busy}>
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
    </Dialog>
  );
}
