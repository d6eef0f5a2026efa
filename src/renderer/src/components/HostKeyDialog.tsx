// The operator's decision on a host key: accept a new one after comparing the fingerprint,
// or read why a changed one is refused. A changed key has no accept button.
import { useState } from 'react';
import type { HostKeyPrompt } from '../../../shared/types';
import { errorText } from '../client';
import { Dialog } from './Dialog';

export interface HostKeyDialogProps {
  prompt: HostKeyPrompt;
  targetName: string;
  onAccept: () => Promise<void>;
  onClose: () => void;
}

export function HostKeyDialog(props: HostKeyDialogProps): React.ReactElement {
  return props.prompt.knownFingerprint ? <ChangedKey {...props} /> : <NewKey {...props} />;
}

function KeyFacts({ prompt }: { prompt: HostKeyPrompt }): React.ReactElement {
  return (
    <dl className="facts">
      <dt>Host</dt>
      <dd className="mono">{prompt.host}</dd>
      <dt>Port</dt>
      <dd className="mono">{prompt.port}</dd>
      <dt>Key type</dt>
      <dd className="mono">{prompt.keyType}</dd>
    </dl>
  );
}

function NewKey({ prompt, targetName, onAccept, onClose }: HostKeyDialogProps): React.ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function accept(): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onAccept();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Unknown host key for ${targetName}`}
      onClose={onClose}
      onSubmit={() => void accept()}
      actions={
        <>
          <button type="button" onClick={onClose} disabled={busy}>
            Reject
          </button>
          <button type="submit" className="primary" disabled={busy} data-autofocus>
            {busy ? 'Accepting…' : 'Accept and connect'}
          </button>
        </>
      }
    >
      <p>
        Opsdeck has never connected to this host before. Compare the fingerprint below with the one
        the server&apos;s administrator reports (on the server:{' '}
        <code>ssh-keygen -lf /etc/ssh/ssh_host_{keyFile(prompt.keyType)}_key.pub</code>). Accept
        only if they match.
      </p>
      <KeyFacts prompt={prompt} />
      <p className="label">SHA-256 fingerprint</p>
      <pre className="fingerprint" tabIndex={0}>
        {prompt.fingerprint}
      </pre>
      <p className="muted">Reject leaves the target unconnected; nothing is stored.</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function ChangedKey({ prompt, targetName, onClose }: HostKeyDialogProps): React.ReactElement {
  return (
    <Dialog
      title={`HOST KEY CHANGED for ${targetName}: connection refused`}
      tone="danger"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose} data-autofocus>
          Close
        </button>
      }
    >
      <p className="danger-text" role="alert">
        The host presented a different key from the one accepted before. Someone may be intercepting
        the connection, or the server was reinstalled or its keys regenerated. Opsdeck refuses to
        connect.
      </p>
      <KeyFacts prompt={prompt} />
      <p className="label">Key accepted before</p>
      <pre className="fingerprint" tabIndex={0}>
        {prompt.knownFingerprint}
      </pre>
      <p className="label">Key presented now</p>
      <pre className="fingerprint fingerprint-new" tabIndex={0}>
        {prompt.fingerprint}
      </pre>
      <p>
        What to do: verify the new key with the server&apos;s administrator over another channel. If
        the change is expected, remove the old entry for{' '}
        <code>{prompt.port === 22 ? prompt.host : `[${prompt.host}]:${prompt.port}`}</code> from
        Opsdeck&apos;s own known_hosts file (in its data folder, see Settings), then test the
        connection again and accept the new key.
      </p>
    </Dialog>
  );
}

function keyFile(keyType: string): string {
  if (keyType.includes('ed25519')) return 'ed25519';
  if (keyType.includes('ecdsa')) return 'ecdsa';
  if (keyType.includes('rsa')) return 'rsa';
  return '*';
}
