// A fixed report for export tests: one host with an outage, a resource with its chart, an
// alert whose text needs quoting, a backup meeting its objectives, a hostile target name.
import type { Report } from '../../src/shared/reports';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const DAY_START = Date.UTC(2026, 10, 30);

export function sampleReport(): Report {
  const from = DAY_START;
  const to = DAY_START + 24 * HOUR;
  return {
    id: 'r1',
    period: 'daily',
    group: '',
    from,
    to,
    until: to,
    createdAt: to + 10 * MIN,
    title: 'Daily report, all targets, Mon 30 Nov 2026',
    trigger: 'schedule',
    timeZone: 'UTC',
    targets: [{ id: 'web', name: '=evil()', kind: 'ssh' }],
    headline: { availabilityPct: (1430 / 1440) * 100, outages: 1, alerts: 1, incidents: 0 },
    availability: {
      available: true,
      note: null,
      rows: [
        {
          targetId: 'web',
          targetName: '=evil()',
          okRounds: 1430,
          failedRounds: 10,
          availabilityPct: (1430 / 1440) * 100,
          downMs: 10 * MIN,
          outages: [
            {
              from: from + 14 * HOUR + 20 * MIN,
              to: from + 14 * HOUR + 30 * MIN,
              durationMs: 10 * MIN,
              ongoing: false,
              reason: '<script>alert(1)</script>',
            },
          ],
        },
      ],
    },
    resources: {
      available: true,
      note: null,
      rows: [
        {
          targetId: 'web',
          targetName: '=evil()',
          resource: 'CPU busy',
          unit: 'percent',
          peak: 92,
          peakAt: from + 14 * HOUR,
          avg: 20.5,
          samples: 144,
          chart: {
            stepMs: HOUR,
            t: Array.from({ length: 24 }, (_, i) => from + i * HOUR),
            avg: Array.from({ length: 24 }, (_, i) => (i === 14 ? 32 : 20)),
            max: Array.from({ length: 24 }, (_, i) => (i === 14 ? 92 : 20)),
          },
        },
      ],
    },
    alerts: {
      available: true,
      note: null,
      rows: [
        {
          id: 'a1',
          targetId: 'web',
          targetName: '=evil()',
          rule: 'CPU busy',
          severity: 'warning',
          firingAt: from + 13 * HOUR,
          resolvedAt: from + 13 * HOUR + 45 * MIN,
          durationMs: 45 * MIN,
          ongoing: false,
          message: 'CPU "busy", at 92 %\nsee runbook',
        },
      ],
    },
    incidents: { available: true, note: 'No incident was open in this period.', rows: [] },
    runs: { available: true, note: 'No runbook was run in this period.', rows: [] },
    maintenance: { available: true, note: 'No maintenance ran in this period.', rows: [] },
    backups: {
      available: true,
      note: null,
      rows: [
        {
          targetId: 'db',
          targetName: 'db-1',
          taken: 1,
          failed: 0,
          verified: 1,
          verifyFailed: 0,
          newestVerifiedAt: from + 2 * HOUR,
          lastRestoreMs: 10 * MIN,
          rpoHours: 24,
          rtoHours: 1,
          rpoOk: true,
          rtoOk: true,
        },
      ],
    },
    slowQueries: { available: false, note: 'No PostgreSQL target in this group.', rows: [] },
    capacity: { available: false, note: 'Not available here.', rows: [] },
    checklists: { available: false, note: 'Not available here.', rows: [] },
    updates: {
      available: false,
      note: 'Not collected: Opsdeck does not check for pending updates.',
      rows: [],
    },
  };
}
