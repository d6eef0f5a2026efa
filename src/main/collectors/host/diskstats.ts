// /proc/diskstats: "major minor name" then the I/O counters. Linux 2.6.25+ prints 11
// counters (14 fields), 4.18+ adds 4 discard counters (18), 5.5+ adds 2 flush counters
// (20); later kernels may add more, which are ignored. Counters a kernel does not print
// are null.
import { ParseFailed } from '../../errors';
import type { Parsed } from '../types';
import { parseCount } from '../num';
import { lines, parseLines, words } from '../text';

export interface DiskCounters {
  major: number;
  minor: number;
  name: string;
  reads: number;
  readsMerged: number;
  sectorsRead: number;
  readMs: number;
  writes: number;
  writesMerged: number;
  sectorsWritten: number;
  writeMs: number;
  inFlight: number;
  ioMs: number;
  weightedIoMs: number;
  discards: number | null;
  discardsMerged: number | null;
  sectorsDiscarded: number | null;
  discardMs: number | null;
  flushes: number | null;
  flushMs: number | null;
}

/** /proc/diskstats counts sectors of 512 bytes whatever the device's real sector size. */
export const SECTOR_BYTES = 512;

export function parseDiskstats(text: string): Parsed<DiskCounters> {
  return parseLines(lines(text), 'diskstats', parseDiskLine);
}

function parseDiskLine(line: string): DiskCounters {
  const f = words(line);
  if (f.length < 14) throw new ParseFailed(`${f.length} fields, at least 14 expected`);
  const n = (i: number): number => parseCount(f[i], `field ${i + 1}`);
  const opt = (i: number, needed: number): number | null => (f.length >= needed ? n(i) : null);
  return {
    major: n(0),
    minor: n(1),
    name: f[2],
    reads: n(3),
    readsMerged: n(4),
    sectorsRead: n(5),
    readMs: n(6),
    writes: n(7),
    writesMerged: n(8),
    sectorsWritten: n(9),
    writeMs: n(10),
    inFlight: n(11),
    ioMs: n(12),
    weightedIoMs: n(13),
    discards: opt(14, 18),
    discardsMerged: opt(15, 18),
    sectorsDiscarded: opt(16, 18),
    discardMs: opt(17, 18),
    flushes: opt(18, 20),
    flushMs: opt(19, 20),
  };
}

/** Devices that are memory, loop files, floppies or optical drives: no disk figures. */
const NOT_A_DISK = /^(loop|ram|zram|fd|sr)\d+$/;
/** Partitions by kernel naming, for when the whole-disk list (/sys/block) is unavailable. */
const PARTITION = /^((sd|hd|vd|xvd)[a-z]+\d+|(nvme\d+n\d+|mmcblk\d+|nbd\d+|md\d+)p\d+)$/;

/**
 * Which diskstats lines get series: whole disks (sda, vda, nvme0n1), device-mapper (dm-N)
 * and software RAID (mdN); partitions are left out because their I/O is already inside
 * their disk's. `blockDevices` is the content of /sys/block, which lists exactly the
 * whole devices (with "!" standing for "/" in names such as cciss!c0d0).
 */
export function isWholeDisk(name: string, blockDevices?: Set<string>): boolean {
  if (NOT_A_DISK.test(name)) return false;
  if (blockDevices) return blockDevices.has(name.replace(/\//g, '!'));
  return !PARTITION.test(name);
}

export interface BlockDevice {
  /** Kernel name as /sys/block spells it ("!" for "/"). */
  name: string;
  /** Device-mapper name (vg-root) for dm-N devices, else null. */
  dmName: string | null;
}

/** The host script's /sys/block listing: "/sys/block/<name> [dm name]" per line. */
export function parseBlockDevices(text: string): BlockDevice[] {
  return lines(text).map((line) => {
    const [path, ...dm] = words(line);
    const name = path.slice(path.lastIndexOf('/') + 1);
    return { name, dmName: dm.length > 0 ? dm.join(' ') : null };
  });
}
