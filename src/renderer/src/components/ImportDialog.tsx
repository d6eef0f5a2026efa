// Hosts from ~/.ssh/config, with checkboxes; the chosen ones become SSH targets.
import { useState } from 'react';
import type { SshConfigCandidate, Target } from '../../../shared/types';
import { Dialog } from './Dialog';

export interface ImportDialogProps {
  candidates: SshConfigCandidate[] | null;
  loadError: string | null;
  existing: Target[];
  busy: boolean;
  results: Map<string, string | null>;
  onImport: (chosen: SshConfigCandidate[], group: string) => void;
  onClose: () => void;
}

export function alreadyAdded(c: SshConfigCandidate, existing: Target[]): boolean {
  return existing.some(
    (t) =>
      t.config.kind === 'ssh' &&
      t.config.host === c.host &&
      t.config.port === c.port &&
      t.config.user === c.user,
  );
}

export function ImportDialog(props: ImportDialogProps): React.ReactElement {
  const { candidates, existing } = props;
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [group, setGroup] = useState('');
  const fresh = (candidates ?? []).filter((c) => !alreadyAdded(c, existing));
  const done = props.results.size > 0 && !props.busy;

  function toggle(alias: string, on: boolean): void {
    const next = new Set(chosen);
    if (on) next.add(alias);
    else next.delete(alias);
    setChosen(next);
  }

  return (
    <Dialog
      title="Import from ~/.ssh/config"
      wide
      onClose={props.onClose}
      onSubmit={() => {
        if (done) props.onClose();
        else if (chosen.size > 0)
          props.onImport(
            fresh.filter((c) => chosen.has(c.alias)),
            group,
          );
      }}
      actions={
        <>
          <button type="button" onClick={props.onClose}>
            {done ? 'Close' : 'Cancel'}
          </button>
          {!done && (
            <button type="submit" className="primary" disabled={chosen.size === 0 || props.busy}>
              {props.busy ? 'Adding…' : `Add ${chosen.size} selected`}
            </button>
          )}
        </>
      }
    >
      {props.loadError && (
        <p className="error" role="alert">
          {props.loadError}
        </p>
      )}
      {candidates === null && !props.loadError && <p className="muted">Reading ~/.ssh/config…</p>}
      {candidates !== null && candidates.length === 0 && (
        <p>No Host entries found in ~/.ssh/config.</p>
      )}
      {candidates !== null && candidates.length > 0 && (
        <>
          <div className="toolbar">
            <button
              type="button"
              onClick={() => setChosen(new Set(fresh.map((c) => c.alias)))}
              disabled={fresh.length === 0}
            >
              Select all new
            </button>
            <button type="button" onClick={() => setChosen(new Set())}>
              Select none
            </button>
            <label className="inline">
              <span>Group for the new targets</span>
              <input value={group} onChange={(e) => setGroup(e.target.value)} />
            </label>
          </div>
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">Add</span>
                  </th>
                  <th scope="col">Alias</th>
                  <th scope="col">Address</th>
                  <th scope="col">Key</th>
                  <th scope="col">Proxy jump</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {candidates.map((c) => {
                  const added = alreadyAdded(c, existing);
                  const result = props.results.get(c.alias);
                  return (
                    <tr key={c.alias}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Add ${c.alias}`}
                          disabled={added || props.busy}
                          checked={chosen.has(c.alias) && !added}
                          onChange={(e) => toggle(c.alias, e.target.checked)}
                        />
                      </td>
                      <td className="mono">{c.alias}</td>
                      <td className="mono">
                        {c.user}@{c.host}:{c.port}
                      </td>
                      <td className="mono">{c.keyPath ?? 'ssh-agent'}</td>
                      <td className="mono">{c.proxyJump?.join(' → ') ?? '—'}</td>
                      <td>
                        {added && result === undefined && (
                          <span className="muted">already added</span>
                        )}
                        {result === null && <span className="health-text-ok">✓ added</span>}
                        {typeof result === 'string' && (
                          <span className="health-text-unreachable">✕ {result}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Dialog>
  );
}
