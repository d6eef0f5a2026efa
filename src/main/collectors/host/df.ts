// df output: "Filesystem size used avail capacity mountpoint" with a header line first.
// A long device name wraps onto its own line in plain df (the values follow on a line that
// starts with white space): such a continuation is joined to the line before. The mount
// point is the rest of the line after the 5th field, so spaces inside it survive; a device
// name holding spaces is not supported (df prints it unquoted too).
import { ParseFailed } from '../../errors';
import type { Parsed } from '../types';
import { parseNum } from '../num';
import { lines, parseLines } from '../text';

export interface DfRow {
  device: string;
  /** Bytes for `df -k` (block size 1024), inode counts for `df -i` (block size 1). */
  size: number | null;
  used: number | null;
  avail: number | null;
  /** Capacity as df printed it, percent; null for "-". */
  capacityPct: number | null;
  mountPoint: string;
}

const ROW = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S.*)$/;

export function parseDf(text: string, blockSize: number): Parsed<DfRow> {
  const joined = joinContinuations(lines(text)).filter((l) => !l.startsWith('Filesystem'));
  return parseLines(joined, 'df', (line) => parseDfLine(line, blockSize));
}

/** A line that starts with white space continues the line before it. */
export function joinContinuations(input: string[]): string[] {
  const out: string[] = [];
  for (const line of input) {
    if (/^\s/.test(line) && out.length > 0) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

function parseDfLine(line: string, blockSize: number): DfRow {
  const m = ROW.exec(line);
  if (!m) throw new ParseFailed('fewer than 6 fields');
  const scaled = (s: string, what: string): number | null => {
    const n = parseNum(s, what);
    return n === null ? null : n * blockSize;
  };
  return {
    device: m[1],
    size: scaled(m[2], 'size'),
    used: scaled(m[3], 'used'),
    avail: scaled(m[4], 'available'),
    capacityPct: parseNum(m[5] === '-' ? '-' : m[5].replace(/%$/, ''), 'capacity'),
    mountPoint: m[6],
  };
}

/**
 * Used share the way df computes it: used / (used + available), which leaves the blocks
 * reserved for root out. null when the filesystem has no size (proc, btrfs inodes …).
 */
export function usedPct(row: DfRow): number | null {
  if (row.size === null || row.size === 0 || row.used === null || row.avail === null) return null;
  const base = row.used + row.avail;
  return base > 0 && Number.isFinite(base) ? (row.used / base) * 100 : null;
}

/** Inodes used share: IUsed / Inodes; null when the filesystem reports no inodes. */
export function inodesUsedPct(row: DfRow): number | null {
  if (row.size === null || row.size === 0 || row.used === null) return null;
  const pct = (row.used / row.size) * 100;
  return Number.isFinite(pct) ? pct : null;
}
