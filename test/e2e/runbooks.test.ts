// Runbooks end to end in browser mode, as an admin at 3 a.m. does it: "Disk almost full"
// from the library, its parameters checked as they are typed, a dry run, the read-only
// checks run with Enter, a branch chosen, the changing step refused until its confirmation
// is ticked, a note with N, the run finished and its report exported (the downloaded HTML
// holds the steps and their outputs). Then an incident opened from the run, acknowledged,
// the escalation matrix in Settings and the audit log with its chain check. Screenshots of
// every page, light and dark, go to OPSDECK_SCREENSHOT_DIR (a temp folder by default).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright';
import { sshdUnavailable, startSshd, type Sshd } from '../harness/sshd';
import { tempDir } from '../harness/util';
import {
  addSshTarget,
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
  value,
  whyPagesCannotRun,
  type Backend,
} from './browser-helpers';

const SHOTS = screenshotDir('runbooks');
const VIEWPORT = { width: 1400, height: 900 };
/** Generous: SSH round trips on a loaded 2-core machine. Never a timed assertion. */
const LONG = 60_000;
const HOST = 'web-1';
const NOTE = 'old rotated logs of app only; nothing else touched';
const OLD_LOG = 'app.log.3.gz';
const NEW_LOG = 'app.log';
const RULE = 'Memory is there for the runbook e2e';
const HAND_INCIDENT = 'Checkout answers 502';
/** A runbook of the operator's own folder whose one step prints a line a second. */
const SLOW_RUNBOOK = `id: e2e-slow
title: Slow output (e2e)
scenario: routine
severity: low
estimatedMinutes: 1
targets: [host]
steps:
  - id: count
    kind: command
    title: Count slowly
    mode: read
    command: for i in 1 2 3 4 5 6; do echo "line $i"; sleep 1; done
`;
const BROKEN_RUNBOOK = `id: e2e-broken
title: Broken (e2e)
scenario: routine
severity: urgent
estimatedMinutes: 1
steps:
  - { id: a, kind: instruction, title: A }
`;

/** Null when the backend has runbooks; the reason to skip when it answers RunbooksUnavailable. */
async function runbooksMissing(backend: Backend): Promise<string | null> {
  const env = await call(backend, 'listRunbooks', {});
  if (env.ok) return null;
  if (env.error?.name === 'RunbooksUnavailable') return 'runbooks are not part of this build';
  throw new Error(`listRunbooks failed: ${JSON.stringify(env.error)}`);
}

test('"Disk almost full" walked through the pages, confirmed, finished and exported', async (t) => {
  if (skipped(t, 'runbooks e2e', whyPagesCannotRun() ?? sshdUnavailable())) return;
  const dataDir = tempDir('e2e-runbooks');
  const logDir = tempDir('e2e-runbooks-logs');
  const downloads = tempDir('e2e-runbooks-downloads');
  const folder = tempDir('e2e-runbooks-folder');
  let sshd: Sshd | undefined;
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    backend = await startBackend(dataDir);
    if (skipped(t, 'runbooks e2e', await runbooksMissing(backend))) return;
    sshd = await startSshd();
    const hostId = await addSshTarget(backend, sshd, {
      name: HOST,
      group: 'web',
      intervalMs: 60_000,
    });
    writeFileSync(join(logDir, OLD_LOG), 'x'.repeat(4096));
    writeFileSync(join(logDir, NEW_LOG), 'today\n');
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    utimesSync(join(logDir, OLD_LOG), monthAgo, monthAgo);

    browser = await launchChromium();
    const { page, errors } = await openPage(browser, { viewport: VIEWPORT, downloads: true });
    await walk(page, backend, dataDir, logDir, downloads);

    // A run left at its second step survives a restart of the backend and resumes there.
    const started = await value<{ id: string }>(backend, 'startRun', {
      runbookId: 'disk-almost-full',
      params: { path: logDir, logDir, days: 1 },
      targets: { host: hostId },
    });
    await value(backend, 'runStep', { runId: started.id, index: 0 });
    errors.recording = false;
    await backend.stop();
    backend = await startBackend(dataDir);
    await page.goto(backend.url);
    errors.recording = true;
    await resume(page);
    await fromAlert(page, backend);
    await ownFolder(page, folder);
    errors.assertNone();
  } catch (err) {
    printBackendLog(backend);
    throw err;
  } finally {
    await tearDown({
      browser,
      backend,
      servers: [sshd],
      dirs: [dataDir, logDir, downloads, folder],
    });
  }
});

async function resume(page: Page): Promise<void> {
  const main = (): Locator => page.getByRole('main');
  await main().getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /^Runbooks/ })
    .click();
  const resumable = main().getByRole('region', { name: 'Runs in progress' });
  await resumable.getByRole('link', { name: 'Resume: Disk almost full' }).click({ timeout: LONG });
  const current = main().getByRole('article', { name: 'Current step' });
  await current.waitFor({ timeout: LONG });
  assert.match(await current.innerText(), /Step 2 of 9/i, 'the run resumes at its next step');
  assert.match(
    await main().getByRole('navigation', { name: 'Steps' }).innerText(),
    /How full is it\? \(% used\)\s*✓ done/,
  );

  // Skipped with a reason: the list says so and the run moves on.
  await current.getByRole('button', { name: 'Skip with a reason…' }).click();
  const skip = page.getByRole('dialog', { name: 'Skip step 2' });
  await skip.getByLabel('Reason for skipping').fill('du takes too long on this host');
  await skip.getByRole('button', { name: 'Skip step' }).click();
  await skip.waitFor({ state: 'hidden' });
  await until(
    'step 2 skipped and step 3 current',
    async () => {
      const text = await current.innerText({ timeout: 5000 });
      return /Step 3 of 9/i.test(text) || text.slice(0, 120);
    },
    LONG,
  );
  assert.match(
    await main().getByRole('navigation', { name: 'Steps' }).innerText(),
    /Biggest folders \(KiB\)\s*↷ skipped/,
  );
}

/** The operator's folder, set in Settings: a broken file is named with line and field, and
 * a slow step's output shows while it still runs. */
async function ownFolder(page: Page, folder: string): Promise<void> {
  writeFileSync(join(folder, 'slow.yaml'), SLOW_RUNBOOK);
  writeFileSync(join(folder, 'broken.yaml'), BROKEN_RUNBOOK);
  const main = (): Locator => page.getByRole('main');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: /^Settings/ }).click();
  const settings = main().getByRole('form', { name: 'Runbooks' });
  await settings.getByLabel('Your runbook folder').fill(folder);
  await settings.getByRole('button', { name: 'Save runbook settings' }).click();
  await settings.getByRole('status').filter({ hasText: 'Saved at' }).waitFor({ timeout: LONG });

  await nav.getByRole('link', { name: /^Runbooks/ }).click();
  const problems = main().getByRole('region', { name: 'Runbook files with mistakes' });
  await problems.waitFor({ timeout: LONG });
  const row = (
    await problems.getByRole('row').filter({ hasText: 'broken.yaml' }).innerText()
  ).replace(/\s+/g, ' ');
  assert.match(row, / 4 severity /, `the mistake is named by line and field: ${row}`);
  await main().getByRole('link', { name: 'Slow output (e2e)' }).click();
  const form = main().getByRole('form', { name: 'Start this runbook' });
  await form.getByLabel('Host', { exact: true }).selectOption({ label: HOST });
  await form.getByRole('button', { name: 'Start run' }).click();
  const current = main().getByRole('article', { name: 'Current step' });
  await current.waitFor({ timeout: LONG });
  await page.locator('#step-title').focus();
  await page.keyboard.press('Enter');
  const output = main().getByRole('region', { name: 'Output' });
  await until(
    'part of the output while the step still runs',
    async () => {
      const text = await output.innerText({ timeout: 5000 });
      return (/streaming/.test(text) && /line 2/.test(text) && !/line 6/.test(text)) || text;
    },
    LONG,
  );
  await shootStill(page, SHOTS, 'run-streaming');
  await main().getByRole('article', { name: 'Run finished' }).waitFor({ timeout: LONG });
}

/** An alert whose rule names a runbook opens an incident and that runbook's start page. */
async function fromAlert(page: Page, backend: Backend): Promise<void> {
  await value(backend, 'saveRule', {
    name: RULE,
    selector: { targetId: 'local', metric: 'host.mem.total' },
    condition: { kind: 'threshold', op: '>', value: 0 },
    forMs: 0,
    severity: 'critical',
    message: '{{target}} has memory',
    action: 'Nothing: this rule exists for the runbook end-to-end test.',
    runbook: 'disk-almost-full',
  });
  const main = (): Locator => page.getByRole('main');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /^Alerts/ })
    .click();
  const firing = main().getByRole('article', { name: new RegExp(`^Firing critical: ${RULE}`) });
  await firing.waitFor({ timeout: LONG });
  await firing.getByRole('button', { name: 'Start runbook disk-almost-full' }).click();
  await main().getByRole('heading', { level: 1, name: 'Disk almost full' }).waitFor({
    timeout: LONG,
  });
  const linked = main().getByRole('status').filter({ hasText: 'This run will be linked' });
  await linked.waitFor({ timeout: LONG });
  assert.match(await linked.innerText(), new RegExp(RULE), 'the incident comes from the alert');
  const host = main().getByRole('form', { name: 'Start this runbook' }).getByLabel('Host', {
    exact: true,
  });
  assert.equal(await host.inputValue(), 'local', "the alert's target is the run's host");
  await shootStill(page, SHOTS, 'runbook-from-alert');
}

async function walk(
  page: Page,
  backend: Backend,
  dataDir: string,
  logDir: string,
  downloads: string,
): Promise<void> {
  const main = (): Locator => page.getByRole('main');
  const nav = (): Locator => page.getByRole('navigation', { name: 'Main' });
  const heading = (name: string): Locator => main().getByRole('heading', { level: 1, name });
  const shot = (name: string): Promise<void> => shootStill(page, SHOTS, name);

  await page.goto(backend.url);
  await heading('Fleet').waitFor();

  // The library: search and filters.
  await nav()
    .getByRole('link', { name: /^Runbooks/ })
    .click();
  await heading('Runbooks').waitFor();
  const library = main().getByRole('region', { name: 'Library' });
  await library.getByRole('link', { name: 'Disk almost full' }).waitFor({ timeout: LONG });
  await shot('runbooks-library');
  await library.getByLabel('Search').fill('disk');
  await library.getByLabel('Scenario').selectOption({ label: 'System failure' });
  assert.match(await library.innerText(), /1 of \d+ runbooks/);
  await library.getByRole('link', { name: 'Disk almost full' }).click();

  // Parameters, checked as typed; then a dry run that runs nothing.
  await heading('Disk almost full').waitFor();
  const form = main().getByRole('form', { name: 'Start this runbook' });
  await form.getByLabel('Host', { exact: true }).selectOption({ label: HOST });
  await form.getByLabel('Mount point or folder that is full').fill(logDir);
  await form.getByLabel('Log folder to clean').fill('var/log');
  await form.getByLabel('Logs older than (days)').fill('two');
  await form.getByRole('button', { name: 'Start run' }).click();
  const formText = await form.innerText();
  assert.match(formText, /Log folder to clean must be an absolute path/);
  assert.match(formText, /Logs older than \(days\) must be a number/);
  await shot('runbook-parameters-invalid');
  await form.getByLabel('Log folder to clean').fill(logDir);
  await form.getByLabel('Logs older than (days)').fill('1');
  await form.getByRole('button', { name: 'Dry run: show every command' }).click();
  const dry = main().getByRole('region', { name: 'Dry run' });
  await dry.waitFor({ timeout: LONG });
  const dryText = await dry.innerText();
  assert.ok(
    dryText.includes(`find '${logDir}'`),
    `the dry run fills in the quoted folder:\n${dryText}`,
  );
  assert.match(dryText, /-delete/, 'the changing command shows in full');
  assert.ok(existsSync(join(logDir, OLD_LOG)), 'the dry run removed nothing');
  await shot('runbook-dry-run');
  await form.getByRole('button', { name: 'Start run' }).click();

  // The run: one current step, Enter runs the read-only ones.
  const current = main().getByRole('article', { name: 'Current step' });
  await current.waitFor({ timeout: LONG });
  const atStep = async (n: number): Promise<void> =>
    until(
      `step ${n} as the current one`,
      async () => {
        const text = await current.innerText({ timeout: 5000 });
        return new RegExp(`Step ${n} of \\d+`, 'i').test(text) || text.slice(0, 200);
      },
      LONG,
    );
  const pressEnterAt = async (n: number): Promise<void> => {
    await atStep(n);
    await page.locator('#step-title').focus();
    await page.keyboard.press('Enter');
  };
  await atStep(1);
  assert.match(await current.innerText(), /How full is it\?/);
  await pressEnterAt(1);
  await pressEnterAt(2);
  await atStep(3);
  await shot('run-read-step');
  await pressEnterAt(3);
  await pressEnterAt(4);

  // The old logs step found the old file: its output shows when the step is opened.
  await atStep(5);
  const last = main().getByRole('region', { name: 'Last output' });
  assert.match(
    await last.innerText(),
    new RegExp(`Old rotated logs[\\s\\S]*${OLD_LOG.replace(/\./g, '\\.')}`),
  );
  const steps = main().getByRole('navigation', { name: 'Steps' });
  await steps.getByRole('button', { name: /Old rotated logs/ }).click();
  const viewed = main().getByRole('article', { name: 'Step 4' });
  await until(
    'the old log in the output of step 4',
    async () => (await viewed.innerText({ timeout: 5000 })).includes(OLD_LOG) || 'not yet',
    LONG,
  );
  assert.match(await viewed.innerText(), /Expected[\s\S]*Actual[\s\S]*exit code 0/i);
  await viewed.getByRole('button', { name: 'Back to the current step' }).click();

  // A note with N.
  await page.locator('#step-title').focus();
  await page.keyboard.press('n');
  const noteDialog = page.getByRole('dialog', { name: 'Add a note' });
  await noteDialog.getByLabel('Note').fill(NOTE);
  await noteDialog.getByRole('button', { name: 'Add note' }).click();
  await noteDialog.waitFor({ state: 'hidden' });
  await main().getByRole('region', { name: 'Notes' }).getByText(NOTE).waitFor();

  // The branch, then the changing step: refused until its confirmation is ticked.
  await shot('run-decision');
  await current.getByRole('button', { name: 'Remove the old rotated logs listed above' }).click();
  await atStep(6);
  await page.locator('#step-title').focus();
  await page.keyboard.press('Enter');
  await current.getByRole('alert').filter({ hasText: 'tick the confirmation first' }).waitFor();
  assert.equal(await current.getByRole('button', { name: /Run the change/ }).isDisabled(), true);
  assert.ok(existsSync(join(logDir, OLD_LOG)), 'nothing ran before the confirmation');
  await shot('run-change-unconfirmed');
  await current.getByRole('checkbox', { name: /want it to change/ }).check();
  await shot('run-change-confirmed');
  await page.keyboard.press('Enter');
  await until('the old log removed', async () => !existsSync(join(logDir, OLD_LOG)), LONG);
  assert.ok(existsSync(join(logDir, NEW_LOG)), 'the current log stays');

  await atStep(7);
  await current.getByRole('button', { name: 'No', exact: true }).click();
  await pressEnterAt(9);
  const finished = main().getByRole('article', { name: 'Run finished' });
  await finished.waitFor({ timeout: LONG });
  assert.match(await finished.innerText(), /All steps are through/);
  await shot('run-finished');

  // The report: a self-contained HTML file with the steps and their outputs.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    finished.getByRole('button', { name: 'Export report' }).click(),
  ]);
  const saved = join(downloads, download.suggestedFilename());
  await download.saveAs(saved);
  assert.match(download.suggestedFilename(), /\.html$/);
  const html = readFileSync(saved, 'utf8');
  for (const title of ['Disk almost full', 'Biggest folders (KiB)', 'Remove old rotated logs']) {
    assert.ok(html.includes(title), `the report names the step ${title}`);
  }
  assert.ok(html.includes(OLD_LOG), 'the report holds the outputs (the old log found and removed)');
  assert.ok(html.includes(NOTE), 'the report holds the note');
  assert.doesNotMatch(html, /<script|src="http|href="http/i, 'the report needs nothing online');

  // An incident from the run, its escalation clock, acknowledged.
  await main().getByRole('button', { name: 'Open an incident for this run' }).click();
  const incidentLink = main().locator('.incident-line a').first();
  await incidentLink.waitFor({ timeout: LONG });
  await incidentLink.click();
  const escalation = main().getByRole('region', { name: 'Escalation' });
  await escalation.waitFor({ timeout: LONG });
  assert.match(await escalation.innerText(), /Not acknowledged/);
  await shot('incident');
  await escalation.getByRole('button', { name: 'Acknowledge' }).click();
  const ack = page.getByRole('dialog', { name: 'Acknowledge incident' });
  await ack.getByLabel(/Note/).fill('taking it');
  await ack.getByRole('button', { name: 'Acknowledge' }).click();
  await ack.waitFor({ state: 'hidden' });
  await until(
    'the acknowledgement in the timeline',
    async () =>
      /Acknowledged/.test(
        await main().getByRole('region', { name: 'Timeline' }).innerText({ timeout: 5000 }),
      ) || 'not yet',
    LONG,
  );
  await shot('incident-acknowledged');
  await nav()
    .getByRole('link', { name: /^Incidents/ })
    .click();
  await heading('Incidents').waitFor();
  await main().getByRole('table').waitFor({ timeout: LONG });
  await shot('incidents');
  await main().getByRole('button', { name: 'Open incident…' }).click();
  await page.getByRole('dialog', { name: 'Open incident' }).waitFor();
  // One by hand: it opens on its own page with the clock running; resolved, the clock stops.
  const opener = page.getByRole('dialog', { name: 'Open incident' });
  await opener.getByLabel('Title').fill(HAND_INCIDENT);
  await opener.getByLabel('Severity').selectOption({ label: 'Critical' });
  await opener.getByLabel('Symptoms').fill('HTTP 502 from the load balancer');
  await opener.getByRole('checkbox', { name: HOST }).check();
  await shot('incident-open-dialog');
  await opener.getByRole('button', { name: 'Open incident' }).click();
  await heading(HAND_INCIDENT).waitFor({ timeout: LONG });
  const clock = main().getByRole('region', { name: 'Escalation' });
  assert.match(await clock.innerText(), /Not acknowledged/);
  assert.match(await main().getByRole('region', { name: 'Details' }).innerText(), /HTTP 502/);
  await main().getByRole('button', { name: 'Edit details' }).click();
  const edit = main().getByRole('form', { name: 'Edit incident' });
  await edit.getByLabel('Status').selectOption({ label: 'Resolved' });
  await edit.getByRole('button', { name: 'Save details' }).click();
  await until(
    'the clock stopped once resolved',
    async () => /Resolved: the escalation clock is stopped/.test(await clock.innerText()) || 'no',
    LONG,
  );

  // Settings: the escalation matrix; the audit log and its chain.
  await nav()
    .getByRole('link', { name: /^Settings/ })
    .click();
  await heading('Settings').waitFor();
  await main().getByRole('region', { name: 'Escalation matrix' }).getByText('Level 1').waitFor({
    timeout: LONG,
  });
  await shot('settings-escalation');
  const matrix = main().getByRole('form', { name: 'Escalation levels' });
  await matrix.getByLabel('Level 1 contact 1 name').fill('Sam Example (on call)');
  await matrix.getByLabel('Level 1 contact 1 phone').fill('+00 000 000 099');
  await matrix.getByRole('button', { name: 'Save escalation matrix' }).click();
  await matrix.getByRole('status').filter({ hasText: 'Saved at' }).waitFor({ timeout: LONG });
  const stored = await value<{ levels: { contacts: { name: string; phone: string }[] }[] }>(
    backend,
    'getEscalation',
    {},
  );
  assert.deepEqual(
    [stored.levels[0].contacts[0].name, stored.levels[0].contacts[0].phone],
    ['Sam Example (on call)', '+00 000 000 099'],
  );
  await main().getByRole('link', { name: 'all entries and chain check' }).click();
  await heading('Audit log').waitFor();
  await main().getByRole('button', { name: 'Verify the chain' }).click();
  const intact = main().getByRole('status').filter({ hasText: 'Chain intact' });
  await intact.waitFor({ timeout: LONG });
  assert.match(await main().innerText(), /-delete/, 'the changing command is in the audit log');
  await shot('audit');

  // An entry edited behind Opsdeck's back breaks the chain, and the page says where.
  const db = new Database(join(dataDir, 'opsdeck.sqlite'));
  db.prepare("UPDATE audit SET detail = detail || ' (edited)' WHERE id = 3").run();
  db.close();
  await main().getByRole('button', { name: 'Verify the chain' }).click();
  await main()
    .getByRole('alert')
    .filter({ hasText: 'Chain broken at entry #3' })
    .waitFor({ timeout: LONG });
  await shot('audit-broken');
}
