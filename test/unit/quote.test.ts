import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/main/errors';
import { checkHostName, shCommand, shQuote } from '../../src/main/targets/quote';
import { HOSTILE_STRINGS } from '../harness/hostile-strings';

function throughSh(script: string): Buffer {
  return execFileSync('/bin/sh', ['-c', script], { env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
}

describe('shQuote', () => {
  for (const [name, value] of Object.entries(HOSTILE_STRINGS)) {
    it(`carries ${name} through /bin/sh byte for byte`, () => {
      const out = throughSh(`printf %s ${shQuote(value)}`);
      assert.deepEqual(out, Buffer.from(value, 'utf8'));
    });
  }

  it('gives one word per value in shCommand', () => {
    const values = Object.values(HOSTILE_STRINGS);
    const out = throughSh(shCommand(['printf', '%s\\0', ...values]));
    assert.deepEqual(out.toString('utf8').split('\0').slice(0, -1), values);
  });

  it('keeps an assignment-looking value a command word', () => {
    assert.throws(() => throughSh(shCommand(['a=b'])), /status 127|not found/);
  });

  it('refuses a NUL byte with a clear error', () => {
    assert.throws(
      () => shQuote('a\0b'),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /NUL/);
        return true;
      },
    );
    assert.throws(() => shCommand(['echo', 'x\0']), ValidationError);
  });

  it('refuses an empty command', () => {
    assert.throws(() => shCommand([]), ValidationError);
  });
});

describe('checkHostName', () => {
  it('accepts ordinary names and addresses', () => {
    for (const h of ['db1.example.org', '10.0.0.7', '::1', 'host_1', 'xn--bcher-kva.example']) {
      assert.equal(checkHostName(h), h);
    }
  });

  it('refuses a leading dash, whitespace, control characters and the empty name', () => {
    for (const h of ['-oProxyCommand=touch /tmp/x', '-p', 'a b', 'a\nb', 'a\tb', '', 'a\0b']) {
      assert.throws(() => checkHostName(h), ValidationError, JSON.stringify(h));
    }
  });
});
