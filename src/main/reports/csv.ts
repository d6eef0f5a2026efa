// A report's tables as one CSV file with sections: each table starts with a row naming it
// ("# Availability"), then its header row and data rows, then an empty row. One file keeps
// the download single and needs no zip; a spreadsheet shows the sections one under another.
// Text cells are always quoted (quotes doubled), numbers never; a text cell starting with
// = + - @ (or a tab or carriage return) gets a leading ' so no spreadsheet runs it as a
// formula. Times are local, "YYYY-MM-DD HH:MM". Pure.
import { formatTime } from '../../shared/report-format';
import type { Report } from '../../shared/reports';

export type Cell = string | number | boolean | null;

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  if (typeof c === 'boolean') return c ? 'yes' : 'no';
  const safe = FORMULA.test(c) ? `'${c}` : c;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function csvRow(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

interface Table {
  name: string;
  head: string[];
  rows: Cell[][];
}

const t = (x: number | null): string | null => (x === null ? null : formatTime(x));
const round = (x: number | null, digits = 3): number | null =>
  x === null ? null : Number(x.toFixed(digits));

function tables(r: Report): Table[] {
  return [
    {
      name: 'Report',
      head: ['Title', 'Period', 'Group', 'From', 'Until', 'Time zone', 'Made'],
      rows: [
        [r.title, r.period, r.group || 'all', t(r.from), t(r.until), r.timeZone, t(r.createdAt)],
      ],
    },
    {
      name: 'Availability',
      head: ['Target', 'Availability %', 'Rounds ok', 'Rounds failed', 'Down (s)', 'Outages'],
      rows: r.availability.rows.map((a) => [
        a.targetName,
        round(a.availabilityPct),
        a.okRounds,
        a.failedRounds,
        Math.round(a.downMs / 1000),
        a.outages.length,
      ]),
    },
    {
      name: 'Outages',
      head: ['Target', 'From', 'To', 'Duration (s)', 'Ongoing', 'Reason'],
      rows: r.availability.rows.flatMap((a) =>
        a.outages.map((o) => [
          a.targetName,
          t(o.from),
          t(o.to),
          Math.round(o.durationMs / 1000),
          o.ongoing,
          o.reason,
        ]),
      ),
    },
    {
      name: 'Resources',
      head: ['Target', 'Resource', 'Unit', 'Peak', 'Peak hour', 'Average', 'Samples'],
      rows: r.resources.rows.map((x) => [
        x.targetName,
        x.resource,
        x.unit,
        x.peak,
        t(x.peakAt),
        x.avg,
        x.samples,
      ]),
    },
    {
      name: 'Alerts',
      head: ['Fired', 'Target', 'Alert', 'Severity', 'Resolved', 'Lasted (s)', 'Message'],
      rows: r.alerts.rows.map((a) => [
        t(a.firingAt),
        a.targetName,
        a.rule,
        a.severity,
        a.ongoing ? 'still firing' : t(a.resolvedAt),
        Math.round(a.durationMs / 1000),
        a.message,
      ]),
    },
    {
      name: 'Incidents',
      head: ['Opened', 'Title', 'Severity', 'Status', 'Resolved', 'Targets'],
      rows: r.incidents.rows.map((i) => [
        t(i.openedAt),
        i.title,
        i.severity,
        i.status,
        t(i.resolvedAt),
        i.targets.join(', '),
      ]),
    },
    {
      name: 'Runbook runs',
      head: ['Started', 'Runbook', 'Outcome', 'Finished', 'By', 'Targets'],
      rows: r.runs.rows.map((x) => [
        t(x.startedAt),
        x.title,
        x.status,
        t(x.finishedAt),
        x.startedBy,
        x.targets.join(', '),
      ]),
    },
    {
      name: 'Maintenance',
      head: ['Started', 'Target', 'Action', 'On', 'Outcome', 'Error', 'By'],
      rows: r.maintenance.rows.map((m) => [
        t(m.startedAt),
        m.targetName,
        m.action,
        m.scope,
        m.status,
        m.error,
        m.operator,
      ]),
    },
    {
      name: 'Backups',
      head: [
        'Target',
        'Taken',
        'Failed',
        'Verified',
        'Verify failed',
        'Newest verified',
        'RPO (h)',
        'RPO met',
        'RTO (h)',
        'RTO met',
      ],
      rows: r.backups.rows.map((b) => [
        b.targetName,
        b.taken,
        b.failed,
        b.verified,
        b.verifyFailed,
        t(b.newestVerifiedAt),
        b.rpoHours,
        b.rpoOk,
        b.rtoHours,
        b.rtoOk,
      ]),
    },
    {
      name: 'Slowest queries',
      head: ['Target', 'Database', 'Mean (ms)', 'Calls', 'Total (ms)', 'Query id', 'Statement'],
      rows: r.slowQueries.rows.map((q) => [
        q.targetName,
        q.database,
        round(q.meanMs),
        q.calls,
        round(q.totalMs),
        q.queryid,
        q.query,
      ]),
    },
    {
      name: 'Capacity',
      head: ['Target', 'Resource', 'Unit', 'Now', 'Limit', 'Reached', '± days', 'Advice'],
      rows: r.capacity.rows.map((c) => [
        c.targetName,
        c.resource,
        c.unit,
        c.current,
        c.limit,
        t(c.reachesAt),
        round(c.uncertaintyDays, 1),
        c.advice,
      ]),
    },
    {
      name: 'Checklists',
      head: ['Started', 'Checklist', 'Outcome', 'By', 'Failed', 'Warnings', 'Stale', 'Problems'],
      rows: r.checklists.rows.map((c) => [
        t(c.startedAt),
        c.checklist,
        c.status,
        c.by,
        c.failed,
        c.warnings,
        c.stale,
        c.problems.join('; '),
      ]),
    },
    {
      name: 'Pending updates',
      head: ['Target', 'Pending', 'Security', 'Checked'],
      rows: r.updates.rows.map((u) => [u.targetName, u.pending, u.security, t(u.checkedAt)]),
    },
  ];
}

/** A section whose source is missing carries its note as the only row. */
function notes(r: Report): Map<string, string> {
  const m = new Map<string, string>();
  const pairs: [string, { available: boolean; note: string | null }][] = [
    ['Availability', r.availability],
    ['Resources', r.resources],
    ['Backups', r.backups],
    ['Slowest queries', r.slowQueries],
    ['Capacity', r.capacity],
    ['Checklists', r.checklists],
    ['Pending updates', r.updates],
  ];
  for (const [name, s] of pairs)
    if (s.note && (!s.available || name === 'Slowest queries')) m.set(name, s.note);
  return m;
}

export function reportCsv(r: Report): string {
  const lines: string[] = [];
  const note = notes(r);
  for (const table of tables(r)) {
    lines.push(csvRow([`# ${table.name}`]));
    const n = note.get(table.name);
    if (n) lines.push(csvRow([n]));
    lines.push(csvRow(table.head));
    for (const row of table.rows) lines.push(csvRow(row));
    lines.push('');
  }
  return lines.join('\r\n');
}
