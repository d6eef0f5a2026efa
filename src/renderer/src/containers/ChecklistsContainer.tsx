// Loads the checklists, their runs and the folder setting; starts a run and opens it.
import { useState } from 'react';
import { errorText } from '../client';
import { useClient, useLoad, useNow } from '../hooks';
import { ChecklistsPage } from '../pages/ChecklistsPage';
import { navigate } from '../router';

export function ChecklistsContainer(): React.ReactElement {
  const client = useClient();
  const now = useNow(30_000);
  const library = useLoad('checklists:library', () => client.listChecklists({}));
  const runs = useLoad('checklists:runs', () => client.listChecklistRuns({ limit: 100 }));
  const settings = useLoad('checklists:settings', () => client.getChecklistSettings({}));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function act(what: string, fn: () => Promise<void>): Promise<void> {
    setBusy(true);
    setFailure(null);
    try {
      await fn();
    } catch (err) {
      setFailure(`${what}: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  }

  const loadErr = library.error ?? runs.error;
  return (
    <ChecklistsPage
      library={library.data}
      runs={runs.data}
      settings={settings.data}
      busy={busy}
      now={now}
      error={failure ?? (loadErr ? `Could not load the checklists: ${errorText(loadErr)}` : null)}
      onStart={(checklistId) =>
        void act('Could not start the run', async () => {
          const run = await client.startChecklistRun({ checklistId });
          navigate({ page: 'checklist-run', id: run.id });
        })
      }
      onSaveFolder={(folder) =>
        void act('Could not save the folder', async () => {
          await client.saveChecklistSettings({ folder });
          settings.reload();
          library.reload();
        })
      }
      onRefresh={() => {
        library.reload();
        runs.reload();
      }}
    />
  );
}
