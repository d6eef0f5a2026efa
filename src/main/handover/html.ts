// A handover as one self-contained HTML file: inline style, no script, no external
// resource, every value escaped. Pure: takes the handover and the time of export.
import type { FactLevel, Handover, HandoverSection } from '../../shared/handover';
import { assertNever } from '../../shared/result';
import { escapeHtml as e, htmlPage, metaTable } from '../html-page';

function when(t: number | null): string {
  return t === null
    ? '—'
    : new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/:\d\d\.\d+Z$/, ' UTC');
}

const STYLE = `
body{font:14px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#111;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;
text-align:left;vertical-align:top}.meta td:first-child{width:12em;color:#555}
.critical{color:#a00;font-weight:600}.warning{color:#8a5a00;font-weight:600}.info{color:#555}
.notes{white-space:pre-wrap;border-left:3px solid #999;padding-left:.8em}.empty{color:#555}`;

function statusWords(h: Handover): string {
  switch (h.status) {
    case 'draft':
      return 'Draft (not handed over)';
    case 'handed-over':
      return `Handed over ${when(h.handedAt)}, not acknowledged yet`;
    case 'acknowledged':
      return `Acknowledged by ${h.incoming ?? '—'} at ${when(h.ackAt)}`;
    default:
      return assertNever(h.status, 'handover status');
  }
}

function levelWord(l: FactLevel): string {
  switch (l) {
    case 'critical':
      return 'critical';
    case 'warning':
      return 'warning';
    case 'info':
      return 'info';
    default:
      return assertNever(l, 'fact level');
  }
}

function sectionHtml(s: HandoverSection): string {
  const head = `<h2>${e(s.title)} (${s.facts.length})</h2>`;
  if (s.facts.length === 0) return `${head}<p class="empty">${e(s.empty)}</p>`;
  const rows = s.facts
    .map(
      (f) =>
        `<tr><td class="${levelWord(f.level)}">${e(levelWord(f.level))}</td>` +
        `<td>${e(f.title)}</td><td>${e(f.targetName ?? '—')}</td>` +
        `<td>${e(when(f.at))}</td><td>${e(f.detail)}</td></tr>`,
    )
    .join('');
  return (
    `${head}<table><thead><tr><th>Level</th><th>What</th><th>Target</th><th>When</th>` +
    `<th>Detail</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

export function handoverHtml(h: Handover, now: number): string {
  const title = `Shift handover from ${h.outgoing}, ${when(h.handedAt ?? h.createdAt)}`;
  const meta: [string, string][] = [
    ['Status', statusWords(h)],
    ['Outgoing operator', h.outgoing],
    ['Incoming operator', h.incoming ?? '—'],
    ['Facts as of', when(h.facts.composedAt)],
    ['Shift', `${h.facts.shiftHours} h (${when(h.facts.from)} to ${when(h.facts.until)})`],
  ];
  if (h.ackNote) meta.push(['Acknowledgement note', h.ackNote]);
  const tasks = h.tasks.length
    ? `<ul>${h.tasks.map((t) => `<li>${t.done ? '[done] ' : '[open] '}${e(t.text)}</li>`).join('')}</ul>`
    : '<p class="empty">No ongoing task was listed.</p>';
  const notes = h.notes.trim()
    ? `<div class="notes">${e(h.notes)}</div>`
    : '<p class="empty">No notes.</p>';
  const body = [
    `<h1>${e(title)}</h1>`,
    metaTable(meta),
    `<h2>Notes</h2>${notes}`,
    `<h2>Ongoing tasks (${h.tasks.filter((t) => !t.done).length} open)</h2>${tasks}`,
    ...h.facts.sections.map(sectionHtml),
  ].join('\n');
  return htmlPage(
    title,
    STYLE,
    body,
    `<p><small>Exported by Opsdeck at ${e(when(now))}.</small></p>`,
  );
}
