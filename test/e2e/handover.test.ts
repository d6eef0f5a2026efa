// Shift handover end to end in browser mode: the outgoing operator starts a draft (an open
// incident is in it, linked), writes notes and a task, hands over after confirming; the
// incoming operator acknowledges with a name; the handover is in the history, read-only,
// found by its note text, and its HTML export references nothing outside the file.
// Screenshots, light and dark, go to OPSDECK_SCREENSHOT_DIR (a temp folder by default).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { tempDir } from '../harness/util';
import {
  call,
  launchChromium,
  openPage,
  printBackendLog,
  screenshotDir,
  shoot,
  skipped,
  startBackend,
  tearDown,
  value,
  whyPagesCannotRun,
  type Backend,
} from './browser-helpers';

const SHOTS = screenshotDir('handover');
const VIEWPORT = { width: 1400, height: 900 };
const LONG = 30_000;
const INCIDENT = 'Checkout answers 502';
const NOTE = 'Restarted pgbouncer at 03:10 after the pool filled up; keep an eye on it.';
const TASK = 'Call the storage vendor about the slow volume';

test('a handover drafted, handed over, acknowledged, found in the history', async (t) => {
  if (skipped(t, 'handover e2e', whyPagesCannotRun())) return;
  const dataDir = tempDir('e2e-handover');
  const downloads = tempDir('e2e-handover-downloads');
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    backend = await startBackend(dataDir);
    const inc = await value<{ id: string }>(backend, 'openIncident', {
      title: INCIDENT,
      type: 'availability',
      severity: 'high',
      targetIds: ['local'],
    });
    browser = await launchChromium();
    const { page, errors } = await openPage(browser, {
      viewport: VIEWPORT,
      downloads: true,
      url: backend.url,
    });
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Handover' })
      .click();
    await draft(page, inc.id);
    await handOver(page);
    const id = await acknowledge(page, backend);
    await history(page, backend, id, downloads);
    errors.assertNone();
  } catch (err) {
    printBackendLog(backend);
    throw err;
  } finally {
    await tearDown({ browser, backend, dirs: [dataDir, downloads] });
  }
});

async function draft(page: Page, incidentId: string): Promise<void> {
  const main = page.getByRole('main');
  await main.getByRole('heading', { level: 1, name: 'Shift handover' }).waitFor();
  await main.getByText('No handover yet.').waitFor();
  await shoot(page, SHOTS, 'handover-empty');
  await main.getByRole('button', { name: 'Start a handover draft' }).click();
  const incidents = main.getByRole('region', { name: /^Open incidents/ });
  const link = incidents.getByRole('link', { name: INCIDENT });
  await link.waitFor({ timeout: LONG });
  assert.equal(await link.getAttribute('href'), `#/incidents/${incidentId}`);
  assert.equal(await incidents.getByRole('heading').textContent(), 'Open incidents 1');
  await main
    .getByRole('region', { name: /^Firing alerts/ })
    .getByText('No alert is firing.')
    .waitFor();

  const outgoing = main.getByLabel('Outgoing operator');
  assert.notEqual(await outgoing.inputValue(), '', 'the OS user is the default outgoing name');
  await outgoing.fill('Night Owl');
  await main.getByLabel('Notes for the next shift').fill(NOTE);
  await main.getByLabel('New task').fill(TASK);
  await main.getByLabel('New task').press('Enter');
  await main.getByLabel('New task').fill('Rotate the on-call phone');
  await main.getByRole('button', { name: 'Add task' }).click();
  await main.getByRole('button', { name: 'Remove task: Rotate the on-call phone' }).click();
  await main.getByRole('button', { name: 'Save notes and tasks' }).click();
  await main.getByText(/^Saved /).waitFor();
  await main.getByRole('button', { name: 'Refresh facts' }).click();
  await main.getByRole('button', { name: 'Refresh facts' }).waitFor();
  assert.equal(await main.getByLabel('Notes for the next shift').inputValue(), NOTE);
  await shoot(page, SHOTS, 'handover-draft');
}

async function handOver(page: Page): Promise<void> {
  const main = page.getByRole('main');
  await main.getByRole('button', { name: 'Hand over…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand over the shift?' });
  await dialog.getByText('Night Owl').waitFor();
  await shoot(page, SHOTS, 'handover-confirm');
  await dialog.getByRole('button', { name: 'Hand over' }).click();
  await main
    .getByRole('heading', { level: 2, name: /^Handed over by Night Owl at / })
    .waitFor({ timeout: LONG });
  await main.getByRole('button', { name: 'Start a handover draft' }).waitFor();
  const waiting = main.getByRole('region', { name: /^Handed over by Night Owl/ });
  await waiting.getByText(NOTE).waitFor();
  await waiting.getByText(TASK).waitFor();
  await waiting.getByRole('link', { name: INCIDENT }).waitFor();
  await shoot(page, SHOTS, 'handover-waiting');
}

async function acknowledge(page: Page, backend: Backend): Promise<string> {
  const main = page.getByRole('main');
  await main.getByRole('button', { name: 'Acknowledge…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Take over the shift from Night Owl?' });
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await dialog
    .getByRole('alert')
    .getByText(/Type your name/)
    .waitFor();
  await dialog.getByLabel('Your name').fill('Early Bird');
  await dialog.getByLabel('Note (optional)').fill('Read and understood');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await dialog.waitFor({ state: 'detached' });
  await main.getByText('No draft and nothing waiting.').waitFor();
  const list = await value<{ id: string; status: string; incoming: string | null }[]>(
    backend,
    'handoverList',
    {},
  );
  assert.equal(list.length, 1);
  assert.equal(list[0].status, 'acknowledged');
  assert.equal(list[0].incoming, 'Early Bird');
  // The API refuses edits of an acknowledged handover and says why.
  const edit = await call(backend, 'handoverSave', { id: list[0].id, notes: 'rewritten' });
  assert.equal(edit.ok, false);
  assert.equal(edit.error?.name, 'HandoverReadOnly');
  assert.match(edit.error?.message ?? '', /acknowledged by Early Bird .*read-only/);
  return list[0].id;
}

async function history(page: Page, backend: Backend, id: string, downloads: string): Promise<void> {
  const main = page.getByRole('main');
  const hist = main.getByRole('region', { name: 'History' });
  const row = hist.getByRole('row', { name: /Night Owl → Early Bird/ });
  await row.waitFor();
  assert.match(
    (await row.textContent()) ?? '',
    /Acknowledged.*1 open incident.*Restarted pgbouncer/,
  );

  await hist.getByRole('searchbox', { name: 'Search handovers' }).fill('no such words here');
  await hist.getByRole('button', { name: 'Search' }).click();
  await hist.getByText('No handover mentions “no such words here”.').waitFor();
  await hist.getByRole('searchbox', { name: 'Search handovers' }).fill('PGBOUNCER pool');
  await hist.getByRole('button', { name: 'Search' }).click();
  await row.waitFor();
  await shoot(page, SHOTS, 'handover-history');

  await row.getByRole('link').click();
  await page.waitForURL(`**#/handover/${id}`);
  const opened = main.getByRole('region', { name: /^Handover Night Owl → Early Bird/ });
  await opened.getByText(/^Acknowledged by Early Bird at .*Read and understood/).waitFor();
  assert.equal(
    await opened.getByRole('textbox').count(),
    0,
    'an acknowledged handover is read-only',
  );
  assert.equal(await opened.getByRole('button', { name: 'Acknowledge…' }).count(), 0);
  await shoot(page, SHOTS, 'handover-opened');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    opened.getByRole('button', { name: 'Export HTML' }).click(),
  ]);
  const file = join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  const html = readFileSync(file, 'utf8');
  assert.match(download.suggestedFilename(), /^handover-\d{8}T\d{6}Z\.html$/);
  assert.match(html, /Restarted pgbouncer/);
  assert.match(html, /Checkout answers 502/);
  assert.doesNotMatch(html, /<script|<img|<link|<iframe/i);
  assert.doesNotMatch(html, /<[^>]*\s(src|href)=/i);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    opened.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.match(csv.suggestedFilename(), /^handover-\d{8}T\d{6}Z\.csv$/);
  const csvFile = join(downloads, csv.suggestedFilename());
  await csv.saveAs(csvFile);
  assert.match(readFileSync(csvFile, 'utf8'), /"Open incidents","critical","Checkout answers 502"/);
  void backend;
}
