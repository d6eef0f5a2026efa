// Alerting end to end in browser mode, as an admin does it: a rule created through the rule
// editor (memory total above 0 on "This workstation", at once) fires, shows on the alerts
// page and as a count on the fleet, is acknowledged with a note, and the acknowledgement
// shows in the alert and in its history. Screenshots of every alerting page, light and dark,
// go to OPSDECK_SCREENSHOT_DIR (a temp folder by default) for a person to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { removeDir, tempDir } from '../harness/util';
import {
  CHROMIUM,
  launchChromium,
  PageErrors,
  ROOT,
  startBackend,
  until,
  type Backend,
} from './browser-helpers';

const SHOTS = process.env.OPSDECK_SCREENSHOT_DIR ?? join(tmpdir(), 'opsdeck-alerts-screenshots');
const VIEWPORT = { width: 1400, height: 900 };
/** Generous: a collection round and an evaluation on a loaded 2-core machine. */
const LONG = 90_000;
const RULE = 'Memory is there (e2e)';
const NOTE = 'on it, checking the e2e rule';

function whyCannotRun(): string | null {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    return 'the renderer is not built (out/renderer/index.html): npx electron-vite build';
  if (!existsSync(join(ROOT, 'out', 'main', 'serve.js')))
    return 'the backend is not built (out/main/serve.js): npx electron-vite build';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium)`;
  return null;
}

/** Calls one contract method the way the renderer does in browser mode. */
async function call(backend: Backend, method: string, arg: unknown): Promise<unknown> {
  const token = /#token=([^&]+)/.exec(backend.url)![1];
  const res = await fetch(`${backend.origin}/api/${method}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
      Origin: backend.origin,
    },
    body: JSON.stringify(arg),
  });
  return res.json();
}

/** Null when the backend has alerting; the reason to skip when it answers AlertsUnavailable. */
async function alertingMissing(backend: Backend): Promise<string | null> {
  const env = (await call(backend, 'listRules', {})) as {
    ok: boolean;
    error?: { name: string; message: string };
  };
  if (env.ok) return null;
  if (env.error?.name === 'AlertsUnavailable') return 'alerting backend not in this build';
  throw new Error(`listRules failed: ${JSON.stringify(env.error)}`);
}

test('a rule made in the editor fires; acknowledged with a note, it shows in the history', async (t) => {
  const reason = whyCannotRun();
  if (reason) {
    process.stdout.write(`# alerts e2e skipped: ${reason}\n`);
    t.skip(reason);
    return;
  }
  const dataDir = tempDir('e2e-alerts');
  let backend: Backend | undefined;
  let browser: Browser | undefined;
  try {
    backend = await startBackend(dataDir);
    const missing = await alertingMissing(backend);
    if (missing) {
      process.stdout.write(`# alerts e2e skipped: ${missing}\n`);
      t.skip(missing);
      return;
    }
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const errors = new PageErrors(page);
    await run(page, backend);
    assert.deepEqual(errors.seen, [], `the pages logged errors:\n${errors.describe()}`);
  } catch (err) {
    if (backend) process.stderr.write(`backend log tail:\n${backend.log().slice(-4000)}\n`);
    throw err;
  } finally {
    await browser?.close().catch(() => undefined);
    await backend?.stop().catch(() => undefined);
    removeDir(dataDir);
  }
});

async function run(page: Page, backend: Backend): Promise<void> {
  const main = (): Locator => page.getByRole('main');
  const nav = (): Locator => page.getByRole('navigation', { name: 'Main' });
  const tabs = (): Locator => page.getByRole('navigation', { name: 'Alerting' });
  const heading = (name: string): Locator => main().getByRole('heading', { level: 1, name });
  const shot = async (name: string): Promise<void> => {
    await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
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
