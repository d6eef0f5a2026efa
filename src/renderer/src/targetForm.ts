// The target form's state and its translation to saveTarget's argument. Pure.
import { saveTargetSchema, type MethodInput } from '../../shared/api';
import { assertNever } from '../../shared/result';
import type {
  LegacyAlgorithms,
  SshAuth,
  Target,
  TargetConfig,
  TargetKind,
} from '../../shared/types';

export type SecretMode = 'none' | 'keep' | 'replace' | 'remove';
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-full';

export interface FormState {
  id?: string;
  kind: TargetKind;
  name: string;
  group: string;
  /** Seconds; empty means the default from Settings. */
  intervalS: string;
  enabled: boolean;
  host: string;
  port: string;
  user: string;
  auth: SshAuth;
  keyPath: string;
  proxyJump: string[];
  legacy: Record<keyof LegacyAlgorithms, string>;
  database: string;
  sslmode: SslMode;
  viaTargetId: string;
  tls: boolean;
  username: string;
  db: string;
  secretMode: SecretMode;
  secret: string;
}

export type SaveInput = MethodInput<'saveTarget'>;

const DEFAULT_PORT: Record<TargetKind, string> = {
  local: '',
  ssh: '22',
  postgres: '5432',
  redis: '6379',
};

export function emptyForm(kind: TargetKind = 'ssh'): FormState {
  return {
    kind,
    name: '',
    group: '',
    intervalS: '',
    enabled: true,
    host: '',
    port: DEFAULT_PORT[kind],
    user: '',
    auth: 'agent',
    keyPath: '',
    proxyJump: [],
    legacy: { kex: '', serverHostKey: '', cipher: '', hmac: '' },
    database: 'postgres',
    sslmode: 'prefer',
    viaTargetId: '',
    tls: false,
    username: '',
    db: '0',
    secretMode: 'none',
    secret: '',
  };
}

/** Switching kind keeps name and group, and resets the port to the new kind's default. */
export function withKind(state: FormState, kind: TargetKind): FormState {
  return { ...state, kind, port: DEFAULT_PORT[kind] };
}

export function formFromTarget(t: Target): FormState {
  const base: FormState = {
    ...emptyForm(t.config.kind),
    id: t.id,
    name: t.name,
    group: t.group,
    intervalS: String(Math.round(t.intervalMs / 1000)),
    enabled: t.enabled,
    secretMode: t.hasSecret ? 'keep' : 'none',
  };
  const c = t.config;
  switch (c.kind) {
    case 'local':
      return base;
    case 'ssh':
      return {
        ...base,
        host: c.host,
        port: String(c.port),
        user: c.user,
        auth: c.auth,
        keyPath: c.keyPath ?? '',
        proxyJump: c.proxyJump ?? [],
        legacy: {
          kex: (c.legacyAlgorithms?.kex ?? []).join(', '),
          serverHostKey: (c.legacyAlgorithms?.serverHostKey ?? []).join(', '),
          cipher: (c.legacyAlgorithms?.cipher ?? []).join(', '),
          hmac: (c.legacyAlgorithms?.hmac ?? []).join(', '),
        },
      };
    case 'postgres':
      return {
        ...base,
        host: c.host,
        port: String(c.port),
        user: c.user,
        database: c.database,
        sslmode: c.sslmode,
        viaTargetId: c.viaTargetId ?? '',
      };
    case 'redis':
      return {
        ...base,
        host: c.host,
        port: String(c.port),
        tls: c.tls,
        username: c.username ?? '',
        db: String(c.db),
        viaTargetId: c.viaTargetId ?? '',
      };
    default:
      return assertNever(c, 'target config');
  }
}

/** A whole number from a field, or NaN so that validation names the field. */
function int(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

function list(text: string): string[] | undefined {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

function legacyOf(l: FormState['legacy']): LegacyAlgorithms | undefined {
  const out: LegacyAlgorithms = {};
  for (const k of ['kex', 'serverHostKey', 'cipher', 'hmac'] as const) {
    const v = list(l[k]);
    if (v) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

export function hasLegacy(state: FormState): boolean {
  return legacyOf(state.legacy) !== undefined;
}

function configOf(s: FormState): TargetConfig {
  switch (s.kind) {
    case 'local':
      return { kind: 'local' };
    case 'ssh': {
      const hops = s.proxyJump.map((h) => h.trim()).filter(Boolean);
      return {
        kind: 'ssh',
        host: s.host.trim(),
        port: int(s.port),
        user: s.user.trim(),
        auth: s.auth,
        ...(s.auth === 'key' && s.keyPath.trim() ? { keyPath: s.keyPath.trim() } : {}),
        ...(hops.length ? { proxyJump: hops } : {}),
        ...(legacyOf(s.legacy) ? { legacyAlgorithms: legacyOf(s.legacy) } : {}),
      };
    }
    case 'postgres':
      return {
        kind: 'postgres',
        host: s.host.trim(),
        port: int(s.port),
        database: s.database.trim(),
        user: s.user.trim(),
        sslmode: s.sslmode,
        ...(s.viaTargetId ? { viaTargetId: s.viaTargetId } : {}),
      };
    case 'redis':
      return {
        kind: 'redis',
        host: s.host.trim(),
        port: int(s.port),
        tls: s.tls,
        ...(s.username.trim() ? { username: s.username.trim() } : {}),
        db: int(s.db),
        ...(s.viaTargetId ? { viaTargetId: s.viaTargetId } : {}),
      };
    default:
      return assertNever(s.kind, 'target kind');
  }
}

/** undefined keeps what is stored, null removes it, a string replaces it. */
function secretOf(s: FormState): string | null | undefined {
  if (!secretApplies(s)) return s.secretMode === 'remove' ? null : undefined;
  switch (s.secretMode) {
    case 'none':
      return s.secret === '' ? undefined : s.secret;
    case 'keep':
      return undefined;
    case 'replace':
      return s.secret;
    case 'remove':
      return null;
    default:
      return assertNever(s.secretMode, 'secret mode');
  }
}

/** Whether the kind and auth take a password or passphrase at all. */
export function secretApplies(s: FormState): boolean {
  switch (s.kind) {
    case 'local':
      return false;
    case 'ssh':
      return s.auth !== 'agent';
    case 'postgres':
    case 'redis':
      return true;
    default:
      return assertNever(s.kind, 'target kind');
  }
}

export function secretLabel(s: FormState): string {
  if (s.kind === 'ssh' && s.auth === 'key') return 'Key passphrase';
  return 'Password';
}

export function toSaveInput(s: FormState): SaveInput {
  const interval = s.intervalS.trim() === '' ? undefined : Number(s.intervalS.trim()) * 1000;
  const secret = secretOf(s);
  return {
    ...(s.id ? { id: s.id } : {}),
    name: s.name.trim(),
    group: s.group.trim(),
    ...(interval !== undefined
      ? { intervalMs: Number.isFinite(interval) ? Math.round(interval) : Number.NaN }
      : {}),
    enabled: s.enabled,
    config: configOf(s),
    ...(secret !== undefined ? { secret } : {}),
  };
}

export type FieldErrors = Record<string, string>;

const FIELD_WORDS: Record<string, string> = {
  name: 'Name',
  group: 'Group',
  intervalMs: 'Interval',
  host: 'Host',
  port: 'Port',
  user: 'User',
  keyPath: 'Key path',
  proxyJump: 'Proxy jump',
  database: 'Database',
  username: 'Username',
  db: 'Database number',
  secret: 'Secret',
};

/** Checks with the same schema the backend uses; errors keyed by form field. */
export function validate(s: FormState): FieldErrors {
  const errors: FieldErrors = {};
  if (s.secretMode === 'replace' && s.secret === '' && secretApplies(s)) {
    errors.secret = 'Type the new secret, or choose "Keep stored".';
  }
  if (s.kind === 'ssh' && s.auth === 'key' && s.keyPath.trim() === '') {
    errors.keyPath = 'Give the path of the private key on this workstation.';
  }
  const result = saveTargetSchema.safeParse(toSaveInput(s));
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p) => p !== 'config');
    const field = path[0] === 'legacyAlgorithms' ? 'legacy' : String(path[0] ?? 'form');
    const key = field === 'proxyJump' && path.length > 1 ? `proxyJump.${String(path[1])}` : field;
    if (errors[key]) continue;
    errors[key] = plainIssue(field, issue.message, issue.code);
  }
  return errors;
}

function plainIssue(field: string, message: string, code: string): string {
  const word = FIELD_WORDS[field] ?? field;
  if (code === 'invalid_type') return `${word}: enter a whole number.`;
  if (code === 'too_small') return `${word} is required or too small.`;
  if (code === 'too_big') return `${word} is too large.`;
  return `${word}: ${message}.`;
}
