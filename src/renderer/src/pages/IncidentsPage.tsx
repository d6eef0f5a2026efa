// Incidents: open ones first with their escalation clock, then the rest; an incident can be
// opened here by hand.
import { useState } from 'react';
import type {
  EscalationMatrix,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IncidentType,
} from '../../../shared/runbooks';
import { INCIDENT_STATUSES, INCIDENT_TYPES, LEVELS } from '../../../shared/runbooks';
import type { Target } from '../../../shared/types';
import { Dialog, SubmitActions } from '../components/Dialog';
import { IncidentStatusBadge, LevelBadge, RunbookTabs } from '../components/RunbookBits';
import { WordSelect } from '../components/WordSelect';
import { formatWhen } from '../format';
import { routeHash } from '../router';
import {
  INCIDENT_STATUS_WORD,
  INCIDENT_TYPE_WORD,
  LEVEL_WORD,
  escalationClock,
  incidentOpen,
  sortIncidents,
} from '../runbooks';

export interface NewIncident {
  title: string;
  type: IncidentType;
  severity: IncidentSeverity;
  symptoms: string;
  impact: string;
  targetIds: string[];
}

export interface IncidentsPageProps {
  incidents: Incident[] | undefined;
  matrix: EscalationMatrix | undefined;
  targets: Target[];
  error: string | null;
  now: number;
  onOpen: (i: NewIncident) => Promise<void>;
  onRefresh: () => void;
}

export function IncidentsPage(props: IncidentsPageProps): React.ReactElement {
  const [status, setStatus] = useState<IncidentStatus | 'active' | 'all'>('active');
  const [opening, setOpening] = useState(false);
  const list = sortIncidents(props.incidents ?? []).filter((i) =>
    status === 'all' ? true : status === 'active' ? incidentOpen(i) : i.status === status,
  );
  const nameOf = (id: string): string => props.targets.find((t) => t.id === id)?.name ?? id;
  const openCount = (props.incidents ?? []).filter(incidentOpen).length;

  return (
    <section className="page">
      <header className="page-head">
        <h1>Incidents</h1>
        {props.incidents && (
          <p className="summary" aria-live="polite">
            {openCount === 0 ? 'No open incident.' : `${openCount} open`}
          </p>
        )}
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setOpening(true)}>
            Open incident…
          </button>
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
        </div>
      </header>
      <RunbookTabs view="incidents" />
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <div className="library-filter">
        <label className="inline">
          <span>Show</span>
          <select
            value={status}
            onChange={(e) => setStatus(e.target.value as IncidentStatus | 'active' | 'all')}
          >
            <option value="active">open and investigating</option>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {INCIDENT_STATUS_WORD[s].toLowerCase()} only
              </option>
            ))}
            <option value="all">all incidents</option>
          </select>
        </label>
      </div>
      {props.incidents === undefined && !props.error && <p className="muted">Loading…</p>}
      {props.incidents && list.length === 0 && (
        <p className="empty">
          {status === 'active'
            ? 'No open incident. Open one by hand, from a runbook run, or from an alert.'
            : 'No incident with this status.'}
        </p>
      )}
      {list.length > 0 && (
        <table className="data incidents">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Incident</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Targets</th>
              <th scope="col">Opened</th>
              <th scope="col">Escalation</th>
            </tr>
          </thead>
          <tbody>
            {list.map((i) => {
              const clock = escalationClock(i, props.matrix, props.now);
              const overdue = clock.dueInMs !== null && clock.dueInMs <= 0;
              return (
                <tr key={i.id}>
                  <td>
                    <LevelBadge level={i.severity} />
                  </td>
                  <td>
                    <a href={routeHash({ page: 'incident', id: i.id })}>{i.title}</a>
                  </td>
                  <td>{INCIDENT_TYPE_WORD[i.type]}</td>
                  <td>
                    <IncidentStatusBadge status={i.status} />
                  </td>
                  <td>{i.targetIds.map(nameOf).join(', ') || '—'}</td>
                  <td className="nowrap">{formatWhen(i.openedAt, props.now)}</td>
                  <td className={overdue ? 'tone-bad' : undefined}>
                    {overdue && <span className="tone-word">overdue</span>} {clock.text}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {opening && (
        <OpenIncidentDialog
          targets={props.targets}
          onClose={() => setOpening(false)}
          onOpen={props.onOpen}
        />
      )}
    </section>
  );
}

function OpenIncidentDialog(props: {
  targets: Target[];
  onClose: () => void;
  onOpen: (i: NewIncident) => Promise<void>;
}): React.ReactElement {
  const [f, setF] = useState<NewIncident>({
    title: '',
    type: 'availability',
    severity: 'high',
    symptoms: '',
    impact: '',
    targetIds: [],
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(): Promise<void> {
    if (!f.title.trim()) {
      setError('Give the incident a title: what is wrong, where.');
      document.getElementById('inc-title')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onOpen({ ...f, title: f.title.trim() });
      props.onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  function toggle(id: string, on: boolean): void {
    setF({ ...f, targetIds: on ? [...f.targetIds, id] : f.targetIds.filter((x) => x !== id) });
  }

  return (
    <Dialog
      title="Open incident"
      onClose={props.onClose}
      onSubmit={() => void submit()}
      actions={
        <SubmitActions
          busy={busy}
          onCancel={props.onClose}
          label="Open incident"
          busyLabel="Opening…"
        />
      }
    >
      <div className="grid-form inner">
        <label htmlFor="inc-title">Title</label>
        <input
          id="inc-title"
          data-autofocus
          value={f.title}
          placeholder="e.g. web-1 disk almost full"
          onChange={(e) => setF({ ...f, title: e.target.value })}
        />
        <label htmlFor="inc-type">Type</label>
        <WordSelect
          id="inc-type"
          value={f.type}
          options={INCIDENT_TYPES}
          words={INCIDENT_TYPE_WORD}
          onChange={(type) => setF({ ...f, type })}
        />
        <label htmlFor="inc-sev">Severity</label>
        <WordSelect
          id="inc-sev"
          value={f.severity}
          options={LEVELS}
          words={LEVEL_WORD}
          onChange={(severity) => setF({ ...f, severity })}
        />
        <label htmlFor="inc-symptoms">Symptoms</label>
        <textarea
          id="inc-symptoms"
          rows={3}
          value={f.symptoms}
          placeholder="What is seen: errors, alerts, user reports"
          onChange={(e) => setF({ ...f, symptoms: e.target.value })}
        />
        <label htmlFor="inc-impact">Impact</label>
        <textarea
          id="inc-impact"
          rows={2}
          value={f.impact}
          placeholder="Who or what is affected, how badly"
          onChange={(e) => setF({ ...f, impact: e.target.value })}
        />
        <span className="label-cell">Affected targets</span>
        <div className="target-checks" role="group" aria-label="Affected targets">
          {props.targets.length === 0 && <span className="muted">No targets yet.</span>}
          {props.targets.map((t) => (
            <label key={t.id} className="inline">
              <input
                type="checkbox"
                checked={f.targetIds.includes(t.id)}
                onChange={(e) => toggle(t.id, e.target.checked)}
              />
              {t.name}
            </label>
          ))}
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
