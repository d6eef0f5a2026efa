// The metric catalogue: every series name a collector may emit, with its unit and words.
// Collectors, store and renderer use these names and nothing else.

export type Unit =
  | 'percent'
  | 'bytes'
  | 'bytes_per_s'
  | 'per_s'
  | 'ms'
  | 'seconds'
  | 'count'
  | 'celsius'
  | 'ratio'
  | 'bool';

export interface MetricInfo {
  unit: Unit;
  title: string;
  /** Label names this metric carries, in canonical order. */
  labels?: string[];
}

const m = (unit: Unit, title: string, labels?: string[]): MetricInfo => ({ unit, title, labels });

export const METRICS = {
  // Host: CPU
  'host.cpu.user': m('percent', 'CPU user'),
  'host.cpu.nice': m('percent', 'CPU nice'),
  'host.cpu.system': m('percent', 'CPU system'),
  'host.cpu.iowait': m('percent', 'CPU iowait'),
  'host.cpu.irq': m('percent', 'CPU irq'),
  'host.cpu.softirq': m('percent', 'CPU softirq'),
  'host.cpu.steal': m('percent', 'CPU steal'),
  'host.cpu.idle': m('percent', 'CPU idle'),
  'host.cpu.busy': m('percent', 'CPU busy'),
  'host.cpu.cores': m('count', 'CPU cores'),
  'host.load.1': m('ratio', 'Load 1 min'),
  'host.load.5': m('ratio', 'Load 5 min'),
  'host.load.15': m('ratio', 'Load 15 min'),
  /** Derived by the alert engine (load 1 / cores); not a stored series. */
  'host.load.per_core': m('ratio', 'Load per core'),
  'host.temp.celsius': m('celsius', 'Temperature', ['zone']),
  // Host: memory
  'host.mem.total': m('bytes', 'Memory total'),
  'host.mem.used': m('bytes', 'Memory used'),
  'host.mem.available': m('bytes', 'Memory available'),
  'host.mem.cached': m('bytes', 'Memory cached'),
  'host.mem.available_pct': m('percent', 'Memory available'),
  'host.swap.total': m('bytes', 'Swap total'),
  'host.swap.used': m('bytes', 'Swap used'),
  // Host: filesystems
  'host.fs.size': m('bytes', 'Filesystem size', ['mount', 'device', 'fstype']),
  'host.fs.used': m('bytes', 'Filesystem used', ['mount', 'device', 'fstype']),
  'host.fs.avail': m('bytes', 'Filesystem available', ['mount', 'device', 'fstype']),
  'host.fs.used_pct': m('percent', 'Filesystem used', ['mount', 'device', 'fstype']),
  'host.fs.inodes_used_pct': m('percent', 'Inodes used', ['mount', 'device', 'fstype']),
  // Host: disks
  'host.disk.read_iops': m('per_s', 'Disk reads', ['device']),
  'host.disk.write_iops': m('per_s', 'Disk writes', ['device']),
  'host.disk.read_bps': m('bytes_per_s', 'Disk read', ['device']),
  'host.disk.write_bps': m('bytes_per_s', 'Disk write', ['device']),
  'host.disk.await_ms': m('ms', 'Disk await', ['device']),
  'host.disk.util_pct': m('percent', 'Disk utilisation', ['device']),
  // Host: network
  'host.net.rx_bps': m('bytes_per_s', 'Received', ['iface']),
  'host.net.tx_bps': m('bytes_per_s', 'Sent', ['iface']),
  'host.net.rx_pps': m('per_s', 'Packets received', ['iface']),
  'host.net.tx_pps': m('per_s', 'Packets sent', ['iface']),
  'host.net.rx_errors_ps': m('per_s', 'Receive errors', ['iface']),
  'host.net.tx_errors_ps': m('per_s', 'Send errors', ['iface']),
  'host.net.rx_drops_ps': m('per_s', 'Receive drops', ['iface']),
  'host.net.tx_drops_ps': m('per_s', 'Send drops', ['iface']),
  // Host: system
  'host.uptime.seconds': m('seconds', 'Uptime'),
  'host.procs.count': m('count', 'Processes'),
  'host.procs.threads': m('count', 'Threads'),
  'host.procs.running': m('count', 'Running processes'),
  'host.procs.blocked': m('count', 'Blocked processes'),
  'host.tcp.conns': m('count', 'TCP connections', ['state']),
  // PostgreSQL
  'pg.up': m('bool', 'PostgreSQL up'),
  'pg.ping_ms': m('ms', 'Round trip'),
  'pg.connections': m('count', 'Connections', ['state']),
  'pg.connections.total': m('count', 'Connections'),
  'pg.connections.max': m('count', 'max_connections'),
  'pg.connections.used_pct': m('percent', 'Connections used'),
  'pg.xact.commit_ps': m('per_s', 'Commits'),
  'pg.xact.rollback_ps': m('per_s', 'Rollbacks'),
  'pg.tup.read_ps': m('per_s', 'Tuples read'),
  'pg.tup.written_ps': m('per_s', 'Tuples written'),
  'pg.cache.hit_pct': m('percent', 'Cache hit ratio'),
  'pg.temp.bytes_ps': m('bytes_per_s', 'Temp files'),
  'pg.deadlocks_ps': m('per_s', 'Deadlocks'),
  'pg.db.size_bytes': m('bytes', 'Database size', ['db']),
  'pg.locks': m('count', 'Locks', ['mode']),
  'pg.locks.waiting': m('count', 'Waiting sessions'),
  'pg.oldest_xact_s': m('seconds', 'Oldest transaction'),
  'pg.longest_query_s': m('seconds', 'Longest query'),
  'pg.idle_in_xact': m('count', 'Idle in transaction'),
  'pg.replication.is_replica': m('bool', 'Is a replica'),
  'pg.replication.replicas': m('count', 'Replicas'),
  'pg.replication.lag_bytes': m('bytes', 'Replica lag', ['replica']),
  'pg.replication.lag_s': m('seconds', 'Replica lag', ['replica']),
  'pg.replication.replay_lag_s': m('seconds', 'Replay lag (this replica)'),
  'pg.replication.slots_inactive': m('count', 'Inactive replication slots'),
  'pg.replication.slot_retained_bytes': m('bytes', 'WAL kept by slot', ['slot']),
  'pg.xid_age': m('count', 'Transaction id age'),
  'pg.checkpoints.timed_ps': m('per_s', 'Timed checkpoints'),
  'pg.checkpoints.req_ps': m('per_s', 'Requested checkpoints'),
  'pg.checkpoints.buffers_ps': m('per_s', 'Checkpoint buffers written'),
  'pg.backup.verified_age_s': m('seconds', 'Newest verified backup age'),
  'pg.backup.rpo_breached': m('bool', 'Newest verified backup older than RPO'),
  // Redis
  'redis.up': m('bool', 'Redis up'),
  'redis.ping_ms': m('ms', 'PING round trip'),
  'redis.mem.used': m('bytes', 'Used memory'),
  'redis.mem.peak': m('bytes', 'Peak memory'),
  'redis.mem.rss': m('bytes', 'RSS'),
  'redis.mem.fragmentation': m('ratio', 'Fragmentation'),
  'redis.mem.maxmemory': m('bytes', 'maxmemory'),
  'redis.mem.used_pct': m('percent', 'Memory of maxmemory'),
  'redis.ops_ps': m('per_s', 'Operations'),
  'redis.hit_pct': m('percent', 'Hit rate'),
  'redis.keys': m('count', 'Keys', ['db']),
  'redis.expires': m('count', 'Keys with TTL', ['db']),
  'redis.expired_ps': m('per_s', 'Expired keys'),
  'redis.evicted_ps': m('per_s', 'Evicted keys'),
  'redis.clients.connected': m('count', 'Connected clients'),
  'redis.clients.blocked': m('count', 'Blocked clients'),
  'redis.role.master': m('bool', 'Is master'),
  'redis.replicas': m('count', 'Connected replicas'),
  'redis.repl.offset_lag': m('bytes', 'Replica offset lag', ['replica']),
  'redis.rdb.last_save_age_s': m('seconds', 'Since last save'),
  'redis.rdb.last_bgsave_ok': m('bool', 'Last save ok'),
  'redis.rdb.changes_since_save': m('count', 'Changes since save'),
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRICS;

export function metricInfo(name: string): MetricInfo | undefined {
  return (METRICS as Record<string, MetricInfo>)[name];
}

/** Canonical series key: metric{a="x",b="y"} with labels sorted by name. */
export function seriesKey(metric: string, labels?: Record<string, string>): string {
  const names = Object.keys(labels ?? {}).sort();
  if (names.length === 0) return metric;
  const body = names.map((n) => `${n}=${JSON.stringify(labels![n])}`).join(',');
  return `${metric}{${body}}`;
}

/** The headline metric per target kind, drawn as the fleet sparkline. */
export const HEADLINE: Record<string, string> = {
  local: 'host.cpu.busy',
  ssh: 'host.cpu.busy',
  postgres: 'pg.connections.total',
  redis: 'redis.ops_ps',
};

/**
 * Key figures per target kind shown on the fleet overview. A key is a metric name, or
 * `metric:max` for the highest value over all of that metric's series (e.g. the fullest
 * filesystem). FleetEntry.figures is keyed by these strings.
 */
export const FIGURES: Record<string, string[]> = {
  local: [
    'host.cpu.busy',
    'host.mem.available_pct',
    'host.load.1',
    'host.cpu.cores',
    'host.fs.used_pct:max',
  ],
  ssh: [
    'host.cpu.busy',
    'host.mem.available_pct',
    'host.load.1',
    'host.cpu.cores',
    'host.fs.used_pct:max',
  ],
  postgres: [
    'pg.connections.used_pct',
    'pg.cache.hit_pct',
    'pg.replication.lag_s:max',
    'pg.xact.commit_ps',
  ],
  redis: ['redis.mem.used', 'redis.ops_ps', 'redis.hit_pct', 'redis.clients.connected'],
};
