// Loads settings and app info; saves settings.
import { useState } from 'react';
import type { Settings } from '../../../shared/types';
import { errorText } from '../client';
import { useClient, useLoad, useNow } from '../hooks';
import { useInventory } from '../inventory';
import { SettingsPage } from '../pages/SettingsPage';
import { EscalationSettingsContainer } from './EscalationSettingsContainer';

export function SettingsContainer(): React.ReactElement {
  const client = useClient();
  const settings = useLoad('settings', () => client.getSettings({}));
  const info = useLoad('appInfo', () => client.appInfo({}));
  const audit = useLoad('auditLog', () => client.auditLog({ limit: 50 }));
  const inv = useInventory();
  const now = useNow(30_000);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ at: number; value: Settings } | null>(null);

  async function save(s: Settings): Promise<void> {
    setSaving(true);
    setSaveError(null);
    try {
      const value = await client.saveSettings(s);
      setSaved({ at: Date.now(), value });
      settings.reload();
      audit.reload();
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setSaving(false);
    }
  }

  const loadError = settings.error
    ? `Could not load the settings: ${errorText(settings.error)}`
    : info.error
      ? `Could not load app info: ${errorText(info.error)}`
      : null;

  return (
    <SettingsPage
      settings={saved && (!settings.at || saved.at > settings.at) ? saved.value : settings.data}
      info={info.data}
      loadError={loadError}
      saving={saving}
      saveError={saveError}
      savedAt={saved?.at ?? null}
      now={now}
      onSave={(s) => void save(s)}
      audit={audit.data}
      auditError={audit.error ? errorText(audit.error) : null}
      extra={<EscalationSettingsContainer />}
      targetName={(id) => inv.targets?.find((t) => t.id === id)?.name ?? `${id} (deleted)`}
    />
  );
}
