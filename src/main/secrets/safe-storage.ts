// Electron's safeStorage (the OS keychain) as a SecretBox. Blobs carry a tag byte so that
// secrets written by the key-file backend (browser mode, or a desktop without a keychain)
// still open after the backend changed.
import { SecretUnavailable } from '../errors';
import type { SecretBox } from './types';

/** The part of Electron's safeStorage this uses (kept apart so it is testable in Node). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(blob: Buffer): string;
  getSelectedStorageBackend?(): string;
}

const TAG = 0x53; // 'S': the key-file format starts with its version byte 0x01

/** True when safeStorage is backed by a real keychain, not Chromium's plain-text fallback. */
export function safeStorageIsReal(s: SafeStorageLike, platform = process.platform): boolean {
  if (!s.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = s.getSelectedStorageBackend?.() ?? 'unknown';
  return backend !== 'basic_text' && backend !== 'unknown';
}

export class SafeStorageSecretBox implements SecretBox {
  readonly backend = 'safeStorage' as const;

  constructor(
    private readonly storage: SafeStorageLike,
    private readonly fallback: SecretBox,
  ) {}

  encrypt(plain: string): Buffer {
    return Buffer.concat([Buffer.from([TAG]), this.storage.encryptString(plain)]);
  }

  decrypt(blob: Buffer): string {
    if (blob[0] !== TAG) return this.fallback.decrypt(blob);
    try {
      return this.storage.decryptString(blob.subarray(1));
    } catch (err) {
      throw new SecretUnavailable(
        `A stored secret could not be opened by the OS keychain (${(err as Error).message}). ` +
          'Unlock the keychain, or enter the secret again.',
      );
    }
  }
}
