// Checklists end to end in browser mode with no target reachable: the daily checklist run
// from the Checklists page on seeded store data, the items whose data is old shown stale
// (badge word and colour), a failing item with its details and action, the manual item
// "Failed logins reviewed" ticked with Enter and given a note, the run left and resumed from
// "Runs to finish", finished with a closing note and found in the history. Screenshots of
// both pages, light and dark, go to OPSDECK_SCREENSHOT_DIR (a temp folder by default).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { seedChecklistData } from '../integration/checklists-seed';
import { tempDir } from '../harness/util';
import {
  launchChromium,
  openPage,
  printBackendLog,
  ROOT,
  screenshotDir,
  shoot,
  skipped,
  startBackend,
  tearDown,
  whyPagesCannotRun,
  type Backend,
} from './browser-helpers';

const SHOTS = screenshotDir('checklists');
const VIEWPORT = { width: 1400, height: 900 };
/** Generous for a loaded 2-core machine; never a timed assertion. */
const LONG = 30_000;
const NOTE = 'twelve failures from one address; blocked';

function whyCannotRun(): string | null {
  const why = whyPagesCannotRun();
  if (why) return why;
  if (!existsSync(join(ROOT, 'out', 'main', 'checklists', 'daily.yaml')))
    return 'the built-in checklists are not in out/main/checklists: npx electron-vite build';
  return null;
}

/** A loopback port this test bound and released: the seeded targets point there, and
 * nothing listens, so every target is unreachable. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** An item of the run by its title (list items carry "title: outcome" as their name). */
function item(page: Page, title: string): Locator {
  return page.locator('li.cl-item').filter({ has: page.getByText(title, { exact: true }) });
}

async function badgeWord(it: Locator): Promise<string> {
  return (await it.locator('.cl-item-head .cl-badge').innerText()).replace(/^\W+\s*/, '').trim();
}

test('the daily checklist runs offline with stale items marked stale', async (t) => {
  if (skipped(t, 'checklists e2e', whyCannotRun())) return;
  const dataDir = tempDir('opsdeck-checklists-e2e-');
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    seedChecklistData(dataDir, Date.now() - 30 * 60_000, await closedPort());
    backend = await startBackend(dataDir);
    browser = await launchChromium();
    const { page, errors } = await openPage(browser, { viewport: VIEWPORT, url: backend.url });
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Checklists' })
      .click();
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Checklists' }).waitFor({ timeout: LONG });
    for (const title of ['Daily checks', 'Weekly checks', 'Monthly checks'])
      await main.getByRole('heading', { level: 2, name: title }).waitFor();
    assert.equal(await main.getByText('Never run.').count(), 3);

    await main.getByRole('button', { name: 'Run daily checks' }).click();
    await main.getByRole('heading', { level: 1, name: /Daily checks/ }).waitFor({ timeout: LONG });

    // Every target went away: the last samples are 31 minutes (web-2: 2.5 hours) old, so
    // every figure-based item is stale, never a pass; collection itself fails.
    const memory = item(page, 'At least 20 % memory available (fail under 10 %)');
    assert.equal(await badgeWord(memory), 'stale');
    assert.match(
      await memory.innerText(),
      /stale\s*web-2 memory: no fresh data \(last sample 2\.5 h ago\)/,
    );
    const disk = item(page, 'Disk space and inodes below 80 % (fail at 90 %)');
    assert.equal(await badgeWord(disk), 'stale');
    assert.match(
      await disk.innerText(),
      /stale\s*web-1 \/ space: no fresh data \(last sample 31 min ago\)/,
    );
    assert.equal(await badgeWord(item(page, 'Connections below 70 % of max_connections')), 'stale');
    assert.equal(await badgeWord(item(page, 'Redis memory below 80 % of maxmemory')), 'stale');
    const collected = item(page, 'Every target collected in the last 5 minutes');
    assert.equal(await badgeWord(collected), 'fail');
    assert.match(
      await collected.innerText(),
      /web-1[\s\S]*last collected 31 min ago \(limit 5 min\)/,
    );
    const critical = item(page, 'No critical alert firing');
    assert.equal(await badgeWord(critical), 'fail');
    assert.match(await critical.innerText(), /Disk space above 90 %[\s\S]*What to do: Open Alerts/);
    assert.equal(
      await badgeWord(
        item(
          page,
          'Newest backup verified within 24 h (each PostgreSQL target with a backup policy)',
        ),
      ),
      'pass',
    );
    const stale = await page.locator('li.cl-item .cl-item-head .cl-stale').count();
    assert.ok(stale >= 8, `the figure-based items are stale, saw ${stale}`);
    await shoot(page, SHOTS, 'checklist-run');

    // The manual item: Enter on it ticks it done; a note is saved on Enter in its field.
    const logins = item(page, 'Failed logins reviewed');
    assert.equal(await badgeWord(logins), 'to do');
    await logins.focus();
    await page.keyboard.press('Enter');
    await page
      .locator('li.cl-item[aria-label="Failed logins reviewed: pass"]')
      .waitFor({ timeout: LONG });
    const note = logins.getByRole('textbox', { name: 'Note' });
    await note.fill(NOTE);
    await note.press('Enter');
    await page.getByText(/1 to do/).waitFor({ timeout: LONG });

    // Left, then resumed from "Runs to finish": the tick and the note are still there.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Checklists' })
      .click();
    const toFinish = main.getByRole('region', { name: 'Runs to finish' });
    await toFinish.getByRole('link', { name: 'Daily checks' }).click({ timeout: LONG });
    await main.getByRole('heading', { level: 1, name: /Daily checks/ }).waitFor({ timeout: LONG });
    assert.equal(await badgeWord(item(page, 'Failed logins reviewed')), 'pass');
    assert.equal(
      await item(page, 'Failed logins reviewed')
        .getByRole('textbox', { name: 'Note' })
        .inputValue(),
      NOTE,
    );

    await main.getByRole('textbox', { name: 'Closing note' }).fill('disk on web-1 to day shift');
    await main.getByRole('button', { name: 'Finish run' }).click();
    await main.getByText(/finished .* by /).waitFor({ timeout: LONG });
    await shoot(page, SHOTS, 'checklist-finished');

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Checklists' })
      .click();
    const history = main.getByRole('region', { name: 'History' });
    await history.getByRole('link', { name: 'Daily checks' }).waitFor({ timeout: LONG });
    // The list may show what it held before the finish for a moment, then refreshes.
    await history.getByText(/^finished\b/).waitFor({ timeout: LONG });
    assert.match(await history.innerText(), /fail[\s\S]*finished/);
    assert.equal(await main.getByRole('region', { name: 'Runs to finish' }).count(), 0);
    await shoot(page, SHOTS, 'checklists');
    errors.assertNone();
  } catch (err) {
    printBackendLog(backend);
    throw err;
  } finally {
    await tearDown({ browser, backend, dirs: [dataDir] });
  }
});
