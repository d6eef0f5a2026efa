// Database care benchmarks: the PostgreSQL health snapshot (activity, statements, tables and
// indexes with bloat, replication, advice) on a database of 1,000 tables, and the Redis SCAN
// analysis (MEMORY USAGE per key, pipelined per batch, TYPE for the biggest) with the slow log watched for
// any command over 10 ms. OPSDECK_BENCH_REDIS_KEYS sets the key count (default 1,000,000).
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';
import { pgHealth } from '../src/main/care/pg-health';
import { redisScan } from '../src/main/care/redis-care';
import { setLogLevel } from '../src/main/log';
import { PgTarget } from '../src/main/targets/postgres';
import { RedisTarget } from '../src/main/targets/redis';
import type { Target } from '../src/shared/types';
import { postgresUnavailable, startPostgres } from '../test/harness/postgres';
import { redisUnavailable, startRedis } from '../test/harness/redis';

const TABLES = 1000;
const SNAPSHOTS = 5;
const REDIS_KEYS = Number(process.env.OPSDECK_BENCH_REDIS_KEYS ?? 1_000_000);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fakeTarget(kind: 'postgres' | 'redis', port: number): Target {
  const config =
    kind === 'postgres'
      ? ({
          kind,
          host: '127.0.0.1',
          port,
          database: 'postgres',
          user: 'postgres',
          sslmode: 'disable',
        } as const)
      : ({ kind, host: '127.0.0.1', port, tls: false, db: 0 } as const);
  return {
    id: `bench-${kind}`,
    name: `bench ${kind}`,
    group: '',
    intervalMs: 10_000,
    enabled: true,
    config,
    hasSecret: false,
    createdAt: 0,
  };
}

async function benchPostgres(): Promise<void> {
  const why = postgresUnavailable();
  if (why) {
    process.stdout.write(`care health snapshot: skipped (${why})\n`);
    return;
  }
  const pg = await startPostgres();
  const sql = new PgTarget({
    host: pg.host,
    port: pg.port,
    database: 'postgres',
    user: pg.superuser.user,
    password: pg.superuser.password,
    sslmode: 'disable',
    statementTimeoutMs: 120_000,
  });
  try {
    const ddl: string[] = [];
    for (let i = 0; i < TABLES; i++) {
      ddl.push(
        `create table bench_t${i} (id int primary key, v text, n int);`,
        `create index bench_t${i}_n on bench_t${i} (n);`,
        `insert into bench_t${i} select g, 'x', g % 7 from generate_series(1, 20) g;`,
      );
    }
    await pg.psql(ddl.join('\n'));
    await pg.psql('analyze;');
    const target = fakeTarget('postgres', pg.port);
    await pgHealth(target, sql, null, Date.now);
    const times: number[] = [];
    let tables = 0;
    for (let i = 0; i < SNAPSHOTS; i++) {
      const started = performance.now();
      const h = await pgHealth(target, sql, null, Date.now);
      times.push(performance.now() - started);
      tables = h.tables.length;
      if (h.problems.length) throw new Error(`health problems: ${h.problems.join('; ')}`);
    }
    process.stdout.write(
      `care health snapshot (${tables} tables, ${TABLES * 2} indexes) median: ${median(times).toFixed(0)} ms (goal: < 1000 ms)\n`,
    );
  } finally {
    await sql.close();
    await pg.stop();
  }
}

async function benchRedis(): Promise<void> {
  const why = redisUnavailable();
  if (why) {
    process.stdout.write(`care Redis SCAN analysis: skipped (${why})\n`);
    return;
  }
  const server = await startRedis();
  const direct = new Redis({ host: server.host, port: server.port, lazyConnect: true });
  const r = new RedisTarget({
    host: server.host,
    port: server.port,
    tls: false,
    db: 0,
    commandTimeoutMs: 30_000,
  });
  try {
    await direct.connect();
    const loadStarted = performance.now();
    for (let start = 0; start < REDIS_KEYS; start += 10_000) {
      const p = direct.pipeline();
      for (let i = start; i < Math.min(REDIS_KEYS, start + 10_000); i++)
        p.set(`p${i % 50}:${i}`, 'value');
      await p.exec();
    }
    const loadMs = performance.now() - loadStarted;
    await direct.config('SET', 'slowlog-log-slower-than', '10000');
    await direct.slowlog('RESET');
    const res = await redisScan(fakeTarget('redis', server.port), r, {
      maxKeys: REDIS_KEYS + 1,
      count: 200,
      keysPerSecond: 1_000_000,
      top: 50,
    });
    const slow = (await direct.slowlog('GET', 128)) as unknown[][];
    for (const e of slow.slice(0, 5)) {
      process.stdout.write(`#   slow: ${String(e[2])} µs ${JSON.stringify(e[3]).slice(0, 80)}\n`);
    }
    process.stdout.write(
      `care Redis keys loaded: ${REDIS_KEYS} in ${(loadMs / 1000).toFixed(1)} s\n` +
        `care Redis SCAN analysis (${res.scanned} keys, MEMORY USAGE each, COUNT 200): ${(res.durationMs / 1000).toFixed(2)} s (goal: < 10 s for 1,000,000)\n` +
        `care Redis scan rate: ${Math.round(res.scanned / (res.durationMs / 1000))} keys/s\n` +
        `care Redis slow log entries over 10 ms during the scan: ${slow.length} (goal: 0)\n`,
    );
  } finally {
    direct.disconnect();
    await r.close();
    await server.stop();
  }
}

export async function run(): Promise<void> {
  setLogLevel('warn');
  await benchPostgres();
  await benchRedis();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
