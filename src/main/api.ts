// The contract implemented once, on top of the store, the connections and the scheduler.
// Both transports call these through dispatch(), which has validated every argument.
import { randomBytes } from 'node:crypto';
import type { AppInfo, MethodArg } from '../shared/api';
import { assertNever } from '../shared/result';
import { FIGURES, HEADLINE, seriesKey } from '../shared/metrics';
import type {
  FleetEntry,
  HostKeyPrompt,
  Settings,
  Target,
  TargetStatus,
  TestResult,
} from '../shared/types';
import { createAlertsApi } from './alerts/api';
import { createCapacityApi } from './capacity/api';
import { createCareApi } from './care/api';
import { createChecklistsApi } from './checklists/api';
import { createHandoverApi } from './handover/api';
import { createReportsApi } from './reports/api';
import { createRunbooksApi } from './runbooks/api';
import type { OpsdeckApp } from './app';
import type { ApiImpl } from './dispatch';
import { HostKeyChanged, HostKeyUnknown, NotFound, ValidationError, errorMessage } from './errors';
import { initialStatus } from './monitor/status';
import { importSshConfig } from './targets/ssh-config';

const SPARK_MS = 30 * 60_000;
const SPARK_POINTS = 60;
const TEST_TIMEOUT_MS = 20_000;

function newId(): string {
  return randomBytes(6).toString('hex');
}

function required(app: OpsdeckApp, id: string): Target {
  const t = app.store.getTarget(id);
  if (!t) throw new NotFound(`No target with id ${id}; it may have been deleted. Reload the list.`);
  return t;
}

/** Latest values of a kind's key figures; `metric:max` is the highest over all its series. */
function figures(app: OpsdeckApp, target: Target): Record<string, number | null> {
  const latest = app.store.latest(target.id);
  const fresh = Date.now() - Math.max(target.intervalMs * 3, 60_000);
  const out: Record<string, number | null> = {};
  for (const key of FIGURES[target.config.kind] ?? []) {
    const [metric, agg] = key.split(':');
    if (agg !== 'max') {
      const v = latest.get(seriesKey(metric));
      out[key] = v && v.t >= fresh ? v.v : null;
      continue;
    }
    let max: number | null = null;
    for (const [k, v] of latest) {
      if ((k === metric || k.startsWith(`${metric}{`)) && v.t >= fresh && v.v !== null) {
        max = max === null ? v.v : Math.max(max, v.v);
      }
    }
    out[key] = max;
  }
  return out;
}

function hostKeyOf(targetId: string, err: unknown): HostKeyPrompt | null {
  if (!(err instanceof HostKeyUnknown) && !(err instanceof HostKeyChanged)) return null;
  return {
    targetId,
    host: err.host,
    port: err.port,
    keyType: err.keyType,
    fingerprint: err.fingerprint,
    knownFingerprint: err instanceof HostKeyChanged ? err.knownFingerprint : null,
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** What a connection test runs, by kind; each is read-only. */
async function probe(app: OpsdeckApp, target: Target): Promise<string> {
  const { config } = target;
  switch (config.kind) {
    case 'local':
    case 'ssh': {
      const r = await app.connections
        .runner(target)
        .run('uname -srm; id -un', { timeoutMs: 10_000 });
      if (r.code !== 0)
        throw new Error(`uname failed on ${target.name}: ${r.stderr.trim() || `exit ${r.code}`}`);
      return `Connected: ${r.stdout.trim().replace(/\n/g, ', as ')}`;
    }
    case 'postgres': {
      if (config.viaTargetId) await app.connections.keyHolder(target).connect();
      const r = await app.connections
        .sql(target)
        .query<{ v: string; r: boolean }>('select version() as v, pg_is_in_recovery() as r');
      const row = r.rows[0];
      return `Connected: ${row.v.split(' on ')[0]}${row.r ? ' (replica)' : ''}`;
    }
    case 'redis': {
      if (config.viaTargetId) await app.connections.keyHolder(target).connect();
      const ms = await app.connections.redis(target).ping();
      return `Connected: PING answered in ${ms.toFixed(1)} ms`;
    }
    default:
      return assertNever(config, 'target kind');
  }
}

async function testTarget(app: OpsdeckApp, target: Target): Promise<TestResult> {
  const started = Date.now();
  try {
    const message = await withTimeout(probe(app, target), TEST_TIMEOUT_MS, target.name);
    app.audit(target.id, 'test-connection', target.config.kind, 'ok');
    return { ok: true, message, durationMs: Date.now() - started, hostKey: null };
  } catch (err) {
    app.audit(target.id, 'test-connection', target.config.kind, `failed: ${errorMessage(err)}`);
    const hostKey = hostKeyOf(target.id, err);
    return { ok: false, message: errorMessage(err), durationMs: Date.now() - started, hostKey };
  }
}

function defaultInterval(settings: Settings, kind: Target['config']['kind']): number {
  return kind === 'local' || kind === 'ssh' ? settings.hostIntervalMs : settings.databaseIntervalMs;
}

async function saveTarget(app: OpsdeckApp, arg: MethodArg<'saveTarget'>): Promise<Target> {
  const before = arg.id ? app.store.getTarget(arg.id) : null;
  if (arg.id && !before) throw new NotFound(`No target with id ${arg.id} to update.`);
  const cfg = arg.config;
  if ((cfg.kind === 'postgres' || cfg.kind === 'redis') && cfg.viaTargetId) {
    const via = app.store.getTarget(cfg.viaTargetId);
    if (!via || via.config.kind !== 'ssh') {
      throw new ValidationError(
        `"${arg.name}" must be reached through an SSH host; pick one from the list.`,
      );
    }
  }
  if (cfg.kind === 'ssh' && cfg.auth === 'password' && arg.secret === null) {
    throw new ValidationError(`"${arg.name}" logs in with a password: one must be stored.`);
  }
  const id = before?.id ?? newId();
  app.store.saveTarget({
    id,
    name: arg.name,
    group: arg.group,
    intervalMs:
      arg.intervalMs ?? before?.intervalMs ?? defaultInterval(app.store.getSettings(), cfg.kind),
    enabled: arg.enabled,
    config: cfg,
    hasSecret: false,
    createdAt: before?.createdAt ?? Date.now(),
  });
  if (arg.secret !== undefined) {
    const clear = arg.secret === null || arg.secret === '';
    app.store.setSecret(id, clear ? null : app.secrets.encrypt(arg.secret as string));
  }
  const saved = required(app, id);
  app.audit(id, before ? 'target-updated' : 'target-added', `${saved.name} (${cfg.kind})`, 'ok');
  await restart(app, saved);
  return saved;
}

/** A changed target starts over: new connection, new counters, new loop. */
async function restart(app: OpsdeckApp, target: Target): Promise<void> {
  await app.connections.invalidate(target.id);
  app.collection.reset(target.id);
  if (app.opts.collect !== false) app.scheduler.upsert(target);
  app.kickWithDependants(target.id);
}

async function deleteTarget(app: OpsdeckApp, id: string): Promise<{ deleted: boolean }> {
  const users = app.store
    .listTargets()
    .filter((t) => 'viaTargetId' in t.config && t.config.viaTargetId === id);
  if (users.length > 0) {
    const names = users.map((u) => u.name).join(', ');
    throw new ValidationError(
      `Other targets are reached through this host (${names}); change or delete them first.`,
    );
  }
  const target = app.store.getTarget(id);
  app.scheduler.remove(id);
  app.collection.reset(id);
  await app.connections.invalidate(id);
  const deleted = app.store.deleteTarget(id);
  if (target) app.audit(id, 'target-deleted', `${target.name} (${target.config.kind})`, 'ok');
  return { deleted };
}

async function acceptHostKey(
  app: OpsdeckApp,
  arg: MethodArg<'acceptHostKey'>,
): Promise<TestResult> {
  const target = required(app, arg.targetId);
  app.connections.keyHolder(target).acceptHostKey(arg.fingerprint);
  const result = await testTarget(app, target);
  app.kickWithDependants(target.id);
  return result;
}

function statusOf(app: OpsdeckApp, t: Target): TargetStatus {
  return app.scheduler.status(t.id) ?? initialStatus(t.id, t.createdAt, t.enabled);
}

function fleet(app: OpsdeckApp): FleetEntry[] {
  const now = Date.now();
  return app.store.listTargets().map((target) => ({
    target,
    status: statusOf(app, target),
    figures: figures(app, target),
    sparkline: app.store.sparkline(
      target.id,
      HEADLINE[target.config.kind],
      now - SPARK_MS,
      now,
      SPARK_POINTS,
    ),
  }));
}

async function saveSettings(app: OpsdeckApp, next: Settings): Promise<Settings> {
  const prev = app.store.getSettings();
  const saved = app.store.saveSettings(next);
  for (const t of app.store.listTargets()) {
    const old = defaultInterval(prev, t.config.kind);
    const now = defaultInterval(saved, t.config.kind);
    if (t.intervalMs === old && old !== now) {
      const updated = app.store.saveTarget({ ...t, intervalMs: now });
      if (app.opts.collect !== false) app.scheduler.upsert(updated);
    }
  }
  app.audit(null, 'settings-saved', JSON.stringify(saved), 'ok');
  return saved;
}

export function createApi(app: OpsdeckApp, info: AppInfo): ApiImpl {
  return {
    appInfo: async () => info,
    listTargets: async () => app.store.listTargets(),
    saveTarget: (arg) => saveTarget(app, arg),
    deleteTarget: (arg) => deleteTarget(app, arg.id),
    testTarget: (arg) => testTarget(app, required(app, arg.id)),
    acceptHostKey: (arg) => acceptHostKey(app, arg),
    importSshConfig: async (arg) => importSshConfig(arg.path),
    fleet: async () => fleet(app),
    statuses: async () => app.store.listTargets().map((t) => statusOf(app, t)),
    listSeries: async (arg) => app.store.listSeries(arg.targetId),
    query: async (arg) => app.store.query(arg),
    snapshot: async (arg) => app.store.getSnapshot(arg.targetId),
    getSettings: async () => app.store.getSettings(),
    saveSettings: (arg) => saveSettings(app, arg),
    auditLog: async (arg) => app.store.listAudit(arg.limit),
    ...createAlertsApi(app),
    ...createCareApi(app),
    ...createRunbooksApi(app),
    ...createReportsApi(app),
    ...createChecklistsApi(app),
    ...createHandoverApi(app),
    ...createCapacityApi(app),
  };
}
