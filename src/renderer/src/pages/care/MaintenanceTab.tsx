// Safe maintenance: choose an action, its scope and options from a fixed set, see the plan in
// the confirmation dialog, follow the run live (phase and %), cancel, compare before and
// after, clean up INVALID indexes, and keep schedules.
import { useState } from 'react';
import type {
  MaintenanceAction,
  MaintenanceOptions,
  MaintenanceProgress,
  MaintenanceRun,
  MaintenanceSchedule,
  MaintenanceScope,
  PgHealth,
  PgIndex,
} from '../../../../shared/care';
import { MAINTENANCE_ACTIONS } from '../../../../shared/care';
import { assertNever } from '../../../../shared/result';
import {
  ACTION_WORD,
  OPTION_WORD,
  actionText,
  cleanOptions,
  optionsFor,
  runStatusWord,
  scopesFor,
} from '../../care/logic';
import { ToneWord, type Tone } from '../../components/CareBits';
import { formatBytes, formatCount, formatDuration, formatWhen } from '../../format';

export interface MaintenanceRequest {
  action: MaintenanceAction;
  scope: MaintenanceScope;
  options: MaintenanceOptions;
}

export interface MaintenanceTabProps {
  /** For the lists of tables and indexes; undefined while it loads or when missing. */
  health: PgHealth | undefined;
  /** The run followed live (the last one started here), with its latest progress. */
  current: MaintenanceRun | null;
  progress: MaintenanceProgress | null;
  runs: MaintenanceRun[] | undefined;
  schedules: MaintenanceSchedule[] | undefined;
  now: number;
  /** Asks the backend for a plan and opens the confirmation dialog with it. */
  onPlan: (req: MaintenanceRequest) => void;
  onCancelRun: (run: MaintenanceRun) => void;
  onSaveSchedule: (req: MaintenanceRequest, cron: string, from: string, to: string) => void;
  onDeleteSchedule: (s: MaintenanceSchedule) => void;
  planning: boolean;
}

const SCOPE_WORD: Record<MaintenanceScope['kind'], string> = {
  database: 'whole database',
  table: 'one table',
  index: 'one index',
};

export function MaintenanceTab(props: MaintenanceTabProps): React.ReactElement {
  const [action, setAction] = useState<MaintenanceAction>('vacuum');
  const [scopeKind, setScopeKind] = useState<MaintenanceScope['kind']>('table');
  const [object, setObject] = useState('');
  const [options, setOptions] = useState<MaintenanceOptions>({});
  const [cron, setCron] = useState('0 3 * * 0');
  const [from, setFrom] = useState('02:00');
  const [to, setTo] = useState('05:00');

  const scopes = scopesFor(action);
  const kind = scopes.includes(scopeKind) ? scopeKind : scopes[0];
  const objects = objectsFor(props.health, kind, action);
  const chosen = objects.find((o) => o.key === object) ?? objects[0];
  const scope: MaintenanceScope | null =
    kind === 'database'
      ? { kind: 'database' }
      : chosen
        ? { kind, schema: chosen.schema, name: chosen.name }
        : null;
  const req: MaintenanceRequest | null = scope
    ? { action, scope, options: cleanOptions(action, options) }
    : null;

  function submit(e: React.FormEvent): void {
    e.preventDefault();
    if (req) props.onPlan(req);
  }

  return (
    <>
      <form className="panel care-form" aria-label="New maintenance" onSubmit={submit}>
        <header className="panel-head">
          <h3>Run maintenance</h3>
          <span className="muted small">
            The plan (exact SQL, lock, disk, blockers) shows before anything runs.
          </span>
        </header>
        <div className="care-form-row">
          <label>
            <span>Action</span>
            <select value={action} onChange={(e) => setAction(e.target.value as MaintenanceAction)}>
              {MAINTENANCE_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {ACTION_WORD[a]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Scope</span>
            <select
              value={kind}
              onChange={(e) => setScopeKind(e.target.value as MaintenanceScope['kind'])}
            >
              {scopes.map((s) => (
                <option key={s} value={s}>
                  {SCOPE_WORD[s]}
                </option>
              ))}
            </select>
          </label>
          {kind !== 'database' && (
            <label>
              <span>{kind === 'table' ? 'Table' : 'Index'}</span>
              <select
                value={chosen?.key ?? ''}
                onChange={(e) => setObject(e.target.value)}
                disabled={objects.length === 0}
              >
                {objects.length === 0 && (
                  <option value="">
                    {props.health ? `no ${kind} to choose` : 'waiting for the table list'}
                  </option>
                )}
                {objects.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {optionsFor(action).length > 0 && (
            <fieldset className="care-options">
              <legend>Options</legend>
              {optionsFor(action).map((o) => (
                <label key={o} className="switch">
                  <input
                    type="checkbox"
                    checked={options[o] === true}
                    onChange={(e) => setOptions({ ...options, [o]: e.target.checked })}
                  />
                  {OPTION_WORD[o]}
                </label>
              ))}
            </fieldset>
          )}
          <button type="submit" className="primary" disabled={!req || props.planning}>
            {props.planning ? 'Planning…' : 'Plan and review…'}
          </button>
        </div>
        {req && (
          <p className="muted small">Will plan: {actionText(req.action, req.options, req.scope)}</p>
        )}
        <details className="care-schedule-form">
          <summary>Schedule this instead</summary>
          <div className="care-form-row">
            <label>
              <span>Cron (croner syntax)</span>
              <input className="mono" value={cron} onChange={(e) => setCron(e.target.value)} />
            </label>
            <label>
              <span>Window from</span>
              <input type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label>
              <span>to</span>
              <input type="time" value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
            <button
              type="button"
              disabled={!req}
              onClick={() => req && props.onSaveSchedule(req, cron, from, to)}
            >
              Save schedule…
            </button>
          </div>
        </details>
      </form>
      {props.current && (
        <CurrentRun
          run={props.current}
          progress={props.progress}
          now={props.now}
          onCancel={props.onCancelRun}
          onCleanUp={(name, schema) =>
            props.onPlan({
              action: 'drop-invalid-index',
              scope: { kind: 'index', schema, name },
              options: {},
            })
          }
        />
      )}
      <InvalidIndexes
        indexes={props.health?.invalidIndexes ?? []}
        onCleanUp={(i) =>
          props.onPlan({
            action: 'drop-invalid-index',
            scope: { kind: 'index', schema: i.schema, name: i.name },
            options: {},
          })
        }
      />
      <RunList runs={props.runs} now={props.now} />
      <ScheduleList schedules={props.schedules} now={props.now} onDelete={props.onDeleteSchedule} />
    </>
  );
}

interface ObjectChoice {
  key: string;
  schema: string;
  name: string;
  label: string;
}

function objectsFor(
  health: PgHealth | undefined,
  kind: MaintenanceScope['kind'],
  action: MaintenanceAction,
): ObjectChoice[] {
  if (!health || kind === 'database') return [];
  if (kind === 'table') {
    return [...health.tables]
      .sort((a, b) => b.deadTuples - a.deadTuples || a.name.localeCompare(b.name))
      .map((t) => ({
        key: `${t.schema}.${t.name}`,
        schema: t.schema,
        name: t.name,
        label: `${t.schema}.${t.name} — ${formatBytes(t.totalBytes)}, ${formatCount(t.deadTuples)} dead tuples`,
      }));
  }
  const list = action === 'drop-invalid-index' ? health.invalidIndexes : health.indexes;
  return list.map((i) => ({
    key: `${i.schema}.${i.name}`,
    schema: i.schema,
    name: i.name,
    label: `${i.schema}.${i.name} on ${i.table} — ${formatBytes(i.bytes)}${i.valid ? '' : ', INVALID'}`,
  }));
}

export function runTone(run: MaintenanceRun): Tone {
  switch (run.status) {
    case 'running':
      return 'unknown';
    case 'succeeded':
      return 'ok';
    case 'failed':
      return 'bad';
    case 'cancelled':
      return 'warn';
    default:
      return assertNever(run.status, 'run status');
  }
}

function CurrentRun(props: {
  run: MaintenanceRun;
  progress: MaintenanceProgress | null;
  now: number;
  onCancel: (run: MaintenanceRun) => void;
  onCleanUp: (name: string, schema: string) => void;
}): React.ReactElement {
  const { run, now } = props;
  const p = props.progress ?? run.lastProgress;
  const running = run.status === 'running';
  const ended = run.finishedAt ?? now;
  const schema = run.scope.kind === 'database' ? 'public' : run.scope.schema;
  return (
    <section className="panel care-run" aria-label="Current run" aria-live="polite">
      <header className="panel-head">
        <h3>{actionText(run.action, run.options, run.scope)}</h3>
        <ToneWord tone={runTone(run)}>{runStatusWord(run.status)}</ToneWord>
        <span className="muted small">
          started {formatWhen(run.startedAt, now)} ·{' '}
          {formatDuration(Math.max(0, ended - run.startedAt) / 1000)}
          {running ? ' so far' : ''}
        </span>
      </header>
      {running && (
        <div className="care-progress">
          <div>
            Phase: <strong>{p?.phase ?? 'starting'}</strong>
            {p?.view && <span className="muted small"> (from {p.view})</span>}
          </div>
          <progress
            max={100}
            value={p?.percent ?? undefined}
            aria-label={`Progress${p?.percent != null ? ` ${Math.round(p.percent)}%` : ''}`}
          />
          <span>
            {p?.percent != null ? `${Math.round(p.percent)}%` : 'no measure in this phase'}
          </span>
          <button type="button" className="danger-outline" onClick={() => props.onCancel(run)}>
            Cancel run
          </button>
        </div>
      )}
      {run.error && (
        <p className="error" role="alert">
          {run.error}
        </p>
      )}
      {run.action !== 'drop-invalid-index' && (run.before || run.after) && (
        <table className="data before-after" aria-label="Before and after">
          <thead>
            <tr>
              <th scope="col"></th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Size</th>
              <td className="num">{formatBytes(run.before?.bytes)}</td>
              <td className="num">{formatBytes(run.after?.bytes)}</td>
            </tr>
            <tr>
              <th scope="row">Dead tuples</th>
              <td className="num">{formatCount(run.before?.deadTuples)}</td>
              <td className="num">{formatCount(run.after?.deadTuples)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {run.leftovers.length > 0 && (
        <div className="notice notice-warn" role="status">
          <span className="notice-icon" aria-hidden="true">
            !
          </span>
          <span>
            The run left INVALID indexes behind:{' '}
            {run.leftovers.map((name) => (
              <button key={name} type="button" onClick={() => props.onCleanUp(name, schema)}>
                Drop {name}…
              </button>
            ))}
          </span>
        </div>
      )}
      <details>
        <summary>Statements</summary>
        <pre className="statement">{run.sql.join(';\n')}</pre>
      </details>
    </section>
  );
}

function InvalidIndexes(props: {
  indexes: PgIndex[];
  onCleanUp: (i: PgIndex) => void;
}): React.ReactElement | null {
  if (props.indexes.length === 0) return null;
  return (
    <section className="panel" aria-label="INVALID indexes">
      <header className="panel-head">
        <h3>INVALID indexes</h3>
        <ToneWord tone="bad">{props.indexes.length} to clean up</ToneWord>
      </header>
      <p className="muted small">
        Left by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY (names ending in _ccnew
        or _ccold). They slow every write and are never used.
      </p>
      <ul>
        {props.indexes.map((i) => (
          <li key={`${i.schema}.${i.name}`}>
            <span className="mono">
              {i.schema}.{i.name}
            </span>{' '}
            on {i.table} ({formatBytes(i.bytes)}){' '}
            <button type="button" onClick={() => props.onCleanUp(i)}>
              Drop…
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function RunList({ runs, now }: { runs: MaintenanceRun[] | undefined; now: number }) {
  return (
    <section className="panel" aria-label="Recent runs">
      <header className="panel-head">
        <h3>Recent runs {runs && <span className="muted">({runs.length})</span>}</h3>
      </header>
      {!runs || runs.length === 0 ? (
        <p className="muted">{runs ? 'No maintenance has run on this target yet.' : '—'}</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">What</th>
                <th scope="col">Result</th>
                <th scope="col">Took</th>
                <th scope="col">Size before → after</th>
                <th scope="col">Dead tuples before → after</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{formatWhen(r.startedAt, now)}</td>
                  <td>
                    {actionText(r.action, r.options, r.scope)}
                    {r.scheduleId && <span className="chip">scheduled</span>}
                  </td>
                  <td>
                    <ToneWord tone={runTone(r)}>{runStatusWord(r.status)}</ToneWord>
                    {r.error && <div className="small danger-text">{r.error}</div>}
                  </td>
                  <td className="num">
                    {r.finishedAt ? formatDuration((r.finishedAt - r.startedAt) / 1000) : '—'}
                  </td>
                  <td className="num">
                    {formatBytes(r.before?.bytes)} → {formatBytes(r.after?.bytes)}
                  </td>
                  <td className="num">
                    {formatCount(r.before?.deadTuples)} → {formatCount(r.after?.deadTuples)}
                  </td>
                  <td>{r.operator}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ScheduleList(props: {
  schedules: MaintenanceSchedule[] | undefined;
  now: number;
  onDelete: (s: MaintenanceSchedule) => void;
}): React.ReactElement {
  const list = props.schedules;
  return (
    <section className="panel" aria-label="Schedules">
      <header className="panel-head">
        <h3>Schedules {list && <span className="muted">({list.length})</span>}</h3>
      </header>
      {!list || list.length === 0 ? (
        <p className="muted">
          {list ? 'No scheduled maintenance. Use “Schedule this instead” above.' : '—'}
        </p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Cron</th>
              <th scope="col">Window</th>
              <th scope="col">Next run</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td>{actionText(s.action, s.options, s.scope)}</td>
                <td className="mono">{s.cron}</td>
                <td>
                  {s.windowStart}–{s.windowEnd}
                </td>
                <td>{s.nextRunAt ? formatWhen(s.nextRunAt, props.now) : '—'}</td>
                <td>{s.enabled ? 'enabled' : 'disabled'}</td>
                <td>
                  <button type="button" onClick={() => props.onDelete(s)}>
                    Delete…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
