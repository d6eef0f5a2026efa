import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isWholeDisk,
  parseBlockDevices,
  parseDiskstats,
} from '../../src/main/collectors/host/diskstats';
import { parseNetDev } from '../../src/main/collectors/host/netdev';
import { countTcpStates, parseTcpStateCounts, stateName } from '../../src/main/collectors/host/tcp';
import { milliToCelsius, parseThermal } from '../../src/main/collectors/host/thermal';

test('diskstats with 20 fields (host-diskstats-field-count)', () => {
  const d = parseDiskstats(
    '   8       0 sda 1200 300 48000 900 700 80 26000 400 0 1100 1300 0 0 0 0 25 16\n',
  );
  assert.deepEqual(d.problems, []);
  assert.deepEqual(d.rows[0], {
    major: 8,
    minor: 0,
    name: 'sda',
    reads: 1200,
    readsMerged: 300,
    sectorsRead: 48000,
    readMs: 900,
    writes: 700,
    writesMerged: 80,
    sectorsWritten: 26000,
    writeMs: 400,
    inFlight: 0,
    ioMs: 1100,
    weightedIoMs: 1300,
    discards: 0,
    discardsMerged: 0,
    sectorsDiscarded: 0,
    discardMs: 0,
    flushes: 25,
    flushMs: 16,
  });
});

test('diskstats with 14 fields: discard and flush absent, not 0', () => {
  const d = parseDiskstats('8 0 sda 1200 300 48000 900 700 80 26000 400 0 1100 1300\n').rows[0];
  assert.equal(d.reads, 1200);
  assert.equal(d.weightedIoMs, 1300);
  assert.equal(d.discards, null);
  assert.equal(d.discardMs, null);
  assert.equal(d.flushes, null);
  assert.equal(d.flushMs, null);
});

test('diskstats with 18 fields: discards present, flush absent', () => {
  const d = parseDiskstats('8 0 sda 1 2 3 4 5 6 7 8 0 10 11 12 13 14 15\n').rows[0];
  assert.equal(d.discards, 12);
  assert.equal(d.discardMs, 15);
  assert.equal(d.flushes, null);
});

test('diskstats: extra trailing fields of a future kernel are ignored', () => {
  const d = parseDiskstats('8 0 sda 1 2 3 4 5 6 7 8 0 10 11 12 13 14 15 16 17 99 98 97\n').rows[0];
  assert.equal(d.flushes, 16);
  assert.equal(d.flushMs, 17);
});

test('diskstats: a short or malformed line is a problem, the rest kept', () => {
  const d = parseDiskstats(
    '8 1 sda1 1 2 3 4\n8 0 sda 1 2 3 4 5 6 7 8 0 10 11\n8 16 sdb 1 x 3 4 5 6 7 8 0 10 11\n',
  );
  assert.equal(d.rows.length, 1);
  assert.equal(d.rows[0].name, 'sda');
  assert.equal(d.problems.length, 2);
});

test('whole disks: from /sys/block when known, else by kernel naming', () => {
  const sys = new Set(['sda', 'nvme0n1', 'dm-0', 'md0', 'loop0', 'cciss!c0d0']);
  assert.equal(isWholeDisk('sda', sys), true);
  assert.equal(isWholeDisk('sda1', sys), false);
  assert.equal(isWholeDisk('nvme0n1', sys), true);
  assert.equal(isWholeDisk('nvme0n1p2', sys), false);
  assert.equal(isWholeDisk('dm-0', sys), true);
  assert.equal(isWholeDisk('loop0', sys), false);
  assert.equal(isWholeDisk('cciss/c0d0', sys), true);
  for (const name of ['sda', 'vdb', 'xvda', 'nvme0n1', 'mmcblk0', 'dm-1', 'md127']) {
    assert.equal(isWholeDisk(name), true, name);
  }
  for (const name of ['sda1', 'vdb2', 'nvme0n1p1', 'mmcblk0p1', 'loop3', 'ram0', 'zram0', 'sr0']) {
    assert.equal(isWholeDisk(name), false, name);
  }
});

test('/sys/block listing with device-mapper names', () => {
  assert.deepEqual(parseBlockDevices('/sys/block/sda \n/sys/block/dm-0 vg-root\n'), [
    { name: 'sda', dmName: null },
    { name: 'dm-0', dmName: 'vg-root' },
  ]);
});

const NETDEV_HEAD = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
`;

test('a counter touching the colon (host-netdev-no-space)', () => {
  const n = parseNetDev(
    NETDEV_HEAD +
      'eth0:4294967296 1000    0    0    0     0          0         0 5000000000 2000    0    0    0     0       0          0\n',
  );
  assert.deepEqual(n.problems, []);
  assert.equal(n.rows[0].iface, 'eth0');
  assert.equal(n.rows[0].rxBytes, 4294967296);
  assert.equal(n.rows[0].rxPackets, 1000);
  assert.equal(n.rows[0].txBytes, 5000000000);
  assert.equal(n.rows[0].txPackets, 2000);
});

test('interface names holding a colon, with and without a space after it', () => {
  const n = parseNetDev(
    NETDEV_HEAD +
      '  eth0:1: 10 2 3 4 0 0 0 0 20 5 6 7 0 0 0 0\n' +
      'eth0:2:4294967296 1 0 0 0 0 0 0 9 8 0 0 0 0 0 0\n' +
      '    lo:   48757     701    0    0    0     0          0         0    48757     701    0    0    0     0       0          0\n',
  );
  assert.deepEqual(n.problems, []);
  assert.deepEqual(
    n.rows.map((r) => [
      r.iface,
      r.rxBytes,
      r.rxPackets,
      r.rxErrors,
      r.rxDrops,
      r.txBytes,
      r.txPackets,
      r.txErrors,
      r.txDrops,
    ]),
    [
      ['eth0:1', 10, 2, 3, 4, 20, 5, 6, 7],
      ['eth0:2', 4294967296, 1, 0, 0, 9, 8, 0, 0],
      ['lo', 48757, 701, 0, 0, 48757, 701, 0, 0],
    ],
  );
});

test('a net/dev line with 15 or 17 counters, or a non-numeric one, is a problem', () => {
  const n = parseNetDev(
    'eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\neth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\neth2: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1,6\n',
  );
  assert.equal(n.rows.length, 0);
  assert.equal(n.problems.length, 3);
});

test('TCP states: awk counts -> names, every known state present', () => {
  const t = parseTcpStateCounts('01 23\n0A 5\n06 7\n');
  assert.deepEqual(t.problems, []);
  const c = t.rows[0];
  assert.equal(c.ESTABLISHED, 23);
  assert.equal(c.LISTEN, 5);
  assert.equal(c.TIME_WAIT, 7);
  assert.equal(c.CLOSE_WAIT, 0);
  assert.equal(Object.keys(c).length, 12);
  assert.equal(stateName('0c'), 'NEW_SYN_RECV');
  assert.throws(() => stateName('FF'));
  assert.equal(parseTcpStateCounts('0F 1\n').problems.length, 1);
});

test('TCP states from the raw /proc/net/tcp and tcp6 tables', () => {
  const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 4 30 10 -1
`;
  const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:C352 06 00000000:00000000 03:00000F9C 00000000     0        0 0 3 0
`;
  const c = countTcpStates(tcp, tcp6).rows[0];
  assert.equal(c.LISTEN, 2);
  assert.equal(c.ESTABLISHED, 1);
  assert.equal(c.TIME_WAIT, 1);
});

test('thermal zones: millidegrees -> Celsius, type as label, repeated types numbered', () => {
  const z = parseThermal(
    '/sys/class/thermal/thermal_zone0\tx86_pkg_temp\t45000\n' +
      '/sys/class/thermal/thermal_zone1\tacpitz\t27800\n' +
      '/sys/class/thermal/thermal_zone2\tacpitz\t\n' +
      '/sys/class/thermal/thermal_zone3\t\t-273200\n',
  );
  assert.deepEqual(z.problems, []);
  assert.deepEqual(
    z.rows.map((r) => [r.zone, r.celsius]),
    [
      ['x86_pkg_temp', 45],
      ['acpitz#1', 27.8],
      ['acpitz#2', null],
      ['thermal_zone3', null],
    ],
  );
  assert.equal(milliToCelsius('45500'), 45.5);
  assert.throws(() => milliToCelsius('45,5'), /not a number/);
  const bad = parseThermal('/sys/class/thermal/thermal_zone0\tcpu\t45,5\n');
  assert.equal(bad.rows.length, 0);
  assert.equal(bad.problems.length, 1);
});
