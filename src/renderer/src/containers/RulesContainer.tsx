// Loads the rules and carries out save, enable, delete, preview, export and import.
import type { AlertRule } from '../../../shared/alerts';
import type { RuleInput } from '../alerting';
import { isUnavailable, useLiveAlerts } from '../alerts-live';
import { errorText } from '../client';
import { useClient, useLoad, useNow } from '../hooks';
import { useInventory } from '../inventory';
import { RulesPage } from '../pages/RulesPage';

const WEEK = 7 * 24 * 3_600_000;
const PREVIEW_WIDTH = 600;

/** The stored rule as saveRule takes it (without the fields the backend owns). */
function toInput(rule: AlertRule): RuleInput {
  const { builtin: _builtin, ...rest } = rule;
  void _builtin;
  return rest;
}

export function RulesContainer(): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const live = useLiveAlerts();
  const now = useNow(60_000);
  const rules = useLoad('listRules', () => client.listRules({}));
  const unavailable = rules.error && isUnavailable(rules.error) ? rules.error.message : null;

  async function onSave(rule: RuleInput): Promise<AlertRule> {
    const saved = await client.saveRule(rule);
    rules.reload();
    return saved;
  }

  return (
    <RulesPage
      rules={rules.data}
      unavailable={unavailable}
      error={rules.error && !unavailable ? errorText(rules.error) : null}
      targets={inv.targets ?? []}
      now={now}
      nameOf={(id) => inv.targets?.find((t) => t.id === id)?.name ?? id}
      onEnable={async (rule, enabled) => {
        await client.saveRule({ ...toInput(rule), enabled });
        rules.reload();
        live.reload();
      }}
      onDelete={async (rule) => {
        await client.deleteRule({ id: rule.id });
        rules.reload();
        live.reload();
      }}
      onSave={onSave}
      onPreview={(rule) => {
        const to = Date.now();
        return client.previewRule({ rule, from: to - WEEK, to, width: PREVIEW_WIDTH });
      }}
      onExport={async () => (await client.exportRules({})).yaml}
      onImport={async (yaml) => {
        const { imported } = await client.importRules({ yaml });
        rules.reload();
        return imported;
      }}
    />
  );
}
