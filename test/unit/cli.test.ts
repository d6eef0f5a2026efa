import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserToken, defaultDataDir, parseCli } from '../../src/main/paths';

const FP = 'SHA256:DzZj/0zUQsEbMgFmK9t+/kd5/uXh6DMxASvIHcuq4GI';

test('command line: data folder, port and pre-accepted host keys', () => {
  const o = parseCli(['--data-dir', '/tmp/x', '--port=8080', '--accept-host-key', FP]);
  assert.equal(o.dataDir, '/tmp/x');
  assert.equal(o.port, 8080);
  assert.deepEqual(o.acceptHostKeys, [FP]);
});

test('command line: bad values and unknown flags are refused with the fix', () => {
  assert.throws(() => parseCli(['--accept-host-key', 'MD5:aa:bb']), /fingerprint like SHA256/);
  assert.throws(() => parseCli(['--port', '99999']), /--port wants 0-65535/);
  assert.throws(() => parseCli(['--data-dir']), /--data-dir needs a value/);
  assert.throws(() => parseCli(['--frobnicate']), /Unknown option --frobnicate/);
  assert.deepEqual(parseCli(['--no-sandbox', '.'], true).acceptHostKeys, []);
});

test('browser mode keeps its data under XDG_DATA_HOME when it is absolute', () => {
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/srv/data' }), '/srv/data/opsdeck');
  assert.match(defaultDataDir({ XDG_DATA_HOME: 'relative' }), /\.local\/share\/opsdeck$/);
});

test('browser mode keeps its token across restarts, 0600, until --new-token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-token-'));
  try {
    const first = browserToken(dir, false);
    assert.match(first, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(browserToken(dir, false), first, 'a restart reuses the token');
    assert.equal(statSync(join(dir, 'browser-token')).mode & 0o777, 0o600);
    const rotated = browserToken(dir, parseCli(['--new-token']).newToken === true);
    assert.notEqual(rotated, first);
    assert.equal(browserToken(dir, false), rotated);
    writeFileSync(join(dir, 'browser-token'), 'short\n');
    assert.notEqual(browserToken(dir, false), 'short', 'a damaged token file is replaced');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
