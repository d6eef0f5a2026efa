// Pieces of the browser-mode end-to-end test: the backend as users run it (a child process
// printing its URL), Debian's Chromium through Playwright, page error collection, and
// locators for what an admin reads on a page.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type ViewportSize,
} from 'playwright';
import { postgresUnavailable } from '../harness/postgres';
import { redisUnavailable } from '../harness/redis';
import { sshdUnavailable, type Sshd } from '../harness/sshd';
import { sshTargetConfig } from '../harness/target-configs';
import { removeDir, spawnTracked, stopTracked } from '../harness/util';

export const ROOT = resolve(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
const SERVE = join(ROOT, 'out', 'main', 'serve.js');
const INDEX = join(ROOT, 'out', 'renderer', 'index.html');
const URL_LINE = /(http:\/\/127\.0\.0\.1:(\d+)\/#token=[A-Za-z0-9_-]+)/;

/** Why the pages cannot be driven here (the build or Chromium missing), or null. */
export function whyPagesCannotRun(): string | null {
  if (!existsSync(INDEX))
    return 'the renderer is not built (out/renderer/index.html): npx electron-vite build';
  if (!existsSync(SERVE))
    return 'the backend is not built (out/main/serve.js): npx electron-vite build';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium)`;
  return null;
}

/** Why the browser test with every server cannot run here, or null when it can. */
export function whyBrowserTestCannotRun(): string | null {
  return whyPagesCannotRun() ?? sshdUnavailable() ?? postgresUnavailable() ?? redisUnavailable();
}

/** Skips the test when there is a reason, saying it in the output too; true when skipped. */
export function skipped(t: TestContext, what: string, reason: string | null): boolean {
  if (reason === null) return false;
  process.stdout.write(`# ${what} skipped: ${reason}\n`);
  t.skip(reason);
  return true;
}

/** OPSDECK_SCREENSHOT_DIR, else a temp folder named after the test; made if missing. */
export function screenshotDir(name: string): string {
  const dir = process.env.OPSDECK_SCREENSHOT_DIR ?? join(tmpdir(), `opsdeck-${name}-screenshots`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Full-page screenshots in both themes, then back to light. */
export async function shoot(page: Page, dir: string, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(dir, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

export interface Backend {
  /** The printed address, with its #token=…. */
  url: string;
  origin: string;
  child: ChildProcess;
  /** What the process wrote to stderr (its JSON log lines), for failure messages. */
  log(): string;
  /** SIGTERM and wait; resolves with how it ended (SIGKILL after 15 s is a failure). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

/** `node out/main/serve.js --data-dir DIR --port 0`, resolved once it prints its URL. */
export function startBackend(dataDir: string): Promise<Backend> {
  const child = spawnTracked(process.execPath, [SERVE, '--data-dir', dataDir, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, OPSDECK_LOG_LEVEL: 'info' },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const tail = (): string => `stdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-4000)}`;

  const stop: Backend['stop'] = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return { code: child.exitCode, signal: child.signalCode, killed: false };
    }
    child.kill('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      void stopTracked(child, 'SIGKILL', 1000);
    }, 15_000);
    const how = await exited;
    clearTimeout(timer);
    return { ...how, killed };
  };

  return new Promise((resolveStart, reject) => {
    const deadline = setTimeout(() => {
      void stop();
      reject(new Error(`the backend printed no URL within 30 s\n${tail()}`));
    }, 30_000);
    const onData = (): void => {
      const m = URL_LINE.exec(out);
      if (!m) return;
      clearTimeout(deadline);
      child.stdout?.off('data', onData);
      resolveStart({
        url: m[1],
        origin: `http://127.0.0.1:${m[2]}`,
        child,
        log: () => err,
        stop,
      });
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(deadline);
      reject(
        new Error(`the backend exited (${signal ?? code}) before printing its URL\n${tail()}`),
      );
    });
  });
}

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * shoot, with the pointer parked in a corner (no hover look) and the page scrolled to the
 * top: the sidebar is sticky, and a full-page picture taken while scrolled shows it mid-page.
 */
export async function shootStill(page: Page, dir: string, name: string): Promise<void> {
  const size = page.viewportSize();
  if (size) await page.mouse.move(size.width - 2, size.height - 2);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, dir, name);
}

/** A page of its own context, its errors collected, opened at `url` when given. */
export async function openPage(
  browser: Browser,
  opts: { viewport: ViewportSize; downloads?: boolean; url?: string },
): Promise<{ context: BrowserContext; page: Page; errors: PageErrors }> {
  const context = await browser.newContext({
    viewport: opts.viewport,
    acceptDownloads: opts.downloads ?? false,
  });
  const page = await context.newPage();
  const errors = new PageErrors(page);
  if (opts.url) await page.goto(opts.url);
  return { context, page, errors };
}

/** On a failure: the tail of the backend's log, for the test output. */
export function printBackendLog(backend: Backend | undefined): void {
  if (backend) process.stderr.write(`backend log tail:\n${backend.log().slice(-4000)}\n`);
}

/**
 * The end of an e2e test, whatever happened: the browser closed, the backend stopped, the
 * harness servers stopped, the temp folders removed; a failure to close is ignored.
 */
export async function tearDown(p: {
  browser?: Browser;
  backend?: Backend;
  servers?: ({ stop(): Promise<unknown> } | undefined)[];
  dirs?: string[];
}): Promise<void> {
  await p.browser?.close().catch(() => undefined);
  await p.backend?.stop().catch(() => undefined);
  await Promise.allSettled((p.servers ?? []).map((s) => s?.stop()));
  for (const dir of p.dirs ?? []) removeDir(dir);
}

/** Console errors and uncaught exceptions of a page, while `recording` is on. */
export class PageErrors {
  readonly seen: string[] = [];
  recording = true;

  constructor(page: Page) {
    page.on('console', (msg) => {
      if (this.recording && msg.type() === 'error') {
        const at = msg.location();
        this.seen.push(`console.error: ${msg.text()} (${at.url}:${at.lineNumber})`);
      }
    });
    page.on('pageerror', (err) => {
      if (this.recording) this.seen.push(`pageerror: ${err.name}: ${err.message}`);
    });
  }

  describe(): string {
    return this.seen.map((s) => `  - ${s}`).join('\n');
  }

  assertNone(): void {
    assert.deepEqual(this.seen, [], `the pages logged errors:\n${this.describe()}`);
  }
}

export type Envelope = { ok: boolean; value?: unknown; error?: { name: string; message: string } };

/** Calls one contract method the way the renderer does in browser mode, with the token. */
export async function call(backend: Backend, method: string, arg: unknown): Promise<Envelope> {
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
  return (await res.json()) as Envelope;
}

/** The value of a contract call; throws with the error envelope when it failed. */
export async function value<T>(backend: Backend, method: string, arg: unknown): Promise<T> {
  const env = await call(backend, method, arg);
  if (!env.ok) throw new Error(`${method} failed: ${JSON.stringify(env.error)}`);
  return env.value as T;
}

/**
 * A figure tile (label, value, detail) by its label. Tiles carry no role or accessible name
 * (src/renderer/src/components/Figure.tsx), so this goes from the label text to its box.
 */
export function tile(scope: Page | Locator, label: string): Locator {
  // The tiles come first on a page; a snapshot table further down may reuse the word.
  return scope.getByText(label, { exact: true }).first().locator('xpath=..');
}

/** A chart panel: a <section aria-label=title>, so a region named by its title. */
export function chart(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/**
 * How many points the longest drawn line or area of a chart has (0 when nothing is drawn):
 * recharts draws each series as one SVG path, "M x,y" then one "L" or "C" per further point.
 */
export async function drawnPoints(panel: Locator): Promise<number> {
  return panel.evaluate((el) => {
    let best = 0;
    for (const p of Array.from(el.querySelectorAll('svg path'))) {
      const cls = p.getAttribute('class') ?? '';
      if (!/recharts-(curve|area-curve|line-curve)/.test(cls)) continue;
      const d = p.getAttribute('d') ?? '';
      if (!d.startsWith('M')) continue;
      const n = (d.match(/[MLC]/g) ?? []).length;
      if (n > best) best = n;
    }
    return best;
  });
}

/** Polls `check` until it returns true, then resolves; fails naming `what` and the last state. */
export async function until(
  what: string,
  check: () => Promise<boolean | string>,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await check();
      if (v === true) return;
      last = typeof v === 'string' ? v : '';
    } catch (err) {
      last = (err as Error).message.split('\n')[0];
    }
    if (Date.now() > end) throw new Error(`${what}: not seen within ${timeoutMs} ms (${last})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The harness sshd saved as an SSH target, its offered host key accepted as an admin would. */
export async function addSshTarget(
  backend: Backend,
  sshd: Sshd,
  fields: { name: string; group: string; intervalMs: number },
): Promise<string> {
  const target = await value<{ id: string }>(backend, 'saveTarget', {
    ...fields,
    config: sshTargetConfig(sshd),
  });
  const tested = await value<{ hostKey: { fingerprint: string } | null }>(backend, 'testTarget', {
    id: target.id,
  });
  assert.equal(tested.hostKey?.fingerprint, sshd.hostKeyFingerprint, 'the harness key is offered');
  await value(backend, 'acceptHostKey', {
    targetId: target.id,
    fingerprint: sshd.hostKeyFingerprint,
  });
  return target.id;
}
