// Loads channels, deliveries, silences and rules; carries out their changes and asks for the
// browser's notification permission when the operator presses the button.
import { useState } from 'react';
import { browserNotificationsPossible, isUnavailable } from '../alerts-live';
import { errorText } from '../client';
import { useClient, useEvent, useLoad, useNow, useThrottled } from '../hooks';
import { useInventory } from '../inventory';
import { NotificationsPage, type DesktopPermission } from '../pages/NotificationsPage';

function currentPermission(): DesktopPermission {
  if (window.opsdeck !== undefined) return 'electron';
  if (!browserNotificationsPossible()) return 'unsupported';
  return Notification.permission;
}

export function NotificationsContainer(): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const now = useNow(30_000);
  const channels = useLoad('listChannels', () => client.listChannels({}));
  const deliveries = useLoad('listDeliveries', () => client.listDeliveries({ limit: 50 }));
  const silences = useLoad('listSilences', () => client.listSilences({}));
  const rules = useLoad('listRules', () => client.listRules({}));
  const [desktop, setDesktop] = useState<DesktopPermission>(currentPermission);
  const refetchDeliveries = useThrottled(deliveries.reload, 5000);
  useEvent('alert', refetchDeliveries);

  const failed = [channels, deliveries, silences, rules].map((l) => l.error).find(Boolean) ?? null;
  const unavailable = failed && isUnavailable(failed) ? failed.message : null;

  return (
    <NotificationsPage
      channels={channels.data}
      deliveries={deliveries.data}
      silences={silences.data}
      unavailable={unavailable}
      error={failed && !unavailable ? `Could not load everything: ${errorText(failed)}` : null}
      now={now}
      nameOf={(id) => inv.targets?.find((t) => t.id === id)?.name ?? id}
      ruleName={(id) => rules.data?.find((r) => r.id === id)?.name ?? id}
      targets={(inv.targets ?? []).map((t) => ({ id: t.id, name: t.name }))}
      rules={(rules.data ?? []).map((r) => ({ id: r.id, name: r.name }))}
      desktop={desktop}
      onEnableDesktop={() => {
        // Asked only here, after the operator pressed the button (a user gesture).
        void Notification.requestPermission().then(() => setDesktop(currentPermission()));
      }}
      onSaveChannel={async (c) => {
        await client.saveChannel(c);
        channels.reload();
      }}
      onDeleteChannel={async (c) => {
        await client.deleteChannel({ id: c.id });
        channels.reload();
      }}
      onTestChannel={async (c) => {
        const d = await client.testChannel({ id: c.id });
        deliveries.reload();
        return d;
      }}
      onSaveSilence={async (s) => {
        await client.saveSilence(s);
        silences.reload();
      }}
      onDeleteSilence={async (s) => {
        await client.deleteSilence({ id: s.id });
        silences.reload();
      }}
    />
  );
}
