// Where alerts are sent (desktop, webhook, email), whether that works, and what is silenced.
import { useState } from 'react';
import { channelConfigSchema } from '../../../shared/api';
import type {
  ChannelConfig,
  Delivery,
  NotificationChannel,
  Severity,
  Silence,
} from '../../../shared/alerts';
import { assertNever } from '../../../shared/result';
import { SEVERITY_WORD } from '../alerting';
import {
  AlertsTabs,
  SeverityBadge,
  SilenceDialog,
  type SilenceChoice,
} from '../components/AlertBits';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog, SubmitActions } from '../components/Dialog';
import { FieldRow } from '../components/FieldRow';
import { formatDuration, formatWhen } from '../format';
import { Unavailable } from './AlertsPage';

export type DesktopPermission = 'electron' | 'unsupported' | NotificationPermission;

export interface ChannelInput {
  id?: string;
  name: string;
  enabled: boolean;
  minSeverity: Severity;
  config: ChannelConfig;
  /** undefined keeps the stored secret, null removes it, a string replaces it. */
  secret?: string | null;
}

export interface NotificationsPageProps {
  channels: NotificationChannel[] | undefined;
  deliveries: Delivery[] | undefined;
  silences: Silence[] | undefined;
  unavailable: string | null;
  error: string | null;
  now: number;
  nameOf: (targetId: string) => string;
  ruleName: (ruleId: string) => string;
  targets: { id: string; name: string }[];
  rules: { id: string; name: string }[];
  desktop: DesktopPermission;
  onEnableDesktop: () => void;
  onSaveChannel: (c: ChannelInput) => Promise<void>;
  onDeleteChannel: (c: NotificationChannel) => Promise<void>;
  onTestChannel: (c: NotificationChannel) => Promise<Delivery>;
  onSaveSilence: (s: {
    targetId?: string;
    ruleId?: string;
    endsAt: number;
    reason: string;
  }) => Promise<void>;
  onDeleteSilence: (s: Silence) => Promise<void>;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function NotificationsPage(props: NotificationsPageProps): React.ReactElement {
  const [editing, setEditing] = useState<NotificationChannel | 'new' | null>(null);
  const [deleting, setDeleting] = useState<NotificationChannel | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [tests, setTests] = useState(
    new Map<string, { busy: boolean; result: Delivery | null; error: string | null }>(),
  );

  async function test(c: NotificationChannel): Promise<void> {
    setTests((m) => new Map(m).set(c.id, { busy: true, result: null, error: null }));
    try {
      const result = await props.onTestChannel(c);
      setTests((m) => new Map(m).set(c.id, { busy: false, result, error: null }));
    } catch (err) {
      setTests((m) => new Map(m).set(c.id, { busy: false, result: null, error: errText(err) }));
    }
  }

  async function remove(c: NotificationChannel): Promise<void> {
    setBusy(true);
    setActionError(null);
    try {
      await props.onDeleteChannel(c);
    } catch (err) {
      setActionError(errText(err));
    }
    setBusy(false);
    setDeleting(null);
  }

  return (
    <section className="page">
      <header className="page-head">
        <h1>Notifications and silences</h1>
      </header>
      <AlertsTabs view="notifications" />
      {props.unavailable && <Unavailable message={props.unavailable} />}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <DesktopPanel permission={props.desktop} onEnable={props.onEnableDesktop} />
      <section className="panel" aria-label="Channels">
        <header className="panel-head">
          <h2>Channels</h2>
          <button
            type="button"
            className="primary"
            onClick={() => setEditing('new')}
            disabled={props.unavailable !== null}
          >
            Add channel
          </button>
        </header>
        {actionError && (
          <p className="error" role="alert">
            {actionError}
          </p>
        )}
        {props.channels === undefined && !props.unavailable && !props.error && (
          <p className="muted">Loading…</p>
        )}
        {props.channels?.length === 0 && (
          <p className="muted">No channel yet: alerts show here and on the desktop only.</p>
        )}
        {props.channels && props.channels.length > 0 && (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Sends to</th>
                <th scope="col">From severity</th>
                <th scope="col">Enabled</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.channels.map((c) => {
                const t = tests.get(c.id);
                return (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    <td>
                      {channelWhere(c.config)}
                      {t && <TestLine state={t} />}
                    </td>
                    <td>
                      <SeverityBadge severity={c.minSeverity} /> and above
                    </td>
                    <td>{c.enabled ? 'yes' : 'no (paused)'}</td>
                    <td className="actions nowrap">
                      <button type="button" onClick={() => void test(c)} disabled={t?.busy}>
                        {t?.busy ? 'Sending…' : 'Send test'}
                      </button>{' '}
                      <button type="button" onClick={() => setEditing(c)}>
                        Edit
                      </button>{' '}
                      <button
                        type="button"
                        className="danger-outline"
                        onClick={() => setDeleting(c)}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <Deliveries {...props} />
      <Silences {...props} />
      {editing && (
        <ChannelDialog
          channel={editing === 'new' ? null : editing}
          onSave={props.onSaveChannel}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete channel"
          confirmLabel="Delete channel"
          busy={busy}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            Delete <strong>{deleting.name}</strong>? Alerts will no longer be sent there.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function channelWhere(c: ChannelConfig): React.ReactNode {
  switch (c.kind) {
    case 'desktop':
      return 'Desktop notification';
    case 'webhook':
      return (
        <>
          Webhook <span className="mono small">{c.url}</span>
          {c.template ? <span className="chip">template</span> : null}
        </>
      );
    case 'email':
      return (
        <>
          Email to {c.to.join(', ')}{' '}
          <span className="muted small">
            via {c.host}:{c.port}
            {c.secure ? ' (TLS)' : ''}
          </span>
        </>
      );
    default:
      return assertNever(c, 'channel');
  }
}

function TestLine({
  state,
}: {
  state: { busy: boolean; result: Delivery | null; error: string | null };
}): React.ReactElement | null {
  if (state.busy) return <div className="muted small">Sending a test…</div>;
  if (state.error)
    return (
      <div className="error small" role="status">
        Test failed: {state.error}
      </div>
    );
  const r = state.result;
  if (!r) return null;
  return (
    <div className={r.status === 'sent' ? 'ok-text small' : 'error small'} role="status">
      {r.status === 'sent'
        ? '✓ Test sent.'
        : `✕ Test ${r.status === 'retrying' ? 'not delivered yet, retrying' : 'failed'}${r.error ? `: ${r.error}` : '.'}`}
    </div>
  );
}

function DesktopPanel({
  permission,
  onEnable,
}: {
  permission: DesktopPermission;
  onEnable: () => void;
}): React.ReactElement {
  let text: React.ReactNode;
  switch (permission) {
    case 'electron':
      text = 'Opsdeck shows desktop notifications for firing and resolved alerts by itself.';
      break;
    case 'unsupported':
      text = 'This browser cannot show desktop notifications.';
      break;
    case 'granted':
      text =
        'This browser tab shows desktop notifications for firing and resolved alerts, one per target for a burst, while it stays open.';
      break;
    case 'denied':
      text =
        'Desktop notifications are blocked for this page. Allow them in the browser’s site settings to get them.';
      break;
    case 'default':
      text = (
        <>
          This browser tab can show a desktop notification when an alert fires or resolves.{' '}
          <button type="button" onClick={onEnable}>
            Enable desktop notifications
          </button>
        </>
      );
      break;
  }
  return (
    <section className="panel" aria-label="Desktop notifications">
      <header className="panel-head">
        <h2>Desktop notifications</h2>
      </header>
      <p>{text}</p>
    </section>
  );
}

function Deliveries(props: NotificationsPageProps): React.ReactElement {
  const list = props.deliveries ?? [];
  const name = (id: string): string => props.channels?.find((c) => c.id === id)?.name ?? id;
  const failed = list.filter((d) => d.status !== 'sent').length;
  return (
    <section className="panel" aria-label="Recent deliveries">
      <header className="panel-head">
        <h2>Recent deliveries</h2>
        {failed > 0 && <span className="error small">{failed} not delivered</span>}
      </header>
      {list.length === 0 && <p className="muted">Nothing sent yet.</p>}
      {list.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Channel</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Alerts</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id} className={d.status === 'sent' ? undefined : 'delivery-bad'}>
                <td className="nowrap">{formatWhen(d.t, props.now)}</td>
                <td>{name(d.channelId)}</td>
                <td>
                  {d.status === 'sent' ? (
                    <span className="ok-text">✓ sent</span>
                  ) : (
                    <span className="error">
                      ✕ {d.status === 'failed' ? 'failed' : 'retrying'}
                      {d.error ? `: ${d.error}` : ''}
                    </span>
                  )}
                </td>
                <td className="num">{d.attempts}</td>
                <td>{d.alertIds.length === 0 ? 'test' : d.alertIds.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Silences(props: NotificationsPageProps): React.ReactElement {
  const [adding, setAdding] = useState(false);
  const [on, setOn] = useState<{ targetId?: string; ruleId?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const active = (props.silences ?? [])
    .filter((s) => s.endsAt > props.now)
    .sort((a, b) => a.endsAt - b.endsAt);

  async function save(c: SilenceChoice): Promise<void> {
    if (!on) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSaveSilence({
        ...(c.on === 'target' ? { targetId: on.targetId } : { ruleId: on.ruleId }),
        endsAt: c.endsAt,
        reason: c.reason,
      });
      setOn(null);
      setAdding(false);
    } catch (err) {
      setError(errText(err));
    }
    setBusy(false);
  }

  async function remove(s: Silence): Promise<void> {
    setError(null);
    try {
      await props.onDeleteSilence(s);
    } catch (err) {
      setError(errText(err));
    }
  }

  return (
    <section className="panel" aria-label="Silences">
      <header className="panel-head">
        <h2>Active silences</h2>
        <button type="button" onClick={() => setAdding(true)} disabled={props.unavailable !== null}>
          Add silence
        </button>
      </header>
      {error && !on && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {active.length === 0 && <p className="muted">Nothing is silenced.</p>}
      {active.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Silenced</th>
              <th scope="col">Until</th>
              <th scope="col">Reason</th>
              <th scope="col">By</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {active.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.targetId ? `target ${props.nameOf(s.targetId)}` : ''}
                  {s.targetId && s.ruleId ? ', ' : ''}
                  {s.ruleId ? `rule ${props.ruleName(s.ruleId)}` : ''}
                </td>
                <td className="nowrap">
                  {formatWhen(s.endsAt, props.now)}{' '}
                  <span className="muted small">
                    (in {formatDuration(Math.max(0, s.endsAt - props.now) / 1000)})
                  </span>
                </td>
                <td>{s.reason}</td>
                <td>{s.by}</td>
                <td>
                  <button type="button" onClick={() => void remove(s)}>
                    End silence
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adding && !on && (
        <SilenceTargetPicker
          targets={props.targets}
          rules={props.rules}
          onPick={setOn}
          onClose={() => setAdding(false)}
        />
      )}
      {on && (
        <SilenceDialog
          targetName={on.targetId ? props.nameOf(on.targetId) : null}
          ruleName={on.ruleId ? props.ruleName(on.ruleId) : null}
          now={props.now}
          busy={busy}
          error={error}
          onSave={(c) => void save(c)}
          onClose={() => {
            setOn(null);
            setAdding(false);
          }}
        />
      )}
    </section>
  );
}

function SilenceTargetPicker(p: {
  targets: { id: string; name: string }[];
  rules: { id: string; name: string }[];
  onPick: (on: { targetId?: string; ruleId?: string }) => void;
  onClose: () => void;
}): React.ReactElement {
  const [value, setValue] = useState(p.targets[0] ? `t:${p.targets[0].id}` : '');
  function submit(): void {
    if (value.startsWith('t:')) p.onPick({ targetId: value.slice(2) });
    else if (value.startsWith('r:')) p.onPick({ ruleId: value.slice(2) });
  }
  return (
    <Dialog
      title="Silence what?"
      onClose={p.onClose}
      onSubmit={submit}
      actions={
        <>
          <button type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!value}>
            Next
          </button>
        </>
      }
    >
      <label className="stacked">
        <span>A target or a rule</span>
        <select value={value} data-autofocus onChange={(e) => setValue(e.target.value)}>
          <optgroup label="Targets">
            {p.targets.map((t) => (
              <option key={t.id} value={`t:${t.id}`}>
                {t.name}
              </option>
            ))}
          </optgroup>
          <optgroup label="Rules">
            {p.rules.map((r) => (
              <option key={r.id} value={`r:${r.id}`}>
                {r.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
    </Dialog>
  );
}

interface ChannelForm {
  name: string;
  enabled: boolean;
  minSeverity: Severity;
  kind: ChannelConfig['kind'];
  url: string;
  template: string;
  host: string;
  port: string;
  secure: boolean;
  from: string;
  to: string;
  user: string;
  password: string;
  removeSecret: boolean;
}

function toChannelForm(c: NotificationChannel | null): ChannelForm {
  const f: ChannelForm = {
    name: c?.name ?? '',
    enabled: c?.enabled ?? true,
    minSeverity: c?.minSeverity ?? 'warning',
    kind: c?.config.kind ?? 'webhook',
    url: '',
    template: '',
    host: '',
    port: '587',
    secure: false,
    from: '',
    to: '',
    user: '',
    password: '',
    removeSecret: false,
  };
  const cfg = c?.config;
  if (cfg?.kind === 'webhook') return { ...f, url: cfg.url, template: cfg.template ?? '' };
  if (cfg?.kind === 'email') {
    return {
      ...f,
      host: cfg.host,
      port: String(cfg.port),
      secure: cfg.secure,
      from: cfg.from,
      to: cfg.to.join(', '),
      user: cfg.user ?? '',
    };
  }
  return f;
}

function configOf(f: ChannelForm): unknown {
  switch (f.kind) {
    case 'desktop':
      return { kind: 'desktop' };
    case 'webhook':
      return {
        kind: 'webhook',
        url: f.url.trim(),
        ...(f.template.trim() ? { template: f.template } : {}),
      };
    case 'email':
      return {
        kind: 'email',
        host: f.host.trim(),
        port: /^\d+$/.test(f.port.trim()) ? Number(f.port.trim()) : Number.NaN,
        secure: f.secure,
        from: f.from.trim(),
        to: f.to.split(/[\s,;]+/).filter(Boolean),
        ...(f.user.trim() ? { user: f.user.trim() } : {}),
      };
    default:
      return assertNever(f.kind, 'channel kind');
  }
}

const CHANNEL_FIELD_WORDS: Record<string, string> = {
  url: 'Enter an http:// or https:// address.',
  host: 'Enter the SMTP server’s host name.',
  port: 'Enter a port from 1 to 65535.',
  from: 'Enter the sender’s email address.',
  to: 'Enter one or more email addresses, separated by commas.',
  user: 'Enter the SMTP user name, or leave it empty.',
  template: 'The template is too long.',
};

function ChannelDialog(p: {
  channel: NotificationChannel | null;
  onSave: (c: ChannelInput) => Promise<void>;
  onClose: () => void;
}): React.ReactElement {
  const [f, setF] = useState<ChannelForm>(() => toChannelForm(p.channel));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]): void =>
    setF((x) => ({ ...x, [k]: v }));
  const parsed = channelConfigSchema.safeParse(configOf(f));
  const errors: Record<string, string> = {};
  if (tried && !parsed.success) {
    for (const issue of parsed.error.issues) {
      const k = String(issue.path[0] ?? '');
      errors[k] ??= CHANNEL_FIELD_WORDS[k] ?? issue.message;
    }
  }
  if (tried && f.name.trim() === '') errors.name = 'Enter a name.';
  const stored = p.channel?.hasSecret ?? false;

  async function submit(): Promise<void> {
    setTried(true);
    if (!parsed.success || f.name.trim() === '') return;
    const secret =
      f.kind !== 'email'
        ? undefined
        : f.password !== ''
          ? f.password
          : f.removeSecret
            ? null
            : undefined;
    setBusy(true);
    setError(null);
    try {
      await p.onSave({
        ...(p.channel ? { id: p.channel.id } : {}),
        name: f.name.trim(),
        enabled: f.enabled,
        minSeverity: f.minSeverity,
        config: parsed.data,
        ...(secret !== undefined ? { secret } : {}),
      });
      p.onClose();
    } catch (err) {
      setError(errText(err));
      setBusy(false);
    }
  }

  const inv = (k: string): true | undefined => (errors[k] ? true : undefined);

  return (
    <Dialog
      title={p.channel ? `Edit channel ${p.channel.name}` : 'Add channel'}
      wide
      onClose={p.onClose}
      onSubmit={() => void submit()}
      actions={
        <SubmitActions busy={busy} onCancel={p.onClose} label="Save channel" busyLabel="Saving…" />
      }
    >
      <div className="grid-form">
        <FieldRow id="ch-name" label="Name" error={errors.name}>
          <input
            id="ch-name"
            data-autofocus
            value={f.name}
            aria-invalid={inv('name')}
            onChange={(e) => set('name', e.target.value)}
          />
        </FieldRow>
        <FieldRow id="ch-kind" label="Kind">
          <select
            id="ch-kind"
            value={f.kind}
            onChange={(e) => set('kind', e.target.value as ChannelConfig['kind'])}
          >
            <option value="desktop">Desktop notification</option>
            <option value="webhook">
              Webhook (JSON; Slack, Teams and others through a template)
            </option>
            <option value="email">Email over SMTP</option>
          </select>
        </FieldRow>
        <FieldRow id="ch-sev" label="From severity">
          <select
            id="ch-sev"
            value={f.minSeverity}
            onChange={(e) => set('minSeverity', e.target.value as Severity)}
          >
            {(['info', 'warning', 'critical'] as Severity[]).map((s) => (
              <option key={s} value={s}>
                {SEVERITY_WORD[s]} and above
              </option>
            ))}
          </select>
        </FieldRow>
        <FieldRow id="ch-enabled" label="Enabled">
          <input
            id="ch-enabled"
            type="checkbox"
            checked={f.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
        </FieldRow>
        {f.kind === 'webhook' && (
          <>
            <FieldRow id="ch-url" label="URL" error={errors.url}>
              <input
                id="ch-url"
                type="url"
                value={f.url}
                aria-invalid={inv('url')}
                placeholder="https://…"
                onChange={(e) => set('url', e.target.value)}
              />
            </FieldRow>
            <FieldRow id="ch-template" label="Body template" error={errors.template}>
              <textarea
                id="ch-template"
                className="mono"
                rows={5}
                value={f.template}
                placeholder={
                  'optional JSON, e.g. {"text": "{{target}}: {{message}}"}; empty sends Opsdeck’s own JSON'
                }
                onChange={(e) => set('template', e.target.value)}
              />
            </FieldRow>
          </>
        )}
        {f.kind === 'email' && (
          <>
            <FieldRow id="ch-host" label="SMTP host" error={errors.host}>
              <input
                id="ch-host"
                value={f.host}
                aria-invalid={inv('host')}
                onChange={(e) => set('host', e.target.value)}
              />
            </FieldRow>
            <FieldRow id="ch-port" label="Port" error={errors.port}>
              <input
                id="ch-port"
                className="short"
                inputMode="numeric"
                value={f.port}
                aria-invalid={inv('port')}
                onChange={(e) => set('port', e.target.value)}
              />{' '}
              <label className="inline-check">
                <input
                  type="checkbox"
                  checked={f.secure}
                  onChange={(e) => set('secure', e.target.checked)}
                />{' '}
                TLS from the start (port 465)
              </label>
            </FieldRow>
            <FieldRow id="ch-from" label="From" error={errors.from}>
              <input
                id="ch-from"
                type="email"
                value={f.from}
                aria-invalid={inv('from')}
                onChange={(e) => set('from', e.target.value)}
              />
            </FieldRow>
            <FieldRow id="ch-to" label="To" error={errors.to}>
              <input
                id="ch-to"
                value={f.to}
                aria-invalid={inv('to')}
                placeholder="oncall@example.org, ops@example.org"
                onChange={(e) => set('to', e.target.value)}
              />
            </FieldRow>
            <FieldRow id="ch-user" label="SMTP user" error={errors.user}>
              <input
                id="ch-user"
                autoComplete="off"
                value={f.user}
                aria-invalid={inv('user')}
                onChange={(e) => set('user', e.target.value)}
              />
            </FieldRow>
            <FieldRow id="ch-password" label="Password">
              <input
                id="ch-password"
                type="password"
                autoComplete="new-password"
                value={f.password}
                placeholder={stored ? 'stored — leave empty to keep it' : 'none'}
                onChange={(e) => set('password', e.target.value)}
              />
              {stored && (
                <label className="inline-check">
                  <input
                    type="checkbox"
                    checked={f.removeSecret}
                    disabled={f.password !== ''}
                    onChange={(e) => set('removeSecret', e.target.checked)}
                  />{' '}
                  remove the stored password
                </label>
              )}
              <div className="hint">Stored encrypted like other secrets; never shown again.</div>
            </FieldRow>
          </>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
