// A Linux host (local or over SSH): CPU, memory, load, filesystems, disks and network.
import { useMemo } from 'react';
import { seriesKey } from '../../../shared/metrics';
import type { SeriesRef } from '../../../shared/types';
import { ChartPanel } from '../charts/ChartPanel';
import { labelValues, labelledLines, plainLines, refsOf, sameLabelLines } from '../charts/lines';
import type { RangeSpec } from '../charts/ranges';
import { Tile } from '../components/Figure';
import { toneHigh, toneLow } from '../figures';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatRatio,
  NO_VALUE,
} from '../format';
import { latestOf, useTileLatest, type Latest } from '../hooks-latest';

export interface HostPageProps {
  targetId: string;
  refs: SeriesRef[];
  range: RangeSpec;
  live: boolean;
}

const TILE_METRICS = [
  'host.cpu.busy',
  'host.cpu.cores',
  'host.cpu.iowait',
  'host.cpu.steal',
  'host.load.1',
  'host.load.5',
  'host.load.15',
  'host.mem.total',
  'host.mem.used',
  'host.mem.available',
  'host.mem.available_pct',
  'host.swap.total',
  'host.swap.used',
  'host.uptime.seconds',
  'host.procs.count',
  'host.procs.running',
  'host.procs.blocked',
  'host.procs.threads',
];

const FS_METRICS = [
  'host.fs.size',
  'host.fs.used',
  'host.fs.avail',
  'host.fs.used_pct',
  'host.fs.inodes_used_pct',
];

export function HostPage({ targetId, refs, range, live }: HostPageProps): React.ReactElement {
  const latest = useTileLatest(targetId, refs, TILE_METRICS, FS_METRICS);
  const c = useMemo(() => hostCharts(refs), [refs]);
  const common = { targetId, range, live, known: refs };

  return (
    <>
      <HostTiles latest={latest} />
      <div className="chart-grid">
        <ChartPanel
          {...common}
          title="CPU"
          unit="percent"
          stacked
          yMax={100}
          lines={c.cpu}
          note="stacked"
          bandOf={{ metric: 'host.cpu.busy' }}
        />
        <ChartPanel
          {...common}
          title="Memory"
          unit="bytes"
          lines={c.mem}
          bandOf={{ metric: 'host.mem.available' }}
        />
        <ChartPanel
          {...common}
          title="Load average"
          unit="ratio"
          lines={c.load}
          note="compare with cores"
          bandOf={{ metric: 'host.load.1' }}
        />
        <ChartPanel
          {...common}
          title="Filesystem space used"
          unit="percent"
          yMax={100}
          lines={c.fsUsed}
        />
        <ChartPanel {...common} title="Inodes used" unit="percent" yMax={100} lines={c.inodes} />
      </div>
      <FilesystemTable refs={refs} latest={latest} />
      {c.disks.length > 0 && <h2>Disks</h2>}
      {c.disks.map((d) => (
        <div className="chart-grid chart-grid-3" key={d.device}>
          <ChartPanel
            {...common}
            title={`${d.device} · throughput`}
            unit="bytes_per_s"
            lines={d.bytes}
            height={140}
          />
          <ChartPanel
            {...common}
            title={`${d.device} · IOPS`}
            unit="per_s"
            lines={d.iops}
            height={140}
          />
          <ChartPanel
            {...common}
            title={`${d.device} · utilisation`}
            unit="percent"
            yMax={100}
            lines={d.util}
            height={140}
          />
        </div>
      ))}
      {c.ifaces.length > 0 && <h2>Network</h2>}
      {c.ifaces.map((n) => (
        <div className="chart-grid" key={n.iface}>
          <ChartPanel
            {...common}
            title={`${n.iface} · traffic`}
            unit="bytes_per_s"
            lines={n.bytes}
            height={140}
          />
          <ChartPanel
            {...common}
            title={`${n.iface} · errors and drops`}
            unit="per_s"
            lines={n.errors}
            height={140}
          />
        </div>
      ))}
    </>
  );
}

function hostCharts(refs: SeriesRef[]) {
  const disks = labelValues(refs, 'host.disk.', 'device').map((device) => ({
    device,
    bytes: sameLabelLines(refs, 'device', device, [
      ['host.disk.read_bps', 'read'],
      ['host.disk.write_bps', 'write'],
    ]),
    iops: sameLabelLines(refs, 'device', device, [
      ['host.disk.read_iops', 'reads'],
      ['host.disk.write_iops', 'writes'],
    ]),
    util: sameLabelLines(refs, 'device', device, [['host.disk.util_pct', 'busy']]),
  }));
  const ifaces = labelValues(refs, 'host.net.', 'iface').map((iface) => ({
    iface,
    bytes: sameLabelLines(refs, 'iface', iface, [
      ['host.net.rx_bps', 'received'],
      ['host.net.tx_bps', 'sent'],
    ]),
    errors: sameLabelLines(refs, 'iface', iface, [
      ['host.net.rx_errors_ps', 'receive errors'],
      ['host.net.tx_errors_ps', 'send errors'],
      ['host.net.rx_drops_ps', 'receive drops'],
      ['host.net.tx_drops_ps', 'send drops'],
    ]),
  }));
  return {
    cpu: plainLines([
      ['host.cpu.user', 'user'],
      ['host.cpu.system', 'system'],
      ['host.cpu.iowait', 'iowait'],
      ['host.cpu.steal', 'steal'],
    ]),
    mem: plainLines([
      ['host.mem.used', 'used'],
      ['host.mem.cached', 'cached'],
      ['host.mem.available', 'available'],
      ['host.mem.total', 'total'],
    ]),
    load: plainLines([
      ['host.load.1', '1 min'],
      ['host.load.5', '5 min'],
      ['host.load.15', '15 min'],
      ['host.cpu.cores', 'cores'],
    ]),
    fsUsed: labelledLines(refs, 'host.fs.used_pct', 'mount'),
    inodes: labelledLines(refs, 'host.fs.inodes_used_pct', 'mount'),
    disks,
    ifaces,
  };
}

function HostTiles({ latest }: { latest: Latest }): React.ReactElement {
  const v = (m: string): number | null => latestOf(latest, m);
  const cores = v('host.cpu.cores');
  const load1 = v('host.load.1');
  const perCore = load1 !== null && cores ? load1 / cores : null;
  const memUsed = v('host.mem.used');
  const memTotal = v('host.mem.total');
  const swapUsed = v('host.swap.used');
  const swapTotal = v('host.swap.total');
  return (
    <div className="tiles">
      <Tile
        label="CPU busy"
        value={formatPercent(v('host.cpu.busy'))}
        tone={toneHigh(v('host.cpu.busy'), 80, 95)}
        detail={`iowait ${formatPercent(v('host.cpu.iowait'))} · steal ${formatPercent(v('host.cpu.steal'))}`}
      />
      <Tile
        label="Load per core"
        value={formatRatio(perCore)}
        tone={toneHigh(perCore, 1, 2)}
        detail={`load ${formatRatio(load1)} · ${formatRatio(v('host.load.5'))} · ${formatRatio(v('host.load.15'))} on ${formatCount(cores)} cores`}
      />
      <Tile
        label="Memory available"
        value={formatPercent(v('host.mem.available_pct'))}
        tone={toneLow(v('host.mem.available_pct'), 15, 5)}
        detail={`${formatBytes(v('host.mem.available'))} available of ${formatBytes(memTotal)} · used ${formatBytes(memUsed)}`}
      />
      <Tile
        label="Swap used"
        value={formatBytes(swapUsed)}
        detail={swapTotal === 0 ? 'no swap' : `of ${formatBytes(swapTotal)}`}
      />
      <Tile label="Uptime" value={formatDuration(v('host.uptime.seconds'))} />
      <Tile
        label="Processes"
        value={formatCount(v('host.procs.count'))}
        detail={`${formatCount(v('host.procs.running'))} running · ${formatCount(v('host.procs.blocked'))} blocked · ${formatCount(v('host.procs.threads'))} threads`}
      />
    </div>
  );
}

function FilesystemTable({
  refs,
  latest,
}: {
  refs: SeriesRef[];
  latest: Latest;
}): React.ReactElement | null {
  const rows = refsOf(refs, 'host.fs.used_pct', 'mount');
  if (rows.length === 0) return null;
  const at = (metric: string, labels?: Record<string, string>): number | null =>
    latest.get(seriesKey(metric, labels))?.v ?? null;
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>Filesystems</h3>
        <span className="panel-note">latest values</span>
      </header>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Mount</th>
            <th scope="col">Device</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Used
            </th>
            <th scope="col" className="num">
              Available
            </th>
            <th scope="col" className="num">
              Used %
            </th>
            <th scope="col" className="num">
              Inodes used
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const used = at('host.fs.used_pct', r.labels);
            const inodes = at('host.fs.inodes_used_pct', r.labels);
            const tone = toneHigh(used, 85, 95);
            const itone = toneHigh(inodes, 85, 95);
            return (
              <tr key={seriesKey(r.metric, r.labels)}>
                <td className="mono">{r.labels?.mount ?? NO_VALUE}</td>
                <td className="mono">{r.labels?.device ?? NO_VALUE}</td>
                <td>{r.labels?.fstype ?? NO_VALUE}</td>
                <td className="num">{formatBytes(at('host.fs.size', r.labels))}</td>
                <td className="num">{formatBytes(at('host.fs.used', r.labels))}</td>
                <td className="num">{formatBytes(at('host.fs.avail', r.labels))}</td>
                <td className={`num${tone ? ` tone-${tone}` : ''}`}>
                  {formatPercent(used)}
                  {tone && (
                    <span className="tone-word">{tone === 'bad' ? 'critical' : 'high'}</span>
                  )}
                </td>
                <td className={`num${itone ? ` tone-${itone}` : ''}`}>
                  {formatPercent(inodes)}
                  {itone && (
                    <span className="tone-word">{itone === 'bad' ? 'critical' : 'high'}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
