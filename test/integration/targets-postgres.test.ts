// PgTarget against a real PostgreSQL (primary + streaming replica) started by the
// harness, directly and through an SSH tunnel.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AuthFailed,
  CommandTimeout,
  ConnectTimeout,
  NotFound,
  QueryFailed,
  TargetUnreachable,
  ValidationError,
} from '../../src/main/errors';
import { KnownHosts } from '../../src/main/targets/known-hosts';
import { matchPgpass, parsePgpass } from '../../src/main/targets/pgpass';
import { PgTarget, parsePgUri, type PgTargetOptions } from '../../src/main/targets/postgres';
import { SshHost } from '../../src/main/targets/ssh';
import { startBlackhole } from '../harness/blackhole';
import { startPostgres, postgresUnavailable, type PgCluster } from '../harness/postgres';
import { startSshd, sshdUnavailable } from '../harness/sshd';
import { freePort } from '../harness/util';

const unavailable = postgresUnavailable();
if (unavailable) process.stdout.write(`# targets-postgres skipped: ${unavailable}\n`);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-pgtest-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('pgpass and URIs (pure)', () => {
  it('parses escapes, wildcards and comments; the first match wins', () => {
    const entries = parsePgpass(
      [
        '# comment',
        'db\\:host:5432:app:alice:pa\\:ss\\\\word',
        '*:*:*:bob:any',
        '*:*:*:*:fallback',
        'bad:line',
      ].join('\n'),
    );
    assert.equal(entries.length, 3);
    assert.equal(
      matchPgpass(entries, { host: 'db:host', port: 5432, database: 'app', user: 'alice' }),
      'pa:ss\\word',
    );
    assert.equal(matchPgpass(entries, { host: 'h', port: 1, database: 'd', user: 'bob' }), 'any');
    assert.equal(
      matchPgpass(entries, { host: 'h', port: 1, database: 'd', user: 'carol' }),
      'fallback',
    );
  });

  it('reads postgres:// and postgresql:// URIs', () => {
    assert.deepEqual(
      parsePgUri('postgresql://mon%40x:p%3Ass@db.example.org:6432/app?sslmode=require'),
      {
        host: 'db.example.org',
        port: 6432,
        user: 'mon@x',
        password: 'p:ss',
        database: 'app',
        sslmode: 'require',
      },
    );
    assert.deepEqual(parsePgUri('postgres://u@[::1]/d'), { host: '::1', user: 'u', database: 'd' });
    assert.throws(() => parsePgUri('mysql://x'), ValidationError);
    assert.throws(() => parsePgUri('postgres://a,b/db'), /several hosts/);
    assert.throws(() => parsePgUri('postgres://h/d?sslmode=allow'), /not supported/);
    assert.throws(() => new PgTarget({ uri: 'postgres://u@-oops/d' }), /starts with "-"/);
  });
});

describe('PgTarget against PostgreSQL', { skip: unavailable ?? false }, () => {
  let pg: PgCluster;
  const targets: PgTarget[] = [];
  const make = (opts: PgTargetOptions): PgTarget => {
    const t = new PgTarget({ connectTimeoutMs: 5000, ...opts });
    targets.push(t);
    return t;
  };
  const monitorOpts = (): PgTargetOptions => ({
    host: pg.host,
    port: pg.port,
    database: 'postgres',
    user: pg.monitor.user,
    password: pg.monitor.password,
    sslmode: 'disable',
  });

  before(async () => {
    pg = await startPostgres({ replica: true });
  });
  after(async () => {
    await Promise.all(targets.map((t) => t.close()));
    await pg?.stop();
  });

  it('connects by fields with the pg_monitor-only role and sets the session limits', async () => {
    const t = make({
      ...monitorOpts(),
      statementTimeoutMs: 4321,
      lockTimeoutMs: 1234,
      idleInTransactionTimeoutMs: 5678,
    });
    const { rows } = await t.query<{
      st: string;
      lt: string;
      it: string;
      app: string;
      su: boolean;
    }>(
      `SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt,
              current_setting('idle_in_transaction_session_timeout') AS it,
              current_setting('application_name') AS app,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su`,
    );
    assert.deepEqual(rows[0], {
      st: '4321ms',
      lt: '1234ms',
      it: '5678ms',
      app: 'opsdeck',
      su: false,
    });
    // pg_monitor is enough for the monitoring views, including other sessions' queries.
    const act = await t.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE query <> '<insufficient privilege>'",
    );
    assert.ok(Number(act.rows[0].n) >= 1);
    const stmts = await t.query('SELECT queryid, calls FROM pg_stat_statements LIMIT 1');
    assert.ok(Array.isArray(stmts.rows));
    // ...and nothing more.
    await assert.rejects(t.query('CREATE TABLE nope (x int)'), (e: unknown) => {
      assert.ok(e instanceof QueryFailed);
      assert.equal(e.code, '42501');
      assert.match(e.message, new RegExp(`${pg.monitor.user}@127\\.0\\.0\\.1:${pg.port}/postgres`));
      return true;
    });
  });

  it('binds parameters instead of splicing values', async () => {
    const t = make(monitorOpts());
    const evil = "x'); DROP TABLE pg_class; --";
    const { rows } = await t.query<{ v: string; n: number }>('SELECT $1::text AS v, $2::int AS n', [
      evil,
      7,
    ]);
    assert.deepEqual(rows[0], { v: evil, n: 7 });
  });

  it('connects by URI', async () => {
    const secret = encodeURIComponent(pg.monitor.password);
    const where = `127.0.0.1:${pg.port}/postgres?sslmode=disable`;
    const uri = `postgresql://${pg.monitor.user}:${secret}@${where}`;
    const t = make({ uri });
    assert.equal(
      (await t.query<{ u: string }>('SELECT current_user AS u')).rows[0].u,
      pg.monitor.user,
    );
    const t2 = make({
      uri: `postgres://${pg.monitor.user}@127.0.0.1:${pg.port}/postgres`,
      password: pg.monitor.password,
    });
    assert.equal((await t2.query<{ x: number }>('SELECT 1 AS x')).rows[0].x, 1);
  });

  it(
    'falls back from sslmode=prefer to plain, and refuses sslmode=require without ' + 'SSL',
    async () => {
      const t = make({ ...monitorOpts(), sslmode: 'prefer' });
      assert.equal(
        (
          await t.query<{ ssl: boolean }>(
            'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
          )
        ).rows[0].ssl,
        false,
      );
      const r = make({ ...monitorOpts(), sslmode: 'require' });
      await assert.rejects(r.query('SELECT 1'), /does not offer SSL/);
    },
  );

  it(
    'takes the password from a pgpass file (PGPASSFILE) and ignores one others can ' + 'read',
    async () => {
      const dir = tempDir();
      const file = join(dir, 'pgpass');
      writeFileSync(
        file,
        `# test\n127.0.0.1:${pg.port}:postgres:${pg.monitor.user}:${pg.monitor.password}\n`,
        { mode: 0o600 },
      );
      const old = process.env.PGPASSFILE;
      process.env.PGPASSFILE = file;
      after(() => {
        if (old === undefined) delete process.env.PGPASSFILE;
        else process.env.PGPASSFILE = old;
      });
      const t = make({ ...monitorOpts(), password: null });
      assert.equal(
        (await t.query<{ u: string }>('SELECT current_user AS u')).rows[0].u,
        pg.monitor.user,
      );

      chmodSync(file, 0o644);
      const loose = make({ ...monitorOpts(), password: null });
      await assert.rejects(loose.query('SELECT 1'), (e: unknown) => {
        assert.ok(e instanceof AuthFailed);
        assert.match(e.message, /chmod 600/);
        return true;
      });
      const none = make({ ...monitorOpts(), password: null, pgpassFile: join(dir, 'missing') });
      await assert.rejects(none.query('SELECT 1'), /none is stored/);
    },
  );

  it(
    'names the target and what to do: wrong password, missing database, refused, ' + 'timeout',
    async () => {
      await assert.rejects(
        make({ ...monitorOpts(), password: 'wrong' }).query('SELECT 1'),
        (e: unknown) => {
          assert.ok(e instanceof AuthFailed);
          assert.match(e.message, /refused the password/);
          assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${pg.port}`));
          return true;
        },
      );
      await assert.rejects(
        make({ ...monitorOpts(), database: 'no_such_db' }).query('SELECT 1'),
        (e: unknown) => {
          assert.ok(e instanceof NotFound);
          assert.match(e.message, /"no_such_db" does not exist/);
          return true;
        },
      );
      const closedPort = await freePort();
      await assert.rejects(
        make({ ...monitorOpts(), port: closedPort }).query('SELECT 1'),
        (e: unknown) => {
          assert.ok(e instanceof TargetUnreachable);
          assert.match(e.message, /refused/);
          return true;
        },
      );
      const hole = await startBlackhole();
      after(() => hole.stop());
      await assert.rejects(
        make({ ...monitorOpts(), port: hole.port, connectTimeoutMs: 500 }).query('SELECT 1'),
        ConnectTimeout,
      );
    },
  );

  it('cancels a long query with statement_timeout', async () => {
    const t = make({ ...monitorOpts(), statementTimeoutMs: 200 });
    await assert.rejects(t.query('SELECT pg_sleep(5)'), (e: unknown) => {
      assert.ok(e instanceof CommandTimeout);
      assert.match(e.message, /statement_timeout/);
      return true;
    });
    assert.equal((await t.query<{ x: number }>('SELECT 1 AS x')).rows[0].x, 1);
  });

  it('reconnects lazily after the session was terminated', async () => {
    const t = make(monitorOpts());
    const pid = (await t.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await pg.psql(`SELECT pg_terminate_backend(${pid});`);
    // Wait until the server has really let go of the session.
    for (let i = 0; i < 50; i++) {
      const left = await pg.psql(`SELECT count(*) FROM pg_stat_activity WHERE pid = ${pid};`);
      if (left.trim() === '0') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    let rows;
    try {
      rows = (await t.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    } catch (e) {
      // The drop may surface on this first query; the next one opens a new session.
      assert.ok(e instanceof TargetUnreachable, String(e));
      rows = (await t.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    }
    assert.notEqual(rows[0].pid, pid);
  });

  it('sees the streaming replica from both sides', async () => {
    assert.ok(pg.replica);
    const primary = make(monitorOpts());
    const { rows } = await primary.query<{ state: string }>(
      'SELECT state FROM pg_stat_replication',
    );
    assert.deepEqual(
      rows.map((r) => r.state),
      ['streaming'],
    );
    const replica = make({ ...monitorOpts(), port: pg.replica.port });
    const rec = await replica.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
    assert.equal(rec.rows[0].r, true);
  });

  it('reaches PostgreSQL through an SSH tunnel (forwardOut)', async (t) => {
    const why = sshdUnavailable();
    if (why) return t.skip(why);
    const sshd = await startSshd();
    after(() => sshd.stop());
    const dir = tempDir();
    const ssh = new SshHost({
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { method: 'key', keyPath: sshd.keyPath },
      knownHosts: new KnownHosts(join(dir, 'known_hosts')),
      acceptFingerprints: [sshd.hostKeyFingerprint],
    });
    after(() => ssh.close());
    const tunnelled = make({ ...monitorOpts(), via: ssh, targetName: 'db via ssh' });
    const { rows } = await tunnelled.query<{ u: string; addr: string }>(
      'SELECT current_user AS u, inet_client_addr()::text AS addr',
    );
    assert.equal(rows[0].u, pg.monitor.user);
    assert.equal(rows[0].addr, '127.0.0.1/32');
    // sshd saw the forward: the connection came through the SSH host.
    assert.match(sshd.readLog(), /Accepted publickey/);
    const { rows: twice } = await tunnelled.query<{ n: number }>('SELECT $1::int + 1 AS n', [41]);
    assert.equal(twice[0].n, 42);
    // A database port nobody listens on, seen from the SSH host: a named tunnel failure.
    const closedPort = await freePort();
    await assert.rejects(
      make({ ...monitorOpts(), port: closedPort, via: ssh }).query('SELECT 1'),
      (e: unknown) => {
        assert.match((e as Error).name, /TunnelFailed/);
        assert.match((e as Error).message, new RegExp(`127\\.0\\.0\\.1:${closedPort}`));
        return true;
      },
    );
  });
});
