import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  inodesUsedPct,
  joinContinuations,
  parseDf,
  usedPct,
} from '../../src/main/collectors/host/df';
import {
  dataMounts,
  decodeOctalEscapes,
  isPseudoFs,
  parseMounts,
} from '../../src/main/collectors/host/mounts';

test('mount points with octal escapes are decoded after splitting (host-mounts-escaped-space)', () => {
  const m = parseMounts(
    '/dev/sdb1 /mnt/first\\040disk ext4 rw,relatime 0 0\n/dev/sdc1 /srv/a\\011b\\134c xfs rw 0 0\n',
  );
  assert.deepEqual(m.problems, []);
  assert.equal(m.rows[0].mountPoint, '/mnt/first disk');
  assert.equal(m.rows[0].device, '/dev/sdb1');
  assert.equal(m.rows[0].fstype, 'ext4');
  assert.equal(m.rows[1].mountPoint, '/srv/a\tb\\c');
  assert.equal(m.rows[1].fstype, 'xfs');
});

test('\\012 decodes to a newline, and a device may be escaped too', () => {
  assert.equal(decodeOctalEscapes('/a\\012b'), '/a\nb');
  assert.equal(decodeOctalEscapes('\\134\\134'), '\\\\');
  const m = parseMounts('//srv/share\\040x /mnt/x cifs rw 0 0\n');
  assert.equal(m.rows[0].device, '//srv/share x');
});

test('a short line is a problem, the other lines are kept', () => {
  const m = parseMounts('/dev/sda1 / ext4 rw 0 0\nbroken line\n');
  assert.equal(m.rows.length, 1);
  assert.equal(m.problems.length, 1);
  assert.match(m.problems[0], /broken line/);
});

const MOUNTS = `proc /proc proc rw 0 0
sysfs /sys sysfs rw 0 0
devtmpfs /dev devtmpfs rw 0 0
tmpfs /run tmpfs rw 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
/dev/loop0 /snap/core/1 squashfs ro 0 0
overlay / overlay rw,lowerdir=/a 0 0
/dev/sda1 /etc/hosts ext4 rw 0 0
/dev/sda1 /etc/hostname ext4 rw 0 0
/dev/sda2 /data ext4 rw 0 0
/dev/sda3 /data xfs rw 0 0
`;

test('pseudo filesystems out, overlay kept, bind mounts and over-mounts collapsed', () => {
  const kept = dataMounts(parseMounts(MOUNTS).rows);
  assert.deepEqual(
    kept.map((m) => [m.mountPoint, m.device, m.fstype]),
    [
      ['/', 'overlay', 'overlay'],
      ['/data', '/dev/sda3', 'xfs'],
      ['/etc/hosts', '/dev/sda1', 'ext4'],
    ],
  );
  for (const fs of [
    'proc',
    'sysfs',
    'devtmpfs',
    'devpts',
    'tmpfs',
    'cgroup',
    'cgroup2',
    'squashfs',
  ]) {
    assert.equal(isPseudoFs(fs), true, fs);
  }
  assert.equal(isPseudoFs('overlay'), false);
  assert.equal(isPseudoFs('ext4'), false);
});

test('plain df with a wrapped device line gives two rows (host-df-wrapped-line)', () => {
  const text = `Filesystem           1K-blocks      Used Available Use% Mounted on
/dev/mapper/vg_data-lv_root
                      20000000   8000000  11000000  43% /
/dev/sda1               100000     20000     75000  22% /boot
`;
  const df = parseDf(text, 1);
  assert.deepEqual(df.problems, []);
  assert.deepEqual(df.rows, [
    {
      device: '/dev/mapper/vg_data-lv_root',
      size: 20000000,
      used: 8000000,
      avail: 11000000,
      capacityPct: 43,
      mountPoint: '/',
    },
    {
      device: '/dev/sda1',
      size: 100000,
      used: 20000,
      avail: 75000,
      capacityPct: 22,
      mountPoint: '/boot',
    },
  ]);
});

test('df -P -k: sizes in bytes, spaces in mount points survive', () => {
  const text = `Filesystem     1024-blocks    Used Available Capacity Mounted on
/dev/sdb1          1000000  250000    750000      25% /mnt/first disk
/dev/sdc1          2000000 1000000   1000000      50% /srv/a  b
`;
  const df = parseDf(text, 1024);
  assert.equal(df.rows[0].mountPoint, '/mnt/first disk');
  assert.equal(df.rows[0].size, 1000000 * 1024);
  assert.equal(df.rows[0].used, 250000 * 1024);
  assert.equal(df.rows[1].mountPoint, '/srv/a  b');
  assert.equal(usedPct(df.rows[0]), 25);
});

test('"-" is no value and a zero-size filesystem has no percent (derived-nan-infinity)', () => {
  const text = `Filesystem     1024-blocks  Used Available Capacity Mounted on
proc                     0     0         0        - /proc
`;
  const df = parseDf(text, 1024);
  assert.deepEqual(df.problems, []);
  const row = df.rows[0];
  assert.equal(row.capacityPct, null);
  assert.equal(usedPct(row), null);
  assert.equal(JSON.stringify({ v: usedPct(row) }), '{"v":null}');
  const dashes = parseDf('Filesystem Inodes IUsed IFree IUse% Mounted on\nbtrfs - - - - /b\n', 1);
  assert.equal(dashes.rows[0].size, null);
  assert.equal(inodesUsedPct(dashes.rows[0]), null);
});

test('df used percent leaves root-reserved blocks out, like df does', () => {
  const df = parseDf(
    'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 1000 450 450 50% /x\n',
    1024,
  );
  assert.equal(usedPct(df.rows[0]), 50);
});

test('df -P -i: inode percent, 0 inodes => null', () => {
  const text = `Filesystem      Inodes  IUsed   IFree IUse% Mounted on
/dev/sda1      1000000 250000  750000   25% /
/dev/sdb1            0      0       0     - /btrfs
`;
  const df = parseDf(text, 1);
  assert.equal(inodesUsedPct(df.rows[0]), 25);
  assert.equal(inodesUsedPct(df.rows[1]), null);
});

test('a locale comma in df is a problem for that line only', () => {
  const text = `Filesystem 1024-blocks Used Available Capacity Mounted on
/dev/a 1000 10,5 900 2% /a
/dev/b 1000 100 900 10% /b
`;
  const df = parseDf(text, 1024);
  assert.equal(df.rows.length, 1);
  assert.equal(df.rows[0].mountPoint, '/b');
  assert.equal(df.problems.length, 1);
  assert.match(df.problems[0], /10,5/);
});

test('continuation lines join onto the line before', () => {
  assert.deepEqual(joinContinuations(['a', '   1 2', 'b 3']), ['a 1 2', 'b 3']);
});
