// Loads one stored report and exports it as a download.
import { useState } from 'react';
import type { ExportFormat } from '../../../shared/export';
import { errorText } from '../client';
import { useClient, useLoad } from '../hooks';
import { ReportPage } from '../pages/ReportPage';
import { saveExport } from '../export';

export function ReportContainer({ id }: { id: string }): React.ReactElement {
  const client = useClient();
  const report = useLoad(`report:${id}`, () => client.getReport({ id }));
  const [exp, setExp] = useState<{
    busy: ExportFormat | null;
    error: string | null;
    saved: string | null;
  }>({ busy: null, error: null, saved: null });

  function exportAs(format: ExportFormat): void {
    setExp({ busy: format, error: null, saved: null });
    client.exportReport({ id, format }).then(
      (out) => setExp({ busy: null, error: null, saved: saveExport(out) }),
      (err: unknown) => setExp({ busy: null, error: errorText(err), saved: null }),
    );
  }

  return (
    <ReportPage
      report={report.data}
      error={report.error ? errorText(report.error) : null}
      exporting={exp.busy}
      exportError={exp.error}
      exported={exp.saved}
      onExport={exportAs}
    />
  );
}
