import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseFailed } from '../../src/main/errors';
import { parseLoadavg } from '../../src/main/collectors/host/loadavg';
import { parseMeminfo } from '../../src/main/collectors/host/meminfo';
import { cpuUsage, parseProcStat } from '../../src/main/collectors/host/stat';
import { parseProcCount, parseUname } from '../../src/main/collectors/host/system';
import { parseUptime } from '../../src/main/collectors/host/uptime';

const STAT = `cpu  1000 0 500 8000 0 0 0 0 600 0
cpu0 500 0 250 4000 0 0 0 0 300 0
cpu1 500 0 250 4000 0 0 0 0 300 0
intr 12345 0 0 0
ctxt 99999
btime 1700000000
processes 4242
procs_running 3
procs_blocked 1
softirq 1 2 3
`;

test('/proc/stat: aggregate cpu, cores from cpuN lines, btime, procs', () => {
  const s = parseProcStat(STAT);
  assert.equal(s.cores, 2);
  assert.equal(s.btime, 1700000000);
  assert.equal(s.procsRunning, 3);
  assert.equal(s.procsBlocked, 1);
  assert.deepEqual(s.cpu, {
    user: 1000,
    nice: 0,
    system: 500,
    idle: 8000,
    iowait: 0,
    irq: 0,
    softirq: 0,
    steal: 0,
    guest: 600,
    guestNice: 0,
  });
});

test('guest is inside user: busy is 60.0 %, not 69.2 % (host-stat-guest-columns)', () => {
  const a = parseProcStat('cpu  1000 0 500 8000 0 0 0 0 600 0\n').cpu!;
  const b = parseProcStat('cpu  1100 0 520 8080 0 0 0 0 660 0\n').cpu!;
  const u = cpuUsage(a, b);
  assert.equal(u.busy, 60);
  assert.equal(u.idle, 40);
  assert.equal(u.user, 50);
  assert.equal(u.system, 10);
  assert.equal(u.iowait, 0);
});

test('an 8-column container line parses with guest and guest_nice absent', () => {
  const s = parseProcStat('cpu  699 6 281 5426 68 0 0 0\ncpu0 699 6 281 5426 68 0 0 0\n');
  assert.equal(s.cores, 1);
  assert.equal(s.cpu!.guest, null);
  assert.equal(s.cpu!.guestNice, null);
  assert.equal(s.cpu!.steal, 0);
  assert.equal(s.cpu!.iowait, 68);
});

test('a 4-column line (very old kernel): later modes null, busy still computed', () => {
  const a = parseProcStat('cpu 100 0 100 800\n').cpu!;
  const b = parseProcStat('cpu 150 0 150 900\n').cpu!;
  assert.equal(a.iowait, null);
  const u = cpuUsage(a, b);
  assert.equal(u.busy, 50);
  assert.equal(u.iowait, null);
  assert.equal(u.steal, null);
});

test('busy excludes iowait; iowait stepping back counts as 0', () => {
  const a = parseProcStat('cpu 100 0 0 100 100 0 0 0\n').cpu!;
  const b = parseProcStat('cpu 150 0 0 150 200 0 0 0\n').cpu!;
  assert.equal(cpuUsage(a, b).busy, 25);
  assert.equal(cpuUsage(a, b).iowait, 50);
  const c = parseProcStat('cpu 200 0 0 200 190 0 0 0\n').cpu!;
  const u = cpuUsage(b, c);
  assert.equal(u.iowait, 0);
  assert.equal(u.busy, 50);
});

test('no time passed: every share is null, never NaN', () => {
  const a = parseProcStat('cpu 1 2 3 4 5 6 7 8\n').cpu!;
  const u = cpuUsage(a, a);
  for (const v of Object.values(u)) assert.equal(v, null);
});

test('a malformed cpu column is an error, not a guess', () => {
  assert.throws(() => parseProcStat('cpu 1,5 0 0 0\n'), ParseFailed);
  assert.throws(() => parseProcStat('cpu 1 2 3\n'), /at least 4/);
});

test('/proc/loadavg', () => {
  assert.deepEqual(parseLoadavg('0.52 0.58 0.59 2/1234 56789\n'), {
    load1: 0.52,
    load5: 0.58,
    load15: 0.59,
    running: 2,
    threads: 1234,
  });
  assert.throws(() => parseLoadavg('0,52 0,58 0,59 2/1234 56789\n'), ParseFailed);
  assert.throws(() => parseLoadavg(''), ParseFailed);
});

const MEMINFO = `MemTotal:       16000000 kB
MemFree:         2000000 kB
MemAvailable:    6000000 kB
Buffers:          100000 kB
Cached:          3000000 kB
SwapCached:            0 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
SomeFutureField:  weird value here
`;

test('/proc/meminfo: used = total - available, kB -> bytes, unknown lines ignored', () => {
  const m = parseMeminfo(MEMINFO);
  assert.equal(m.total, 16000000 * 1024);
  assert.equal(m.available, 6000000 * 1024);
  assert.equal(m.used, 10000000 * 1024);
  assert.equal(m.cached, 3000000 * 1024);
  assert.equal(m.availablePct, 37.5);
  assert.equal(m.swapTotal, 2000000 * 1024);
  assert.equal(m.swapUsed, 500000 * 1024);
});

test('/proc/meminfo before 3.14: available estimated from free + buffers + cached', () => {
  const m = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n');
  assert.equal(m.available, 400 * 1024);
  assert.equal(m.swapTotal, null);
  assert.equal(m.swapUsed, null);
});

test('/proc/meminfo: a malformed needed value or no MemTotal is an error', () => {
  assert.throws(() => parseMeminfo('MemTotal: 1,5 kB\n'), ParseFailed);
  assert.throws(() => parseMeminfo('MemFree: 100 kB\n'), /no MemTotal/);
  assert.throws(() => parseMeminfo('MemTotal: 100 MB\n'), /unexpected unit/);
});

test('/proc/uptime, process count, uname', () => {
  assert.equal(parseUptime('12345.67 23456.78\n'), 12345.67);
  assert.throws(() => parseUptime(''), ParseFailed);
  assert.equal(parseProcCount('231\n'), 231);
  assert.throws(() => parseProcCount('many'), ParseFailed);
  assert.deepEqual(parseUname('Linux web-1 6.1.0-18-amd64 x86_64\n'), {
    sysname: 'Linux',
    hostname: 'web-1',
    kernel: '6.1.0-18-amd64',
    machine: 'x86_64',
  });
});
