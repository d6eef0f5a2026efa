// Add or edit one target: a form per kind. A stored secret is never shown back: only
// "a secret is stored", with replace and remove.
import { useEffect, useRef, useState } from 'react';
import type { Target, TargetKind } from '../../../shared/types';
import { KIND_WORD } from '../figures';
import {
  emptyForm,
  formFromTarget,
  hasLegacy,
  secretApplies,
  secretLabel,
  toSaveInput,
  validate,
  withKind,
  type FieldErrors,
  type FormState,
  type SaveInput,
  type SslMode,
} from '../targetForm';

export interface TargetFormProps {
  target: Target | null;
  /** SSH targets a database can be reached through. */
  sshTargets: Target[];
  busy: boolean;
  error: string | null;
  onSave: (input: SaveInput, thenTest: boolean) => void;
  onCancel: () => void;
}

const KINDS: TargetKind[] = ['ssh', 'postgres', 'redis', 'local'];

export function TargetForm(props: TargetFormProps): React.ReactElement {
  const { target } = props;
  const [s, setS] = useState<FormState>(() => (target ? formFromTarget(target) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [tried, setTried] = useState(false);
  const headRef = useRef<HTMLHeadingElement>(null);
  const set = (patch: Partial<FormState>): void => {
    const next = { ...s, ...patch };
    setS(next);
    if (tried) setErrors(validate(next));
  };

  // Opening the form (add or edit) moves keyboard focus to it.
  useEffect(() => {
    headRef.current?.scrollIntoView({ block: 'nearest' });
    if (target) headRef.current?.focus();
  }, [target]);

  function submit(thenTest: boolean): void {
    setTried(true);
    const found = validate(s);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      document.getElementById(`f-${first.replace('.', '-')}`)?.focus();
      return;
    }
    props.onSave(toSaveInput(s), thenTest);
  }

  const field = (
    name: string,
  ): { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string } => ({
    id: `f-${name.replace('.', '-')}`,
    ...(errors[name]
      ? { 'aria-invalid': true, 'aria-describedby': `e-${name.replace('.', '-')}` }
      : {}),
  });

  return (
    <form
      className="panel target-form"
      aria-label={target ? `Edit ${target.name}` : 'New target'}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(false);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onCancel();
      }}
    >
      <h2 ref={headRef} tabIndex={-1}>
        {target ? `Edit ${target.name}` : 'New target'}
      </h2>
      <fieldset className="grid-form">
        <legend className="sr-only">General</legend>
        <label htmlFor="f-kind">Kind</label>
        <div>
          <select
            id="f-kind"
            value={s.kind}
            disabled={target !== null}
            onChange={(e) => setS(withKind(s, e.target.value as TargetKind))}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_WORD[k]}
              </option>
            ))}
          </select>
          {target && (
            <div className="hint">The kind of a target cannot change; add a new one instead.</div>
          )}
        </div>
        <Field label="Name" name="name" errors={errors}>
          <input
            {...field('name')}
            value={s.name}
            onChange={(e) => set({ name: e.target.value })}
            autoFocus={!target}
          />
        </Field>
        <Field label="Group" name="group" errors={errors} hint="e.g. production, staging">
          <input
            {...field('group')}
            value={s.group}
            onChange={(e) => set({ group: e.target.value })}
          />
        </Field>
        <Field
          label="Interval (s)"
          name="intervalMs"
          errors={errors}
          hint="empty: the default from Settings"
        >
          <input
            {...field('intervalMs')}
            inputMode="numeric"
            value={s.intervalS}
            onChange={(e) => set({ intervalS: e.target.value })}
            className="short"
          />
        </Field>
        <label htmlFor="f-enabled">Collect</label>
        <div>
          <input
            id="f-enabled"
            type="checkbox"
            checked={s.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />{' '}
          <span className="hint">collect metrics from this target</span>
        </div>
      </fieldset>
      <KindFields
        s={s}
        set={set}
        errors={errors}
        field={field}
        sshTargets={props.sshTargets.filter((t) => t.id !== s.id)}
      />
      {secretApplies(s) && <SecretField s={s} set={set} errors={errors} field={field} />}
      {errors.form && (
        <p className="error" role="alert">
          {errors.form}
        </p>
      )}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={props.busy} onClick={() => submit(true)}>
          Save and test connection
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  label: string;
  name: string;
  errors: FieldErrors;
  hint?: string;
  children: React.ReactNode;
}

function Field({ label, name, errors, hint, children }: FieldProps): React.ReactElement {
  const id = name.replace('.', '-');
  return (
    <>
      <label htmlFor={`f-${id}`}>{label}</label>
      <div>
        {children}
        {hint && <div className="hint">{hint}</div>}
        {errors[name] && (
          <div className="field-error" id={`e-${id}`}>
            {errors[name]}
          </div>
        )}
      </div>
    </>
  );
}

interface PartProps {
  s: FormState;
  set: (patch: Partial<FormState>) => void;
  errors: FieldErrors;
  field: (name: string) => { id: string };
}

function KindFields(props: PartProps & { sshTargets: Target[] }): React.ReactElement | null {
  switch (props.s.kind) {
    case 'local':
      return <p className="hint">This machine: metrics are read locally, nothing to configure.</p>;
    case 'ssh':
      return <SshFields {...props} />;
    case 'postgres':
      return <PostgresFields {...props} />;
    case 'redis':
      return <RedisFields {...props} />;
  }
}

function Address({ s, set, errors, field }: PartProps): React.ReactElement {
  return (
    <>
      <Field label="Host" name="host" errors={errors}>
        <input
          {...field('host')}
          value={s.host}
          spellCheck={false}
          autoCapitalize="off"
          onChange={(e) => set({ host: e.target.value })}
        />
      </Field>
      <Field label="Port" name="port" errors={errors}>
        <input
          {...field('port')}
          inputMode="numeric"
          className="short"
          value={s.port}
          onChange={(e) => set({ port: e.target.value })}
        />
      </Field>
    </>
  );
}

function SshFields(props: PartProps): React.ReactElement {
  const { s, set, errors, field } = props;
  const [legacyOpen, setLegacyOpen] = useState(() => hasLegacy(s));
  return (
    <fieldset className="grid-form">
      <legend>SSH</legend>
      <Address {...props} />
      <Field label="User" name="user" errors={errors}>
        <input
          {...field('user')}
          value={s.user}
          spellCheck={false}
          autoCapitalize="off"
          onChange={(e) => set({ user: e.target.value })}
        />
      </Field>
      <label htmlFor="f-auth">Authentication</label>
      <div>
        <select
          id="f-auth"
          value={s.auth}
          onChange={(e) => set({ auth: e.target.value as FormState['auth'] })}
        >
          <option value="agent">ssh-agent</option>
          <option value="key">private key file</option>
          <option value="password">password</option>
        </select>
      </div>
      {s.auth === 'key' && (
        <Field
          label="Key path"
          name="keyPath"
          errors={errors}
          hint="on this workstation, e.g. ~/.ssh/id_ed25519"
        >
          <input
            {...field('keyPath')}
            value={s.keyPath}
            spellCheck={false}
            onChange={(e) => set({ keyPath: e.target.value })}
          />
        </Field>
      )}
      <span className="label-cell">Proxy jump</span>
      <div>
        {s.proxyJump.length === 0 && (
          <div className="hint">Direct connection. Add hops to go through bastion hosts.</div>
        )}
        <ol className="hops">
          {s.proxyJump.map((hop, i) => (
            <li key={i}>
              <input
                {...field(`proxyJump.${i}`)}
                aria-label={`Hop ${i + 1}`}
                placeholder="user@bastion:22"
                value={hop}
                spellCheck={false}
                onChange={(e) =>
                  set({ proxyJump: s.proxyJump.map((h, j) => (j === i ? e.target.value : h)) })
                }
              />
              <button
                type="button"
                aria-label={`Remove hop ${i + 1}`}
                onClick={() => set({ proxyJump: s.proxyJump.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
              {errors[`proxyJump.${i}`] && (
                <div className="field-error">{errors[`proxyJump.${i}`]}</div>
              )}
            </li>
          ))}
        </ol>
        {errors.proxyJump && <div className="field-error">{errors.proxyJump}</div>}
        <button
          type="button"
          onClick={() => set({ proxyJump: [...s.proxyJump, ''] })}
          disabled={s.proxyJump.length >= 8}
        >
          Add hop
        </button>
      </div>
      <span className="label-cell">Legacy algorithms</span>
      <details
        className="legacy"
        open={legacyOpen}
        onToggle={(e) => setLegacyOpen(e.currentTarget.open)}
      >
        <summary>Allow old algorithms for this host only</summary>
        <p className="warning-text">
          <span aria-hidden="true">! </span>
          Only for old servers that offer nothing newer (the connection error lists what the server
          offers). These algorithms are weak: they are allowed for this one host, never globally.
          Upgrade the server&apos;s SSH when you can.
        </p>
        <div className="grid-form inner">
          {(
            [
              ['kex', 'Key exchange', 'diffie-hellman-group14-sha1'],
              ['serverHostKey', 'Host key', 'ssh-rsa'],
              ['cipher', 'Cipher', 'aes128-cbc'],
              ['hmac', 'MAC', 'hmac-sha1'],
            ] as const
          ).map(([k, label, example]) => (
            <Field key={k} label={label} name={`legacy-${k}`} errors={errors}>
              <input
                id={`f-legacy-${k}`}
                value={s.legacy[k]}
                placeholder={`e.g. ${example}`}
                spellCheck={false}
                onChange={(e) => set({ legacy: { ...s.legacy, [k]: e.target.value } })}
              />
            </Field>
          ))}
        </div>
        {errors.legacy && <div className="field-error">{errors.legacy}</div>}
      </details>
    </fieldset>
  );
}

function ViaSelect({
  s,
  set,
  sshTargets,
}: PartProps & { sshTargets: Target[] }): React.ReactElement {
  return (
    <>
      <label htmlFor="f-via">Reach through</label>
      <div>
        <select
          id="f-via"
          value={s.viaTargetId}
          onChange={(e) => set({ viaTargetId: e.target.value })}
        >
          <option value="">direct connection</option>
          {sshTargets.map((t) => (
            <option key={t.id} value={t.id}>
              SSH host {t.name}
            </option>
          ))}
        </select>
        <div className="hint">
          {s.viaTargetId
            ? 'Host and port are resolved on the SSH host (e.g. 127.0.0.1).'
            : 'Connects from this workstation.'}
        </div>
      </div>
    </>
  );
}

function PostgresFields(props: PartProps & { sshTargets: Target[] }): React.ReactElement {
  const { s, set, errors, field } = props;
  return (
    <fieldset className="grid-form">
      <legend>PostgreSQL</legend>
      <Address {...props} />
      <Field label="Database" name="database" errors={errors}>
        <input
          {...field('database')}
          value={s.database}
          spellCheck={false}
          onChange={(e) => set({ database: e.target.value })}
        />
      </Field>
      <Field label="User" name="user" errors={errors}>
        <input
          {...field('user')}
          value={s.user}
          spellCheck={false}
          onChange={(e) => set({ user: e.target.value })}
        />
      </Field>
      <label htmlFor="f-sslmode">SSL mode</label>
      <div>
        <select
          id="f-sslmode"
          value={s.sslmode}
          onChange={(e) => set({ sslmode: e.target.value as SslMode })}
        >
          <option value="disable">disable</option>
          <option value="prefer">prefer</option>
          <option value="require">require</option>
          <option value="verify-full">verify-full</option>
        </select>
      </div>
      <ViaSelect {...props} />
    </fieldset>
  );
}

function RedisFields(props: PartProps & { sshTargets: Target[] }): React.ReactElement {
  const { s, set, errors, field } = props;
  return (
    <fieldset className="grid-form">
      <legend>Redis</legend>
      <Address {...props} />
      <label htmlFor="f-tls">TLS</label>
      <div>
        <input
          id="f-tls"
          type="checkbox"
          checked={s.tls}
          onChange={(e) => set({ tls: e.target.checked })}
        />{' '}
        <span className="hint">rediss://</span>
      </div>
      <Field label="Username" name="username" errors={errors} hint="empty: the default user">
        <input
          {...field('username')}
          value={s.username}
          spellCheck={false}
          onChange={(e) => set({ username: e.target.value })}
        />
      </Field>
      <Field label="Database number" name="db" errors={errors}>
        <input
          {...field('db')}
          inputMode="numeric"
          className="short"
          value={s.db}
          onChange={(e) => set({ db: e.target.value })}
        />
      </Field>
      <ViaSelect {...props} />
    </fieldset>
  );
}

/** Never shows what is stored: only that something is, and replace/remove. */
function SecretField({ s, set, errors, field }: PartProps): React.ReactElement {
  const label = secretLabel(s);
  const input = (
    <input
      {...field('secret')}
      type="password"
      autoComplete="new-password"
      value={s.secret}
      aria-label={label}
      onChange={(e) => set({ secret: e.target.value })}
    />
  );
  return (
    <fieldset className="grid-form">
      <legend>Secret</legend>
      <span className="label-cell">{label}</span>
      <div>
        {s.secretMode === 'none' && (
          <>
            {input}
            <div className="hint">
              {s.kind === 'postgres' ? 'Optional: ~/.pgpass is honoured. ' : 'Optional. '}
              Stored encrypted; never shown again.
            </div>
          </>
        )}
        {s.secretMode === 'keep' && (
          <div className="secret-stored">
            <span>A secret is stored.</span>{' '}
            <button type="button" onClick={() => set({ secretMode: 'replace', secret: '' })}>
              Replace
            </button>{' '}
            <button type="button" onClick={() => set({ secretMode: 'remove', secret: '' })}>
              Remove
            </button>
          </div>
        )}
        {s.secretMode === 'replace' && (
          <>
            {input}{' '}
            <button type="button" onClick={() => set({ secretMode: 'keep', secret: '' })}>
              Keep stored
            </button>
            <div className="hint">The new secret replaces the stored one when you save.</div>
          </>
        )}
        {s.secretMode === 'remove' && (
          <div className="secret-stored">
            <span>The stored secret will be removed when you save.</span>{' '}
            <button type="button" onClick={() => set({ secretMode: 'keep' })}>
              Undo
            </button>
          </div>
        )}
        {errors.secret && (
          <div className="field-error" id="e-secret">
            {errors.secret}
          </div>
        )}
      </div>
    </fieldset>
  );
}
