// Reports as one self-contained HTML file: inline style, no scripts, no external resources,
// every value escaped. Pure: takes the run or incident and the time of export.
import type {
  EscalationMatrix,
  HtmlExport,
  Incident,
  Run,
  StepResult,
} from '../../shared/runbooks';
import { escapeHtml as e, htmlPage, metaTable } from '../html-page';

function when(t: number | null): string {
  return t === null
    ? '—'
    : new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#111;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;
text-align:left;vertical-align:top}pre{background:#f4f4f4;padding:6px;white-space:pre-wrap;
word-break:break-word;margin:4px 0}.failed{color:#a00}.skipped{color:#a60}.done{color:#060}
.meta td:first-child{width:12em;color:#555}`;

function page(title: string, body: string, now: number): string {
  return htmlPage(
    title,
    STYLE,
    body,
    `<p><small>Exported by Opsdeck at ${e(when(now))}.</small></p>`,
  );
}

const meta = metaTable;

function attemptHtml(r: StepResult): string {
  const facts = [
    `attempt ${r.attempt}`,
    r.by ? `by ${r.by}` : '',
    r.startedAt ? `at ${when(r.startedAt)}` : '',
    r.exitCode !== null ? `exit ${r.exitCode}` : '',
    r.outcome ? `check ${r.outcome}` : '',
    r.value !== null ? `value ${r.value}` : '',
    r.confirmed ? 'confirmed by the operator' : '',
    r.choice ? `chose ${r.choice}` : '',
  ].filter(Boolean);
  const parts = [`<p class="${e(r.status)}"><b>${e(r.status)}</b> — ${e(facts.join(', '))}</p>`];
  if (r.text) parts.push(`<pre>${e(r.text)}</pre>`);
  if (r.skipReason) parts.push(`<p>Skipped because: ${e(r.skipReason)}</p>`);
  if (r.error) parts.push(`<p class="failed">${e(r.error)}</p>`);
  if (r.output) {
    const cut = r.truncated ? ' (cut at the output cap)' : '';
    parts.push(`<details open><summary>Output${cut}</summary><pre>${e(r.output)}</pre></details>`);
  }
  return parts.join('\n');
}

/** A step's word and colour class in the report: a check that found a problem never reads
 * "done", and a step a decision jumped over reads "not taken". */
function statusWord(run: Run, last: StepResult | undefined): [string, string] {
  if (!last) return run.status === 'completed' ? ['not taken', 'pending'] : ['pending', 'pending'];
  if (last.status === 'done' && last.outcome === 'fail') return ['check failed', 'failed'];
  if (last.status === 'done' && last.outcome === 'warning') return ['warning', 'skipped'];
  return [last.status, last.status];
}

function runBody(run: Run): string {
  const rows: [string, string][] = [
    ['Runbook', `${run.title} (${run.runbookId})`],
    ['Status', run.status],
    ['Started', `${when(run.startedAt)} by ${run.startedBy}`],
    ['Finished', when(run.finishedAt)],
    ['Parameters', JSON.stringify(run.params)],
    [
      'Targets',
      Object.entries(run.targets)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || '—',
    ],
    ['Incident', run.incidentId ?? '—'],
  ];
  const steps = run.plan.map((p) => {
    const attempts = run.history.filter((h) => h.index === p.index);
    const notes = run.notes.filter((n) => n.index === p.index);
    const [word, cls] = statusWord(run, attempts[attempts.length - 1]);
    return [
      `<h3>${p.index + 1}. ${e(p.title)} <small class="${e(cls)}">[${e(word)}]</small></h3>`,
      p.targetName ? `<p>Target: ${e(p.targetName)}${p.mode ? ` — ${e(p.mode)}` : ''}</p>` : '',
      p.expect ? `<p>Expected: ${e(p.expect)}</p>` : '',
      attempts.length
        ? attempts.map(attemptHtml).join('\n')
        : p.text
          ? `<pre>${e(p.text)}</pre>`
          : '',
      notes.map((n) => `<p>Note (${e(n.by)}, ${e(when(n.t))}): ${e(n.text)}</p>`).join('\n'),
    ].join('\n');
  });
  const general = run.notes.filter((n) => n.index === null);
  const notes = general.length
    ? `<h2>Notes</h2>${general.map((n) => `<p>${e(when(n.t))} ${e(n.by)}: ${e(n.text)}</p>`).join('')}`
    : '';
  return `${meta(rows)}<h2>Steps</h2>${steps.join('\n')}${notes}`;
}

function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60);
}

export function runHtml(run: Run, now: number): HtmlExport {
  const title = `Run of "${run.title}" — ${when(run.startedAt)}`;
  return {
    fileName: `opsdeck-run-${fileSafe(run.runbookId)}-${run.id}.html`,
    html: page(title, `<h1>${e(title)}</h1>${runBody(run)}`, now),
  };
}

export function incidentHtml(
  inc: Incident,
  runs: Run[],
  matrix: EscalationMatrix,
  now: number,
): HtmlExport {
  const level = matrix.levels[inc.escalation.level];
  const rows: [string, string][] = [
    ['Type', inc.type],
    ['Severity', inc.severity],
    ['Status', inc.status],
    ['Opened', `${when(inc.openedAt)} by ${inc.openedBy} (${inc.origin})`],
    ['Acknowledged', inc.ackAt ? `${when(inc.ackAt)} by ${inc.ackBy ?? '?'}` : 'no'],
    ['Resolved', when(inc.resolvedAt)],
    ['Escalation level', level ? `${level.name} since ${when(inc.escalation.since)}` : '—'],
    ['Affected targets', inc.targetIds.join(', ') || '—'],
  ];
  const timeline = inc.timeline
    .map(
      (t) =>
        `<tr><td>${e(when(t.t))}</td><td>${e(t.kind)}</td><td>${e(t.by)}</td><td><pre>${e(t.text)}</pre></td></tr>`,
    )
    .join('');
  const body = [
    `<h1>Incident: ${e(inc.title)}</h1>`,
    meta(rows),
    `<h2>Symptoms</h2><pre>${e(inc.symptoms || '—')}</pre>`,
    `<h2>Impact</h2><pre>${e(inc.impact || '—')}</pre>`,
    `<h2>Timeline</h2><table><tr><th>Time</th><th>What</th><th>Who</th><th>Detail</th></tr>${timeline}</table>`,
    ...runs.map((r) => `<h2>Run: ${e(r.title)}</h2>${runBody(r)}`),
  ].join('\n');
  return {
    fileName: `opsdeck-incident-${fileSafe(inc.title)}-${inc.id}.html`,
    html: page(`Incident: ${inc.title}`, body, now),
  };
}
