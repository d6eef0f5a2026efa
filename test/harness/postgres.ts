// A real PostgreSQL cluster for tests and benches: initdb as the `postgres` OS user into
// a temp folder it owns, 127.0.0.1 at a random port, its socket in the temp folder,
// pg_stat_statements preloaded, a `monitor` role with only pg_monitor, and optionally a
// streaming replica made with pg_basebackup -R. Never the machine's own server on 5432.
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  appendFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, removeDir, runTool, spawnTracked, stopTracked, tempDir, waitFor } from './util';

export interface PgNode {
  host: '127.0.0.1';
  port: number;
  dataDir: string;
  logPath: string;
}

export interface PgRole {
  user: string;
  password: string;
}

export interface PgCluster {
  host: '127.0.0.1';
  /** The primary's port. */
  port: number;
  database: 'postgres';
  primary: PgNode;
  replica?: PgNode;
  superuser: PgRole;
  /** A login role holding only pg_monitor. */
  monitor: PgRole;
  /** The unix socket folder (trust for the postgres OS user). */
  socketDir: string;
  /** Runs SQL as the superuser through psql; returns unaligned tuples-only output. */
  psql(sql: string, node?: PgNode): Promise<string>;
  stop(): Promise<void>;
}

export interface PgOptions {
  replica?: boolean;
}

/** The newest installed PostgreSQL bin folder, or null. */
export function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

function postgresUser(): { uid: number; gid: number } | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (!line) return null;
    const f = line.split(':');
    return { uid: Number(f[2]), gid: Number(f[3]) };
  } catch {
    return null;
  }
}

/** Why PostgreSQL cannot run here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (!pgBinDir()) return 'no PostgreSQL server binaries under /usr/lib/postgresql';
  if (process.getuid?.() !== 0)
    return 'the harness needs root to run PostgreSQL as the postgres user';
  if (!postgresUser()) return 'there is no postgres OS user';
  return null;
}

function secret(): string {
  return randomBytes(15).toString('base64url');
}

export async function startPostgres(opts: PgOptions = {}): Promise<PgCluster> {
  const why = postgresUnavailable();
  if (why) throw new Error(`harness: ${why}`);
  const bin = pgBinDir() as string;
  const owner = postgresUser() as { uid: number; gid: number };
  const root = tempDir('pg');
  chownSync(root, owner.uid, owner.gid);
  const socketDir = join(root, 'sock');
  mkdirSync(socketDir, { mode: 0o700 });
  chownSync(socketDir, owner.uid, owner.gid);
  const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: root, LC_ALL: 'C', PGTZ: 'UTC' };
  const asPostgres = { uid: owner.uid, gid: owner.gid, env, cwd: root };

  const superuser: PgRole = { user: 'postgres', password: secret() };
  const monitor: PgRole = { user: 'opsdeck_monitor', password: secret() };
  const replicator: PgRole = { user: 'opsdeck_replicator', password: secret() };
  const running: { child: ChildProcess; node: PgNode }[] = [];

  const psql = (sql: string, node?: PgNode): Promise<string> =>
    runTool(
      join(bin, 'psql'),
      [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        socketDir,
        '-p',
        String((node ?? primary).port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-f',
        '-',
      ],
      { ...asPostgres, input: sql },
    );

  const startNode = async (dataDir: string, port: number): Promise<PgNode> => {
    const logPath = join(root, `${port}.log`);
    const fd = openSync(logPath, 'a', 0o644);
    chownSync(logPath, owner.uid, owner.gid);
    const child = spawnTracked(join(bin, 'postgres'), ['-D', dataDir], {
      ...asPostgres,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const node: PgNode = { host: '127.0.0.1', port, dataDir, logPath };
    running.push({ child, node });
    await waitFor(
      `PostgreSQL on 127.0.0.1:${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
        await runTool(
          join(bin, 'pg_isready'),
          ['-q', '-h', socketDir, '-p', String(port)],
          asPostgres,
        );
        return true;
      },
      30_000,
      () => readFileSync(logPath, 'utf8').slice(-2000),
    );
    return node;
  };

  const stop = async (): Promise<void> => {
    // Replica first, then the primary; SIGINT is PostgreSQL's fast shutdown.
    for (const r of running.splice(0).reverse()) await stopTracked(r.child, 'SIGINT', 10_000, true);
    removeDir(root);
  };

  let primary: PgNode;
  try {
    const dataDir = join(root, 'primary');
    const pwfile = join(root, 'pwfile');
    writeFileSync(pwfile, superuser.password + '\n', { mode: 0o600 });
    chownSync(pwfile, owner.uid, owner.gid);
    await runTool(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${pwfile}`,
        '-E',
        'UTF8',
        '--locale=C',
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--no-sync',
      ],
      asPostgres,
    );
    const port = await freePort();
    appendFileSync(join(dataDir, 'postgresql.conf'), nodeConf(port, socketDir));
    appendFileSync(
      join(dataDir, 'pg_hba.conf'),
      'host replication opsdeck_replicator 127.0.0.1/32 scram-sha-256\n',
    );
    primary = await startNode(dataDir, port);
    await psql(
      [
        `CREATE ROLE ${monitor.user} LOGIN PASSWORD '${monitor.password}';`,
        `GRANT pg_monitor TO ${monitor.user};`,
        `CREATE ROLE ${replicator.user} LOGIN REPLICATION PASSWORD '${replicator.password}';`,
        'CREATE EXTENSION IF NOT EXISTS pg_stat_statements;',
      ].join('\n'),
    );
    let replica: PgNode | undefined;
    if (opts.replica) replica = await startReplica();
    return {
      host: '127.0.0.1',
      port: primary.port,
      database: 'postgres',
      primary,
      replica,
      superuser,
      monitor,
      socketDir,
      psql,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }

  async function startReplica(): Promise<PgNode> {
    const dataDir = join(root, 'replica');
    await runTool(
      join(bin, 'pg_basebackup'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(primary.port),
        '-U',
        replicator.user,
        '-D',
        dataDir,
        '-R',
        '-X',
        'stream',
        '--checkpoint=fast',
        '--no-sync',
      ],
      { ...asPostgres, env: { ...env, PGPASSWORD: replicator.password } },
    );
    const port = await freePort();
    appendFileSync(join(dataDir, 'postgresql.conf'), nodeConf(port, socketDir));
    const node = await startNode(dataDir, port);
    await waitFor(
      'the replica streaming from the primary',
      async () =>
        (
          await psql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming';")
        ).trim() === '1',
      30_000,
    );
    return node;
  }
}

function nodeConf(port: number, socketDir: string): string {
  return [
    '',
    '# opsdeck test harness',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir}'`,
    "shared_preload_libraries = 'pg_stat_statements'",
    'wal_level = replica',
    'max_wal_senders = 5',
    'hot_standby = on',
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 16MB',
    'max_connections = 40',
    "log_min_messages = 'warning'",
    '',
  ].join('\n');
}
