// Printing a report's HTML to PDF in browser mode: headless Chromium on a file in a private
// temp folder, started with an argument list (never through a shell), with every network
// path switched off by flags. The HTML itself also forbids any load by its CSP.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExportFailed } from '../errors';
import { createLogger } from '../log';

const log = createLogger('reports');
const PRINT_TIMEOUT_MS = 90_000;
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export type PdfPrinter = (html: string) => Promise<Buffer>;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** /usr/bin/chromium, else the first Chromium or Chrome on PATH; null when there is none. */
export function findChromium(pathEnv = process.env.PATH ?? ''): string | null {
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const p = join(dir, name);
      if (executable(p)) return p;
    }
  }
  return null;
}

/** Flags that print one local file and reach nothing else. */
export function chromiumArgs(
  profile: string,
  pdf: string,
  page: string,
  asRoot: boolean,
): string[] {
  return [
    '--headless',
    '--disable-gpu',
    ...(asRoot ? ['--no-sandbox'] : []),
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--metrics-recording-only',
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdf}`,
    page,
  ];
}

/** A printer using the Chromium found now; throws ExportFailed naming what to install. */
export function chromiumPrinter(found: string | null = findChromium()): PdfPrinter {
  return async (html) => {
    if (!found) {
      throw new ExportFailed(
        'No Chromium was found to print the report to PDF (looked for /usr/bin/chromium and ' +
          'chromium or google-chrome on PATH). Install Chromium (Debian/Ubuntu: apt-get install ' +
          'chromium), or export HTML and print it from a browser.',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-pdf-'));
    try {
      const page = join(dir, 'report.html');
      const pdf = join(dir, 'report.pdf');
      writeFileSync(page, html, { mode: 0o600 });
      const asRoot = process.getuid?.() === 0;
      const args = chromiumArgs(join(dir, 'profile'), pdf, pathToFileURL(page).href, asRoot);
      const started = performance.now();
      await run(found, args);
      log.debug('report printed to PDF', { ms: Math.round(performance.now() - started) });
      return readFileSync(pdf);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: PRINT_TIMEOUT_MS, maxBuffer: 4 << 20 }, (err, _out, stderr) => {
      if (!err) return resolve();
      const tail = String(stderr).trim().split('\n').slice(-3).join(' ');
      reject(
        new ExportFailed(
          `Chromium (${file}) could not print the report to PDF: ${err.message.split('\n')[0]}` +
            `${tail ? ` (${tail})` : ''}. Export HTML and print it from a browser instead.`,
        ),
      );
    });
  });
}
