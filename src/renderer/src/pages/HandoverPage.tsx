// Shift handover: the handover waiting for the incoming operator, the outgoing operator's
// draft (facts, notes, tasks), and the history with search. Reads top-down at 6 a.m.: what
// is waiting, what is open, what the last shift said.
import { useEffect, useState } from 'react';
import type {
  FactLevel,
  Handover,
  HandoverFact,
  HandoverSection,
  HandoverSummary,
  HandoverTask,
} from '../../../shared/handover';
import { DEFAULT_SHIFT_HOURS } from '../../../shared/handover';
import type { ExportFormat } from '../../../shared/export';
import { assertNever } from '../../../shared/result';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog, SubmitActions } from '../components/Dialog';
import { formatWhen } from '../format';
import { countsLine, countsOf, factHref, partiesLine, statusWord } from '../handover';
import { routeHash } from '../router';

export interface DraftEdit {
  outgoing: string;
  notes: string;
  tasks: HandoverTask[];
}

export interface HandoverPageProps {
  draft: Handover | null | undefined;
  waiting: Handover | null | undefined;
  operator: string;
  history: HandoverSummary[] | undefined;
  /** A handover picked from the history (route #/handover/<id>), or null. */
  opened: Handover | null;
  query: string;
  error: string | null;
  /** Set while the facts come from an earlier answer (backend unreachable). */
  stale: boolean;
  now: number;
  onQuery: (q: string) => void;
  onCompose: (shiftHours: number) => Promise<void>;
  onRefresh: (id: string, shiftHours: number) => Promise<void>;
  onSave: (id: string, edit: DraftEdit) => Promise<void>;
  onHandOver: (id: string, edit: DraftEdit) => Promise<void>;
  onAck: (id: string, by: string, note: string) => Promise<void>;
  onExport: (id: string, format: ExportFormat) => Promise<void>;
}

export function HandoverPage(p: HandoverPageProps): React.ReactElement {
  const loading = p.draft === undefined && p.waiting === undefined;
  return (
    <section className="page handover">
      <header className="page-head">
        <h1>Shift handover</h1>
        {!loading && <p className="summary">{headline(p)}</p>}
      </header>
      {p.error && (
        <p className="error" role="alert">
          {p.error}
        </p>
      )}
      {loading && !p.error && <p className="muted">Loading…</p>}
      {p.opened ? (
        <Given kind="opened" h={p.opened} now={p.now} onExport={p.onExport} onAck={p.onAck} />
      ) : (
        <>
          {p.waiting && (
            <Given kind="waiting" h={p.waiting} now={p.now} onAck={p.onAck} onExport={p.onExport} />
          )}
          {!loading && (
            <DraftPanel
              key={p.draft?.id ?? 'none'}
              draft={p.draft ?? null}
              operator={p.operator}
              now={p.now}
              stale={p.stale}
              onCompose={p.onCompose}
              onRefresh={p.onRefresh}
              onSave={p.onSave}
              onHandOver={p.onHandOver}
            />
          )}
        </>
      )}
      <History items={p.history} query={p.query} onQuery={p.onQuery} now={p.now} />
    </section>
  );
}

function headline(p: HandoverPageProps): string {
  if (p.waiting) {
    return `A handover from ${p.waiting.outgoing} waits for acknowledgement.`;
  }
  if (p.draft) return `Draft by ${p.draft.outgoing}: ${countsLine(countsOf(p.draft))}.`;
  return 'No draft and nothing waiting.';
}

function AckDialog(props: {
  h: Handover;
  onAck: HandoverPageProps['onAck'];
  onClose: () => void;
}): React.ReactElement {
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(): Promise<void> {
    if (!name.trim()) {
      setError('Type your name: it is recorded as the incoming operator.');
      return;
    }
    setBusy(true);
    try {
      await props.onAck(props.h.id, name.trim(), note);
      props.onClose();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Take over the shift from ${props.h.outgoing}?`}
      onClose={props.onClose}
      onSubmit={() => void submit()}
      actions={
        <SubmitActions
          busy={busy}
          onCancel={props.onClose}
          label="Acknowledge"
          busyLabel="Saving…"
        />
      }
    >
      <p>
        Acknowledging records your name and the time. The handover becomes read-only; what it says
        stays as it was handed over.
      </p>
      <div className="grid-form inner">
        <label htmlFor="ack-name">Your name</label>
        <input
          id="ack-name"
          value={name}
          maxLength={100}
          autoComplete="name"
          data-autofocus
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor="ack-note">Note (optional)</label>
        <input
          id="ack-note"
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

// ---------------------------------------------------------------------------------------
// The outgoing operator's draft

interface DraftPanelProps {
  draft: Handover | null;
  operator: string;
  now: number;
  stale: boolean;
  onCompose: HandoverPageProps['onCompose'];
  onRefresh: HandoverPageProps['onRefresh'];
  onSave: HandoverPageProps['onSave'];
  onHandOver: HandoverPageProps['onHandOver'];
}

function DraftPanel(p: DraftPanelProps): React.ReactElement {
  const d = p.draft;
  const [shift, setShift] = useState(String(d?.facts.shiftHours ?? DEFAULT_SHIFT_HOURS));
  const [edit, setEdit] = useState<DraftEdit>(() => ({
    outgoing: d?.outgoing ?? p.operator,
    notes: d?.notes ?? '',
    tasks: d?.tasks ?? [],
  }));
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);

  const shiftHours = Number(shift);
  const shiftOk = Number.isInteger(shiftHours) && shiftHours >= 1 && shiftHours <= 72;
  const dirty =
    d !== null &&
    (edit.outgoing !== d.outgoing ||
      edit.notes !== d.notes ||
      JSON.stringify(edit.tasks) !== JSON.stringify(d.tasks));

  async function act(what: string, fn: () => Promise<void>): Promise<void> {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  const shiftField = (
    <label className="inline">
      Shift length{' '}
      <input
        className="short"
        type="number"
        min={1}
        max={72}
        value={shift}
        aria-invalid={!shiftOk}
        onChange={(e) => setShift(e.target.value)}
      />{' '}
      h
    </label>
  );

  if (!d) {
    return (
      <section className="panel handover-draft" aria-labelledby="draft-title">
        <div className="panel-head">
          <h2 id="draft-title">Your handover</h2>
        </div>
        <p>
          Start a draft when your shift ends: it gathers open incidents, firing and recently
          resolved alerts, runs in progress, failed checklist items, backup problems and maintenance
          due in the next shift. You add notes and ongoing tasks, then hand it over.
        </p>
        <div className="toolbar">
          {shiftField}
          <button
            type="button"
            className="primary"
            disabled={!shiftOk || busy !== null}
            onClick={() => void act('compose', () => p.onCompose(shiftHours))}
          >
            {busy === 'compose' ? 'Composing…' : 'Start a handover draft'}
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="panel handover-draft" aria-labelledby="draft-title">
      <div className="panel-head">
        <h2 id="draft-title">Your draft</h2>
        <div className="toolbar">
          <button
            type="button"
            className="primary"
            disabled={busy !== null || !edit.outgoing.trim()}
            onClick={() => setConfirming(true)}
          >
            Hand over…
          </button>
        </div>
      </div>
      <p className="muted">
        Facts as of {formatWhen(d.facts.composedAt, p.now)}
        {p.stale ? ' (last answer from the backend)' : ''}; the shift looked back on began{' '}
        {formatWhen(d.facts.from, p.now)}.
      </p>
      <div className="toolbar">
        {shiftField}
        <button
          type="button"
          disabled={!shiftOk || busy !== null}
          onClick={() => void act('refresh', () => p.onRefresh(d.id, shiftHours))}
        >
          {busy === 'refresh' ? 'Refreshing…' : 'Refresh facts'}
        </button>
      </div>
      <div className="grid-form inner handover-fields">
        <label htmlFor="handover-outgoing">Outgoing operator</label>
        <input
          id="handover-outgoing"
          value={edit.outgoing}
          maxLength={100}
          onChange={(e) => setEdit({ ...edit, outgoing: e.target.value })}
        />
        <label htmlFor="handover-notes">Notes for the next shift</label>
        <textarea
          id="handover-notes"
          rows={6}
          maxLength={50_000}
          value={edit.notes}
          placeholder="What happened, what you tried, what to watch."
          onChange={(e) => setEdit({ ...edit, notes: e.target.value })}
        />
        <span className="label-cell">Ongoing tasks</span>
        <Tasks tasks={edit.tasks} onChange={(tasks) => setEdit({ ...edit, tasks })} />
      </div>
      <div className="toolbar">
        <button
          type="button"
          disabled={!dirty || busy !== null || !edit.outgoing.trim()}
          onClick={() =>
            void act('save', async () => {
              await p.onSave(d.id, edit);
              setSaved(Date.now());
            })
          }
        >
          {busy === 'save' ? 'Saving…' : 'Save notes and tasks'}
        </button>
        <span className="muted" aria-live="polite">
          {dirty ? 'Unsaved changes.' : saved !== null ? `Saved ${formatWhen(saved, p.now)}.` : ''}
        </span>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <Sections sections={d.facts.sections} now={p.now} />
      {confirming && (
        <ConfirmDialog
          title="Hand over the shift?"
          confirmLabel="Hand over"
          busy={busy === 'handover'}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void act('handover', async () => {
              await p.onHandOver(d.id, edit);
              setConfirming(false);
            })
          }
        >
          <p>
            The facts are gathered once more and kept as they are now, with your notes and{' '}
            {edit.tasks.length} task{edit.tasks.length === 1 ? '' : 's'}, signed by{' '}
            <strong>{edit.outgoing.trim()}</strong>. After this the handover cannot be edited; the
            incoming operator acknowledges it.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function Tasks(props: {
  tasks: HandoverTask[];
  onChange: (t: HandoverTask[]) => void;
}): React.ReactElement {
  const [text, setText] = useState('');
  const { tasks, onChange } = props;
  function add(): void {
    if (!text.trim()) return;
    onChange([...tasks, { text: text.trim(), done: false }]);
    setText('');
  }
  return (
    <div className="handover-tasks">
      {tasks.length === 0 && <p className="muted">No ongoing task listed.</p>}
      <ul>
        {tasks.map((t, i) => (
          <li key={i}>
            <label className="inline">
              <input
                type="checkbox"
                checked={t.done}
                onChange={(e) =>
                  onChange(tasks.map((x, j) => (j === i ? { ...x, done: e.target.checked } : x)))
                }
              />{' '}
              <span className={t.done ? 'task-done' : ''}>{t.text}</span>
            </label>{' '}
            <button
              type="button"
              className="link"
              aria-label={`Remove task: ${t.text}`}
              onClick={() => onChange(tasks.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="task-add">
        <input
          aria-label="New task"
          value={text}
          maxLength={2000}
          placeholder="e.g. Watch replica lag on db-2 after the 07:00 batch"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add} disabled={!text.trim()}>
          Add task
        </button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------
// A handover as given (read-only)

/**
 * A handover given by its outgoing operator: the one waiting for the incoming operator on
 * the current page, or one opened from the history. Acknowledged once; exported any time.
 */
function Given(props: {
  kind: 'waiting' | 'opened';
  h: Handover;
  now: number;
  onExport: HandoverPageProps['onExport'];
  onAck: HandoverPageProps['onAck'];
}): React.ReactElement {
  const { kind, h, now } = props;
  const [acking, setAcking] = useState(false);
  const when = formatWhen(h.handedAt ?? h.createdAt, now);
  return (
    <section className={`panel handover-${kind}`} aria-labelledby={`${kind}-title`}>
      <div className="panel-head">
        <h2 id={`${kind}-title`}>
          {kind === 'waiting'
            ? `Handed over by ${h.outgoing} at ${when}`
            : `Handover ${partiesLine(h)}, ${when}`}
        </h2>
        <div className="toolbar">
          {h.status === 'handed-over' && (
            <button type="button" className="primary" onClick={() => setAcking(true)}>
              Acknowledge…
            </button>
          )}
          <ExportButtons id={h.id} onExport={props.onExport} />
          {kind === 'opened' && (
            <a className="button" href={routeHash({ page: 'handover', id: null })}>
              Back to the current handover
            </a>
          )}
        </div>
      </div>
      <p className="handover-counts">{countsLine(countsOf(h))}</p>
      <Body h={h} now={now} />
      {acking && <AckDialog h={h} onAck={props.onAck} onClose={() => setAcking(false)} />}
    </section>
  );
}

function ExportButtons(props: {
  id: string;
  onExport: HandoverPageProps['onExport'];
}): React.ReactElement {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const run = (f: ExportFormat): void => {
    setBusy(f);
    void props.onExport(props.id, f).finally(() => setBusy(null));
  };
  return (
    <span className="export-buttons" role="group" aria-label="Export">
      {(['html', 'pdf', 'csv'] as const).map((f) => (
        <button key={f} type="button" disabled={busy !== null} onClick={() => run(f)}>
          {busy === f ? 'Exporting…' : `Export ${f.toUpperCase()}`}
        </button>
      ))}
    </span>
  );
}

/** Status line, notes, tasks and facts of a given handover. */
function Body({ h, now }: { h: Handover; now: number }): React.ReactElement {
  return (
    <>
      <p className={`handover-status st-${h.status}`}>
        {statusWord(h.status)}
        {h.status === 'acknowledged' && (
          <>
            {' '}
            by <strong>{h.incoming}</strong> at {formatWhen(h.ackAt ?? 0, now)}
            {h.ackNote ? ` — “${h.ackNote}”` : ''}
          </>
        )}
        . Facts as of {formatWhen(h.facts.composedAt, now)}.
      </p>
      <h3>Notes from {h.outgoing}</h3>
      {h.notes.trim() ? (
        <div className="handover-notes">{h.notes}</div>
      ) : (
        <p className="muted">No notes.</p>
      )}
      <h3>Ongoing tasks ({h.tasks.filter((t) => !t.done).length} open)</h3>
      {h.tasks.length === 0 ? (
        <p className="muted">No ongoing task listed.</p>
      ) : (
        <ul className="handover-task-list">
          {h.tasks.map((t, i) => (
            <li key={i} className={t.done ? 'task-done' : ''}>
              {t.done ? '✓ ' : '• '}
              {t.text}
            </li>
          ))}
        </ul>
      )}
      <Sections sections={h.facts.sections} now={now} />
    </>
  );
}

// ---------------------------------------------------------------------------------------
// Facts

function Sections(props: { sections: HandoverSection[]; now: number }): React.ReactElement {
  return (
    <div className="handover-sections">
      {props.sections.map((s) => (
        <section key={s.id} className="handover-section" aria-labelledby={`sec-${s.id}`}>
          <h3 id={`sec-${s.id}`}>
            {s.title} <span className="count">{s.facts.length}</span>
          </h3>
          {s.facts.length === 0 ? (
            <p className="muted">{s.empty}</p>
          ) : (
            <ul className="facts">
              {s.facts.map((f) => (
                <Fact key={f.key} f={f} now={props.now} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

function levelGlyph(l: FactLevel): string {
  switch (l) {
    case 'critical':
      return '✕';
    case 'warning':
      return '!';
    case 'info':
      return 'i';
    default:
      return assertNever(l, 'fact level');
  }
}

function Fact({ f, now }: { f: HandoverFact; now: number }): React.ReactElement {
  return (
    <li className={`fact fact-${f.level}`}>
      <span className="fact-icon" aria-label={f.level}>
        {levelGlyph(f.level)}
      </span>
      <div>
        <a href={factHref(f.ref)} className="fact-title">
          {f.title}
        </a>
        {f.targetName && <span className="fact-target"> · {f.targetName}</span>}
        {f.at !== null && <span className="fact-when"> · {formatWhen(f.at, now)}</span>}
        <div className="fact-detail">{f.detail}</div>
      </div>
    </li>
  );
}

// ---------------------------------------------------------------------------------------
// History

function History(props: {
  items: HandoverSummary[] | undefined;
  query: string;
  onQuery: (q: string) => void;
  now: number;
}): React.ReactElement {
  const [text, setText] = useState(props.query);
  useEffect(() => setText(props.query), [props.query]);
  return (
    <section className="panel handover-history" aria-labelledby="history-title">
      <div className="panel-head">
        <h2 id="history-title">History</h2>
      </div>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          props.onQuery(text.trim());
        }}
      >
        <input
          type="search"
          aria-label="Search handovers"
          placeholder="Search notes, tasks and facts"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Search</button>
        {props.query && (
          <button type="button" onClick={() => props.onQuery('')}>
            Clear
          </button>
        )}
      </form>
      {props.items === undefined ? (
        <p className="muted">Loading…</p>
      ) : props.items.length === 0 ? (
        <p className="empty">
          {props.query ? `No handover mentions “${props.query}”.` : 'No handover yet.'}
        </p>
      ) : (
        <table className="data handover-list">
          <thead>
            <tr>
              <th>Handed over</th>
              <th>Who</th>
              <th>Status</th>
              <th>Facts</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((s) => (
              <tr key={s.id}>
                <td className="nowrap">
                  <a href={routeHash({ page: 'handover', id: s.id })}>
                    {formatWhen(s.handedAt ?? s.createdAt, props.now)}
                  </a>
                </td>
                <td>{partiesLine(s)}</td>
                <td>{statusWord(s.status)}</td>
                <td>{countsLine(s.counts)}</td>
                <td className="excerpt">{s.excerpt || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
