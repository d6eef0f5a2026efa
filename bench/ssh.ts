// SSH benchmark against the harness sshd on 127.0.0.1: a host-sized collection command
// through the kept shell versus a fresh exec channel each time, and one collection round
// over 50 SSH connections in parallel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setLogLevel } from '../src/main/log';
import { KnownHosts } from '../src/main/targets/known-hosts';
import { SshHost } from '../src/main/targets/ssh';
import { startSshd, sshdUnavailable, type Sshd } from '../test/harness/sshd';

const COMMAND = 'cat /proc/stat /proc/meminfo /proc/loadavg';
const HOSTS = 50;

function line(name: string, value: number, unit: string, goal: string): void {
  process.stdout.write(`${name}: ${value.toFixed(2)} ${unit} (goal: ${goal})\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function newHost(sshd: Sshd, knownHosts: KnownHosts): SshHost {
  return new SshHost({
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { method: 'key', keyPath: sshd.keyPath },
    knownHosts,
    acceptFingerprints: [sshd.hostKeyFingerprint],
    readyTimeoutMs: 20_000,
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function benchKeptShell(sshd: Sshd, knownHosts: KnownHosts): Promise<void> {
  const host = newHost(sshd, knownHosts);
  try {
    for (let i = 0; i < 5; i++) await host.run(COMMAND);
    for (let i = 0; i < 3; i++) await host.exec(COMMAND);
    // Interleaved, so both see the same background load of a shared machine.
    const kept: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < 25; i++) {
      fresh.push(await timed(() => host.exec(COMMAND)));
      for (let j = 0; j < 5; j++) kept.push(await timed(() => host.run(COMMAND)));
    }
    const k = median(kept);
    const f = median(fresh);
    line('ssh command through the kept shell (median)', k, 'ms', '~2 ms');
    line('ssh command on a fresh exec channel (median)', f, 'ms', 'for comparison');
    line('ssh kept shell speed-up over exec channel', f / k, 'x', '>= 50x');
  } finally {
    await host.close();
  }
}

async function benchRound(sshd: Sshd, knownHosts: KnownHosts): Promise<void> {
  const hosts = Array.from({ length: HOSTS }, () => newHost(sshd, knownHosts));
  try {
    const cold = await timed(() => Promise.all(hosts.map((h) => h.run(COMMAND))));
    line(
      `ssh first round over ${HOSTS} connections (connect + shell + command)`,
      cold,
      'ms',
      'for information',
    );
    const rounds: number[] = [];
    for (let i = 0; i < 5; i++) {
      rounds.push(await timed(() => Promise.all(hosts.map((h) => h.run(COMMAND)))));
    }
    line(
      `ssh collection round over ${HOSTS} kept connections (median of 5)`,
      median(rounds),
      'ms',
      '< 1000 ms on 2 cores',
    );
  } finally {
    await Promise.all(hosts.map((h) => h.close()));
  }
}

export async function run(): Promise<void> {
  const why = sshdUnavailable();
  if (why) {
    process.stdout.write(`ssh bench skipped: ${why}\n`);
    return;
  }
  setLogLevel('warn');
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-ssh-'));
  const sshd = await startSshd();
  try {
    const knownHosts = new KnownHosts(join(dir, 'known_hosts'));
    await benchKeptShell(sshd, knownHosts);
    await benchRound(sshd, knownHosts);
  } finally {
    await sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
