// One row of a `grid-form`: the label, then the control with its error (if any) below it.
// Renders two grid cells (label, div), so it sits directly inside the grid.
export interface FieldRowProps {
  id: string;
  label: string;
  error?: string | undefined;
  /** Id of the error text, for a control that points at it with aria-describedby. */
  errorId?: string | undefined;
  children: React.ReactNode;
}

export function FieldRow(p: FieldRowProps): React.ReactElement {
  return (
    <>
      <label htmlFor={p.id}>{p.label}</label>
      <div>
        {p.children}
        {p.error ? (
          <div className="field-error" id={p.errorId}>
            {p.error}
          </div>
        ) : null}
      </div>
    </>
  );
}
