// The inventory: every target with its status and actions; the form when adding or editing.
import type { HostKeyPrompt, Target, TargetStatus } from '../../../shared/types';
import { HealthBadge } from '../components/Health';
import { TestOutcome, type TestState } from '../components/TestOutcome';
import { targetAddress } from '../describe';
import { KIND_WORD } from '../figures';
import { formatDuration } from '../format';
import { routeHash } from '../router';

export interface TargetsPageProps {
  targets: Target[] | undefined;
  statuses: Map<string, TargetStatus>;
  loadError: string | null;
  tests: Map<string, TestState>;
  busyIds: Set<string>;
  actionError: string | null;
  onAdd: () => void;
  onImport: () => void;
  onTest: (t: Target) => void;
  onToggle: (t: Target) => void;
  onDelete: (t: Target) => void;
  onReviewKey: (p: HostKeyPrompt) => void;
  form: React.ReactNode;
}

export function TargetsPage(props: TargetsPageProps): React.ReactElement {
  const { targets, statuses } = props;
  const nameOf = (id: string): string => targets?.find((t) => t.id === id)?.name ?? id;
  const sorted = [...(targets ?? [])].sort(
    (a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name),
  );
  return (
    <section className="page">
      <header className="page-head">
        <h1>Targets</h1>
        <div className="toolbar">
          <button type="button" className="primary" onClick={props.onAdd}>
            Add target
          </button>
          <button type="button" onClick={props.onImport}>
            Import from ~/.ssh/config
          </button>
        </div>
      </header>
      {props.form}
      {props.loadError && (
        <p className="error" role="alert">
          Could not load the targets: {props.loadError}
        </p>
      )}
      {props.actionError && (
        <p className="error" role="alert">
          {props.actionError}
        </p>
      )}
      {targets && targets.length === 0 && (
        <p className="empty">No targets yet. Add one, or import hosts from your SSH config.</p>
      )}
      {sorted.length > 0 && (
        <table className="data targets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Group</th>
              <th scope="col">Address</th>
              <th scope="col">Status</th>
              <th scope="col">Interval</th>
              <th scope="col">Collect</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((t) => {
              const status = statuses.get(t.id);
              const test = props.tests.get(t.id);
              const busy = props.busyIds.has(t.id);
              return (
                <TargetRows
                  key={t.id}
                  target={t}
                  status={status}
                  test={test}
                  busy={busy}
                  address={targetAddress(t, nameOf)}
                  {...props}
                />
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TargetRows(
  props: {
    target: Target;
    status: TargetStatus | undefined;
    test: TestState | undefined;
    busy: boolean;
    address: string;
  } & TargetsPageProps,
): React.ReactElement {
  const { target: t, status, test, busy } = props;
  return (
    <>
      <tr>
        <th scope="row">
          <a href={routeHash({ page: 'target', id: t.id, range: null })}>{t.name}</a>
          {t.hasSecret && (
            <span className="chip" title="A password or passphrase is stored, encrypted">
              secret stored
            </span>
          )}
        </th>
        <td>{KIND_WORD[t.config.kind]}</td>
        <td>{t.group || <span className="muted">—</span>}</td>
        <td className="mono small">{props.address}</td>
        <td>
          <HealthBadge health={status?.health ?? 'pending'} />
          {status?.hostKey && (
            <button
              type="button"
              className="link-button"
              onClick={() => props.onReviewKey(status.hostKey!)}
            >
              {status.hostKey.knownFingerprint ? 'host key changed' : 'review host key'}
            </button>
          )}
        </td>
        <td className="num">{formatDuration(t.intervalMs / 1000)}</td>
        <td>
          <label className="switch">
            <input
              type="checkbox"
              checked={t.enabled}
              disabled={busy}
              onChange={() => props.onToggle(t)}
              aria-label={`Collect from ${t.name}`}
            />
            <span>{t.enabled ? 'on' : 'off'}</span>
          </label>
        </td>
        <td className="actions">
          <a className="button" href={routeHash({ page: 'targets', edit: t.id })}>
            Edit
          </a>
          <button type="button" disabled={busy || test?.busy} onClick={() => props.onTest(t)}>
            {test?.busy ? 'Testing…' : 'Test'}
          </button>
          <button
            type="button"
            className="danger-outline"
            disabled={busy}
            onClick={() => props.onDelete(t)}
          >
            Delete
          </button>
        </td>
      </tr>
      {test && (test.result || test.error) && (
        <tr className="test-row">
          <td colSpan={8}>
            <TestOutcome test={test} onReview={props.onReviewKey} />
          </td>
        </tr>
      )}
    </>
  );
}
