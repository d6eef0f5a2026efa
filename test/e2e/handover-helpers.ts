// Pieces shared by the handover and offline end-to-end tests: contract calls the way the
// renderer makes them in browser mode, and light/dark screenshots of the page on screen.
import { join } from 'node:path';
import type { Page } from 'playwright';
import type { Backend } from './browser-helpers';

type Envelope = { ok: boolean; value?: unknown; error?: { name: string; message: string } };

/** Calls one contract method over HTTP with the printed token. */
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

export async function value<T>(backend: Backend, method: string, arg: unknown): Promise<T> {
  const env = await call(backend, method, arg);
  if (!env.ok) throw new Error(`${method} failed: ${JSON.stringify(env.error)}`);
  return env.value as T;
}

/** Full-page screenshots in both themes, then back to light. */
export async function shoot(page: Page, dir: string, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(dir, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
