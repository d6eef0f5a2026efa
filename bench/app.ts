// The whole main-process core monitoring 50 SSH hosts (all the harness sshd on loopback, each
// its own connection): time of one full collection round (script, parse, store) over all of
// them, and the process's memory once they are all collecting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpsdeckApp } from '../src/main/app';
import { setLogLevel } from '../src/main/log';
import { startSshd, sshdUnavailable } from '../test/harness/sshd';

const HOSTS = 50;
const ROUNDS = 6;

function line(name: string, value: string, goal: string): void {
  process.stdout.write(`${name}: ${value} (goal: ${goal})\n`);
}

async function waitFor(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`bench: ${what} not reached within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function run(): Promise<void> {
  const missing = sshdUnavailable();
  if (missing) {
    process.stdout.write(`app bench skipped: ${missing}\n`);
    return;
  }
  setLogLevel('warn');
  const sshd = await startSshd();
  const dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-app-'));
  const app = new OpsdeckApp({
    dataDir,
    appRoot: resolve(__dirname, '..'),
    transport: 'browser',
    acceptHostKeys: [sshd.hostKeyFingerprint],
  });
  const rounds = new Map<string, number[]>();
  app.events.on('status', (s) => {
    if (s.health === 'ok' && s.lastDurationMs !== null) {
      rounds.set(s.targetId, [...(rounds.get(s.targetId) ?? []), s.lastDurationMs]);
    }
  });
  try {
    app.start();
    for (let i = 0; i < HOSTS; i++) {
      await app.api.saveTarget({
        name: `bench-${i}`,
        group: 'bench',
        enabled: true,
        intervalMs: 5000,
        config: {
          kind: 'ssh',
          host: sshd.host,
          port: sshd.port,
          user: sshd.user,
          auth: 'key',
          keyPath: sshd.keyPath,
        },
      });
    }
    const ids = app.store
      .listTargets()
      .filter((t) => t.group === 'bench')
      .map((t) => t.id);
    const allHave = (n: number) => ids.every((id) => (rounds.get(id)?.length ?? 0) >= n);
    await waitFor(`${ROUNDS} rounds on ${HOSTS} hosts`, () => allHave(ROUNDS), 120_000);
    // Rounds after the first (which includes the SSH handshake) are the steady state.
    const steady = ids.flatMap((id) => rounds.get(id)!.slice(1));
    steady.sort((a, b) => a - b);
    const p50 = steady[steady.length >> 1];
    const p95 = steady[Math.floor(steady.length * 0.95)];
    line(
      'app steady round per host, 50 hosts on 2 cores (p50 / p95)',
      `${p50} / ${p95} ms`,
      'well under the 10 s interval',
    );
    const tStart = performance.now();
    await Promise.all(
      ids.map((id) => app.collection.collect(app.store.getTarget(id)!, Date.now())),
    );
    line(
      'app one collection round over 50 SSH hosts (all at once)',
      `${(performance.now() - tStart).toFixed(0)} ms`,
      '< 1000 ms',
    );
    global.gc?.();
    const mem = process.memoryUsage();
    line(
      'app main-process RSS with 50 SSH hosts collecting',
      `${(mem.rss / 2 ** 20).toFixed(0)} MB`,
      '< 250 MB',
    );
    line(
      'app JS heap used with 50 SSH hosts',
      `${(mem.heapUsed / 2 ** 20).toFixed(0)} MB`,
      'informative',
    );
  } finally {
    await app.stop();
    await sshd.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((err: Error) => {
    process.stderr.write(`app bench failed: ${err.message}\n`);
    process.exit(1);
  });
}
