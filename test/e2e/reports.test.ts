// Reports end to end in browser mode with no target reachable (every target disabled, none
// ever contacted): a daily report made from the Reports page over seeded history, read with
// its availability, outage stretches, peaks and badges; exported to HTML (opened in
// Chromium with every request recorded: nothing beyond the file itself), to PDF (a real PDF
// whose text holds the title and figures, read by pdftotext where it is installed, else by
// the small reader in pdf-text.ts) and to CSV; the list filtered by period. Screenshots of the pages and of the exported
// HTML, light and dark, go to OPSDECK_SCREENSHOT_DIR (a temp folder by default).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { Browser, Download, Page } from 'playwright';
import { lastComplete } from '../../src/main/reports/period';
import { Store } from '../../src/main/store';
import { tempDir } from '../harness/util';
import { seedReportHistory } from '../unit/reports-seed';
import { pdfText } from './pdf-text';
import {
  launchChromium,
  openPage,
  screenshotDir,
  shoot,
  skipped,
  startBackend,
  tearDown,
  whyPagesCannotRun,
  type Backend,
} from './browser-helpers';

const SHOTS = screenshotDir('reports');
const VIEWPORT = { width: 1400, height: 900 };
const LONG = 60_000;

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function download(page: Page, button: string): Promise<{ d: Download; path: string }> {
  const [d] = await Promise.all([
    page.waitForEvent('download', { timeout: LONG }),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = join(SHOTS, d.suggestedFilename());
  await d.saveAs(path);
  return { d, path };
}

test('a daily report is made, read and exported with no target reachable', async (t) => {
  if (skipped(t, 'reports e2e', whyPagesCannotRun())) return;
  const dataDir = tempDir('opsdeck-reports-e2e-');
  const day = lastComplete('daily', Date.now());
  const store = Store.open(join(dataDir, 'opsdeck.sqlite'));
  seedReportHistory(store, day.from, false);
  store.close();

  const opened: { backend?: Backend; browser?: Browser } = {};
  t.after(() => tearDown({ ...opened, dirs: [dataDir] }));
  const backend = (opened.backend = await startBackend(dataDir));
  const browser = (opened.browser = await launchChromium());
  const { context, page, errors } = await openPage(browser, {
    viewport: VIEWPORT,
    downloads: true,
    url: backend.url,
  });

  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor({ timeout: LONG });
  await page.getByText('No report yet for this choice.').waitFor();

  // Make the daily report of yesterday for every target.
  await page.getByLabel('Period').selectOption('daily');
  await page.getByLabel('Which').selectOption('last');
  await page.getByLabel('Targets').selectOption('');
  await page.getByRole('button', { name: 'Generate now' }).click();
  const title = page.getByRole('heading', { level: 1 });
  await title.filter({ hasText: 'Daily report, all targets' }).waitFor({ timeout: LONG });
  const titleText = (await title.textContent()) ?? '';

  const availability = page.getByRole('region', { name: 'Availability', exact: true });
  const web = availability.getByRole('row').filter({ hasText: 'web-name' });
  await assert.doesNotReject(web.getByText('99.3 %').waitFor());
  assert.match((await web.textContent()) ?? '', /1430 \/ 10/);
  assert.match((await web.textContent()) ?? '', /\(10 min\): Target web-name did not answer/);
  const db = availability.getByRole('row').filter({ hasText: 'db-name' });
  assert.match((await db.textContent()) ?? '', /still down/);

  const resources = page.getByRole('region', { name: 'Resources: peaks and averages' });
  const cpu = resources.getByRole('row').filter({ hasText: 'CPU busy' });
  assert.match((await cpu.textContent()) ?? '', /92 %.*20\.5 %/);
  assert.equal(await resources.locator('svg.report-chart').count(), 7);
  const backups = page.getByRole('region', { name: 'Backups' });
  await backups.getByText('✓ RPO met').waitFor();
  await backups.getByText('✓ RTO met').waitFor();
  const updates = page.getByRole('region', { name: 'Pending updates' });
  await updates.getByText(/Not collected/).waitFor();
  await shoot(page, SHOTS, 'report');

  // HTML: a file that loads nothing.
  const html = await download(page, 'Export HTML');
  assert.match(html.d.suggestedFilename(), /^opsdeck-daily-report-\d{4}-\d\d-\d\d\.html$/);
  await page.getByText(`Saved as ${html.d.suggestedFilename()}.`).waitFor();
  const viewer = await context.newPage();
  const requests: string[] = [];
  viewer.on('request', (r) => requests.push(r.url()));
  const fileUrl = pathToFileURL(html.path).href;
  await viewer.goto(fileUrl);
  await viewer.getByRole('heading', { name: titleText, level: 1 }).waitFor();
  await viewer.getByText('99.3 %').first().waitFor();
  assert.equal(await viewer.locator('svg polyline').count(), 14);
  assert.deepEqual(requests, [fileUrl], 'the exported HTML requests nothing but itself');
  await shoot(viewer, SHOTS, 'report-exported-html');
  await viewer.close();

  // PDF: printed by headless Chromium in the backend.
  const pdf = await download(page, 'Export PDF');
  const bytes = readFileSync(pdf.path);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(bytes.subarray(-32).toString('latin1'), /%%EOF\s*$/);
  // pdftotext where installed (poppler-utils); else the small reader beside this test.
  const text = hasPdftotext()
    ? execFileSync('pdftotext', ['-layout', pdf.path, '-'], { encoding: 'utf8' })
    : pdfText(bytes);
  const flat = text.normalize('NFKC').replace(/\s+/g, ' ');
  assert.ok(flat.includes(titleText), `the PDF text holds the title: ${flat.slice(0, 300)}`);
  assert.match(flat, /web-name 99\.3 % 1430 10 10 min/);
  assert.match(flat, /CPU busy 92 %/);

  // CSV: one file, a section per table.
  const csv = readFileSync((await download(page, 'Export CSV')).path, 'utf8');
  assert.match(csv, /^"# Report"\r\n/);
  const availabilityCsv = csv.slice(csv.indexOf('"# Availability"'));
  assert.match(availabilityCsv, /^"# Availability"\r\n"Target","Availability %",/);
  assert.match(availabilityCsv, /\r\n"web-name",99\.306,1430,10,600,1\r\n/);

  // The list: the report is there under daily, not under weekly.
  await page.getByRole('link', { name: '← All reports' }).click();
  const list = page.getByRole('table');
  await list.getByRole('link', { name: titleText }).waitFor();
  await shoot(page, SHOTS, 'reports');
  await page.getByLabel('Show').selectOption('weekly');
  await page.getByText('No report yet for this choice.').waitFor();
  await page.getByLabel('Show').selectOption('daily');
  await list.getByRole('link', { name: titleText }).waitFor();

  // The schedule is a setting that sticks.
  await page.getByLabel('Monthly').uncheck();
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Save schedule' }).waitFor();
  assert.equal(await page.getByLabel('Monthly').isChecked(), false);
  assert.equal(await page.getByLabel('Daily', { exact: true }).isChecked(), true);

  errors.assertNone();
});
