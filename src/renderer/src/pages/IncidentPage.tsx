// One incident: the escalation clock and who to call first, then what it is (symptoms,
// impact, targets), its runbook runs and the timeline that becomes the report.
import { useState } from 'react';
import type {
  Contact,
  EscalationMatrix,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IncidentType,
  Runbook,
  RunSummary,
} from '../../../shared/runbooks';
import { INCIDENT_STATUSES, INCIDENT_TYPES, LEVELS } from '../../../shared/runbooks';
import type { Target } from '../../../shared/types';
import { IncidentStatusBadge, LevelBadge } from '../components/RunbookBits';
import { WordSelect } from '../components/WordSelect';
import { formatWhen } from '../format';
import { routeHash } from '../router';
import {
  INCIDENT_STATUS_WORD,
  INCIDENT_TYPE_WORD,
  LEVEL_WORD,
  timelineWord,
  type Clock,
} from '../runbooks';
import { RunTable } from './RunbooksPage';
import { TextDialog } from './RunPage';

export interface IncidentEdit {
  type: IncidentType;
  severity: IncidentSeverity;
  status: IncidentStatus;
  symptoms: string;
  impact: string;
}

export interface IncidentPageProps {
  incident: Incident;
  clock: Clock;
  matrix: EscalationMatrix | undefined;
  runs: RunSummary[] | undefined;
  runbooks: Runbook[] | undefined;
  targets: Target[];
  error: string | null;
  exported: string | null;
  now: number;
  onAck: (note: string) => Promise<void>;
  onNote: (text: string) => Promise<void>;
  onSave: (e: IncidentEdit) => Promise<void>;
  onStartRunbook: (runbookId: string) => void;
  onExport: () => void;
}

export function IncidentPage(props: IncidentPageProps): React.ReactElement {
  const { incident: inc, clock, now } = props;
  const [acking, setAcking] = useState(false);
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const [noteBusy, setNoteBusy] = useState(false);
  const [noteError, setNoteError] = useState<string | null>(null);
  const [runbookId, setRunbookId] = useState('');
  const nameOf = (id: string): string => props.targets.find((t) => t.id === id)?.name ?? id;
  const overdue = clock.dueInMs !== null && clock.dueInMs <= 0;
  const open = !clock.closed;

  async function addNote(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    if (!note.trim()) return;
    setNoteBusy(true);
    setNoteError(null);
    try {
      await props.onNote(note.trim());
      setNote('');
    } catch (err) {
      setNoteError(err instanceof Error ? err.message : String(err));
    } finally {
      setNoteBusy(false);
    }
  }

  return (
    <section className="page incident-page">
      <header className="page-head">
        <h1>{inc.title}</h1>
        <LevelBadge level={inc.severity} />
        <IncidentStatusBadge status={inc.status} />
        <span className="muted">{INCIDENT_TYPE_WORD[inc.type]}</span>
        <div className="toolbar">
          <button type="button" onClick={props.onExport}>
            Export report
          </button>
          <a href="#/incidents">All incidents</a>
        </div>
      </header>
      {props.exported && (
        <p className="notice notice-ok" role="status">
          <span className="notice-icon" aria-hidden="true">
            ✓
          </span>
          <span>Report saved as {props.exported}: it opens offline in any browser.</span>
        </p>
      )}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}

      <section
        className={`panel escalation ${overdue ? 'escalation-overdue' : clock.acknowledged || !open ? 'escalation-quiet' : 'escalation-running'}`}
        aria-label="Escalation"
      >
        <div className="escalation-head">
          <h2>Escalation</h2>
          {open && !clock.acknowledged && (
            <button type="button" className="primary" onClick={() => setAcking(true)}>
              Acknowledge
            </button>
          )}
        </div>
        <p className="clock-text strong" role="status">
          {overdue && <span className="tone-word">overdue</span>} {clock.text}
        </p>
        {clock.dueInMs !== null && inc.escalation.nextDueAt !== null && (
          <p className="muted">
            {clock.levelName} holds it since {formatWhen(inc.escalation.since, now)}; the next level
            is due at {formatWhen(inc.escalation.nextDueAt, now)}.
          </p>
        )}
        <div className="contacts-grid">
          <div>
            <h3>Call now: {clock.levelName}</h3>
            <Contacts list={clock.contacts} />
          </div>
          {clock.nextName && open && (
            <div>
              <h3>Next: {clock.nextName}</h3>
              <Contacts list={clock.nextContacts} />
            </div>
          )}
        </div>
        {!props.matrix && <p className="muted">The escalation matrix is not loaded.</p>}
        <p className="hint">
          Contacts come from Settings → Escalation; they are placeholders until you enter your own.
        </p>
      </section>

      <section className="panel" aria-label="Details">
        <div className="escalation-head">
          <h2>Details</h2>
          <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
            {editing ? 'Close editor' : 'Edit details'}
          </button>
        </div>
        {editing ? (
          <EditForm
            incident={inc}
            onSave={async (e) => {
              await props.onSave(e);
              setEditing(false);
            }}
          />
        ) : (
          <dl className="facts">
            <dt>Symptoms</dt>
            <dd className="pre-line">{inc.symptoms || '—'}</dd>
            <dt>Impact</dt>
            <dd className="pre-line">{inc.impact || '—'}</dd>
            <dt>Affected targets</dt>
            <dd>
              {inc.targetIds.length === 0
                ? '—'
                : inc.targetIds.map((id, i) => (
                    <span key={id}>
                      {i > 0 && ', '}
                      <a href={routeHash({ page: 'target', id, range: null })}>{nameOf(id)}</a>
                    </span>
                  ))}
            </dd>
            <dt>Opened</dt>
            <dd>
              {formatWhen(inc.openedAt, now)} by {inc.openedBy} ({originText(inc.origin)})
            </dd>
            {inc.ackAt !== null && (
              <>
                <dt>Acknowledged</dt>
                <dd>
                  {formatWhen(inc.ackAt, now)} by {inc.ackBy ?? 'someone'}
                </dd>
              </>
            )}
            {inc.resolvedAt !== null && (
              <>
                <dt>Resolved</dt>
                <dd>{formatWhen(inc.resolvedAt, now)}</dd>
              </>
            )}
          </dl>
        )}
      </section>

      <section className="panel" aria-label="Runbook runs">
        <h2>Runbook runs</h2>
        {props.runs && props.runs.length === 0 && (
          <p className="muted">No runbook has run for this incident yet.</p>
        )}
        {props.runs && props.runs.length > 0 && <RunTable runs={props.runs} now={now} />}
        {open && (
          <form
            className="toolbar start-runbook"
            onSubmit={(e) => {
              e.preventDefault();
              if (runbookId) props.onStartRunbook(runbookId);
            }}
          >
            <label className="inline">
              <span>Start a runbook</span>
              <select value={runbookId} onChange={(e) => setRunbookId(e.target.value)}>
                <option value="">choose…</option>
                {(props.runbooks ?? []).map((rb) => (
                  <option key={rb.id} value={rb.id}>
                    {rb.title}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={!runbookId}>
              Start
            </button>
          </form>
        )}
      </section>

      <section className="panel" aria-label="Timeline">
        <h2>Timeline</h2>
        <ol className="timeline">
          {[...inc.timeline]
            .sort((a, b) => a.t - b.t || a.id - b.id)
            .map((e) => (
              <li key={e.id} className={`tl tl-${e.kind}`}>
                <span className="tl-time nowrap">{formatWhen(e.t, now)}</span>
                <span className="tl-kind">{timelineWord(e.kind)}</span>
                <span className="tl-text">
                  {e.text}
                  {e.runId && (
                    <>
                      {' '}
                      <a href={routeHash({ page: 'run', id: e.runId })}>open the run</a>
                    </>
                  )}
                </span>
                <span className="tl-by muted">{e.by}</span>
              </li>
            ))}
        </ol>
        <form className="note-form" onSubmit={(e) => void addNote(e)}>
          <label className="stacked">
            <span>Add to the timeline</span>
            <textarea
              rows={2}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="What you saw, did or decided"
            />
          </label>
          <button type="submit" disabled={noteBusy || !note.trim()}>
            {noteBusy ? 'Adding…' : 'Add note'}
          </button>
          {noteError && (
            <p className="error" role="alert">
              {noteError}
            </p>
          )}
        </form>
      </section>
      {acking && (
        <TextDialog
          title="Acknowledge incident"
          label="Note"
          hint="Acknowledging stops the escalation clock and tells others you are on it."
          submit="Acknowledge"
          optional
          onClose={() => setAcking(false)}
          onSubmit={props.onAck}
        />
      )}
    </section>
  );
}

function originText(origin: string): string {
  if (origin === 'manual') return 'by hand';
  if (origin.startsWith('alert:')) return 'from an alert';
  if (origin.startsWith('runbook:')) return 'from a runbook run';
  return origin;
}

function Contacts({ list }: { list: Contact[] }): React.ReactElement {
  if (list.length === 0) return <p className="muted">No contact on this level.</p>;
  return (
    <ul className="contacts">
      {list.map((c, i) => (
        <li key={i}>
          <strong>{c.name}</strong>
          {c.role && <span className="muted"> · {c.role}</span>}
          <div>
            {c.phone && <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a>}
            {c.phone && c.email && ' · '}
            {c.email && <a href={`mailto:${c.email}`}>{c.email}</a>}
          </div>
          {c.hours && <div className="hint">{c.hours}</div>}
        </li>
      ))}
    </ul>
  );
}

function EditForm(props: {
  incident: Incident;
  onSave: (e: IncidentEdit) => Promise<void>;
}): React.ReactElement {
  const inc = props.incident;
  const [f, setF] = useState<IncidentEdit>({
    type: inc.type,
    severity: inc.severity,
    status: inc.status,
    symptoms: inc.symptoms,
    impact: inc.impact,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSave(f);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <form className="grid-form" aria-label="Edit incident" onSubmit={(e) => void submit(e)}>
      <label htmlFor="ie-status">Status</label>
      <WordSelect
        id="ie-status"
        value={f.status}
        options={INCIDENT_STATUSES}
        words={INCIDENT_STATUS_WORD}
        onChange={(status) => setF({ ...f, status })}
      />
      <label htmlFor="ie-sev">Severity</label>
      <WordSelect
        id="ie-sev"
        value={f.severity}
        options={LEVELS}
        words={LEVEL_WORD}
        onChange={(severity) => setF({ ...f, severity })}
      />
      <label htmlFor="ie-type">Type</label>
      <WordSelect
        id="ie-type"
        value={f.type}
        options={INCIDENT_TYPES}
        words={INCIDENT_TYPE_WORD}
        onChange={(type) => setF({ ...f, type })}
      />
      <label htmlFor="ie-symptoms">Symptoms</label>
      <textarea
        id="ie-symptoms"
        rows={3}
        value={f.symptoms}
        onChange={(e) => setF({ ...f, symptoms: e.target.value })}
      />
      <label htmlFor="ie-impact">Impact</label>
      <textarea
        id="ie-impact"
        rows={2}
        value={f.impact}
        onChange={(e) => setF({ ...f, impact: e.target.value })}
      />
      <span />
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save details'}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
