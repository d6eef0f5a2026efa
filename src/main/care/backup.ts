// Backups of PostgreSQL targets: pg_dump -Fc on the database's SSH host or on the
// workstation (through the tunnel when the database has one), after a version pre-flight;
// size, duration, SHA-256 (kept in the store, apart from the file), the archive's table of
// contents and the table list with row figures taken in the snapshot pg_dump used. A partial
// file is never kept. Verification: checksum, a clean listing, a test restore into a scratch
// database Opsdeck creates and drops, row counts compared, the restore time as measured RTO.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type {
  Backup,
  BackupMode,
  BackupTableRow,
  ObjectiveStatus,
  Preflight,
  RetentionPolicy,
  RetentionResult,
  Verification,
} from '../../shared/care';
import type { MethodArg } from '../../shared/api';
import type { MetricPoint, Target } from '../../shared/types';
import type { OpsdeckApp } from '../app';
import { NotFound, ToolVersionMismatch, ValidationError, errorMessage } from '../errors';
import { createLogger } from '../log';
import { quoteIdent } from '../collectors/postgres/statements';
import { startLoopbackForward, type LoopbackForward } from '../targets/tunnel';
import type { PgTarget } from '../targets/postgres';
import {
  compareCounts,
  objectives,
  pickTool,
  retentionDecision,
  scratchName,
  serverMajor,
  tocEntries,
  type ToolChoice,
} from './backup-pure';
import { HostPlace, LocalPlace, type Place } from './places';
import { careTarget, dedicatedSession, storedSecret, viaHost } from './targets';

const log = createLogger('care.backup');
const DUMP_TIMEOUT_MS = 24 * 3_600_000;
/** Tables up to this size are counted exactly in the dump's snapshot. */
const EXACT_COUNT_BYTES = 256 * 1024 * 1024;

type Row = Record<string, unknown>;

function newId(): string {
  return randomBytes(6).toString('hex');
}

function stamp(t: number): string {
  return new Date(t)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40) || 'db';
}

/** A pgpass line for any host, port and database: user and password escaped. */
function pgpassLine(user: string, password: string): string {
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  return `*:*:*:${esc(user)}:${esc(password)}`;
}

interface Endpoint {
  host: string;
  port: number;
  forward: LoopbackForward | null;
}

export const TABLES_AT_DUMP = `select n.nspname as schema, c.relname as name,
  c.reltuples::float8 as est, pg_relation_size(c.oid)::float8 as bytes
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
      and d.objid = c.oid and d.deptype = 'e')
  order by 1, 2`;

export class BackupService {
  constructor(private readonly app: OpsdeckApp) {}

  private place(target: Target, mode: BackupMode): Place {
    if (mode === 'local') return new LocalPlace();
    const ssh = viaHost(this.app, target);
    if (!ssh) {
      throw new ValidationError(
        `${target.name} is not reached through an SSH host, so a backup cannot run on its host; choose "on this workstation".`,
      );
    }
    return new HostPlace(ssh);
  }

  private async choose(
    target: Target,
    place: Place,
    program: 'pg_dump' | 'pg_restore',
  ): Promise<{ choice: ToolChoice; versionNum: number }> {
    const v = await this.app.connections
      .sql(target)
      .query<{ v: number }>("select current_setting('server_version_num')::int as v");
    const versionNum = Number(v.rows[0].v);
    const choice = pickTool(await place.tools(program), versionNum, place.name);
    return { choice, versionNum };
  }

  async preflight(targetId: string, mode: BackupMode): Promise<Preflight> {
    const target = careTarget(this.app, targetId, 'postgres');
    const { choice, versionNum } = await this.choose(target, this.place(target, mode), 'pg_dump');
    return {
      ok: choice.ok,
      serverVersionNum: versionNum,
      serverMajor: serverMajor(versionNum),
      pgDumpVersion: choice.ok ? choice.versionText : (choice.newest?.versionText ?? null),
      pgDumpMajor: choice.ok ? choice.major : null,
      message: choice.ok
        ? `${choice.versionText} (${choice.path}) can dump PostgreSQL ${serverMajor(versionNum)}.`
        : choice.message,
    };
  }

  /** Where the tools reach the server: directly, as seen from the SSH host, or via a tunnel. */
  private async endpoint(target: Target, place: Place): Promise<Endpoint> {
    if (target.config.kind !== 'postgres')
      throw new ValidationError(`${target.name} is not PostgreSQL.`);
    const { host, port } = target.config;
    const ssh = viaHost(this.app, target);
    if (place.mode === 'host' || !ssh) return { host, port, forward: null };
    const forward = await startLoopbackForward(ssh, host, port);
    return { host: forward.host, port: forward.port, forward };
  }

  /** Environment and argv for a client tool connecting as the target's user. */
  private async credentials(
    target: Target,
    place: Place,
    folder: string,
    id: string,
  ): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
    if (target.config.kind !== 'postgres')
      throw new ValidationError(`${target.name} is not PostgreSQL.`);
    const env: Record<string, string> = {
      PGSSLMODE: target.config.sslmode,
      PGCONNECT_TIMEOUT: '15',
      PGAPPNAME: 'opsdeck',
    };
    const password = storedSecret(this.app, target);
    if (password === null) return { env, cleanup: async () => undefined };
    if (place.mode === 'local')
      return { env: { ...env, PGPASSWORD: password }, cleanup: async () => undefined };
    const file = join(folder, `.opsdeck-pgpass-${id}`);
    await place.writePrivate(file, pgpassLine(target.config.user, password));
    return { env: { ...env, PGPASSFILE: file }, cleanup: () => place.remove(file) };
  }

  async start(arg: MethodArg<'careStartBackup'>): Promise<Backup> {
    const target = careTarget(this.app, arg.targetId, 'postgres');
    if (target.config.kind !== 'postgres')
      throw new ValidationError(`${target.name} is not PostgreSQL.`);
    const place = this.place(target, arg.mode);
    const folder =
      arg.folder ?? (arg.mode === 'local' ? join(this.app.opts.dataDir, 'backups') : null);
    if (!folder) {
      throw new ValidationError(
        `Choose a folder on ${place.name} for the backup of ${target.name}.`,
      );
    }
    const { choice, versionNum } = await this.choose(target, place, 'pg_dump');
    if (!choice.ok) {
      this.app.audit(target.id, 'backup-refused', `pg_dump on ${place.name}`, choice.message);
      throw new ToolVersionMismatch(choice.message);
    }
    const id = newId();
    const startedAt = Date.now();
    const path = join(folder, `${safeName(target.name)}-${stamp(startedAt)}-${id}.dump`);
    const partial = `${path}.partial`;
    const backup: Backup = {
      id,
      targetId: target.id,
      mode: arg.mode,
      path,
      status: 'running',
      startedAt,
      finishedAt: null,
      durationMs: null,
      sizeBytes: null,
      sha256: null,
      tocEntries: null,
      serverVersionNum: versionNum,
      pgDumpVersion: choice.versionText,
      tables: [],
      error: null,
      verification: null,
      deletedAt: null,
    };
    this.app.store.care.saveBackup(backup);
    this.app.audit(
      target.id,
      'backup-started',
      `pg_dump -Fc of ${target.name} to ${place.name}:${path}`,
      'started',
    );
    const session = dedicatedSession(this.app, target, { lockTimeoutMs: 60_000 });
    let endpoint: Endpoint | null = null;
    let cleanup = async (): Promise<void> => undefined;
    try {
      await place.mkdir(folder);
      await session.query('begin isolation level repeatable read, read only');
      const snap = await session.query<{ s: string }>('select pg_export_snapshot() as s');
      backup.tables = await this.tablesAtDump(session);
      endpoint = await this.endpoint(target, place);
      const creds = await this.credentials(target, place, folder, id);
      cleanup = creds.cleanup;
      const r = await place.run(
        [
          choice.path,
          '--format=custom',
          `--file=${partial}`,
          `--snapshot=${snap.rows[0].s}`,
          `--host=${endpoint.host}`,
          `--port=${endpoint.port}`,
          `--username=${target.config.user}`,
          `--dbname=${target.config.database}`,
          '--no-password',
        ],
        { env: creds.env, timeoutMs: DUMP_TIMEOUT_MS },
      );
      if (r.code !== 0) {
        throw new Error(
          `pg_dump failed on ${place.name} (exit ${r.code}): ${r.stderr.trim().slice(0, 2000)}`,
        );
      }
      await place.rename(partial, path);
      backup.durationMs = Date.now() - startedAt;
      backup.sizeBytes = await place.size(path);
      backup.sha256 = await place.sha256(path);
      const list = await this.listArchive(
        place,
        choice.path.replace(/pg_dump$/, 'pg_restore'),
        path,
      );
      if (!list.ok) throw new Error(`The new archive does not list: ${list.error}`);
      backup.tocEntries = list.entries;
      backup.status = 'succeeded';
    } catch (err) {
      backup.status = 'failed';
      backup.error = errorMessage(err);
      await place.remove(partial).catch(() => undefined);
      if (backup.sha256 === null) await place.remove(path).catch(() => undefined);
    } finally {
      await session.query('commit').catch(() => undefined);
      await session.close();
      await cleanup().catch(() => undefined);
      await endpoint?.forward?.close();
    }
    backup.finishedAt = Date.now();
    this.app.store.care.saveBackup(backup);
    this.app.audit(
      target.id,
      'backup-finished',
      `pg_dump -Fc of ${target.name} to ${place.name}:${path}`,
      backup.status === 'succeeded'
        ? `ok: ${backup.sizeBytes} bytes, sha256 ${backup.sha256}`
        : `failed: ${backup.error}`,
    );
    return this.app.store.care.getBackup(id) ?? backup;
  }

  private async tablesAtDump(session: PgTarget): Promise<BackupTableRow[]> {
    const r = await session.query<Row>(TABLES_AT_DUMP);
    const out: BackupTableRow[] = [];
    for (const row of r.rows) {
      const schema = String(row.schema);
      const name = String(row.name);
      let exactRows: number | null = null;
      if (Number(row.bytes) <= EXACT_COUNT_BYTES) {
        const c = await session.query<{ n: string }>(
          `select count(*)::text as n from ${quoteIdent(schema)}.${quoteIdent(name)}`,
        );
        exactRows = Number(c.rows[0].n);
      }
      out.push({ schema, name, rowEstimate: Number(row.est), exactRows });
    }
    return out;
  }

  private async listArchive(
    place: Place,
    pgRestore: string,
    path: string,
  ): Promise<{ ok: true; entries: number } | { ok: false; error: string }> {
    const r = await place.run([pgRestore, '--list', path], { timeoutMs: 3_600_000 });
    if (r.code !== 0)
      return { ok: false, error: r.stderr.trim().slice(0, 2000) || `exit ${r.code}` };
    return { ok: true, entries: tocEntries(r.stdout) };
  }

  list(targetId: string): Backup[] {
    careTarget(this.app, targetId, 'postgres');
    return this.app.store.care.listBackups(targetId);
  }

  async verify(arg: MethodArg<'careVerifyBackup'>): Promise<Verification> {
    const backup = this.app.store.care.getBackup(arg.backupId);
    if (!backup) throw new NotFound(`No backup ${arg.backupId}; it may have been removed.`);
    if (backup.status !== 'succeeded' || backup.deletedAt !== null || !backup.sha256) {
      throw new ValidationError(`Backup ${backup.id} has no file to verify (${backup.status}).`);
    }
    const source = careTarget(this.app, backup.targetId, 'postgres');
    const restoreTarget = careTarget(this.app, arg.restoreTargetId ?? source.id, 'postgres');
    const place = this.place(source, backup.mode);
    if (backup.mode === 'host' && restoreTarget.id !== source.id) {
      const a = source.config.kind === 'postgres' ? source.config.viaTargetId : undefined;
      const b =
        restoreTarget.config.kind === 'postgres' ? restoreTarget.config.viaTargetId : undefined;
      if (a !== b) {
        throw new ValidationError(
          `The backup file is on ${place.name}; restore it to a server reached through that host.`,
        );
      }
    }
    const v: Verification = {
      id: newId(),
      backupId: backup.id,
      t: Date.now(),
      ok: false,
      checksumOk: null,
      listOk: null,
      restoreOk: null,
      scratchDatabase: null,
      restoreMs: null,
      tables: [],
      reason: null,
    };
    try {
      await this.runVerification(backup, restoreTarget, place, v, arg.exactCounts);
    } catch (err) {
      v.reason ??= errorMessage(err);
      v.ok = false;
    }
    this.app.store.care.saveVerification(v);
    this.app.audit(
      source.id,
      'backup-verified',
      `backup ${backup.id} (${backup.path}) restored to ${restoreTarget.name}${v.scratchDatabase ? ` as ${v.scratchDatabase}` : ''}`,
      v.ok ? `ok in ${v.restoreMs} ms` : `failed: ${v.reason}`,
    );
    return v;
  }

  private async runVerification(
    backup: Backup,
    restoreTarget: Target,
    place: Place,
    v: Verification,
    exactCounts: boolean,
  ): Promise<void> {
    const sum = await place.sha256(backup.path).catch((err: unknown) => {
      throw new Error(
        `The backup file ${backup.path} cannot be read on ${place.name}: ${errorMessage(err)}`,
      );
    });
    v.checksumOk = sum === backup.sha256;
    if (!v.checksumOk) {
      v.reason =
        `The file's SHA-256 is ${sum}, but ${backup.sha256} was recorded when the backup was taken: ` +
        'the file was changed or damaged since. Do not restore it; take a new backup.';
      return;
    }
    const { choice } = await this.choose(restoreTarget, place, 'pg_restore');
    if (!choice.ok) throw new ToolVersionMismatch(choice.message.replace(/pg_dump/g, 'pg_restore'));
    const list = await this.listArchive(place, choice.path, backup.path);
    v.listOk = list.ok && list.entries === backup.tocEntries;
    if (!list.ok || !v.listOk) {
      v.reason = list.ok
        ? `The archive lists ${list.entries} entries, but ${backup.tocEntries} were recorded.`
        : `pg_restore --list rejects the archive: ${list.error}`;
      return;
    }
    await this.testRestore(backup, restoreTarget, place, choice.path, v, exactCounts);
  }

  private async testRestore(
    backup: Backup,
    target: Target,
    place: Place,
    pgRestore: string,
    v: Verification,
    exactCounts: boolean,
  ): Promise<void> {
    if (target.config.kind !== 'postgres') return;
    const admin = this.app.connections.sql(target);
    const name = scratchName(backup.id, randomBytes(6).toString('hex'));
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rows.length > 0)
      throw new Error(`A database named ${name} exists already; try again.`);
    await admin.query(`create database ${quoteIdent(name)}`);
    v.scratchDatabase = name;
    const folder = backup.path.replace(/\/[^/]*$/, '') || '/';
    let endpoint: Endpoint | null = null;
    let cleanup = async (): Promise<void> => undefined;
    try {
      endpoint = await this.endpoint(target, place);
      const creds = await this.credentials(target, place, folder, v.id);
      cleanup = creds.cleanup;
      const started = Date.now();
      const r = await place.run(
        [
          pgRestore,
          '--no-owner',
          '--no-privileges',
          `--host=${endpoint.host}`,
          `--port=${endpoint.port}`,
          `--username=${target.config.user}`,
          `--dbname=${name}`,
          '--no-password',
          backup.path,
        ],
        { env: creds.env, timeoutMs: DUMP_TIMEOUT_MS },
      );
      v.restoreMs = Date.now() - started;
      v.restoreOk = r.code === 0;
      if (!v.restoreOk) {
        v.reason = `The test restore into ${name} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 2000)}`;
        return;
      }
      v.tables = await this.countRestored(target, name, backup, exactCounts);
      const bad = v.tables.filter((t) => !t.ok);
      v.ok = bad.length === 0;
      if (!v.ok) {
        v.reason = `Row counts differ in ${bad.length} table(s): ${bad
          .slice(0, 5)
          .map((t) => `${t.schema}.${t.name} ${t.restored} restored, ${t.expected} at dump time`)
          .join('; ')}.`;
      }
    } finally {
      await cleanup().catch(() => undefined);
      await endpoint?.forward?.close();
      await this.dropScratch(target, name);
    }
  }

  private async countRestored(
    target: Target,
    database: string,
    backup: Backup,
    exactCounts: boolean,
  ): Promise<Verification['tables']> {
    const s = dedicatedSession(this.app, target, { lockTimeoutMs: 10_000, database });
    try {
      const counts = new Map<string, number>();
      for (const t of backup.tables) {
        const c = await s.query<{ n: string }>(
          `select count(*)::text as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
        );
        counts.set(`${t.schema}.${t.name}`, Number(c.rows[0].n));
      }
      const tables = exactCounts
        ? backup.tables
        : backup.tables.map((t) => ({ ...t, exactRows: null }));
      return compareCounts(tables, counts);
    } finally {
      await s.close();
    }
  }

  private async dropScratch(target: Target, name: string): Promise<void> {
    const sql = this.app.connections.sql(target);
    try {
      const v = await sql.query<{ v: number }>(
        "select current_setting('server_version_num')::int as v",
      );
      const force = Number(v.rows[0].v) >= 130000 ? ' with (force)' : '';
      await sql.query(`drop database if exists ${quoteIdent(name)}${force}`);
    } catch (err) {
      log.warn('scratch database not dropped', {
        target: target.name,
        name,
        error: errorMessage(err),
      });
      this.app.audit(target.id, 'scratch-database-left', name, `drop failed: ${errorMessage(err)}`);
    }
  }

  getPolicy(targetId: string): RetentionPolicy | null {
    careTarget(this.app, targetId, 'postgres');
    return this.app.store.care.getPolicy(targetId);
  }

  savePolicy(p: RetentionPolicy): RetentionPolicy {
    const target = careTarget(this.app, p.targetId, 'postgres');
    this.app.store.care.savePolicy(p);
    this.app.audit(
      target.id,
      'backup-policy-saved',
      `keep last ${p.keepLast}, daily ${p.dailyDays} d, weekly ${p.weeklyWeeks} w; RPO ${p.rpoHours} h, RTO ${p.rtoHours} h`,
      'ok',
    );
    return p;
  }

  async retention(targetId: string, now = Date.now()): Promise<RetentionResult> {
    const target = careTarget(this.app, targetId, 'postgres');
    const policy = this.app.store.care.getPolicy(targetId);
    if (!policy) {
      throw new ValidationError(`${target.name} has no retention policy yet; save one first.`);
    }
    const backups = this.app.store.care.listBackups(targetId);
    const d = retentionDecision(backups, policy, now);
    const deleted: string[] = [];
    for (const id of d.remove) {
      const b = backups.find((x) => x.id === id);
      if (!b) continue;
      try {
        await this.place(target, b.mode).remove(b.path);
        this.app.store.care.saveBackup({ ...b, deletedAt: now });
        this.app.audit(target.id, 'backup-deleted', `${b.path} (retention)`, 'ok');
        deleted.push(id);
      } catch (err) {
        this.app.audit(
          target.id,
          'backup-deleted',
          `${b.path} (retention)`,
          `failed: ${errorMessage(err)}`,
        );
      }
    }
    const message =
      `Kept ${d.keep.length}, removed ${deleted.length}` +
      (d.heldBack.length
        ? `; ${d.heldBack.length} expired backup(s) kept until a newer backup is verified.`
        : '.');
    return { kept: d.keep, deleted, heldBack: d.heldBack, message };
  }

  /** Backup age against RPO for a collection round: only targets with a policy get them. */
  roundFigures(target: Target, now: number): MetricPoint[] {
    if (target.config.kind !== 'postgres') return [];
    const policy = this.app.store.care.getPolicy(target.id);
    if (!policy) return [];
    const o = objectives(
      target.id,
      target.name,
      this.app.store.care.listBackups(target.id),
      policy,
      now,
    );
    const points: MetricPoint[] = [{ metric: 'pg.backup.rpo_breached', value: o.rpoOk ? 0 : 1 }];
    if (o.newestVerifiedAgeMs !== null) {
      points.push({ metric: 'pg.backup.verified_age_s', value: o.newestVerifiedAgeMs / 1000 });
    }
    return points;
  }

  objectives(now = Date.now()): ObjectiveStatus[] {
    return this.app.store
      .listTargets()
      .filter((t) => t.config.kind === 'postgres')
      .map((t) =>
        objectives(
          t.id,
          t.name,
          this.app.store.care.listBackups(t.id),
          this.app.store.care.getPolicy(t.id),
          now,
        ),
      );
  }
}
