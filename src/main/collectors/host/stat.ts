// /proc/stat: CPU time per mode (in USER_HZ ticks), boot time and process counts. guest
// and guest_nice are already counted inside user and nice (kernel account_guest_time), so
// the total is columns 1-8 only. Container kernels may print only 8 value columns, and
// kernels older than 2.6.24 fewer: an absent column is null, never 0.
import { ParseFailed } from '../../errors';
import { parseCount, percent } from '../num';
import { lines, words } from '../text';

export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number | null;
  irq: number | null;
  softirq: number | null;
  steal: number | null;
  guest: number | null;
  guestNice: number | null;
}

export interface ProcStat {
  /** The aggregate "cpu" line; null when the text holds none. */
  cpu: CpuTimes | null;
  /** Number of cpuN lines (online CPUs). */
  cores: number;
  /** Boot time, seconds since the epoch: identifies one life of every kernel counter. */
  btime: number | null;
  procsRunning: number | null;
  procsBlocked: number | null;
}

export interface CpuUsage {
  user: number | null;
  nice: number | null;
  system: number | null;
  iowait: number | null;
  irq: number | null;
  softirq: number | null;
  steal: number | null;
  idle: number | null;
  busy: number | null;
}

const CPU_N = /^cpu\d+$/;

export function parseProcStat(text: string): ProcStat {
  const out: ProcStat = {
    cpu: null,
    cores: 0,
    btime: null,
    procsRunning: null,
    procsBlocked: null,
  };
  for (const line of lines(text)) {
    const [key, ...values] = words(line);
    if (key === 'cpu') out.cpu = parseCpuValues(values);
    else if (CPU_N.test(key)) out.cores++;
    else if (key === 'btime') out.btime = parseCount(values[0] ?? '', 'btime');
    else if (key === 'procs_running') out.procsRunning = parseCount(values[0] ?? '', key);
    else if (key === 'procs_blocked') out.procsBlocked = parseCount(values[0] ?? '', key);
  }
  return out;
}

/** Columns of a cpu line: user nice system idle [iowait irq softirq steal guest guest_nice]. */
export function parseCpuValues(values: string[]): CpuTimes {
  if (values.length < 4) {
    throw new ParseFailed(`a cpu line has ${values.length} value columns, at least 4 expected`);
  }
  const v = values.map((s, i) => parseCount(s, `cpu column ${i + 1}`));
  const opt = (i: number): number | null => (i < v.length ? v[i] : null);
  return {
    user: v[0],
    nice: v[1],
    system: v[2],
    idle: v[3],
    iowait: opt(4),
    irq: opt(5),
    softirq: opt(6),
    steal: opt(7),
    guest: opt(8),
    guestNice: opt(9),
  };
}

/**
 * Share of each mode between two samples of the same boot, in percent. busy excludes idle
 * and iowait. A column that steps back counts as 0: iowait is known to step back on NO_HZ
 * kernels; a real reset is detected by the caller through btime.
 */
export function cpuUsage(prev: CpuTimes, cur: CpuTimes): CpuUsage {
  const d = (a: number | null, b: number | null): number | null =>
    a === null || b === null ? null : Math.max(0, b - a);
  const deltas = {
    user: d(prev.user, cur.user),
    nice: d(prev.nice, cur.nice),
    system: d(prev.system, cur.system),
    idle: d(prev.idle, cur.idle),
    iowait: d(prev.iowait, cur.iowait),
    irq: d(prev.irq, cur.irq),
    softirq: d(prev.softirq, cur.softirq),
    steal: d(prev.steal, cur.steal),
  };
  const total = Object.values(deltas).reduce<number>((sum, x) => sum + (x ?? 0), 0);
  const pct = (x: number | null): number | null => (total > 0 ? percent(x, total) : null);
  const notBusy = (deltas.idle ?? 0) + (deltas.iowait ?? 0);
  return {
    user: pct(deltas.user),
    nice: pct(deltas.nice),
    system: pct(deltas.system),
    iowait: pct(deltas.iowait),
    irq: pct(deltas.irq),
    softirq: pct(deltas.softirq),
    steal: pct(deltas.steal),
    idle: pct(deltas.idle),
    busy: pct(total - notBusy),
  };
}
