// A report as one self-contained HTML file: inline style, charts as inline SVG, no script,
// no reference to anything outside the file (a CSP forbids it as well). Every value is
// escaped. Pure: takes the report and the time of export.
import {
  availabilityTone,
  chartGeometry,
  formatAvailability,
  formatDuration,
  formatTime,
  formatValue,
} from '../../shared/report-format';
import type { MiniChart, Report, Section } from '../../shared/reports';
import { escapeHtml as e, htmlPage } from '../html-page';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:64em;color:#111;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #bbb}
.sub{color:#444;margin-top:0}table{border-collapse:collapse;width:100%;margin:.4em 0}
td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.note{color:#555;font-style:italic}.bad{color:#a00;font-weight:600}.good{color:#060}
.warn{color:#8a5a00}.heads{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}
.head{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;min-width:9em}
.head b{display:block;font-size:1.4em}.badge{display:inline-block;border-radius:4px;
padding:0 6px;font-size:.85em;font-weight:600;border:1px solid}
.badge.good{background:#e8f5e8}.badge.bad{background:#fbe9e9}.badge.none{color:#555}
svg{vertical-align:middle}td:first-child,.badge,.nw{white-space:nowrap}code{font-size:.9em;word-break:break-word}
tr{break-inside:avoid}h2{break-after:avoid}@page{margin:12mm}`;

function page(title: string, body: string, now: number): string {
  return htmlPage(
    title,
    STYLE,
    body,
    `<p class="note">Exported by Opsdeck at ${e(formatTime(now))}.</p>`,
  );
}

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const th = head.map((h) => `<th>${e(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (numeric.includes(i) ? `<td class="n">${c}</td>` : `<td>${c}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function part<T>(title: string, s: Section<T>, render: (rows: T[]) => string): string {
  const note = s.note ? `<p class="note">${e(s.note)}</p>` : '';
  const body = s.rows.length > 0 ? render(s.rows) : '';
  return `<h2>${e(title)}</h2>\n${note}${body}`;
}

function badge(ok: boolean | null, yes: string, no: string): string {
  if (ok === null) return '<span class="badge none">not set</span>';
  return ok
    ? `<span class="badge good">✓ ${e(yes)}</span>`
    : `<span class="badge bad">✕ ${e(no)}</span>`;
}

export function chartSvg(c: MiniChart, from: number, to: number, label: string): string {
  const g = chartGeometry(c, from, to);
  return (
    `<svg width="${g.width}" height="${g.height}" ` +
    `viewBox="0 0 ${g.width} ${g.height}" role="img" aria-label="${e(label)}">` +
    `<rect x="0" y="0" width="${g.width}" height="${g.height}" fill="#fafafa" stroke="#ddd"/>` +
    `<polyline points="${g.max}" fill="none" stroke="#d08770" stroke-width="1"/>` +
    `<polyline points="${g.avg}" fill="none" stroke="#2e5f9e" stroke-width="1.5"/></svg>`
  );
}

function headline(r: Report): string {
  const h = r.headline;
  const box = (label: string, value: string): string =>
    `<div class="head">${e(label)}<b>${e(value)}</b></div>`;
  return `<div class="heads">${[
    box('Availability', formatAvailability(h.availabilityPct)),
    box('Outages', String(h.outages)),
    box('Alerts fired', String(h.alerts)),
    box('Incidents', String(h.incidents)),
  ].join('')}</div>`;
}

/** The report's body (without the page around it). */
export function reportBody(r: Report): string {
  const t = formatTime;
  const parts: string[] = [
    `<h1>${e(r.title)}</h1>`,
    `<p class="sub">${e(t(r.from))} to ${e(t(r.until))} (${e(r.timeZone)}), ` +
      `${r.targets.length} target${r.targets.length === 1 ? '' : 's'}; made ${e(t(r.createdAt))} ` +
      `${r.trigger === 'schedule' ? 'on schedule' : 'on demand'}.</p>`,
    headline(r),
    part('Availability', r.availability, (rows) =>
      table(
        ['Target', 'Availability', 'Rounds ok', 'Rounds failed', 'Down', 'Outages'],
        rows.map((a) => [
          e(a.targetName),
          `<span class="${availabilityTone(a.availabilityPct) ?? ''}">` +
            `${e(formatAvailability(a.availabilityPct))}</span>`,
          String(a.okRounds),
          String(a.failedRounds),
          e(a.downMs ? formatDuration(a.downMs) : '—'),
          a.outages.length
            ? a.outages
                .map(
                  (o) =>
                    `${e(t(o.from))} – ${o.ongoing ? 'ongoing' : e(t(o.to))} ` +
                    `(${e(formatDuration(o.durationMs))}): ${e(o.reason)}`,
                )
                .join('<br>')
            : 'none',
        ]),
        [1, 2, 3, 4],
      ),
    ),
    part(
      'Resources: peaks and averages',
      r.resources,
      (rows) =>
        table(
          ['Target', 'Resource', 'Peak', 'Peak hour', 'Average', 'Over the period'],
          rows.map((x) => [
            e(x.targetName),
            e(x.resource),
            e(formatValue(x.peak, x.unit)),
            e(t(x.peakAt)),
            e(formatValue(x.avg, x.unit)),
            chartSvg(x.chart, r.from, r.to, `${x.resource} on ${x.targetName}`),
          ]),
          [2, 4],
        ) + '<p class="note">Charts: blue the average, orange the peak of each stretch.</p>',
    ),
    part('Alerts fired', r.alerts, (rows) =>
      table(
        ['Fired', 'Target', 'Alert', 'Severity', 'Lasted', 'Message'],
        rows.map((a) => [
          e(t(a.firingAt)),
          e(a.targetName),
          e(a.rule),
          a.severity === 'critical' ? `<span class="bad">${e(a.severity)}</span>` : e(a.severity),
          e(formatDuration(a.durationMs) + (a.ongoing ? ' (still firing)' : '')),
          e(a.message),
        ]),
      ),
    ),
    part('Incidents', r.incidents, (rows) =>
      table(
        ['Opened', 'Title', 'Severity', 'Status', 'Resolved', 'Lasted', 'Targets'],
        rows.map((i) => [
          e(t(i.openedAt)),
          e(i.title),
          e(i.severity),
          e(i.status),
          e(t(i.resolvedAt)),
          e(i.durationMs === null ? 'open' : formatDuration(i.durationMs)),
          e(i.targets.join(', ')),
        ]),
      ),
    ),
    part('Runbook runs', r.runs, (rows) =>
      table(
        ['Started', 'Runbook', 'Outcome', 'Finished', 'By', 'Targets'],
        rows.map((x) => [
          e(t(x.startedAt)),
          e(x.title),
          x.status === 'aborted' ? `<span class="warn">${e(x.status)}</span>` : e(x.status),
          e(t(x.finishedAt)),
          e(x.startedBy),
          e(x.targets.join(', ')),
        ]),
      ),
    ),
    part('Maintenance', r.maintenance, (rows) =>
      table(
        ['Started', 'Target', 'Action', 'On', 'Outcome', 'By'],
        rows.map((m) => [
          e(t(m.startedAt)),
          e(m.targetName),
          e(m.action),
          e(m.scope),
          m.status === 'failed'
            ? `<span class="bad">failed</span>${m.error ? `: ${e(m.error)}` : ''}`
            : e(m.status),
          e(m.operator),
        ]),
      ),
    ),
    part('Backups', r.backups, (rows) =>
      table(
        ['Target', 'Taken', 'Failed', 'Verified', 'Verify failed', 'Newest verified', 'RPO', 'RTO'],
        rows.map((b) => [
          e(b.targetName),
          String(b.taken),
          b.failed ? `<span class="bad">${b.failed}</span>` : '0',
          String(b.verified),
          b.verifyFailed ? `<span class="bad">${b.verifyFailed}</span>` : '0',
          e(t(b.newestVerifiedAt)),
          `${badge(b.rpoOk, 'RPO met', 'RPO missed')} ${b.rpoHours !== null ? `${b.rpoHours}&nbsp;h` : ''}`,
          `${badge(b.rtoOk, 'RTO met', b.lastRestoreMs === null ? 'RTO unproven' : 'RTO missed')} ` +
            `${b.rtoHours !== null ? `${b.rtoHours}&nbsp;h` : ''}` +
            (b.lastRestoreMs !== null
              ? ` (restore took ${e(formatDuration(b.lastRestoreMs))})`
              : ''),
        ]),
        [1, 2, 3, 4],
      ),
    ),
    part('Slowest queries', r.slowQueries, (rows) =>
      table(
        ['Target', 'Database', 'Mean', 'Calls', 'Total', 'Statement'],
        rows.map((q) => [
          e(q.targetName),
          e(q.database ?? '—'),
          e(`${q.meanMs.toFixed(1)} ms`),
          String(q.calls),
          e(formatDuration(q.totalMs)),
          `<code>${e(q.query.slice(0, 400))}</code>`,
        ]),
        [2, 3, 4],
      ),
    ),
    part('Capacity forecasts', r.capacity, (rows) =>
      table(
        ['Target', 'Resource', 'Now', 'Limit', 'Reached', 'Advice'],
        rows.map((c) => [
          e(c.targetName),
          e(c.resource),
          e(formatValue(c.current, c.unit)),
          e(formatValue(c.limit, c.unit)),
          c.reachesAt === null
            ? 'no date'
            : e(
                `${t(c.reachesAt).slice(0, 10)}` +
                  (c.uncertaintyDays !== null ? ` (± ${Math.round(c.uncertaintyDays)} days)` : ''),
              ),
          e(c.advice),
        ]),
      ),
    ),
    part('Checklists', r.checklists, (rows) =>
      table(
        ['Started', 'Checklist', 'Outcome', 'By', 'Failed', 'Warnings', 'Stale', 'Problems'],
        rows.map((c) => [
          e(t(c.startedAt)),
          e(c.checklist),
          e(c.status),
          e(c.by),
          c.failed ? `<span class="bad">${c.failed}</span>` : '0',
          String(c.warnings),
          String(c.stale),
          e(c.problems.join('; ')),
        ]),
      ),
    ),
    part('Pending updates', r.updates, (rows) =>
      table(
        ['Target', 'Pending', 'Security', 'Checked'],
        rows.map((u) => [
          e(u.targetName),
          String(u.pending),
          String(u.security),
          e(t(u.checkedAt)),
        ]),
      ),
    ),
  ];
  return parts.join('\n');
}

export function reportHtml(r: Report, now: number): string {
  return page(r.title, reportBody(r), now);
}
