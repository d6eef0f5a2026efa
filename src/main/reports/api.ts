// The reports slice of the contract.
import type { ReportMethodName } from '../../shared/reports';
import type { ApiImpl } from '../dispatch';
import type { Reports } from './service';

type ReportsApi = Pick<ApiImpl, ReportMethodName>;

export function createReportsApi(app: { reports: Reports }): ReportsApi {
  const r = (): Reports => app.reports;
  return {
    listReports: async (arg) => r().list({ period: arg.period, group: arg.group }, arg.limit),
    getReport: async (arg) => r().get(arg.id),
    generateReport: async (arg) => r().generate(arg),
    exportReport: (arg) => r().export(arg.id, arg.format),
    deleteReport: async (arg) => ({ deleted: r().delete(arg.id) }),
    getReportSettings: async () => r().settings(),
    saveReportSettings: async (arg) => r().saveSettings(arg),
  };
}
