import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SecretUnavailable } from '../../src/main/errors';
import { KEY_FILE_NAME, KeyFileSecretBox } from '../../src/main/secrets/keyfile';

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-secrets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('KeyFileSecretBox', () => {
  it('round-trips secrets, with a new nonce each time', () => {
    const box = new KeyFileSecretBox(dataDir());
    for (const s of ['', 'hunter2', 'pa\'ss"wo\nrd', 'päss 🔑', 'x'.repeat(5000)]) {
      assert.equal(box.decrypt(box.encrypt(s)), s);
    }
    const a = box.encrypt('same');
    const b = box.encrypt('same');
    assert.notDeepEqual(a, b);
    assert.equal(a[0], 1, 'version byte');
    assert.ok(!a.includes(Buffer.from('same')), 'no clear text in the blob');
    assert.equal(box.backend, 'keyfile');
  });

  it('creates the key file with mode 0600 and reuses it', () => {
    const dir = dataDir();
    const box = new KeyFileSecretBox(dir);
    const path = join(dir, KEY_FILE_NAME);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path).length, 32);
    const blob = box.encrypt('kept');
    assert.equal(new KeyFileSecretBox(dir).decrypt(blob), 'kept');
  });

  it('refuses a tampered blob, a truncated one and an unknown version', () => {
    const box = new KeyFileSecretBox(dataDir());
    const blob = box.encrypt('secret value');
    for (const i of [0 + 1, 14, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[i] ^= 0x01;
      assert.throws(() => box.decrypt(bad), SecretUnavailable, `byte ${i}`);
    }
    assert.throws(() => box.decrypt(blob.subarray(0, 10)), SecretUnavailable);
    const v2 = Buffer.from(blob);
    v2[0] = 2;
    assert.throws(() => box.decrypt(v2), /format/);
  });

  it('refuses a blob made with another key', () => {
    const blob = new KeyFileSecretBox(dataDir()).encrypt('s');
    assert.throws(() => new KeyFileSecretBox(dataDir()).decrypt(blob), /could not be decrypted/);
  });

  it('refuses a key file readable by group or others, with a clear error', () => {
    const dir = dataDir();
    new KeyFileSecretBox(dir);
    const path = join(dir, KEY_FILE_NAME);
    for (const mode of [0o640, 0o604, 0o644]) {
      chmodSync(path, mode);
      assert.throws(
        () => new KeyFileSecretBox(dir),
        (e: unknown) => {
          assert.ok(e instanceof SecretUnavailable);
          assert.match(e.message, /chmod 600/);
          assert.ok(e.message.includes(path));
          return true;
        },
      );
    }
    chmodSync(path, 0o600);
    assert.doesNotThrow(() => new KeyFileSecretBox(dir));
  });

  it('refuses a damaged key file', () => {
    const dir = dataDir();
    writeFileSync(join(dir, KEY_FILE_NAME), Buffer.alloc(7), { mode: 0o600 });
    assert.throws(() => new KeyFileSecretBox(dir), /damaged/);
  });
});
