// Alerting end to end in browser mode, as an admin does it: a rule created through the rule
// editor (memory total above 0 on "This workstation", at once) fires, shows on the alerts
// page and as a count on the fleet, is acknowledged with a note, and the acknowledgement
// shows in the alert and in its history. Screenshots of every alerting page, light and dark,
// go to OPSDECK_SCREENSHOT_DIR (a temp folder by default) for a person to look at.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { tempDir } from '../harness/util';
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

const SHOTS = screenshotDir('alerts');
const VIEWPORT = { width: 1400, height: 900 };
/** Generous: a collection round and an evaluation on a loaded 2-core machine. */
const LONG = 90_000;
const RULE = 'Memory is there (e2e)';
const NOTE = 'on it, checking the e2e rule';

/** Null when the backend has alerting; the reason to skip when it answers AlertsUnavailable. */
async function alertingMissing(backend: Backend): Promise<string | null> {
  const env = await call(backend, 'listRules', {});
  if (env.ok) return null;
  if (env.error?.name === 'AlertsUnavailable') return 'alerting backend not in this build';
  throw new Error(`listRules failed: ${JSON.stringify(env.error)}`);
}

test('a rule made in the editor fires; acknowledged with a note, it shows in the history', async (t) => {
  if (skipped(t, 'alerts e2e', whyPagesCannotRun())) return;
  const dataDir = tempDir('e2e-alerts');
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    backend = await startBackend(dataDir);
    if (skipped(t, 'alerts e2e', await alertingMissing(backend))) return;
    browser = await launchChromium();
    const { page, errors } = await openPage(browser, { viewport: VIEWPORT });
    await run(page, backend);
    errors.assertNone();
  } catch (err) {
    printBackendLog(backend);
    throw err;
  } finally {
    await tearDown({ browser, backend, dirs: [dataDir] });
  }
});

async function run(page: Page, backend: Backend): Promise<void> {
  const main = (): Locator => page.getByRole('main');
  const nav = (): Locator => page.getByRole('navigation', { name: 'Main' });
  const tabs = (): Locator => page.getByRole('navigation', { name: 'Alerting' });
  const heading = (name: string): Locator => main().getByRole('heading', { level: 1, name });
  const shot = async (name: string): Promise<void> => {
    await shootStill(page, SHOTS, name);
  };

  await page.goto(backend.url);
  await heading('Fleet').waitFor();

  // The rule, through the editor.
  await nav()
    .getByRole('link', { name: /^Alerts/ })
    .click();
  await heading('Alerts').waitFor();
  await tabs().getByRole('link', { name: 'Rules' }).click();
  await heading('Alert rules').waitFor();
  await main().getByRole('button', { name: 'New rule' }).click();
  const form = main().getByRole('form', { name: 'New rule' });
  await form.waitFor();
  await form.getByLabel('Name', { exact: true }).fill(RULE);
  await form.getByLabel('Targets', { exact: true }).selectOption({ label: 'one target' });
  await form.getByLabel('Target', { exact: true }).selectOption({ label: 'This workstation' });
  await form.getByLabel('Metric', { exact: true }).selectOption('host.mem.total');
  await form.getByLabel('Kind', { exact: true }).selectOption('threshold');
  await form.getByLabel('Comparison').selectOption('>');
  await form.getByLabel('Threshold').fill('0');
  await form.getByLabel('For', { exact: true }).fill('0');
  await form.getByLabel('Severity').selectOption('critical');
  await form.getByLabel('Message').fill('{{target}} has {{value}} of memory');
  await form.getByLabel('What to do').fill('Nothing: this rule exists for the end-to-end test.');
  await form.getByRole('button', { name: 'Preview over the last 7 days' }).click();
  const preview = form.getByRole('region', { name: 'Preview' });
  await preview.getByRole('status').first().waitFor({ timeout: LONG });
  await shot('rule-editor');
  await form.getByRole('button', { name: 'Save rule' }).click();
  await main().getByText(`Rule “${RULE}” saved.`).waitFor({ timeout: LONG });
  const ruleRow = main().getByRole('row').filter({ hasText: RULE });
  await ruleRow.waitFor();
  await shot('rules');

  // It fires and shows on the alerts page.
  await tabs().getByRole('link', { name: 'Alerts' }).click();
  await heading('Alerts').waitFor();
  const firing = main()
    .getByRole('region', { name: 'Firing and pending' })
    .getByRole('article', {
      name: new RegExp(`^Firing critical: ${escape(RULE)} on This workstation`),
    });
  await firing.waitFor({ timeout: LONG });
  const text = await firing.innerText();
  assert.match(
    text,
    /This workstation has \d[\d.]* [KMGT]iB of memory/,
    'the message is filled in',
  );
  assert.match(text, /Critical/, 'severity in words');
  await shot('alerts-firing');

  // The fleet counts it.
  await nav()
    .getByRole('link', { name: /^Fleet/ })
    .click();
  await heading('Fleet').waitFor();
  const row = main()
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'This workstation', exact: true }) });
  await until(
    'the fleet row saying 1 firing',
    async () => (await row.innerText()).includes('1 firing') || (await row.innerText()),
    LONG,
  );
  await shot('fleet-firing');

  // Acknowledge it with a note.
  await nav()
    .getByRole('link', { name: /^Alerts/ })
    .click();
  await heading('Alerts').waitFor();
  await firing.getByRole('button', { name: 'Acknowledge' }).click();
  const dialog = page.getByRole('dialog', { name: 'Acknowledge alert' });
  await dialog.getByLabel('Note (optional)').fill(NOTE);
  await shot('ack-dialog');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const acked = main()
    .getByRole('region', { name: 'Acknowledged' })
    .getByRole('article', { name: new RegExp(`^Acknowledged critical: ${escape(RULE)}`) });
  await acked.waitFor({ timeout: LONG });
  assert.match(await acked.innerText(), new RegExp(escape(NOTE)), 'the note shows with the alert');

  // And in its history.
  await acked.getByRole('button', { name: 'History' }).click();
  const history = acked.getByRole('table', { name: 'History' });
  await until(
    'the history showing the acknowledgement with its note',
    async () => {
      const h = (await history.innerText({ timeout: 5000 })).replace(/\s+/g, ' ');
      return (/Firing → Acknowledged/.test(h) && h.includes(NOTE)) || h;
    },
    LONG,
  );
  await shot('alerts-acknowledged');

  // A silence on the rule, until a preset end, shows among the active silences.
  await acked.getByRole('button', { name: 'Silence…' }).click();
  const silence = page.getByRole('dialog', { name: 'Silence' });
  await silence.getByLabel(/^The rule /).check();
  await silence.getByLabel(/^4 hours/).check();
  await silence.getByLabel('Reason').fill('e2e maintenance window');
  await shot('silence-dialog');
  await silence.getByRole('button', { name: 'Silence', exact: true }).click();
  await silence.waitFor({ state: 'hidden' });

  // An invalid import names the line and the field, and imports nothing.
  await tabs().getByRole('link', { name: 'Rules' }).click();
  await heading('Alert rules').waitFor();
  await main().getByRole('button', { name: 'Import YAML…' }).click();
  const importer = page.getByRole('dialog', { name: 'Import rules from YAML' });
  await importer
    .getByLabel('YAML')
    .fill(
      'rules:\n  - name: broken\n    selector: {metric: host.cpu.busy}\n' +
        '    condition: {kind: threshold, op: "=>", value: 3}\n' +
        '    forMs: 0\n    severity: warning\n    message: hi\n',
    );
  await importer.getByRole('button', { name: 'Import', exact: true }).click();
  const complaint = await importer.getByRole('alert').innerText({ timeout: LONG });
  assert.match(complaint, /line 4\b/, 'the import error names the line');
  assert.match(complaint, /condition\.op/, 'the import error names the field');
  await shot('import-error');
  await page.keyboard.press('Escape');
  await importer.waitFor({ state: 'hidden' });

  // The other pages of the area, for a person to look at.
  await tabs().getByRole('link', { name: 'Notifications and silences' }).click();
  await heading('Notifications and silences').waitFor();
  await main().getByRole('button', { name: 'Add channel' }).click();
  await page.getByRole('dialog', { name: 'Add channel' }).waitFor();
  await page.getByRole('dialog').getByLabel('Kind').selectOption('email');
  await shot('channel-dialog');
  await page.keyboard.press('Escape');
  const silences = main().getByRole('region', { name: 'Silences' });
  await silences.getByRole('row').filter({ hasText: 'e2e maintenance window' }).waitFor();
  assert.match(await silences.innerText(), new RegExp(`rule ${escape(RULE)}`));
  await shot('notifications');
  await nav()
    .getByRole('link', { name: /This workstation$/ })
    .click();
  await heading('This workstation').waitFor();
  await shot('host');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
