// Loads and saves the escalation matrix and the runbook settings for the Settings page.
import { errorText } from '../client';
import { EscalationSettings } from '../components/EscalationSettings';
import { runbooksUnavailable } from '../components/RunbookBits';
import { useClient, useLoad, useNow } from '../hooks';

export function EscalationSettingsContainer(): React.ReactElement {
  const client = useClient();
  const now = useNow(30_000);
  const matrix = useLoad('escalation', () => client.getEscalation({}));
  const settings = useLoad('runbookSettings', () => client.getRunbookSettings({}));
  // Without the channels the matrix can still be edited; notices then have nowhere to go.
  const channels = useLoad('listChannels', () => client.listChannels({}));
  const err = matrix.error ?? settings.error;
  const problem = err
    ? (runbooksUnavailable(err) ?? `Could not load the escalation settings: ${errorText(err)}`)
    : null;
  return (
    <EscalationSettings
      matrix={matrix.data}
      settings={settings.data}
      channels={channels.data ?? []}
      problem={problem}
      now={now}
      onSaveMatrix={async (m) => {
        await client.saveEscalation(m);
        matrix.reload();
      }}
      onSaveSettings={async (s) => {
        await client.saveRunbookSettings(s);
        settings.reload();
      }}
    />
  );
}
