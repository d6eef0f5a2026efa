import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import { candidatesFromText, importSshConfig, splitArgs } from '../../src/main/targets/ssh-config';

/** A fake home with .ssh/config and the given extra files. */
function home(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-sshconfig-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

function load(files: Record<string, string>) {
  const h = home(files);
  return { h, list: importSshConfig(join(h, '.ssh', 'config'), { home: h, localUser: 'me' }) };
}

describe('importSshConfig', () => {
  it('reads Host, HostName, Port, User and IdentityFile, with ~ expanded', () => {
    const { h, list } = load({
      '.ssh/config': [
        'Host web1',
        '  HostName 10.0.0.11',
        '  Port 2222',
        '  User deploy',
        '  IdentityFile ~/.ssh/id_web',
        '',
        'Host db1 db1.internal',
        '  HostName db1.example.org',
        '',
        'Host *',
        '  User fallback',
        '  IdentityFile ~/.ssh/id_default',
      ].join('\n'),
    });
    assert.deepEqual(list, [
      {
        alias: 'web1',
        host: '10.0.0.11',
        port: 2222,
        user: 'deploy',
        keyPath: join(h, '.ssh/id_web'),
      },
      {
        alias: 'db1',
        host: 'db1.example.org',
        port: 22,
        user: 'fallback',
        keyPath: join(h, '.ssh/id_default'),
      },
      {
        alias: 'db1.internal',
        host: 'db1.example.org',
        port: 22,
        user: 'fallback',
        keyPath: join(h, '.ssh/id_default'),
      },
    ]);
  });

  it('skips wildcard-only and negated patterns, defaults User to the local user', () => {
    const { list } = load({
      '.ssh/config': 'Host *.corp !bad.corp app?\n  Port 2200\nHost plain\n',
    });
    assert.deepEqual(list, [{ alias: 'plain', host: 'plain', port: 22, user: 'me' }]);
  });

  it('resolves ProxyJump chains, hop aliases included', () => {
    const { list } = load({
      '.ssh/config': [
        'Host bastion',
        '  HostName bastion.example.org',
        '  User jump',
        '  Port 2022',
        'Host inner',
        '  HostName 10.1.2.3',
        '  ProxyJump bastion,ops@relay.example.org:2200',
        'Host direct',
        '  ProxyJump none',
        'Host uri',
        '  ProxyJump ssh://admin@gw.example.org:22',
      ].join('\n'),
    });
    const byAlias = Object.fromEntries(list.map((c) => [c.alias, c]));
    assert.deepEqual(byAlias.inner.proxyJump, [
      'jump@bastion.example.org:2022',
      'ops@relay.example.org:2200',
    ]);
    assert.equal(byAlias.direct.proxyJump, undefined);
    assert.deepEqual(byAlias.uri.proxyJump, ['admin@gw.example.org:22']);
  });

  it('follows Include relative to ~/.ssh, with globs, in order', () => {
    const { list } = load({
      '.ssh/config': 'Include conf.d/*.conf\nHost last\n  HostName last.example.org\n',
      '.ssh/conf.d/20-b.conf': 'Host b\n  HostName b.example.org\n',
      '.ssh/conf.d/10-a.conf': 'Host a\n  HostName a.example.org\n  User alice\n',
      '.ssh/conf.d/ignored.txt': 'Host nope\n',
    });
    assert.deepEqual(
      list.map((c) => `${c.alias}=${c.user}@${c.host}`),
      ['a=alice@a.example.org', 'b=me@b.example.org', 'last=me@last.example.org'],
    );
  });

  it('keeps the enclosing section after an Include inside a Host block', () => {
    const { list } = load({
      '.ssh/config': 'Host outer\n  Include ~/.ssh/extra\n  Port 2201\n',
      '.ssh/extra': 'Host other\n  HostName other.example.org\n',
    });
    const byAlias = Object.fromEntries(list.map((c) => [c.alias, c]));
    assert.equal(byAlias.outer.port, 2201);
    assert.equal(byAlias.other.port, 22);
  });

  it('survives an Include loop and a missing Include', () => {
    const { list } = load({
      '.ssh/config': 'Include loop\nInclude missing\nHost x\n',
      '.ssh/loop': 'Include config\nHost y\n',
    });
    assert.deepEqual(list.map((c) => c.alias).sort(), ['x', 'y']);
  });

  it('refuses hosts that would be read as options, and bad ports', () => {
    const { list } = load({
      '.ssh/config':
        'Host evil\n  HostName -oProxyCommand=touch\nHost badport\n  Port 99999\nHost ok\n',
    });
    assert.deepEqual(
      list.map((c) => c.alias),
      ['ok'],
    );
  });

  it('never evaluates Match exec', () => {
    const marker = join(tmpdir(), `opsdeck-sshconfig-pwned-${process.pid}`);
    const { list } = load({
      '.ssh/config': `Match exec "touch ${marker}"\n  User exec\nHost target\n`,
    });
    assert.equal(list[0].user, 'me');
    assert.equal(existsSync(marker), false);
  });

  it('expands %h and %d tokens and honours IdentityFile none', () => {
    const { h, list } = load({
      '.ssh/config':
        'Host box\n  HostName %h.example.org\n  IdentityFile %d/keys/%h\nHost nokey\n ' +
        ' IdentityFile none\n',
    });
    assert.equal(list[0].host, 'box.example.org');
    assert.equal(list[0].keyPath, join(h, 'keys/box.example.org'));
    assert.equal(list[1].keyPath, undefined);
  });

  it('returns nothing for a missing file', () => {
    const h = home({});
    assert.deepEqual(importSshConfig(join(h, '.ssh', 'config'), { home: h }), []);
  });
});

describe('splitArgs', () => {
  it('splits on spaces and keeps quoted words whole', () => {
    assert.deepEqual(splitArgs('a "b c"  d'), ['a', 'b c', 'd']);
  });
});

test('a config with too many hosts is refused with the fix, not imported for minutes', () => {
  const text = Array.from(
    { length: 1001 },
    (_, i) => `Host h${i}\n  HostName 10.0.${i >> 8}.${i & 255}\n`,
  ).join('');
  assert.throws(
    () => candidatesFromText(text, { home: '/home/u', localUser: 'u' }),
    /names 1001 hosts; Opsdeck imports at most 1000/,
  );
});
