// Browser mode end to end, as an admin uses it: `node out/main/serve.js` prints its URL,
// Debian's Chromium opens it, and everything is done through the pages: the fleet, an SSH
// host added with its host key accepted from the keyboard, PostgreSQL and Redis with their
// replicas, shortcuts, a refused token, and a restart with every server gone where the
// history must still be drawn. Saves the README screenshots in docs/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright';
import { startPostgres, type PgCluster } from '../harness/postgres';
import { startRedis, type RedisServer } from '../harness/redis';
import { startSshd, type Sshd } from '../harness/sshd';
import { removeDir, tempDir } from '../harness/util';
import {
  chart,
  drawnPoints,
  launchChromium,
  PageErrors,
  startBackend,
  tile,
  until,
  whyBrowserTestCannotRun,
  type Backend,
} from './browser-helpers';

const reason = whyBrowserTestCannotRun();
if (reason) process.stdout.write(`# browser e2e skipped: ${reason}\n`);

// The README's screenshots are refreshed with `npm run screenshots`; a plain test run keeps
// its pictures out of the work tree.
const DOCS = process.env.OPSDECK_SCREENSHOT_DIR ?? join(tmpdir(), 'opsdeck-e2e-screenshots');
const VIEWPORT = { width: 1400, height: 900 };
/** Generous: collection rounds on a loaded 2-core machine. Never a timed assertion. */
const LONG = 60_000;
const NAMES = { ssh: 'web-1', pg: 'pg-main', redis: 'cache-1' } as const;
/** Seconds between samples of the targets added here, so that charts fill during the run. */
const INTERVAL_S = '2';

describe('browser mode, end to end', { skip: reason ?? false }, () => {
  let sshd: Sshd | undefined;
  let pg: PgCluster | undefined;
  let redis: RedisServer | undefined;
  let dataDir: string | undefined;
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let errors: PageErrors;
  let maxConnections: string;

  before(async () => {
    const started = await Promise.allSettled([
      startSshd(),
      startPostgres({ replica: true }),
      startRedis({ replica: true, aclUser: true }),
    ]);
    if (started[0].status === 'fulfilled') sshd = started[0].value;
    if (started[1].status === 'fulfilled') pg = started[1].value;
    if (started[2].status === 'fulfilled') redis = started[2].value;
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    maxConnections = (await pg!.psql('SHOW max_connections;')).trim();
    dataDir = tempDir('e2e-data');
    backend = await startBackend(dataDir);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    errors = new PageErrors(page);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await backend?.stop().catch(() => undefined);
    await Promise.allSettled([sshd?.stop(), pg?.stop(), redis?.stop()]);
    if (dataDir) removeDir(dataDir);
  });

  const main = (): Locator => page.getByRole('main');
  const nav = (): Locator => page.getByRole('navigation', { name: 'Main' });
  const heading = (name: string): Locator => main().getByRole('heading', { level: 1, name });
  const rowOf = (name: string): Locator =>
    main()
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name, exact: true }) });

  async function goNav(name: RegExp, title: string): Promise<void> {
    await nav().getByRole('link', { name }).click();
    await heading(title).waitFor();
  }

  async function openTarget(name: string): Promise<void> {
    await goNav(new RegExp(`${name}$`), name);
  }

  async function openNewTargetForm(): Promise<Locator> {
    await goNav(/^Targets/, 'Targets');
    await main().getByRole('button', { name: 'Add target' }).click();
    const form = main().getByRole('form', { name: 'New target' });
    await form.waitFor();
    return form;
  }

  /** "Save and test connection", then the test's answer under the target's row. */
  async function saveAndTest(form: Locator, name: string): Promise<string> {
    await form.getByRole('button', { name: 'Save and test connection' }).click();
    const outcome = rowOf(name).locator('xpath=following-sibling::tr[1]').getByRole('status');
    await outcome.waitFor({ timeout: LONG });
    return outcome.innerText();
  }

  /** Waits until the chart titled `title` draws a line of at least `min` points. */
  async function chartFills(title: string, min = 2): Promise<void> {
    await until(
      `the ${title} chart with ${min} points or more`,
      async () => {
        const n = await drawnPoints(chart(page, title));
        return n >= min || `${n} points`;
      },
      LONG,
    );
  }

  /** Waits until the tile labelled `label` (value and detail) matches every pattern. */
  async function tileShows(label: string, ...patterns: RegExp[]): Promise<void> {
    await until(
      `the ${label} tile showing ${patterns.join(' and ')}`,
      async () => {
        const text = (await tile(main(), label).innerText({ timeout: 5000 })).replace(/\n/g, ' ');
        return patterns.every((p) => p.test(text)) || text;
      },
      LONG,
    );
  }

  /**
   * Presses `key` until `done` holds: a page's own keys are bound in an effect that may run
   * a moment after its heading shows. Only for keys that are harmless to repeat.
   */
  async function pressUntil(
    key: string,
    what: string,
    done: () => Promise<boolean>,
  ): Promise<void> {
    await until(
      what,
      async () => {
        if (await done()) return true;
        await page.keyboard.press(key);
        return done();
      },
      10_000,
    );
  }

  /** The pointer off every control, so that no hover style shows in a screenshot. */
  async function restMouse(): Promise<void> {
    await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
  }

  it('opens on the fleet with "This workstation" collecting', async () => {
    await page.goto(backend!.url);
    await heading('Fleet').waitFor();
    assert.equal(new URL(page.url()).hash, '#/fleet', 'the token leaves the address bar');
    const row = rowOf('This workstation');
    await until(
      'the workstation OK with a CPU figure',
      async () => {
        const text = (await row.innerText({ timeout: 5000 })).replace(/\n/g, ' ');
        return (/\bOK\b/.test(text) && /CPU busy \d/.test(text)) || text;
      },
      LONG,
    );
  });

  it('adds an SSH host; the host key dialog shows the fingerprint and Enter accepts it', async () => {
    const form = await openNewTargetForm();
    await form.getByLabel('Kind').selectOption({ label: 'SSH host' });
    await form.getByLabel('Name', { exact: true }).fill(NAMES.ssh);
    await form.getByLabel('Interval (s)').fill(INTERVAL_S);
    await form.getByLabel('Host', { exact: true }).fill(sshd!.host);
    await form.getByLabel('Port', { exact: true }).fill(String(sshd!.port));
    await form.getByLabel('User', { exact: true }).fill(sshd!.user);
    await form.getByLabel('Authentication').selectOption({ label: 'private key file' });
    await form.getByLabel('Key path').fill(sshd!.keyPath);
    assert.match(await saveAndTest(form, NAMES.ssh), /host key .* is not known yet/);

    const dialog = page.getByRole('dialog', { name: `Unknown host key for ${NAMES.ssh}` });
    await dialog.waitFor({ timeout: LONG });
    const shown = (await dialog.getByText(/^SHA256:/).innerText()).trim();
    assert.equal(shown, sshd!.hostKeyFingerprint, 'the dialog shows the server key fingerprint');
    const accept = dialog.getByRole('button', { name: 'Accept and connect' });
    assert.equal(
      await accept.evaluate((el) => el === document.activeElement),
      true,
      'the accept button has the focus, so Enter accepts',
    );
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: LONG });

    await until(
      'the connection test passing after the key is accepted',
      async () => {
        const text = await rowOf(NAMES.ssh)
          .locator('xpath=following-sibling::tr[1]')
          .getByRole('status')
          .innerText({ timeout: 5000 });
        return /Connection works/.test(text) || text;
      },
      LONG,
    );
    await page
      .getByRole('status')
      .filter({ hasText: `New host key from ${NAMES.ssh}` })
      .waitFor({ state: 'hidden', timeout: LONG });
  });

  it('draws the SSH host CPU and memory charts from real samples', async () => {
    await openTarget(NAMES.ssh);
    await chartFills('CPU');
    await chartFills('Memory');
    await tileShows('CPU busy', /\d+(\.\d+)?%/);
    await tileShows('Memory available', /\d+(\.\d+)?%/, /GiB|MiB/);
    const rootFs = main()
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: '/', exact: true }) });
    await rootFs.first().waitFor({ timeout: LONG });
  });

  it('adds PostgreSQL with the monitor role and shows live values', async () => {
    const form = await openNewTargetForm();
    await form.getByLabel('Kind').selectOption({ label: 'PostgreSQL' });
    await form.getByLabel('Name', { exact: true }).fill(NAMES.pg);
    await form.getByLabel('Interval (s)').fill(INTERVAL_S);
    await form.getByLabel('Host', { exact: true }).fill(pg!.host);
    await form.getByLabel('Port', { exact: true }).fill(String(pg!.port));
    await form.getByLabel('Database').fill(pg!.database);
    await form.getByLabel('User', { exact: true }).fill(pg!.monitor.user);
    await form.getByLabel('SSL mode').selectOption('disable');
    await form.getByLabel('Password', { exact: true }).fill(pg!.monitor.password);
    assert.match(await saveAndTest(form, NAMES.pg), /Connection works/);

    await openTarget(NAMES.pg);
    await tileShows('Connections', new RegExp(`^Connections \\d+ of ${maxConnections} `));
    await tileShows('Role', /^Role primary /, /\b1 replica\b/);
    await chartFills('Connections by state');
  });

  it('adds Redis with the ACL user and shows live values', async () => {
    const acl = redis!.aclUser!;
    // An application's keys, so that the page has a keyspace to show.
    const pairs = Array.from({ length: 200 }, (_, i) => [`session:${i}`, `v${i}`]).flat();
    await redis!.cli(['MSET', ...pairs]);
    const form = await openNewTargetForm();
    await form.getByLabel('Kind').selectOption({ label: 'Redis' });
    await form.getByLabel('Name', { exact: true }).fill(NAMES.redis);
    await form.getByLabel('Interval (s)').fill(INTERVAL_S);
    await form.getByLabel('Host', { exact: true }).fill(redis!.host);
    await form.getByLabel('Port', { exact: true }).fill(String(redis!.port));
    await form.getByLabel('Username').fill(acl.user);
    await form.getByLabel('Password', { exact: true }).fill(acl.password);
    assert.match(await saveAndTest(form, NAMES.redis), /Connection works/);

    await openTarget(NAMES.redis);
    await tileShows('Memory used', /^Memory used \d+(\.\d+)? (B|KiB|MiB|GiB) /);
    await tileShows('Role', /^Role master /, /\b1 replica\b/);
    await tileShows('Keys', /^Keys 200 /);
    await chartFills('Memory');
  });

  it('navigates with the documented shortcut keys', async () => {
    await goNav(/^Fleet/, 'Fleet');
    await page.keyboard.press('t');
    await heading('Targets').waitFor();
    await page.keyboard.press('s');
    await heading('Settings').waitFor();
    await page.keyboard.press('f');
    await heading('Fleet').waitFor();

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    const filter = main().getByRole('searchbox', { name: 'Filter' });
    await pressUntil('/', '"/" focusing the fleet filter', () =>
      filter.evaluate((el) => el === document.activeElement),
    );
    await page.keyboard.type('redis');
    const rows = main().getByRole('row');
    await until('only the Redis row', async () => (await rows.count()) === 2, 10_000);
    await rowOf(NAMES.redis).waitFor();
    await page.keyboard.press('Escape');
    await until('all four rows back', async () => (await rows.count()) === 5, 10_000);

    await openTarget(NAMES.ssh);
    const range = page.getByRole('group', { name: 'Time range' });
    await pressUntil('1', '"1" choosing 15 min', async () =>
      range.getByRole('button', { name: '15 min', pressed: true }).isVisible(),
    );
    assert.match(page.url(), /range=15m/);
    const liveBox = range.getByRole('checkbox', { name: /Live/ });
    assert.equal(await liveBox.isChecked(), true);
    await page.keyboard.press('l');
    await until('"L" turning live off', async () => !(await liveBox.isChecked()), 10_000);
    await page.keyboard.press('l');
    await until('"L" turning live on', () => liveBox.isChecked(), 10_000);
  });

  it('shows the access-link page when the token is wrong or missing', async () => {
    const other = await browser!.newContext({ viewport: VIEWPORT });
    try {
      const wrong = await other.newPage();
      await wrong.goto(`${backend!.origin}/#token=not-the-token`);
      await wrong.getByRole('heading', { name: 'Opsdeck needs its access link' }).waitFor();
      await wrong.getByText(/refused the access token/).waitFor();
      assert.equal(await wrong.getByRole('navigation').count(), 0, 'no console behind it');

      const bare = await other.newPage();
      await bare.goto(`${backend!.origin}/`);
      await bare.getByRole('heading', { name: 'Opsdeck needs its access link' }).waitFor();
      await bare.getByText(/opened without its access token/).waitFor();
    } finally {
      await other.close();
    }
  });

  it('saves the README screenshots with every target live', async () => {
    mkdirSync(DOCS, { recursive: true });
    await page.keyboard.press('f');
    await heading('Fleet').waitFor();
    // A sparkline buckets its 30 minutes by the minute: a line needs samples in two minutes.
    await until(
      'four targets OK, each sparkline a line',
      async () => {
        const summary = await main()
          .getByText(/^4 targets:/)
          .innerText({ timeout: 5000 });
        const sparks = await main()
          .getByRole('img', { name: /over the last 30 minutes/ })
          .all();
        const points = await Promise.all(sparks.map((el) => drawnPoints(el)));
        const lines = points.filter((n) => n >= 2).length;
        return (/4 ok/.test(summary) && lines === 4) || `${summary}; sparkline points ${points}`;
      },
      3 * LONG,
    );
    await restMouse();
    await page.screenshot({ path: join(DOCS, 'fleet.png') });

    const shots: [string, string, string][] = [
      [NAMES.ssh, 'host.png', 'CPU'],
      [NAMES.pg, 'postgres.png', 'Connections by state'],
      [NAMES.redis, 'redis.png', 'Memory'],
    ];
    for (const [name, file, title] of shots) {
      await openTarget(name);
      const range = page.getByRole('group', { name: 'Time range' });
      await pressUntil('1', '"1" choosing 15 min', () =>
        range.getByRole('button', { name: '15 min', pressed: true }).isVisible(),
      );
      await chartFills(title, 10);
      await restMouse();
      await page.screenshot({ path: join(DOCS, file) });
    }
  });

  it('had no console errors or page errors in the main flow', () => {
    errors.recording = false;
    assert.equal(errors.seen.length, 0, `the page reported errors:\n${errors.describe()}`);
  });

  it('stops on SIGTERM, and the open page says the backend is unreachable', async () => {
    await openTarget(NAMES.ssh);
    await chartFills('CPU');
    const how = await backend!.stop();
    assert.deepEqual(how, { code: 0, signal: null, killed: false }, backend!.log().slice(-2000));
    await page
      .getByRole('alert')
      .filter({ hasText: 'Backend unreachable since' })
      .waitFor({ timeout: LONG });
    assert.ok((await drawnPoints(chart(page, 'CPU'))) >= 2, 'the chart stays on screen');
  });

  it('after a restart with every server stopped, keeps the fleet and draws the history', async () => {
    await Promise.all([sshd!.stop(), pg!.stop(), redis!.stop()]);
    backend = await startBackend(dataDir!);
    await page.goto(backend.url);
    errors.seen.length = 0;
    errors.recording = true;
    await heading('Fleet').waitFor({ timeout: LONG });

    for (const name of ['This workstation', NAMES.ssh, NAMES.pg, NAMES.redis]) {
      const text = await rowOf(name).innerText();
      assert.match(text, /Last sample/, `${name} keeps the time of its last sample`);
      assert.doesNotMatch(text, /No sample yet/, name);
    }
    await until(
      'the SSH host marked unreachable',
      async () => /Unreachable/.test(await rowOf(NAMES.ssh).innerText({ timeout: 5000 })),
      LONG,
    );

    await openTarget(NAMES.ssh);
    await chartFills('CPU');
    await chartFills('Memory');
    await openTarget(NAMES.pg);
    await main()
      .getByRole('heading', { name: /Current state/ })
      .waitFor();
    await chartFills('Connections by state');
    await openTarget(NAMES.redis);
    await chartFills('Memory');
    assert.ok((await page.locator('#root').innerText()).length > 0, 'the page is not blank');
    assert.equal(errors.seen.length, 0, `the page reported errors:\n${errors.describe()}`);
  });

  it('marks a stopped PostgreSQL and Redis unreachable, not degraded', async () => {
    await goNav(/^Fleet/, 'Fleet');
    for (const name of [NAMES.pg, NAMES.redis]) {
      await until(
        `${name} marked unreachable`,
        async () => {
          const text = (await rowOf(name).innerText({ timeout: 5000 })).replace(/\n/g, ' ');
          return /Unreachable/.test(text) || text;
        },
        20_000,
      );
    }
  });

  it('stops cleanly on SIGTERM again', async () => {
    const how = await backend!.stop();
    assert.deepEqual(how, { code: 0, signal: null, killed: false }, backend!.log().slice(-2000));
  });
});
