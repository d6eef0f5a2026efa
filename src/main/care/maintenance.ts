// Maintenance on PostgreSQL: a plan (exact SQL, lock, disk, blockers, lag) handed out with a
// single-use token; a run that needs that token (and the override or the typed target name
// when the plan says so) on its own session, followed through pg_stat_progress_*; before and
// after figures; leftovers of a failed concurrent reindex found and offered for clean-up;
// cron schedules inside a maintenance window. Every start and end is in the audit log.
import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import type {
  MaintenancePlan,
  MaintenanceRun,
  MaintenanceSchedule,
  PlanCheck,
  RelationFigures,
} from '../../shared/care';
import type { MethodArg } from '../../shared/api';
import type { Target } from '../../shared/types';
import type { OpsdeckApp } from '../app';
import {
  CommandTimeout,
  ConfirmationRequired,
  NotFound,
  QueryFailed,
  ValidationError,
  errorMessage,
} from '../errors';
import { createLogger } from '../log';
import { shQuote } from '../targets/quote';
import type { SqlClient } from '../targets/types';
import {
  conflictingModes,
  diskCheck,
  inWindow,
  isConcurrentLeftover,
  locksCheck,
  longTransactionsCheck,
  maintenanceStatement,
  progressOf,
  replicationCheck,
  type Blocker,
  type DiskFacts,
} from './maintenance-plan';
import { careTarget, dedicatedSession, viaHost } from './targets';

const log = createLogger('care.maintenance');
const PLAN_TTL_MS = 10 * 60_000;
const PROGRESS_MS = 250;
/** A maintenance session waits this long for its lock, then gives up instead of queueing. */
const LOCK_TIMEOUT_MS = 30_000;

type PlanRequest = MethodArg<'carePlanMaintenance'>;
type ScheduleRequest = MethodArg<'careSaveSchedule'>;
type Row = Record<string, unknown>;

function newId(): string {
  return randomBytes(6).toString('hex');
}

function loopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

interface Active {
  run: MaintenanceRun;
  pid: number | null;
  cancelRequested: boolean;
}

export class MaintenanceService {
  private readonly plans = new Map<string, MaintenancePlan>();
  private readonly active = new Map<string, Active>();
  private readonly jobs = new Map<string, Cron>();

  constructor(private readonly app: OpsdeckApp) {}

  /** Starts the stored schedules' timers (unreferenced: they never keep the process up). */
  startSchedules(): void {
    for (const s of this.app.store.care.listSchedules()) this.arm(s);
  }

  stopSchedules(): void {
    for (const j of this.jobs.values()) j.stop();
    this.jobs.clear();
  }

  async plan(req: PlanRequest, now = Date.now()): Promise<MaintenancePlan> {
    const target = careTarget(this.app, req.targetId, 'postgres');
    const sql = this.app.connections.sql(target);
    const database = target.config.kind === 'postgres' ? target.config.database : '';
    const v = await sql.query<{ v: number }>(
      "select current_setting('server_version_num')::int as v",
    );
    const major = Math.floor(Number(v.rows[0].v) / 10000);
    const stmt = maintenanceStatement(req.action, req.scope, req.options, major, database);
    const rel = await this.relation(sql, req);
    const rewriteBytes = stmt.rewrites ? rel.bytes : null;
    const disk = await this.disk(target, sql, rewriteBytes);
    const checks: PlanCheck[] = [
      diskCheck(stmt.rewrites, disk),
      locksCheck(await this.blockers(sql, rel.tableOid, stmt.lock), stmt.lock),
      longTransactionsCheck(await this.oldTransactions(sql), req.options.concurrently === true),
      replicationCheck(await this.maxLag(sql), rewriteBytes),
    ];
    const plan: MaintenancePlan = {
      token: randomBytes(16).toString('hex'),
      targetId: target.id,
      targetName: target.name,
      action: req.action,
      scope: req.scope,
      options: req.options,
      sql: stmt.sql,
      lock: stmt.lock,
      rewriteBytes,
      freeDiskBytes: disk.freeBytes,
      checks,
      blocked: checks.some((c) => c.status === 'blocking'),
      requiresTypedName: stmt.lock === 'ACCESS EXCLUSIVE',
      createdAt: now,
      expiresAt: now + PLAN_TTL_MS,
    };
    this.dropExpired(now);
    this.plans.set(plan.token, plan);
    return plan;
  }

  /** Runs a plan: its token, plus the override and the typed name when the plan asks. */
  async run(arg: MethodArg<'careRunMaintenance'>, now = Date.now()): Promise<MaintenanceRun> {
    this.dropExpired(now);
    const plan = this.plans.get(arg.token);
    if (!plan) {
      throw new ConfirmationRequired(
        'This maintenance plan has expired or was already used; make the plan again and confirm it.',
      );
    }
    if (plan.blocked && !arg.override) {
      const why = plan.checks
        .filter((c) => c.status === 'blocking')
        .map((c) => c.message)
        .join(' ');
      throw new ConfirmationRequired(
        `The plan for ${plan.targetName} has a blocking problem: ${why} Resolve it, or run with the explicit override.`,
      );
    }
    if (plan.requiresTypedName && arg.typedName !== plan.targetName) {
      throw new ConfirmationRequired(
        `${plan.sql.join('; ')} takes an ACCESS EXCLUSIVE lock: type the target's name "${plan.targetName}" to confirm.`,
      );
    }
    this.plans.delete(arg.token);
    const target = careTarget(this.app, plan.targetId, 'postgres');
    return this.start(target, plan, null, arg.override && plan.blocked);
  }

  async cancel(runId: string): Promise<{ cancelled: boolean }> {
    const a = this.active.get(runId);
    if (!a) return { cancelled: false };
    a.cancelRequested = true;
    if (a.pid === null) return { cancelled: true };
    const target = careTarget(this.app, a.run.targetId, 'postgres');
    const r = await this.app.connections
      .sql(target)
      .query<{ ok: boolean }>('select pg_cancel_backend($1::int) as ok', [a.pid]);
    this.app.audit(target.id, 'maintenance-cancel', `${a.run.sql.join('; ')} (run ${runId})`, 'ok');
    return { cancelled: r.rows[0]?.ok === true };
  }

  getRun(runId: string): MaintenanceRun {
    const live = this.active.get(runId);
    if (live) return live.run;
    const run = this.app.store.care.getRun(runId);
    if (!run) throw new NotFound(`No maintenance run ${runId}; it may belong to a deleted target.`);
    return run;
  }

  listRuns(targetId: string, limit: number): MaintenanceRun[] {
    return this.app.store.care
      .listRuns(targetId, limit)
      .map((r) => this.active.get(r.id)?.run ?? r);
  }

  /** Resolves when the run has ended (for schedules and tests). */
  async waitFor(runId: string, pollMs = 100): Promise<MaintenanceRun> {
    while (this.active.has(runId)) await new Promise((r) => setTimeout(r, pollMs));
    return this.getRun(runId);
  }

  listSchedules(targetId: string): MaintenanceSchedule[] {
    return this.app.store.care.listSchedules(targetId).map((s) => this.withNext(s));
  }

  async saveSchedule(req: ScheduleRequest, now = Date.now()): Promise<MaintenanceSchedule> {
    const target = careTarget(this.app, req.targetId, 'postgres');
    const before = req.id ? this.app.store.care.listSchedules().find((s) => s.id === req.id) : null;
    if (req.id && !before) throw new NotFound(`No maintenance schedule ${req.id} to update.`);
    const stmt = maintenanceStatement(req.action, req.scope, req.options, 99, 'db');
    if (stmt.lock === 'ACCESS EXCLUSIVE' && req.typedName !== target.name) {
      throw new ConfirmationRequired(
        `A schedule of ${stmt.sql.join('; ')} takes an ACCESS EXCLUSIVE lock at each run: type the target's name "${target.name}" to confirm.`,
      );
    }
    try {
      new Cron(req.cron, { paused: true }).stop();
    } catch (err) {
      throw new ValidationError(`"${req.cron}" is not a cron schedule: ${errorMessage(err)}`);
    }
    const s: MaintenanceSchedule = {
      id: before?.id ?? newId(),
      targetId: target.id,
      action: req.action,
      scope: req.scope,
      options: req.options,
      cron: req.cron,
      windowStart: req.windowStart,
      windowEnd: req.windowEnd,
      enabled: req.enabled,
      nextRunAt: null,
      lastRunId: before?.lastRunId ?? null,
      createdAt: before?.createdAt ?? now,
    };
    this.app.store.care.saveSchedule(s);
    this.arm(s);
    this.app.audit(
      target.id,
      before ? 'maintenance-schedule-updated' : 'maintenance-schedule-added',
      `${stmt.sql.join('; ')} at "${s.cron}" within ${s.windowStart}-${s.windowEnd}`,
      'ok',
    );
    return this.withNext(s);
  }

  deleteSchedule(id: string): { deleted: boolean } {
    const s = this.app.store.care.listSchedules().find((x) => x.id === id);
    this.jobs.get(id)?.stop();
    this.jobs.delete(id);
    const deleted = this.app.store.care.deleteSchedule(id);
    if (s)
      this.app.audit(
        s.targetId,
        'maintenance-schedule-deleted',
        `${s.action} at "${s.cron}"`,
        'ok',
      );
    return { deleted };
  }

  /** One scheduled firing: inside the window, planned, run unless the plan blocks. */
  async fire(scheduleId: string, now = new Date()): Promise<MaintenanceRun | null> {
    const s = this.app.store.care.listSchedules().find((x) => x.id === scheduleId);
    if (!s || !s.enabled || this.app.isStopped()) return null;
    if (!inWindow(s.windowStart, s.windowEnd, now.getHours() * 60 + now.getMinutes())) {
      log.info('scheduled maintenance outside its window; skipped', { schedule: s.id });
      return null;
    }
    const target = careTarget(this.app, s.targetId, 'postgres');
    let run: MaintenanceRun;
    try {
      const plan = await this.plan({
        targetId: s.targetId,
        action: s.action,
        scope: s.scope,
        options: s.options,
      });
      this.plans.delete(plan.token);
      if (plan.blocked) {
        run = this.skipped(target, plan, s.id, now.getTime());
      } else {
        run = await this.start(target, plan, s.id, false);
      }
    } catch (err) {
      log.warn('scheduled maintenance could not be planned', {
        schedule: s.id,
        error: errorMessage(err),
      });
      return null;
    }
    this.app.store.care.saveSchedule({ ...s, lastRunId: run.id });
    return run;
  }

  private skipped(
    target: Target,
    plan: MaintenancePlan,
    scheduleId: string,
    t: number,
  ): MaintenanceRun {
    const why = plan.checks
      .filter((c) => c.status === 'blocking')
      .map((c) => c.message)
      .join(' ');
    const run: MaintenanceRun = {
      id: newId(),
      targetId: target.id,
      scheduleId,
      action: plan.action,
      scope: plan.scope,
      options: plan.options,
      sql: plan.sql,
      status: 'failed',
      startedAt: t,
      finishedAt: t,
      error: `Not started: the plan has a blocking problem. ${why}`,
      before: null,
      after: null,
      lastProgress: null,
      leftovers: [],
      operator: 'schedule',
    };
    this.app.store.care.saveRun(run);
    this.app.audit(target.id, 'maintenance-skipped', plan.sql.join('; '), run.error ?? '');
    return run;
  }

  private arm(s: MaintenanceSchedule): void {
    this.jobs.get(s.id)?.stop();
    this.jobs.delete(s.id);
    if (!s.enabled) return;
    const job = new Cron(s.cron, { unref: true, protect: true }, () => {
      void this.fire(s.id).catch((err: unknown) =>
        log.warn('scheduled maintenance failed', { schedule: s.id, error: errorMessage(err) }),
      );
    });
    this.jobs.set(s.id, job);
  }

  private withNext(s: MaintenanceSchedule): MaintenanceSchedule {
    const next = this.jobs.get(s.id)?.nextRun();
    return { ...s, nextRunAt: next ? next.getTime() : null };
  }

  private dropExpired(now: number): void {
    for (const [k, p] of this.plans) if (p.expiresAt <= now) this.plans.delete(k);
  }

  private async start(
    target: Target,
    plan: MaintenancePlan,
    scheduleId: string | null,
    overridden: boolean,
  ): Promise<MaintenanceRun> {
    const run: MaintenanceRun = {
      id: newId(),
      targetId: target.id,
      scheduleId,
      action: plan.action,
      scope: plan.scope,
      options: plan.options,
      sql: plan.sql,
      status: 'running',
      startedAt: Date.now(),
      finishedAt: null,
      error: null,
      before: null,
      after: null,
      lastProgress: null,
      leftovers: [],
      operator: scheduleId ? 'schedule' : this.app.operator,
    };
    const active: Active = { run, pid: null, cancelRequested: false };
    this.active.set(run.id, active);
    this.app.store.care.saveRun(run);
    this.app.audit(
      target.id,
      'maintenance-started',
      `${plan.sql.join('; ')} on ${target.name} (lock ${plan.lock}${overridden ? ', blocking problem overridden' : ''})`,
      'started',
    );
    void this.execute(target, active);
    return { ...run };
  }

  private async execute(target: Target, a: Active): Promise<void> {
    const run = a.run;
    const watch = this.app.connections.sql(target);
    const session = dedicatedSession(this.app, target, { lockTimeoutMs: LOCK_TIMEOUT_MS });
    const view = maintenanceStatement(run.action, run.scope, run.options, 99, '').progressView;
    let timer: NodeJS.Timeout | undefined;
    let outcome: { status: MaintenanceRun['status']; error: string | null } = {
      status: 'failed',
      error: 'The run ended without an answer from the server.',
    };
    try {
      a.pid = (await session.query<{ p: number }>('select pg_backend_pid() as p')).rows[0].p;
      run.before = await this.figures(watch, run);
      if (view) timer = setInterval(() => void this.poll(watch, a, view), PROGRESS_MS);
      for (const statement of run.sql) {
        if (a.cancelRequested) throw new QueryFailed('cancelled before it started', '57014');
        await session.query(statement);
      }
      outcome = { status: 'succeeded', error: null };
    } catch (err) {
      // pg_cancel_backend surfaces as SQLSTATE 57014, which PgTarget reports as a timeout.
      const cancelled =
        a.cancelRequested &&
        (err instanceof CommandTimeout || (err instanceof QueryFailed && err.code === '57014'));
      outcome = cancelled
        ? { status: 'cancelled', error: 'Cancelled by the operator.' }
        : { status: 'failed', error: errorMessage(err) };
    } finally {
      clearInterval(timer);
      await session.close();
    }
    try {
      run.after = await this.figures(watch, run);
      run.leftovers = await this.leftovers(watch, run);
    } catch (err) {
      log.warn('after-run figures failed', { run: run.id, error: errorMessage(err) });
    }
    // The run reads as finished only once its after-figures are in, so nobody who sees
    // "succeeded" sees an empty before/after table.
    run.status = outcome.status;
    run.error = outcome.error;
    run.finishedAt = Date.now();
    this.app.store.care.saveRun(run);
    this.active.delete(run.id);
    this.app.audit(
      target.id,
      'maintenance-finished',
      `${run.sql.join('; ')} on ${target.name} (run ${run.id})`,
      run.status === 'succeeded' ? 'ok' : `${run.status}: ${run.error ?? ''}`,
    );
  }

  private async poll(watch: SqlClient, a: Active, view: string): Promise<void> {
    if (a.pid === null || a.run.status !== 'running') return;
    try {
      const r = await watch.query<Row>(`select * from ${view} where pid = $1`, [a.pid]);
      const p = progressOf(a.run.id, a.run.targetId, view, r.rows[0] ?? null, Date.now());
      if (p.phase === null) return;
      a.run.lastProgress = p;
      this.app.events.emit('careProgress', p);
    } catch (err) {
      log.debug('progress read failed', { run: a.run.id, error: errorMessage(err) });
    }
  }

  private async figures(sql: SqlClient, run: MaintenanceRun): Promise<RelationFigures | null> {
    const s = run.scope;
    if (s.kind === 'database') {
      const r = await sql.query<Row>(`select pg_database_size(current_database())::float8 as bytes,
        (select coalesce(sum(n_dead_tup), 0) from pg_stat_all_tables)::float8 as dead`);
      return { bytes: Number(r.rows[0].bytes), deadTuples: Number(r.rows[0].dead) };
    }
    const r = await sql.query<Row>(
      `select pg_total_relation_size(c.oid)::float8 as bytes,
        coalesce(st.n_dead_tup, 0)::float8 as dead
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      left join pg_stat_all_tables st on st.relid = c.oid
      where n.nspname = $1 and c.relname = $2`,
      [s.schema, s.name],
    );
    const row = r.rows[0];
    return row ? { bytes: Number(row.bytes), deadTuples: Number(row.dead) } : null;
  }

  private async leftovers(sql: SqlClient, run: MaintenanceRun): Promise<string[]> {
    if (run.action === 'drop-invalid-index' || run.action !== 'reindex') return [];
    const r = await sql.query<{ name: string; relname: string }>(
      `select format('%I.%I', n.nspname, i.relname) as name, i.relname
      from pg_index x join pg_class i on i.oid = x.indexrelid
      join pg_namespace n on n.oid = i.relnamespace
      where not x.indisvalid order by 1`,
    );
    return r.rows.filter((row) => isConcurrentLeftover(String(row.relname))).map((row) => row.name);
  }

  private async relation(
    sql: SqlClient,
    req: PlanRequest,
  ): Promise<{ bytes: number; tableOid: number | null }> {
    const s = req.scope;
    if (s.kind === 'database') {
      const r = await sql.query<Row>('select pg_database_size(current_database())::float8 as b');
      return { bytes: Number(r.rows[0].b), tableOid: null };
    }
    const r = await sql.query<Row>(
      `select c.oid::int8::float8 as oid, c.relkind,
        case when c.relkind = 'i' then x.indrelid::int8::float8 else c.oid::int8::float8 end as table_oid,
        case when c.relkind = 'i' then pg_relation_size(c.oid) else pg_total_relation_size(c.oid) end::float8 as bytes,
        x.indisvalid as valid
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      left join pg_index x on x.indexrelid = c.oid
      where n.nspname = $1 and c.relname = $2`,
      [s.schema, s.name],
    );
    const row = r.rows[0];
    const what = s.kind === 'table' ? 'table' : 'index';
    const isIndex = row?.relkind === 'i' || row?.relkind === 'I';
    if (!row || (s.kind === 'index') !== isIndex) {
      throw new NotFound(
        `There is no ${what} ${s.schema}.${s.name}; reload the list of tables and indexes.`,
      );
    }
    if (req.action === 'drop-invalid-index' && row.valid !== false) {
      throw new ValidationError(
        `The index ${s.schema}.${s.name} is valid; Opsdeck drops only invalid leftovers of a failed concurrent build.`,
      );
    }
    return { bytes: Number(row.bytes), tableOid: Number(row.table_oid) };
  }

  private async disk(
    target: Target,
    sql: SqlClient,
    rewriteBytes: number | null,
  ): Promise<DiskFacts> {
    if (rewriteBytes === null) return { rewriteBytes, freeBytes: null };
    const c = target.config;
    if (c.kind !== 'postgres' || !c.viaTargetId) {
      return {
        rewriteBytes,
        freeBytes: null,
        unknownWhy: 'no SSH host is linked to this database',
      };
    }
    if (!loopback(c.host)) {
      return {
        rewriteBytes,
        freeBytes: null,
        unknownWhy: `the database runs on ${c.host}, not on its SSH host`,
      };
    }
    try {
      const dir = await sql.query<{ d: string }>("select current_setting('data_directory') as d");
      const ssh = viaHost(this.app, target);
      if (!ssh) return { rewriteBytes, freeBytes: null, unknownWhy: 'no SSH host' };
      const r = await ssh.run(`df -Pk -- ${shQuote(dir.rows[0].d)} | tail -n 1`, {
        timeoutMs: 10_000,
      });
      const fields = r.stdout.trim().split(/\s+/);
      const kb = Number(fields[3]);
      if (r.code !== 0 || !Number.isFinite(kb)) {
        return {
          rewriteBytes,
          freeBytes: null,
          unknownWhy: `df failed: ${r.stderr.trim() || r.stdout.trim()}`,
        };
      }
      return { rewriteBytes, freeBytes: kb * 1024 };
    } catch (err) {
      return { rewriteBytes, freeBytes: null, unknownWhy: errorMessage(err) };
    }
  }

  private async blockers(
    sql: SqlClient,
    tableOid: number | null,
    lock: MaintenancePlan['lock'],
  ): Promise<Blocker[]> {
    if (tableOid === null) return [];
    const r = await sql.query<Row>(
      `select distinct l.pid, l.mode, a.state,
        (extract(epoch from (now() - a.xact_start)) * 1000)::float8 as xact_age_ms
      from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.granted and l.pid <> pg_backend_pid() and l.mode = any($2)
        and (l.relation = $1::oid or l.relation in (select indexrelid from pg_index where indrelid = $1::oid))
      order by l.pid`,
      [tableOid, conflictingModes(lock)],
    );
    return r.rows.map((row) => ({
      pid: Number(row.pid),
      mode: String(row.mode),
      state: typeof row.state === 'string' ? row.state : null,
      xactAgeMs: row.xact_age_ms === null ? null : Number(row.xact_age_ms),
    }));
  }

  private async oldTransactions(sql: SqlClient): Promise<Blocker[]> {
    const r = await sql.query<Row>(
      `select pid, state, (extract(epoch from (now() - xact_start)) * 1000)::float8 as xact_age_ms
      from pg_stat_activity where xact_start is not null and pid <> pg_backend_pid()
      order by xact_start limit 20`,
    );
    return r.rows.map((row) => ({
      pid: Number(row.pid),
      mode: '',
      state: typeof row.state === 'string' ? row.state : null,
      xactAgeMs: Number(row.xact_age_ms),
    }));
  }

  private async maxLag(sql: SqlClient): Promise<number | null> {
    const r = await sql.query<{ lag: string | null; n: number }>(
      `select max(pg_wal_lsn_diff(case when pg_is_in_recovery() then pg_last_wal_replay_lsn()
        else pg_current_wal_lsn() end, replay_lsn))::text as lag, count(*)::int as n
      from pg_stat_replication`,
    );
    const row = r.rows[0];
    return row && row.n > 0 ? Number(row.lag ?? 0) : null;
  }
}
