// SshHost against a real OpenSSH server started by the harness.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AlgorithmMismatch,
  AuthFailed,
  CommandTimeout,
  ConnectTimeout,
  HostKeyChanged,
  HostKeyUnknown,
  TargetUnreachable,
} from '../../src/main/errors';
import { writeFileSync } from 'node:fs';
import {
  KnownHosts,
  fingerprintOf,
  parseAcceptHostKeyArgs,
} from '../../src/main/targets/known-hosts';
import {
  SshHost,
  backoffDelay,
  parseHop,
  sshHostOptionsFromTarget,
  type SshAuditEvent,
  type SshHostOptions,
  type SshStatusEvent,
} from '../../src/main/targets/ssh';
import { startLoopbackForward } from '../../src/main/targets/tunnel';
import { runTool } from '../harness/util';
import { startBlackhole } from '../harness/blackhole';
import { HOSTILE_STRINGS } from '../harness/hostile-strings';
import { startSshAgent, startSshd, sshdUnavailable, type Sshd } from '../harness/sshd';
import { freePort } from '../harness/util';

const unavailable = sshdUnavailable();
if (unavailable) process.stdout.write(`# targets-ssh skipped: ${unavailable}\n`);

/** Log lines that show an authentication attempt reached sshd. */
const AUTH_LINE = /publickey|password|Accepted|Failed|Postponed|Invalid user|authenticating user/i;

function tempKnownHosts(): KnownHosts {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-kh-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return new KnownHosts(join(dir, 'known_hosts'));
}

function keyHost(sshd: Sshd, extra: Partial<SshHostOptions> = {}): SshHost {
  const host = new SshHost({
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { method: 'key', keyPath: sshd.keyPath },
    knownHosts: extra.knownHosts ?? tempKnownHosts(),
    acceptFingerprints: [sshd.hostKeyFingerprint],
    readyTimeoutMs: 5000,
    ...extra,
  });
  after(() => host.close());
  return host;
}

/** Waits until no process runs `args` on the host (the kill after a timeout is async). */
async function waitGone(host: SshHost, args: string): Promise<void> {
  // Generous: on a loaded machine the kill over a fresh channel can take seconds.
  for (let i = 0; i < 300; i++) {
    const r = await host.run(`ps -eo args | grep -c ${JSON.stringify(`^${args}$`)} || true`);
    if (r.stdout.trim() === '0') return;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.fail(`"${args}" still runs on the host after its timeout`);
}

function nextStatus(host: SshHost, wanted: SshStatusEvent['status']): Promise<SshStatusEvent> {
  return new Promise((resolve) => {
    const off = host.onStatus((e) => {
      if (e.status === wanted) {
        off();
        resolve(e);
      }
    });
  });
}

describe('SSH pure pieces', () => {
  it('computes jittered exponential backoff within bounds', () => {
    assert.equal(backoffDelay(0, 1000, 60_000, 0), 500);
    assert.equal(backoffDelay(0, 1000, 60_000, 1), 1000);
    assert.equal(backoffDelay(3, 1000, 60_000, 0.5), 6000);
    assert.equal(backoffDelay(20, 1000, 60_000, 1), 60_000);
    assert.equal(backoffDelay(20, 1000, 60_000, 0), 30_000);
  });

  it('parses ProxyJump hops and maps a stored target to SshHost options', () => {
    assert.deepEqual(parseHop('jump@bastion:2222', { user: 'me' }), {
      user: 'jump',
      host: 'bastion',
      port: 2222,
    });
    assert.deepEqual(parseHop('bastion', { user: 'me' }), {
      user: 'me',
      host: 'bastion',
      port: 22,
    });
    assert.throws(() => parseHop('-oProxyCommand=x', { user: 'me' }), /starts with "-"/);
    const opts = sshHostOptionsFromTarget(
      {
        kind: 'ssh',
        host: 'db1',
        port: 22,
        user: 'ops',
        auth: 'key',
        keyPath: '/k',
        proxyJump: ['b1', 'x@b2:2200'],
      },
      { knownHosts: tempKnownHosts(), secret: 'pass' },
    );
    assert.deepEqual(opts.auth, { method: 'key', keyPath: '/k', passphrase: 'pass' });
    assert.deepEqual(
      opts.proxyJump?.map((h) => `${h.user}@${h.host}:${h.port}:${h.auth.method}`),
      ['ops@b1:22:key', 'x@b2:2200:key'],
    );
    assert.throws(
      () =>
        sshHostOptionsFromTarget(
          { kind: 'ssh', host: 'h', port: 22, user: 'u', auth: 'password' },
          { knownHosts: tempKnownHosts(), secret: null },
        ),
      /No password is stored/,
    );
  });

  it('parses --accept-host-key arguments and refuses malformed ones', () => {
    const fp = 'SHA256:' + 'a'.repeat(43);
    assert.deepEqual(
      parseAcceptHostKeyArgs(['x', '--accept-host-key', fp, `--accept-host-key=${fp}=`]),
      [fp, fp],
    );
    assert.throws(
      () => parseAcceptHostKeyArgs(['--accept-host-key', 'MD5:aa']),
      /needs a fingerprint/,
    );
    assert.throws(() => parseAcceptHostKeyArgs(['--accept-host-key']), /needs a fingerprint/);
  });
});

describe('KnownHosts and OpenSSH tools', { skip: unavailable ?? false }, () => {
  it('writes lines ssh-keygen finds, reads hashed ones, honours @revoked, forgets', async () => {
    const kh = tempKnownHosts();
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-khkeys-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    await runTool('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k1')]);
    await runTool('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k2')]);
    const [type1, b64a] = readFileSync(join(dir, 'k1.pub'), 'utf8').split(' ');
    const [, b64b] = readFileSync(join(dir, 'k2.pub'), 'utf8').split(' ');
    const blobA = Buffer.from(b64a, 'base64');
    const blobB = Buffer.from(b64b, 'base64');

    assert.deepEqual(kh.check('db1.example', 2222, blobA), {
      kind: 'unknown',
      keyType: type1,
      fingerprint: fingerprintOf(blobA),
    });
    kh.acceptPending('db1.example', 2222, fingerprintOf(blobA));
    kh.add('plain.example', 22, type1, b64b);
    const found = await runTool('ssh-keygen', ['-F', '[db1.example]:2222', '-f', kh.path]);
    assert.match(found, new RegExp(b64a.replace(/[+/]/g, '\\$&')));
    const listed = await runTool('ssh-keygen', ['-l', '-E', 'sha256', '-f', kh.path]);
    assert.ok(listed.includes(fingerprintOf(blobA)) && listed.includes(fingerprintOf(blobB)));
    assert.deepEqual(kh.check('db1.example', 2222, blobA), { kind: 'known' });
    assert.equal(kh.check('db1.example', 2222, blobB).kind, 'changed');
    assert.equal(
      kh.check('db1.example', 22, blobA).kind,
      'unknown',
      'another port is another host',
    );

    // Hash the file with OpenSSH itself; lookups still work.
    await runTool('ssh-keygen', ['-H', '-f', kh.path]);
    assert.match(readFileSync(kh.path, 'utf8'), /^\|1\|/);
    assert.deepEqual(kh.check('db1.example', 2222, blobA), { kind: 'known' });
    assert.deepEqual(kh.check('plain.example', 22, blobB), { kind: 'known' });

    writeFileSync(kh.path, `@revoked * ${type1} ${b64b}\n`, { flag: 'a' });
    assert.equal(kh.check('other.example', 22, blobB).kind, 'revoked');
    assert.equal(kh.forget('db1.example', 2222), 1);
    assert.equal(kh.check('db1.example', 2222, blobA).kind, 'unknown');
  });
});

describe('SshHost against sshd', { skip: unavailable ?? false }, () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd({ passwordUser: true });
  });
  after(() => sshd?.stop());

  it('logs in with a key and runs commands through the kept shell', async () => {
    const host = keyHost(sshd);
    const r = await host.run('echo out; echo err >&2; printf "%s" "$LC_ALL"; exit 3');
    assert.equal(r.stdout, 'out\nC');
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.code, 3);
    // The shell survived `exit` in the command and keeps its state apart from commands.
    const again = await host.run('cd /; pwd');
    assert.equal(again.stdout, '/\n');
    assert.equal((await host.run('pwd')).code, 0);
    assert.equal(host.status, 'ready');
  });

  it('queues concurrent commands and returns each its own output', async () => {
    const host = keyHost(sshd);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => host.run(`echo ${i}; echo e${i} >&2`)),
    );
    results.forEach((r, i) => {
      assert.equal(r.stdout, `${i}\n`);
      assert.equal(r.stderr, `e${i}\n`);
    });
  });

  it('carries every hostile string through the kept shell byte for byte', async () => {
    const host = keyHost(sshd);
    const { shQuote } = await import('../../src/main/targets/quote');
    for (const [name, value] of Object.entries(HOSTILE_STRINGS)) {
      const r = await host.run(`printf %s ${shQuote(value)}`);
      assert.deepEqual(Buffer.from(r.stdout, 'utf8'), Buffer.from(value, 'utf8'), name);
      assert.equal(r.code, 0, name);
    }
    await assert.rejects(host.run('echo a\0b'), /NUL/);
  });

  it('times out a stuck command, names the target, and reopens the shell', async () => {
    const host = keyHost(sshd);
    await assert.rejects(host.run('sleep 987', { timeoutMs: 300 }), (e: unknown) => {
      assert.ok(e instanceof CommandTimeout);
      assert.match(e.message, new RegExp(`${sshd.user}@127\\.0\\.0\\.1:${sshd.port}`));
      return true;
    });
    assert.equal((await host.run('echo alive')).stdout, 'alive\n');
    await waitGone(host, 'sleep 987');
  });

  it('runs long work on its own exec channel, streaming, with abort and timeout', async () => {
    const host = keyHost(sshd);
    const chunks: string[] = [];
    const r = await host.exec('echo one; echo two >&2; printf "%s" "$LC_ALL"', {
      onData: (b, s) => chunks.push(`${s}:${b.toString()}`),
    });
    assert.equal(r.stdout, 'one\nC');
    assert.equal(r.stderr, 'two\n');
    assert.equal(r.code, 0);
    assert.ok(chunks.some((c) => c.startsWith('stderr:two')));

    const ac = new AbortController();
    const tail = host.exec('while :; do echo tick; sleep 0.05; done', {
      signal: ac.signal,
      onData: () => ac.abort(),
      collect: false,
    });
    assert.equal((await tail).code, null);

    await assert.rejects(host.exec('sleep 988', { timeoutMs: 200 }), CommandTimeout);
    await waitGone(host, 'sleep 988');
    // The kept shell was not disturbed by the exec channels.
    assert.equal((await host.run('echo still')).stdout, 'still\n');
  });

  it('opens tunnels with forwardOut', async () => {
    const echo: Server = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    after(() => echo.close());
    const port = (echo.address() as { port: number }).port;
    const host = keyHost(sshd);
    const stream = await host.forwardOut('127.0.0.1', port);
    const reply = new Promise<string>((r) => stream.once('data', (b: Buffer) => r(b.toString())));
    stream.write('ping through ssh');
    assert.equal(await reply, 'ping through ssh');
    stream.end();
    await assert.rejects(host.forwardOut('-oProxyCommand=x', 1), /starts with "-"/);
    // The same through a loopback port, for tools that only take host:port.
    const fwd = await startLoopbackForward(host, '127.0.0.1', port);
    after(() => fwd.close());
    const sock = connect({ host: fwd.host, port: fwd.port });
    const back = new Promise<string>((r) => sock.once('data', (b: Buffer) => r(b.toString())));
    sock.write('ping through loopback');
    assert.equal(await back, 'ping through loopback');
    sock.destroy();
  });

  it(
    'rejects an unknown host key before authentication, then accepts it by ' + 'fingerprint',
    async () => {
      const knownHosts = tempKnownHosts();
      const before = sshd.readLog().length;
      const host = keyHost(sshd, { knownHosts, acceptFingerprints: [] });
      const err = await host.connect().then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof HostKeyUnknown, String(err));
      assert.equal(err.fingerprint, sshd.hostKeyFingerprint);
      assert.equal(err.keyType, 'ssh-ed25519');
      assert.equal(err.port, sshd.port);
      assert.match(err.message, /not known/);
      assert.equal(host.status, 'failed');
      const log = sshd.readLog().slice(before);
      assert.ok(!AUTH_LINE.test(log), `sshd saw an authentication attempt:\n${log}`);

      host.acceptHostKey(err.fingerprint);
      const line = readFileSync(knownHosts.path, 'utf8').trim();
      assert.equal(line, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyLine}`);
      assert.equal((await host.run('echo in')).stdout, 'in\n');
      assert.throws(() => host.acceptHostKey('SHA256:' + 'A'.repeat(43)), /has not presented/);
    },
  );

  it(
    'accepts a fingerprint given in advance (--accept-host-key) only when it ' + 'matches',
    async () => {
      const wrong = keyHost(sshd, { acceptFingerprints: ['SHA256:' + 'B'.repeat(43)] });
      await assert.rejects(wrong.connect(), HostKeyUnknown);
      const audits: SshAuditEvent[] = [];
      const right = keyHost(sshd, { onAudit: (e) => audits.push(e) });
      await right.connect();
      assert.equal(audits[0]?.action, 'host-key-accepted');
      assert.equal(audits[0]?.by, 'preaccepted');
    },
  );

  it('reports a wrong password, naming the target and what to do', async (t) => {
    if (!sshd.passwordUser) return t.skip('no password user (needs root and useradd)');
    const host = keyHost(sshd, {
      user: sshd.passwordUser.user,
      auth: { method: 'password', password: 'not-the-password' },
    });
    await assert.rejects(host.connect(), (e: unknown) => {
      assert.ok(e instanceof AuthFailed);
      assert.match(e.message, new RegExp(`opsdeck-test@127\\.0\\.0\\.1:${sshd.port}`));
      assert.match(e.message, /password was refused/);
      return true;
    });
    const good = keyHost(sshd, {
      user: sshd.passwordUser.user,
      auth: { method: 'password', password: sshd.passwordUser.password },
    });
    assert.equal((await good.run('id -un')).stdout, 'opsdeck-test\n');
  });

  it('reports a wrong key, a missing passphrase and a wrong one', async () => {
    const wrongKey = keyHost(sshd, { auth: { method: 'key', keyPath: sshd.wrongKeyPath } });
    await assert.rejects(wrongKey.connect(), (e: unknown) => {
      assert.ok(e instanceof AuthFailed);
      assert.match(e.message, /did not accept the key/);
      assert.match(e.message, /authorized_keys/);
      return true;
    });
    const noPass = keyHost(sshd, { auth: { method: 'key', keyPath: sshd.encryptedKeyPath } });
    await assert.rejects(noPass.connect(), /protected by a passphrase/);
    const badPass = keyHost(sshd, {
      auth: { method: 'key', keyPath: sshd.encryptedKeyPath, passphrase: 'wrong' },
    });
    await assert.rejects(badPass.connect(), /passphrase .* is wrong|is wrong/);
    const good = keyHost(sshd, {
      auth: { method: 'key', keyPath: sshd.encryptedKeyPath, passphrase: sshd.keyPassphrase },
    });
    assert.equal((await good.run('echo ok')).stdout, 'ok\n');
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    const host = keyHost(sshd, { port });
    await assert.rejects(host.connect(), (e: unknown) => {
      assert.ok(e instanceof TargetUnreachable);
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}.*refused|refused.*${port}`));
      return true;
    });
  });

  it('times out on a blackhole host while another host still completes', async () => {
    const hole = await startBlackhole();
    after(() => hole.stop());
    const dead = keyHost(sshd, { port: hole.port, readyTimeoutMs: 1500 });
    const alive = keyHost(sshd);
    const order: string[] = [];
    const deadRun = dead.run('echo never').then(
      () => order.push('dead:ok'),
      (e: unknown) => {
        order.push(`dead:${(e as Error).name}`);
        assert.match((e as Error).message, new RegExp(`127\\.0\\.0\\.1:${hole.port}`));
      },
    );
    const aliveRun = alive.run('echo alive').then((r) => order.push(`alive:${r.stdout.trim()}`));
    await Promise.all([deadRun, aliveRun]);
    assert.deepEqual(order, ['alive:alive', `dead:${ConnectTimeout.name}`]);
    assert.ok(hole.accepted() >= 1);
  });

  it('logs in through an ssh-agent, and says so when there is none', async () => {
    const agent = await startSshAgent([sshd.keyPath]);
    after(() => agent.stop());
    const host = keyHost(sshd, { auth: { method: 'agent', socket: agent.socket } });
    assert.equal((await host.run('echo agent')).stdout, 'agent\n');
    const empty = await startSshAgent([]);
    after(() => empty.stop());
    const none = keyHost(sshd, { auth: { method: 'agent', socket: empty.socket } });
    await assert.rejects(none.connect(), /none of the ssh-agent's keys/);
    const old = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    after(() => {
      if (old !== undefined) process.env.SSH_AUTH_SOCK = old;
    });
    await assert.rejects(
      keyHost(sshd, { auth: { method: 'agent' } }).connect(),
      /SSH_AUTH_SOCK is not set/,
    );
  });

  it('notices a silent peer through keepalive and reconnects', async () => {
    const host = keyHost(sshd, {
      keepaliveIntervalMs: 200,
      keepaliveCountMax: 2,
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
    });
    await host.run('true');
    const statuses: string[] = [];
    host.onStatus((e) => statuses.push(e.status));
    const ready = nextStatus(host, 'ready');
    const thaw = sshd.pauseConnections();
    after(thaw);
    await ready;
    thaw();
    assert.ok(statuses.includes('reconnecting'), statuses.join(','));
    assert.equal((await host.run('echo fresh')).stdout, 'fresh\n');
  });

  it('reconnects with backoff after sshd restarts', async () => {
    const host = keyHost(sshd, { reconnect: { initialDelayMs: 100, maxDelayMs: 1000 } });
    await host.run('true');
    const statuses: string[] = [];
    host.onStatus((e) => statuses.push(e.status));
    const ready = nextStatus(host, 'ready');
    await sshd.restart();
    await ready;
    assert.equal((await host.run('echo back')).stdout, 'back\n');
    assert.ok(statuses.includes('reconnecting'), statuses.join(','));
    assert.ok(statuses.indexOf('reconnecting') < statuses.lastIndexOf('ready'));
  });

  it('verifies the host key of every jump host (ProxyJump)', async () => {
    const target = await startSshd();
    after(() => target.stop());
    const knownHosts = tempKnownHosts();
    const host = new SshHost({
      host: target.host,
      port: target.port,
      user: target.user,
      // The harness servers share no client key; each gets its own.
      auth: { method: 'key', keyPath: target.keyPath },
      proxyJump: [
        {
          host: sshd.host,
          port: sshd.port,
          user: sshd.user,
          auth: { method: 'key', keyPath: sshd.keyPath },
        },
      ],
      knownHosts,
      readyTimeoutMs: 5000,
    });
    after(() => host.close());
    const first = await host.connect().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(first instanceof HostKeyUnknown);
    assert.equal(first.port, sshd.port, 'the jump host is checked first');
    host.acceptHostKey(first.fingerprint);
    const second = await host.connect().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(second instanceof HostKeyUnknown);
    assert.equal(second.port, target.port);
    host.acceptHostKey(second.fingerprint);
    assert.equal((await host.run('echo via jump')).stdout, 'via jump\n');
    assert.ok(target.readLog().includes('Accepted publickey'));
  });
});

describe('SshHost and a changed host key', { skip: unavailable ?? false }, () => {
  it('refuses the connection, names both fingerprints, audits, authenticates nothing', async () => {
    const first = await startSshd();
    after(() => first.stop());
    const knownHosts = tempKnownHosts();
    const audits: SshAuditEvent[] = [];
    const options = {
      host: first.host,
      port: first.port,
      user: first.user,
      auth: { method: 'key' as const, keyPath: first.keyPath },
      knownHosts,
      readyTimeoutMs: 5000,
      reconnect: false as const,
      onAudit: (e: SshAuditEvent) => audits.push(e),
    };
    const good = new SshHost({ ...options, acceptFingerprints: [first.hostKeyFingerprint] });
    await good.run('true');
    await good.close();

    const second = await first.withOtherHostKey();
    after(() => second.stop());
    assert.notEqual(second.hostKeyFingerprint, first.hostKeyFingerprint);
    // Even a fingerprint given in advance does not override a known, different key.
    const host = new SshHost({ ...options, acceptFingerprints: [second.hostKeyFingerprint] });
    after(() => host.close());
    const err = await host.connect().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof HostKeyChanged, String(err));
    assert.equal(err.fingerprint, second.hostKeyFingerprint);
    assert.equal(err.knownFingerprint, first.hostKeyFingerprint);
    assert.ok(err.message.includes(second.hostKeyFingerprint));
    assert.ok(err.message.includes(first.hostKeyFingerprint));
    const changed = audits.filter((a) => a.action === 'host-key-changed');
    assert.equal(changed.length, 1);
    assert.equal(changed[0].fingerprint, second.hostKeyFingerprint);
    assert.equal(changed[0].knownFingerprint, first.hostKeyFingerprint);
    const log = second.readLog();
    assert.match(log, /Connection from 127\.0\.0\.1/);
    assert.ok(!AUTH_LINE.test(log), `sshd saw an authentication attempt:\n${log}`);
    assert.throws(() => host.acceptHostKey(second.hostKeyFingerprint), /has not presented/);
  });
});

describe('SshHost and legacy algorithms', { skip: unavailable ?? false }, () => {
  it('names both key exchange lists, then connects with a per-host legacy setting', async () => {
    // The server of the field case: only SHA-1 key exchange.
    const old = await startSshd({
      kexAlgorithms: ['diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'],
    });
    after(() => old.stop());
    const base = {
      host: old.host,
      port: old.port,
      user: old.user,
      auth: { method: 'key' as const, keyPath: old.keyPath },
      knownHosts: tempKnownHosts(),
      acceptFingerprints: [old.hostKeyFingerprint],
      readyTimeoutMs: 5000,
    };
    const plain = new SshHost(base);
    after(() => plain.close());
    const err = await plain.connect().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AlgorithmMismatch, String(err));
    assert.match(err.message, /no key exchange method in common/);
    assert.match(
      err.message,
      /The host offers: diffie-hellman-group-exchange-sha1, diffie-hellman-group1-sha1\./,
    );
    assert.match(err.message, /Opsdeck offers: [^.]*curve25519-sha256/);
    assert.match(err.message, /legacyAlgorithms\.kex/);
    assert.match(err.message, /for this host only/);

    const allowed = new SshHost({
      ...base,
      legacyAlgorithms: { kex: ['diffie-hellman-group-exchange-sha1'] },
    });
    after(() => allowed.close());
    assert.equal((await allowed.run('echo old')).stdout, 'old\n');
    // Never global: another host object without the setting still fails.
    const again = new SshHost(base);
    after(() => again.close());
    await assert.rejects(again.connect(), AlgorithmMismatch);
  });

  it('names both cipher lists, then connects with a per-host legacy cipher', async () => {
    const old = await startSshd({ ciphers: ['aes256-cbc', '3des-cbc'] });
    after(() => old.stop());
    const base = {
      host: old.host,
      port: old.port,
      user: old.user,
      auth: { method: 'key' as const, keyPath: old.keyPath },
      knownHosts: tempKnownHosts(),
      acceptFingerprints: [old.hostKeyFingerprint],
      readyTimeoutMs: 5000,
    };
    const plain = new SshHost(base);
    after(() => plain.close());
    const err = await plain.connect().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AlgorithmMismatch, String(err));
    assert.match(err.message, /no cipher in common/);
    assert.match(err.message, /The host offers: aes256-cbc, 3des-cbc\./);
    assert.match(err.message, /Opsdeck offers: [^.]*aes128-gcm@openssh\.com/);
    assert.match(err.message, /legacyAlgorithms\.cipher/);
    const allowed = new SshHost({ ...base, legacyAlgorithms: { cipher: ['aes256-cbc'] } });
    after(() => allowed.close());
    assert.equal((await allowed.run('echo cbc')).stdout, 'cbc\n');
  });

  it('refuses to allow an algorithm Opsdeck cannot use', () => {
    assert.throws(
      () =>
        new SshHost({
          host: '127.0.0.1',
          port: 22,
          user: 'x',
          auth: { method: 'password', password: 'x' },
          knownHosts: tempKnownHosts(),
          legacyAlgorithms: { kex: ['made-up-kex'] },
        }).connect(),
      /cannot be allowed/,
    );
  });
});
