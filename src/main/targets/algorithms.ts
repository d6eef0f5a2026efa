// SSH algorithm lists: what a connection offers, what an old host may be allowed, and the
// plain-words explanation of a failed negotiation.
//
// ssh2 reports only "no matching key exchange algorithm"; the two lists it compared are
// only visible in its debug output ("Handshake: (local) KEX method: a,b"), so a
// connection keeps those lines until the handshake is over and explains failures with
// them.
import type { Algorithms } from 'ssh2';
import type { LegacyAlgorithms } from '../../shared/types';
import { AlgorithmMismatch, ValidationError } from '../errors';
import { algorithmsForKeyType } from './known-hosts';

export type AlgorithmKind = keyof LegacyAlgorithms;

/** Algorithms ssh2 supports but does not offer by default: weak, for old hosts only. */
export const LEGACY_CHOICES: Record<AlgorithmKind, readonly string[]> = {
  kex: [
    'diffie-hellman-group-exchange-sha1',
    'diffie-hellman-group14-sha1',
    'diffie-hellman-group1-sha1',
  ],
  serverHostKey: ['ssh-dss'],
  cipher: ['aes256-cbc', 'aes192-cbc', 'aes128-cbc', '3des-cbc'],
  hmac: [
    'hmac-md5',
    'hmac-sha2-256-96',
    'hmac-sha2-512-96',
    'hmac-ripemd160',
    'hmac-sha1-96',
    'hmac-md5-96',
  ],
};

/** ssh2's default host key algorithms, in its order. */
const DEFAULT_SERVER_HOST_KEY = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

const WORDS: Record<AlgorithmKind, string> = {
  kex: 'key exchange method',
  serverHostKey: 'host key type',
  cipher: 'cipher',
  hmac: 'message authentication (MAC) algorithm',
};

/**
 * The `algorithms` option for one connection: ssh2's defaults, the known key types of
 * this host asked for first (so a host with several keys presents the one we accepted),
 * and the legacy algorithms allowed for this host only, appended last so they are used
 * only when the host offers nothing better.
 */
export function algorithmsFor(
  legacy: LegacyAlgorithms | undefined,
  knownKeyTypes: readonly string[],
): Algorithms | undefined {
  checkLegacy(legacy);
  const out: Algorithms = {};
  const hostKeys = [...knownKeyTypes.flatMap(algorithmsForKeyType)];
  if (hostKeys.length || legacy?.serverHostKey?.length) {
    const rest = DEFAULT_SERVER_HOST_KEY.filter((a) => !hostKeys.includes(a));
    const extra = (legacy?.serverHostKey ?? []).filter((a) => !hostKeys.includes(a));
    out.serverHostKey = [...hostKeys, ...rest, ...extra] as Algorithms['serverHostKey'];
  }
  if (legacy?.kex?.length) out.kex = { append: legacy.kex } as Algorithms['kex'];
  if (legacy?.cipher?.length) out.cipher = { append: legacy.cipher } as Algorithms['cipher'];
  if (legacy?.hmac?.length) out.hmac = { append: legacy.hmac } as Algorithms['hmac'];
  return Object.keys(out).length ? out : undefined;
}

/** Refuses legacy algorithm names ssh2 cannot enable (typos, made-up names). */
export function checkLegacy(legacy: LegacyAlgorithms | undefined): void {
  if (!legacy) return;
  for (const kind of Object.keys(LEGACY_CHOICES) as AlgorithmKind[]) {
    for (const name of legacy[kind] ?? []) {
      if (LEGACY_CHOICES[kind].includes(name)) continue;
      throw new ValidationError(
        `"${name}" cannot be allowed as a legacy ${WORDS[kind]}: Opsdeck can allow only ` +
          `${LEGACY_CHOICES[kind].join(', ')}.`,
      );
    }
  }
}

/** Lists seen in ssh2's handshake debug lines, by kind and side. */
export interface HandshakeLists {
  local: Partial<Record<AlgorithmKind, string[]>>;
  remote: Partial<Record<AlgorithmKind, string[]>>;
}

const DEBUG_LINE =
  /^Handshake: \((local|remote)\) (KEX method|Host key format|C->S cipher|C->S MAC): (.*)$/;
const KIND_OF: Record<string, AlgorithmKind> = {
  'KEX method': 'kex',
  'Host key format': 'serverHostKey',
  'C->S cipher': 'cipher',
  'C->S MAC': 'hmac',
};
/** Pseudo-algorithms that signal extensions, not methods a person can choose. */
const PSEUDO = /^(ext-info-[cs]|kex-strict-[cs]-v00@openssh\.com)$/;

/**
 * Collects the lists from ssh2 debug lines; returns true when the line was one of them.
 */
export function collectHandshakeLine(lists: HandshakeLists, line: string): boolean {
  const m = DEBUG_LINE.exec(line);
  if (!m) return false;
  const names = m[3]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !PSEUDO.test(s));
  lists[m[1] as 'local' | 'remote'][KIND_OF[m[2]]] = names;
  return true;
}

/** Which list failed, from ssh2's handshake error message; null for other errors. */
export function mismatchKind(message: string): AlgorithmKind | null {
  if (!message.startsWith('Handshake failed: no matching')) return null;
  if (message.includes('key exchange')) return 'kex';
  if (message.includes('host key')) return 'serverHostKey';
  if (message.includes('cipher')) return 'cipher';
  if (message.includes('MAC')) return 'hmac';
  return null;
}

/**
 * The error for a failed negotiation, in plain words: both lists, and the per-host
 * setting that would let this host connect (suggesting only what Opsdeck can allow).
 */
export function describeMismatch(
  target: string,
  kind: AlgorithmKind,
  lists: HandshakeLists,
): AlgorithmMismatch {
  const ours = lists.local[kind] ?? [];
  const theirs = lists.remote[kind] ?? [];
  const allowable = theirs.filter((a) => LEGACY_CHOICES[kind].includes(a));
  const show = (l: string[]): string => (l.length ? l.join(', ') : '(not reported)');
  const advice = allowable.length
    ? `If you trust this old host, allow "${allowable[0]}" for this host only: in the ` +
      `target's settings, Legacy algorithms → ${WORDS[kind]} (legacyAlgorithms.${kind}), ` +
      'then connect again. Better: update the host so it offers a current method.'
    : "Opsdeck cannot allow any of the host's methods; update the host's SSH server " +
      'configuration so it offers a current one.';
  return new AlgorithmMismatch(
    `SSH to ${target} failed: the host and Opsdeck have no ${WORDS[kind]} in common. ` +
      `The host offers: ${show(theirs)}. Opsdeck offers: ${show(ours)}. ${advice}`,
  );
}
