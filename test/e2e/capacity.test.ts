// The Capacity page in browser mode on a data folder seeded with 60 days of generated
// history (targets disabled, on .invalid names: nothing is reachable, everything comes from
// the local store): the table is sorted by days to the limit, a row's chart draws its daily
// peaks and trend band, and the window and group pickers reload it. Screenshots, light and
// dark, go to OPSDECK_SCREENSHOT_DIR (a temp folder by default).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { Store } from '../../src/main/store';
import { seedCapacityHistory } from '../harness/capacity-history';
import { tempDir } from '../harness/util';
import {
  drawnPoints,
  launchChromium,
  openPage,
  printBackendLog,
  screenshotDir,
  shoot,
  skipped,
  startBackend,
  tearDown,
  until,
  whyPagesCannotRun,
  type Backend,
} from './browser-helpers';

const SHOTS = screenshotDir('capacity');
const VIEWPORT = { width: 1400, height: 1000 };
const LONG = 30_000;

/** "host-b Filesystem /data" per row, as the table shows them, top to bottom. */
async function rowNames(page: Page): Promise<string[]> {
  return page.getByTestId('capacity-row').evaluateAll((rows) =>
    rows.map((r) =>
      Array.from(r.querySelectorAll('td'))
        .slice(0, 2)
        .map((td) => td.textContent?.trim() ?? '')
        .join(' '),
    ),
  );
}

test('the capacity table and chart read from seeded history with nothing reachable', async (t) => {
  if (skipped(t, 'capacity e2e', whyPagesCannotRun())) return;
  const dataDir = tempDir('e2e-capacity');
  const store = Store.open(join(dataDir, 'opsdeck.sqlite'));
  seedCapacityHistory(store, Date.now());
  store.close();
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    backend = await startBackend(dataDir);
    browser = await launchChromium();
    const { page, errors } = await openPage(browser, { viewport: VIEWPORT, url: backend.url });
    const main = (): Locator => page.getByRole('main');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Capacity' })
      .click();
    await main().getByRole('heading', { level: 1, name: 'Capacity' }).waitFor();
    await page.getByTestId('capacity-row').first().waitFor({ timeout: LONG });

    // Soonest limit first; those without a date after them; too little data last.
    const names = await rowNames(page);
    assert.deepEqual(names.slice(0, 5), [
      'host-b Filesystem /data',
      'cache-1 Redis memory',
      'host-a Filesystem /var',
      'host-b Memory',
      'host-b CPU',
    ]);
    assert.equal(names[names.length - 1], 'fresh-host Filesystem /');
    const firstWhen = await page
      .getByTestId('capacity-row')
      .first()
      .locator('td')
      .nth(8)
      .innerText();
    assert.match(firstWhen, /^\d{1,2} [A-Z][a-z]{2}( \d{4})? \(± (\d+|<1) d\)\s+in 1[23] days$/);
    await assert.doesNotReject(
      main().getByText('2 resources reach the limit within 30 days.').waitFor(),
    );

    // The most urgent row is charted at once; picking /var on host-a charts that one.
    const chartOf = (): Locator => page.getByTestId('capacity-chart');
    await until('the first chart draws', async () => (await drawnPoints(chartOf())) >= 30, LONG);
    await page.getByTestId('capacity-row').nth(2).getByRole('button', { name: 'host-a' }).click();
    const detail = main().getByRole('region', { name: 'Forecast chart' });
    await detail.getByRole('heading', { name: 'Filesystem /var on host-a' }).waitFor();
    await detail.getByText(/^\/var on host-a reaches 90 % around /).waitFor();
    await until(
      'the /var chart draws peaks and a line to the horizon',
      async () => {
        const n = await drawnPoints(chartOf());
        const limit = await chartOf()
          .getByText(/^limit 90(\.0)? ?%$/)
          .count();
        return (n >= 30 && limit === 1) || `${n} points, limit label ${limit}`;
      },
      LONG,
    );
    assert.equal(
      await page.getByTestId('capacity-row').nth(2).getAttribute('aria-selected'),
      'true',
    );
    await shoot(page, SHOTS, 'capacity');

    // A 7-day window fits 7 daily peaks.
    await page.getByLabel('Trend over').selectOption('7');
    await detail.getByText(/from 7 daily peaks over 7 days/).waitFor({ timeout: LONG });

    // The data group holds the database and the Redis server only.
    await page.getByLabel('Group').selectOption('data');
    await until(
      'the data group only',
      async () => {
        const rows = await rowNames(page);
        return (
          (rows.length === 3 && rows.every((r) => /^(pg-main|cache-1) /.test(r))) || rows.join('; ')
        );
      },
      LONG,
    );
    await shoot(page, SHOTS, 'capacity-data-group');
    errors.assertNone();
  } catch (err) {
    printBackendLog(backend);
    throw err;
  } finally {
    await tearDown({ browser, backend, dirs: [dataDir] });
  }
});
