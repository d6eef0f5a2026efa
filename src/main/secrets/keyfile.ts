// The key-file backend, for machines without a real OS keychain: AES-256-GCM under a
// random 32-byte key kept in `<dataDir>/secret.key` with mode 0600. Anyone who can read
// that file can read the secrets; the file's permissions are the whole protection, so a
// key file that group or others can read is refused rather than used.
//
// Blob format, version 1:
//   [0] 0x01 (format version)
//   [1..12] 96-bit random nonce, new for every secret
//   [13..28] 128-bit GCM tag
//   [29..] ciphertext of the UTF-8 secret The version byte and a fixed label are
//   authenticated as associated data.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { SecretUnavailable } from '../errors';
import type { SecretBox } from './types';

const VERSION = 1;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = 1 + NONCE_BYTES + TAG_BYTES;
const AAD_LABEL = Buffer.from('opsdeck-secret');

export const KEY_FILE_NAME = 'secret.key';

function aad(version: number): Buffer {
  return Buffer.concat([AAD_LABEL, Buffer.from([version])]);
}

/** Creates the key file if missing (exclusive create, 0600), then reads and checks it. */
export function loadOrCreateKey(path: string): Buffer {
  try {
    createKeyFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecretUnavailable(
        `Cannot create the secret key file ${path} (${(err as Error).message}). ` +
          'Check that the data folder is writable.',
      );
    }
  }
  return readKeyFile(path);
}

function createKeyFile(path: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, randomBytes(KEY_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readKeyFile(path: string): Buffer {
  const st = lstatSync(path);
  if (!st.isFile()) {
    throw new SecretUnavailable(
      `The secret key ${path} is not a regular file. Remove it and restart.`,
    );
  }
  if ((st.mode & 0o077) !== 0) {
    throw new SecretUnavailable(
      `The secret key ${path} can be read by other users (mode ` +
        `${(st.mode & 0o777).toString(8)}). ` +
        `Opsdeck refuses to use it: run "chmod 600 ${path}" and check who may have copied it.`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new SecretUnavailable(
      `The secret key ${path} belongs to another user (uid ${st.uid}). ` +
        'Run Opsdeck as the owner of its data folder.',
    );
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES) {
    throw new SecretUnavailable(
      `The secret key ${path} holds ${key.length} bytes instead of ${KEY_BYTES}: it is damaged. ` +
        'Restore it from a backup, or remove it and enter every stored secret again.',
    );
  }
  return key;
}

export class KeyFileSecretBox implements SecretBox {
  readonly backend = 'keyfile' as const;
  readonly keyPath: string;
  private readonly key: Buffer;

  /** Opens (or creates) `<dataDir>/secret.key`. */
  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.keyPath = join(dataDir, KEY_FILE_NAME);
    this.key = loadOrCreateKey(this.keyPath);
  }

  encrypt(plain: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(VERSION));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
  }

  decrypt(blob: Buffer): string {
    if (blob.length < HEADER || blob[0] !== VERSION) {
      throw new SecretUnavailable(
        'A stored secret is not in a format this Opsdeck knows (damaged, or written by a ' +
          'newer version). Enter the secret again.',
      );
    }
    const nonce = blob.subarray(1, 1 + NONCE_BYTES);
    const tag = blob.subarray(1 + NONCE_BYTES, HEADER);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(blob[0]));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(blob.subarray(HEADER)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretUnavailable(
        `A stored secret could not be decrypted: it was altered, or ${this.keyPath} is not the ` +
          'key it was stored with. Enter the secret again.',
      );
    }
  }
}
