// The default rule pack, shipped enabled. Ids are stable so a later Opsdeck can tell its own
// rules apart from the operator's. The rule on the newest verified backup watches a series
// emitted only for targets with a recovery point objective (database care, backups).
import type { AlertRule } from '../../shared/alerts';
import { HOUR_MS } from './conditions';

const MIN = 60_000;
const DAY = 24 * HOUR_MS;
const MIB = 1024 * 1024;

type PackRule = Omit<AlertRule, 'enabled' | 'builtin'>;

const RULES: PackRule[] = [
  {
    id: 'builtin-disk-full',
    name: 'Disk space above 90 %',
    selector: { metric: 'host.fs.used_pct' },
    condition: { kind: 'threshold', op: '>', value: 90 },
    forMs: 5 * MIN,
    severity: 'critical',
    message: '{{labels.mount}} on {{target}} is {{value}} full',
    action:
      'Find what grew (du -xh --max-depth=2 on the mount), remove or rotate old logs, ' +
      'backups and temp files, or grow the filesystem.',
  },
  {
    id: 'builtin-disk-forecast',
    name: 'Disk full within 7 days',
    selector: { metric: 'host.fs.used_pct' },
    condition: { kind: 'forecast', limit: 100, windowMs: 12 * HOUR_MS, horizonMs: 7 * DAY },
    forMs: 30 * MIN,
    severity: 'warning',
    message: '{{labels.mount}} on {{target}} ({{value}} used) will be full around {{projected}}',
    action:
      'Look at what is growing on this mount and plan the cleanup or resize before the ' +
      'projected date; check log rotation and backup retention first.',
  },
  {
    id: 'builtin-inodes',
    name: 'Inodes above 90 %',
    selector: { metric: 'host.fs.inodes_used_pct' },
    condition: { kind: 'threshold', op: '>', value: 90 },
    forMs: 5 * MIN,
    severity: 'critical',
    message: '{{labels.mount}} on {{target}} has used {{value}} of its inodes',
    action:
      'Find the directory with millions of small files (session or cache folders, mail ' +
      'queues) and clean it; new files cannot be created once inodes run out.',
  },
  {
    id: 'builtin-memory',
    name: 'Memory available below 10 %',
    selector: { metric: 'host.mem.available_pct' },
    condition: { kind: 'threshold', op: '<', value: 10 },
    forMs: 5 * MIN,
    severity: 'warning',
    message: 'Only {{value}} of memory is available on {{target}}',
    action:
      'Find the largest processes (ps aux --sort=-rss | head); restart a leaking service or ' +
      'add memory before the OOM killer picks a victim.',
  },
  {
    id: 'builtin-swap-rising',
    name: 'Swap in use and rising',
    selector: { metric: 'host.swap.used' },
    condition: { kind: 'rate', op: '>', perHour: 64 * MIB, windowMs: HOUR_MS },
    forMs: 15 * MIN,
    severity: 'warning',
    message: 'Swap use on {{target}} is growing by {{value}}',
    action:
      'The host is short of memory: find what grows (ps aux --sort=-rss) and relieve it ' +
      'before everything slows down on swap.',
  },
  {
    id: 'builtin-load',
    name: 'Load per core above 2',
    selector: { metric: 'host.load.per_core' },
    condition: { kind: 'threshold', op: '>', value: 2 },
    forMs: 15 * MIN,
    severity: 'warning',
    message: 'Load on {{target}} is {{value}} per core',
    action:
      'Check top for CPU hogs and iowait; a high load with idle CPUs means processes wait ' +
      'on disk or network.',
  },
  {
    // Absent rather than status-driven: the same rule type that catches a dead collector,
    // evaluated on the timer when no round comes at all, and its state survives restarts.
    id: 'builtin-host-unreachable',
    name: 'Host unreachable',
    selector: { metric: 'host.uptime.seconds' },
    condition: { kind: 'absent', intervals: 2 },
    forMs: 0,
    severity: 'critical',
    message: '{{target}} has not answered for two collection intervals',
    action:
      'Check the host is up and sshd runs (console or provider dashboard), then the ' +
      "network path; the target's status shows the last connection error.",
  },
  {
    id: 'builtin-pg-down',
    name: 'PostgreSQL down',
    selector: { metric: 'pg.up' },
    condition: { kind: 'threshold', op: '<', value: 0.5 },
    forMs: 0,
    severity: 'critical',
    message: 'PostgreSQL on {{target}} does not answer',
    action:
      'Check the server is running (systemctl status postgresql) and read its log for the ' +
      'reason it stopped or refuses connections.',
  },
  {
    id: 'builtin-pg-connections',
    name: 'PostgreSQL connections above 80 % of max',
    selector: { metric: 'pg.connections.used_pct' },
    condition: { kind: 'threshold', op: '>', value: 80 },
    forMs: 5 * MIN,
    severity: 'warning',
    message: '{{target}} uses {{value}} of max_connections',
    action:
      'Look for idle or idle-in-transaction sessions and a leaking pool; put a pooler ' +
      '(PgBouncer) in front before raising max_connections.',
  },
  {
    id: 'builtin-pg-replica-lag',
    name: 'Replica lag above 60 s',
    selector: { metric: 'pg.replication.lag_s' },
    condition: { kind: 'threshold', op: '>', value: 60 },
    forMs: 2 * MIN,
    severity: 'warning',
    message: 'Replica {{labels.replica}} of {{target}} is {{value}} behind',
    action:
      'Check the replica host (disk, CPU, network) and long queries on it holding replay ' +
      'back; reads from it are stale meanwhile.',
  },
  {
    id: 'builtin-pg-replica-gone',
    name: 'PostgreSQL replica disconnected',
    selector: { metric: 'pg.replication.lag_bytes' },
    condition: { kind: 'absent', intervals: 2 },
    forMs: 0,
    severity: 'critical',
    message: 'Replica {{labels.replica}} of {{target}} is no longer connected',
    action:
      'Check the replica server runs and can reach the primary (pg_stat_wal_receiver, its ' +
      'log); until it is back there is no standby to fail over to.',
  },
  {
    id: 'builtin-pg-old-xact',
    name: 'Oldest transaction older than 1 h',
    selector: { metric: 'pg.oldest_xact_s' },
    condition: { kind: 'threshold', op: '>', value: 3600 },
    forMs: MIN,
    severity: 'warning',
    message: 'A transaction on {{target}} has been open for {{value}}',
    action:
      'Find it in pg_stat_activity (xact_start) and ask its owner, or end it with ' +
      'pg_terminate_backend; it blocks vacuum and bloats tables meanwhile.',
  },
  {
    id: 'builtin-pg-xid-age',
    name: 'Transaction id age above 1.2 billion',
    selector: { metric: 'pg.xid_age' },
    condition: { kind: 'threshold', op: '>', value: 1_200_000_000 },
    forMs: MIN,
    severity: 'critical',
    message: 'The oldest unfrozen transaction id on {{target}} is {{value}} transactions old',
    action:
      'Wraparound stops all writes near 2 billion. Find the database and tables with the ' +
      'oldest relfrozenxid, end long transactions and stale prepared transactions, and run ' +
      'VACUUM (FREEZE) on them.',
  },
  {
    id: 'builtin-pg-slot-inactive',
    name: 'Inactive replication slot',
    selector: { metric: 'pg.replication.slots_inactive' },
    condition: { kind: 'threshold', op: '>', value: 0 },
    forMs: 10 * MIN,
    severity: 'warning',
    message: '{{target}} has {{value}} inactive replication slot(s) holding WAL',
    action:
      'An inactive slot keeps every WAL file until its consumer returns, and can fill the ' +
      'disk. Bring the replica or consumer back, or drop the slot with ' +
      'pg_drop_replication_slot once you are sure it is abandoned.',
  },
  {
    id: 'builtin-pg-backup-rpo',
    name: 'Newest verified backup older than the RPO',
    selector: { metric: 'pg.backup.rpo_breached' },
    condition: { kind: 'threshold', op: '>', value: 0.5 },
    forMs: 5 * MIN,
    severity: 'critical',
    message: 'The newest verified backup of {{target}} is older than its RPO, or there is none',
    action:
      'Take a backup and verify it (Backups tab) now; then find why scheduled backups or ' +
      'their verification stopped: pg_dump version, disk space, credentials.',
  },
  {
    id: 'builtin-pg-cache-hit',
    name: 'Cache hit ratio below 95 %',
    selector: { metric: 'pg.cache.hit_pct' },
    condition: { kind: 'threshold', op: '<', value: 95 },
    forMs: 15 * MIN,
    severity: 'info',
    message: 'Cache hit ratio on {{target}} is {{value}}',
    action:
      'The working set no longer fits shared_buffers and the page cache: look for new ' +
      'sequential scans (missing indexes) or plan more memory.',
  },
  {
    id: 'builtin-redis-down',
    name: 'Redis down',
    selector: { metric: 'redis.up' },
    condition: { kind: 'threshold', op: '<', value: 0.5 },
    forMs: 0,
    severity: 'critical',
    message: 'Redis on {{target}} does not answer PING',
    action: 'Check the redis-server process and its log; clients fail or fall back meanwhile.',
  },
  {
    id: 'builtin-redis-memory',
    name: 'Redis memory above 90 % of maxmemory',
    selector: { metric: 'redis.mem.used_pct' },
    condition: { kind: 'threshold', op: '>', value: 90 },
    forMs: 5 * MIN,
    severity: 'warning',
    message: 'Redis on {{target}} uses {{value}} of maxmemory',
    action:
      'Find the big keys (redis-cli --bigkeys), check TTLs are set, or raise maxmemory; ' +
      'at the limit Redis evicts or refuses writes.',
  },
  {
    id: 'builtin-redis-evictions',
    name: 'Redis evicting keys',
    selector: { metric: 'redis.evicted_ps' },
    condition: { kind: 'threshold', op: '>', value: 0 },
    forMs: 5 * MIN,
    severity: 'warning',
    message: 'Redis on {{target}} evicts {{value}} keys',
    action:
      'Memory is full and keys are dropped: raise maxmemory or reduce what is stored; ' +
      'check the eviction policy matches how the data is used.',
  },
  {
    id: 'builtin-redis-rdb-failed',
    name: 'Redis RDB save failed',
    selector: { metric: 'redis.rdb.last_bgsave_ok' },
    condition: { kind: 'threshold', op: '<', value: 0.5 },
    forMs: 0,
    severity: 'critical',
    message: 'The last RDB save on {{target}} failed',
    action:
      'Read the Redis log for the cause (disk full, fork failed for lack of memory); with ' +
      'stop-writes-on-bgsave-error Redis refuses writes until a save succeeds.',
  },
  {
    id: 'builtin-redis-replica-gone',
    name: 'Redis replica disconnected',
    selector: { metric: 'redis.repl.offset_lag' },
    condition: { kind: 'absent', intervals: 2 },
    forMs: 0,
    severity: 'critical',
    message: 'Replica {{labels.replica}} of Redis {{target}} is no longer connected',
    action:
      'Check the replica process and its log (master_link_status in INFO replication); ' +
      'until it is back there is no copy to fail over to.',
  },
];

export function defaultRules(): AlertRule[] {
  return RULES.map((r) => ({ ...r, enabled: true, builtin: true }));
}

/** Series computed from others at evaluation time (no collector emits them). */
export const DERIVED: Record<string, { num: string; den: string }> = {
  'host.load.per_core': { num: 'host.load.1', den: 'host.cpu.cores' },
};
