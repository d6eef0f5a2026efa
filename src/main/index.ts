// Electron entry: one window with the renderer, sandboxed and isolated, talking to the core
// only through the contract's IPC handlers.
import {
  app as electronApp,
  BrowserWindow,
  Menu,
  Notification,
  safeStorage,
  session,
  shell,
} from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OpsdeckApp } from './app';
import { registerIpc } from './ipc';
import { createLogger } from './log';
import { parseCli } from './paths';
import { KeyFileSecretBox } from './secrets/keyfile';
import { SafeStorageSecretBox, safeStorageIsReal } from './secrets/safe-storage';
import type { SecretBox } from './secrets/types';

const log = createLogger('desktop');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function secretBox(dataDir: string): SecretBox {
  const keyfile = new KeyFileSecretBox(dataDir);
  return safeStorageIsReal(safeStorage) ? new SafeStorageSecretBox(safeStorage, keyfile) : keyfile;
}

function lockDown(win: BrowserWindow, appUrl: string): void {
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== appUrl) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  session.defaultSession.setPermissionRequestHandler((_wc, permission, done) =>
    done(permission === 'notifications'),
  );
  session.defaultSession.webRequest.onHeadersReceived((details, done) =>
    done({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
}

/** Prints a report's HTML in a hidden window of its own session that loads nothing else.
 * The page is a private temp file, not a data: address, which Chromium caps at 2 MB. */
async function printToPdf(html: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-print-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html, { mode: 0o600 });
  const page = pathToFileURL(file).href;
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      partition: 'opsdeck-print',
    },
  });
  try {
    win.webContents.session.webRequest.onBeforeRequest((d, done) =>
      done({ cancel: d.url !== page }),
    );
    await win.loadURL(page);
    return await win.webContents.printToPDF({ printBackground: true });
  } finally {
    win.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function createWindow(): { win: BrowserWindow; appUrl: string } {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Opsdeck',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const appUrl = devUrl ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href;
  lockDown(win, appUrl);
  win.once('ready-to-show', () => win.show());
  return { win, appUrl };
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(1), true);
  if (cli.dataDir) electronApp.setPath('userData', cli.dataDir);
  await electronApp.whenReady();
  const dataDir = electronApp.getPath('userData');
  const core = new OpsdeckApp({
    dataDir,
    appRoot: resolve(__dirname, '..', '..'),
    transport: 'electron',
    secrets: secretBox(dataDir),
    acceptHostKeys: cli.acceptHostKeys,
    printToPdf,
    desktopNotifier: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
  }).start();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
      {
        role: 'help',
        submenu: [{ label: 'Data folder', click: () => void shell.openPath(dataDir) }],
      },
    ]),
  );
  const { win, appUrl } = createWindow();
  const unregister = registerIpc(core.api, core.events, win, appUrl);
  await win.loadURL(appUrl);
  electronApp.on('window-all-closed', () => electronApp.quit());
  electronApp.on('before-quit', (e) => {
    if (core.isStopped()) return;
    e.preventDefault();
    unregister();
    void core.stop().finally(() => electronApp.quit());
  });
}

electronApp.enableSandbox();
main().catch((err: Error) => {
  log.error('could not start', { error: err.message });
  electronApp.exit(1);
});
