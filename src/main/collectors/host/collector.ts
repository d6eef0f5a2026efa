// Host collector: one run of the host script per round, every section parsed on its own
// so a failed or truncated section fails only its metrics. Counter rates use the host's
// own uptime as the clock (no network latency in the interval) and its boot time as the
// epoch.
import type { MetricName } from '../../../shared/metrics';
import type { CommandRunner } from '../../targets/types';
import { type CounterDelta, perSecond, RateTracker } from '../counters';
import { Emitter } from '../emit';
import { ratio } from '../num';
import type { CollectOutput, Parsed } from '../types';
import { type DfRow, inodesUsedPct, parseDf, usedPct } from './df';
import {
  type BlockDevice,
  type DiskCounters,
  isWholeDisk,
  parseBlockDevices,
  parseDiskstats,
  SECTOR_BYTES,
} from './diskstats';
import { parseLoadavg } from './loadavg';
import { parseMeminfo } from './meminfo';
import { dataMounts, type Mount, parseMounts } from './mounts';
import { type NetCounters, parseNetDev } from './netdev';
import {
  HOST_SCRIPT,
  SECTION_NAMES,
  SECTION_SOURCE,
  type Section,
  type SectionName,
  sectionText,
  splitSections,
} from './script';
import { type CpuTimes, cpuUsage, parseProcStat } from './stat';
import { parseProcCount, parseUname, type Uname } from './system';
import { parseTcpStateCounts } from './tcp';
import { parseThermal, type ThermalZone } from './thermal';
import { parseUptime } from './uptime';

export interface HostCollector {
  collect(runner: CommandRunner, now: number): Promise<CollectOutput>;
}

export interface HostCollectorOptions {
  /** Time allowed for the whole script on the host. */
  timeoutMs?: number;
}

/** Rates above these are not believable for one device: a gap instead (undetected reset). */
const MAX_NET_BYTES_PS = 125e9; // 1 Tbit/s
const MAX_PACKETS_PS = 1e9;
const MAX_DISK_IOPS = 1e8;
const MAX_DISK_BYTES_PS = 1e11;
/** btime moves by a second or so when the wall clock is stepped; a reboot moves it more. */
const BTIME_JITTER_S = 5;

const CPU_METRICS = [
  'host.cpu.user',
  'host.cpu.nice',
  'host.cpu.system',
  'host.cpu.iowait',
  'host.cpu.irq',
  'host.cpu.softirq',
  'host.cpu.steal',
  'host.cpu.idle',
  'host.cpu.busy',
] as const satisfies readonly MetricName[];

const FS_SIZE_METRICS = [
  'host.fs.size',
  'host.fs.used',
  'host.fs.avail',
  'host.fs.used_pct',
] as const satisfies readonly MetricName[];

const DISK_METRICS = [
  'host.disk.read_iops',
  'host.disk.write_iops',
  'host.disk.read_bps',
  'host.disk.write_bps',
  'host.disk.await_ms',
  'host.disk.util_pct',
] as const satisfies readonly MetricName[];

const NET_METRICS = [
  'host.net.rx_bps',
  'host.net.tx_bps',
  'host.net.rx_pps',
  'host.net.tx_pps',
  'host.net.rx_errors_ps',
  'host.net.tx_errors_ps',
  'host.net.rx_drops_ps',
  'host.net.tx_drops_ps',
] as const satisfies readonly MetricName[];

/** The metrics each section feeds: what fails when the section does. */
const SECTION_METRICS: Record<SectionName, readonly MetricName[]> = {
  uname: [],
  stat: [...CPU_METRICS, 'host.cpu.cores', 'host.procs.running', 'host.procs.blocked'],
  loadavg: ['host.load.1', 'host.load.5', 'host.load.15', 'host.procs.threads'],
  meminfo: [
    'host.mem.total',
    'host.mem.used',
    'host.mem.available',
    'host.mem.cached',
    'host.mem.available_pct',
    'host.swap.total',
    'host.swap.used',
  ],
  uptime: ['host.uptime.seconds'],
  mounts: [...FS_SIZE_METRICS, 'host.fs.inodes_used_pct'],
  df: FS_SIZE_METRICS,
  dfi: ['host.fs.inodes_used_pct'],
  diskstats: DISK_METRICS,
  blockdevs: [],
  netdev: NET_METRICS,
  thermal: ['host.temp.celsius'],
  procs: ['host.procs.count'],
  tcp: ['host.tcp.conns'],
};

/** The clock and epoch of this round's counters. */
interface Clock {
  /** ms: host uptime when it could be read, else the collector's time. */
  t: number;
  epoch: string;
}

interface HostState {
  tracker: RateTracker;
  /** Boot time as last accepted (jitter of a few seconds ignored). */
  btime: number | null;
  cpu: { times: CpuTimes; clock: Clock } | null;
}

export function createHostCollector(opts: HostCollectorOptions = {}): HostCollector {
  const state: HostState = { tracker: new RateTracker(), btime: null, cpu: null };
  return {
    async collect(runner, now) {
      const result = await runner.run(HOST_SCRIPT, { timeoutMs: opts.timeoutMs ?? 20_000 });
      const sections = splitSections(result.stdout);
      if (sections.size === 0) return noSections(result.code, result.stderr);
      return collectSections(sections, now, state);
    },
  };
}

/**
 * Parses one host script output into points, errors and a snapshot, updating the counter
 * state. Pure apart from `state`: `now` is only used when the host's uptime is
 * unreadable.
 */
function collectSections(
  sections: Map<string, Section>,
  now: number,
  state: HostState,
): CollectOutput {
  const out = new Emitter();
  const read = <T>(name: SectionName, parse: (text: string) => T): T | null =>
    out.attempt(SECTION_METRICS[name], SECTION_SOURCE[name], () =>
      parse(sectionText(sections, name)),
    );

  const stat = read('stat', parseProcStat);
  const uptime = read('uptime', parseUptime);
  const clock = roundClock(state, stat?.btime ?? null, uptime, now);
  if (stat) emitStat(out, state, stat, clock);
  out.point('host.uptime.seconds', uptime);
  emitLoad(out, read('loadavg', parseLoadavg));
  emitMemory(out, read('meminfo', parseMeminfo));

  const mounts = read('mounts', parseMounts);
  const df = read('df', (t) => parseDf(t, 1024));
  const dfi = read('dfi', (t) => parseDf(t, 1));
  const fs = mounts ? emitFilesystems(out, mounts, df, dfi) : [];

  const disks = read('diskstats', parseDiskstats);
  const blockDevices = out.attempt([], '/sys/block', () =>
    parseBlockDevices(sectionText(sections, 'blockdevs')),
  );
  const diskList = disks ? emitDisks(out, state.tracker, clock, disks, blockDevices) : [];

  const net = read('netdev', parseNetDev);
  const ifaces = net ? emitNet(out, state.tracker, clock, net) : [];
  const zones = read('thermal', parseThermal);
  if (zones) emitThermal(out, zones);
  out.point('host.procs.count', read('procs', parseProcCount));
  const tcp = read('tcp', parseTcpStateCounts);
  if (tcp) emitTcp(out, tcp);

  state.tracker.endRound();
  const uname = out.attempt([], 'uname', () => parseUname(sectionText(sections, 'uname')));
  return out.output(snapshotOf(uname, uptime, fs, diskList, ifaces, zones?.rows ?? []));
}

function noSections(code: number | null, stderr: string): CollectOutput {
  const out = new Emitter();
  const why = stderr.trim().slice(0, 200) || 'no error text';
  const reason =
    `the host script printed no sections (exit status ${code ?? 'none'}: ${why}); ` +
    'check that the account has a POSIX sh';
  for (const name of SECTION_NAMES) out.fail(SECTION_METRICS[name], reason);
  return out.output();
}

/** Accepts a new boot time only when it moved by more than clock-step jitter. */
export function nextBtime(prev: number | null, btime: number | null): number | null {
  if (btime === null) return prev;
  if (prev === null || Math.abs(btime - prev) > BTIME_JITTER_S) return btime;
  return prev;
}

function roundClock(
  state: HostState,
  btime: number | null,
  uptime: number | null,
  now: number,
): Clock {
  state.btime = nextBtime(state.btime, btime);
  const boot = state.btime ?? 'unknown';
  return uptime !== null
    ? { t: uptime * 1000, epoch: `${boot}/uptime` }
    : { t: now, epoch: `${boot}/clock` };
}

function emitStat(
  out: Emitter,
  state: HostState,
  stat: ReturnType<typeof parseProcStat>,
  clock: Clock,
): void {
  out.point('host.cpu.cores', stat.cores > 0 ? stat.cores : null);
  out.point('host.procs.running', stat.procsRunning);
  out.point('host.procs.blocked', stat.procsBlocked);
  if (!stat.cpu) {
    out.fail(CPU_METRICS, '/proc/stat: no aggregate "cpu" line');
    return;
  }
  const prev = state.cpu;
  state.cpu = { times: stat.cpu, clock };
  if (!prev) return;
  const sameLife = prev.clock.epoch === clock.epoch && clock.t > prev.clock.t;
  const u = sameLife ? cpuUsage(prev.times, stat.cpu) : null;
  out.point('host.cpu.user', u?.user);
  out.point('host.cpu.nice', u?.nice);
  out.point('host.cpu.system', u?.system);
  out.point('host.cpu.iowait', u?.iowait);
  out.point('host.cpu.irq', u?.irq);
  out.point('host.cpu.softirq', u?.softirq);
  out.point('host.cpu.steal', u?.steal);
  out.point('host.cpu.idle', u?.idle);
  out.point('host.cpu.busy', u?.busy);
}

function emitLoad(out: Emitter, load: ReturnType<typeof parseLoadavg> | null): void {
  if (!load) return;
  out.point('host.load.1', load.load1);
  out.point('host.load.5', load.load5);
  out.point('host.load.15', load.load15);
  out.point('host.procs.threads', load.threads);
}

function emitMemory(out: Emitter, mem: ReturnType<typeof parseMeminfo> | null): void {
  if (!mem) return;
  out.point('host.mem.total', mem.total);
  out.point('host.mem.used', mem.used);
  out.point('host.mem.available', mem.available);
  out.point('host.mem.cached', mem.cached);
  out.point('host.mem.available_pct', mem.availablePct);
  out.point('host.swap.total', mem.swapTotal);
  out.point('host.swap.used', mem.swapUsed);
}

export interface FsSnapshot {
  mount: string;
  device: string;
  fstype: string;
  sizeBytes: number | null;
  usedBytes: number | null;
  availBytes: number | null;
  usedPct: number | null;
  inodesUsedPct: number | null;
}

/**
 * df lines matched to /proc/mounts by mount point. Newer coreutils print control
 * characters in a mount point as "?", so both sides are compared in that form.
 */
function emitFilesystems(
  out: Emitter,
  mounts: Parsed<Mount>,
  df: Parsed<DfRow> | null,
  dfi: Parsed<DfRow> | null,
): FsSnapshot[] {
  reportProblems(out, [...FS_SIZE_METRICS, 'host.fs.inodes_used_pct'], '/proc/mounts', mounts);
  if (df) reportProblems(out, FS_SIZE_METRICS, 'df -P -k', df);
  if (dfi) reportProblems(out, ['host.fs.inodes_used_pct'], 'df -P -i', dfi);
  const sizes = byMountPoint(df);
  const inodes = byMountPoint(dfi);
  return dataMounts(mounts.rows).map((m) => {
    const labels = { mount: m.mountPoint, device: m.device, fstype: m.fstype };
    const size = sizes?.get(dfKey(m.mountPoint));
    const ino = inodes?.get(dfKey(m.mountPoint));
    if (sizes && !size) out.fail(FS_SIZE_METRICS, `df -P -k printed no line for ${m.mountPoint}`);
    if (size) {
      out.point('host.fs.size', size.size, labels);
      out.point('host.fs.used', size.used, labels);
      out.point('host.fs.avail', size.avail, labels);
      out.point('host.fs.used_pct', usedPct(size), labels);
    }
    if (ino) out.point('host.fs.inodes_used_pct', inodesUsedPct(ino), labels);
    return {
      mount: m.mountPoint,
      device: m.device,
      fstype: m.fstype,
      sizeBytes: size?.size ?? null,
      usedBytes: size?.used ?? null,
      availBytes: size?.avail ?? null,
      usedPct: size ? usedPct(size) : null,
      inodesUsedPct: ino ? inodesUsedPct(ino) : null,
    };
  });
}

function dfKey(mountPoint: string): string {
  return mountPoint.replace(/[\u0000-\u001f\u007f]/g, '?');
}

function byMountPoint(parsed: Parsed<DfRow> | null): Map<string, DfRow> | null {
  return parsed ? new Map(parsed.rows.map((r) => [dfKey(r.mountPoint), r])) : null;
}

function reportProblems<T>(
  out: Emitter,
  metrics: readonly string[],
  source: string,
  parsed: Parsed<T>,
): void {
  for (const p of parsed.problems) out.fail(metrics, `${source}: ${p}`);
}

export interface DiskSnapshot {
  device: string;
  dmName: string | null;
}

function emitDisks(
  out: Emitter,
  tracker: RateTracker,
  clock: Clock,
  disks: Parsed<DiskCounters>,
  blockDevices: BlockDevice[] | null,
): DiskSnapshot[] {
  reportProblems(out, DISK_METRICS, '/proc/diskstats', disks);
  const whole = blockDevices ? new Set(blockDevices.map((b) => b.name)) : undefined;
  const dmNames = new Map((blockDevices ?? []).map((b) => [b.name, b.dmName]));
  const kept = disks.rows.filter((d) => isWholeDisk(d.name, whole));
  for (const d of kept) emitDisk(out, tracker, clock, d);
  return kept.map((d) => ({
    device: d.name,
    dmName: dmNames.get(d.name.replace(/\//g, '!')) ?? null,
  }));
}

function emitDisk(out: Emitter, tracker: RateTracker, clock: Clock, d: DiskCounters): void {
  const key = (field: string): string => `disk\u0000${d.name}\u0000${field}`;
  if (!tracker.has(key('reads'))) {
    stepDisk(tracker, clock, d, key);
    return;
  }
  const s = stepDisk(tracker, clock, d, key);
  const labels = { device: d.name };
  out.point('host.disk.read_iops', perSecond(s.reads, { max: MAX_DISK_IOPS }), labels);
  out.point('host.disk.write_iops', perSecond(s.writes, { max: MAX_DISK_IOPS }), labels);
  const maxSectors = MAX_DISK_BYTES_PS / SECTOR_BYTES;
  out.point('host.disk.read_bps', bytes(perSecond(s.sectorsRead, { max: maxSectors })), labels);
  out.point('host.disk.write_bps', bytes(perSecond(s.sectorsWritten, { max: maxSectors })), labels);
  out.point('host.disk.await_ms', awaitMs(s), labels);
  out.point('host.disk.util_pct', utilPct(s.ioMs), labels);
}

type DiskDeltas = Record<
  'reads' | 'writes' | 'sectorsRead' | 'sectorsWritten' | 'readMs' | 'writeMs' | 'ioMs',
  CounterDelta | null
>;

function stepDisk(
  tracker: RateTracker,
  clock: Clock,
  d: DiskCounters,
  key: (field: string) => string,
): DiskDeltas {
  const step = (field: keyof DiskDeltas): CounterDelta | null =>
    tracker.delta(key(field), d[field], clock.t, clock.epoch);
  return {
    reads: step('reads'),
    writes: step('writes'),
    sectorsRead: step('sectorsRead'),
    sectorsWritten: step('sectorsWritten'),
    readMs: step('readMs'),
    writeMs: step('writeMs'),
    ioMs: step('ioMs'),
  };
}

function bytes(sectorsPerSecond: number | null): number | null {
  return sectorsPerSecond === null ? null : sectorsPerSecond * SECTOR_BYTES;
}

/** Mean time per completed I/O in the interval, queueing included; null without I/O. */
export function awaitMs(
  s: Pick<DiskDeltas, 'reads' | 'writes' | 'readMs' | 'writeMs'>,
): number | null {
  if (!s.reads || !s.writes || !s.readMs || !s.writeMs) return null;
  return ratio(s.readMs.delta + s.writeMs.delta, s.reads.delta + s.writes.delta);
}

/**
 * Share of the interval the device had I/O in flight. Sampling jitter can push it a
 * little past 100; far past 100 means the counters cannot be trusted for this interval.
 */
export function utilPct(ioMs: CounterDelta | null): number | null {
  if (!ioMs || ioMs.seconds <= 0) return null;
  const pct = (ioMs.delta / (ioMs.seconds * 1000)) * 100;
  if (!Number.isFinite(pct) || pct > 110) return null;
  return Math.min(100, pct);
}

function emitNet(
  out: Emitter,
  tracker: RateTracker,
  clock: Clock,
  net: Parsed<NetCounters>,
): string[] {
  reportProblems(out, NET_METRICS, '/proc/net/dev', net);
  for (const n of net.rows) emitIface(out, tracker, clock, n);
  return net.rows.map((n) => n.iface);
}

function emitIface(out: Emitter, tracker: RateTracker, clock: Clock, n: NetCounters): void {
  const warm = tracker.has(`net\u0000${n.iface}\u0000rxBytes`);
  const labels = { iface: n.iface };
  const rate = (metric: MetricName, field: keyof NetCounters, max: number): void => {
    const value = n[field];
    if (typeof value !== 'number') return;
    const key = `net\u0000${n.iface}\u0000${field}`;
    const r = tracker.rate(key, value, clock.t, clock.epoch, { max });
    if (warm) out.point(metric, r, labels);
  };
  rate('host.net.rx_bps', 'rxBytes', MAX_NET_BYTES_PS);
  rate('host.net.tx_bps', 'txBytes', MAX_NET_BYTES_PS);
  rate('host.net.rx_pps', 'rxPackets', MAX_PACKETS_PS);
  rate('host.net.tx_pps', 'txPackets', MAX_PACKETS_PS);
  rate('host.net.rx_errors_ps', 'rxErrors', MAX_PACKETS_PS);
  rate('host.net.tx_errors_ps', 'txErrors', MAX_PACKETS_PS);
  rate('host.net.rx_drops_ps', 'rxDrops', MAX_PACKETS_PS);
  rate('host.net.tx_drops_ps', 'txDrops', MAX_PACKETS_PS);
}

function emitThermal(out: Emitter, zones: Parsed<ThermalZone>): void {
  reportProblems(out, ['host.temp.celsius'], '/sys/class/thermal', zones);
  for (const z of zones.rows) out.point('host.temp.celsius', z.celsius, { zone: z.zone });
}

function emitTcp(out: Emitter, tcp: ReturnType<typeof parseTcpStateCounts>): void {
  reportProblems(out, ['host.tcp.conns'], '/proc/net/tcp', tcp);
  if (tcp.problems.length > 0) return;
  for (const [state, n] of Object.entries(tcp.rows[0] ?? {})) {
    out.point('host.tcp.conns', n, { state });
  }
}

function snapshotOf(
  uname: Uname | null,
  uptimeSeconds: number | null,
  mounts: FsSnapshot[],
  disks: DiskSnapshot[],
  interfaces: string[],
  thermal: ThermalZone[],
): Record<string, unknown> {
  return {
    hostname: uname?.hostname ?? null,
    kernel: uname?.kernel ?? null,
    machine: uname?.machine ?? null,
    uptimeSeconds,
    mounts,
    disks,
    interfaces,
    thermal: thermal.map((z) => ({ zone: z.zone, celsius: z.celsius })),
  };
}
