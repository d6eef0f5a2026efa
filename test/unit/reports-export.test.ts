// Report exports on a fixed report: CSV cells quoted and safe from formula injection, each
// table its own section, text that round-trips through a CSV reader; the HTML escaped, with
// its charts as inline SVG and nothing that could load from outside the file.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvCell, csvRow, reportCsv } from '../../src/main/reports/csv';
import { reportHtml } from '../../src/main/reports/html';
import { chromiumArgs, chromiumPrinter } from '../../src/main/reports/pdf';
import { sampleReport } from './reports-fixture';

/** A small RFC 4180 reader: enough to prove the writer's quoting. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  row.push(cell);
  rows.push(row);
  return rows;
}

describe('CSV', () => {
  test('text is quoted with doubled quotes; numbers and empties are bare', () => {
    assert.equal(csvCell('a "b", c\nd'), '"a ""b"", c\nd"');
    assert.equal(csvCell(-5), '-5');
    assert.equal(csvCell(0.25), '0.25');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(true), 'yes');
    assert.equal(csvCell(Number.NaN), '');
  });

  test('a text cell starting with = + - @ tab or CR is prefixed so it is never a formula', () => {
    for (const s of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\t=x', '\r=x']) {
      assert.equal(csvCell(s).startsWith(`"'`), true, s);
    }
    assert.equal(csvRow(['=HYPERLINK("http://x")', 'ok']), `"'=HYPERLINK(""http://x"")","ok"`);
  });

  test('each table is a section: its name, its header, its rows, an empty line', () => {
    const csv = reportCsv(sampleReport());
    const rows = parseCsv(csv);
    const names = rows.filter((r) => r[0].startsWith('# ')).map((r) => r[0]);
    assert.deepEqual(names.slice(0, 5), [
      '# Report',
      '# Availability',
      '# Outages',
      '# Resources',
      '# Alerts',
    ]);
    const at = rows.findIndex((r) => r[0] === '# Availability');
    assert.deepEqual(rows[at + 1], [
      'Target',
      'Availability %',
      'Rounds ok',
      'Rounds failed',
      'Down (s)',
      'Outages',
    ]);
    assert.deepEqual(rows[at + 2], ["'=evil()", '99.306', '1430', '10', '600', '1']);
    const alerts = rows.findIndex((r) => r[0] === '# Alerts');
    assert.equal(rows[alerts + 2][6], 'CPU "busy", at 92 %\nsee runbook');
    const updates = rows.findIndex((r) => r[0] === '# Pending updates');
    assert.match(rows[updates + 1][0], /Not collected/);
  });
});

describe('HTML', () => {
  const html = reportHtml(sampleReport(), Date.UTC(2026, 11, 1, 8));

  test('values are escaped', () => {
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script/i);
  });

  test('charts are inline SVG and nothing refers outside the file', () => {
    assert.match(html, /<svg width="160" height="36"[^>]*><rect/);
    assert.match(html, /<polyline points="[\d., ]+"/);
    for (const bad of [/https?:/i, /\bsrc=/i, /\bhref=/i, /url\(/i, /@import/i, /<link/i]) {
      assert.doesNotMatch(html, bad);
    }
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  test('the figures a reader looks for are there', () => {
    assert.match(html, /<h1>Daily report, all targets, Mon 30 Nov 2026<\/h1>/);
    assert.match(html, /99\.3 %/);
    assert.match(html, /2026-11-30 14:20 – 2026-11-30 14:30 \(10 min\)/);
    assert.match(html, /RPO met/);
    assert.match(html, /Not collected/);
  });
});

describe('PDF printing', () => {
  test('Chromium is started with no network and one local file', () => {
    const args = chromiumArgs('/tmp/p', '/tmp/p/o.pdf', 'file:///tmp/p/r.html', false);
    assert.ok(args.includes('--host-resolver-rules=MAP * ~NOTFOUND'));
    assert.ok(args.includes('--disable-background-networking'));
    assert.ok(!args.includes('--no-sandbox'));
    assert.equal(args.at(-1), 'file:///tmp/p/r.html');
  });

  test('without Chromium the error names what to install', async () => {
    await assert.rejects(chromiumPrinter(null)('<p>x</p>'), {
      name: 'ExportFailed',
      message: /apt-get install chromium/,
    });
  });
});
