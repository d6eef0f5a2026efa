// /proc/mounts: "device mountpoint fstype options dump pass", fields separated by one
// space. The kernel writes space, tab, newline and backslash inside a field as octal
// escapes (\040 \011 \012 \134), so a line is split first and each field decoded
// afterwards.
import { ParseFailed } from '../../errors';
import type { Parsed } from '../types';
import { lines, parseLines } from '../text';

export interface Mount {
  device: string;
  mountPoint: string;
  fstype: string;
  options: string;
}

/**
 * Filesystems that hold no operator data, or whose usage means nothing (read-only images,
 * memory-backed). tmpfs is out too: it is RAM, and shows in memory figures. overlay (the
 * root of a container) is kept.
 */
// prettier-ignore
const PSEUDO = new Set([
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts',
  'devtmpfs', 'efivarfs', 'fuse.gvfsd-fuse', 'fuse.lxcfs', 'fuse.portal', 'fusectl',
  'hugetlbfs', 'iso9660', 'mqueue', 'nfsd', 'nsfs', 'proc', 'pstore', 'ramfs', 'rootfs',
  'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs', 'sysfs', 'tmpfs', 'tracefs', 'udf',
]);

export function parseMounts(text: string): Parsed<Mount> {
  return parseLines(lines(text), 'mounts', parseMountLine);
}

function parseMountLine(line: string): Mount {
  const f = line.split(' ');
  if (f.length < 4 || f.slice(0, 4).some((x) => x === '')) {
    throw new ParseFailed(`${f.length} fields, at least 4 expected`);
  }
  return {
    device: decodeOctalEscapes(f[0]),
    mountPoint: decodeOctalEscapes(f[1]),
    fstype: decodeOctalEscapes(f[2]),
    options: f[3],
  };
}

/** "\040" -> " ", "\011" -> tab, "\012" -> newline, "\134" -> "\" (any 3-digit octal). */
export function decodeOctalEscapes(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function isPseudoFs(fstype: string): boolean {
  return PSEUDO.has(fstype);
}

/**
 * The filesystems worth a series: pseudo ones dropped; a mount point mounted over keeps
 * only the last (visible) mount; one filesystem bind-mounted in many places (containers
 * do this for /etc/hosts …) keeps its shortest mount point.
 */
export function dataMounts(mounts: Mount[]): Mount[] {
  const byPoint = new Map<string, Mount>();
  for (const m of mounts) if (!isPseudoFs(m.fstype)) byPoint.set(m.mountPoint, m);
  const bySource = new Map<string, Mount>();
  for (const m of byPoint.values()) {
    const key = `${m.fstype}\u0000${m.device}`;
    const seen = bySource.get(key);
    if (!seen || m.mountPoint.length < seen.mountPoint.length) bySource.set(key, m);
  }
  return [...bySource.values()].sort((a, b) => a.mountPoint.localeCompare(b.mountPoint));
}
