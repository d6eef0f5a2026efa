// The runbook library: runs to resume first, then every runbook with search and filters,
// then the files that did not load (file, line, field).
import { useState } from 'react';
import type {
  IncidentSeverity,
  RunbookLibrary,
  RunSummary,
  Scenario,
} from '../../../shared/runbooks';
import { LEVELS, SCENARIOS } from '../../../shared/runbooks';
import { type Column, DataTable } from '../components/DataTable';
import { InlineText, LevelBadge, RunbookTabs, RunStatusBadge } from '../components/RunbookBits';
import { formatWhen } from '../format';
import { NO_START, routeHash } from '../router';
import {
  EMPTY_FILTER,
  LEVEL_WORD,
  ROLE_WORD,
  SCENARIO_WORD,
  TIME_CHOICES,
  estimateText,
  filterRunbooks,
  type LibraryFilter,
} from '../runbooks';

export interface RunbooksPageProps {
  library: RunbookLibrary | undefined;
  runs: RunSummary[] | undefined;
  error: string | null;
  now: number;
  onRefresh: () => void;
}

export function RunbooksPage(props: RunbooksPageProps): React.ReactElement {
  const [filter, setFilter] = useState<LibraryFilter>(EMPTY_FILTER);
  const list = props.library ? filterRunbooks(props.library.runbooks, filter) : [];
  const running = (props.runs ?? []).filter((r) => r.status === 'running');
  const recent = (props.runs ?? []).filter((r) => r.status !== 'running').slice(0, 10);

  return (
    <section className="page">
      <header className="page-head">
        <h1>Runbooks</h1>
        <div className="toolbar">
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
        </div>
      </header>
      <RunbookTabs view="runbooks" />
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {running.length > 0 && (
        <section className="panel resume-panel" aria-label="Runs in progress">
          <h2>Runs in progress</h2>
          <RunTable runs={running} now={props.now} resume />
        </section>
      )}
      <section aria-label="Library">
        <form className="library-filter" role="search" onSubmit={(e) => e.preventDefault()}>
          <label className="inline">
            <span>Search</span>
            <input
              type="search"
              value={filter.query}
              placeholder="disk, postgres, breach…"
              onChange={(e) => setFilter({ ...filter, query: e.target.value })}
            />
          </label>
          <label className="inline">
            <span>Scenario</span>
            <select
              value={filter.scenario}
              onChange={(e) =>
                setFilter({ ...filter, scenario: e.target.value as Scenario | 'all' })
              }
            >
              <option value="all">all scenarios</option>
              {SCENARIOS.map((s) => (
                <option key={s} value={s}>
                  {SCENARIO_WORD[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            <span>Severity</span>
            <select
              value={filter.severity}
              onChange={(e) =>
                setFilter({ ...filter, severity: e.target.value as IncidentSeverity | 'all' })
              }
            >
              <option value="all">any severity</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {LEVEL_WORD[l]}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            <span>Estimated time</span>
            <select
              value={filter.maxMinutes === null ? '' : String(filter.maxMinutes)}
              onChange={(e) =>
                setFilter({
                  ...filter,
                  maxMinutes: e.target.value === '' ? null : Number(e.target.value),
                })
              }
            >
              {TIME_CHOICES.map(([m, label]) => (
                <option key={label} value={m === null ? '' : String(m)}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <span className="muted" aria-live="polite">
            {props.library
              ? `${list.length} of ${props.library.runbooks.length} runbooks`
              : 'Loading…'}
          </span>
        </form>
        {props.library && list.length === 0 && (
          <p className="empty">
            No runbook matches.{' '}
            <button type="button" className="link-button" onClick={() => setFilter(EMPTY_FILTER)}>
              Clear the filters
            </button>
          </p>
        )}
        {list.length > 0 && (
          <ul className="runbook-list">
            {list.map((rb) => (
              <li key={rb.id} className={`runbook-card lvl-edge-${rb.severity}`}>
                <div className="runbook-card-head">
                  <LevelBadge level={rb.severity} />
                  <a
                    className="runbook-title"
                    href={routeHash({ page: 'runbook', id: rb.id, start: NO_START })}
                  >
                    {rb.title}
                  </a>
                </div>
                <div className="runbook-meta">
                  <span>{SCENARIO_WORD[rb.scenario]}</span>
                  <span>{estimateText(rb.estimatedMinutes)}</span>
                  <span>
                    {rb.steps.length} step{rb.steps.length === 1 ? '' : 's'}
                  </span>
                  {rb.targets.length > 0 && (
                    <span>needs {rb.targets.map((t) => ROLE_WORD[t]).join(', ')}</span>
                  )}
                  <span className="muted">{rb.source === 'builtin' ? 'built in' : rb.file}</span>
                </div>
                {rb.description && (
                  <p className="runbook-desc">
                    <InlineText text={rb.description} />
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {props.library && props.library.problems.length > 0 && (
        <section className="panel" aria-label="Runbook files with mistakes">
          <h2>Runbook files with mistakes</h2>
          <p className="muted">These files did not load; fix them and they reload by themselves.</p>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Line</th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {props.library.problems.map((p, i) => (
                <tr key={i}>
                  <td className="mono">{p.file}</td>
                  <td className="num">{p.line ?? '—'}</td>
                  <td className="mono">{p.field ?? '—'}</td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {props.library && (
        <p className="muted small">
          {props.library.folder
            ? `Your own runbooks are read from ${props.library.folder}.`
            : 'Only built-in runbooks: choose a folder for your own in Settings.'}
        </p>
      )}
      {recent.length > 0 && (
        <section aria-label="Recent runs">
          <h2>Recent runs</h2>
          <RunTable runs={recent} now={props.now} />
        </section>
      )}
    </section>
  );
}

export function RunTable(props: {
  runs: RunSummary[];
  now: number;
  resume?: boolean;
}): React.ReactElement {
  const columns: Column<RunSummary>[] = [
    {
      head: 'Runbook',
      cell: (r) => (
        <a href={routeHash({ page: 'run', id: r.id })}>
          {props.resume ? `Resume: ${r.title}` : r.title}
        </a>
      ),
    },
    { head: 'Status', cell: (r) => <RunStatusBadge status={r.status} /> },
    {
      head: 'Progress',
      cell: (r) => (
        <>
          {r.status === 'running'
            ? `at step ${Math.min(r.current + 1, r.stepCount)} of ${r.stepCount}`
            : `${r.stepCount} steps`}
          {r.failed > 0 && <span className="danger-text"> · {r.failed} failed</span>}
          {r.skipped > 0 && <span className="warning-text"> · {r.skipped} skipped</span>}
        </>
      ),
    },
    { head: 'Started', cellClass: () => 'nowrap', cell: (r) => formatWhen(r.startedAt, props.now) },
    { head: 'By', cell: (r) => r.startedBy },
  ];
  return <DataTable columns={columns} rows={props.runs} rowKey={(r) => r.id} />;
}
