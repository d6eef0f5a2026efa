// Current-state tables from snapshot(): lists of records become sortable tables, single
// values become facts. Identifiers (queryid, pid, …) are shown exactly as received.
import { useMemo, useState } from 'react';
import { formatBytes, formatDuration, formatMs, formatWhen, NO_VALUE, sig3 } from '../format';

export type Row = Record<string, unknown>;

/** Words for a key: "topStatements" → "Top statements", "client_addr" → "Client addr". */
export function titleOf(key: string, titles: Record<string, string> = {}): string {
  if (titles[key]) return titles[key];
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ID_KEY = /(^|_)(id|queryid|pid|oid|xid|lsn)$|^queryid$/i;

/** A cell's text, chosen by the column name. Never turns an id into a rounded number. */
export function cellText(key: string, value: unknown, now: number): string {
  if (value === null || value === undefined) return NO_VALUE;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value === '' ? NO_VALUE : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return numberText(key, value, now);
  return JSON.stringify(value);
}

/** "totalExecMs" and "total_exec_ms" alike: snake case, lower case. */
function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function numberText(key: string, v: number, now: number): string {
  if (!Number.isFinite(v)) return NO_VALUE;
  const k = snake(key);
  if (ID_KEY.test(k) || k === 'version_num')
    return Number.isSafeInteger(v) ? String(v) : `${String(v)} (imprecise)`;
  if (/bytes$|_size$|^size$|memory$|_mem$/.test(k)) return formatBytes(v);
  if (/(_|^)ms$|millis/.test(k)) return formatMs(v);
  if (/(_|^)(s|sec|secs|seconds|age|duration)$/.test(k)) return formatDuration(v);
  if (/(_|^)lag$/.test(k) && !k.includes('offset')) return formatDuration(v);
  if (/(_at|_start|^t|time)$/.test(k) && v > 1e12) return formatWhen(v, now);
  if (Number.isInteger(v)) return String(v);
  return sig3(v);
}

function isRecordList(v: unknown): v is Row[] {
  return (
    Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))
  );
}

export interface SnapshotViewProps {
  data: Record<string, unknown>;
  now: number;
  /** Table keys shown first, in this order. */
  order?: string[];
  titles?: Record<string, string>;
  /** Column order per table key; other columns follow. */
  columns?: Record<string, string[]>;
  /** Keys already shown elsewhere on the page. */
  skip?: string[];
}

export function SnapshotView({
  data,
  now,
  order = [],
  titles = {},
  columns = {},
  skip = [],
}: SnapshotViewProps): React.ReactElement {
  const keys = Object.keys(data).filter((k) => !skip.includes(k));
  const ranked = [...keys].sort((a, b) => rank(order, a) - rank(order, b));
  const tables = ranked.filter((k) => isRecordList(data[k]));
  const facts = ranked.filter((k) => !isRecordList(data[k]));
  return (
    <>
      {facts.length > 0 && (
        <section className="panel">
          <header className="panel-head">
            <h3>Facts</h3>
          </header>
          <dl className="facts facts-grid">
            {facts.map((k) => (
              <Fact key={k} name={titleOf(k, titles)} value={data[k]} rawKey={k} now={now} />
            ))}
          </dl>
        </section>
      )}
      {tables.map((k) => (
        <RecordTable
          key={k}
          title={titleOf(k, titles)}
          rows={data[k] as Row[]}
          now={now}
          columns={columns[k]}
        />
      ))}
    </>
  );
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

function Fact({
  name,
  value,
  rawKey,
  now,
}: {
  name: string;
  value: unknown;
  rawKey: string;
  now: number;
}): React.ReactElement {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return (
      <>
        {Object.entries(value as Row).map(([k, v]) => (
          <Fact key={k} name={`${name} · ${titleOf(k)}`} value={v} rawKey={k} now={now} />
        ))}
      </>
    );
  }
  const text = Array.isArray(value)
    ? value.map((x) => cellText(rawKey, x, now)).join(', ') || NO_VALUE
    : cellText(rawKey, value, now);
  return (
    <div className="fact">
      <dt>{name}</dt>
      <dd className={ID_KEY.test(rawKey) ? 'mono' : undefined}>{text}</dd>
    </div>
  );
}

const PAGE = 100;

export function RecordTable(props: {
  title: string;
  rows: Row[];
  now: number;
  columns?: string[];
}): React.ReactElement {
  const { title, rows, now } = props;
  const [sortKey, setSortKey] = useState<string | null>(null);
  const [desc, setDesc] = useState(true);
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const cols = useMemo(() => columnsOf(rows, props.columns ?? []), [rows, props.columns]);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const kept = words.length
      ? rows.filter((r) => {
          const hay = cols
            .map((c) => cellText(c, r[c], now))
            .join(' ')
            .toLowerCase();
          return words.every((w) => hay.includes(w));
        })
      : rows;
    return sortKey
      ? [...kept].sort((a, b) => compare(a[sortKey], b[sortKey]) * (desc ? -1 : 1))
      : kept;
  }, [rows, cols, filter, sortKey, desc, now]);

  function sortBy(c: string): void {
    if (sortKey === c) setDesc(!desc);
    else {
      setSortKey(c);
      setDesc(true);
    }
  }

  return (
    <section className="panel" aria-label={title}>
      <header className="panel-head">
        <h3>
          {title} <span className="muted">({rows.length})</span>
        </h3>
        {rows.length > 8 && (
          <input
            type="search"
            className="table-filter"
            placeholder="filter rows"
            aria-label={`Filter ${title}`}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
      </header>
      {rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                {cols.map((c) => (
                  <th
                    key={c}
                    scope="col"
                    aria-sort={sortKey === c ? (desc ? 'descending' : 'ascending') : undefined}
                  >
                    <button type="button" className="th-button" onClick={() => sortBy(c)}>
                      {titleOf(c)}
                      {sortKey === c ? (desc ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, limit).map((r, i) => (
                <tr key={i}>
                  {cols.map((c) => {
                    const text = cellText(c, r[c], now);
                    const long = text.length > 60;
                    return (
                      <td
                        key={c}
                        className={cellClass(c, r[c], long)}
                        title={long ? text : undefined}
                      >
                        {text}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown.length > limit && (
        <button type="button" onClick={() => setLimit(limit + PAGE * 5)}>
          Show more ({shown.length - limit} hidden)
        </button>
      )}
    </section>
  );
}

function cellClass(key: string, value: unknown, long: boolean): string {
  const cls: string[] = [];
  if (typeof value === 'number') cls.push('num');
  if (ID_KEY.test(key) || /query|sql|statement|addr|host/.test(key.toLowerCase())) cls.push('mono');
  if (long) cls.push('clip');
  return cls.join(' ');
}

function columnsOf(rows: Row[], preferred: string[]): string[] {
  const seen = new Set<string>();
  for (const r of rows.slice(0, 200)) for (const k of Object.keys(r)) seen.add(k);
  const first = preferred.filter((c) => seen.has(c));
  return [...first, ...[...seen].filter((c) => !first.includes(c))];
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Ids kept as strings (queryid) compare as whole numbers when both look like integers.
  if (typeof a === 'string' && typeof b === 'string' && /^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}
