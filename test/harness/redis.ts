// A real redis-server for tests and benches: own config and folder, 127.0.0.1 at a random
// port (never the machine's 6379), optional password, ACL monitoring user and replica.
import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  findBinary,
  freePort,
  removeDir,
  runTool,
  spawnTracked,
  stopTracked,
  tempDir,
  waitFor,
} from './util';

const REDIS_SERVER = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';

export interface RedisOptions {
  replica?: boolean;
  /** true: a random password for the default user; a string: that password. */
  password?: boolean | string;
  /**
   * true: an ACL user `opsdeck` with monitoring rights only; a string: that user name.
   */
  aclUser?: boolean | string;
}

export interface RedisNode {
  host: '127.0.0.1';
  port: number;
  logPath: string;
}

export interface RedisServer extends RedisNode {
  /** The default user's password, when one was set. */
  password?: string;
  aclUser?: { user: string; password: string };
  replica?: RedisNode;
  /** Runs redis-cli as the default user against the primary (or a node). */
  cli(args: string[], node?: RedisNode): Promise<string>;
  stop(): Promise<void>;
}

/** The ACL of a monitoring user: connection commands and read-only diagnostics. */
export const MONITOR_ACL =
  'resetchannels -@all +@connection +info +ping +client|setname +client|list +slowlog|get ' +
  '+latency|latest +memory|stats +config|get +dbsize +select';

export function redisUnavailable(): string | null {
  if (!findBinary(REDIS_SERVER)) return `${REDIS_SERVER} is not installed`;
  if (!findBinary(REDIS_CLI)) return `${REDIS_CLI} is not installed`;
  return null;
}

function secret(): string {
  return randomBytes(15).toString('base64url');
}

export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  const why = redisUnavailable();
  if (why) throw new Error(`harness: ${why}`);
  const dir = tempDir('redis');
  const password = opts.password === true ? secret() : opts.password || undefined;
  const aclUser = opts.aclUser
    ? { user: opts.aclUser === true ? 'opsdeck' : opts.aclUser, password: secret() }
    : undefined;
  const running: ChildProcess[] = [];

  const cli = (args: string[], node?: RedisNode): Promise<string> =>
    runTool(
      REDIS_CLI,
      [
        '-h',
        '127.0.0.1',
        '-p',
        String((node ?? primary).port),
        '--no-auth-warning',
        ...(password ? ['-a', password] : []),
        ...args,
      ],
      {
        env: { PATH: '/usr/bin:/bin' },
      },
    );

  const startNode = async (name: string, extra: string[]): Promise<RedisNode> => {
    const port = await freePort();
    const logPath = join(dir, `${name}.log`);
    const conf = join(dir, `${name}.conf`);
    const lines = [
      `port ${port}`,
      'bind 127.0.0.1',
      'protected-mode yes',
      'daemonize no',
      `dir ${dir}`,
      `dbfilename ${name}.rdb`,
      'save ""',
      'appendonly no',
      // Start a replica's full sync at once instead of waiting 5 s for more replicas.
      'repl-diskless-sync-delay 0',
      `logfile ${logPath}`,
      `pidfile ${join(dir, `${name}.pid`)}`,
      password ? `requirepass ${password}` : '',
      aclUser ? `user ${aclUser.user} on >${aclUser.password} ~* ${MONITOR_ACL}` : '',
      ...extra,
    ];
    writeFileSync(conf, lines.filter(Boolean).join('\n') + '\n', { mode: 0o600 });
    const child = spawnTracked(REDIS_SERVER, [conf]);
    running.push(child);
    const node: RedisNode = { host: '127.0.0.1', port, logPath };
    await waitFor(
      `redis-server on 127.0.0.1:${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        return (await cli(['PING'], node)).trim() === 'PONG';
      },
      10_000,
      () => (existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-2000) : ''),
    );
    return node;
  };

  const stop = async (): Promise<void> => {
    for (const child of running.splice(0).reverse()) await stopTracked(child, 'SIGTERM', 5000);
    removeDir(dir);
  };

  let primary: RedisNode;
  try {
    primary = await startNode('primary', []);
    let replica: RedisNode | undefined;
    if (opts.replica) {
      replica = await startNode('replica', [
        `replicaof 127.0.0.1 ${primary.port}`,
        password ? `masterauth ${password}` : '',
      ]);
      await waitFor(
        'the Redis replica linked to its primary',
        async () => /master_link_status:up/.test(await cli(['INFO', 'replication'], replica)),
        15_000,
      );
    }
    return { ...primary, password, aclUser, replica, cli, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
