// The framing of the kept shell: markers cut each stream exactly, wherever chunks split.
import { execFileSync, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SESSION_PROLOGUE, StreamCut, frameCommand } from '../../src/main/targets/framing';

const ID = '0123456789abcdef01234567';

function runFramed(command: string): { stdout: Buffer; stderr: Buffer } {
  const script = SESSION_PROLOGUE + frameCommand(command, ID).script;
  const r = spawnSync('/bin/sh', { input: script });
  return { stdout: r.stdout, stderr: r.stderr };
}

function cutAll(buf: Buffer, cut: StreamCut, chunk: number): StreamCut {
  for (let i = 0; i < buf.length; i += chunk) cut.push(buf.subarray(i, i + chunk));
  return cut;
}

describe('frameCommand', () => {
  it('never holds the full marker text in the script', () => {
    const f = frameCommand('echo hi', ID);
    assert.ok(!f.script.includes(`OPSDECK_${ID}`));
    assert.ok(f.script.endsWith('\n'));
  });

  for (const size of [1, 3, 7, 64, 4096]) {
    it(`cuts stdout, stderr and status with chunks of ${size} bytes`, () => {
      const cmd = "printf 'out\\nno newline'; printf 'err1\\nerr2' >&2; exit 7";
      const { stdout, stderr } = runFramed(cmd);
      const f = frameCommand(cmd, ID);
      const out = cutAll(stdout, new StreamCut(f.stdoutStart, f.stdoutEnd, true, 1e6), size);
      const err = cutAll(stderr, new StreamCut(f.stderrStart, f.stderrEnd, false, 1e6), size);
      assert.ok(out.done && err.done);
      assert.equal(out.text(), 'out\nno newline');
      assert.equal(err.text(), 'err1\nerr2');
      assert.equal(out.status(), 7);
    });
  }

  it('keeps the kept shell alive across exit, cd and a syntax error', () => {
    const ids = ['a'.repeat(24), 'b'.repeat(24), 'c'.repeat(24)];
    const cmds = ['cd /; exit 3', 'if then fi', 'pwd'];
    const script = SESSION_PROLOGUE + cmds.map((c, i) => frameCommand(c, ids[i]).script).join('');
    const stdout = execFileSync('/bin/sh', { input: script, cwd: '/tmp', stdio: 'pipe' });
    const results = cmds.map((c, i) => {
      const f = frameCommand(c, ids[i]);
      return cutAll(stdout, new StreamCut(f.stdoutStart, f.stdoutEnd, true, 1e6), 5);
    });
    assert.deepEqual(
      results.map((r) => [r.status(), r.text()]),
      [
        [3, ''],
        [2, ''],
        [0, '/tmp\n'],
      ],
    );
  });

  it('drops bytes before the start marker and reports them', () => {
    const f = frameCommand('true', ID);
    const text = `junk from a background job\n${f.stdoutStart}body${f.stdoutEnd}0\n`;
    const cut = cutAll(Buffer.from(text), new StreamCut(f.stdoutStart, f.stdoutEnd, true, 1e6), 2);
    assert.equal(cut.text(), 'body');
    assert.equal(cut.status(), 0);
    assert.equal(cut.dropped, 'junk from a background job\n'.length);
  });

  it('reports output beyond the limit', () => {
    const f = frameCommand('true', ID);
    const cut = new StreamCut(f.stdoutStart, f.stdoutEnd, true, 10);
    cut.push(f.stdoutStart);
    assert.equal(cut.push(Buffer.alloc(100, 0x61)), false);
  });
});
