// The harness servers as Opsdeck targets: the configuration a person would type for the
// loopback sshd (key auth), the PostgreSQL cluster (its superuser, no TLS) and Redis.
import type {
  PostgresTargetConfig,
  RedisTargetConfig,
  SshTargetConfig,
} from '../../src/shared/types';
import type { PgCluster } from './postgres';
import type { RedisServer } from './redis';
import type { Sshd } from './sshd';

export function sshTargetConfig(sshd: Sshd): SshTargetConfig {
  return {
    kind: 'ssh',
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: 'key',
    keyPath: sshd.keyPath,
  };
}

export function pgTargetConfig(pg: PgCluster): PostgresTargetConfig {
  return {
    kind: 'postgres',
    host: pg.host,
    port: pg.port,
    database: pg.database,
    user: pg.superuser.user,
    sslmode: 'disable',
  };
}

export function redisTargetConfig(redis: RedisServer): RedisTargetConfig {
  return { kind: 'redis', host: redis.host, port: redis.port, tls: false, db: 0 };
}
