// Checklists: daily, weekly and monthly routines with their last run and its outcome, a
// button to run each, runs left open to resume, the history of runs, the files that did not
// load (file, line, field) and the operator's own folder.
import { useState } from 'react';
import type {
  ChecklistLibrary,
  ChecklistRunSummary,
  ChecklistSettings,
} from '../../../shared/checklists';
import { OutcomeBadge } from '../components/ChecklistBits';
import { type Column, DataTable } from '../components/DataTable';
import { countsText, PERIOD_WORD } from '../checklists';
import { formatWhen } from '../format';
import { routeHash } from '../router';

export interface ChecklistsPageProps {
  library: ChecklistLibrary | undefined;
  runs: ChecklistRunSummary[] | undefined;
  settings: ChecklistSettings | undefined;
  error: string | null;
  busy: boolean;
  now: number;
  onStart: (checklistId: string) => void;
  onSaveFolder: (folder: string | null) => void;
  onRefresh: () => void;
}

export function ChecklistsPage(props: ChecklistsPageProps): React.ReactElement {
  const runs = props.runs ?? [];
  const open = runs.filter((r) => r.status === 'open');
  return (
    <section className="page checklists-page">
      <header className="page-head">
        <h1>Checklists</h1>
        <div className="toolbar">
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
        </div>
      </header>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {open.length > 0 && (
        <section className="panel" aria-label="Runs to finish">
          <h2>Runs to finish</h2>
          <RunTable runs={open} now={props.now} />
        </section>
      )}
      <section aria-label="Checklists">
        {!props.library && <p className="muted">Loading…</p>}
        <ul className="cl-list">
          {props.library?.checklists.map(({ checklist, lastRun }) => (
            <li key={checklist.id} className="cl-card">
              <div className="cl-card-head">
                <span className="cl-period">{PERIOD_WORD[checklist.period]}</span>
                <h2>{checklist.title}</h2>
                <button
                  type="button"
                  className="primary"
                  disabled={props.busy}
                  onClick={() => props.onStart(checklist.id)}
                >
                  Run {checklist.title.toLowerCase()}
                </button>
              </div>
              {checklist.description && <p className="muted">{checklist.description}</p>}
              <p className="cl-meta">
                {checklist.items.length} items ({checklist.items.filter((i) => i.check).length}{' '}
                automatic) · {checklist.source === 'folder' ? `from ${checklist.file}` : 'built in'}
              </p>
              <p className="cl-last">
                {lastRun ? (
                  <>
                    Last run:{' '}
                    <a href={routeHash({ page: 'checklist-run', id: lastRun.id })}>
                      {formatWhen(lastRun.startedAt, props.now)} by {lastRun.startedBy}
                    </a>{' '}
                    <OutcomeBadge outcome={lastRun.outcome} small />{' '}
                    <span className="muted">
                      {lastRun.status === 'open' ? 'not finished · ' : ''}
                      {countsText(lastRun)}
                    </span>
                  </>
                ) : (
                  <span className="muted">Never run.</span>
                )}
              </p>
            </li>
          ))}
        </ul>
      </section>
      {props.library && props.library.problems.length > 0 && (
        <section className="panel" aria-label="Checklist files that did not load">
          <h2>Files that did not load</h2>
          <ul className="cl-problems">
            {props.library.problems.map((p, i) => (
              <li key={i}>
                <code>
                  {p.file}
                  {p.line !== null ? `:${p.line}` : ''}
                </code>
                {p.field && (
                  <>
                    {' '}
                    <code>{p.field}</code>
                  </>
                )}
                : {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel" aria-label="History">
        <h2>History</h2>
        {props.runs && runs.length === 0 && <p className="empty">No checklist has been run yet.</p>}
        {runs.length > 0 && <RunTable runs={runs} now={props.now} />}
      </section>
      {props.settings && (
        <FolderForm
          key={props.settings.folder ?? ''}
          settings={props.settings}
          onSave={props.onSaveFolder}
        />
      )}
    </section>
  );
}

function RunTable({ runs, now }: { runs: ChecklistRunSummary[]; now: number }): React.ReactElement {
  const columns: Column<ChecklistRunSummary>[] = [
    {
      head: 'Checklist',
      cell: (r) => <a href={routeHash({ page: 'checklist-run', id: r.id })}>{r.title}</a>,
    },
    { head: 'Started', cell: (r) => formatWhen(r.startedAt, now) },
    { head: 'By', cell: (r) => r.startedBy },
    { head: 'Outcome', cell: (r) => <OutcomeBadge outcome={r.outcome} small /> },
    { head: 'Items', cell: (r) => countsText(r) },
    {
      head: 'Status',
      cell: (r) =>
        r.status === 'open'
          ? 'open'
          : `finished ${r.finishedAt ? formatWhen(r.finishedAt, now) : ''}`,
    },
  ];
  return <DataTable className="cl-runs" columns={columns} rows={runs} rowKey={(r) => r.id} />;
}

function FolderForm(props: {
  settings: ChecklistSettings;
  onSave: (folder: string | null) => void;
}): React.ReactElement {
  const [folder, setFolder] = useState(props.settings.folder ?? '');
  return (
    <form
      className="panel cl-folder"
      aria-label="Your checklist folder"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(folder.trim() === '' ? null : folder.trim());
      }}
    >
      <h2>Your checklist folder</h2>
      <p className="muted">
        YAML files in this folder are read again when they change; one with the id of a built-in
        checklist (daily, weekly, monthly) replaces it.
      </p>
      <label className="inline">
        <span>Folder</span>
        <input
          type="text"
          value={folder}
          placeholder="/home/you/opsdeck/checklists"
          onChange={(e) => setFolder(e.target.value)}
        />
      </label>{' '}
      <button type="submit">Save folder</button>
    </form>
  );
}
