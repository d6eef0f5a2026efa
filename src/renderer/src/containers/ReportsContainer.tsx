// Loads the reports list, the groups to choose from and the schedule; makes reports.
import { useState } from 'react';
import type { ReportPeriod, ReportSettings } from '../../../shared/reports';
import { errorText } from '../client';
import { useClient, useLoad } from '../hooks';
import { useInventory } from '../inventory';
import { type PeriodFilter, ReportsPage, type Which } from '../pages/ReportsPage';
import { navigate } from '../router';

export function ReportsContainer(): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const [filter, setFilter] = useState<{ period: PeriodFilter; group: string }>({
    period: 'all',
    group: '',
  });
  const reports = useLoad(`reports:${filter.period}:${filter.group}`, () =>
    client.listReports({
      ...(filter.period !== 'all' ? { period: filter.period } : {}),
      group: filter.group,
      limit: 500,
    }),
  );
  const settings = useLoad('reports:settings', () => client.getReportSettings({}));
  const [gen, setGen] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const groups = [...new Set((inv.targets ?? []).map((t) => t.group).filter((g) => g !== ''))];

  function generate(period: ReportPeriod, group: string, which: Which): void {
    setGen({ busy: true, error: null });
    client
      .generateReport({ period, group, ...(which === 'current' ? { at: Date.now() } : {}) })
      .then(
        (r) => {
          setGen({ busy: false, error: null });
          navigate({ page: 'reports', id: r.id });
        },
        (err: unknown) => setGen({ busy: false, error: errorText(err) }),
      );
  }

  async function saveSettings(s: ReportSettings): Promise<void> {
    await client.saveReportSettings(s);
    settings.reload();
  }

  return (
    <ReportsPage
      reports={reports.data}
      error={reports.error ? errorText(reports.error) : null}
      groups={groups.sort()}
      filter={filter}
      onFilter={setFilter}
      generating={gen.busy}
      generateError={gen.error}
      onGenerate={generate}
      settings={settings.data}
      onSaveSettings={saveSettings}
    />
  );
}
