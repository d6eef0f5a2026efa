// Shared by the runbooks integration tests: an Opsdeck core on a temp folder, API calls
// validated by the contract's schemas like the transports do, and a runbook folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpsdeckApp } from '../../src/main/app';
import { setLogSink } from '../../src/main/log';

import { appRoot, call } from '../harness/app-api';

export { appRoot, call } from '../harness/app-api';

export function quietLogs(): string[] {
  const lines: string[] = [];
  setLogSink((l) => lines.push(l));
  return lines;
}

export interface Notice {
  title: string;
  body: string;
}

export function openApp(
  dataDir: string,
  notices: Notice[] = [],
  acceptHostKeys: string[] = [],
): OpsdeckApp {
  return new OpsdeckApp({
    dataDir,
    appRoot,
    transport: 'browser',
    collect: false,
    acceptHostKeys,
    desktopNotifier: (title, body) => notices.push({ title, body }),
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `opsdeck-${prefix}-`));
}

/** A runbook folder holding the given files (name -> YAML text). */
export function runbookFolder(files: Record<string, string>): string {
  const dir = tempDir('runbooks');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs the current step until the run reaches `stopAt` (a step id) or ends. */
export async function runUntil(
  app: OpsdeckApp,
  runId: string,
  opts: { stopAt?: string; confirm?: boolean; choices?: Record<string, string> } = {},
) {
  for (let guard = 0; guard < 100; guard++) {
    const run = await call(app, 'getRun', { id: runId });
    if (run.status !== 'running') return run;
    const step = run.plan[run.current];
    if (step.id === opts.stopAt) return run;
    const choice = opts.choices?.[step.id];
    const after = choice
      ? await call(app, 'decide', { runId, index: run.current, option: choice })
      : await call(app, 'runStep', { runId, index: run.current, confirm: opts.confirm ?? false });
    const res = after.steps[step.index];
    if (res.status === 'failed') {
      throw new Error(
        `step ${step.id} failed: ${res.error ?? ''}\n${res.text ?? ''}\n${res.output}`,
      );
    }
  }
  throw new Error('run did not end');
}
