// The audit log: every command, SQL statement and Redis command Opsdeck ran, newest first,
// and the result of walking its hash chain.
import type { AuditCheck } from '../../../shared/runbooks';
import type { AuditEntry } from '../../../shared/types';
import { RunbookTabs } from '../components/RunbookBits';
import { formatWhen } from '../format';

export interface AuditPageProps {
  entries: AuditEntry[] | undefined;
  error: string | null;
  check: { result: AuditCheck | null; error: string | null; busy: boolean; at: number | null };
  now: number;
  targetName: (id: string) => string;
  onVerify: () => void;
  onRefresh: () => void;
}

export function AuditPage(props: AuditPageProps): React.ReactElement {
  const { check, now } = props;
  return (
    <section className="page">
      <header className="page-head">
        <h1>Audit log</h1>
        <div className="toolbar">
          <button type="button" className="primary" onClick={props.onVerify} disabled={check.busy}>
            {check.busy ? 'Verifying…' : 'Verify the chain'}
          </button>
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
        </div>
      </header>
      <RunbookTabs view="audit" />
      <p className="muted">
        Each entry carries a hash of the one before it, so an edited or removed entry breaks the
        chain from that point on.
      </p>
      {check.result && check.result.ok && (
        <p className="notice notice-ok" role="status">
          <span className="notice-icon" aria-hidden="true">
            ✓
          </span>
          <span>
            <strong>Chain intact:</strong> {check.result.checked} entries checked
            {check.at !== null ? ` at ${formatWhen(check.at, now)}` : ''}.
          </span>
        </p>
      )}
      {check.result && !check.result.ok && (
        <p className="notice notice-bad" role="alert">
          <span className="notice-icon" aria-hidden="true">
            ✕
          </span>
          <span>
            <strong>Chain broken at entry #{check.result.brokenId}:</strong>{' '}
            {check.result.reason.replace(/\.$/, '')}. {check.result.checked} entries checked. The
            log was edited or entries were removed: keep a copy of the data folder and find out who
            had access to it.
          </span>
        </p>
      )}
      {check.error && (
        <p className="error" role="alert">
          The chain could not be verified: {check.error}
        </p>
      )}
      {props.error && (
        <p className="error" role="alert">
          Could not load the audit log: {props.error}
        </p>
      )}
      {props.entries && props.entries.length === 0 && (
        <p className="muted">Nothing recorded yet.</p>
      )}
      {props.entries && props.entries.length > 0 && (
        <div className="table-scroll">
          <table className="data audit">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Target</th>
                <th scope="col">Action</th>
                <th scope="col">Detail (exact text run)</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr
                  key={e.id}
                  className={
                    check.result && !check.result.ok && check.result.brokenId === e.id
                      ? 'row-broken'
                      : undefined
                  }
                >
                  <td className="num">{e.id}</td>
                  <td className="num nowrap">{formatWhen(e.t, now)}</td>
                  <td>{e.operator}</td>
                  <td className="nowrap">{e.targetId ? props.targetName(e.targetId) : '—'}</td>
                  <td className="mono audit-action">{e.action}</td>
                  <td className="mono audit-text">{e.detail}</td>
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
