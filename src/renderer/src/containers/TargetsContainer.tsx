// Inventory actions: save, test, enable/disable, delete, import, host key decisions.
import { useState } from 'react';
import type { HostKeyPrompt, SshConfigCandidate, Target } from '../../../shared/types';
import { errorText } from '../client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { HostKeyDialog } from '../components/HostKeyDialog';
import { ImportDialog } from '../components/ImportDialog';
import type { TestState } from '../components/TestOutcome';
import { targetAddress } from '../describe';
import { KIND_WORD } from '../figures';
import { useClient } from '../hooks';
import { useInventory } from '../inventory';
import { TargetForm } from '../pages/TargetForm';
import { TargetsPage } from '../pages/TargetsPage';
import { navigate } from '../router';
import type { SaveInput } from '../targetForm';

interface ImportState {
  candidates: SshConfigCandidate[] | null;
  error: string | null;
  busy: boolean;
  results: Map<string, string | null>;
}

/** What saveTarget needs to store a target again unchanged except `patch`. */
function resaveInput(t: Target, patch: Partial<SaveInput>): SaveInput {
  return {
    id: t.id,
    name: t.name,
    group: t.group,
    intervalMs: t.intervalMs,
    enabled: t.enabled,
    config: t.config,
    ...patch,
  };
}

export function TargetsContainer({ edit }: { edit: string | null }): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const [tests, setTests] = useState(new Map<string, TestState>());
  const [busyIds, setBusyIds] = useState(new Set<string>());
  const [actionError, setActionError] = useState<string | null>(null);
  const [formBusy, setFormBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Target | null>(null);
  const [prompt, setPrompt] = useState<HostKeyPrompt | null>(null);
  const [imp, setImp] = useState<ImportState | null>(null);
  const targets = inv.targets;
  const nameOf = (id: string): string => targets?.find((t) => t.id === id)?.name ?? id;
  const editing = edit && edit !== 'new' ? targets?.find((t) => t.id === edit) : undefined;

  const setTest = (id: string, s: TestState): void => setTests((m) => new Map(m).set(id, s));
  const setBusy = (id: string, on: boolean): void =>
    setBusyIds((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  async function test(id: string): Promise<void> {
    setTest(id, { busy: true, result: null, error: null });
    try {
      const result = await client.testTarget({ id });
      setTest(id, { busy: false, result, error: null });
      if (result.hostKey) setPrompt(result.hostKey);
      inv.reload();
    } catch (err) {
      setTest(id, { busy: false, result: null, error: errorText(err) });
    }
  }

  async function save(input: SaveInput, thenTest: boolean): Promise<void> {
    setFormBusy(true);
    setFormError(null);
    try {
      const saved = await client.saveTarget(input);
      inv.reload();
      navigate({ page: 'targets', edit: null }, true);
      if (thenTest) await test(saved.id);
    } catch (err) {
      setFormError(`Could not save ${input.name || 'the target'}: ${errorText(err)}`);
    } finally {
      setFormBusy(false);
    }
  }

  async function toggle(t: Target): Promise<void> {
    setBusy(t.id, true);
    setActionError(null);
    try {
      await client.saveTarget(resaveInput(t, { enabled: !t.enabled }));
      inv.reload();
    } catch (err) {
      setActionError(`Could not ${t.enabled ? 'disable' : 'enable'} ${t.name}: ${errorText(err)}`);
    } finally {
      setBusy(t.id, false);
    }
  }

  async function remove(t: Target): Promise<void> {
    setBusy(t.id, true);
    setActionError(null);
    try {
      await client.deleteTarget({ id: t.id });
      setDeleting(null);
      inv.reload();
    } catch (err) {
      setDeleting(null);
      setActionError(`Could not delete ${t.name}: ${errorText(err)}`);
    } finally {
      setBusy(t.id, false);
    }
  }

  async function accept(p: HostKeyPrompt): Promise<void> {
    const result = await client.acceptHostKey({ targetId: p.targetId, fingerprint: p.fingerprint });
    setPrompt(null);
    setTest(p.targetId, { busy: false, result, error: null });
    inv.reload();
  }

  async function openImport(): Promise<void> {
    setImp({ candidates: null, error: null, busy: false, results: new Map() });
    try {
      const candidates = await client.importSshConfig({});
      setImp((s) => s && { ...s, candidates });
    } catch (err) {
      setImp((s) => s && { ...s, error: `Could not read ~/.ssh/config: ${errorText(err)}` });
    }
  }

  async function runImport(chosen: SshConfigCandidate[], group: string): Promise<void> {
    setImp((s) => s && { ...s, busy: true });
    const results = new Map<string, string | null>();
    for (const c of chosen) {
      try {
        await client.saveTarget({
          name: c.alias,
          group,
          enabled: true,
          config: {
            kind: 'ssh',
            host: c.host,
            port: c.port,
            user: c.user,
            auth: c.keyPath ? 'key' : 'agent',
            ...(c.keyPath ? { keyPath: c.keyPath } : {}),
            ...(c.proxyJump?.length ? { proxyJump: c.proxyJump } : {}),
          },
        });
        results.set(c.alias, null);
      } catch (err) {
        results.set(c.alias, errorText(err));
      }
      setImp((s) => s && { ...s, results: new Map(results) });
    }
    setImp((s) => s && { ...s, busy: false });
    inv.reload();
  }

  const showForm = edit === 'new' || editing !== undefined;
  const form = showForm ? (
    <TargetForm
      key={edit ?? ''}
      target={editing ?? null}
      sshTargets={(targets ?? []).filter((t) => t.config.kind === 'ssh')}
      busy={formBusy}
      error={formError}
      onSave={(input, thenTest) => void save(input, thenTest)}
      onCancel={() => {
        setFormError(null);
        navigate({ page: 'targets', edit: null });
      }}
    />
  ) : edit && targets ? (
    <p className="error" role="alert">
      There is no target with id <code>{edit}</code> to edit.{' '}
      <a href="#/targets">Back to the list</a>.
    </p>
  ) : null;

  return (
    <>
      <TargetsPage
        targets={targets}
        statuses={inv.statuses}
        loadError={inv.error ? errorText(inv.error) : null}
        tests={tests}
        busyIds={busyIds}
        actionError={actionError}
        onAdd={() => navigate({ page: 'targets', edit: 'new' })}
        onImport={() => void openImport()}
        onTest={(t) => void test(t.id)}
        onToggle={(t) => void toggle(t)}
        onDelete={setDeleting}
        onReviewKey={setPrompt}
        form={form}
      />
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete target"
          busy={busyIds.has(deleting.id)}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            {KIND_WORD[deleting.config.kind]} <code>{targetAddress(deleting, nameOf)}</code>
          </p>
          <p>
            Opsdeck stops collecting from this target and removes it and its stored secret. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      )}
      {prompt && (
        <HostKeyDialog
          prompt={prompt}
          targetName={nameOf(prompt.targetId)}
          onAccept={() => accept(prompt)}
          onClose={() => setPrompt(null)}
        />
      )}
      {imp && (
        <ImportDialog
          candidates={imp.candidates}
          loadError={imp.error}
          existing={targets ?? []}
          busy={imp.busy}
          results={imp.results}
          onImport={(chosen, group) => void runImport(chosen, group)}
          onClose={() => setImp(null)}
        />
      )}
    </>
  );
}
