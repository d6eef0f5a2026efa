// Runbook files: every built-in one loads; each kind of mistake names file, line and field.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RunbookProblem } from '../../src/shared/runbooks';
import { parseRunbook, parseRunbookOrThrow } from '../../src/main/runbooks/yaml';

const BUILTIN = join(__dirname, '..', '..', 'src', 'main', 'runbooks', 'builtin');

const HEAD = `id: t
title: T
scenario: routine
severity: low
estimatedMinutes: 5
`;

function problems(text: string): RunbookProblem[] {
  const r = parseRunbook('ops/t.yaml', text);
  assert.equal(r.ok, false, 'expected problems');
  return r.ok ? [] : r.problems;
}

function brief(ps: RunbookProblem[]): [number | null, string | null][] {
  return ps.map((p) => [p.line, p.field]);
}

describe('runbook YAML', () => {
  test('every built-in runbook loads', () => {
    const files = readdirSync(BUILTIN).filter((f) => f.endsWith('.yaml'));
    assert.equal(files.length, 6);
    for (const f of files) {
      const r = parseRunbook(f, readFileSync(join(BUILTIN, f), 'utf8'));
      assert.ok(r.ok, `${f}: ${r.ok ? '' : JSON.stringify(r.problems)}`);
    }
  });

  test('a YAML syntax error names the file and line', () => {
    const ps = problems(`${HEAD}steps:\n  - id: a\n    kind: [instruction\n`);
    assert.equal(ps[0].file, 'ops/t.yaml');
    assert.equal(ps[0].field, null);
    assert.ok(ps[0].line !== null && ps[0].line >= 8);
    assert.ok(ps.length <= 3, 'the first few syntax errors, not one per token');
  });

  test('a wrong value names its own line and field', () => {
    const text = `${HEAD.replace('routine', 'weekly')}steps:
  - id: a
    kind: command
    title: A
    mode: read
    command: uptime
    timeoutSeconds: -1
`;
    assert.deepEqual(brief(problems(text)), [
      [3, 'scenario'],
      [12, 'steps.0.timeoutSeconds'],
    ]);
  });

  test('an unknown key and an unknown step kind are named', () => {
    const text = `${HEAD}colour: red
steps:
  - id: a
    kind: reboot
    title: A
`;
    const ps = problems(text);
    assert.deepEqual(brief(ps), [
      [1, null],
      [9, 'steps.0.kind'],
    ]);
    assert.match(ps[0].message, /colour/);
  });

  test('placeholders: unknown names, inside quotes, identifiers outside SQL', () => {
    const text = `${HEAD}parameters:
  - { name: dir, type: path }
steps:
  - id: a
    kind: command
    title: A
    mode: read
    command: ls "{{dir}}" {{missing}} {{ident:dir}}
  - id: b
    kind: sql
    title: B
    mode: read
    sql: select '{{dir}}', {{dir}} -- {{dir}}
`;
    const ps = problems(text);
    assert.deepEqual(brief(ps), [
      [13, 'steps.0.command'],
      [13, 'steps.0.command'],
      [13, 'steps.0.command'],
      [18, 'steps.1.sql'],
      [18, 'steps.1.sql'],
    ]);
    const messages = ps.map((p) => p.message).join('\n');
    assert.match(messages, /\{\{missing\}\} names no parameter/);
    assert.match(messages, /\{\{dir\}\} stands inside quotes/);
    assert.match(messages, /\{\{ident:dir\}\} belongs in SQL/);
    assert.match(messages, /inside a quoted string or comment/);
  });

  test('step ids, branches, automatic decisions, defaults and probes are checked', () => {
    const text = `${HEAD}parameters:
  - { name: n, type: integer, min: 1, default: 0 }
steps:
  - id: a
    kind: instruction
    title: A
  - id: a
    kind: decision
    title: Pick
    options:
      - { id: x, label: X, next: nowhere }
    auto: { check: a, pass: x, fail: y }
  - id: c
    kind: check
    title: C
    target: host
    probe: { source: sql, sql: select 1 }
    expect: { kind: empty }
`;
    const ps = problems(text);
    assert.deepEqual(brief(ps), [
      [7, 'parameters.0.default'],
      [12, 'steps.1.id'],
      [16, 'steps.1.options.0.next'],
      [17, 'steps.1.auto.check'],
      [17, 'steps.1.auto.fail'],
      [21, 'steps.2.target'],
    ]);
    assert.match(ps[0].message, /below the minimum 1/);
  });

  test('the thrown error lists file:line: field: message', () => {
    assert.throws(
      () => parseRunbookOrThrow('ops/t.yaml', `${HEAD}steps: []\n`),
      (err: Error) =>
        err.name === 'ValidationError' && /\nops\/t\.yaml:6: steps: /.test(err.message),
    );
  });
});

describe('read-only steps', () => {
  const step = (body: string) => `${HEAD}steps:\n  - id: a\n    title: A\n${body}`;

  test('a read-only SQL step or check may not write or signal', () => {
    for (const sql of [
      'delete from t',
      'with x as (delete from t returning *) select * from x',
      'select pg_terminate_backend(42)',
      'select * into t2 from t',
      'explain analyze select 1',
    ]) {
      const ps = problems(step(`    kind: sql\n    mode: read\n    sql: ${sql}\n`));
      assert.deepEqual(brief(ps), [[11, 'steps.0.sql']], sql);
    }
    const ok = parseRunbook(
      't.yaml',
      step('    kind: sql\n    mode: read\n    sql: "select \'delete\' as word -- update"\n'),
    );
    assert.ok(ok.ok, 'words inside literals and comments do not count');
    const change = parseRunbook(
      't.yaml',
      step('    kind: sql\n    mode: change\n    sql: delete from t\n'),
    );
    assert.ok(change.ok);
  });

  test('a read-only Redis step or check uses read-only commands only', () => {
    const ps = problems(
      step('    kind: redis\n    mode: read\n    argv: [CONFIG, SET, maxmemory, "1"]\n'),
    );
    assert.deepEqual(brief(ps), [[11, 'steps.0.argv.0']]);
    assert.match(ps[0].message, /"CONFIG SET" is not a read-only Redis command/);
    const check = problems(
      step(
        '    kind: check\n    target: redis\n    probe: { source: redis, argv: [FLUSHALL] }\n    expect: { kind: empty }\n',
      ),
    );
    assert.deepEqual(brief(check), [[11, 'steps.0.probe.argv.0']]);
    assert.ok(
      parseRunbook('t.yaml', step('    kind: redis\n    mode: read\n    argv: [INFO, memory]\n'))
        .ok,
    );
  });
});
