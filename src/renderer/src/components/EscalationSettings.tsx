// Settings for incidents and runbooks: the escalation matrix (levels in order, each with a
// time frame and its contacts, and the notification channels that receive its notices) and
// the runbook folder and output cap.
import { useState } from 'react';
import type { NotificationChannel } from '../../../shared/alerts';
import type { EscalationMatrix, RunbookSettings } from '../../../shared/runbooks';
import { formatWhen } from '../format';
import {
  emptyContact,
  formToMatrix,
  levelId,
  matrixToForm,
  type ContactForm,
  type LevelForm,
} from '../runbooks';

export interface EscalationSettingsProps {
  matrix: EscalationMatrix | undefined;
  settings: RunbookSettings | undefined;
  /** The alerts' notification channels; webhook and email ones can carry notices. */
  channels: NotificationChannel[];
  /** Set when the backend has no runbook feature, or a load failed. */
  problem: string | null;
  now: number;
  onSaveMatrix: (m: EscalationMatrix) => Promise<void>;
  onSaveSettings: (s: RunbookSettings) => Promise<void>;
}

export function EscalationSettings(props: EscalationSettingsProps): React.ReactElement {
  // Kept here: a saved form is replaced by one keyed on the reloaded value.
  const [matrixSavedAt, setMatrixSavedAt] = useState<number | null>(null);
  const [settingsSavedAt, setSettingsSavedAt] = useState<number | null>(null);
  return (
    <>
      <section className="panel" aria-label="Escalation matrix">
        <header className="panel-head">
          <h3>Escalation matrix</h3>
          <span className="panel-note">
            who is called when an incident stays unacknowledged, level after level
          </span>
        </header>
        {props.problem && <p className="muted">{props.problem}</p>}
        {props.matrix && (
          <MatrixForm
            key={JSON.stringify(props.matrix)}
            matrix={props.matrix}
            channels={props.channels.filter((c) => c.config.kind !== 'desktop')}
            now={props.now}
            savedAt={matrixSavedAt}
            onSave={async (m) => {
              await props.onSaveMatrix(m);
              setMatrixSavedAt(Date.now());
            }}
          />
        )}
      </section>
      {props.settings && (
        <RunbookSettingsForm
          key={JSON.stringify(props.settings)}
          settings={props.settings}
          savedAt={settingsSavedAt}
          now={props.now}
          onSave={async (s) => {
            await props.onSaveSettings(s);
            setSettingsSavedAt(Date.now());
          }}
        />
      )}
    </>
  );
}

/** Checkboxes choosing channels by id; `label` names each for a screen reader. */
function ChannelChoice(props: {
  channels: NotificationChannel[];
  chosen: string[];
  label: (ch: NotificationChannel) => string;
  onChange: (ids: string[]) => void;
}): React.ReactElement {
  const known = new Set(props.channels.map((c) => c.id));
  const missing = props.chosen.filter((id) => !known.has(id));
  return (
    <span className="channel-choice">
      {props.channels.map((ch) => (
        <label key={ch.id} className="check">
          <input
            type="checkbox"
            aria-label={props.label(ch)}
            checked={props.chosen.includes(ch.id)}
            onChange={(e) =>
              props.onChange(
                e.target.checked
                  ? [...props.chosen, ch.id]
                  : props.chosen.filter((id) => id !== ch.id),
              )
            }
          />{' '}
          {ch.name}{' '}
          <span className="muted">
            ({ch.config.kind}
            {ch.enabled ? '' : ', disabled'})
          </span>
        </label>
      ))}
      {missing.length > 0 && (
        <span className="field-error">
          {missing.length === 1
            ? 'A chosen channel no longer exists'
            : `${missing.length} chosen channels no longer exist`}
          {': '}
          <button
            type="button"
            className="link-button"
            onClick={() => props.onChange(props.chosen.filter((id) => known.has(id)))}
          >
            drop {missing.length === 1 ? 'it' : 'them'}
          </button>
        </span>
      )}
    </span>
  );
}

function MatrixForm(props: {
  matrix: EscalationMatrix;
  channels: NotificationChannel[];
  now: number;
  savedAt: number | null;
  onSave: (m: EscalationMatrix) => Promise<void>;
}): React.ReactElement {
  const [levels, setLevels] = useState<LevelForm[]>(() => matrixToForm(props.matrix));
  const [channelIds, setChannelIds] = useState<string[]>(() => props.matrix.channelIds ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const savedAt = props.savedAt;
  const dirty =
    JSON.stringify(levels) !== JSON.stringify(matrixToForm(props.matrix)) ||
    JSON.stringify(channelIds) !== JSON.stringify(props.matrix.channelIds ?? []);

  function patch(i: number, p: Partial<LevelForm>): void {
    setLevels(levels.map((l, j) => (j === i ? { ...l, ...p } : l)));
  }

  function patchContact(i: number, c: number, p: Partial<ContactForm>): void {
    patch(i, { contacts: levels[i].contacts.map((x, k) => (k === c ? { ...x, ...p } : x)) });
  }

  function move(i: number, by: -1 | 1): void {
    const next = [...levels];
    const [l] = next.splice(i, 1);
    next.splice(i + by, 0, l);
    setLevels(next);
  }

  async function submit(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    const r = formToMatrix(levels, channelIds);
    if ('errors' in r) {
      setErrors(r.errors);
      const first = Object.keys(r.errors)[0];
      document.getElementById(`esc-${first.replace(/\./g, '-')}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    setSaveError(null);
    try {
      await props.onSave(r.matrix);
    } catch (err) {
      setSaveError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const err = (key: string): React.ReactElement | null =>
    errors[key] ? (
      <div className="field-error" id={`esc-${key.replace(/\./g, '-')}-err`}>
        {errors[key]}
      </div>
    ) : null;
  const fieldProps = (key: string): Record<string, unknown> => ({
    id: `esc-${key.replace(/\./g, '-')}`,
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `esc-${key.replace(/\./g, '-')}-err` : undefined,
  });

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Escalation levels">
      <fieldset className="level-edit notices-edit" aria-label="Escalation notices">
        <legend>Notices</legend>
        <p className="hint">
          When a level falls due, Opsdeck shows a desktop notice and sends one through the channels
          chosen here (a level can name its own). Each delivery lands in the incident&apos;s
          timeline.
        </p>
        {props.channels.length === 0 ? (
          <p className="muted">
            No webhook or email channel yet: add one under Notifications to send escalation notices
            beyond this desktop.
          </p>
        ) : (
          <div>
            <span className="hint">Every level&apos;s notices go to </span>
            <ChannelChoice
              channels={props.channels}
              chosen={channelIds}
              label={(ch) => `Notices to ${ch.name}`}
              onChange={setChannelIds}
            />
          </div>
        )}
      </fieldset>
      {levels.map((l, i) => (
        <fieldset key={i} className="level-edit" aria-label={`Level ${i + 1}`}>
          <div className="level-head">
            <strong>Level {i + 1}</strong>
            <label>
              <span className="hint">Name</span>
              <input
                {...fieldProps(`${i}.name`)}
                value={l.name}
                onChange={(e) => patch(i, { name: e.target.value })}
              />
            </label>
            <label>
              <span className="hint">Acknowledge within (minutes)</span>
              <input
                {...fieldProps(`${i}.minutes`)}
                className="short"
                inputMode="numeric"
                value={l.minutes}
                onChange={(e) => patch(i, { minutes: e.target.value })}
              />
            </label>
            <span className="toolbar">
              <button type="button" disabled={i === 0} onClick={() => move(i, -1)}>
                Move up
              </button>
              <button type="button" disabled={i === levels.length - 1} onClick={() => move(i, 1)}>
                Move down
              </button>
              <button
                type="button"
                className="danger-outline"
                disabled={levels.length === 1}
                onClick={() => setLevels(levels.filter((_, j) => j !== i))}
              >
                Remove level
              </button>
            </span>
          </div>
          {err(`${i}.name`)}
          {err(`${i}.minutes`)}
          <table className="contact-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Phone</th>
                <th scope="col">Email</th>
                <th scope="col">Hours</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {l.contacts.map((c, k) => (
                <tr key={k}>
                  {(['name', 'role', 'phone', 'email', 'hours'] as const).map((f) => (
                    <td key={f}>
                      <input
                        {...(f === 'name' ? fieldProps(`${i}.contacts.${k}.name`) : {})}
                        aria-label={`Level ${i + 1} contact ${k + 1} ${f}`}
                        value={c[f]}
                        type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
                        onChange={(e) => patchContact(i, k, { [f]: e.target.value })}
                      />
                      {f === 'name' && err(`${i}.contacts.${k}.name`)}
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => patch(i, { contacts: l.contacts.filter((_, j) => j !== k) })}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            onClick={() => patch(i, { contacts: [...l.contacts, emptyContact()] })}
          >
            Add contact
          </button>
          {props.channels.length > 0 && (
            <div className="level-channels">
              <label className="check">
                <input
                  type="checkbox"
                  checked={Boolean(l.channels)}
                  onChange={(e) =>
                    patch(i, { channels: e.target.checked ? [...channelIds] : null })
                  }
                />{' '}
                Level {i + 1} sends its notices to its own channels
              </label>
              {l.channels ? (
                <ChannelChoice
                  channels={props.channels}
                  chosen={l.channels}
                  label={(ch) => `Level ${i + 1} notices to ${ch.name}`}
                  onChange={(ids) => patch(i, { channels: ids })}
                />
              ) : (
                <span className="muted">otherwise the channels chosen above</span>
              )}
            </div>
          )}
        </fieldset>
      ))}
      {err('levels')}
      {saveError && (
        <p className="error" role="alert">
          Could not save the escalation matrix: {saveError}
        </p>
      )}
      <div className="toolbar">
        <button
          type="button"
          onClick={() =>
            setLevels([
              ...levels,
              {
                id: levelId(
                  `level ${levels.length + 1}`,
                  levels.map((l) => l.id),
                ),
                name: '',
                minutes: '30',
                contacts: [emptyContact()],
                channels: null,
              },
            ])
          }
        >
          Add level
        </button>
        <button type="submit" className="primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : 'Save escalation matrix'}
        </button>
        <button
          type="button"
          disabled={!dirty}
          onClick={() => {
            setLevels(matrixToForm(props.matrix));
            setChannelIds(props.matrix.channelIds ?? []);
            setErrors({});
          }}
        >
          Revert
        </button>
        {savedAt !== null && !dirty && (
          <span className="muted" role="status">
            Saved at {formatWhen(savedAt, props.now)}.
          </span>
        )}
      </div>
    </form>
  );
}

function RunbookSettingsForm(props: {
  settings: RunbookSettings;
  savedAt: number | null;
  now: number;
  onSave: (s: RunbookSettings) => Promise<void>;
}): React.ReactElement {
  const [folder, setFolder] = useState(props.settings.folder ?? '');
  const [capKiB, setCapKiB] = useState(String(Math.round(props.settings.outputCapBytes / 1024)));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [edited, setEdited] = useState(false);
  const saved = props.savedAt !== null && !edited;

  async function submit(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    const cap = /^\d+$/.test(capKiB.trim()) ? Number(capKiB.trim()) : Number.NaN;
    if (!Number.isInteger(cap) || cap < 1 || cap > 16384) {
      setError('Enter the output cap as whole KiB from 1 to 16384 (16 MiB).');
      return;
    }
    const f = folder.trim();
    if (f && !f.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(f)) {
      setError('The runbook folder must be an absolute path, or empty for none.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSave({ folder: f || null, outputCapBytes: cap * 1024 });
      setEdited(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" aria-label="Runbooks" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="grid-form">
        <legend>Runbooks</legend>
        <label htmlFor="rb-folder">Your runbook folder</label>
        <div>
          <input
            id="rb-folder"
            className="mono"
            value={folder}
            placeholder="/home/you/ops/runbooks"
            onChange={(e) => {
              setFolder(e.target.value);
              setEdited(true);
            }}
          />
          <div className="hint">YAML files, one runbook each; reloaded when they change.</div>
        </div>
        <label htmlFor="rb-cap">Output kept per step</label>
        <div>
          <input
            id="rb-cap"
            className="short"
            inputMode="numeric"
            value={capKiB}
            onChange={(e) => {
              setCapKiB(e.target.value);
              setEdited(true);
            }}
          />{' '}
          KiB
          <div className="hint">Longer output is cut, and the cut is marked in the run.</div>
        </div>
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save runbook settings'}
        </button>
        {saved && (
          <span className="muted" role="status">
            Saved at {formatWhen(props.savedAt ?? props.now, props.now)}.
          </span>
        )}
      </div>
    </form>
  );
}
