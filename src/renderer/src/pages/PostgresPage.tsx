// A PostgreSQL server: live figures, charts, and the snapshot tables (sessions, replicas,
// top statements).
import { useMemo } from 'react';
import type { SeriesRef } from '../../../shared/types';
import { ChartPanel } from '../charts/ChartPanel';
import { labelledLines, plainLines, refsOf } from '../charts/lines';
import type { RangeSpec } from '../charts/ranges';
import type { ChartLine } from '../charts/rows';
import { PALETTE } from '../charts/TimeChart';
import { Tile } from '../components/Figure';
import { SnapshotSection } from '../components/SnapshotSection';
import type { SnapshotState } from '../components/SnapshotSection';
import { toneHigh, toneLow } from '../figures';
import {
  formatBool,
  formatBytes,
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatPerSec,
  plural,
} from '../format';
import { useNow } from '../hooks';
import { latestBy, latestOf, useTileLatest, type Latest } from '../hooks-latest';

export interface PostgresPageProps {
  targetId: string;
  refs: SeriesRef[];
  range: RangeSpec;
  live: boolean;
  snapshot: SnapshotState;
}

const TILE_METRICS = [
  'pg.up',
  'pg.ping_ms',
  'pg.connections.total',
  'pg.connections.max',
  'pg.connections.used_pct',
  'pg.xact.commit_ps',
  'pg.xact.rollback_ps',
  'pg.cache.hit_pct',
  'pg.deadlocks_ps',
  'pg.locks.waiting',
  'pg.oldest_xact_s',
  'pg.longest_query_s',
  'pg.idle_in_xact',
  'pg.replication.is_replica',
  'pg.replication.replicas',
  'pg.replication.replay_lag_s',
  'pg.temp.bytes_ps',
];

const LABELLED = [
  'pg.db.size_bytes',
  'pg.replication.lag_bytes',
  'pg.replication.lag_s',
  'pg.connections',
];

/** Connections per state plus the max_connections line. */
function connectionLines(refs: SeriesRef[]): ChartLine[] {
  const states = labelledLines(refs, 'pg.connections', 'state');
  return [
    ...states,
    {
      key: `l${states.length}`,
      ref: { metric: 'pg.connections.max' },
      name: 'max_connections',
      color: PALETTE[7],
    },
  ];
}

export function PostgresPage({
  targetId,
  refs,
  range,
  live,
  snapshot,
}: PostgresPageProps): React.ReactElement {
  const latest = useTileLatest(targetId, refs, TILE_METRICS, LABELLED);
  const now = useNow(10_000);
  const c = useMemo(
    () => ({
      conns: connectionLines(refs),
      xact: plainLines([
        ['pg.xact.commit_ps', 'commits'],
        ['pg.xact.rollback_ps', 'rollbacks'],
      ]),
      tuples: plainLines([
        ['pg.tup.read_ps', 'read'],
        ['pg.tup.written_ps', 'written'],
      ]),
      cache: plainLines([['pg.cache.hit_pct', 'hit ratio']]),
      temp: plainLines([['pg.temp.bytes_ps', 'temp files']]),
      deadlocks: plainLines([['pg.deadlocks_ps', 'deadlocks']]),
      sizes: labelledLines(refs, 'pg.db.size_bytes', 'db'),
      locks: labelledLines(refs, 'pg.locks', 'mode'),
      waiting: plainLines([
        ['pg.locks.waiting', 'waiting sessions'],
        ['pg.idle_in_xact', 'idle in transaction'],
      ]),
      ages: plainLines([
        ['pg.oldest_xact_s', 'oldest transaction'],
        ['pg.longest_query_s', 'longest query'],
      ]),
      lagBytes: labelledLines(refs, 'pg.replication.lag_bytes', 'replica'),
      lagSeconds: [
        ...labelledLines(refs, 'pg.replication.lag_s', 'replica'),
        ...plainLines([['pg.replication.replay_lag_s', 'replay lag (this replica)']]).map((l) => ({
          ...l,
          key: 'replay',
          color: PALETTE[7],
        })),
      ],
      checkpoints: plainLines([
        ['pg.checkpoints.timed_ps', 'timed'],
        ['pg.checkpoints.req_ps', 'requested'],
      ]),
      ckBuffers: plainLines([['pg.checkpoints.buffers_ps', 'buffers written']]),
      ping: plainLines([['pg.ping_ms', 'round trip']]),
    }),
    [refs],
  );
  const common = { targetId, range, live, known: refs };

  return (
    <>
      <PostgresTiles latest={latest} refs={refs} />
      <div className="chart-grid">
        <ChartPanel
          {...common}
          title="Connections by state"
          unit="count"
          lines={c.conns}
          note="vs max_connections"
        />
        <ChartPanel {...common} title="Transactions" unit="per_s" lines={c.xact} />
        <ChartPanel {...common} title="Tuples" unit="per_s" lines={c.tuples} />
        <ChartPanel {...common} title="Cache hit ratio" unit="percent" yMax={100} lines={c.cache} />
        <ChartPanel {...common} title="Temp files written" unit="bytes_per_s" lines={c.temp} />
        <ChartPanel {...common} title="Deadlocks" unit="per_s" lines={c.deadlocks} />
        <ChartPanel {...common} title="Database sizes" unit="bytes" lines={c.sizes} />
        <ChartPanel {...common} title="Locks by mode" unit="count" lines={c.locks} />
        <ChartPanel
          {...common}
          title="Waiting and idle in transaction"
          unit="count"
          lines={c.waiting}
        />
        <ChartPanel
          {...common}
          title="Oldest transaction, longest query"
          unit="seconds"
          lines={c.ages}
        />
        <ChartPanel {...common} title="Replication lag (bytes)" unit="bytes" lines={c.lagBytes} />
        <ChartPanel
          {...common}
          title="Replication lag (time)"
          unit="seconds"
          lines={c.lagSeconds}
        />
        <ChartPanel {...common} title="Checkpoints" unit="per_s" lines={c.checkpoints} />
        <ChartPanel {...common} title="Checkpoint buffers" unit="per_s" lines={c.ckBuffers} />
        <ChartPanel {...common} title="Round trip" unit="ms" lines={c.ping} />
      </div>
      <SnapshotSection
        state={snapshot}
        now={now}
        order={[
          'sessions',
          'activity',
          'replicas',
          'replication',
          'statements',
          'topStatements',
          'locks',
        ]}
        titles={{ statements: 'Top statements', topStatements: 'Top statements' }}
        columns={{
          sessions: [
            'pid',
            'usename',
            'user',
            'datname',
            'database',
            'state',
            'wait_event_type',
            'wait_event',
            'query_age_s',
            'xact_age_s',
            'client_addr',
            'application_name',
            'query',
          ],
          statements: [
            'queryid',
            'calls',
            'total_exec_ms',
            'mean_exec_ms',
            'total_plan_ms',
            'rows',
            'query',
          ],
          topStatements: [
            'queryid',
            'calls',
            'total_exec_ms',
            'mean_exec_ms',
            'total_plan_ms',
            'rows',
            'query',
          ],
          replicas: [
            'application_name',
            'name',
            'client_addr',
            'state',
            'sync_state',
            'lag_bytes',
            'lag_s',
          ],
        }}
      />
    </>
  );
}

function PostgresTiles({
  latest,
  refs,
}: {
  latest: Latest;
  refs: SeriesRef[];
}): React.ReactElement {
  const v = (m: string): number | null => latestOf(latest, m);
  const replica = v('pg.replication.is_replica');
  const sizes = latestBy(latest, refsOf(refs, 'pg.db.size_bytes', 'db'), 'pg.db.size_bytes', 'db');
  const totalSize = sizes.reduce((s, [, x]) => s + (x ?? 0), 0);
  const lagS = latestBy(latest, refs, 'pg.replication.lag_s', 'replica');
  const worstLag = lagS.reduce<number | null>(
    (m, [, x]) => (x !== null && (m === null || x > m) ? x : m),
    null,
  );
  const up = v('pg.up');
  return (
    <div className="tiles">
      <Tile
        label="Server"
        value={up === null ? '—' : up ? 'up' : 'down'}
        tone={up === 0 ? 'bad' : null}
        detail={`round trip ${formatMs(v('pg.ping_ms'))}`}
      />
      <Tile
        label="Connections"
        value={`${formatCount(v('pg.connections.total'))} of ${formatCount(v('pg.connections.max'))}`}
        tone={toneHigh(v('pg.connections.used_pct'), 80, 95)}
        detail={`${formatPercent(v('pg.connections.used_pct'))} used`}
      />
      <Tile
        label="Transactions"
        value={formatPerSec(v('pg.xact.commit_ps'))}
        detail={`commits · ${formatPerSec(v('pg.xact.rollback_ps'))} rollbacks`}
      />
      <Tile
        label="Cache hit"
        value={formatPercent(v('pg.cache.hit_pct'))}
        tone={toneLow(v('pg.cache.hit_pct'), 95, 85)}
      />
      <Tile
        label="Waiting sessions"
        value={formatCount(v('pg.locks.waiting'))}
        tone={toneHigh(v('pg.locks.waiting'), 1, 10)}
        detail={`${formatCount(v('pg.idle_in_xact'))} idle in transaction · deadlocks ${formatPerSec(v('pg.deadlocks_ps'))}`}
      />
      <Tile
        label="Oldest transaction"
        value={formatDuration(v('pg.oldest_xact_s'))}
        tone={toneHigh(v('pg.oldest_xact_s'), 600, 3600)}
        detail={`longest query ${formatDuration(v('pg.longest_query_s'))}`}
      />
      <Tile
        label="Role"
        value={replica === null ? '—' : replica ? 'replica' : 'primary'}
        detail={
          replica
            ? `replay lag ${formatDuration(v('pg.replication.replay_lag_s'))}`
            : `${plural(v('pg.replication.replicas'), 'replica')} · worst lag ${formatDuration(worstLag)}`
        }
        tone={toneHigh(replica ? v('pg.replication.replay_lag_s') : worstLag, 30, 300)}
      />
      <Tile
        label="Databases"
        value={formatBytes(sizes.length ? totalSize : null)}
        detail={`${plural(sizes.length, 'database')} · temp ${formatBytes(v('pg.temp.bytes_ps'))}/s`}
      />
      <span className="sr-only">Is a replica: {formatBool(replica)}</span>
    </div>
  );
}
