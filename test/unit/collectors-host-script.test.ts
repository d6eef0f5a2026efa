// Runs the real host script through `sh -c` on this machine and parses what it prints: the
// script against a real Linux /proc and coreutils, no server needed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { MetricPoint } from '../../src/shared/types';
import type { CommandRunner } from '../../src/main/targets/types';
import { createHostCollector } from '../../src/main/collectors/host/collector';
import { HOST_SCRIPT, SECTION_NAMES, splitSections } from '../../src/main/collectors/host/script';

function shRunner(): CommandRunner {
  return {
    targetName: 'this machine',
    run: (command) =>
      new Promise((resolve) => {
        execFile('sh', ['-c', command], { maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
          const code = err && typeof err.code === 'number' ? err.code : err ? null : 0;
          resolve({ stdout, stderr, code, durationMs: 0 });
        });
      }),
    close: async () => {},
  };
}

function values(points: MetricPoint[], metric: string): (number | null)[] {
  return points.filter((p) => p.metric === metric).map((p) => p.value);
}

const linux = process.platform === 'linux' && existsSync('/proc/stat') && existsSync('/bin/sh');

test('the host script prints every section, framed, and stays small', async (t) => {
  if (!linux) return t.skip('needs Linux with /proc and /bin/sh');
  const { stdout } = await shRunner().run(HOST_SCRIPT);
  const sections = splitSections(stdout);
  for (const name of SECTION_NAMES) assert.ok(sections.has(name), `section ${name}`);
  for (const name of [
    'stat',
    'loadavg',
    'meminfo',
    'uptime',
    'mounts',
    'diskstats',
    'netdev',
    'procs',
  ]) {
    assert.equal(sections.get(name)?.status, 0, `section ${name} status`);
  }
  assert.doesNotMatch(sections.get('stat')?.text ?? '', /^intr /m, 'long intr line left out');
  assert.ok(stdout.length < 256 * 1024, `output is ${stdout.length} bytes`);
});

test('the real script output parses into sane values, and rates on a second round', async (t) => {
  if (!linux) return t.skip('needs Linux with /proc and /bin/sh');
  const c = createHostCollector();
  const runner = shRunner();
  const a = await c.collect(runner, Date.now());
  const hard = a.errors.filter((e) => !e.metric.startsWith('host.temp'));
  assert.deepEqual(hard, [], 'no metric errors on this machine');
  assert.ok((values(a.points, 'host.cpu.cores')[0] ?? 0) > 0, 'cores > 0');
  assert.ok((values(a.points, 'host.mem.total')[0] ?? 0) > 0, 'memory total > 0');
  assert.ok((values(a.points, 'host.uptime.seconds')[0] ?? 0) > 0, 'uptime > 0');
  assert.ok((values(a.points, 'host.procs.count')[0] ?? 0) > 0, 'processes > 0');
  const sizes = values(a.points, 'host.fs.size');
  assert.ok(sizes.length >= 1, 'at least one filesystem');
  assert.ok(sizes.every((s) => s !== null && s > 0));
  for (const pct of values(a.points, 'host.fs.used_pct')) {
    assert.ok(pct === null || (pct >= 0 && pct <= 100));
  }
  const load = values(a.points, 'host.load.1')[0];
  assert.ok(load !== null && load !== undefined && load >= 0);
  assert.ok(a.points.some((p) => p.metric === 'host.tcp.conns'));

  await new Promise((r) => setTimeout(r, 1100));
  const b = await c.collect(runner, Date.now());
  const busy = values(b.points, 'host.cpu.busy')[0];
  assert.ok(busy !== null && busy !== undefined && busy >= 0 && busy <= 100, `busy ${busy}`);
  assert.ok(values(b.points, 'host.net.rx_bps').length > 0, 'interface rates');
  for (const p of b.points) assert.ok(p.value === null || Number.isFinite(p.value), p.metric);
});
