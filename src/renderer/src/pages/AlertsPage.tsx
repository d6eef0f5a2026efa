// Alerts: what fires or is about to (first), what someone took on, what recently resolved.
// Each alert says where, what, since when, how bad, and what to do next.
import { useState } from 'react';
import type { Alert, AlertTransition } from '../../../shared/alerts';
import { metricInfo } from '../../../shared/metrics';
import { alertValueText, countWord, groupAlerts, seriesText, STATE_WORD } from '../alerting';
import {
  AlertsTabs,
  SeverityBadge,
  SilenceDialog,
  StateBadge,
  type SilenceChoice,
} from '../components/AlertBits';
import { Dialog, SubmitActions } from '../components/Dialog';
import { formatDuration, formatSince, formatWhen } from '../format';
import { routeHash } from '../router';

export type HistoryState = { list: AlertTransition[] | null; error: string | null };

export interface AlertsPageProps {
  alerts: Alert[] | undefined;
  /** The backend has no alerting yet: said once, instead of errors on every button. */
  unavailable: string | null;
  error: string | null;
  loadedAt: number | null;
  now: number;
  nameOf: (targetId: string) => string;
  history: Map<string, HistoryState>;
  onHistory: (alertId: string, open: boolean) => void;
  onAck: (alert: Alert, note: string) => Promise<void>;
  onSilence: (alert: Alert, choice: SilenceChoice) => Promise<void>;
  onOpenChart: (alert: Alert) => void;
  /** Opens an incident from the alert and its runbook's start page, linked to it. */
  onStartRunbook: (alert: Alert) => Promise<void>;
  onRefresh: () => void;
}

export function AlertsPage(props: AlertsPageProps): React.ReactElement {
  const { alerts, now } = props;
  const groups = groupAlerts(alerts ?? [], now);
  const [acking, setAcking] = useState<Alert | null>(null);
  const [silencing, setSilencing] = useState<Alert | null>(null);

  return (
    <section className="page">
      <header className="page-head">
        <h1>Alerts</h1>
        {alerts && (
          <p className="summary" aria-live="polite">
            {summaryText(groups.active)}
          </p>
        )}
        <div className="toolbar">
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
          {props.loadedAt !== null && (
            <span className="muted">updated {formatWhen(props.loadedAt, now)}</span>
          )}
        </div>
      </header>
      <AlertsTabs view="list" />
      {props.unavailable && <Unavailable message={props.unavailable} />}
      {props.error && (
        <p className="error" role="alert">
          Could not load the alerts: {props.error}
          {alerts ? ' Showing the last answer.' : ''}
        </p>
      )}
      {alerts === undefined && !props.error && !props.unavailable && (
        <p className="muted">Loading…</p>
      )}
      {alerts !== undefined && (
        <>
          <AlertSection
            title="Firing and pending"
            empty="Nothing is firing. Rules keep watching every collected series."
            list={groups.active}
            props={props}
            onAck={setAcking}
            onSilence={setSilencing}
          />
          <AlertSection
            title="Acknowledged"
            empty="No acknowledged alert."
            list={groups.acknowledged}
            props={props}
            onAck={setAcking}
            onSilence={setSilencing}
          />
          <AlertSection
            title="Resolved in the last 24 hours"
            empty="Nothing resolved in the last 24 hours."
            list={groups.resolved}
            props={props}
            onAck={setAcking}
            onSilence={setSilencing}
          />
        </>
      )}
      {acking && (
        <AckDialog
          alert={acking}
          targetName={props.nameOf(acking.targetId)}
          onAck={(note) => props.onAck(acking, note)}
          onClose={() => setAcking(null)}
        />
      )}
      {silencing && (
        <SilenceFor
          alert={silencing}
          targetName={props.nameOf(silencing.targetId)}
          now={now}
          onSilence={(c) => props.onSilence(silencing, c)}
          onClose={() => setSilencing(null)}
        />
      )}
    </section>
  );
}

function summaryText(active: Alert[]): string {
  const firing = active.filter((a) => a.state === 'firing').length;
  const pending = active.length - firing;
  if (active.length === 0) return 'Nothing firing.';
  return [firing > 0 ? `${firing} firing` : '', pending > 0 ? `${pending} pending` : '']
    .filter(Boolean)
    .join(', ');
}

export function Unavailable({ message }: { message: string }): React.ReactElement {
  return (
    <div className="notice notice-info" role="status">
      <span className="notice-icon" aria-hidden="true">
        i
      </span>
      <span>
        {message} Targets are still collected and charted; alerts appear here once the alert engine
        is part of the build.
      </span>
    </div>
  );
}

function AlertSection(p: {
  title: string;
  empty: string;
  list: Alert[];
  props: AlertsPageProps;
  onAck: (a: Alert) => void;
  onSilence: (a: Alert) => void;
}): React.ReactElement {
  return (
    <section className="alert-section" aria-label={p.title}>
      <h2>
        {p.title} <span className="muted small">({p.list.length})</span>
      </h2>
      {p.list.length === 0 && <p className="muted">{p.empty}</p>}
      {p.list.map((a) => (
        <AlertCard
          key={a.id}
          alert={a}
          props={p.props}
          onAck={() => p.onAck(a)}
          onSilence={() => p.onSilence(a)}
        />
      ))}
    </section>
  );
}

function AlertCard({
  alert,
  props,
  onAck,
  onSilence,
}: {
  alert: Alert;
  props: AlertsPageProps;
  onAck: () => void;
  onSilence: () => void;
}): React.ReactElement {
  const { now } = props;
  const target = props.nameOf(alert.targetId);
  const history = props.history.get(alert.id);
  const open = history !== undefined;
  const label = `${STATE_WORD[alert.state]} ${alert.severity}: ${alert.ruleName} on ${target}`;
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);

  function startRunbook(): void {
    setStarting(true);
    setStartError(null);
    props.onStartRunbook(alert).catch((err: unknown) => {
      setStartError(err instanceof Error ? err.message : String(err));
      setStarting(false);
    });
  }
  return (
    <article
      className={`alert-card alert-${alert.state} sev-edge-${alert.severity}`}
      aria-label={label}
    >
      <header className="alert-head">
        <SeverityBadge severity={alert.severity} />
        <StateBadge state={alert.state} />
        {alert.flapping && (
          <span className="chip chip-warn" title="Fired and resolved too often in the last hour">
            flapping: held firing
          </span>
        )}
        {alert.silenced && (
          <span className="chip" title="A silence covers it: it is not notified">
            silenced
          </span>
        )}
        <h3 className="alert-title">{alert.ruleName}</h3>
        <span className="alert-target">
          on <a href={routeHash({ page: 'target', id: alert.targetId, range: null })}>{target}</a>
        </span>
      </header>
      {alert.message && <p className="alert-message">{alert.message}</p>}
      <dl className="alert-facts">
        <dt>Series</dt>
        <dd>
          {seriesText(alert.metric, alert.labels)}
          {metricInfo(alert.metric) && <span className="mono muted small"> {alert.metric}</span>}
        </dd>
        <dt>Value</dt>
        <dd className="strong">{alertValueText(alert)}</dd>
        {alert.state === 'resolved' ? (
          <>
            <dt>Ran</dt>
            <dd>
              {formatWhen(alert.startedAt, now)} – {formatWhen(alert.resolvedAt ?? now, now)} (
              {formatDuration(((alert.resolvedAt ?? now) - alert.startedAt) / 1000)})
            </dd>
          </>
        ) : (
          <>
            <dt>{alert.state === 'pending' ? 'Pending' : 'Started'}</dt>
            <dd>{formatSince(alert.startedAt, now)}</dd>
            {alert.firingAt !== null && alert.state !== 'pending' && (
              <>
                <dt>Firing</dt>
                <dd>{formatSince(alert.firingAt, now)}</dd>
              </>
            )}
          </>
        )}
        {alert.ackAt !== null && (
          <>
            <dt>Acknowledged</dt>
            <dd>
              by {alert.ackBy ?? 'someone'} at {formatWhen(alert.ackAt, now)}
              {alert.ackNote ? `: “${alert.ackNote}”` : ''}
            </dd>
          </>
        )}
      </dl>
      {alert.action && (
        <p className="alert-action">
          <strong>What to do: </strong>
          {alert.action}
        </p>
      )}
      <div className="alert-buttons">
        {(alert.state === 'firing' || alert.state === 'pending') && (
          <button type="button" className="primary" onClick={onAck}>
            Acknowledge
          </button>
        )}
        {alert.state !== 'resolved' && (
          <button type="button" onClick={onSilence}>
            Silence…
          </button>
        )}
        <button type="button" onClick={() => props.onOpenChart(alert)}>
          Open chart at that moment
        </button>
        {alert.runbook && (
          <span className="runbook-slot">
            <button
              type="button"
              onClick={startRunbook}
              disabled={starting}
              aria-describedby={`rb-${alert.id}`}
            >
              {starting ? 'Opening an incident…' : `Start runbook ${alert.runbook}`}
            </button>
            <span id={`rb-${alert.id}`} className={startError ? 'error small' : 'muted small'}>
              {startError ?? 'opens an incident from this alert'}
            </span>
          </span>
        )}
        <button
          type="button"
          className="link-button"
          aria-expanded={open}
          onClick={() => props.onHistory(alert.id, !open)}
        >
          {open ? 'Hide history' : 'History'}
        </button>
      </div>
      {open && <History state={history} now={now} />}
    </article>
  );
}

function History({ state, now }: { state: HistoryState; now: number }): React.ReactElement {
  if (state.error) {
    return (
      <p className="error" role="alert">
        Could not load the history: {state.error}
      </p>
    );
  }
  if (state.list === null) return <p className="muted">Loading history…</p>;
  return (
    <table className="data alert-history" aria-label="History">
      <caption className="sr-only">{countWord(state.list.length, 'transition')}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Change</th>
          <th scope="col">By</th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {state.list.map((t, i) => (
          <tr key={`${t.t}-${i}`}>
            <td className="nowrap">{formatWhen(t.t, now)}</td>
            <td>
              {t.from ? `${STATE_WORD[t.from]} → ` : ''}
              {STATE_WORD[t.to]}
            </td>
            <td>{t.by ?? '—'}</td>
            <td>{t.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AckDialog(props: {
  alert: Alert;
  targetName: string;
  onAck: (note: string) => Promise<void>;
  onClose: () => void;
}): React.ReactElement {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await props.onAck(note.trim());
      props.onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Acknowledge alert"
      onClose={props.onClose}
      onSubmit={() => void submit()}
      actions={
        <SubmitActions
          busy={busy}
          onCancel={props.onClose}
          label="Acknowledge"
          busyLabel="Acknowledging…"
        />
      }
    >
      <p>
        <strong>{props.alert.ruleName}</strong> on {props.targetName}. Acknowledging tells others
        you are on it; the alert stays until its condition clears.
      </p>
      <label className="stacked">
        <span>Note (optional)</span>
        <textarea
          rows={3}
          value={note}
          data-autofocus
          placeholder="e.g. looking into it, cleaning /var/log"
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function SilenceFor(props: {
  alert: Alert;
  targetName: string;
  now: number;
  onSilence: (c: SilenceChoice) => Promise<void>;
  onClose: () => void;
}): React.ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save(c: SilenceChoice): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await props.onSilence(c);
      props.onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }
  return (
    <SilenceDialog
      targetName={props.targetName}
      ruleName={props.alert.ruleName}
      now={props.now}
      busy={busy}
      error={error}
      onSave={(c) => void save(c)}
      onClose={props.onClose}
    />
  );
}
