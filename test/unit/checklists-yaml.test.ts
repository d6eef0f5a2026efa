// Checklist files: every built-in one loads; each kind of mistake names file, line and field.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ChecklistProblem } from '../../src/shared/checklists';
import { parseChecklist } from '../../src/main/checklists/yaml';

const BUILTIN = join(__dirname, '..', '..', 'src', 'main', 'checklists', 'builtin');

function problems(text: string): ChecklistProblem[] {
  const r = parseChecklist('ops/daily.yaml', text);
  assert.equal(r.ok, false, 'expected problems');
  return r.ok ? [] : r.problems;
}

describe('checklist YAML', () => {
  test('the built-in daily, weekly and monthly checklists load', () => {
    const periods = readdirSync(BUILTIN)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => {
        const r = parseChecklist(f, readFileSync(join(BUILTIN, f), 'utf8'));
        assert.ok(r.ok, `${f}: ${r.ok ? '' : JSON.stringify(r.problems)}`);
        return r.doc.period;
      });
    assert.deepEqual(periods.sort(), ['daily', 'monthly', 'weekly']);
  });

  test('the daily checklist covers the routine of an operations guide', () => {
    const r = parseChecklist('daily.yaml', readFileSync(join(BUILTIN, 'daily.yaml'), 'utf8'));
    assert.ok(r.ok);
    const kinds = r.doc.items.map((i) => i.check?.kind ?? 'manual');
    for (const k of [
      'collected',
      'alerts-reviewed',
      'backups-verified',
      'disk-headroom',
      'memory-headroom',
      'pg-connections',
      'pg-replication',
      'pg-long-transactions',
      'redis-memory',
      'redis-persistence',
    ]) {
      assert.ok(kinds.includes(k as never), `daily has no ${k} item`);
    }
    assert.ok(
      r.doc.items.some((i) => i.id === 'failed-logins' && !i.check),
      'failed logins: manual',
    );
  });

  test('a YAML syntax error names the file and line', () => {
    const ps = problems('id: daily\ntitle: D\nperiod: daily\nitems:\n  - id: a\n    title: [A\n');
    assert.equal(ps[0].file, 'ops/daily.yaml');
    assert.equal(ps[0].field, null);
    assert.ok(ps[0].line !== null && ps[0].line >= 6, `line ${ps[0].line}`);
  });

  test('a wrong value names its own line and field', () => {
    const ps = problems(`id: daily
title: D
period: daily
items:
  - id: a
    title: A
  - id: b
    title: B
    check:
      kind: disk-headroom
      warnPct: 180
`);
    assert.deepEqual(
      ps.map((p) => [p.line, p.field]),
      [[11, 'items.1.check.warnPct']],
    );
    assert.match(ps[0].message, /100/);
  });

  test('an unknown check kind, an unknown field and a bad period are each located', () => {
    const ps = problems(`id: daily
title: D
period: hourly
items:
  - id: a
    title: A
    colour: red
  - id: b
    title: B
    check: { kind: coffee-machine }
`);
    const at = ps.map((p) => [p.line, p.field]);
    assert.deepEqual(at[0], [3, 'period']);
    assert.ok(
      at.some(([l, f]) => l === 5 && f === 'items.0'),
      JSON.stringify(at),
    );
    assert.ok(
      at.some(([l, f]) => l === 10 && f === 'items.1.check.kind'),
      JSON.stringify(at),
    );
  });

  test('an item id used twice points at the second one', () => {
    const ps = problems(`id: daily
title: D
period: daily
items:
  - id: a
    title: A
  - id: a
    title: Again
`);
    assert.deepEqual(
      ps.map((p) => [p.line, p.field, p.message]),
      [[7, 'items.1.id', 'item id "a" twice']],
    );
  });
});
