// The app's own known_hosts file, in OpenSSH format, so `ssh-keygen -F` and `-lf` can
// read it. Lines are `host keytype base64` for port 22 and `[host]:port keytype base64`
// otherwise. Hashed host names (|1|salt|hash) and @revoked lines are understood.
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NotFound, ValidationError } from '../errors';

export interface KnownKey {
  keyType: string;
  keyBase64: string;
  fingerprint: string;
  revoked: boolean;
}

export type HostKeyVerdict =
  | { kind: 'known' }
  | { kind: 'unknown'; keyType: string; fingerprint: string }
  | { kind: 'changed'; keyType: string; fingerprint: string; knownFingerprint: string }
  | { kind: 'revoked'; keyType: string; fingerprint: string };

/** A key a host presented that nobody accepted yet, kept for acceptance by fingerprint. */
export interface PendingKey {
  host: string;
  port: number;
  keyType: string;
  keyBase64: string;
  fingerprint: string;
}

/** "SHA256:" and the unpadded base64 of the key blob's SHA-256, as OpenSSH prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  const b64 = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${b64.replace(/=+$/, '')}`;
}

/** The key type named at the head of an SSH public key blob (RFC 4253 6.6). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new ValidationError('An SSH host key blob is too short.');
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) {
    throw new ValidationError('An SSH host key blob does not start with a key type.');
  }
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** The host field OpenSSH writes: bare for port 22, bracketed with the port otherwise. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

interface Line {
  hosts: string;
  keyType: string;
  keyBase64: string;
  revoked: boolean;
}

function parseLine(raw: string): Line | null {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return null;
  const fields = line.split(/\s+/);
  let revoked = false;
  if (fields[0].startsWith('@')) {
    const marker = fields.shift();
    // A CA line certifies other keys; it is not a host key, so it cannot match one.
    if (marker === '@cert-authority') return null;
    revoked = marker === '@revoked';
  }
  if (fields.length < 3) return null;
  return { hosts: fields[0], keyType: fields[1], keyBase64: fields[2], revoked };
}

/**
 * One host pattern of a known_hosts line: a name, `*`/`?` wildcards, or a hashed name.
 */
function patternMatches(pattern: string, wanted: string): boolean {
  if (pattern.startsWith('|1|')) return hashedMatches(pattern, wanted);
  if (!/[*?]/.test(pattern)) return pattern === wanted;
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(wanted);
}

/**
 * Comma-separated patterns as OpenSSH reads them: a matching `!pattern` wins over all.
 */
function hostMatches(field: string, wanted: string): boolean {
  const patterns = field.split(',');
  if (patterns.some((p) => p.startsWith('!') && patternMatches(p.slice(1), wanted))) return false;
  return patterns.some((p) => !p.startsWith('!') && patternMatches(p, wanted));
}

function hashedMatches(entry: string, wanted: string): boolean {
  const [, , salt, hash] = entry.split('|');
  if (!salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(wanted).digest('base64');
  return mac === hash;
}

function toKnownKey(l: Line): KnownKey {
  return {
    keyType: l.keyType,
    keyBase64: l.keyBase64,
    fingerprint: fingerprintOf(Buffer.from(l.keyBase64, 'base64')),
    revoked: l.revoked,
  };
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * Fingerprints accepted in advance on the command line: `--accept-host-key SHA256:…` or
 * `--accept-host-key=SHA256:…`, repeatable. A malformed value is refused, not ignored.
 */
export function parseAcceptHostKeyArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let value: string | undefined;
    if (a === '--accept-host-key') value = argv[++i];
    else if (a.startsWith('--accept-host-key=')) value = a.slice('--accept-host-key='.length);
    else continue;
    const fp = (value ?? '').replace(/=+$/, '');
    if (!FINGERPRINT.test(fp)) {
      throw new ValidationError(
        '--accept-host-key needs a fingerprint like SHA256:… as ssh-keygen -lf prints ' +
          `it, not "${value ?? ''}".`,
      );
    }
    out.push(fp);
  }
  return out;
}

/** A key type as host key algorithms: RSA keys sign with SHA-2 first. */
export function algorithmsForKeyType(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [keyType];
}

/**
 * The known_hosts file of the app. Read on every check (it is small), so several
 * connections and the UI share one truth without a cache to keep in step.
 */
export class KnownHosts {
  private readonly pending = new Map<string, PendingKey>();

  constructor(readonly path: string) {}

  lookup(host: string, port: number): KnownKey[] {
    const wanted = hostPattern(host, port);
    return this.lines()
      .filter((l) => hostMatches(l.hosts, wanted))
      .map(toKnownKey);
  }

  /**
   * Compares a presented key with the file. Any accepted key for the host that differs is
   * a change: an attacker can choose to present another key type, so a type we have not
   * seen for a host we know is refused as loudly as a different key of the same type.
   */
  check(host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
    const keyType = keyTypeOf(keyBlob);
    const fingerprint = fingerprintOf(keyBlob);
    const known = this.lookup(host, port);
    if (known.some((k) => k.revoked && k.fingerprint === fingerprint)) {
      return { kind: 'revoked', keyType, fingerprint };
    }
    const accepted = known.filter((k) => !k.revoked);
    if (accepted.some((k) => k.fingerprint === fingerprint)) return { kind: 'known' };
    if (accepted.length === 0) {
      this.pending.set(pendingKey(host, port, fingerprint), {
        host,
        port,
        keyType,
        keyBase64: keyBlob.toString('base64'),
        fingerprint,
      });
      return { kind: 'unknown', keyType, fingerprint };
    }
    const same = accepted.find((k) => k.keyType === keyType) ?? accepted[0];
    return { kind: 'changed', keyType, fingerprint, knownFingerprint: same.fingerprint };
  }

  /** Key types accepted for a host, to ask the server for those first. */
  knownKeyTypes(host: string, port: number): string[] {
    return [
      ...new Set(
        this.lookup(host, port)
          .filter((k) => !k.revoked)
          .map((k) => k.keyType),
      ),
    ];
  }

  /** Writes a key line. The key must parse and its type must match the blob. */
  add(host: string, port: number, keyType: string, keyBase64: string): KnownKey {
    const blob = Buffer.from(keyBase64, 'base64');
    if (blob.toString('base64') !== keyBase64 || keyTypeOf(blob) !== keyType) {
      throw new ValidationError(`The host key given for ${host}:${port} is not a ${keyType} key.`);
    }
    const existing = this.lookup(host, port).find((k) => k.keyBase64 === keyBase64);
    if (existing) return existing;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    appendFileSync(this.path, `${hostPattern(host, port)} ${keyType} ${keyBase64}\n`, {
      mode: 0o600,
    });
    this.pending.delete(pendingKey(host, port, fingerprintOf(blob)));
    return toKnownKey({ hosts: hostPattern(host, port), keyType, keyBase64, revoked: false });
  }

  /** A key seen during a refused connection, by its fingerprint. */
  pendingKey(host: string, port: number, fingerprint: string): PendingKey | undefined {
    return this.pending.get(pendingKey(host, port, fingerprint));
  }

  /**
   * The operator accepted the fingerprint they were shown: writes the full key line kept
   * from the refused connection. Fails when no connection presented that key.
   */
  acceptPending(host: string, port: number, fingerprint: string): KnownKey {
    const p = this.pending.get(pendingKey(host, port, fingerprint));
    if (!p) {
      throw new NotFound(
        `No key with fingerprint ${fingerprint} was presented by ${host}:${port}. ` +
          'Test the connection again to see the key the host presents now.',
      );
    }
    return this.add(host, port, p.keyType, p.keyBase64);
  }

  /**
   * Removes the lines naming this host and port (for an expected key change); returns the
   * count. Wildcard lines and @revoked lines stay: they were written on purpose.
   */
  forget(host: string, port: number): number {
    const wanted = hostPattern(host, port);
    const names = (field: string): boolean =>
      field.split(',').some((p) => !/[*?!]/.test(p) && patternMatches(p, wanted));
    const lines = this.rawLines();
    const kept = lines.filter((raw) => {
      const l = parseLine(raw);
      return !(l && !l.revoked && names(l.hosts));
    });
    if (kept.length !== lines.length) {
      writeFileSync(this.path, kept.length ? kept.join('\n') + '\n' : '', { mode: 0o600 });
    }
    return lines.length - kept.length;
  }

  private rawLines(): string[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  }

  private lines(): Line[] {
    return this.rawLines()
      .map(parseLine)
      .filter((l): l is Line => l !== null);
  }
}

function pendingKey(host: string, port: number, fingerprint: string): string {
  return `${hostPattern(host, port)} ${fingerprint}`;
}
