// Typed text is refused when it holds control characters or direction overrides, wherever
// the contract takes it: target groups, incident titles, checklist and handover notes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contract } from '../../src/shared/api';
import { lineText, proseText } from '../../src/shared/text';

const REVERSED = 'invoice\u202etxt.exe';

test('a line refuses controls and direction characters; a note keeps its lines and tabs', () => {
  assert.equal(lineText(100).safeParse('web servers').success, true);
  for (const bad of [REVERSED, 'a\u0007b', 'a\u0000', 'a\nb', 'x\u2066y']) {
    assert.equal(lineText(100).safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(proseText(100).safeParse('line one\n\tline two\r\n').success, true);
  for (const bad of [REVERSED, 'bell\u0007', 'esc\u001b[2J', 'nul\u0000']) {
    assert.equal(proseText(100).safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('the contract refuses such text in groups, incidents, checklist and handover notes', () => {
  const refused: [keyof typeof contract, unknown][] = [
    ['openIncident', { title: REVERSED, type: 'availability', severity: 'high' }],
    ['tickItem', { runId: 'r1', itemId: 'i1', tick: 'done', note: REVERSED }],
    ['handoverSave', { id: 'h1', notes: `fine\n${REVERSED}` }],
    ['handoverSave', { id: 'h1', tasks: [{ text: 'ring\u0007', done: false }] }],
    ['handoverAck', { id: 'h1', by: 'Night\u202eshift' }],
    ['ackAlert', { id: 'a1', note: REVERSED }],
  ];
  for (const [name, arg] of refused) {
    const r = contract[name].input.safeParse(arg);
    assert.equal(r.success, false, `${name} took ${JSON.stringify(arg)}`);
    assert.match(JSON.stringify(r.error?.issues), /control or text-direction/);
  }
  const kept = contract.handoverSave.input.safeParse({ id: 'h1', notes: 'db1:\n\tvacuum' });
  assert.equal(kept.success, true);
});
