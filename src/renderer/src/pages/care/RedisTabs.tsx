// Redis care tabs: memory breakdown with the maxmemory and eviction warnings, big keys and
// prefixes from a bounded SCAN, slow log and latency, clients, and persistence (BGSAVE, AOF).
import type { RedisHealth, RedisPersistence, RedisScanResult } from '../../../../shared/care';
import { memoryParts } from '../../care/logic';
import { ToneWord } from '../../components/CareBits';
import { RecordTable } from '../../components/SnapshotView';
import {
  formatBytes,
  formatCount,
  formatAgo,
  formatMs,
  formatPercent,
  formatRatio,
  formatWhen,
} from '../../format';

export function RedisWarnings({ health }: { health: RedisHealth }): React.ReactElement | null {
  if (health.warnings.length === 0) return null;
  return (
    <div className="notice notice-warn" role="status">
      <span className="notice-icon" aria-hidden="true">
        !
      </span>
      <ul className="plain-list">
        {health.warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}

export function MemoryTab({ health, now }: { health: RedisHealth; now: number }) {
  const m = health.memory;
  const parts = memoryParts(m.breakdown);
  // Below 64 MiB used, RSS is mostly the allocator's baseline: the ratio says nothing.
  const smallHeap = m.usedBytes < 64 * 1024 * 1024;
  return (
    <>
      <RedisWarnings health={health} />
      <div className="tiles">
        <div className="figure">
          <div className="figure-label">Used</div>
          <div className="figure-value">{formatBytes(m.usedBytes)}</div>
          <div className="figure-detail">
            peak {formatBytes(m.peakBytes)} · RSS {formatBytes(m.rssBytes)}
          </div>
        </div>
        <div className={`figure${m.maxmemoryBytes === 0 ? ' tone-warn' : ''}`}>
          <div className="figure-label">maxmemory</div>
          <div className="figure-value">
            {m.maxmemoryBytes === 0 ? 'not set' : formatBytes(m.maxmemoryBytes)}
          </div>
          <div className="figure-detail">
            policy <span className="mono">{m.policy}</span>
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">Fragmentation</div>
          <div className="figure-value">
            {smallHeap ? 'not meaningful' : formatRatio(m.fragmentationRatio)}
          </div>
          <div className="figure-detail">
            {smallHeap
              ? `ratio ${formatRatio(m.fragmentationRatio)}: below 64 MiB used, RSS is mostly overhead`
              : 'RSS / used'}
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">Hit rate</div>
          <div className="figure-value">
            {health.hitRate === null ? '—' : formatPercent(100 * health.hitRate)}
          </div>
          <div className="figure-detail">
            {health.hits + health.misses === 0
              ? 'no key lookups yet'
              : `${formatCount(health.hits)} hits · ${formatCount(health.misses)} misses`}
          </div>
        </div>
      </div>
      <RecordTable
        title="Where used memory goes (MEMORY STATS)"
        rows={parts.map((p) => ({
          part: p.part,
          bytes: p.bytes,
          share_of_used: m.usedBytes > 0 ? formatPercent((100 * p.bytes) / m.usedBytes) : '—',
          field: p.field,
        }))}
        now={now}
      />
      <RecordTable
        title="Keys per database"
        rows={Object.entries(health.keyspace).map(([db, keys]) => ({ db, keys }))}
        now={now}
      />
    </>
  );
}

export function KeysTab(props: {
  scan: RedisScanResult | null;
  scanning: boolean;
  onScan: () => void;
  now: number;
}): React.ReactElement {
  const s = props.scan;
  return (
    <>
      <section className="panel">
        <header className="panel-head">
          <h3>Big keys and prefixes</h3>
          <button
            type="button"
            className="primary"
            onClick={props.onScan}
            disabled={props.scanning}
          >
            {props.scanning ? 'Scanning…' : s ? 'Scan again' : 'Scan keys'}
          </button>
        </header>
        <p className="muted small">
          SCAN (never KEYS) with COUNT 200, at most 50,000 keys a second and 100,000 keys in all, so
          the server keeps answering others.
        </p>
        {s && (
          <p>
            <ToneWord tone={s.complete ? 'ok' : 'warn'}>
              {s.complete ? 'complete' : 'stopped at the bound'}
            </ToneWord>{' '}
            {formatCount(s.scanned)} keys looked at in {formatMs(s.durationMs)}; slowest server
            command meanwhile{' '}
            {s.slowestMicros === null ? 'not in the slow log' : formatMs(s.slowestMicros / 1000)}.
          </p>
        )}
      </section>
      {s && (
        <>
          <RecordTable
            title="Key-name prefixes"
            rows={s.prefixes.map((p) => ({ prefix: p.prefix, keys: p.keys, bytes: p.bytes }))}
            now={props.now}
          />
          <RecordTable
            title="Biggest keys"
            rows={s.bigKeys.map((k) => ({ key: k.key, type: k.type, bytes: k.bytes }))}
            now={props.now}
          />
        </>
      )}
    </>
  );
}

export function SlowlogTab({ health, now }: { health: RedisHealth; now: number }) {
  return (
    <>
      <RecordTable
        title="Slow log"
        rows={health.slowlog.map((e) => ({
          id: e.id,
          at: formatWhen(e.t, now),
          duration_ms: e.micros / 1000,
          command: e.command.join(' '),
          client: e.client,
        }))}
        now={now}
      />
      <section className="panel" aria-label="Latency">
        <header className="panel-head">
          <h3>Latency events</h3>
        </header>
        {health.latencyThresholdMs === 0 ? (
          <p className="muted">
            latency-monitor-threshold is 0, so Redis records no latency history. The fix:{' '}
            <code>CONFIG SET latency-monitor-threshold 100</code>
          </p>
        ) : health.latency.length === 0 ? (
          <p className="muted">
            No event above {formatMs(health.latencyThresholdMs)} (latency-monitor-threshold).
          </p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Latest</th>
                <th scope="col">Latest ms</th>
                <th scope="col">Max ms</th>
                <th scope="col">Samples</th>
              </tr>
            </thead>
            <tbody>
              {health.latency.map((l) => (
                <tr key={l.event}>
                  <td className="mono">{l.event}</td>
                  <td>{formatWhen(l.latestAt, now)}</td>
                  <td className="num">{formatMs(l.latestMs)}</td>
                  <td className="num">{formatMs(l.maxMs)}</td>
                  <td className="num">{l.history.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export function ClientsTab({ health, now }: { health: RedisHealth; now: number }) {
  return (
    <RecordTable
      title="Clients"
      rows={health.clients.map((c) => ({
        id: c.id,
        addr: c.addr,
        name: c.name,
        age: c.ageS,
        idle_duration: c.idleS,
        db: c.db,
        cmd: c.cmd,
        flags: c.flags,
      }))}
      now={now}
    />
  );
}

export function PersistenceTab(props: {
  p: RedisPersistence;
  now: number;
  busy: boolean;
  onBgsave: () => void;
}): React.ReactElement {
  const { p, now } = props;
  const saveOk = p.lastBgsaveStatus === null ? null : p.lastBgsaveStatus === 'ok';
  return (
    <>
      <div className="tiles">
        <div className={`figure${saveOk === false ? ' tone-bad' : ''}`}>
          <div className="figure-label">Last save</div>
          <div className="figure-value">
            {p.lastSaveAt === null ? 'never' : formatAgo(p.lastSaveAt, now)}
          </div>
          <div className="figure-detail">
            <ToneWord tone={saveOk === null ? 'unknown' : saveOk ? 'ok' : 'bad'}>
              last BGSAVE {p.lastBgsaveStatus ?? 'unknown'}
            </ToneWord>{' '}
            · {formatCount(p.changesSinceSave)} changes since
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">AOF</div>
          <div className="figure-value">{p.aofEnabled ? 'on' : 'off'}</div>
          <div className="figure-detail">
            {p.aofEnabled
              ? `last write ${p.aofLastWriteStatus ?? '—'} · last rewrite ${p.aofLastRewriteStatus ?? '—'}${p.aofRewriteInProgress ? ' · rewrite running' : ''}`
              : 'only RDB snapshots protect the data'}
          </div>
        </div>
      </div>
      <section className="panel">
        <header className="panel-head">
          <h3>Snapshot now</h3>
          <button
            type="button"
            className="primary"
            onClick={props.onBgsave}
            disabled={props.busy || p.bgsaveInProgress}
          >
            {p.bgsaveInProgress ? 'BGSAVE running…' : 'BGSAVE…'}
          </button>
        </header>
        <p className="muted small">
          BGSAVE forks the server to write the RDB file; Opsdeck waits until it ends and shows the
          outcome.
        </p>
      </section>
    </>
  );
}
