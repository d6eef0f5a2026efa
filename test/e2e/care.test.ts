// Database care end to end in browser mode, as an admin does it: on the harness PostgreSQL a
// table with dead tuples is vacuumed through the one confirmation dialog (VACUUM FULL first
// shows that Enter does nothing until the target's name is typed, and Escape cancels), the
// run's result shows before and after; then a backup is taken and verified by a test restore
// through the UI. A part whose backend answers "not in this build yet" skips with that
// reason. Screenshots of every tab, light and dark, go to OPSDECK_SCREENSHOT_DIR (a temp
// folder by default) for a person to look at.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'pg';
import type { Browser, Locator, Page } from 'playwright';
import { postgresUnavailable, startPostgres, type PgCluster } from '../harness/postgres';
import { redisUnavailable, startRedis, type RedisServer } from '../harness/redis';
import { tempDir } from '../harness/util';
import { pgTargetConfig, redisTargetConfig } from '../harness/target-configs';
import {
  call,
  launchChromium,
  openPage,
  printBackendLog,
  screenshotDir,
  shootStill,
  skipped,
  startBackend,
  tearDown,
  until,
  whyPagesCannotRun,
  type Backend,
} from './browser-helpers';

const SHOTS = screenshotDir('care');
const VIEWPORT = { width: 1400, height: 900 };
/** Generous: a dump and a test restore on a loaded 2-core machine. Never a timed assertion. */
const LONG = 120_000;
const NAME = 'pg-care';
const TABLE = 'care_e2e';
const REDIS_NAME = 'cache-care';

/** Null when the method is built; the backend's own words when it says it is not. */
async function notBuilt(backend: Backend, method: string, arg: unknown): Promise<string | null> {
  const env = await call(backend, method, arg);
  if (env.ok || env.error?.name !== 'CareUnavailable') return null;
  return `${method}: ${env.error.message}`;
}

function say(line: string): void {
  process.stdout.write(`# care e2e: ${line}\n`);
}

test('VACUUM through the confirmation dialog, then a backup taken and verified', async (t) => {
  if (skipped(t, 'care e2e', whyPagesCannotRun() ?? postgresUnavailable())) return;
  const dataDir = tempDir('e2e-care');
  let pg: PgCluster | undefined;
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    pg = await startPostgres();
    await pg.psql(
      [
        `CREATE TABLE ${TABLE} (id int PRIMARY KEY, payload text);`,
        `INSERT INTO ${TABLE} SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g;`,
        `DELETE FROM ${TABLE} WHERE id % 2 = 0;`,
        `ANALYZE ${TABLE};`,
      ].join('\n'),
    );
    // A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind, as in the field.
    await pg
      .psql(`CREATE UNIQUE INDEX CONCURRENTLY ${TABLE}_payload_idx ON ${TABLE} (payload);`)
      .then(
        () => assert.fail('the unique index on duplicate payloads should have failed'),
        () => undefined,
      );
    backend = await startBackend(dataDir);
    const saved = await call(backend, 'saveTarget', {
      name: NAME,
      intervalMs: 5000,
      config: pgTargetConfig(pg),
      secret: pg.superuser.password,
    });
    assert.ok(saved.ok, `saveTarget: ${JSON.stringify(saved.error)}`);
    const targetId = (saved.value as { id: string }).id;

    browser = await launchChromium();
    const { page, errors } = await openPage(browser, { viewport: VIEWPORT, url: backend.url });
    await page.getByRole('main').getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();

    const ui = new CareUi(page, NAME);
    await ui.terminateBlocker(pg);
    await ui.screenshotTabs();

    const maintenance = await notBuilt(backend, 'carePlanMaintenance', {
      targetId,
      action: 'analyze',
      scope: { kind: 'database' },
      options: {},
    });
    if (maintenance) {
      say(`VACUUM part skipped: ${maintenance}`);
      t.diagnostic(`VACUUM part skipped: ${maintenance}`);
    } else {
      await ui.vacuum();
    }

    const backups = await notBuilt(backend, 'careListBackups', { targetId });
    if (backups) {
      say(`backup part skipped: ${backups}`);
      t.diagnostic(`backup part skipped: ${backups}`);
    } else {
      await ui.backupAndVerify();
    }
    if (maintenance && backups) t.skip(`${maintenance}; ${backups}`);

    // The server gone: the tab keeps the last snapshot and says how old it is.
    await ui.open('activity');
    await ui
      .main()
      .getByText(/^Health as of/)
      .waitFor({ timeout: LONG });
    await pg.stop();
    pg = undefined;
    await ui.main().getByRole('button', { name: 'Refresh' }).click();
    await ui
      .main()
      .getByText(/Showing the last snapshot, .* old\./)
      .waitFor({ timeout: LONG });
    await ui.main().getByRole('region', { name: 'Blocking tree' }).waitFor();
    await ui.shot('pg-activity-offline');
    // Pages that answer "not in this build yet" log nothing; failed calls would.
    errors.recording = false;
    const real = errors.seen.filter((e) => !/status of 500|Failed to load resource/.test(e));
    assert.deepEqual(real, [], `the pages logged errors:\n${errors.describe()}`);
  } catch (err) {
    printBackendLog(backend);
    throw err;
  } finally {
    await tearDown({ browser, backend, servers: [pg], dirs: [dataDir] });
  }
});

class CareUi {
  constructor(
    private readonly page: Page,
    private readonly name: string,
  ) {}

  main(): Locator {
    return this.page.getByRole('main');
  }

  tabs(): Locator {
    return this.page.getByRole('navigation', { name: `${this.name} views` });
  }

  /** Through the tab links, as a person does (the page keeps its last answers). */
  async open(tab: string): Promise<void> {
    const heading = this.main().getByRole('heading', { level: 1, name: this.name });
    if (!(await heading.isVisible())) {
      await this.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: new RegExp(`${this.name}$`) })
        .click();
      await heading.waitFor();
    }
    const link = this.tabs().getByRole('link', { name: tabLabel(tab), exact: true });
    await link.click();
    await until(
      `the ${tab} tab current`,
      async () => (await link.getAttribute('aria-current')) === 'page',
      10_000,
    );
  }

  async shot(name: string): Promise<void> {
    await shootStill(this.page, SHOTS, name);
  }

  /** Every tab once, after it has answered (figures, or the backend's words). */
  async screenshotTabs(): Promise<void> {
    for (const tab of ['activity', 'queries', 'tables', 'replication', 'advice', 'backups']) {
      await this.open(tab);
      await until(
        `the ${tab} tab answering`,
        async () => {
          const text = await this.main().innerText();
          return /as of|not in this build|Could not read/i.test(text) || text.slice(-200);
        },
        LONG,
      );
      await this.shot(`pg-${tab}`);
    }
  }

  /**
   * A session holding an ACCESS EXCLUSIVE lock and one waiting behind it show as a tree;
   * the holder is terminated through the confirmation dialog and the waiter goes on.
   */
  async terminateBlocker(pg: PgCluster): Promise<void> {
    const connect = async (): Promise<Client> => {
      const c = new Client({
        host: pg.host,
        port: pg.port,
        database: pg.database,
        user: pg.superuser.user,
        password: pg.superuser.password,
        application_name: 'e2e-lock',
      });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    };
    const holder = await connect();
    const waiter = await connect();
    try {
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0].pid;
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${TABLE} IN ACCESS EXCLUSIVE MODE`);
      const waited = waiter.query(`SELECT count(*) FROM ${TABLE}`);

      await this.open('activity');
      const tree = this.main().getByRole('region', { name: 'Blocking tree' });
      const terminate = tree.getByRole('button', { name: `Terminate pid ${holderPid}` });
      await until(
        'the holder at the root of the blocking tree',
        async () => (await terminate.isVisible()) || (await tree.innerText()),
        LONG,
      );
      assert.match(await tree.innerText(), /blocks 1/);
      await this.shot('pg-activity-blocked');
      await terminate.click();
      const dialog = this.page.getByRole('dialog', { name: `Terminate pid ${holderPid}` });
      await dialog.waitFor();
      assert.equal(
        (await dialog.getByLabel('Statement').innerText()).trim(),
        `SELECT pg_terminate_backend(${holderPid});`,
      );
      await this.shot('pg-activity-terminate-confirm');
      await this.page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden', timeout: LONG });
      const result = await waited;
      assert.equal(result.rows.length, 1, 'the waiting query finished once the holder was gone');
      await this.main().getByRole('button', { name: 'Refresh' }).click();
      await until(
        'the tree empty again',
        async () =>
          /No session is blocked/.test(await tree.innerText()) || (await tree.innerText()),
        LONG,
      );
    } finally {
      await holder.end().catch(() => undefined);
      await waiter.end().catch(() => undefined);
    }
  }

  async vacuum(): Promise<void> {
    const page = this.page;
    await this.open('maintenance');
    const form = this.main().getByRole('form', { name: 'New maintenance' });
    await form.getByLabel('Action').selectOption({ label: 'VACUUM' });
    await form.getByLabel('Scope').selectOption({ label: 'one table' });
    // A wrapping label's name holds the chosen option too: match its start.
    const table = form.getByRole('combobox', { name: /^Table/ });
    await until(
      `${TABLE} in the table list`,
      async () =>
        (await table.innerText()).includes(`public.${TABLE}`) || (await table.innerText()),
      LONG,
    );
    const option = table.locator('option', { hasText: `public.${TABLE}` });
    await table.selectOption({ label: (await option.innerText()).trim() });

    // VACUUM FULL takes ACCESS EXCLUSIVE: Enter does nothing until the name is typed.
    await form.getByLabel(/^FULL/).check();
    await form.getByRole('button', { name: 'Plan and review…' }).click();
    const full = page.getByRole('dialog', { name: `Run VACUUM (FULL) on public.${TABLE}` });
    await full.waitFor({ timeout: LONG });
    assert.match(await full.getByLabel('Statement').innerText(), /VACUUM \(FULL\)/);
    assert.match(await full.innerText(), /ACCESS EXCLUSIVE/);
    const run = full.getByRole('button', { name: 'Run VACUUM' });
    assert.equal(await run.isDisabled(), true, 'confirm is disabled until the name is typed');
    await page.keyboard.press('Enter');
    assert.equal(await full.isVisible(), true, 'Enter without the name does not confirm');
    await page.keyboard.type('not-the-name');
    await page.keyboard.press('Enter');
    assert.equal(await full.isVisible(), true, 'Enter with a wrong name does not confirm');
    await this.shot('pg-maintenance-confirm-full');
    await page.keyboard.press('Escape');
    await full.waitFor({ state: 'hidden' });

    // A plain VACUUM: the plan shows, Enter confirms.
    await form.getByLabel(/^FULL/).uncheck();
    await form.getByRole('button', { name: 'Plan and review…' }).click();
    const dialog = page.getByRole('dialog', { name: `Run VACUUM on public.${TABLE}` });
    await dialog.waitFor({ timeout: LONG });
    const statement = await dialog.getByLabel('Statement').innerText();
    assert.match(statement, new RegExp(`VACUUM .*${TABLE}`), 'the exact statement is shown');
    assert.match(await dialog.innerText(), new RegExp(`On ${NAME}`), "the target's name");
    await dialog.getByRole('region', { name: 'Plan' }).waitFor();
    await this.shot('pg-maintenance-confirm');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: LONG });

    const current = this.main().getByRole('region', { name: 'Current run' });
    await until(
      'the VACUUM run ending',
      async () => {
        const text = await current.innerText();
        return /succeeded|failed|cancelled/.test(text) || text;
      },
      LONG,
    );
    const text = await current.innerText();
    assert.match(text, /succeeded/, `the run succeeded:\n${text}`);
    const table2 = current.getByRole('table', { name: 'Before and after' });
    const dead = await table2.getByRole('row').filter({ hasText: 'Dead tuples' }).innerText();
    const [before, after] = dead
      .replace('Dead tuples', '')
      .trim()
      .split(/\s+/)
      .map((x) => parseFigure(x));
    assert.ok(before > 0, `dead tuples before: ${dead}`);
    assert.ok(after < before, `fewer dead tuples after: ${dead}`);
    await this.main()
      .getByRole('region', { name: 'Recent runs' })
      .getByText('succeeded')
      .first()
      .waitFor();
    await this.shot('pg-maintenance-done');

    // The INVALID index left by the failed concurrent build, dropped through the dialog.
    const invalid = this.main().getByRole('region', { name: 'INVALID indexes' });
    await invalid.getByText(`public.${TABLE}_payload_idx`).waitFor({ timeout: LONG });
    await invalid.getByRole('button', { name: 'Drop…' }).click();
    const drop = page.getByRole('dialog', {
      name: `Run DROP INVALID INDEX on index public.${TABLE}_payload_idx`,
    });
    await drop.waitFor({ timeout: LONG });
    assert.match(
      await drop.getByLabel('Statement').innerText(),
      new RegExp(`DROP INDEX CONCURRENTLY .*${TABLE}_payload_idx`),
    );
    await this.shot('pg-maintenance-drop-invalid');
    await page.keyboard.press('Enter');
    await drop.waitFor({ state: 'hidden', timeout: LONG });
    await until(
      'the INVALID index gone',
      async () => (await invalid.count()) === 0 || 'still listed',
      LONG,
    );

    // A schedule, kept and listed.
    await form.getByText('Schedule this instead').click();
    await form.getByLabel('Cron (croner syntax)').fill('0 3 * * 0');
    await form.getByRole('button', { name: 'Save schedule…' }).click();
    const schedule = page.getByRole('dialog', { name: /^Schedule VACUUM/ });
    await schedule.waitFor();
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.waitFor({ state: 'hidden', timeout: LONG });
    await this.main()
      .getByRole('region', { name: 'Schedules' })
      .getByRole('cell', { name: '0 3 * * 0' })
      .waitFor({ timeout: LONG });
    await this.shot('pg-maintenance-schedule');
  }

  async backupAndVerify(): Promise<void> {
    const page = this.page;
    await this.open('backups');
    // Objectives first, so that the verified backup counts against them.
    const policy = this.main().getByRole('form', { name: 'Retention and objectives' });
    await policy.getByLabel('RPO (hours)').fill('24');
    await policy.getByLabel('RTO (hours)').fill('1');
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await policy.getByText('not set yet').waitFor({ state: 'hidden', timeout: LONG });

    const form = this.main().getByRole('form', { name: 'Take a backup' });
    await form.getByLabel('Where').selectOption('local');
    await form.getByRole('button', { name: 'Take backup…' }).click();
    const take = page.getByRole('dialog', { name: /^Take a backup of / });
    await until(
      'the backup dialog or a preflight refusal',
      async () =>
        (await take.isVisible()) ||
        ((await this.main().getByRole('alert').count()) > 0 &&
          `refused: ${await this.main().getByRole('alert').first().innerText()}`),
      LONG,
    );
    assert.match(await take.getByLabel('What runs').innerText(), /pg_dump --format=custom/);
    await this.shot('pg-backups-confirm');
    await take.getByRole('button', { name: 'Take backup' }).click();
    await take.waitFor({ state: 'hidden', timeout: LONG });

    const list = this.main().getByRole('region', { name: 'Backups' });
    const row = list.getByRole('row').nth(1);
    await until(
      'the backup finishing',
      async () => {
        const text = await row.innerText();
        return /succeeded|failed/.test(text) || text;
      },
      LONG,
    );
    assert.match(await row.innerText(), /succeeded/, await row.innerText());
    await row.getByRole('button', { name: 'Verify…' }).click();
    const verify = page.getByRole('dialog', { name: /^Verify the backup of / });
    await verify.waitFor();
    assert.match(await verify.getByLabel('What runs').innerText(), /CREATE DATABASE/);
    await verify.getByRole('button', { name: 'Verify' }).click();
    await verify.waitFor({ state: 'hidden', timeout: LONG });
    await until(
      'the backup shown as verified',
      async () => {
        const text = await row.innerText();
        return /verified\s+restore took/.test(text) || text;
      },
      LONG,
    );
    await this.main()
      .getByText(/Backup verified: checksum ok/)
      .waitFor();
    const objectives = this.main().getByLabel('Recovery objectives');
    await until(
      'RPO and RTO met',
      async () => {
        const text = (await objectives.innerText()).replace(/\s+/g, ' ');
        return /RPO met\b.*RTO met\b/.test(text) || text;
      },
      LONG,
    );
    await this.shot('pg-backups-verified');

    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Fleet/ })
      .click();
    await this.main().getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();
    const fleetRow = this.main()
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: this.name, exact: true }) });
    await until(
      'the fleet row with RPO and RTO met',
      async () => {
        const text = (await fleetRow.innerText()).replace(/\s+/g, ' ');
        return /RPO met.*RTO met/.test(text) || text;
      },
      LONG,
    );
    await this.shot('fleet-objectives');
  }
}

function tabLabel(tab: string): string {
  const labels: Record<string, string> = {
    memory: 'Memory',
    keys: 'Big keys',
    slowlog: 'Slow log and latency',
    clients: 'Clients',
    persistence: 'Persistence',
    overview: 'Overview',
    activity: 'Activity',
    queries: 'Queries',
    tables: 'Tables and indexes',
    replication: 'Replication',
    maintenance: 'Maintenance',
    backups: 'Backups',
    advice: 'Advice',
  };
  return labels[tab];
}

/** "9.8k" → 9800, "10000" → 10000, "—" → NaN. */
function parseFigure(text: string): number {
  const m = /^(-?[\d.]+)([kMG]?)$/.exec(text);
  if (!m) return Number.NaN;
  const scale = { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'M' | 'G'];
  return Number(m[1]) * scale;
}

test('Redis care tabs: memory, big keys by SCAN, slow log, clients, BGSAVE confirmed', async (t) => {
  if (skipped(t, 'care e2e: Redis part', whyPagesCannotRun() ?? redisUnavailable())) return;
  const dataDir = tempDir('e2e-care-redis');
  let redis: RedisServer | undefined;
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    redis = await startRedis();
    const pairs = Array.from({ length: 500 }, (_, i) => [
      `session:${i}`,
      'x'.repeat(i % 100),
    ]).flat();
    await redis.cli(['MSET', ...pairs]);
    // 200 kB without a 200 kB argument (one argv string is capped at 128 KiB).
    await redis.cli(['SETRANGE', 'cache:big', '199999', 'y']);
    // Every command in the slow log, so that the tab has entries to show.
    await redis.cli(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    await redis.cli(['CONFIG', 'SET', 'latency-monitor-threshold', '1']);
    backend = await startBackend(dataDir);
    const saved = await call(backend, 'saveTarget', {
      name: REDIS_NAME,
      intervalMs: 5000,
      config: redisTargetConfig(redis),
    });
    assert.ok(saved.ok, `saveTarget: ${JSON.stringify(saved.error)}`);
    const targetId = (saved.value as { id: string }).id;

    browser = await launchChromium();
    const { page } = await openPage(browser, { viewport: VIEWPORT, url: backend.url });
    const ui = new CareUi(page, REDIS_NAME);
    for (const tab of ['memory', 'slowlog', 'clients', 'persistence']) {
      await ui.open(tab);
      await until(
        `the Redis ${tab} tab answering`,
        async () => {
          const text = await ui.main().innerText();
          return /as of|not in this build|Could not read/i.test(text) || text.slice(-200);
        },
        LONG,
      );
      await ui.shot(`redis-${tab}`);
    }

    const scan = await notBuilt(backend, 'careRedisScan', { targetId, maxKeys: 100 });
    if (scan) say(`Redis scan part skipped: ${scan}`);
    else {
      await ui.open('keys');
      await ui.main().getByRole('button', { name: 'Scan keys' }).click();
      await ui.main().getByRole('region', { name: 'Biggest keys' }).waitFor({ timeout: LONG });
      assert.match(
        await ui.main().getByRole('region', { name: 'Biggest keys' }).innerText(),
        /cache:big/,
      );
      await ui.shot('redis-keys');
    }

    const bgsave = await notBuilt(backend, 'careRedisPersistence', { targetId });
    if (bgsave) say(`BGSAVE part skipped: ${bgsave}`);
    else {
      await ui.open('persistence');
      await ui.main().getByRole('button', { name: 'BGSAVE…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Write a snapshot (BGSAVE)' });
      await dialog.waitFor();
      assert.equal((await dialog.getByLabel('Statement').innerText()).trim(), 'BGSAVE');
      await ui.shot('redis-bgsave-confirm');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden', timeout: LONG });
      await ui
        .main()
        .getByText(/BGSAVE finished: ok/)
        .waitFor({ timeout: LONG });
      await ui.shot('redis-bgsave-done');
    }
    if (scan && bgsave) t.skip(`${scan}; ${bgsave}`);
  } catch (err) {
    printBackendLog(backend);
    throw err;
  } finally {
    await tearDown({ browser, backend, servers: [redis], dirs: [dataDir] });
  }
});
