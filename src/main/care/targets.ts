// Looking up the targets care works on, with messages that say what to pick instead.
import type { Target } from '../../shared/types';
import type { OpsdeckApp } from '../app';
import { NotFound, ValidationError } from '../errors';
import { PgTarget, pgTargetOptionsFromTarget } from '../targets/postgres';
import type { SshHost } from '../targets/ssh';

export function careTarget(app: OpsdeckApp, id: string, kind: 'postgres' | 'redis'): Target {
  const t = app.store.getTarget(id);
  if (!t) throw new NotFound(`No target with id ${id}; it may have been deleted. Reload the list.`);
  if (t.config.kind !== kind) {
    const what = kind === 'postgres' ? 'PostgreSQL' : 'Redis';
    throw new ValidationError(
      `${t.name} is a ${t.config.kind} target, not ${what}; pick a ${what} target.`,
    );
  }
  return t;
}

/** The SSH host a database is reached through, or null when it is reached directly. */
export function viaHost(app: OpsdeckApp, target: Target): SshHost | null {
  const c = target.config;
  if ((c.kind !== 'postgres' && c.kind !== 'redis') || !c.viaTargetId) return null;
  const via = app.store.getTarget(c.viaTargetId);
  if (!via) {
    throw new NotFound(
      `${target.name} is reached through a host that no longer exists; edit the target and pick another.`,
    );
  }
  return app.connections.ssh(via);
}

/**
 * A session of its own for long work (maintenance, a dump's snapshot, a scratch database):
 * no statement timeout, no idle-in-transaction limit, its own lock timeout.
 */
export function dedicatedSession(
  app: OpsdeckApp,
  target: Target,
  opts: { lockTimeoutMs: number; database?: string },
): PgTarget {
  if (target.config.kind !== 'postgres')
    throw new ValidationError(`${target.name} is not PostgreSQL.`);
  const base = pgTargetOptionsFromTarget(target.config, {
    secret: storedSecret(app, target),
    via: viaHost(app, target) ?? undefined,
    targetName: target.name,
  });
  return new PgTarget({
    ...base,
    database: opts.database ?? base.database,
    statementTimeoutMs: 0,
    idleInTransactionTimeoutMs: 0,
    lockTimeoutMs: opts.lockTimeoutMs,
  });
}

export function storedSecret(app: OpsdeckApp, target: Target): string | null {
  const blob = app.store.getSecret(target.id);
  return blob ? app.secrets.decrypt(blob) : null;
}
