// One stored report, read as it was made: headline figures, availability with outage
// stretches, resource peaks with small charts, alerts, incidents, runs, maintenance,
// backups with RPO/RTO badges, slow queries, capacity, checklists and updates; exports.
import {
  availabilityTone,
  chartGeometry,
  formatAvailability,
  formatDuration,
  formatTime,
  formatValue,
} from '../../../shared/report-format';
import type { ExportFormat } from '../../../shared/export';
import type { MiniChart, Report, Section } from '../../../shared/reports';
import { type Column, DataTable } from '../components/DataTable';
import { Tile } from '../components/Figure';
import { routeHash } from '../router';

export interface ReportPageProps {
  report: Report | undefined;
  error: string | null;
  exporting: ExportFormat | null;
  exportError: string | null;
  exported: string | null;
  onExport: (format: ExportFormat) => void;
}

const t = formatTime;

export function ReportPage(props: ReportPageProps): React.ReactElement {
  const r = props.report;
  return (
    <section className="page report">
      <p className="report-back">
        <a href={routeHash({ page: 'reports', id: null })}>← All reports</a>
      </p>
      {props.error && (
        <p className="error" role="alert">
          Could not open the report: {props.error}
        </p>
      )}
      {r && <ReportView {...props} report={r} />}
    </section>
  );
}

function ReportView(props: ReportPageProps & { report: Report }): React.ReactElement {
  const r = props.report;
  const h = r.headline;
  return (
    <>
      <header className="page-head">
        <h1>{r.title}</h1>
        <div className="toolbar" role="group" aria-label="Export">
          {(['html', 'pdf', 'csv'] as const).map((f) => (
            <button
              key={f}
              type="button"
              onClick={() => props.onExport(f)}
              disabled={props.exporting !== null}
            >
              {props.exporting === f
                ? `Exporting ${f.toUpperCase()}…`
                : `Export ${f.toUpperCase()}`}
            </button>
          ))}
        </div>
      </header>
      <p className="muted">
        {t(r.from)} to {t(r.until)} ({r.timeZone}), {r.targets.length} target
        {r.targets.length === 1 ? '' : 's'}. Made {t(r.createdAt)}{' '}
        {r.trigger === 'schedule' ? 'on schedule' : 'on demand'}; these figures are stored and do
        not change.
      </p>
      {props.exported && (
        <p className="notice notice-ok" role="status">
          <span className="notice-icon" aria-hidden="true">
            ✓
          </span>
          <span>Saved as {props.exported}.</span>
        </p>
      )}
      {props.exportError && (
        <p className="error" role="alert">
          The report was not exported: {props.exportError}
        </p>
      )}
      <div className="figures report-heads">
        <Tile label="Availability" value={formatAvailability(h.availabilityPct)} />
        <Tile label="Outages" value={String(h.outages)} />
        <Tile label="Alerts fired" value={String(h.alerts)} />
        <Tile label="Incidents" value={String(h.incidents)} />
      </div>

      <Part title="Availability" section={r.availability}>
        <DataTable columns={AVAILABILITY} rows={r.availability.rows} rowKey={(a) => a.targetId} />
      </Part>

      <Part title="Resources: peaks and averages" section={r.resources}>
        <DataTable
          columns={resourceColumns(r)}
          rows={r.resources.rows}
          rowKey={(x) => `${x.targetId} ${x.resource}`}
        />
        <p className="muted report-legend">
          <span className="report-key report-key-avg" /> average{' '}
          <span className="report-key report-key-max" /> peak of each stretch
        </p>
      </Part>

      <Part title="Alerts fired" section={r.alerts}>
        <DataTable columns={ALERTS} rows={r.alerts.rows} rowKey={(a) => a.id} />
      </Part>

      <Part title="Incidents" section={r.incidents}>
        <DataTable columns={INCIDENTS} rows={r.incidents.rows} rowKey={(i) => i.id} />
      </Part>

      <Part title="Runbook runs" section={r.runs}>
        <DataTable columns={RUNS} rows={r.runs.rows} rowKey={(x) => x.id} />
      </Part>

      <Part title="Maintenance" section={r.maintenance}>
        <DataTable columns={MAINTENANCE} rows={r.maintenance.rows} rowKey={(m) => m.id} />
      </Part>

      <Part title="Backups" section={r.backups}>
        <DataTable columns={BACKUPS} rows={r.backups.rows} rowKey={(b) => b.targetId} />
      </Part>

      <Part title="Slowest queries" section={r.slowQueries}>
        <DataTable
          columns={SLOW_QUERIES}
          rows={r.slowQueries.rows}
          rowKey={(q) => `${q.targetId} ${q.queryid} ${q.database ?? ''}`}
        />
      </Part>

      <Part title="Capacity forecasts" section={r.capacity}>
        <DataTable
          columns={CAPACITY}
          rows={r.capacity.rows}
          rowKey={(c) => `${c.targetId} ${c.resource}`}
        />
      </Part>

      <Part title="Checklists" section={r.checklists}>
        <DataTable columns={CHECKLISTS} rows={r.checklists.rows} rowKey={(c) => c.id} />
      </Part>

      <Part title="Pending updates" section={r.updates}>
        <DataTable columns={UPDATES} rows={r.updates.rows} rowKey={(u) => u.targetId} />
      </Part>
    </>
  );
}

// ---------------------------------------------------------------------------------------
// The sections' columns

type Rows<K extends keyof Report> = Report[K] extends Section<infer T> ? T : never;

const AVAILABILITY: Column<Rows<'availability'>>[] = [
  { head: 'Target', cell: (a) => a.targetName },
  {
    head: 'Availability',
    num: true,
    cellClass: (a) => toneClass(availabilityTone(a.availabilityPct)),
    cell: (a) => formatAvailability(a.availabilityPct),
  },
  {
    head: 'Rounds ok / failed',
    num: true,
    cell: (a) => (
      <>
        {a.okRounds} / {a.failedRounds}
      </>
    ),
  },
  { head: 'Down', num: true, cell: (a) => (a.downMs ? formatDuration(a.downMs) : '—') },
  {
    head: 'Outages',
    cell: (a) =>
      a.outages.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <ul className="report-outages">
          {a.outages.map((o) => (
            <li key={o.from}>
              <strong>
                {t(o.from)} – {o.ongoing ? 'still down' : t(o.to)}
              </strong>{' '}
              ({formatDuration(o.durationMs)}): {o.reason}
            </li>
          ))}
        </ul>
      ),
  },
];

function resourceColumns(r: Report): Column<Rows<'resources'>>[] {
  return [
    { head: 'Target', cell: (x) => x.targetName },
    { head: 'Resource', cell: (x) => x.resource },
    { head: 'Peak', num: true, cell: (x) => formatValue(x.peak, x.unit) },
    { head: 'Peak hour', cell: (x) => t(x.peakAt) },
    { head: 'Average', num: true, cell: (x) => formatValue(x.avg, x.unit) },
    {
      head: 'Over the period',
      cell: (x) => (
        <MiniChartSvg
          chart={x.chart}
          from={r.from}
          to={r.to}
          label={`${x.resource} on ${x.targetName}`}
        />
      ),
    },
  ];
}

const ALERTS: Column<Rows<'alerts'>>[] = [
  { head: 'Fired', cell: (a) => t(a.firingAt) },
  { head: 'Target', cell: (a) => a.targetName },
  {
    head: 'Alert',
    cell: (a) => (
      <>
        {a.rule}
        <div className="muted">{a.message}</div>
      </>
    ),
  },
  {
    head: 'Severity',
    cellClass: (a) => (a.severity === 'critical' ? 'report-bad' : ''),
    cell: (a) => a.severity,
  },
  {
    head: 'Lasted',
    num: true,
    cell: (a) => `${formatDuration(a.durationMs)}${a.ongoing ? ' (still firing)' : ''}`,
  },
];

const INCIDENTS: Column<Rows<'incidents'>>[] = [
  { head: 'Opened', cell: (i) => t(i.openedAt) },
  {
    head: 'Title',
    cell: (i) => <a href={routeHash({ page: 'incident', id: i.id })}>{i.title}</a>,
  },
  { head: 'Severity', cell: (i) => i.severity },
  { head: 'Status', cell: (i) => i.status },
  {
    head: 'Lasted',
    num: true,
    cell: (i) => (i.durationMs === null ? 'open' : formatDuration(i.durationMs)),
  },
  { head: 'Targets', cell: (i) => i.targets.join(', ') },
];

const RUNS: Column<Rows<'runs'>>[] = [
  { head: 'Started', cell: (x) => t(x.startedAt) },
  { head: 'Runbook', cell: (x) => <a href={routeHash({ page: 'run', id: x.id })}>{x.title}</a> },
  {
    head: 'Outcome',
    cellClass: (x) => (x.status === 'aborted' ? 'report-warn' : ''),
    cell: (x) => x.status,
  },
  { head: 'Finished', cell: (x) => t(x.finishedAt) },
  { head: 'By', cell: (x) => x.startedBy },
];

const MAINTENANCE: Column<Rows<'maintenance'>>[] = [
  { head: 'Started', cell: (m) => t(m.startedAt) },
  { head: 'Target', cell: (m) => m.targetName },
  { head: 'Action', cell: (m) => m.action },
  { head: 'On', cell: (m) => m.scope },
  {
    head: 'Outcome',
    cellClass: (m) => (m.status === 'failed' ? 'report-bad' : ''),
    cell: (m) => `${m.status}${m.error ? `: ${m.error}` : ''}`,
  },
  { head: 'By', cell: (m) => m.operator },
];

const BACKUPS: Column<Rows<'backups'>>[] = [
  { head: 'Target', cell: (b) => b.targetName },
  {
    head: 'Taken / failed',
    num: true,
    cell: (b) => (
      <>
        {b.taken} / <span className={b.failed ? 'report-bad' : ''}>{b.failed}</span>
      </>
    ),
  },
  {
    head: 'Verified / failed',
    num: true,
    cell: (b) => (
      <>
        {b.verified} / <span className={b.verifyFailed ? 'report-bad' : ''}>{b.verifyFailed}</span>
      </>
    ),
  },
  { head: 'Newest verified', cell: (b) => t(b.newestVerifiedAt) },
  {
    head: 'RPO',
    cell: (b) => (
      <>
        <Badge ok={b.rpoOk} yes="RPO met" no="RPO missed" />{' '}
        {b.rpoHours !== null && <span className="muted">{b.rpoHours} h</span>}
      </>
    ),
  },
  {
    head: 'RTO',
    cell: (b) => (
      <>
        <Badge
          ok={b.rtoOk}
          yes="RTO met"
          no={b.lastRestoreMs === null ? 'RTO unproven' : 'RTO missed'}
        />{' '}
        {b.rtoHours !== null && <span className="muted">{b.rtoHours} h</span>}
        {b.lastRestoreMs !== null && (
          <div className="muted">restore took {formatDuration(b.lastRestoreMs)}</div>
        )}
      </>
    ),
  },
];

const SLOW_QUERIES: Column<Rows<'slowQueries'>>[] = [
  {
    head: 'Target',
    cellClass: () => 'report-name',
    cell: (q) => (
      <>
        {q.targetName}
        {q.database && <div className="muted">{q.database}</div>}
      </>
    ),
  },
  { head: 'Mean', num: true, cell: (q) => `${q.meanMs.toFixed(1)} ms` },
  { head: 'Calls', num: true, cell: (q) => q.calls },
  {
    head: 'Statement',
    cell: (q) => <code className="report-sql">{q.query.slice(0, 400)}</code>,
  },
];

const CAPACITY: Column<Rows<'capacity'>>[] = [
  { head: 'Target', cellClass: () => 'report-name', cell: (c) => c.targetName },
  { head: 'Resource', cell: (c) => c.resource },
  { head: 'Now', num: true, cell: (c) => formatValue(c.current, c.unit) },
  { head: 'Limit', num: true, cell: (c) => formatValue(c.limit, c.unit) },
  {
    head: 'Reached',
    cell: (c) =>
      c.reachesAt === null
        ? 'no date'
        : `${t(c.reachesAt).slice(0, 10)}${c.uncertaintyDays !== null ? ` (± ${Math.round(c.uncertaintyDays)} days)` : ''}`,
  },
  { head: 'Advice', cell: (c) => c.advice },
];

const CHECKLISTS: Column<Rows<'checklists'>>[] = [
  { head: 'Started', cell: (c) => t(c.startedAt) },
  { head: 'Checklist', cell: (c) => c.checklist },
  {
    head: 'Outcome',
    cellClass: (c) => (c.failed ? 'report-bad' : ''),
    cell: (c) =>
      c.status +
      (c.failed || c.warnings || c.stale
        ? ` (${c.failed} failed, ${c.warnings} warnings, ${c.stale} stale)`
        : ''),
  },
  { head: 'By', cell: (c) => c.by },
  { head: 'Problems', cell: (c) => c.problems.join('; ') },
];

const UPDATES: Column<Rows<'updates'>>[] = [
  { head: 'Target', cell: (u) => u.targetName },
  { head: 'Pending', num: true, cell: (u) => u.pending },
  { head: 'Security', num: true, cell: (u) => u.security },
  { head: 'Checked', cell: (u) => t(u.checkedAt) },
];

function Part<T>(props: {
  title: string;
  section: Section<T>;
  children: React.ReactNode;
}): React.ReactElement {
  const s = props.section;
  return (
    <section className="report-part" aria-label={props.title}>
      <h2>{props.title}</h2>
      {s.note && <p className="muted report-note">{s.note}</p>}
      {s.rows.length > 0 && <div className="table-scroll">{props.children}</div>}
    </section>
  );
}

function toneClass(tone: 'bad' | 'warn' | null): string {
  return tone === 'bad' ? 'report-bad' : tone === 'warn' ? 'report-warn' : '';
}

function Badge(p: { ok: boolean | null; yes: string; no: string }): React.ReactElement {
  if (p.ok === null) return <span className="report-badge report-badge-none">not set</span>;
  return p.ok ? (
    <span className="report-badge report-badge-ok">✓ {p.yes}</span>
  ) : (
    <span className="report-badge report-badge-bad">✕ {p.no}</span>
  );
}

function MiniChartSvg(p: {
  chart: MiniChart;
  from: number;
  to: number;
  label: string;
}): React.ReactElement {
  const g = chartGeometry(p.chart, p.from, p.to);
  return (
    <svg
      className="report-chart"
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="img"
      aria-label={p.label}
    >
      <polyline className="report-chart-max" points={g.max} fill="none" />
      <polyline className="report-chart-avg" points={g.avg} fill="none" />
    </svg>
  );
}
