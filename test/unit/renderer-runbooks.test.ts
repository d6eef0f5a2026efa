import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Incident,
  Parameter,
  PlannedStep,
  Run,
  Runbook,
  StepResult,
} from '../../src/shared/runbooks';
import {
  actualText,
  appendOutput,
  escalationClock,
  filterRunbooks,
  formToMatrix,
  initialParamForm,
  inlineParts,
  levelId,
  listStatus,
  markdownBlocks,
  matrixToForm,
  outputFor,
  progressText,
  runProgress,
  runAdvance,
  newerRun,
  safeFileName,
  sortIncidents,
  stepAction,
  validateParamForm,
  EMPTY_FILTER,
} from '../../src/renderer/src/runbooks';
import { NO_START, parseRoute, routeHash } from '../../src/renderer/src/router';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 4, 3, 0, 0);

function runbook(over: Partial<Runbook>): Runbook {
  return {
    id: 'disk-full',
    title: 'Disk almost full',
    scenario: 'system-failure',
    severity: 'high',
    estimatedMinutes: 20,
    dependencies: [],
    targets: ['host'],
    parameters: [],
    steps: [
      {
        id: 'look',
        kind: 'instruction',
        title: 'Look at the biggest directories',
        timeline: false,
      },
    ],
    source: 'builtin',
    file: 'disk-full.yaml',
    ...over,
  };
}

function param(over: Partial<Parameter>): Parameter {
  return { name: 'mount', type: 'path', required: true, ...over };
}

function planned(over: Partial<PlannedStep>): PlannedStep {
  return {
    index: 0,
    id: 's',
    kind: 'command',
    title: 'Biggest directories',
    body: null,
    mode: 'read',
    targetId: 'web-1',
    targetName: 'web-1',
    text: "du -xh '/var' | sort -h | tail",
    params: [],
    expect: null,
    ...over,
  };
}

function result(over: Partial<StepResult>): StepResult {
  return {
    index: 0,
    stepId: 's',
    attempt: 1,
    status: 'done',
    outcome: null,
    by: 'root',
    startedAt: NOW - 2000,
    finishedAt: NOW,
    targetId: 'web-1',
    text: 'x',
    exitCode: 0,
    output: 'final',
    truncated: false,
    value: null,
    confirmed: false,
    skipReason: null,
    choice: null,
    error: null,
    ...over,
  };
}

function run(over: Partial<Run>): Run {
  return {
    id: 'r1',
    runbookId: 'disk-full',
    title: 'Disk almost full',
    scenario: 'system-failure',
    params: {},
    targets: { host: 'web-1' },
    incidentId: null,
    status: 'running',
    startedAt: NOW - 10 * MIN,
    startedBy: 'root',
    finishedAt: null,
    current: 1,
    plan: [planned({ index: 0 }), planned({ index: 1 }), planned({ index: 2, mode: 'change' })],
    steps: [result({ index: 0 })],
    history: [],
    notes: [],
    ...over,
  };
}

function incident(over: Partial<Incident>): Incident {
  return {
    id: 'i1',
    title: 'Disk full on web-1',
    type: 'availability',
    severity: 'high',
    status: 'open',
    symptoms: '',
    impact: '',
    targetIds: ['web-1'],
    runIds: [],
    origin: 'manual',
    openedAt: NOW - 20 * MIN,
    openedBy: 'root',
    ackAt: null,
    ackBy: null,
    resolvedAt: null,
    escalation: { level: 0, since: NOW - 20 * MIN, nextDueAt: NOW + 10 * MIN },
    timeline: [],
    ...over,
  };
}

const MATRIX = {
  levels: [
    {
      id: 'on-call',
      name: 'On call',
      withinMinutes: 30,
      contacts: [
        { name: 'Alex Example', role: 'admin', phone: '+1 555 0100', email: '', hours: '24/7' },
      ],
    },
    { id: 'lead', name: 'Team lead', withinMinutes: 60, contacts: [] },
  ],
};

test('the library filters by words, scenario, severity and time; worst first', () => {
  const list = [
    runbook({
      id: 'a',
      title: 'Routine check',
      scenario: 'routine',
      severity: 'low',
      estimatedMinutes: 5,
    }),
    runbook({ id: 'b', title: 'Disk almost full', severity: 'high', estimatedMinutes: 20 }),
    runbook({
      id: 'c',
      title: 'Breach',
      scenario: 'security-breach',
      severity: 'critical',
      estimatedMinutes: 90,
    }),
  ];
  assert.deepEqual(
    filterRunbooks(list, EMPTY_FILTER).map((r) => r.id),
    ['c', 'b', 'a'],
  );
  assert.deepEqual(
    filterRunbooks(list, { ...EMPTY_FILTER, query: 'DISK full' }).map((r) => r.id),
    ['b'],
  );
  assert.deepEqual(
    filterRunbooks(list, { ...EMPTY_FILTER, query: 'biggest' }).length,
    3,
    'step titles count',
  );
  assert.deepEqual(
    filterRunbooks(list, { ...EMPTY_FILTER, scenario: 'routine' }).map((r) => r.id),
    ['a'],
  );
  assert.deepEqual(
    filterRunbooks(list, { ...EMPTY_FILTER, severity: 'critical' }).map((r) => r.id),
    ['c'],
  );
  assert.deepEqual(
    filterRunbooks(list, { ...EMPTY_FILTER, maxMinutes: 30 }).map((r) => r.id),
    ['b', 'a'],
  );
});

test('parameters: defaults fill the form; every field says what is wrong', () => {
  const params = [
    param({ name: 'mount', default: '/' }),
    param({ name: 'days', type: 'integer', min: 1, max: 365, default: 7, label: 'Days' }),
    param({ name: 'dry', type: 'boolean', default: true }),
    param({ name: 'db', type: 'identifier', required: false }),
    param({ name: 'mode', type: 'choice', choices: ['gzip', 'delete'], default: 'gzip' }),
  ];
  const form = initialParamForm(params);
  assert.deepEqual(form, { mount: '/', days: '7', dry: true, db: '', mode: 'gzip' });
  assert.deepEqual(validateParamForm(params, form), {
    values: { mount: '/', days: 7, dry: true, mode: 'gzip' },
    errors: {},
  });
  const bad = validateParamForm(params, { ...form, mount: 'var/log', days: '2.5', mode: 'shred' });
  assert.equal(bad.errors.mount, 'mount must be an absolute path (starting with /).');
  assert.equal(bad.errors.days, 'Days must be a whole number.');
  assert.match(bad.errors.mode, /one of gzip, delete/);
  assert.equal(
    validateParamForm(params, { ...form, days: '0' }).errors.days,
    'Days must be at least 1.',
  );
  assert.equal(
    validateParamForm(params, { ...form, mount: '' }).errors.mount,
    'mount is required.',
  );
  assert.match(
    validateParamForm(params, { ...form, db: 'x'.repeat(64) }).errors.db,
    /1 to 63 bytes/,
  );
});

test('hostile parameter text is just a value to the form (the backend quotes it)', () => {
  const params = [param({ name: 'mount' }), param({ name: 'name', type: 'string' })];
  const v = validateParamForm(params, {
    mount: '/tmp/$(touch /tmp/x)',
    name: "'; DROP TABLE t; --",
  });
  assert.deepEqual(v.errors, {});
  assert.equal(v.values.name, "'; DROP TABLE t; --");
});

test('Enter at the current step: read runs, change asks for the confirmation first', () => {
  assert.deepEqual(stepAction(planned({}), undefined, false), {
    kind: 'run',
    label: 'Run command',
  });
  assert.equal(stepAction(planned({ kind: 'check' }), undefined, false).label, 'Run check');
  assert.equal(stepAction(planned({ mode: 'change' }), undefined, false).kind, 'confirm');
  assert.equal(stepAction(planned({ mode: 'change' }), undefined, true).kind, 'run-change');
  assert.equal(
    stepAction(planned({ mode: 'change' }), result({ status: 'failed' }), false).kind,
    'confirm',
  );
  assert.equal(stepAction(planned({}), result({ status: 'failed' }), false).kind, 'retry');
  assert.equal(
    stepAction(planned({ kind: 'instruction', mode: null }), undefined, false).kind,
    'tick',
  );
  assert.equal(
    stepAction(planned({ kind: 'decision', mode: null }), undefined, false).kind,
    'decide',
  );
  assert.equal(
    stepAction(planned({ kind: 'decision', mode: null }), undefined, false, true).kind,
    'run',
  );
  assert.equal(stepAction(planned({}), result({ status: 'running' }), false).kind, 'none');
});

test('step list status words, progress and what a step found', () => {
  const r = run({
    steps: [result({ index: 0 }), result({ index: 1, status: 'failed', exitCode: 2 })],
  });
  assert.equal(listStatus(r, 0), 'done');
  assert.equal(listStatus(r, 1), 'failed');
  assert.equal(listStatus(run({}), 1), 'now');
  assert.equal(listStatus(r, 2), 'pending');
  const checked = run({
    steps: [result({ index: 0, outcome: 'fail' }), result({ index: 1, outcome: 'warning' })],
  });
  assert.equal(listStatus(checked, 0), 'check-failed', 'a failed check never reads as done');
  assert.equal(listStatus(checked, 1), 'warning');
  const jumped = run({ current: 2, steps: [result({ index: 0 })] });
  assert.equal(listStatus(jumped, 1), 'not-taken', 'a branch jumped over is not "to do"');
  assert.equal(progressText(runProgress(r)), '1 of 3 done, 1 failed');
  assert.equal(
    actualText(result({ outcome: 'fail', value: 93, exitCode: null })),
    'FAIL · value 93',
  );
  assert.equal(
    actualText(result({ status: 'skipped', skipReason: 'no access' })),
    'skipped: no access',
  );
  assert.equal(actualText(undefined), 'not run yet');
});

test('streamed output: chunks of one attempt join; a newer attempt starts afresh; the cap cuts', () => {
  const ev = (chunk: string, attempt = 1, index = 1) =>
    ({ runId: 'r1', index, attempt, stream: 'stdout', chunk }) as const;
  let live = appendOutput(null, ev('a'));
  live = appendOutput(live, ev('b'));
  assert.equal(live.text, 'ab');
  assert.equal(appendOutput(live, ev('c', 2)).text, 'c');
  assert.equal(appendOutput(live, ev('old', 0)).text, 'ab', 'an older attempt is ignored');
  const cut = appendOutput(live, ev('0123456789'), 5);
  assert.deepEqual([cut.text, cut.cut], ['56789', true]);

  const r = run({
    steps: [result({ index: 0 }), result({ index: 1, status: 'running', output: '' })],
  });
  assert.deepEqual(outputFor(r, 1, live), { text: 'ab', cut: false, streaming: true });
  const done = run({ steps: [result({ index: 1, output: 'final', truncated: true })] });
  assert.deepEqual(outputFor(done, 1, live), { text: 'final', cut: true, streaming: false });
});

test('escalation clock: due, overdue, acknowledged, last level', () => {
  const due = escalationClock(incident({}), MATRIX, NOW);
  assert.equal(due.dueInMs, 10 * MIN);
  assert.equal(due.contacts[0].name, 'Alex Example');
  assert.equal(due.nextName, 'Level 2 — Team lead');
  assert.equal(
    due.text,
    'Not acknowledged. Level 2 — Team lead is due in 10 min unless someone acknowledges.',
  );
  const late = escalationClock(incident({}), MATRIX, NOW + 13 * MIN);
  assert.match(late.text, /overdue by 3 min: call them now/);
  const acked = escalationClock(incident({ ackAt: NOW, ackBy: 'sam' }), MATRIX, NOW);
  assert.equal(acked.dueInMs, null);
  assert.match(acked.text, /Acknowledged by sam/);
  const last = escalationClock(
    incident({ escalation: { level: 1, since: NOW, nextDueAt: null } }),
    MATRIX,
    NOW,
  );
  assert.match(last.text, /no further level/);
  assert.match(escalationClock(incident({ status: 'resolved' }), MATRIX, NOW).text, /stopped/);
});

test('incidents: open first, then worst severity, then newest', () => {
  const list = sortIncidents([
    incident({ id: 'old-closed', status: 'closed', severity: 'critical' }),
    incident({ id: 'med', severity: 'medium' }),
    incident({ id: 'crit', severity: 'critical', openedAt: NOW - MIN }),
    incident({ id: 'crit-new', severity: 'critical', openedAt: NOW }),
  ]);
  assert.deepEqual(
    list.map((i) => i.id),
    ['crit-new', 'crit', 'med', 'old-closed'],
  );
});

test('escalation matrix form: round trip, ids from names, errors by field', () => {
  const form = matrixToForm(MATRIX);
  const back = formToMatrix(form);
  assert.ok('matrix' in back);
  assert.deepEqual(back.matrix, MATRIX);
  assert.equal(levelId('Team lead!', []), 'team-lead');
  assert.equal(levelId('Team lead', ['team-lead']), 'team-lead-2');
  const bad = formToMatrix([
    {
      id: '',
      name: ' ',
      minutes: 'ten',
      contacts: [{ name: '', role: '', phone: '', email: '', hours: '' }],
    },
  ]);
  assert.ok('errors' in bad);
  assert.deepEqual(Object.keys(bad.errors).sort(), ['0.contacts.0.name', '0.minutes', '0.name']);
  assert.ok('errors' in formToMatrix([]));
});

test('report file names stay plain', () => {
  assert.equal(safeFileName('run disk/full 03:00.html', 'x.html'), 'run-disk-full-03-00.html');
  assert.equal(safeFileName('../../etc/passwd', 'x.html'), 'etc-passwd.html');
  assert.equal(safeFileName('', 'x.html'), 'x.html');
});

test('step bodies: paragraphs, lists, code fences and inline code, never HTML', () => {
  const blocks = markdownBlocks(
    'Check **space**:\n\n- `df -h`\n- logs\n\n```\ndu -sh /var\n```\n<b>x</b>',
  );
  assert.deepEqual(blocks, [
    { kind: 'p', text: 'Check **space**:' },
    { kind: 'list', items: ['`df -h`', 'logs'] },
    { kind: 'code', text: 'du -sh /var' },
    { kind: 'p', text: '<b>x</b>' },
  ]);
  assert.deepEqual(inlineParts('run `df -h` **now**'), [
    { kind: 'text', text: 'run ' },
    { kind: 'code', text: 'df -h' },
    { kind: 'text', text: ' ' },
    { kind: 'strong', text: 'now' },
  ]);
});

test('routes of runbooks, runs, incidents and the audit log round-trip', () => {
  const routes = [
    { page: 'runbooks' },
    { page: 'runbook', id: 'disk-full', start: NO_START },
    { page: 'runbook', id: 'disk-full', start: { ...NO_START, incident: 'i1', host: 'web-1' } },
    { page: 'run', id: 'r1' },
    { page: 'incidents' },
    { page: 'incident', id: 'i1' },
    { page: 'audit' },
  ] as const;
  for (const r of routes) assert.deepEqual(parseRoute(routeHash(r)), r);
  assert.equal(
    routeHash({
      page: 'runbook',
      id: 'disk-full',
      start: { ...NO_START, incident: 'i1', host: 'web-1' },
    }),
    '#/runbooks/disk-full?incident=i1&host=web-1',
  );
});

test('a reload that answers after a step ended does not put the run back', () => {
  const mid = run({ history: [result({ index: 0 }), result({ index: 1, finishedAt: null })] });
  const done = run({
    status: 'completed',
    history: [result({ index: 0 }), result({ index: 1 })],
    steps: [result({ index: 0 }), result({ index: 1 })],
  });
  assert.ok(runAdvance(done) > runAdvance(mid));
  assert.equal(newerRun(done, mid), done, 'the older answer is dropped');
  assert.equal(newerRun(mid, done), done);
  assert.equal(newerRun(undefined, mid), mid);
  assert.equal(newerRun(done, { ...mid, id: 'r2' }).id, 'r2', 'another run is always shown');
});
