// The test harness: real servers on 127.0.0.1 for integration tests, e2e tests and
// benches. Each start* waits until the server answers (with a deadline and the server's
// log in the error), and stop() kills its processes and removes its temp folder; anything
// left is killed and removed when the process exits.
export { startBlackhole, type Blackhole } from './blackhole';
export { HOSTILE_STRINGS } from './hostile-strings';
export {
  pgBinDir,
  postgresUnavailable,
  startPostgres,
  type PgCluster,
  type PgNode,
  type PgOptions,
  type PgRole,
} from './postgres';
export {
  MONITOR_ACL,
  redisUnavailable,
  startRedis,
  type RedisNode,
  type RedisOptions,
  type RedisServer,
} from './redis';
export {
  sshdUnavailable,
  startSshAgent,
  startSshd,
  type Sshd,
  type SshAgent,
  type SshdOptions,
  type SshdPasswordUser,
} from './sshd';
export { freePort, portOpen, waitFor } from './util';
