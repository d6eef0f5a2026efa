// LocalRunner: the kept local `sh` with the same framing as SSH.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CommandTimeout, TargetUnreachable } from '../../src/main/errors';
import { LocalRunner } from '../../src/main/targets/local';
import { shQuote } from '../../src/main/targets/quote';
import { HOSTILE_STRINGS } from '../harness/hostile-strings';

function runner(opts: ConstructorParameters<typeof LocalRunner>[0] = {}): LocalRunner {
  const r = new LocalRunner(opts);
  after(() => r.close());
  return r;
}

describe('LocalRunner', () => {
  it('keeps stdout, stderr and the exit status apart, with LC_ALL=C', async () => {
    const r = runner();
    const res = await r.run('printf "a\\nb"; printf "E" >&2; printf "%s" "$LC_ALL" >&2; exit 5');
    assert.deepEqual([res.stdout, res.stderr, res.code], ['a\nb', 'EC', 5]);
    assert.equal((await r.run('true')).code, 0);
  });

  it('carries every hostile string byte for byte', async () => {
    const r = runner();
    for (const [name, value] of Object.entries(HOSTILE_STRINGS)) {
      const res = await r.run(`printf %s ${shQuote(value)}`);
      assert.deepEqual(Buffer.from(res.stdout), Buffer.from(value), name);
    }
  });

  it('runs queued commands one at a time, in order', async () => {
    const r = runner();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => r.run(`echo ${i}`)));
    assert.deepEqual(
      results.map((x) => x.stdout),
      Array.from({ length: 30 }, (_, i) => `${i}\n`),
    );
  });

  it('does not let a command read the script or break the shell', async () => {
    const r = runner();
    const res = await r.run('cat; read x; echo "read:$x"');
    assert.equal(res.stdout, 'read:\n');
    assert.equal((await r.run('if then')).code, 2);
    assert.equal((await r.run('export FOO=1; cd /')).code, 0);
    assert.equal((await r.run('printf "%s" "${FOO:-unset}"')).stdout, 'unset');
  });

  it('restarts a poisoned shell after a timeout and names the target', async () => {
    const r = runner({ targetName: 'workstation' });
    const stuck = r.run('sleep 999', { timeoutMs: 200 });
    const queued = r.run('echo next');
    await assert.rejects(stuck, (e: unknown) => {
      assert.ok(e instanceof CommandTimeout);
      assert.match(e.message, /workstation/);
      return true;
    });
    assert.equal((await queued).stdout, 'next\n');
    const ps = await r.run('ps -eo args | grep -c "^sleep 999$" || true');
    assert.equal(ps.stdout.trim(), '0', 'the stuck command was killed with its shell');
  });

  it('runs long work apart with exec: streaming, abort, timeout', async () => {
    const r = runner();
    const res = await r.exec('echo out; echo err >&2; printf "%s" "$LC_ALL"; exit 4');
    assert.deepEqual([res.stdout, res.stderr, res.code], ['out\nC', 'err\n', 4]);
    const ac = new AbortController();
    const tail = await r.exec('while :; do echo tick; sleep 0.05; done', {
      signal: ac.signal,
      onData: () => ac.abort(),
      collect: false,
    });
    assert.equal(tail.code, null);
    await assert.rejects(r.exec('sleep 977', { timeoutMs: 100 }), CommandTimeout);
    const ps = await r.run('ps -eo args | grep -c "^sleep 977$" || true');
    assert.equal(ps.stdout.trim(), '0');
  });

  it('refuses commands after close', async () => {
    const r = new LocalRunner();
    await r.run('true');
    await r.close();
    await assert.rejects(r.run('true'), TargetUnreachable);
  });
});
