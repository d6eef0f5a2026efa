// Backups against the harness servers: pg_dump from the workstation and on the database's
// SSH host, verification by a real test restore with row counts, a flipped byte caught,
// retention that keeps the newest verified backup, recovery objectives.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'pg';
import { careServices } from '../../src/main/care/api';
import type { Backup } from '../../src/shared/care';
import { postgresUnavailable, startPostgres, type PgCluster } from '../harness/postgres';
import { sshdUnavailable, startSshd, type Sshd } from '../harness/sshd';
import { addPg, call, pgClient, startApp, type TestApp } from './care-util';

const missing = postgresUnavailable() ?? sshdUnavailable();
if (missing) process.stdout.write(`# care backups skipped: ${missing}\n`);

describe('PostgreSQL backups', { skip: missing ?? false }, () => {
  let pg: PgCluster;
  let sshd: Sshd;
  let t: TestApp;
  let id: string;
  let admin: Client;
  let hostFolder: string;
  const taken: Backup[] = [];

  before(async () => {
    [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
    t = startApp();
    id = await addPg(t.app, pg, pg.superuser, 'pg-backup');
    admin = await pgClient(pg);
    await admin.query(
      'create table orders as select g as id, g * 2 as total from generate_series(1, 5000) g',
    );
    await admin.query(`create table "odd ""name""" as select 1 as a`);
    await admin.query('create table empty_t (a int)');
    hostFolder = mkdtempSync(join(tmpdir(), 'opsdeck-host-backups-'));
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    await t?.stop();
    await Promise.allSettled([pg?.stop(), sshd?.stop()]);
    rmSync(hostFolder, { recursive: true, force: true });
  });

  async function scratchLeft(): Promise<number> {
    const r = await admin.query(
      `select count(*)::int as n from pg_database where datname like 'opsdeck_verify_%'`,
    );
    return r.rows[0].n as number;
  }

  it('passes the version pre-flight on this workstation', async () => {
    const p = await call(t.app, 'careBackupPreflight', { targetId: id, mode: 'local' });
    assert.equal(p.ok, true, p.message);
    assert.ok((p.pgDumpMajor ?? 0) >= p.serverMajor);
  });

  it('takes a backup with size, checksum, contents and row figures', async () => {
    const b = await call(t.app, 'careStartBackup', { targetId: id, mode: 'local', confirm: true });
    assert.equal(b.status, 'succeeded', b.error ?? '');
    assert.ok(existsSync(b.path));
    assert.ok(!existsSync(`${b.path}.partial`));
    assert.ok((b.sizeBytes ?? 0) > 1000);
    assert.match(b.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.ok((b.tocEntries ?? 0) >= 3);
    const orders = b.tables.find((x) => x.name === 'orders');
    assert.equal(orders?.exactRows, 5000);
    assert.ok(b.tables.some((x) => x.name === 'odd "name"'));
    taken.push(b);
  });

  it('verifies it by a test restore into a scratch database, then drops it', async () => {
    const v = await call(t.app, 'careVerifyBackup', { backupId: taken[0].id });
    assert.equal(v.ok, true, v.reason ?? '');
    assert.equal(v.checksumOk, true);
    assert.equal(v.listOk, true);
    assert.equal(v.restoreOk, true);
    assert.match(v.scratchDatabase ?? '', /^opsdeck_verify_[a-z0-9]+_[a-z0-9]+$/);
    assert.ok((v.restoreMs ?? 0) > 0);
    const orders = v.tables.find((x) => x.name === 'orders');
    assert.deepEqual(orders, {
      schema: 'public',
      name: 'orders',
      expected: 5000,
      restored: 5000,
      ok: true,
    });
    assert.equal(v.tables.length, 3);
    assert.equal(await scratchLeft(), 0);
    const [listed] = await call(t.app, 'careListBackups', { targetId: id });
    assert.equal(listed.verification?.id, v.id);
  });

  it('fails verification of an archive with one byte flipped, saying why', async () => {
    const b = await call(t.app, 'careStartBackup', { targetId: id, mode: 'local', confirm: true });
    assert.equal(b.status, 'succeeded');
    taken.push(b);
    const bytes = readFileSync(b.path);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at] ^ 0xff;
    writeFileSync(b.path, bytes);
    const v = await call(t.app, 'careVerifyBackup', { backupId: b.id });
    assert.equal(v.ok, false);
    assert.equal(v.checksumOk, false);
    assert.match(v.reason ?? '', /SHA-256 .* changed or damaged/);
    assert.equal(v.restoreOk, null);
  });

  it('keeps the newest verified backup when retention runs', async () => {
    await call(t.app, 'careSavePolicy', {
      targetId: id,
      keepLast: 1,
      dailyDays: 0,
      weeklyWeeks: 0,
      rpoHours: 24,
      rtoHours: 1,
    });
    const r1 = await call(t.app, 'careRunRetention', { targetId: id, confirm: true });
    assert.deepEqual(r1.kept, [taken[1].id]);
    assert.deepEqual(r1.heldBack, [taken[0].id], 'the only verified backup is held back');
    assert.deepEqual(r1.deleted, []);
    assert.ok(existsSync(taken[0].path));

    const b3 = await call(t.app, 'careStartBackup', { targetId: id, mode: 'local', confirm: true });
    const v3 = await call(t.app, 'careVerifyBackup', { backupId: b3.id });
    assert.equal(v3.ok, true, v3.reason ?? '');
    const r2 = await call(t.app, 'careRunRetention', { targetId: id, confirm: true });
    assert.deepEqual(r2.kept, [b3.id]);
    assert.deepEqual(r2.deleted.sort(), [taken[0].id, taken[1].id].sort());
    assert.ok(!existsSync(taken[0].path) && !existsSync(taken[1].path));
    assert.ok(existsSync(b3.path));
    const audit = await call(t.app, 'auditLog', { limit: 50 });
    assert.ok(audit.filter((a) => a.action === 'backup-deleted').length >= 2);

    const [o] = (await call(t.app, 'careObjectives', {})).filter((x) => x.targetId === id);
    assert.equal(o.rpoOk, true);
    assert.equal(o.rtoOk, true);
    assert.equal(o.newestVerifiedAt, b3.startedAt);
    assert.equal(o.lastRestoreMs, v3.restoreMs);

    const target = t.app.store.getTarget(id)!;
    const figures = careServices.get(t.app)!.backups.roundFigures(target, Date.now());
    assert.deepEqual(
      figures.map((p) => p.metric),
      ['pg.backup.rpo_breached', 'pg.backup.verified_age_s'],
    );
    assert.equal(figures[0].value, 0);
    const rule = (await call(t.app, 'listRules', {})).find((r) => r.id === 'builtin-pg-backup-rpo');
    assert.equal(rule?.selector.metric, 'pg.backup.rpo_breached');
    const late = careServices.get(t.app)!.backups.roundFigures(target, Date.now() + 25 * 3_600_000);
    assert.equal(late[0].value, 1, 'older than the 24 h RPO a day later');
  });

  it('keeps no file when pg_dump fails halfway, and says why', async () => {
    await admin.query('create database faildb');
    const other = await pgClient(pg, 'faildb');
    try {
      await other.query(`create role dumper login password 'dumper-pw'`);
      await other.query('create table t (id serial primary key, v text)');
      await other.query(`insert into t (v) values ('a')`);
      await other.query('grant select on t to dumper');
    } finally {
      await other.end();
    }
    const dumper = await addPg(
      t.app,
      pg,
      { user: 'dumper', password: 'dumper-pw' },
      'pg-dumper',
      'faildb',
    );
    const folder = mkdtempSync(join(tmpdir(), 'opsdeck-failed-backup-'));
    try {
      const b = await call(t.app, 'careStartBackup', {
        targetId: dumper,
        mode: 'local',
        folder,
        confirm: true,
      });
      assert.equal(b.status, 'failed');
      assert.match(b.error ?? '', /pg_dump failed .*permission denied/s);
      assert.deepEqual(readdirSync(folder), [], 'neither the dump nor a partial file is kept');
      assert.equal(b.sha256, null);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('dumps on the database host over SSH and verifies there', async () => {
    const ssh = await call(t.app, 'saveTarget', {
      name: 'db-host',
      config: {
        kind: 'ssh',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        auth: 'key',
        keyPath: sshd.keyPath,
      },
    });
    const first = await call(t.app, 'testTarget', { id: ssh.id });
    assert.equal(first.hostKey?.fingerprint, sshd.hostKeyFingerprint);
    const ok = await call(t.app, 'acceptHostKey', {
      targetId: ssh.id,
      fingerprint: sshd.hostKeyFingerprint,
    });
    assert.equal(ok.ok, true, ok.message);
    const via = await addPg(t.app, pg, pg.superuser, 'pg-via-ssh', 'postgres', ssh.id);
    await assert.rejects(
      () => call(t.app, 'careStartBackup', { targetId: via, mode: 'host', confirm: true }),
      /Choose a folder/,
    );
    const b = await call(t.app, 'careStartBackup', {
      targetId: via,
      mode: 'host',
      folder: hostFolder,
      confirm: true,
    });
    assert.equal(b.status, 'succeeded', b.error ?? '');
    assert.ok(b.path.startsWith(hostFolder));
    assert.ok(existsSync(b.path));
    const leftovers = readdirSync(hostFolder);
    assert.deepEqual(leftovers, [b.path.slice(hostFolder.length + 1)], 'no password file is left');
    const v = await call(t.app, 'careVerifyBackup', { backupId: b.id });
    assert.equal(v.ok, true, v.reason ?? '');
    assert.equal(await scratchLeft(), 0);

    const h = await call(t.app, 'carePgHealth', { targetId: via });
    assert.equal(h.host.source, 'ssh');
    assert.ok((h.host.memoryBytes ?? 0) > 0 && (h.host.cores ?? 0) > 0);
    assert.ok(h.advice.some((a) => a.setting === 'shared_buffers' && a.severity !== 'info'));
    const plan = await call(t.app, 'carePlanMaintenance', {
      targetId: via,
      action: 'vacuum',
      scope: { kind: 'table', schema: 'public', name: 'orders' },
      options: { full: true },
    });
    const disk = plan.checks.find((c) => c.name === 'disk');
    assert.equal(disk?.status, 'ok', disk?.message);
    assert.ok((plan.freeDiskBytes ?? 0) > (plan.rewriteBytes ?? 0));

    const local = await call(t.app, 'careStartBackup', {
      targetId: via,
      mode: 'local',
      confirm: true,
    });
    assert.equal(local.status, 'succeeded', `through the tunnel: ${local.error ?? ''}`);
  });
});
