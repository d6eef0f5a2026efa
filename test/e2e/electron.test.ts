// The desktop shell through Playwright's Electron driver: the window opens on the fleet, the
// renderer has no node powers and sees only the contract. Runs wherever the Electron binary
// is installed; elsewhere it says why it did not run.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { _electron as electron } from 'playwright';

const root = resolve(__dirname, '../..');

function electronBinary(): string | null {
  try {
    const path = createRequire(join(root, 'package.json'))('electron') as unknown as string;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function whyNot(): string | null {
  if (!electronBinary()) {
    return 'the Electron binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';
  }
  if (!existsSync(join(root, 'native/electron/better_sqlite3.node'))) {
    return "better-sqlite3 has no Electron build (Electron's headers could not be fetched: npm run native)";
  }
  if (!existsSync(join(root, 'out/main/index.js'))) return 'the app is not built (npm run build)';
  if (!process.env.DISPLAY && process.platform === 'linux')
    return 'no X display (run under xvfb-run)';
  return null;
}

const reason = whyNot();
if (reason) process.stdout.write(`# electron e2e skipped: ${reason}\n`);

test(
  'desktop window: sandboxed renderer, contract only, fleet shown',
  { skip: reason ?? false },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-electron-'));
    const app = await electron.launch({
      executablePath: electronBinary()!,
      args: [join(root, 'out/main/index.js'), `--data-dir=${dataDir}`],
    });
    try {
      const win = await app.firstWindow();
      await win.waitForLoadState('domcontentloaded');
      const surface = await win.evaluate(() => ({
        opsdeck: Object.keys((window as unknown as { opsdeck: object }).opsdeck).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      assert.deepEqual(surface, {
        opsdeck: ['invoke', 'on'],
        require: 'undefined',
        process: 'undefined',
      });
      await win.getByText('This workstation').first().waitFor({ timeout: 30_000 });
      const sandboxed = await app.evaluate(({ app: a }) =>
        a.commandLine.hasSwitch('enable-sandbox'),
      );
      assert.equal(sandboxed, true, 'every renderer is sandboxed (app.enableSandbox)');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
