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
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col" className="num">
                Availability
              </th>
              <th scope="col" className="num">
                Rounds ok / failed
              </th>
              <th scope="col" className="num">
                Down
              </th>
              <th scope="col">Outages</th>
            </tr>
          </thead>
          <tbody>
            {r.availability.rows.map((a) => (
              <tr key={a.targetId}>
                <td>{a.targetName}</td>
                <td className={`num ${toneClass(availabilityTone(a.availabilityPct))}`}>
                  {formatAvailability(a.availabilityPct)}
                </td>
                <td className="num">
                  {a.okRounds} / {a.failedRounds}
                </td>
                <td className="num">{a.downMs ? formatDuration(a.downMs) : '—'}</td>
                <td>
                  {a.outages.length === 0 ? (
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
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Resources: peaks and averages" section={r.resources}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Resource</th>
              <th scope="col" className="num">
                Peak
              </th>
              <th scope="col">Peak hour</th>
              <th scope="col" className="num">
                Average
              </th>
              <th scope="col">Over the period</th>
            </tr>
          </thead>
          <tbody>
            {r.resources.rows.map((x) => (
              <tr key={`${x.targetId} ${x.resource}`}>
                <td>{x.targetName}</td>
                <td>{x.resource}</td>
                <td className="num">{formatValue(x.peak, x.unit)}</td>
                <td>{t(x.peakAt)}</td>
                <td className="num">{formatValue(x.avg, x.unit)}</td>
                <td>
                  <MiniChartSvg
                    chart={x.chart}
                    from={r.from}
                    to={r.to}
                    label={`${x.resource} on ${x.targetName}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted report-legend">
          <span className="report-key report-key-avg" /> average{' '}
          <span className="report-key report-key-max" /> peak of each stretch
        </p>
      </Part>

      <Part title="Alerts fired" section={r.alerts}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Fired</th>
              <th scope="col">Target</th>
              <th scope="col">Alert</th>
              <th scope="col">Severity</th>
              <th scope="col" className="num">
                Lasted
              </th>
            </tr>
          </thead>
          <tbody>
            {r.alerts.rows.map((a) => (
              <tr key={a.id}>
                <td>{t(a.firingAt)}</td>
                <td>{a.targetName}</td>
                <td>
                  {a.rule}
                  <div className="muted">{a.message}</div>
                </td>
                <td className={a.severity === 'critical' ? 'report-bad' : ''}>{a.severity}</td>
                <td className="num">
                  {formatDuration(a.durationMs)}
                  {a.ongoing ? ' (still firing)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Incidents" section={r.incidents}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Opened</th>
              <th scope="col">Title</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Lasted
              </th>
              <th scope="col">Targets</th>
            </tr>
          </thead>
          <tbody>
            {r.incidents.rows.map((i) => (
              <tr key={i.id}>
                <td>{t(i.openedAt)}</td>
                <td>
                  <a href={routeHash({ page: 'incident', id: i.id })}>{i.title}</a>
                </td>
                <td>{i.severity}</td>
                <td>{i.status}</td>
                <td className="num">
                  {i.durationMs === null ? 'open' : formatDuration(i.durationMs)}
                </td>
                <td>{i.targets.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Runbook runs" section={r.runs}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Runbook</th>
              <th scope="col">Outcome</th>
              <th scope="col">Finished</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {r.runs.rows.map((x) => (
              <tr key={x.id}>
                <td>{t(x.startedAt)}</td>
                <td>
                  <a href={routeHash({ page: 'run', id: x.id })}>{x.title}</a>
                </td>
                <td className={x.status === 'aborted' ? 'report-warn' : ''}>{x.status}</td>
                <td>{t(x.finishedAt)}</td>
                <td>{x.startedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Maintenance" section={r.maintenance}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Target</th>
              <th scope="col">Action</th>
              <th scope="col">On</th>
              <th scope="col">Outcome</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {r.maintenance.rows.map((m) => (
              <tr key={m.id}>
                <td>{t(m.startedAt)}</td>
                <td>{m.targetName}</td>
                <td>{m.action}</td>
                <td>{m.scope}</td>
                <td className={m.status === 'failed' ? 'report-bad' : ''}>
                  {m.status}
                  {m.error ? `: ${m.error}` : ''}
                </td>
                <td>{m.operator}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Backups" section={r.backups}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col" className="num">
                Taken / failed
              </th>
              <th scope="col" className="num">
                Verified / failed
              </th>
              <th scope="col">Newest verified</th>
              <th scope="col">RPO</th>
              <th scope="col">RTO</th>
            </tr>
          </thead>
          <tbody>
            {r.backups.rows.map((b) => (
              <tr key={b.targetId}>
                <td>{b.targetName}</td>
                <td className="num">
                  {b.taken} / <span className={b.failed ? 'report-bad' : ''}>{b.failed}</span>
                </td>
                <td className="num">
                  {b.verified} /{' '}
                  <span className={b.verifyFailed ? 'report-bad' : ''}>{b.verifyFailed}</span>
                </td>
                <td>{t(b.newestVerifiedAt)}</td>
                <td>
                  <Badge ok={b.rpoOk} yes="RPO met" no="RPO missed" />{' '}
                  {b.rpoHours !== null && <span className="muted">{b.rpoHours} h</span>}
                </td>
                <td>
                  <Badge
                    ok={b.rtoOk}
                    yes="RTO met"
                    no={b.lastRestoreMs === null ? 'RTO unproven' : 'RTO missed'}
                  />{' '}
                  {b.rtoHours !== null && <span className="muted">{b.rtoHours} h</span>}
                  {b.lastRestoreMs !== null && (
                    <div className="muted">restore took {formatDuration(b.lastRestoreMs)}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Slowest queries" section={r.slowQueries}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col" className="num">
                Mean
              </th>
              <th scope="col" className="num">
                Calls
              </th>
              <th scope="col">Statement</th>
            </tr>
          </thead>
          <tbody>
            {r.slowQueries.rows.map((q) => (
              <tr key={`${q.targetId} ${q.queryid} ${q.database ?? ''}`}>
                <td>
                  {q.targetName}
                  {q.database && <div className="muted">{q.database}</div>}
                </td>
                <td className="num">{q.meanMs.toFixed(1)} ms</td>
                <td className="num">{q.calls}</td>
                <td>
                  <code className="report-sql">{q.query.slice(0, 400)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Capacity forecasts" section={r.capacity}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Resource</th>
              <th scope="col" className="num">
                Now
              </th>
              <th scope="col" className="num">
                Limit
              </th>
              <th scope="col">Reached</th>
              <th scope="col">Advice</th>
            </tr>
          </thead>
          <tbody>
            {r.capacity.rows.map((c) => (
              <tr key={`${c.targetId} ${c.resource}`}>
                <td>{c.targetName}</td>
                <td>{c.resource}</td>
                <td className="num">{formatValue(c.current, c.unit)}</td>
                <td className="num">{formatValue(c.limit, c.unit)}</td>
                <td>
                  {c.reachesAt === null
                    ? 'no date'
                    : `${t(c.reachesAt).slice(0, 10)}${c.uncertaintyDays !== null ? ` (± ${Math.round(c.uncertaintyDays)} days)` : ''}`}
                </td>
                <td>{c.advice}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Checklists" section={r.checklists}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Checklist</th>
              <th scope="col">Outcome</th>
              <th scope="col">By</th>
              <th scope="col">Problems</th>
            </tr>
          </thead>
          <tbody>
            {r.checklists.rows.map((c) => (
              <tr key={c.id}>
                <td>{t(c.startedAt)}</td>
                <td>{c.checklist}</td>
                <td className={c.failed ? 'report-bad' : ''}>
                  {c.status}
                  {c.failed || c.warnings || c.stale
                    ? ` (${c.failed} failed, ${c.warnings} warnings, ${c.stale} stale)`
                    : ''}
                </td>
                <td>{c.by}</td>
                <td>{c.problems.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>

      <Part title="Pending updates" section={r.updates}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col" className="num">
                Pending
              </th>
              <th scope="col" className="num">
                Security
              </th>
              <th scope="col">Checked</th>
            </tr>
          </thead>
          <tbody>
            {r.updates.rows.map((u) => (
              <tr key={u.targetId}>
                <td>{u.targetName}</td>
                <td className="num">{u.pending}</td>
                <td className="num">{u.security}</td>
                <td>{t(u.checkedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>
    </>
  );
}

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
