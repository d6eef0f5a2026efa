// The frame of every self-contained HTML export (run, incident, report, handover): one file
// with inline style, a policy that forbids loading anything, no script, every value escaped.
// Pure: takes text, returns text.

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** A whole page: `body` and `footer` are HTML already escaped by the caller. */
export function htmlPage(title: string, style: string, body: string, footer: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${POLICY}">`,
    `<title>${escapeHtml(title)}</title><style>${style}</style></head><body>`,
    body,
    footer,
    '</body></html>',
    '',
  ].join('\n');
}

/** A two-column table of labels and values (escaped here). */
export function metaTable(rows: readonly (readonly [string, string])[]): string {
  const tr = rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`);
  return `<table class="meta">${tr.join('')}</table>`;
}
