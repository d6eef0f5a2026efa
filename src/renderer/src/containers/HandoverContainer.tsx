// Loads the current handover, the history (searched) and a picked handover; carries the
// operator's edits, hand-over and acknowledgement to the backend.
import { useState } from 'react';
import type { Handover } from '../../../shared/handover';
import { errorText } from '../client';
import { saveExport } from '../export';
import { useClient, useLoad, useNow } from '../hooks';
import { HandoverPage, type DraftEdit } from '../pages/HandoverPage';
import { navigate } from '../router';

export function HandoverContainer({ id }: { id: string | null }): React.ReactElement {
  const client = useClient();
  const now = useNow(15_000);
  const [query, setQuery] = useState('');
  const [exportError, setExportError] = useState<string | null>(null);
  const current = useLoad('handover:current', () => client.handoverCurrent({}));
  const history = useLoad(`handover:list:${query}`, () =>
    client.handoverList({ query, limit: 200 }),
  );
  const opened = useLoad(id ? `handover:${id}` : null, () => client.handoverGet({ id: id! }));

  function reloadAll(): void {
    current.reload();
    history.reload();
    opened.reload();
  }

  async function save(hid: string, edit: DraftEdit): Promise<Handover> {
    return client.handoverSave({ id: hid, ...edit });
  }

  const failed = current.error ?? history.error ?? opened.error;
  const error = failed
    ? `Could not load the handovers: ${errorText(failed)}` +
      (current.data ? ' Showing the last answer.' : '')
    : exportError;

  return (
    <HandoverPage
      draft={current.data ? current.data.draft : undefined}
      waiting={current.data ? current.data.waiting : undefined}
      operator={current.data?.operator ?? ''}
      history={history.data}
      opened={id ? (opened.data ?? null) : null}
      query={query}
      error={error}
      stale={current.error !== null && current.data !== undefined}
      now={now}
      onQuery={setQuery}
      onCompose={async (shiftHours) => {
        await client.handoverCompose({ shiftHours });
        reloadAll();
      }}
      onRefresh={async (hid, shiftHours) => {
        await client.handoverCompose({ id: hid, shiftHours });
        reloadAll();
      }}
      onSave={async (hid, edit) => {
        await save(hid, edit);
        reloadAll();
      }}
      onHandOver={async (hid, edit) => {
        await save(hid, edit);
        await client.handoverHandOver({ id: hid });
        reloadAll();
      }}
      onAck={async (hid, by, note) => {
        await client.handoverAck({ id: hid, by, note });
        reloadAll();
        if (id) navigate({ page: 'handover', id: hid }, true);
      }}
      onExport={async (hid, format) => {
        setExportError(null);
        try {
          saveExport(await client.handoverExport({ id: hid, format }));
        } catch (err) {
          setExportError(`Could not export the handover: ${errorText(err)}`);
        }
      }}
    />
  );
}
