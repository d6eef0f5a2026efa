// Short words about a target: where it is, how it is reached.
import { assertNever } from '../../shared/result';
import type { Target } from '../../shared/types';

export function targetAddress(target: Target, nameOf: (id: string) => string): string {
  const c = target.config;
  switch (c.kind) {
    case 'local':
      return 'this machine';
    case 'ssh': {
      const hops = c.proxyJump?.length ? ` via ${c.proxyJump.join(' → ')}` : '';
      return `${c.user}@${c.host}:${c.port}${hops}`;
    }
    case 'postgres': {
      const via = c.viaTargetId ? ` via ${nameOf(c.viaTargetId)}` : '';
      return `${c.user}@${c.host}:${c.port}/${c.database}${via}`;
    }
    case 'redis': {
      const via = c.viaTargetId ? ` via ${nameOf(c.viaTargetId)}` : '';
      return `${c.tls ? 'rediss' : 'redis'}://${c.host}:${c.port}/${c.db}${via}`;
    }
    default:
      return assertNever(c, 'target config');
  }
}
