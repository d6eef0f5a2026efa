import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../src/shared/types';
import type { CommandResult, CommandRunner } from '../../src/main/targets/types';
import {
  awaitMs,
  createHostCollector,
  nextBtime,
  utilPct,
} from '../../src/main/collectors/host/collector';
import { HOST_SCRIPT } from '../../src/main/collectors/host/script';

interface Round {
  stat: string;
  uptime: string;
  diskstats: string;
  netdev: string;
}

const NET_HEAD = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
`;

const R1: Round = {
  stat: 'cpu  1000 0 500 8000 0 0 0 0 600 0\ncpu0 1000 0 500 8000 0 0 0 0 600 0\nbtime 1700000000\nprocs_running 2\nprocs_blocked 0\n',
  uptime: '1000.00 900.00\n',
  diskstats:
    '   8       0 sda 1000 0 8000 500 1000 0 16000 1500 0 2000 2000 0 0 0 0 0 0\n' +
    '   8       1 sda1 1000 0 8000 500 1000 0 16000 1500 0 2000 2000 0 0 0 0 0 0\n' +
    '   7       0 loop0 5 0 10 0 0 0 0 0 0 0 0\n',
  netdev: `${NET_HEAD}eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n`,
};

const R2: Round = {
  stat: 'cpu  1100 0 520 8080 0 0 0 0 660 0\ncpu0 1100 0 520 8080 0 0 0 0 660 0\nbtime 1700000000\nprocs_running 1\nprocs_blocked 0\n',
  uptime: '1010.00 910.00\n',
  diskstats:
    '   8       0 sda 1100 0 8800 700 1300 0 17600 2100 0 7000 2000 0 0 0 0 0 0\n' +
    '   8       1 sda1 1100 0 8800 700 1300 0 17600 2100 0 7000 2000 0 0 0 0 0 0\n',
  netdev: `${NET_HEAD}eth0:4294967296 110 1 2 0 0 0 0 12000 120 3 4 0 0 0 0\n`,
};

const FIXED: Record<string, string> = {
  uname: 'Linux web-1 6.1.0-18-amd64 x86_64\n',
  loadavg: '0.50 0.40 0.30 2/300 4242\n',
  meminfo:
    'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\nCached: 100 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n',
  mounts:
    'proc /proc proc rw 0 0\n/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt/first\\040disk xfs rw 0 0\ntmpfs /run tmpfs rw 0 0\n',
  df:
    'Filesystem     1024-blocks    Used Available Capacity Mounted on\n' +
    '/dev/sda1          1000  400   600  40% /\n' +
    '/dev/sdb1          2000  500  1500  25% /mnt/first disk\n' +
    'tmpfs              100  0   100  0% /run\n',
  dfi:
    'Filesystem      Inodes  IUsed   IFree IUse% Mounted on\n' +
    '/dev/sda1       100  10  90  10% /\n' +
    '/dev/sdb1       0  0  0  - /mnt/first disk\n',
  blockdevs: '/sys/block/sda \n/sys/block/loop0 \n',
  thermal: '/sys/class/thermal/thermal_zone0\tx86_pkg_temp\t45000\n',
  procs: '123\n',
  tcp: '01 5\n0A 3\n',
};

function framed(sections: Record<string, string>, status: Record<string, number> = {}): string {
  return Object.entries(sections)
    .map(
      ([name, text]) =>
        `@@opsdeck:begin ${name}\n${text}\n@@opsdeck:end ${name} ${status[name] ?? 0}\n`,
    )
    .join('');
}

function output(r: Round): string {
  return framed({
    ...FIXED,
    stat: r.stat,
    uptime: r.uptime,
    diskstats: r.diskstats,
    netdev: r.netdev,
  });
}

function runnerOf(outputs: string[]): CommandRunner & { commands: string[] } {
  const commands: string[] = [];
  return {
    targetName: 'web-1',
    commands,
    async run(command: string): Promise<CommandResult> {
      commands.push(command);
      const stdout = outputs.shift();
      if (stdout === undefined) throw new Error('no more outputs');
      return { stdout, stderr: '', code: 0, durationMs: 1 };
    },
    async close() {},
  };
}

function find(
  points: MetricPoint[],
  metric: string,
  labels?: Record<string, string>,
): MetricPoint | undefined {
  return points.find(
    (p) =>
      p.metric === metric &&
      (labels === undefined || JSON.stringify(p.labels ?? {}) === JSON.stringify(labels)),
  );
}

function value(
  points: MetricPoint[],
  metric: string,
  labels?: Record<string, string>,
): number | null | undefined {
  return find(points, metric, labels)?.value;
}

test('one script run per round; first round gauges only, second round rates', async () => {
  const runner = runnerOf([output(R1), output(R2)]);
  const c = createHostCollector();
  const a = await c.collect(runner, 1_000_000);
  assert.deepEqual(runner.commands, [HOST_SCRIPT]);
  assert.deepEqual(a.errors, []);
  assert.equal(value(a.points, 'host.cpu.cores'), 1);
  assert.equal(value(a.points, 'host.mem.total'), 1024000);
  assert.equal(value(a.points, 'host.mem.used'), 750 * 1024);
  assert.equal(value(a.points, 'host.mem.available_pct'), 25);
  assert.equal(value(a.points, 'host.load.1'), 0.5);
  assert.equal(value(a.points, 'host.procs.threads'), 300);
  assert.equal(value(a.points, 'host.procs.count'), 123);
  assert.equal(value(a.points, 'host.uptime.seconds'), 1000);
  assert.equal(value(a.points, 'host.temp.celsius', { zone: 'x86_pkg_temp' }), 45);
  assert.equal(value(a.points, 'host.tcp.conns', { state: 'ESTABLISHED' }), 5);
  assert.equal(value(a.points, 'host.tcp.conns', { state: 'TIME_WAIT' }), 0);
  for (const m of ['host.cpu.busy', 'host.disk.read_iops', 'host.net.rx_bps']) {
    assert.equal(find(a.points, m), undefined, `${m} needs two samples`);
  }

  const b = await c.collect(runner, 1_010_000);
  assert.deepEqual(b.errors, []);
  assert.equal(value(b.points, 'host.cpu.busy'), 60);
  assert.equal(value(b.points, 'host.cpu.idle'), 40);
});

test('filesystems: pseudo ones out, escaped mount point joined to df, labels, null percent', async () => {
  const a = await createHostCollector().collect(runnerOf([output(R1)]), 0);
  const root = { mount: '/', device: '/dev/sda1', fstype: 'ext4' };
  const disk = { mount: '/mnt/first disk', device: '/dev/sdb1', fstype: 'xfs' };
  assert.equal(value(a.points, 'host.fs.size', root), 1024000);
  assert.equal(value(a.points, 'host.fs.used', root), 400 * 1024);
  assert.equal(value(a.points, 'host.fs.avail', root), 600 * 1024);
  assert.equal(value(a.points, 'host.fs.used_pct', root), 40);
  assert.equal(value(a.points, 'host.fs.inodes_used_pct', root), 10);
  assert.equal(value(a.points, 'host.fs.used_pct', disk), 25);
  assert.equal(value(a.points, 'host.fs.inodes_used_pct', disk), null);
  assert.equal(a.points.filter((p) => p.labels?.mount === '/run').length, 0);
  const snap = a.snapshot as { mounts: { mount: string }[] };
  assert.deepEqual(
    snap.mounts.map((m) => m.mount),
    ['/', '/mnt/first disk'],
  );
});

test('disk rates: IOPS, bytes/s from 512-byte sectors, await, util; partitions and loop skipped', async () => {
  const c = createHostCollector();
  const runner = runnerOf([output(R1), output(R2)]);
  await c.collect(runner, 0);
  const b = await c.collect(runner, 10_000);
  const sda = { device: 'sda' };
  assert.equal(value(b.points, 'host.disk.read_iops', sda), 10);
  assert.equal(value(b.points, 'host.disk.write_iops', sda), 30);
  assert.equal(value(b.points, 'host.disk.read_bps', sda), 80 * 512);
  assert.equal(value(b.points, 'host.disk.write_bps', sda), 160 * 512);
  assert.equal(value(b.points, 'host.disk.await_ms', sda), 2); // (200 + 600) ms / 400 I/Os
  assert.equal(value(b.points, 'host.disk.util_pct', sda), 50); // 5000 ms of 10 s
  assert.equal(find(b.points, 'host.disk.read_iops', { device: 'sda1' }), undefined);
  assert.equal(find(b.points, 'host.disk.read_iops', { device: 'loop0' }), undefined);
});

test('net rates from the host uptime clock; a counter touching the colon still parses', async () => {
  const c = createHostCollector();
  const runner = runnerOf([output(R1), output(R2)]);
  await c.collect(runner, 0);
  // The workstation clock says 60 s passed, the host's uptime says 10 s: the host wins.
  const b = await c.collect(runner, 60_000);
  const eth0 = { iface: 'eth0' };
  assert.equal(value(b.points, 'host.net.rx_bps', eth0), (4294967296 - 1000) / 10);
  assert.equal(value(b.points, 'host.net.tx_bps', eth0), 1000);
  assert.equal(value(b.points, 'host.net.rx_pps', eth0), 10);
  assert.equal(value(b.points, 'host.net.tx_pps', eth0), 10);
  assert.equal(value(b.points, 'host.net.rx_errors_ps', eth0), 0.1);
  assert.equal(value(b.points, 'host.net.tx_drops_ps', eth0), 0.4);
});

test('reboot (btime changed, uptime went back): no rates, new baseline (counters-reset-and-wrap)', async () => {
  const c = createHostCollector();
  const reboot: Round = {
    ...R1,
    stat: R1.stat.replace('btime 1700000000', 'btime 1700000900'),
    uptime: '5.00 4.00\n',
    netdev: `${NET_HEAD}eth0: 1234567 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n`,
  };
  const before: Round = {
    ...R1,
    netdev: `${NET_HEAD}eth0: 812345678901 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n`,
  };
  const after: Round = {
    ...reboot,
    uptime: '15.00 14.00\n',
    netdev: `${NET_HEAD}eth0: 1284567 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n`,
  };
  const runner = runnerOf([output(before), output(reboot), output(after)]);
  await c.collect(runner, 0);
  const b = await c.collect(runner, 10_000);
  assert.equal(value(b.points, 'host.net.rx_bps', { iface: 'eth0' }), null);
  assert.equal(value(b.points, 'host.cpu.busy'), null);
  assert.equal(value(b.points, 'host.disk.read_iops', { device: 'sda' }), null);
  const d = await c.collect(runner, 20_000);
  assert.equal(value(d.points, 'host.net.rx_bps', { iface: 'eth0' }), 5000);
});

test('btime jitter of a second (wall clock stepped) is not a reboot', () => {
  assert.equal(nextBtime(1700000000, 1700000001), 1700000000);
  assert.equal(nextBtime(1700000000, 1700000900), 1700000900);
  assert.equal(nextBtime(null, 1700000000), 1700000000);
  assert.equal(nextBtime(1700000000, null), 1700000000);
});

test('truncated output: the cut sections fail with a reason, the rest is kept', async () => {
  const full = output(R1);
  const cut = full.slice(0, full.indexOf('@@opsdeck:begin df') + 60);
  const a = await createHostCollector().collect(runnerOf([cut]), 0);
  assert.equal(value(a.points, 'host.mem.total'), 1024000);
  assert.equal(value(a.points, 'host.load.1'), 0.5);
  const reasons = new Map(a.errors.map((e) => [e.metric, e.reason]));
  assert.match(
    reasons.get('host.fs.size') ?? '',
    /df -P -k: output ended inside the section \(truncated\)/,
  );
  assert.match(reasons.get('host.fs.inodes_used_pct') ?? '', /df -P -i: missing/);
  assert.match(reasons.get('host.net.rx_bps') ?? '', /\/proc\/net\/dev: missing/);
  assert.match(reasons.get('host.tcp.conns') ?? '', /missing/);
  assert.equal(find(a.points, 'host.fs.size'), undefined);
});

test('a malformed section fails only its metrics; a locale comma is not truncated', async () => {
  const text = output(R1).replace('0.50 0.40 0.30 2/300 4242', '0,50 0,40 0,30 2/300 4242');
  const a = await createHostCollector().collect(runnerOf([text]), 0);
  const loadErrors = a.errors.filter((e) => e.metric.startsWith('host.load'));
  assert.equal(loadErrors.length, 3);
  assert.match(loadErrors[0].reason, /\/proc\/loadavg: load 1 is not a number: "0,50"/);
  assert.equal(find(a.points, 'host.load.1'), undefined);
  assert.equal(value(a.points, 'host.mem.total'), 1024000);
  assert.equal(
    a.errors.every((e) => e.metric.startsWith('host.load') || e.metric === 'host.procs.threads'),
    true,
  );
});

test('a missing file (status 1) fails its section only', async () => {
  const text = framed(
    {
      ...FIXED,
      stat: R1.stat,
      uptime: R1.uptime,
      diskstats: R1.diskstats,
      netdev: R1.netdev,
      thermal: '',
    },
    { meminfo: 1 },
  ).replace(/@@opsdeck:begin meminfo\n[^@]*/, '@@opsdeck:begin meminfo\n\n');
  const a = await createHostCollector().collect(runnerOf([text]), 0);
  const mem = a.errors.filter(
    (e) => e.metric.startsWith('host.mem') || e.metric.startsWith('host.swap'),
  );
  assert.equal(mem.length, 7);
  assert.match(mem[0].reason, /\/proc\/meminfo: could not be read \(exit status 1/);
  assert.equal(a.errors.length, 7);
  assert.equal(value(a.points, 'host.cpu.cores'), 1);
});

test('no sections at all: every metric fails with the shell error', async () => {
  const runner: CommandRunner = {
    targetName: 'web-1',
    run: async () => ({ stdout: '', stderr: 'sh: not found', code: 127, durationMs: 1 }),
    close: async () => {},
  };
  const a = await createHostCollector().collect(runner, 0);
  assert.equal(a.points.length, 0);
  assert.ok(a.errors.length > 40);
  assert.match(a.errors[0].reason, /printed no sections \(exit status 127: sh: not found\)/);
});

test('snapshot: hostname, kernel, mounts, disks, interfaces, uptime', async () => {
  const a = await createHostCollector().collect(runnerOf([output(R1)]), 0);
  const s = a.snapshot as Record<string, unknown>;
  assert.equal(s.hostname, 'web-1');
  assert.equal(s.kernel, '6.1.0-18-amd64');
  assert.equal(s.uptimeSeconds, 1000);
  assert.deepEqual(s.disks, [{ device: 'sda', dmName: null }]);
  assert.deepEqual(s.interfaces, ['eth0']);
});

test('no NaN or Infinity leaves the collector (derived-nan-infinity)', async () => {
  const c = createHostCollector();
  const runner = runnerOf([output(R1), output(R1)]);
  await c.collect(runner, 0);
  const b = await c.collect(runner, 10_000);
  for (const p of b.points) assert.ok(p.value === null || Number.isFinite(p.value), p.metric);
  // Same uptime twice: no interval, so no rate rather than a division by zero.
  assert.equal(value(b.points, 'host.cpu.busy'), null);
});

test('await and util helpers: no I/O => null; jitter past 100 capped; far past => null', () => {
  const d = (delta: number, seconds = 10) => ({ delta, seconds });
  assert.equal(awaitMs({ reads: d(0), writes: d(0), readMs: d(0), writeMs: d(0) }), null);
  assert.equal(awaitMs({ reads: d(2), writes: d(2), readMs: d(4), writeMs: d(4) }), 2);
  assert.equal(awaitMs({ reads: null, writes: d(2), readMs: d(4), writeMs: d(4) }), null);
  assert.equal(utilPct(d(10_300)), 100);
  assert.equal(utilPct(d(20_000)), null);
  assert.equal(utilPct(null), null);
});
