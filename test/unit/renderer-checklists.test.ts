// The checklist pages' words and grouping: items under their headings in file order, the
// counts worst first, the next manual item to tick after Enter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ItemResult } from '../../src/shared/checklists';
import { countsText, groupItems, nextOpenManual } from '../../src/renderer/src/checklists';

function item(itemId: string, group: string, over: Partial<ItemResult> = {}): ItemResult {
  return {
    itemId,
    title: itemId,
    group,
    kind: 'manual',
    outcome: 'open',
    summary: '',
    findings: [],
    action: null,
    evaluatedAt: null,
    dataAt: null,
    tick: null,
    note: '',
    tickedBy: null,
    tickedAt: null,
    ...over,
  };
}

describe('checklist page helpers', () => {
  const items = [
    item('a', 'Monitoring', { kind: 'collected', outcome: 'fail' }),
    item('b', 'Security'),
    item('c', 'Monitoring', { outcome: 'pass', tick: 'done' }),
    item('d', 'Team'),
  ];

  test('items are grouped by heading in the order of the file', () => {
    assert.deepEqual(
      groupItems(items).map(([g, list]) => [g, list.map((i) => i.itemId)]),
      [
        ['Monitoring', ['a', 'c']],
        ['Security', ['b']],
        ['Team', ['d']],
      ],
    );
  });

  test('counts read worst first and leave out zeros', () => {
    const counts = { pass: 3, fail: 1, warning: 0, stale: 2, skipped: 1, open: 2 };
    assert.equal(countsText({ counts }), '1 fail · 2 stale · 2 to do · 3 pass · 1 not applicable');
  });

  test('after a tick, focus goes to the next manual item still to do, wrapping round', () => {
    assert.equal(nextOpenManual(items, 'b'), 'd');
    assert.equal(nextOpenManual(items, 'd'), 'b');
    assert.equal(nextOpenManual([items[0], items[1]], 'b'), null);
  });
});
