// Reports: one HTML file that opens offline, every value escaped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_MATRIX } from '../../src/main/runbooks/escalation';
import { escapeHtml } from '../../src/main/html-page';
import { incidentHtml, runHtml } from '../../src/main/runbooks/html';
import type { Incident, Run } from '../../src/shared/runbooks';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const EVIL = '<script>alert(1)</script><img src=x onerror=y>"\'&';

const run: Run = {
  id: 'r1',
  runbookId: 'disk-almost-full',
  title: 'Disk almost full',
  scenario: 'system-failure',
  params: { path: EVIL },
  targets: { host: 'h1' },
  incidentId: 'i1',
  status: 'completed',
  startedAt: T0,
  startedBy: 'ann',
  finishedAt: T0 + 60_000,
  current: 1,
  plan: [
    {
      index: 0,
      id: 'usage',
      kind: 'command',
      title: `Usage ${EVIL}`,
      body: null,
      mode: 'read',
      targetId: 'h1',
      targetName: 'web-1',
      text: `df -P -- '${EVIL}'`,
      params: [],
      expect: null,
    },
  ],
  steps: [],
  history: [
    {
      index: 0,
      stepId: 'usage',
      attempt: 1,
      status: 'skipped',
      outcome: null,
      by: 'ann',
      startedAt: T0,
      finishedAt: T0,
      targetId: 'h1',
      text: null,
      exitCode: null,
      output: EVIL,
      truncated: true,
      value: null,
      confirmed: false,
      skipReason: `because ${EVIL}`,
      choice: null,
      error: null,
    },
  ],
  notes: [{ t: T0, by: 'ann', index: null, text: EVIL }],
};

const incident: Incident = {
  id: 'i1',
  title: EVIL,
  type: 'availability',
  severity: 'high',
  status: 'resolved',
  symptoms: EVIL,
  impact: '',
  targetIds: ['h1'],
  runIds: ['r1'],
  origin: 'manual',
  openedAt: T0,
  openedBy: 'ann',
  ackAt: null,
  ackBy: null,
  resolvedAt: T0 + 1,
  escalation: { level: 1, since: T0, nextDueAt: null },
  timeline: [
    { id: 1, incidentId: 'i1', t: T0, kind: 'opened', by: 'ann', text: EVIL, runId: null },
  ],
};

function selfContained(html: string): void {
  assert.ok(html.startsWith('<!doctype html>'));
  const allowed = new Set(
    'html head meta title style body h1 h2 h3 p b small table tr td th pre details summary'.split(
      ' ',
    ),
  );
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    assert.ok(allowed.has(m[1].toLowerCase()), `unexpected tag ${m[0]}`);
    assert.doesNotMatch(m[2], /\b(src|href|on\w+)\s*=/i, `no resource or handler in ${m[0]}`);
  }
  assert.doesNotMatch(html, /url\(|@import/i);
  assert.ok(!html.includes(EVIL));
  assert.ok(html.includes(escapeHtml(EVIL)));
}

describe('HTML reports', () => {
  test('a run report is self-contained and escaped, with skips and cuts visible', () => {
    const out = runHtml(run, T0 + 120_000);
    selfContained(out.html);
    assert.equal(out.fileName, 'opsdeck-run-disk-almost-full-r1.html');
    assert.match(out.html, /skipped/);
    assert.match(out.html, /cut at the output cap/);
    assert.match(out.html, /2026-01-02 03:04:05 UTC/);
  });

  test('a failed check and a branch not taken never read as done', () => {
    const step = run.plan[0];
    const checked: Run = {
      ...run,
      plan: [
        { ...step, kind: 'check' },
        { ...step, index: 1, id: 'other-branch', title: 'The other branch' },
      ],
      history: [{ ...run.history[0], status: 'done', outcome: 'fail', skipReason: null }],
    };
    const html = runHtml(checked, T0).html;
    assert.match(html, /<small class="failed">\[check failed\]<\/small>/);
    assert.match(html, /The other branch <small class="pending">\[not taken\]<\/small>/);
  });

  test('an incident report carries its timeline and linked runs', () => {
    const out = incidentHtml(incident, [run], DEFAULT_MATRIX, T0);
    selfContained(out.html);
    assert.match(out.fileName, /^opsdeck-incident-[A-Za-z0-9_-]+-i1\.html$/);
    assert.match(out.html, /Team lead since/);
    assert.match(out.html, /Run: Disk almost full/);
  });
});
