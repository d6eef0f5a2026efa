// Collection intervals, retention, and facts about this Opsdeck.
import { useState } from 'react';
import { settingsSchema, type AppInfo } from '../../../shared/api';
import type { AuditEntry, Settings } from '../../../shared/types';
import { formatDuration, formatWhen } from '../format';

export interface SettingsPageProps {
  settings: Settings | undefined;
  info: AppInfo | undefined;
  loadError: string | null;
  saving: boolean;
  saveError: string | null;
  savedAt: number | null;
  now: number;
  onSave: (s: Settings) => void;
  audit: AuditEntry[] | undefined;
  auditError: string | null;
  targetName: (id: string) => string;
  /** Panels of other features (escalation matrix, runbooks), shown after the form. */
  extra?: React.ReactNode;
}

interface Form {
  hostS: string;
  dbS: string;
  rawHours: string;
  oneMinuteDays: string;
  oneHourDays: string;
}

function toForm(s: Settings): Form {
  return {
    hostS: String(s.hostIntervalMs / 1000),
    dbS: String(s.databaseIntervalMs / 1000),
    rawHours: String(s.retention.rawHours),
    oneMinuteDays: String(s.retention.oneMinuteDays),
    oneHourDays: String(s.retention.oneHourDays),
  };
}

function num(text: string): number {
  const t = text.trim();
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

function fromForm(f: Form): Settings {
  return {
    hostIntervalMs: Math.round(num(f.hostS) * 1000),
    databaseIntervalMs: Math.round(num(f.dbS) * 1000),
    retention: {
      rawHours: num(f.rawHours),
      oneMinuteDays: num(f.oneMinuteDays),
      oneHourDays: num(f.oneHourDays),
    },
  };
}

const FIELD: Record<string, keyof Form> = {
  hostIntervalMs: 'hostS',
  databaseIntervalMs: 'dbS',
  rawHours: 'rawHours',
  oneMinuteDays: 'oneMinuteDays',
  oneHourDays: 'oneHourDays',
};

const LIMITS: Record<keyof Form, string> = {
  hostS: 'a whole number of seconds from 1 to 3600',
  dbS: 'a whole number of seconds from 1 to 3600',
  rawHours: 'hours from 1 to 2160 (90 days)',
  oneMinuteDays: 'days from 1 to 3650',
  oneHourDays: 'days from 1 to 36500',
};

/** Field errors from the shared schema, plus the order raw ≤ 1-minute ≤ 1-hour. */
export function validateSettings(f: Form): Partial<Record<keyof Form, string>> {
  const errors: Partial<Record<keyof Form, string>> = {};
  const parsed = settingsSchema.safeParse(fromForm(f));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = FIELD[String(issue.path[issue.path.length - 1])];
      if (key && !errors[key]) errors[key] = `Enter ${LIMITS[key]}.`;
    }
    return errors;
  }
  const s = parsed.data;
  if (s.retention.oneMinuteDays * 24 < s.retention.rawHours) {
    errors.oneMinuteDays = '1-minute rollups should be kept at least as long as raw samples.';
  }
  if (s.retention.oneHourDays < s.retention.oneMinuteDays) {
    errors.oneHourDays = '1-hour rollups should be kept at least as long as 1-minute rollups.';
  }
  return errors;
}

export function SettingsPage(props: SettingsPageProps): React.ReactElement {
  return (
    <section className="page">
      <header className="page-head">
        <h1>Settings</h1>
      </header>
      {props.loadError && (
        <p className="error" role="alert">
          {props.loadError}
        </p>
      )}
      {props.settings ? (
        <SettingsForm key={JSON.stringify(props.settings)} {...props} settings={props.settings} />
      ) : (
        !props.loadError && <p className="muted">Loading…</p>
      )}
      {props.extra}
      <AboutPanel info={props.info} now={props.now} />
      <AuditPanel {...props} />
    </section>
  );
}

function SettingsForm(props: SettingsPageProps & { settings: Settings }): React.ReactElement {
  const [f, setF] = useState<Form>(() => toForm(props.settings));
  const [tried, setTried] = useState(false);
  const errors = tried ? validateSettings(f) : {};
  const dirty = JSON.stringify(fromForm(f)) !== JSON.stringify(props.settings);

  function submit(e: React.FormEvent): void {
    e.preventDefault();
    setTried(true);
    const found = validateSettings(f);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`s-${first}`)?.focus();
      return;
    }
    props.onSave(fromForm(f));
  }

  const input = (
    key: keyof Form,
    label: string,
    unit: string,
    hint: string,
  ): React.ReactElement => (
    <>
      <label htmlFor={`s-${key}`}>{label}</label>
      <div>
        <input
          id={`s-${key}`}
          className="short"
          inputMode="decimal"
          value={f[key]}
          aria-invalid={errors[key] ? true : undefined}
          aria-describedby={errors[key] ? `se-${key}` : undefined}
          onChange={(e) => setF({ ...f, [key]: e.target.value })}
        />{' '}
        {unit}
        <div className="hint">{hint}</div>
        {errors[key] && (
          <div className="field-error" id={`se-${key}`}>
            {errors[key]}
          </div>
        )}
      </div>
    </>
  );

  return (
    <form className="panel" onSubmit={submit} noValidate aria-label="Collection and retention">
      <fieldset className="grid-form">
        <legend>Collection interval</legend>
        {input('hostS', 'Hosts', 'seconds', 'local and SSH targets without their own interval')}
        {input(
          'dbS',
          'Databases',
          'seconds',
          'PostgreSQL and Redis targets without their own interval',
        )}
      </fieldset>
      <fieldset className="grid-form">
        <legend>Retention</legend>
        {input('rawHours', 'Raw samples', 'hours', 'every sample, for detailed recent charts')}
        {input('oneMinuteDays', '1-minute rollups', 'days', 'min, max, average per minute')}
        {input(
          'oneHourDays',
          '1-hour rollups',
          'days',
          'min, max, average per hour, for long ranges',
        )}
      </fieldset>
      {props.saveError && (
        <p className="error" role="alert">
          Could not save the settings: {props.saveError}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={props.saving || !dirty}>
          {props.saving ? 'Saving…' : 'Save settings'}
        </button>
        <button
          type="button"
          disabled={!dirty}
          onClick={() => {
            setF(toForm(props.settings));
            setTried(false);
          }}
        >
          Revert
        </button>
        {props.savedAt !== null && !dirty && (
          <span className="muted" role="status">
            Saved at {formatWhen(props.savedAt, props.now)}.
          </span>
        )}
      </div>
    </form>
  );
}

function AboutPanel({ info, now }: { info: AppInfo | undefined; now: number }): React.ReactElement {
  return (
    <section className="panel" aria-label="About this Opsdeck">
      <header className="panel-head">
        <h3>About this Opsdeck</h3>
      </header>
      {!info ? (
        <p className="muted">—</p>
      ) : (
        <dl className="facts">
          <dt>Version</dt>
          <dd className="mono">{info.version}</dd>
          <dt>Data folder</dt>
          <dd className="mono">{info.dataDir}</dd>
          <dt>Transport</dt>
          <dd>
            {info.transport === 'electron'
              ? 'Electron IPC (desktop window)'
              : 'browser mode: HTTP and WebSocket on 127.0.0.1'}
          </dd>
          <dt>Secrets</dt>
          <dd>
            {info.secretBackend === 'safeStorage'
              ? 'encrypted with the operating system keychain (safeStorage)'
              : 'encrypted with a key file (mode 0600) in the data folder: protect that folder like a password'}
          </dd>
          <dt>Running since</dt>
          <dd>
            {formatWhen(info.startedAt, now)} ({formatDuration((now - info.startedAt) / 1000)})
          </dd>
          <dt>Known hosts</dt>
          <dd>Opsdeck keeps its own known_hosts file in the data folder.</dd>
        </dl>
      )}
    </section>
  );
}

/** Who did what, newest first: accepted host keys, edits, deletions. */
function AuditPanel(props: SettingsPageProps): React.ReactElement {
  const { audit, now } = props;
  return (
    <section className="panel" aria-label="Recent actions">
      <header className="panel-head">
        <h3>Recent actions</h3>
        <span className="panel-note">
          audit log, newest first · <a href="#/audit">all entries and chain check</a>
        </span>
      </header>
      {props.auditError && (
        <p className="error" role="alert">
          Could not load the audit log: {props.auditError}
        </p>
      )}
      {audit && audit.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {audit && audit.length > 0 && (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Target</th>
                <th scope="col">Action</th>
                <th scope="col">Detail</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((e) => (
                <tr key={e.id}>
                  <td className="num nowrap">{formatWhen(e.t, now)}</td>
                  <td>{e.operator}</td>
                  <td className="nowrap">{e.targetId ? props.targetName(e.targetId) : '—'}</td>
                  <td className="mono nowrap">{e.action}</td>
                  <td>{e.detail}</td>
                  <td>{e.result}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
