// The other five built-in runbooks walked through the pages in browser mode, as an operator
// does it: started from the library with targets bound and parameters typed, read-only
// steps run with Enter, every changing step first refused (nothing happens until its
// confirmation is ticked), instructions ticked, branches chosen, a note added with N, the
// run finished; then its HTML report exported (nothing in it reaches the network), the run
// in an incident timeline (with the escalation where the runbook escalates, and the
// escalation notice sent to a webhook chosen in Settings), and the audit log verified.
// One backend, one sshd and one PostgreSQL serve the whole file. Screenshots of each
// runbook's start page and of its most stressful step, light and dark, go to
// OPSDECK_SCREENSHOT_DIR (a temp folder by default).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { Browser, Locator, Page } from 'playwright';
import type { Incident, Run } from '../../src/shared/runbooks';
import { pgBinDir, postgresUnavailable, startPostgres, type PgCluster } from '../harness/postgres';
import { sshdUnavailable, startSshd, type Sshd } from '../harness/sshd';
import { healthy, installDemoService, stopDemoService } from '../harness/demo-service';
import { tempDir, waitFor } from '../harness/util';
import { pgTargetConfig } from '../harness/target-configs';
import {
  addSshTarget,
  launchChromium,
  openPage,
  printBackendLog,
  screenshotDir,
  shootStill,
  startBackend,
  tearDown,
  until,
  value,
  whyPagesCannotRun,
  type Backend,
  type PageErrors,
} from './browser-helpers';

const SHOTS = screenshotDir('runbooks');
const VIEWPORT = { width: 1400, height: 900 };
/** Generous: SSH round trips on a loaded 2-core machine. Never a timed assertion. */
const LONG = 60_000;
const HOST = 'web-1';
const DB = 'db-1';
const HOOK_CHANNEL = 'Ops chat (e2e)';

function whyCannotRun(): string | null {
  return whyPagesCannotRun() ?? sshdUnavailable() ?? postgresUnavailable();
}

/** How one run is walked: the branch to pick per decision step (by option label), the text
 * of each note step, what must still hold before each changing step is confirmed. */
interface Walk {
  choices?: Record<string, string>;
  notes?: Record<string, string>;
  unchanged?: Record<string, () => Promise<void>>;
  /** The step whose page is the most stressful one: screenshot it. */
  shotAt: string;
  /** Add a free note with N at this step. */
  noteAt: string;
  /** Reload the page at this step and resume the run from the library. */
  resumeAt?: string;
  /** What the page must show when a step is the current one (before it is acted on). */
  inspect?: Record<string, (current: Locator) => Promise<void>>;
}

describe('built-in runbooks walked through the pages', { concurrency: false }, () => {
  const reason = whyCannotRun();
  if (reason) process.stdout.write(`# built-in runbooks e2e skipped: ${reason}\n`);
  const dataDir = tempDir('e2e-rb-builtin');
  const work = tempDir('e2e-rb-builtin-work');
  const downloads = tempDir('e2e-rb-builtin-downloads');
  const hookCalls: string[] = [];
  let hook: Server | undefined;
  let sshd: Sshd | undefined;
  let pg: PgCluster | undefined;
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: PageErrors;
  const ids = { host: '', pg: '' };
  const backups = join(work, 'backups');
  const main = (): Locator => page.getByRole('main');

  before(async () => {
    if (reason) return;
    chmodSync(work, 0o755);
    [sshd, pg, backend] = await Promise.all([startSshd(), startPostgres(), startBackend(dataDir)]);
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hookCalls.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook?.listen(0, '127.0.0.1', r));
    const hostId = await addSshTarget(backend, sshd, {
      name: HOST,
      group: 'web',
      intervalMs: 60_000,
    });
    const db = await value<{ id: string }>(backend, 'saveTarget', {
      name: DB,
      group: 'db',
      intervalMs: 60_000,
      config: pgTargetConfig(pg),
      secret: pg.superuser.password,
    });
    Object.assign(ids, { host: hostId, pg: db.id });
    await value(backend, 'saveChannel', {
      name: HOOK_CHANNEL,
      minSeverity: 'critical',
      config: {
        kind: 'webhook',
        url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      },
    });
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, {
      viewport: VIEWPORT,
      downloads: true,
      url: backend.url,
    }));
    await main().getByRole('heading', { level: 1, name: 'Fleet' }).waitFor({ timeout: LONG });
  });

  after(async () => {
    if (errors?.seen.length) printBackendLog(backend);
    stopDemoService(work);
    hook?.closeAllConnections();
    await new Promise((r) => (hook ? hook.close(r) : r(undefined)));
    await tearDown({ browser, backend, servers: [sshd, pg], dirs: [dataDir, work, downloads] });
  });

  const shot = (name: string): Promise<void> => shootStill(page, SHOTS, name);

  const getRun = (id: string): Promise<Run> => value<Run>(backend as Backend, 'getRun', { id });

  /** From the library: the runbook's page, targets bound, parameters typed; the run's id. */
  async function start(
    title: string,
    slug: string,
    roles: ('Host' | 'PostgreSQL')[],
    params: Record<string, string>,
  ): Promise<string> {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Runbooks/ })
      .click();
    const library = main().getByRole('region', { name: 'Library' });
    await library.getByRole('link', { name: title, exact: true }).click({ timeout: LONG });
    await main().getByRole('heading', { level: 1, name: title }).waitFor({ timeout: LONG });
    const form = main().getByRole('form', { name: 'Start this runbook' });
    for (const role of roles) {
      await form
        .getByLabel(role, { exact: true })
        .selectOption({ label: role === 'Host' ? HOST : DB });
    }
    for (const [label, v] of Object.entries(params)) {
      await form.getByLabel(label, { exact: true }).fill(v);
    }
    await shot(`builtin-${slug}-runbook`);
    await form.getByRole('button', { name: 'Start run' }).click();
    await main().getByRole('article', { name: 'Current step' }).waitFor({ timeout: LONG });
    const m = /#\/runs\/([A-Za-z0-9_-]+)/.exec(page.url());
    assert.ok(m, `the run page has the run in its address: ${page.url()}`);
    return m[1];
  }

  /** Walks the run step by step through the page until it is finished. */
  async function walk(runId: string, slug: string, how: Walk): Promise<Run> {
    const current = main().getByRole('article', { name: 'Current step' });
    let shotTaken = false;
    let noted = false;
    let resumed = how.resumeAt === undefined;
    for (let guard = 0; guard < 60; guard++) {
      const run = await getRun(runId);
      if (run.status !== 'running') return run;
      const step = run.plan[run.current];
      const n = step.index + 1;
      await until(
        `step ${n} (${step.id}) as the current one`,
        async () => {
          const text = await current.innerText({ timeout: 5000 });
          return (
            new RegExp(`Step ${n} of ${run.plan.length}\\b`, 'i').test(text) || text.slice(0, 200)
          );
        },
        LONG,
      );
      assert.ok((await current.innerText()).includes(step.title), `step ${n} shows its title`);

      if (!resumed && step.id === how.resumeAt) {
        resumed = true;
        await resume(run.title, n);
      }
      if (!noted && step.id === how.noteAt) {
        noted = true;
        await addNote(`${slug}: looked at step ${n} with the on-call colleague`);
      }

      const change = step.mode === 'change';
      if (change) {
        // Enter first: refused, nothing runs, the confirmation is asked for.
        await page.locator('#step-title').focus();
        await page.keyboard.press('Enter');
        await current
          .getByRole('alert')
          .filter({ hasText: 'tick the confirmation first' })
          .waitFor({ timeout: LONG });
        assert.equal(
          await current.locator('#step-primary').isDisabled(),
          true,
          `the change button of step ${n} waits for the confirmation`,
        );
        const still = await getRun(runId);
        assert.equal(still.current, step.index, 'the run did not move');
        assert.equal(
          still.steps.find((s) => s.index === step.index)?.status ?? 'pending',
          'pending',
          `step ${n} (${step.id}) did not run before its confirmation`,
        );
        await how.unchanged?.[step.id]?.();
      }
      await how.inspect?.[step.id]?.(current);
      if (!shotTaken && step.id === how.shotAt) {
        shotTaken = true;
        await shot(`builtin-${slug}-run`);
      }

      const choice = how.choices?.[step.id];
      if (step.kind === 'decision' && choice) {
        await current
          .getByRole('group', { name: 'Choose a branch' })
          .getByRole('button', { name: choice, exact: true })
          .click();
      } else if (change) {
        await current.getByRole('checkbox', { name: /want it to change/ }).check();
        await current.locator('#step-primary').click();
      } else if (step.kind === 'note') {
        const text = how.notes?.[step.id] ?? `${slug}: nothing more to add`;
        await current.getByRole('textbox').fill(text);
        await current.getByRole('button', { name: /Add to timeline and continue/ }).click();
      } else {
        // Read-only commands, checks, waits, instructions, escalations, automatic decisions.
        await page.locator('#step-title').focus();
        await page.keyboard.press('Enter');
      }

      await until(
        `step ${n} (${step.id}) through`,
        async () => {
          const r = await getRun(runId);
          const res = r.steps.find((s) => s.index === step.index);
          if (res?.status === 'failed')
            throw new Error(`step ${step.id} failed: ${res.error ?? ''}\n${res.output}`);
          return r.current !== step.index || r.status !== 'running' || `${res?.status}`;
        },
        LONG,
      ).catch((err: Error) => {
        if (/ failed: /.test(err.message)) throw new Error(err.message.split(': not seen')[0]);
        throw err;
      });
    }
    throw new Error('the run did not end within 60 steps');
  }

  async function addNote(text: string): Promise<void> {
    await page.locator('#step-title').focus();
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'Add a note' });
    await dialog.getByLabel('Note').fill(text);
    await dialog.getByRole('button', { name: 'Add note' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await main().getByRole('region', { name: 'Notes' }).getByText(text).waitFor({ timeout: LONG });
  }

  /** Leaves the run (a reload, as after closing the window) and resumes it from the library. */
  async function resume(title: string, n: number): Promise<void> {
    await page.goto(`${(backend as Backend).url.split('#')[0]}#/`);
    await page.reload();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Runbooks/ })
      .click({ timeout: LONG });
    await main()
      .getByRole('region', { name: 'Runs in progress' })
      .getByRole('link', { name: `Resume: ${title}` })
      .click({ timeout: LONG });
    const current = main().getByRole('article', { name: 'Current step' });
    await current.waitFor({ timeout: LONG });
    assert.match(
      await current.innerText(),
      new RegExp(`Step ${n} of \\d+`, 'i'),
      'resumed in place',
    );
  }

  /** The finished run: its report exported and read, its incident opened or followed. */
  async function finish(run: Run, slug: string, mustHold: string[]): Promise<Incident> {
    assert.equal(run.status, 'completed');
    const finished = main().getByRole('article', { name: 'Run finished' });
    await finished.waitFor({ timeout: LONG });
    assert.match(await finished.innerText(), /All steps are through/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      finished.getByRole('button', { name: 'Export report' }).click(),
    ]);
    const saved = join(downloads, `${slug}-${download.suggestedFilename()}`);
    await download.saveAs(saved);
    const html = readFileSync(saved, 'utf8');
    assert.match(html, /^<!doctype html>/i);
    assert.ok(html.includes(run.title), 'the report names the runbook');
    for (const s of run.plan) assert.ok(html.includes(escapeHtml(s.title)), `report: ${s.title}`);
    for (const text of mustHold) assert.ok(html.includes(text), `the report holds ${text}`);
    assert.doesNotMatch(
      html,
      /<script|<link\b|<iframe|<img\b|<object|@import|\b(?:src|href|action)\s*=\s*["']?(?:[a-z]+:)?\/\/|url\(\s*["']?(?:[a-z]+:)?\/\//i,
      'the report loads nothing from anywhere: it opens offline',
    );

    if (!run.incidentId) {
      await main().getByRole('button', { name: 'Open an incident for this run' }).click();
    }
    const link = main().locator('.incident-line a').first();
    await link.waitFor({ timeout: LONG });
    await link.click();
    await main().getByRole('region', { name: 'Escalation' }).waitFor({ timeout: LONG });
    const runs = main().getByRole('region', { name: 'Runbook runs' });
    await runs.getByText(run.title).first().waitFor({ timeout: LONG });
    const incidentId = /#\/incidents\/([A-Za-z0-9_-]+)/.exec(page.url())?.[1];
    assert.ok(incidentId, `the incident page has its id in the address: ${page.url()}`);
    return value<Incident>(backend as Backend, 'getIncident', { id: incidentId });
  }

  async function stepList(): Promise<string> {
    return main().getByRole('navigation', { name: 'Steps' }).innerText({ timeout: 5000 });
  }

  async function timelineText(): Promise<string> {
    return main().getByRole('region', { name: 'Timeline' }).innerText({ timeout: 5000 });
  }

  it('Service down: checks, the log, a confirmed restart, the service answers again', async (t) => {
    if (reason) return t.skip(reason);
    const { dir, init, port } = await installDemoService(work);
    const runId = await start('Service down', 'service-down', ['Host'], {
      'Service name': 'opsdeck-demo',
      'Health endpoint (as seen from the host)': `http://127.0.0.1:${port}/health`,
      'Log file to search when journald has nothing': join(dir, 'app.log'),
      'Folder of init-style scripts (hosts without systemd)': init,
    });
    const run = await walk(runId, 'service-down', {
      shotAt: 'restart',
      noteAt: 'log',
      notes: { record: 'the service was never started after the host rebooted' },
      unchanged: {
        restart: async () => assert.equal(await healthy(port), false, 'still down unconfirmed'),
      },
      inspect: {
        restart: async () => {
          const list = await stepList();
          assert.match(list, /Is the health endpoint answering\?\s*✕ check failed/);
          assert.match(list, /Is the service running\?\s*✕ check failed/);
        },
      },
    });
    const byId = Object.fromEntries(run.plan.map((p) => [p.id, run.steps[p.index]]));
    assert.equal(byId.health.outcome, 'fail');
    assert.equal(byId['restart-needed'].choice, 'restart', 'the health check chose the branch');
    assert.equal(byId.restart.confirmed, true);
    assert.equal(byId.verify.outcome, 'pass');
    assert.ok(await healthy(port), 'the service answers after the run');
    const inc = await finish(run, 'service-down', [
      'ERROR: database connection refused',
      'Is the health endpoint answering? <small class="failed">[check failed]</small>',
    ]);
    assert.ok(inc.runIds.includes(runId));
    assert.match(await timelineText(), /Service down/);
  });

  it('PostgreSQL unavailable or overloaded: the blocker found and terminated after confirmation', async (t) => {
    if (reason) return t.skip(reason);
    const cluster = pg as PgCluster;
    await cluster.psql('CREATE TABLE busy (id int); INSERT INTO busy VALUES (1);');
    const conn = (): Client =>
      new Client({
        host: cluster.host,
        port: cluster.port,
        user: 'postgres',
        password: cluster.superuser.password,
        database: 'postgres',
        application_name: 'e2e-blocker',
      });
    const holder = conn();
    const waiter = conn();
    holder.on('error', () => undefined);
    waiter.on('error', () => undefined);
    await holder.connect();
    await waiter.connect();
    await holder.query('BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE');
    const blocked = waiter.query('SELECT * FROM busy').then(
      () => 'answered',
      (err: Error) => `failed: ${err.message}`,
    );
    const waiting = async (): Promise<string> =>
      (
        await cluster.psql(
          'SELECT count(*) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0;',
        )
      ).trim();
    await waitFor('a session waiting on the lock', async () => (await waiting()) === '1', 10_000);
    try {
      const runId = await start(
        'PostgreSQL unavailable or overloaded',
        'postgres-unavailable',
        ['Host', 'PostgreSQL'],
        { 'Database port': String(cluster.port), 'A transaction is long after (seconds)': '1' },
      );
      const run = await walk(runId, 'postgres-unavailable', {
        shotAt: 'terminate',
        noteAt: 'blockers',
        choices: { act: 'Terminate the sessions' },
        unchanged: {
          terminate: async () => assert.equal(await waiting(), '1', 'still blocked unconfirmed'),
        },
        inspect: {
          terminate: async (current) => {
            const list = await stepList();
            assert.match(list, /who blocks them\s*✕ check failed/);
            assert.match(list, /Cancel the statements of blocking and long sessions\s*– not taken/);
            const last = await main().getByRole('region', { name: 'Last output' }).innerText();
            assert.match(
              last,
              /\| 00:00:\d\d(\.\d+)? \|/,
              `intervals read as clock times: ${last}`,
            );
            assert.match(await current.innerText(), /Bound values:/);
          },
        },
      });
      const byId = Object.fromEntries(run.plan.map((p) => [p.id, run.steps[p.index]]));
      assert.equal(byId.blocked.outcome, 'fail', 'the blocked session was found');
      assert.match(byId.blockers.output, /e2e-blocker/);
      assert.equal(byId.cancel.status, 'pending', 'the cancel branch was not taken');
      assert.equal(byId['verify-unblocked'].outcome, 'pass');
      assert.match(await blocked, /answered|failed: terminating connection/);
      const inc = await finish(run, 'postgres-unavailable', [
        'e2e-blocker',
        'pg_terminate_backend',
        'blocking and long sessions <small class="pending">[not taken]</small>',
      ]);
      assert.ok(inc.runIds.includes(runId));
    } finally {
      await Promise.allSettled([holder.end(), waiter.end()]);
    }
  });

  it('Suspected security breach: evidence in the timeline, escalated, the notice sent', async (t) => {
    if (reason) return t.skip(reason);
    // Settings: escalation notices go to the team's webhook.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Settings/ })
      .click();
    const matrix = main().getByRole('form', { name: 'Escalation levels' });
    await matrix.getByRole('checkbox', { name: `Notices to ${HOOK_CHANNEL}` }).check({
      timeout: LONG,
    });
    // The security level names its own list: the same webhook, chosen again per level.
    await matrix
      .getByRole('checkbox', { name: 'Level 3 sends its notices to its own channels' })
      .check();
    const own = matrix.getByRole('checkbox', { name: `Level 3 notices to ${HOOK_CHANNEL}` });
    assert.equal(await own.isChecked(), true, "a level's own list starts from the matrix's");
    await matrix.getByRole('button', { name: 'Save escalation matrix' }).click();
    await matrix.getByRole('status').filter({ hasText: 'Saved at' }).waitFor({ timeout: LONG });
    const stored = await value<{ channelIds?: string[]; levels: { channelIds?: string[] }[] }>(
      backend as Backend,
      'getEscalation',
      {},
    );
    assert.equal(stored.channelIds?.length, 1, 'the matrix names the webhook channel');
    assert.deepEqual(stored.levels[2].channelIds, stored.channelIds, 'and so does level 3');
    assert.equal(stored.levels[1].channelIds, undefined, 'level 2 follows the matrix');
    const panel = main().getByRole('region', { name: 'Escalation matrix' });
    await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await panel.screenshot({ path: join(SHOTS, `builtin-settings-escalation-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const runId = await start('Suspected security breach', 'security-breach', ['Host'], {
      'Users and cron files changed within (days)': '3',
    });
    const run = await walk(runId, 'security-breach', {
      shotAt: 'escalate',
      noteAt: 'ports',
      notes: { findings: 'no unknown accounts; port 22 only; host isolated at the firewall' },
      inspect: {
        escalate: async (current) => {
          const who = await current.getByRole('list', { name: 'Who to call' }).innerText();
          assert.match(who, /Security officer \(placeholder\)[\s\S]*\+00 000 000 002/);
          assert.match(await current.innerText(), /level 3 — Security officer/);
        },
      },
    });
    const byId = Object.fromEntries(run.plan.map((p) => [p.id, run.steps[p.index]]));
    assert.equal(byId.isolate.status, 'done', 'the isolation instruction was ticked');
    const inc = await finish(run, 'security-breach', ['Isolate the host']);
    assert.equal(inc.type, 'security');
    assert.equal(inc.timeline.filter((e) => e.kind === 'capture').length, 5, 'five captures');
    assert.ok(inc.timeline.some((e) => e.kind === 'escalated' && /Security officer/.test(e.text)));
    await until(
      'the notice in the timeline',
      async () =>
        /Escalation notice for Security officer sent to channel "Ops chat \(e2e\)"/.test(
          await timelineText(),
        ) || 'not yet',
      LONG,
    );
    const text = await timelineText();
    assert.match(text, /Escalated/);
    assert.match(text, /Captured/);
    const notice = hookCalls.map((b) => JSON.parse(b) as Record<string, unknown>);
    assert.equal(notice.length, 1, 'one notice went to the webhook');
    assert.deepEqual(notice[0].level, { index: 3, id: 'security', name: 'Security officer' });
    assert.match(String(notice[0].text), /Security officer \(placeholder\)/);
    await shot('builtin-security-breach-incident');
  });

  it('Data loss: the verified backup restored beside the live data, compared, escalated', async (t) => {
    if (reason) return t.skip(reason);
    const cluster = pg as PgCluster;
    const bin = pgBinDir() as string;
    await cluster.psql(
      'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100);',
    );
    mkdirSync(backups);
    chmodSync(backups, 0o755);
    const file = join(backups, 'nightly.dump');
    const env = { ...process.env, PGPASSWORD: cluster.superuser.password };
    const dump = spawnSync(
      join(bin, 'pg_dump'),
      ['-h', cluster.host, '-p', String(cluster.port), '-U', 'postgres', '-Fc', '-f', file],
      { env, encoding: 'utf8' },
    );
    assert.equal(dump.status, 0, dump.stderr);
    const sum = spawnSync('sha256sum', ['nightly.dump'], { cwd: backups, encoding: 'utf8' });
    writeFileSync(`${file}.sha256`, sum.stdout);
    await cluster.psql('DELETE FROM orders WHERE id > 90;');
    const pgpass = join(work, 'pgpass');
    writeFileSync(pgpass, `127.0.0.1:${cluster.port}:*:postgres:${cluster.superuser.password}\n`, {
      mode: 0o600,
    });
    const scratch = async (): Promise<string> =>
      (
        await cluster.psql(
          "SELECT count(*) FROM pg_database WHERE datname = 'opsdeck_restore_check';",
        )
      ).trim();
    const runId = await start('Data loss', 'data-loss', ['Host', 'PostgreSQL'], {
      'Backup folder on the host': backups,
      'Database port': String(cluster.port),
      'pgpass file on the host': pgpass,
      'Table to compare': 'orders',
    });
    const run = await walk(runId, 'data-loss', {
      shotAt: 'restore',
      noteAt: 'count-live',
      resumeAt: 'count-restored',
      choices: { decide: 'Data is missing: plan the restore' },
      unchanged: {
        'create-scratch': async () => assert.equal(await scratch(), '0', 'no scratch db yet'),
        'drop-scratch': async () => assert.equal(await scratch(), '1', 'scratch db kept so far'),
      },
    });
    const byId = Object.fromEntries(run.plan.map((p) => [p.id, run.steps[p.index]]));
    assert.match(byId['last-backup'].output, /nightly\.dump: OK/);
    assert.match(byId['count-live'].output, /^live_rows\n90\n/);
    assert.match(byId['count-restored'].output, /restored_rows\n100\n/);
    assert.equal(await scratch(), '0', 'the scratch database was dropped');
    const inc = await finish(run, 'data-loss', ['restored nightly.dump']);
    assert.equal(inc.type, 'data');
    assert.ok(inc.timeline.some((e) => e.kind === 'escalated' && /Team lead/.test(e.text)));
    assert.match(await timelineText(), /Escalated/);
  });

  it('Site loss: objectives against the backup age, failover instructions and checks', async (t) => {
    if (reason) return t.skip(reason);
    assert.ok(existsSync(join(backups, 'nightly.dump')), 'the data loss test left a backup');
    const title = 'Site loss / disaster recovery';
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Runbooks/ })
      .click();
    await main()
      .getByRole('region', { name: 'Library' })
      .getByRole('link', { name: title, exact: true })
      .click({ timeout: LONG });
    await main().getByRole('heading', { level: 1, name: title }).waitFor({ timeout: LONG });
    const about = await main().innerText();
    assert.match(about, /Recovery time objective\s*120 min/, 'the RTO is shown');
    assert.match(about, /Recovery point objective\s*60 min/, 'the RPO is shown');
    const runId = await start(title, 'site-loss', ['Host', 'PostgreSQL'], {
      'Backup folder at the recovery site': backups,
    });
    const run = await walk(runId, 'site-loss', {
      shotAt: 'standby-role',
      noteAt: 'promote',
      notes: { record: 'service back after 40 min; no data lost' },
      inspect: {
        'standby-role': async (current) => {
          const goals = await main().getByLabel('Recovery objectives').innerText();
          assert.match(goals, /RTO 2 h · [\d h min s]+ left, counted from the start of this run/);
          assert.match(goals, /RPO 1 h/);
          assert.match(await current.innerText(), /^SQL$/m, 'an SQL check names its language');
        },
      },
    });
    const byId = Object.fromEntries(run.plan.map((p) => [p.id, run.steps[p.index]]));
    assert.equal(byId['backup-age'].outcome, 'pass');
    assert.equal(byId['standby-role'].outcome, 'fail', 'this server is a primary');
    assert.equal(byId['primary-check'].outcome, 'pass');
    const inc = await finish(run, 'site-loss', ['since the last verified backup (RPO 60 min)']);
    assert.ok(inc.timeline.some((e) => e.kind === 'escalated' && /Management/.test(e.text)));
    assert.match(await timelineText(), /Escalated/);
  });

  it('the audit log holds the changes and its chain verifies', async (t) => {
    if (reason) return t.skip(reason);
    await page.goto(`${(backend as Backend).url.split('#')[0]}#/audit`);
    await main().getByRole('heading', { level: 1, name: 'Audit log' }).waitFor({ timeout: LONG });
    await main().getByRole('button', { name: 'Verify the chain' }).click();
    await main().getByRole('status').filter({ hasText: 'Chain intact' }).waitFor({ timeout: LONG });
    const audit = await value<{ detail: string }[]>(backend as Backend, 'auditLog', {
      limit: 1000,
    });
    const changes: [string, RegExp][] = [
      ['the restart', /opsdeck-demo'? restart/],
      ['the terminate', /pg_terminate_backend/],
      ['the scratch database', /createdb /],
      ['the restore', /pg_restore /],
      ['the drop', /dropdb /],
    ];
    for (const [what, re] of changes) {
      assert.ok(
        audit.some((a) => re.test(a.detail)),
        `the audit log holds ${what}`,
      );
    }
    errors.assertNone();
  });
});

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
