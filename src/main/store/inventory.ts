// Inventory: targets, settings, encrypted secrets, and the last snapshot and status per
// target, so the UI can show everything offline after a restart.
import type { Statement } from 'better-sqlite3';
import { settingsSchema } from '../../shared/api';
import type {
  Settings,
  Snapshot,
  Target,
  TargetConfig,
  TargetKind,
  TargetStatus,
} from '../../shared/types';
import { NotFound, ValidationError } from '../errors';
import { createLogger } from '../log';
import type { Db } from './db';

const log = createLogger('store.inventory');

export const DEFAULT_SETTINGS: Settings = {
  hostIntervalMs: 10_000,
  databaseIntervalMs: 15_000,
  retention: { rawHours: 48, oneMinuteDays: 30, oneHourDays: 730 },
};

const KINDS: readonly TargetKind[] = ['local', 'ssh', 'postgres', 'redis'];

interface TargetRow {
  id: string;
  name: string;
  grp: string;
  interval_ms: number;
  enabled: number;
  config: string;
  created_at: number;
  has_secret: number;
}

const TARGET_COLUMNS = `id, name, grp, interval_ms, enabled, config, created_at,
  EXISTS (SELECT 1 FROM secrets s WHERE s.target_id = targets.id) AS has_secret`;

function requireFinite(value: number, what: string, targetId: string): void {
  if (!Number.isFinite(value)) {
    throw new ValidationError(
      `${what} of target ${targetId} is not a number; send a finite value.`,
    );
  }
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

function toTarget(r: TargetRow): Target | null {
  const config = JSON.parse(r.config) as TargetConfig;
  if (!config || !KINDS.includes(config.kind)) {
    log.warn('target with unknown kind skipped', { targetId: r.id });
    return null;
  }
  return {
    id: r.id,
    name: r.name,
    group: r.grp,
    intervalMs: r.interval_ms,
    enabled: r.enabled !== 0,
    config,
    hasSecret: r.has_secret !== 0,
    createdAt: r.created_at,
  };
}

export class Inventory {
  private readonly sql: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.sql = {
      targets: db.prepare(`SELECT ${TARGET_COLUMNS} FROM targets ORDER BY grp, name, id`),
      target: db.prepare(`SELECT ${TARGET_COLUMNS} FROM targets WHERE id = ?`),
      saveTarget: db.prepare(
        `INSERT INTO targets (id, name, grp, interval_ms, enabled, config, created_at)
         VALUES (@id, @name, @group, @intervalMs, @enabled, @config, @createdAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, grp = excluded.grp,
           interval_ms = excluded.interval_ms, enabled = excluded.enabled, config = excluded.config`,
      ),
      deleteTarget: db.prepare('DELETE FROM targets WHERE id = ?'),
      deleteSnapshot: db.prepare('DELETE FROM snapshots WHERE target_id = ?'),
      deleteStatus: db.prepare('DELETE FROM statuses WHERE target_id = ?'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      putMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      putSecret: db.prepare(
        'INSERT INTO secrets (target_id, blob) VALUES (?, ?) ON CONFLICT (target_id) DO UPDATE SET blob = excluded.blob',
      ),
      deleteSecret: db.prepare('DELETE FROM secrets WHERE target_id = ?'),
      getSecret: db.prepare('SELECT blob FROM secrets WHERE target_id = ?').pluck(),
      putSnapshot: db.prepare(
        `INSERT INTO snapshots (target_id, t, kind, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (target_id) DO UPDATE SET t = excluded.t, kind = excluded.kind, data = excluded.data`,
      ),
      getSnapshot: db.prepare('SELECT t, kind, data FROM snapshots WHERE target_id = ?'),
      putStatus: db.prepare(
        'INSERT INTO statuses (target_id, data) VALUES (?, ?) ON CONFLICT (target_id) DO UPDATE SET data = excluded.data',
      ),
      statuses: db.prepare('SELECT data FROM statuses ORDER BY target_id').pluck(),
    };
  }

  listTargets(): Target[] {
    const rows = this.sql.targets.all() as TargetRow[];
    return rows.map(toTarget).filter((t): t is Target => t !== null);
  }

  getTarget(id: string): Target | null {
    const row = this.sql.target.get(id) as TargetRow | undefined;
    return row ? toTarget(row) : null;
  }

  /** Inserts or updates; createdAt of an existing target is kept. hasSecret is derived. */
  saveTarget(t: Target): Target {
    if (!t.id) throw new ValidationError('A target needs an id; give it one and save again.');
    requireFinite(t.intervalMs, 'The interval', t.id);
    requireFinite(t.createdAt, 'The creation time', t.id);
    if (!KINDS.includes(t.config?.kind)) {
      throw new ValidationError(
        `Target ${t.id} has no known kind; choose local, ssh, postgres or redis.`,
      );
    }
    this.sql.saveTarget.run({
      ...t,
      enabled: t.enabled ? 1 : 0,
      config: JSON.stringify(t.config),
    });
    return this.getTarget(t.id)!;
  }

  /** Removes the target row with its secret, snapshot and status; true if it existed. */
  deleteTarget(id: string): boolean {
    this.sql.deleteSnapshot.run(id);
    this.sql.deleteStatus.run(id);
    return this.sql.deleteTarget.run(id).changes > 0;
  }

  getSettings(): Settings {
    const raw = this.sql.getMeta.get('settings') as string | undefined;
    if (raw === undefined) return structuredClone(DEFAULT_SETTINGS);
    const parsed = settingsSchema.safeParse(mergeSettings(JSON.parse(raw)));
    if (parsed.success) return parsed.data;
    log.warn('stored settings invalid, defaults used', { error: parsed.error.message });
    return structuredClone(DEFAULT_SETTINGS);
  }

  saveSettings(s: Settings): Settings {
    const parsed = settingsSchema.safeParse(s);
    if (!parsed.success) {
      throw new ValidationError(`Settings were not saved: ${parsed.error.issues[0]?.message}.`);
    }
    this.sql.putMeta.run('settings', JSON.stringify(parsed.data));
    return parsed.data;
  }

  /** Stores an already-encrypted blob (null removes it). The store never sees clear text. */
  setSecret(targetId: string, blob: Uint8Array | null): void {
    if (blob === null) {
      this.sql.deleteSecret.run(targetId);
      return;
    }
    if (!this.getTarget(targetId)) {
      throw new NotFound(`No target ${targetId} to keep a secret for; save the target first.`);
    }
    this.sql.putSecret.run(targetId, Buffer.from(blob));
  }

  getSecret(targetId: string): Buffer | null {
    return (this.sql.getSecret.get(targetId) as Buffer | undefined) ?? null;
  }

  saveSnapshot(targetId: string, t: number, kind: TargetKind, data: Record<string, unknown>): void {
    requireFinite(t, 'The snapshot time', targetId);
    if (!KINDS.includes(kind)) throw new ValidationError(`Unknown snapshot kind for ${targetId}.`);
    // JSON.stringify turns NaN and Infinity nested in data into null.
    this.sql.putSnapshot.run(targetId, t, kind, JSON.stringify(data ?? {}));
  }

  getSnapshot(targetId: string): Snapshot | null {
    const row = this.sql.getSnapshot.get(targetId) as
      { t: number; kind: TargetKind; data: string } | undefined;
    if (!row) return null;
    return { targetId, t: row.t, kind: row.kind, data: JSON.parse(row.data) };
  }

  saveStatus(s: TargetStatus): void {
    requireFinite(s.since, 'The status time', s.targetId);
    const clean: TargetStatus = {
      ...s,
      lastSampleAt: finiteOrNull(s.lastSampleAt),
      lastDurationMs: finiteOrNull(s.lastDurationMs),
    };
    this.sql.putStatus.run(s.targetId, JSON.stringify(clean));
  }

  listStatuses(): TargetStatus[] {
    return (this.sql.statuses.all() as string[]).map((d) => JSON.parse(d) as TargetStatus);
  }
}

/** Stored settings over the defaults, so a setting added later gets its default. */
function mergeSettings(stored: Partial<Settings>): Settings {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    retention: { ...DEFAULT_SETTINGS.retention, ...(stored.retention ?? {}) },
  };
}
