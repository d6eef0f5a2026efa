import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HOST_SCRIPT,
  SECTION_NAMES,
  sectionText,
  splitSections,
} from '../../src/main/collectors/host/script';

test('the script is constant text, runs in the C locale, in a subshell, one section per name', () => {
  assert.doesNotMatch(HOST_SCRIPT, /\$\{/, 'no parameter expansion that could hide interpolation');
  assert.match(HOST_SCRIPT, /^\(\nLC_ALL=C\nexport LC_ALL\n/);
  assert.match(HOST_SCRIPT.trimEnd(), /\)$/);
  for (const name of SECTION_NAMES) {
    assert.match(HOST_SCRIPT, new RegExp(`^_s ${name} `, 'm'), name);
  }
});

test('sections split by frame, with exit status; the frame newline is removed', () => {
  const out =
    '@@opsdeck:begin a\nline 1\nline 2\n\n@@opsdeck:end a 0\n' +
    '@@opsdeck:begin b\nno newline at end\n@@opsdeck:end b 0\n' +
    '@@opsdeck:begin c\n\n@@opsdeck:end c 2\n';
  const s = splitSections(out);
  assert.deepEqual(s.get('a'), { name: 'a', text: 'line 1\nline 2', status: 0 });
  assert.deepEqual(s.get('b'), { name: 'b', text: 'no newline at end', status: 0 });
  assert.deepEqual(s.get('c'), { name: 'c', text: '', status: 2 });
});

test('a section without its end frame is truncated; the sections before it are kept', () => {
  const out =
    '@@opsdeck:begin stat\ncpu 1 2 3 4\n\n@@opsdeck:end stat 0\n' +
    '@@opsdeck:begin meminfo\nMemTotal: 100';
  const s = splitSections(out);
  assert.equal(sectionText(s, 'stat'), 'cpu 1 2 3 4');
  assert.throws(() => sectionText(s, 'meminfo'), /truncated/);
  assert.throws(() => sectionText(s, 'loadavg'), /missing from the host script output/);
});

test('a begin frame before the previous end marks the previous section truncated', () => {
  const s = splitSections(
    '@@opsdeck:begin stat\ncpu 1\n@@opsdeck:begin uptime\n5.0 1.0\n\n@@opsdeck:end uptime 0\n',
  );
  assert.equal(s.get('stat')?.status, null);
  assert.equal(sectionText(s, 'uptime'), '5.0 1.0');
});

test('a failed command fails its section with words; df output is kept despite status 1', () => {
  const s = splitSections(
    '@@opsdeck:begin meminfo\n\n@@opsdeck:end meminfo 1\n' +
      '@@opsdeck:begin tcp\n\n@@opsdeck:end tcp 127\n' +
      '@@opsdeck:begin df\nFilesystem 1024-blocks Used Available Capacity Mounted on\n/dev/a 1 1 0 100% /\n\n@@opsdeck:end df 1\n' +
      '@@opsdeck:begin dfi\n\n@@opsdeck:end dfi 124\n' +
      '@@opsdeck:begin uname\n\n@@opsdeck:end uname 1\n',
  );
  assert.throws(() => sectionText(s, 'meminfo'), /exit status 1/);
  assert.throws(() => sectionText(s, 'tcp'), /command not found/);
  assert.match(sectionText(s, 'df'), /\/dev\/a/);
  assert.throws(() => sectionText(s, 'dfi'), /timed out/);
  assert.throws(
    () => sectionText(s, 'uname'),
    /^ParseFailed: failed on the host \(exit status 1\)$/,
  );
});

test('CRLF output and noise outside frames are tolerated', () => {
  const s = splitSections(
    'motd noise\r\n@@opsdeck:begin uptime\r\n1.0 2.0\r\n\r\n@@opsdeck:end uptime 0\r\ntrailer',
  );
  assert.equal(sectionText(s, 'uptime'), '1.0 2.0');
  assert.equal(s.size, 1);
});
