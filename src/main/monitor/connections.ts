// One live connection per target, made from its stored config and secret: the local shell,
// an SshHost, a PgTarget or a RedisTarget. Databases named "through" an SSH target reuse
// that target's connection for their tunnel.
import type { SshTargetConfig, Target } from '../../shared/types';
import { NotFound, ValidationError } from '../errors';
import { createLogger } from '../log';
import type { SecretBox } from '../secrets/types';
import type { Store } from '../store';
import type { KnownHosts } from '../targets/known-hosts';
import { LocalRunner } from '../targets/local';
import { PgTarget, pgTargetOptionsFromTarget } from '../targets/postgres';
import { RedisTarget, redisTargetOptionsFromTarget } from '../targets/redis';
import { SshHost, sshHostOptionsFromTarget, type SshAuditEvent } from '../targets/ssh';
import type { CommandRunner } from '../targets/types';

const log = createLogger('connections');

type Handle = LocalRunner | SshHost | PgTarget | RedisTarget;

export interface ConnectionDeps {
  store: Store;
  secrets: SecretBox;
  knownHosts: KnownHosts;
  acceptFingerprints: string[];
  onAudit: (targetId: string, event: SshAuditEvent) => void;
  /** An SSH connection came (back) up: collect now instead of waiting out a backoff. */
  onReady?: (targetId: string) => void;
}

export class Connections {
  private readonly handles = new Map<string, Handle>();

  constructor(private readonly deps: ConnectionDeps) {}

  runner(target: Target): CommandRunner {
    const { config } = target;
    if (config.kind === 'local')
      return this.reuse(target.id, LocalRunner, () => new LocalRunner({ targetName: target.name }));
    if (config.kind === 'ssh') return this.ssh(target);
    throw new ValidationError(`${target.name} is a ${config.kind} target, not a host.`);
  }

  ssh(target: Target): SshHost {
    if (target.config.kind !== 'ssh') {
      throw new ValidationError(`${target.name} is not an SSH host.`);
    }
    const config: SshTargetConfig = target.config;
    return this.reuse(target.id, SshHost, () => {
      const opts = sshHostOptionsFromTarget(config, {
        knownHosts: this.deps.knownHosts,
        secret: this.secret(target),
        targetName: target.name,
        acceptFingerprints: this.deps.acceptFingerprints,
        onAudit: (e) => this.deps.onAudit(target.id, e),
      });
      const host = new SshHost(opts);
      host.onStatus((e) => {
        if (e.status === 'ready') this.deps.onReady?.(target.id);
      });
      return host;
    });
  }

  sql(target: Target): PgTarget {
    const { config } = target;
    if (config.kind !== 'postgres') throw new ValidationError(`${target.name} is not PostgreSQL.`);
    return this.reuse(target.id, PgTarget, () => {
      const via = config.viaTargetId
        ? this.ssh(this.viaTarget(target, config.viaTargetId))
        : undefined;
      const opts = pgTargetOptionsFromTarget(config, {
        secret: this.secret(target),
        via,
        targetName: target.name,
      });
      return new PgTarget(opts);
    });
  }

  redis(target: Target): RedisTarget {
    const { config } = target;
    if (config.kind !== 'redis') throw new ValidationError(`${target.name} is not Redis.`);
    return this.reuse(target.id, RedisTarget, () => {
      const via = config.viaTargetId
        ? this.ssh(this.viaTarget(target, config.viaTargetId))
        : undefined;
      const opts = redisTargetOptionsFromTarget(config, {
        secret: this.secret(target),
        via,
        targetName: target.name,
      });
      return new RedisTarget(opts);
    });
  }

  /** The SSH host whose key guards this target: itself, or the host it is reached through. */
  keyHolder(target: Target): SshHost {
    const { config } = target;
    if (config.kind === 'ssh') return this.ssh(target);
    if ((config.kind === 'postgres' || config.kind === 'redis') && config.viaTargetId) {
      return this.ssh(this.viaTarget(target, config.viaTargetId));
    }
    throw new ValidationError(`${target.name} is not reached over SSH, so it has no host key.`);
  }

  /** Drops a target's connection (after an edit or delete) and those tunnelled through it. */
  async invalidate(targetId: string): Promise<void> {
    const dependants = this.deps.store
      .listTargets()
      .filter((t) => 'viaTargetId' in t.config && t.config.viaTargetId === targetId)
      .map((t) => t.id);
    for (const id of [targetId, ...dependants]) {
      const h = this.handles.get(id);
      this.handles.delete(id);
      if (h)
        await h
          .close()
          .catch((err: Error) => log.debug('close failed', { targetId: id, error: err.message }));
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.handles.values()];
    this.handles.clear();
    await Promise.allSettled(all.map((h) => h.close()));
  }

  private viaTarget(target: Target, viaId: string): Target {
    const via = this.deps.store.getTarget(viaId);
    if (!via) {
      throw new NotFound(
        `${target.name} is reached through a host that no longer exists; edit the target and pick another.`,
      );
    }
    return via;
  }

  private secret(target: Target): string | null {
    const blob = this.deps.store.getSecret(target.id);
    return blob ? this.deps.secrets.decrypt(blob) : null;
  }

  private reuse<H extends Handle>(
    id: string,
    cls: abstract new (...a: never[]) => H,
    make: () => H,
  ): H {
    const have = this.handles.get(id);
    if (have instanceof cls) return have;
    if (have) void have.close();
    const made = make();
    this.handles.set(id, made);
    return made;
  }
}
