// A `table.data` described by its columns: each column has a header and renders its cell
// from a row. Figures (`num`) are right-aligned in header and cells alike.

export interface Column<T> {
  head: string;
  /** A figure: right-aligned, header and cell. */
  num?: boolean;
  /** Classes of the cell beside `num`, from the row ('' for none). */
  cellClass?: (row: T) => string;
  cell: (row: T) => React.ReactNode;
}

type RowProps = React.ComponentProps<'tr'> & { [data: `data-${string}`]: string };

export function DataTable<T>(props: {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Classes beside `data`. */
  className?: string;
  /** Attributes of a row (selection, click). */
  rowProps?: (row: T) => RowProps;
}): React.ReactElement {
  const { columns } = props;
  return (
    <table className={props.className ? `data ${props.className}` : 'data'}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.head} scope="col" className={c.num ? 'num' : undefined}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} {...props.rowProps?.(row)}>
            {columns.map((c) => (
              <td key={c.head} className={classOf(c, row)}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function classOf<T>(c: Column<T>, row: T): string | undefined {
  const names = [c.num ? 'num' : '', c.cellClass?.(row) ?? ''].filter(Boolean).join(' ');
  return names || undefined;
}
