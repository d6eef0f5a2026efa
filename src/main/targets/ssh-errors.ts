// ssh2's errors turned into the named errors an operator can act on. Each message names
// the target (user@host:port) and says what to do.
import {
  AuthFailed,
  ConnectTimeout,
  HostKeyChanged,
  HostKeyUnknown,
  OpsdeckError,
  TargetUnreachable,
} from '../errors';
import { describeMismatch, mismatchKind, type HandshakeLists } from './algorithms';
import type { HostKeyVerdict } from './known-hosts';

export type SshAuthMethod = 'key' | 'agent' | 'password';

/** What was known about the attempt when it failed. */
export interface SshFailureContext {
  /** user@host:port, plus "(jump host for …)" for a hop. */
  label: string;
  host: string;
  port: number;
  method: SshAuthMethod;
  keyPath?: string;
  readyTimeoutMs: number;
  lists: HandshakeLists;
  verdict: HostKeyVerdict | null;
  /** Set when the known_hosts file itself could not be read or written. */
  knownHostsError?: OpsdeckError;
}

interface Ssh2Error extends Error {
  level?: string;
  code?: string | number;
}

export function hostKeyUnknownError(
  host: string,
  port: number,
  keyType: string,
  fingerprint: string,
): HostKeyUnknown {
  return new HostKeyUnknown(
    `The SSH host key of ${host}:${port} is not known yet: ${keyType} ${fingerprint}. ` +
      'Nothing was authenticated. Compare this fingerprint with the one the host reports ' +
      '(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host) and accept it to connect.',
    host,
    port,
    keyType,
    fingerprint,
  );
}

export function hostKeyChangedError(
  host: string,
  port: number,
  keyType: string,
  fingerprint: string,
  knownFingerprint: string,
): HostKeyChanged {
  return new HostKeyChanged(
    `The SSH host key of ${host}:${port} has CHANGED: it now presents ${keyType} ` +
      `${fingerprint}, but ${knownFingerprint} was accepted before. The connection was ` +
      'refused and nothing was authenticated. A reinstalled host does this, and so does ' +
      "someone intercepting the connection: ask the host's administrator. If the change is " +
      'expected, remove the old key for this host and accept the new one.',
    host,
    port,
    keyType,
    fingerprint,
    knownFingerprint,
  );
}

function hostKeyError(ctx: SshFailureContext): OpsdeckError | null {
  const v = ctx.verdict;
  if (!v) return null;
  switch (v.kind) {
    case 'known':
      return null;
    case 'unknown':
      return hostKeyUnknownError(ctx.host, ctx.port, v.keyType, v.fingerprint);
    case 'changed':
      return hostKeyChangedError(ctx.host, ctx.port, v.keyType, v.fingerprint, v.knownFingerprint);
    case 'revoked':
      return hostKeyChangedError(ctx.host, ctx.port, v.keyType, v.fingerprint, 'a revoked key');
  }
}

function authAdvice(ctx: SshFailureContext): string {
  switch (ctx.method) {
    case 'key':
      return (
        `the server did not accept the key ${ctx.keyPath ?? ''}. Check the user name, and ` +
        'that the matching public key (.pub) is in ~/.ssh/authorized_keys of that user on ' +
        'the host.'
      );
    case 'agent':
      return (
        "the server accepted none of the ssh-agent's keys. Check the user name, and that " +
        'one of the keys listed by `ssh-add -l` is in ~/.ssh/authorized_keys on the host.'
      );
    case 'password':
      return (
        'the password was refused (or the server does not allow password logins). Check ' +
        'the user name and the stored password.'
      );
  }
}

const SOCKET_ADVICE: Record<string, string> = {
  ECONNREFUSED:
    'the connection was refused: nothing listens on that port. Check the port and ' +
    'that sshd is running.',
  ENOTFOUND: 'the host name cannot be resolved. Check its spelling and DNS.',
  EAI_AGAIN: 'the host name cannot be resolved right now. Check DNS and the network.',
  EHOSTUNREACH: 'there is no route to the host. Check the address and the network.',
  ENETUNREACH: 'the network is unreachable. Check the network connection.',
  ECONNRESET:
    "the host reset the connection. Check sshd's log on the host (MaxStartups, firewall).",
  ETIMEDOUT: 'the TCP connection timed out. Check the address and any firewall.',
};

/** The named error for a failed connection attempt. */
export function translateSshError(err: unknown, ctx: SshFailureContext): OpsdeckError {
  if (ctx.knownHostsError) return ctx.knownHostsError;
  if (err instanceof OpsdeckError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as Ssh2Error;
  const byKey = hostKeyError(ctx);
  if (byKey) return byKey;
  const kind = mismatchKind(e.message);
  if (kind) return describeMismatch(ctx.label, kind, ctx.lists);
  if (e.level === 'client-authentication') {
    return new AuthFailed(`SSH login to ${ctx.label} failed: ${authAdvice(ctx)}`);
  }
  if (e.level === 'client-timeout') {
    return new ConnectTimeout(
      `No SSH answer from ${ctx.label} within ${Math.round(ctx.readyTimeoutMs / 1000)} s ` +
        `(${e.message}). Check the host name and port, that sshd runs, and that no ` +
        'firewall drops the traffic.',
    );
  }
  const code = typeof e.code === 'string' ? e.code : '';
  if (SOCKET_ADVICE[code]) {
    return new TargetUnreachable(`Cannot reach ${ctx.label}: ${SOCKET_ADVICE[code]}`);
  }
  return new TargetUnreachable(
    `SSH connection to ${ctx.label} failed: ${e.message}. Check that the host runs an SSH ` +
      'server on that port.',
  );
}
