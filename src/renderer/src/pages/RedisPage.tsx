// A Redis server: memory against maxmemory, traffic, keys, clients, replication, persistence.
import { useMemo } from 'react';
import type { SeriesRef } from '../../../shared/types';
import { ChartPanel } from '../charts/ChartPanel';
import { labelledLines, plainLines, refsOf } from '../charts/lines';
import type { RangeSpec } from '../charts/ranges';
import { Tile } from '../components/Figure';
import { SnapshotSection, type SnapshotState } from '../components/SnapshotSection';
import { toneHigh } from '../figures';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatPerSec,
  formatRatio,
  plural,
} from '../format';
import { useNow } from '../hooks';
import { latestBy, latestOf, useTileLatest, type Latest } from '../hooks-latest';

export interface RedisPageProps {
  targetId: string;
  refs: SeriesRef[];
  range: RangeSpec;
  live: boolean;
  snapshot: SnapshotState;
}

const TILE_METRICS = [
  'redis.up',
  'redis.ping_ms',
  'redis.mem.used',
  'redis.mem.peak',
  'redis.mem.rss',
  'redis.mem.maxmemory',
  'redis.mem.used_pct',
  'redis.mem.fragmentation',
  'redis.ops_ps',
  'redis.hit_pct',
  'redis.expired_ps',
  'redis.evicted_ps',
  'redis.clients.connected',
  'redis.clients.blocked',
  'redis.role.master',
  'redis.replicas',
  'redis.rdb.last_save_age_s',
  'redis.rdb.last_bgsave_ok',
  'redis.rdb.changes_since_save',
];

const LABELLED = ['redis.keys', 'redis.expires', 'redis.repl.offset_lag'];

export function RedisPage({
  targetId,
  refs,
  range,
  live,
  snapshot,
}: RedisPageProps): React.ReactElement {
  const latest = useTileLatest(targetId, refs, TILE_METRICS, LABELLED);
  const now = useNow(10_000);
  // maxmemory 0 means "no limit": a line at 0 B would read as a limit of nothing.
  const noLimit = latestOf(latest, 'redis.mem.maxmemory') === 0;
  const c = useMemo(
    () => ({
      memory: plainLines([
        ['redis.mem.used', 'used'],
        ['redis.mem.peak', 'peak'],
        ['redis.mem.rss', 'RSS'],
        ...(noLimit ? [] : ([['redis.mem.maxmemory', 'maxmemory']] as [string, string][])),
      ]),
      frag: plainLines([['redis.mem.fragmentation', 'fragmentation']]),
      ops: plainLines([['redis.ops_ps', 'operations']]),
      hit: plainLines([['redis.hit_pct', 'hit rate']]),
      keys: labelledLines(refs, 'redis.keys', 'db'),
      churn: plainLines([
        ['redis.expired_ps', 'expired'],
        ['redis.evicted_ps', 'evicted'],
      ]),
      clients: plainLines([
        ['redis.clients.connected', 'connected'],
        ['redis.clients.blocked', 'blocked'],
      ]),
      lag: labelledLines(refs, 'redis.repl.offset_lag', 'replica'),
      save: plainLines([['redis.rdb.last_save_age_s', 'since last save']]),
      ping: plainLines([['redis.ping_ms', 'PING']]),
    }),
    [refs, noLimit],
  );
  const common = { targetId, range, live, known: refs };

  return (
    <>
      <RedisTiles latest={latest} refs={refs} />
      <div className="chart-grid">
        <ChartPanel
          {...common}
          title="Memory"
          unit="bytes"
          lines={c.memory}
          note={noLimit ? 'no maxmemory set' : 'vs maxmemory'}
        />
        <ChartPanel
          {...common}
          title="Fragmentation ratio"
          unit="ratio"
          lines={c.frag}
          note="RSS / used"
        />
        <ChartPanel {...common} title="Operations" unit="per_s" lines={c.ops} />
        <ChartPanel {...common} title="Hit rate" unit="percent" yMax={100} lines={c.hit} />
        <ChartPanel {...common} title="Keys per database" unit="count" lines={c.keys} />
        <ChartPanel {...common} title="Expired and evicted keys" unit="per_s" lines={c.churn} />
        <ChartPanel {...common} title="Clients" unit="count" lines={c.clients} />
        <ChartPanel {...common} title="Replica offset lag" unit="bytes" lines={c.lag} />
        <ChartPanel {...common} title="Time since last save" unit="seconds" lines={c.save} />
        <ChartPanel {...common} title="PING round trip" unit="ms" lines={c.ping} />
      </div>
      <SnapshotSection
        state={snapshot}
        now={now}
        order={['replication', 'replicas', 'persistence', 'server', 'keyspace']}
      />
    </>
  );
}

function RedisTiles({ latest, refs }: { latest: Latest; refs: SeriesRef[] }): React.ReactElement {
  const v = (m: string): number | null => latestOf(latest, m);
  const up = v('redis.up');
  const master = v('redis.role.master');
  const maxmem = v('redis.mem.maxmemory');
  const keys = latestBy(latest, refsOf(refs, 'redis.keys', 'db'), 'redis.keys', 'db');
  const totalKeys = keys.reduce((s, [, x]) => s + (x ?? 0), 0);
  const lags = latestBy(latest, refs, 'redis.repl.offset_lag', 'replica');
  const worstLag = lags.reduce<number | null>(
    (m, [, x]) => (x !== null && (m === null || x > m) ? x : m),
    null,
  );
  const saveOk = v('redis.rdb.last_bgsave_ok');
  // With a small data set, RSS is mostly the allocator's baseline: the ratio says nothing.
  const used = v('redis.mem.used');
  const smallHeap = used !== null && used < 64 * 1024 * 1024;
  return (
    <div className="tiles">
      <Tile
        label="Server"
        value={up === null ? '—' : up ? 'up' : 'down'}
        tone={up === 0 ? 'bad' : null}
        detail={`PING ${formatMs(v('redis.ping_ms'))}`}
      />
      <Tile
        label="Memory used"
        value={formatBytes(v('redis.mem.used'))}
        tone={toneHigh(v('redis.mem.used_pct'), 80, 95)}
        detail={
          maxmem
            ? `${formatPercent(v('redis.mem.used_pct'))} of maxmemory ${formatBytes(maxmem)}`
            : `no maxmemory · peak ${formatBytes(v('redis.mem.peak'))}`
        }
      />
      <Tile
        label="Fragmentation"
        value={smallHeap ? 'not meaningful' : formatRatio(v('redis.mem.fragmentation'))}
        tone={smallHeap ? null : toneHigh(v('redis.mem.fragmentation'), 1.5, 3)}
        detail={
          smallHeap
            ? `ratio ${formatRatio(v('redis.mem.fragmentation'))}: below 64 MiB used, RSS is mostly overhead`
            : `RSS ${formatBytes(v('redis.mem.rss'))}`
        }
      />
      <Tile
        label="Operations"
        value={formatPerSec(v('redis.ops_ps'))}
        detail={`hit rate ${formatPercent(v('redis.hit_pct'))}`}
      />
      <Tile
        label="Keys"
        value={formatCount(keys.length ? totalKeys : null)}
        detail={`expired ${formatPerSec(v('redis.expired_ps'))} · evicted ${formatPerSec(v('redis.evicted_ps'))}`}
        tone={toneHigh(v('redis.evicted_ps'), 0.001, 100)}
      />
      <Tile
        label="Clients"
        value={formatCount(v('redis.clients.connected'))}
        detail={`${formatCount(v('redis.clients.blocked'))} blocked`}
      />
      <Tile
        label="Role"
        value={master === null ? '—' : master ? 'master' : 'replica'}
        detail={`${plural(v('redis.replicas'), 'replica')}${worstLag !== null ? ` · worst lag ${formatBytes(worstLag)}` : ''}`}
      />
      <Tile
        label="Last save"
        value={
          v('redis.rdb.last_save_age_s') === null
            ? '—'
            : `${formatDuration(v('redis.rdb.last_save_age_s'))} ago`
        }
        tone={saveOk === 0 ? 'bad' : null}
        detail={`${saveOk === null ? 'status unknown' : saveOk ? 'last save ok' : 'LAST SAVE FAILED'} · ${formatCount(v('redis.rdb.changes_since_save'))} changes since`}
      />
    </div>
  );
}
