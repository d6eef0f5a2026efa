// How stored passwords and passphrases are protected at rest. Two backends: Electron's
// safeStorage (the OS keychain) where it is real, and a key file of the app's own
// elsewhere.

export type SecretBackend = 'safeStorage' | 'keyfile';

export interface SecretBox {
  readonly backend: SecretBackend;
  /** A blob safe to store in SQLite; never the clear text. */
  encrypt(plain: string): Buffer;
  /** The clear text; throws SecretUnavailable when the blob cannot be opened. */
  decrypt(blob: Buffer): string;
}
