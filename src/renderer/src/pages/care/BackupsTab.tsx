// Backups of a PostgreSQL target: take one (pg_dump, custom format), the list with size,
// duration, checksum and verification, verify by a real test restore (measured RTO), the
// retention policy and the recovery objectives in words and colour.
import { useEffect, useState } from 'react';
import type {
  Backup,
  BackupMode,
  ObjectiveStatus,
  RetentionPolicy,
  Verification,
} from '../../../../shared/care';
import {
  rpoWords,
  rtoWords,
  verdictOf,
  verificationWords,
  type ObjectiveWords,
} from '../../care/logic';
import { ToneWord } from '../../components/CareBits';
import { formatBytes, formatCount, formatDuration, formatWhen } from '../../format';

export interface BackupsTabProps {
  targetName: string;
  backups: Backup[] | undefined;
  policy: RetentionPolicy | null | undefined;
  objective: ObjectiveStatus | null;
  /** Other PostgreSQL targets that may take a test restore, id → name. */
  restoreTargets: { id: string; name: string }[];
  now: number;
  busy: string | null;
  onTake: (mode: BackupMode, folder: string) => void;
  onVerify: (backup: Backup, restoreTargetId: string) => void;
  onSavePolicy: (p: Omit<RetentionPolicy, 'targetId'>) => void;
  onRetention: () => void;
}

export function BackupsTab(props: BackupsTabProps): React.ReactElement {
  const [mode, setMode] = useState<BackupMode>('local');
  const [folder, setFolder] = useState('');
  const [restoreTo, setRestoreTo] = useState(props.restoreTargets[0]?.id ?? '');
  const needsFolder = mode === 'host' && folder.trim() === '';
  return (
    <>
      <Objectives objective={props.objective} />
      <form
        className="panel care-form"
        aria-label="Take a backup"
        onSubmit={(e) => {
          e.preventDefault();
          if (!needsFolder) props.onTake(mode, folder.trim());
        }}
      >
        <header className="panel-head">
          <h3>Take a backup</h3>
          <span className="muted small">
            pg_dump in custom format; its version is checked first
          </span>
        </header>
        <div className="care-form-row">
          <label>
            <span>Where</span>
            <select value={mode} onChange={(e) => setMode(e.target.value as BackupMode)}>
              <option value="local">this workstation, through the tunnel</option>
              <option value="host">on the database host, over SSH</option>
            </select>
          </label>
          <label>
            <span>Folder{mode === 'local' ? ' (empty: the data folder)' : ' on the host'}</span>
            <input
              className="mono"
              value={folder}
              placeholder={mode === 'host' ? '/var/backups/postgresql' : 'default'}
              onChange={(e) => setFolder(e.target.value)}
              aria-invalid={needsFolder && folder !== '' ? true : undefined}
            />
          </label>
          <button type="submit" className="primary" disabled={needsFolder || props.busy !== null}>
            {props.busy === 'take' ? 'Checking…' : 'Take backup…'}
          </button>
        </div>
        {needsFolder && <p className="muted small">A backup on the host needs a folder there.</p>}
      </form>
      <section className="panel" aria-label="Backups">
        <header className="panel-head">
          <h3>
            Backups {props.backups && <span className="muted">({props.backups.length})</span>}
          </h3>
          {props.restoreTargets.length > 1 && (
            <label className="inline">
              <span>Test restore on</span>
              <select value={restoreTo} onChange={(e) => setRestoreTo(e.target.value)}>
                {props.restoreTargets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </header>
        {!props.backups || props.backups.length === 0 ? (
          <p className="muted">{props.backups ? 'No backup of this target yet.' : '—'}</p>
        ) : (
          <BackupTable
            backups={props.backups}
            now={props.now}
            busy={props.busy}
            onVerify={(b) => props.onVerify(b, restoreTo || b.targetId)}
          />
        )}
      </section>
      <PolicyForm
        policy={props.policy}
        busy={props.busy}
        onSave={props.onSavePolicy}
        onRetention={props.onRetention}
      />
    </>
  );
}

function Objectives({ objective }: { objective: ObjectiveStatus | null }): React.ReactElement {
  if (!objective) {
    return (
      <p className="muted">
        Recovery objectives: none set yet. Set RPO and RTO in the retention policy below.
      </p>
    );
  }
  const rpo = rpoWords(objective);
  const rto = rtoWords(objective);
  return (
    <div className="tiles objectives" aria-label="Recovery objectives">
      <ObjectiveTile label="RPO" words={rpo} />
      <ObjectiveTile label="RTO" words={rto} />
    </div>
  );
}

function ObjectiveTile(props: { label: string; words: ObjectiveWords }) {
  const cls =
    props.words.tone === 'bad' ? ' tone-bad' : props.words.tone === 'ok' ? ' tone-ok' : '';
  return (
    <div className={`figure${cls}`}>
      <div className="figure-label">{props.label}</div>
      <div className="figure-value">
        <ToneWord tone={props.words.tone}>
          {verdictOf(props.words).replace(/^(RPO|RTO) /, '')}
        </ToneWord>
      </div>
      <div className="figure-detail">{props.words.text}</div>
    </div>
  );
}

function BackupTable(props: {
  backups: Backup[];
  now: number;
  busy: string | null;
  onVerify: (b: Backup) => void;
}): React.ReactElement {
  return (
    <div className="table-scroll">
      <table className="data backups">
        <thead>
          <tr>
            <th scope="col">Taken</th>
            <th scope="col">Where</th>
            <th scope="col">Status</th>
            <th scope="col">Size</th>
            <th scope="col">Took</th>
            <th scope="col">SHA-256</th>
            <th scope="col">Entries</th>
            <th scope="col">Verification</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.backups.map((b) => {
            const v = verificationWords(b.verification);
            const verifying = props.busy === `verify:${b.id}`;
            return (
              <tr key={b.id} aria-label={`Backup ${formatWhen(b.startedAt, props.now)}`}>
                <td className="nowrap">{formatWhen(b.startedAt, props.now)}</td>
                <td>
                  {b.mode === 'host' ? 'host' : 'workstation'}
                  <div className="mono small clip-line backup-file" title={b.path}>
                    {b.path.split('/').pop()}
                  </div>
                </td>
                <td>
                  <ToneWord
                    tone={
                      b.status === 'succeeded' ? 'ok' : b.status === 'failed' ? 'bad' : 'unknown'
                    }
                  >
                    {b.deletedAt ? 'deleted by retention' : b.status}
                  </ToneWord>
                  {b.error && <div className="small danger-text">{b.error}</div>}
                </td>
                <td className="num">{formatBytes(b.sizeBytes)}</td>
                <td className="num">
                  {b.durationMs === null ? '—' : formatDuration(b.durationMs / 1000)}
                </td>
                <td className="mono small" title={b.sha256 ?? undefined}>
                  {b.sha256 ? `${b.sha256.slice(0, 12)}…` : '—'}
                </td>
                <td className="num">{formatCount(b.tocEntries)}</td>
                <td>
                  <ToneWord tone={v.tone}>
                    {v.tone === 'ok' ? 'verified' : v.tone === 'bad' ? 'failed' : 'not verified'}
                  </ToneWord>
                  {v.tone !== 'unknown' && (
                    <div className="small">{v.text.replace(/^verified, /, '')}</div>
                  )}
                  {b.verification && <VerificationDetails v={b.verification} now={props.now} />}
                </td>
                <td>
                  {b.status === 'succeeded' && !b.deletedAt && (
                    <button
                      type="button"
                      onClick={() => props.onVerify(b)}
                      disabled={props.busy !== null}
                    >
                      {verifying ? 'Verifying…' : 'Verify…'}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function check(ok: boolean | null): string {
  return ok === null ? 'not checked' : ok ? 'ok' : 'FAILED';
}

function VerificationDetails({ v, now }: { v: Verification; now: number }): React.ReactElement {
  const bad = v.tables.filter((t) => !t.ok);
  return (
    <details className="small">
      <summary>
        {formatWhen(v.t, now)} · {v.tables.length} table{v.tables.length === 1 ? '' : 's'} compared
        {bad.length ? `, ${bad.length} differ` : ''}
      </summary>
      <dl className="facts">
        <dt>Checksum</dt>
        <dd>{check(v.checksumOk)}</dd>
        <dt>Archive lists</dt>
        <dd>{check(v.listOk)}</dd>
        <dt>Test restore</dt>
        <dd>
          {check(v.restoreOk)}
          {v.scratchDatabase && (
            <>
              {' '}
              into <span className="mono">{v.scratchDatabase}</span> (dropped)
            </>
          )}
        </dd>
        <dt>Measured RTO</dt>
        <dd>{v.restoreMs === null ? '—' : formatDuration(v.restoreMs / 1000)}</dd>
      </dl>
      {v.tables.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Expected</th>
              <th scope="col">Restored</th>
              <th scope="col">Match</th>
            </tr>
          </thead>
          <tbody>
            {v.tables.map((t) => (
              <tr key={`${t.schema}.${t.name}`}>
                <td className="mono">
                  {t.schema}.{t.name}
                </td>
                <td className="num">{formatCount(t.expected)}</td>
                <td className="num">{formatCount(t.restored)}</td>
                <td>{t.ok ? '✓ yes' : '✕ no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

const DEFAULT_POLICY = { keepLast: 7, dailyDays: 7, weeklyWeeks: 4, rpoHours: 24, rtoHours: 4 };

function PolicyForm(props: {
  policy: RetentionPolicy | null | undefined;
  busy: string | null;
  onSave: (p: Omit<RetentionPolicy, 'targetId'>) => void;
  onRetention: () => void;
}): React.ReactElement {
  const [form, setForm] = useState(() => toForm(props.policy));
  useEffect(() => setForm(toForm(props.policy)), [props.policy]);
  const fields: [keyof typeof DEFAULT_POLICY, string, string][] = [
    ['keepLast', 'Keep the last', 'backups'],
    ['dailyDays', 'Keep one a day for', 'days'],
    ['weeklyWeeks', 'Keep one a week for', 'weeks'],
    ['rpoHours', 'RPO', 'hours'],
    ['rtoHours', 'RTO', 'hours'],
  ];
  const parsed = Object.fromEntries(fields.map(([k]) => [k, Number(form[k])])) as Record<
    keyof typeof DEFAULT_POLICY,
    number
  >;
  const valid = fields.every(([k]) => form[k].trim() !== '' && Number.isFinite(parsed[k]));
  return (
    <form
      className="panel care-form"
      aria-label="Retention and objectives"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) props.onSave(parsed);
      }}
    >
      <header className="panel-head">
        <h3>Retention and recovery objectives</h3>
        {props.policy === null && <span className="muted small">not set yet</span>}
      </header>
      <div className="care-form-row">
        {fields.map(([k, label, unit]) => (
          <label key={k}>
            <span>
              {label} ({unit})
            </span>
            <input
              className="short"
              inputMode="decimal"
              value={form[k]}
              onChange={(e) => setForm({ ...form, [k]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit" disabled={!valid || props.busy !== null}>
          Save policy
        </button>
        <button
          type="button"
          className="danger-outline"
          disabled={!props.policy || props.busy !== null}
          onClick={props.onRetention}
        >
          Apply retention now…
        </button>
      </div>
      <p className="muted small">
        Expired backups are removed only after a newer verified backup exists.
      </p>
    </form>
  );
}

function toForm(
  p: RetentionPolicy | null | undefined,
): Record<keyof typeof DEFAULT_POLICY, string> {
  const v = p ?? DEFAULT_POLICY;
  return {
    keepLast: String(v.keepLast),
    dailyDays: String(v.dailyDays),
    weeklyWeeks: String(v.weeklyWeeks),
    rpoHours: String(v.rpoHours),
    rtoHours: String(v.rtoHours),
  };
}
