// Loads one checklist run; ticks, notes, re-checks and finishing go through the contract and
// the answer (the run as stored) replaces what is shown.
import { useEffect, useState } from 'react';
import type { ChecklistRun } from '../../../shared/checklists';
import { errorText } from '../client';
import { useClient, useLoad, useNow } from '../hooks';
import { ChecklistRunPage } from '../pages/ChecklistRunPage';

export function ChecklistRunContainer({ id }: { id: string }): React.ReactElement {
  const client = useClient();
  const now = useNow(15_000);
  const loaded = useLoad(`checklists:run:${id}`, () => client.getChecklistRun({ id }));
  const [run, setRun] = useState<ChecklistRun | undefined>(loaded.data);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => setRun(loaded.data), [loaded.data]);

  async function act(what: string, fn: () => Promise<ChecklistRun>): Promise<void> {
    setBusy(true);
    setFailure(null);
    try {
      setRun(await fn());
    } catch (err) {
      setFailure(`${what}: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <ChecklistRunPage
      run={run}
      busy={busy}
      now={now}
      error={
        failure ?? (loaded.error ? `Could not load the run: ${errorText(loaded.error)}` : null)
      }
      onTick={(itemId, tick) =>
        void act('Could not tick the item', () => client.tickItem({ runId: id, itemId, tick }))
      }
      onNote={(itemId, note) =>
        void act('Could not save the note', () => client.tickItem({ runId: id, itemId, note }))
      }
      onRecheck={() => void act('Could not check again', () => client.refreshChecklistRun({ id }))}
      onFinish={(note) =>
        void act('Could not finish the run', () => client.finishChecklistRun({ id, note }))
      }
    />
  );
}
