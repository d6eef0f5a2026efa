// Parameters filled into steps as data: one quoted shell word, a bound SQL parameter or an
// escaped identifier, one Redis argv element; typed values checked before anything runs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HOSTILE_STRINGS } from '../harness/hostile-strings';
import { resolveParams } from '../../src/main/runbooks/params';
import {
  planSteps,
  quoteIdent,
  renderArgv,
  renderShell,
  renderSql,
  showSql,
} from '../../src/main/runbooks/render';
import { shQuote } from '../../src/main/targets/quote';
import { runbookSchema, type RunbookDoc } from '../../src/shared/runbooks';

const INJECT = ['$(touch /tmp/x)', "'; DROP TABLE t; --"];

function doc(extra: Partial<RunbookDoc>): RunbookDoc {
  return runbookSchema.parse({
    id: 'r',
    title: 'R',
    scenario: 'routine',
    severity: 'low',
    estimatedMinutes: 1,
    steps: [{ id: 'a', kind: 'instruction', title: 'A' }],
    ...extra,
  });
}

describe('filling parameters in', () => {
  test('shell: every hostile value becomes exactly one quoted word', () => {
    for (const [name, v] of Object.entries({ ...HOSTILE_STRINGS, a: INJECT[0], b: INJECT[1] })) {
      assert.equal(renderShell('ls -- {{p}}', { p: v }), `ls -- ${shQuote(v)}`, name);
    }
    assert.equal(
      renderShell('x={{a}}/{{ b }}.log', { a: INJECT[0], b: INJECT[1] }),
      `x='$(touch /tmp/x)'/''\\''; DROP TABLE t; --'.log`,
    );
  });

  test('SQL: values are bound parameters, the same name shares one; identifiers escaped', () => {
    const r = renderSql('select {{a}}, {{b}}, {{a}} from {{ident:t}}', {
      a: INJECT[1],
      b: 5,
      t: 'we"ird; DROP TABLE t; --',
    });
    assert.equal(r.text, 'select $1, $2, $1 from "we""ird; DROP TABLE t; --"');
    assert.deepEqual(r.params, [INJECT[1], '5']);
    assert.equal(
      showSql(r.text, r.params),
      `${r.text}\n-- $1 = "'; DROP TABLE t; --"\n-- $2 = "5"`,
    );
    assert.throws(() => quoteIdent(''), /non-empty/);
  });

  test('Redis: a value stays inside its argv element', () => {
    assert.deepEqual(
      renderArgv(['SET', 'k:{{a}}', '{{b}}'], { a: 'x y', b: 'v\r\nFLUSHALL\r\n' }),
      ['SET', 'k:x y', 'v\r\nFLUSHALL\r\n'],
    );
  });

  test('typed parameters: defaults, coercion and every problem at once', () => {
    const rb = doc({
      parameters: [
        { name: 'n', type: 'integer', min: 1, max: 10, default: 3, required: true },
        { name: 'p', type: 'path', required: true },
        { name: 'u', type: 'url', required: false },
        { name: 'c', type: 'choice', choices: ['a', 'b'], required: true, default: 'a' },
        { name: 's', type: 'string', pattern: '[a-z]+', required: true, default: 'abc' },
        { name: 'f', type: 'boolean', required: true, default: false },
      ],
    });
    assert.deepEqual(resolveParams(rb, { p: '/var/log', n: '7', f: 'true' }), {
      n: 7,
      p: '/var/log',
      c: 'a',
      s: 'abc',
      f: true,
    });
    assert.throws(
      () => resolveParams(rb, { n: 11, p: 'relative', u: 'ftp://x', c: 'z', s: 'A1', x: 1 }),
      (err: Error) =>
        err.name === 'ValidationError' &&
        [
          /"x" is not a parameter/,
          /"n" is above the maximum 10/,
          /"p" is not an absolute path/,
          /"u" is not an http\(s\) address/,
          /"c" is not one of a, b/,
          /"s" does not match/,
        ].every((re) => re.test(err.message)),
    );
    assert.throws(() => resolveParams(rb, {}), /"p" is required/);
  });

  test('a plan names the target and the mode of each step', () => {
    const rb = doc({
      parameters: [{ name: 'd', type: 'path', required: true }],
      steps: [
        { id: 'a', kind: 'command', title: 'A', mode: 'change', command: 'rm -- {{d}}' },
        { id: 'b', kind: 'sql', title: 'B', mode: 'read', sql: 'select {{d}}' },
        { id: 'c', kind: 'wait', title: 'C', seconds: 5 },
        { id: 'd', kind: 'decision', title: 'D', options: [{ id: 'x', label: 'X', next: 'end' }] },
        { id: 'e', kind: 'note', title: 'E', prompt: 'Why?' },
      ] as unknown as RunbookDoc['steps'],
    });
    const plan = planSteps(rb, { d: INJECT[0] }, { host: { id: 'h', name: 'web-1' } });
    assert.deepEqual(
      plan.map((p) => [p.kind, p.mode, p.targetName, p.text, p.params, p.expect]),
      [
        ['command', 'change', 'web-1', "rm -- '$(touch /tmp/x)'", [], null],
        ['sql', 'read', null, 'select $1', [INJECT[0]], null],
        ['wait', null, null, null, [], 'wait 5 s'],
        ['decision', null, null, null, [], 'X'],
        ['note', null, null, null, [], null],
      ],
    );
    assert.deepEqual(plan[3].options, [{ id: 'x', label: 'X' }]);
    assert.equal(plan[4].prompt, 'Why?');
  });
});
