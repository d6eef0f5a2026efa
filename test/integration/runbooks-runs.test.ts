// Runs of a runbook against the workstation itself (the local target): dry run, parameters
// kept inert, confirmation enforced in the backend, output streamed and capped, retry, skip,
// decisions, waits, escalation from a run, resume after a restart, export, audit chain.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { OpsdeckApp } from '../../src/main/app';
import { shQuote } from '../../src/main/targets/quote';
import type { RunOutput } from '../../src/shared/runbooks';
import { call, openApp, quietLogs, runbookFolder, tempDir, type Notice } from './runbooks-helpers';

const BASICS = `
id: test-basics
title: Test basics
scenario: routine
severity: low
estimatedMinutes: 1
parameters:
  - { name: value, type: string }
  - { name: dir, type: path }
steps:
  - id: intro
    kind: instruction
    title: Read this
  - id: echo
    kind: command
    title: Echo the value
    mode: read
    command: printf '%s' {{value}}
  - id: touch
    kind: command
    title: Make a file
    mode: change
    command: touch -- {{dir}}/made
  - id: check-file
    kind: check
    title: The file exists
    probe:
      source: command
      command: test -e {{dir}}/made
    expect: { kind: exit, code: 0 }
  - id: big
    kind: command
    title: Lots of output
    mode: read
    command: yes opsdeck | head -c 5000
  - id: fails
    kind: command
    title: A failing command
    mode: read
    command: echo broken >&2; exit 3
  - id: pick
    kind: decision
    title: Pick
    options:
      - { id: a, label: A, next: waiting }
      - { id: b, label: B, next: end }
  - id: waiting
    kind: wait
    title: Wait for the file
    seconds: 5
    until:
      probe:
        source: command
        command: test -e {{dir}}/made
      expect: { kind: exit, code: 0 }
      everySeconds: 1
  - id: escalate
    kind: escalate
    title: Escalate
    level: team-lead
  - id: final
    kind: note
    title: Final note
`;

const BROKEN = `id: broken
title: Broken
scenario: routine
severity: low
estimatedMinutes: 1
steps:
  - id: one
    kind: command
    title: One
    mode: sometimes
    command: true
`;

const HOSTILE = `$(touch DIR/pwned) \`touch DIR/pwned2\` '; DROP TABLE t; -- "<b>&amp;</b>"`;

describe('runbook runs on the local target', () => {
  const logs = quietLogs();
  const dataDir = tempDir('runbooks-runs');
  const work = tempDir('runbooks-work');
  const folder = runbookFolder({ 'basics.yaml': BASICS, 'broken.yaml': BROKEN });
  const notices: Notice[] = [];
  const hostile = HOSTILE.replaceAll('DIR', work);
  let app: OpsdeckApp;

  before(async () => {
    app = openApp(dataDir, notices);
    await call(app, 'saveRunbookSettings', { folder, outputCapBytes: 1024 });
  });
  after(async () => {
    await app.stop();
    for (const d of [dataDir, work, folder]) rmSync(d, { recursive: true, force: true });
    void logs;
  });

  const start = () =>
    call(app, 'startRun', {
      runbookId: 'test-basics',
      params: { value: hostile, dir: work },
      targets: { host: 'local' },
    });

  it('lists the built-in runbooks and names file, line and field of a broken one', async () => {
    const lib = await call(app, 'listRunbooks', {});
    const ids = lib.runbooks.map((r) => r.id);
    for (const id of [
      'service-down',
      'postgres-unavailable',
      'disk-almost-full',
      'security-breach',
      'data-loss',
      'site-loss',
      'test-basics',
    ]) {
      assert.ok(ids.includes(id), `${id} listed`);
    }
    const broken = lib.problems.filter((x) => x.file.endsWith('broken.yaml'));
    assert.deepEqual(
      broken.map((p) => [p.line, p.field]),
      [
        [10, 'steps.0.mode'],
        [11, 'steps.0.command'],
      ],
      'each mistake with its line and field ("true" is a YAML boolean, not a command)',
    );
    assert.match(broken[0].message, /"read"\|"change"/);
  });

  it('reloads the runbook folder when a file in it changes', async () => {
    writeFileSync(join(folder, 'later.yaml'), BASICS.replace('id: test-basics', 'id: later'));
    const deadline = Date.now() + 20_000;
    let ids: string[] = [];
    while (Date.now() < deadline) {
      ids = (await call(app, 'listRunbooks', {})).runbooks.map((r) => r.id);
      if (ids.includes('later')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ids.includes('later'), 'the new file was picked up');
    const lib = await call(app, 'listRunbooks', {});
    assert.equal(lib.runbooks.find((r) => r.id === 'later')?.source, 'folder');
    assert.equal(lib.folder, folder);
  });

  it('a dry run fills everything in and runs, stores and audits nothing', async () => {
    const before = await call(app, 'auditLog', { limit: 1000 });
    const plan = await call(app, 'planRun', {
      runbookId: 'test-basics',
      params: { value: hostile, dir: work },
      targets: { host: 'local' },
    });
    assert.equal(plan.steps[1].text, `printf '%s' ${shQuote(hostile)}`);
    assert.equal(plan.steps[2].text, `touch -- ${shQuote(work)}/made`);
    assert.equal(plan.steps[2].mode, 'change');
    assert.equal(plan.steps[2].targetName, 'This workstation');
    assert.deepEqual(await call(app, 'auditLog', { limit: 1000 }), before);
    assert.deepEqual(await call(app, 'listRuns', {}), []);
    assert.equal(existsSync(join(work, 'made')), false);
  });

  it('walks a run: inert parameters, confirmation, cap, retry, skip, decision, wait, escalation', async () => {
    const chunks: RunOutput[] = [];
    const off = app.events.on('runOutput', (c) => chunks.push(c));
    const run = await start();
    assert.equal(run.current, 0);
    let r = await call(app, 'runStep', { runId: run.id, index: 0 });
    assert.equal(r.steps[0].status, 'done');

    r = await call(app, 'runStep', { runId: run.id, index: 1 });
    assert.equal(r.steps[1].status, 'done');
    assert.equal(r.steps[1].output, hostile, 'the value came back as plain text');
    assert.equal(existsSync(join(work, 'pwned')), false, '$(…) did not run');
    assert.equal(existsSync(join(work, 'pwned2')), false, 'backticks did not run');
    assert.ok(chunks.some((c) => c.index === 1 && hostile.startsWith(c.chunk.slice(0, 10))));

    await assert.rejects(call(app, 'runStep', { runId: run.id, index: 2 }), {
      name: 'ConfirmationRequired',
    });
    assert.equal(existsSync(join(work, 'made')), false, 'nothing ran unconfirmed');
    r = await call(app, 'runStep', { runId: run.id, index: 2, confirm: true });
    assert.equal(r.steps[2].confirmed, true);
    assert.ok(existsSync(join(work, 'made')));

    r = await call(app, 'runStep', { runId: run.id, index: 3 });
    assert.equal(r.steps[3].outcome, 'pass');

    r = await call(app, 'runStep', { runId: run.id, index: 4 });
    assert.equal(r.steps[4].truncated, true);
    assert.match(r.steps[4].output, /\[output cut at 1024 bytes; 3976 more bytes not kept\]$/);

    r = await call(app, 'runStep', { runId: run.id, index: 5 });
    assert.equal(r.steps[5].status, 'failed');
    assert.equal(r.steps[5].exitCode, 3);
    assert.equal(r.current, 5, 'a failed step holds the run');
    r = await call(app, 'runStep', { runId: run.id, index: 5 });
    assert.equal(r.steps[5].attempt, 2, 'retried');
    r = await call(app, 'skipStep', { runId: run.id, index: 5, reason: 'known to fail' });
    assert.equal(r.steps[5].status, 'skipped');
    assert.equal(r.steps[5].skipReason, 'known to fail');

    await assert.rejects(call(app, 'runStep', { runId: run.id, index: 6 }), /decision/);
    r = await call(app, 'decide', { runId: run.id, index: 6, option: 'a' });
    assert.equal(r.current, 7);
    r = await call(app, 'runStep', { runId: run.id, index: 7 });
    assert.equal(r.steps[7].status, 'done');
    assert.equal(r.steps[7].outcome, 'pass');

    r = await call(app, 'runStep', { runId: run.id, index: 8 });
    assert.ok(r.incidentId, 'an escalate step without an incident opens one');
    const inc = await call(app, 'getIncident', { id: r.incidentId });
    assert.deepEqual(inc.runIds, [run.id]);
    assert.equal(inc.escalation.level, 1);
    assert.ok(inc.timeline.some((e) => e.kind === 'escalated' && /Team lead/.test(e.text)));
    assert.ok(notices.some((n) => /escalated/i.test(n.title)));

    await call(app, 'addRunNote', { runId: run.id, index: 9, text: 'all <fine> & well' });
    r = await call(app, 'runStep', { runId: run.id, index: 9 });
    assert.equal(r.status, 'completed');
    assert.equal(r.history.length, 12);
    off();

    const timeline = (await call(app, 'getIncident', { id: inc.id })).timeline;
    assert.ok(timeline.some((e) => e.kind === 'note' && e.text.includes('all <fine> & well')));
    assert.ok(timeline.some((e) => e.kind === 'run-finished'));
  });

  it('opens an incident from a failed step, and starts a run from an incident', async () => {
    const run = await start();
    for (let i = 0; i < 5; i++) {
      await call(app, 'runStep', { runId: run.id, index: i, confirm: true });
    }
    const failed = await call(app, 'runStep', { runId: run.id, index: 5 });
    assert.equal(failed.steps[5].status, 'failed');
    const inc = await call(app, 'openIncident', { runId: run.id, impact: 'none, a test' });
    assert.equal(inc.origin, `runbook:${run.id}`);
    assert.equal(inc.type, 'application');
    assert.match(inc.symptoms, /Step 6 \(fails\) failed/);
    assert.deepEqual(inc.runIds, [run.id]);
    assert.equal((await call(app, 'getRun', { id: run.id })).incidentId, inc.id);
    await call(app, 'abortRun', { runId: run.id, reason: 'test over' });

    const byHand = await call(app, 'openIncident', {
      title: 'Disk filling up',
      type: 'performance',
      severity: 'medium',
    });
    const linked = await call(app, 'startRun', {
      runbookId: 'test-basics',
      params: { value: 'v', dir: work },
      targets: { host: 'local' },
      incidentId: byHand.id,
    });
    assert.equal(linked.incidentId, byHand.id);
    const after = await call(app, 'getIncident', { id: byHand.id });
    assert.deepEqual(after.runIds, [linked.id]);
    assert.ok(after.timeline.some((e) => e.kind === 'run-started' && e.runId === linked.id));
    assert.deepEqual(
      (await call(app, 'listRuns', { incidentId: byHand.id })).map((r) => r.id),
      [linked.id],
    );
    await call(app, 'abortRun', { runId: linked.id, reason: 'test over' });
    const out = await call(app, 'exportIncident', { id: byHand.id });
    assert.match(out.html, /Disk filling up/);
  });

  it('audits every command with its exact text, and the chain verifies', async () => {
    const audit = await call(app, 'auditLog', { limit: 1000 });
    const echo = audit.find((a) => a.detail === `printf '%s' ${shQuote(hostile)}`);
    assert.ok(echo, 'the exact command is in the audit log');
    assert.equal(echo.targetId, 'local');
    assert.equal(echo.result, 'exit 0');
    assert.match(echo.action, /^runbook command \(run [0-9a-f]+, step echo\)$/);
    assert.ok(audit.some((a) => a.detail === 'echo broken >&2; exit 3' && a.result === 'exit 3'));
    assert.deepEqual(await call(app, 'verifyAudit', {}), { ok: true, checked: audit.length });
  });

  it('exports a run to one self-contained, escaped HTML file', async () => {
    const [summary] = await call(app, 'listRuns', { status: 'completed' });
    const out = await call(app, 'exportRun', { id: summary.id });
    assert.match(out.fileName, /^opsdeck-run-test-basics-[0-9a-f]+\.html$/);
    assert.ok(out.html.startsWith('<!doctype html>'));
    assert.ok(out.html.includes('&lt;b&gt;&amp;amp;&lt;/b&gt;'), 'values escaped');
    assert.ok(!out.html.includes('<b>&amp;</b>'));
    assert.doesNotMatch(out.html, /<script|<link|<img|src=|href=|url\(/i, 'no external resources');
    assert.ok(out.html.includes('known to fail'), 'the skip reason is in the report');
    assert.ok(out.html.includes('output cut'), 'the cap is marked');
  });

  it('resumes at the same step after a restart; a step cut off by it is marked failed', async () => {
    const run = await start();
    await call(app, 'runStep', { runId: run.id, index: 0 });
    await call(app, 'runStep', { runId: run.id, index: 1 });
    // As if Opsdeck stopped while step 3 ran.
    app.store.runbooks.saveStep(run.id, {
      ...(await call(app, 'getRun', { id: run.id })).steps[2],
      attempt: 1,
      status: 'running',
      startedAt: Date.now(),
    });
    await app.stop();
    app = openApp(dataDir, notices);
    let r = await call(app, 'getRun', { id: run.id });
    assert.equal(r.status, 'running');
    assert.equal(r.current, 2);
    assert.equal(r.steps[2].status, 'failed');
    assert.match(r.steps[2].error ?? '', /stopped while this step ran/);
    r = await call(app, 'runStep', { runId: run.id, index: 2, confirm: true });
    assert.equal(r.steps[2].status, 'done');
    assert.equal(r.steps[2].attempt, 2);
    assert.equal(r.current, 3);
    await call(app, 'abortRun', { runId: run.id, reason: 'test over' });
  });

  it('detects an audit entry changed behind its back', async () => {
    assert.equal((await call(app, 'verifyAudit', {})).ok, true);
    await app.stop();
    const db = new Database(join(dataDir, 'opsdeck.sqlite'));
    const id = (
      db.prepare("SELECT id FROM audit WHERE action LIKE 'runbook command%' LIMIT 1").get() as {
        id: number;
      }
    ).id;
    db.prepare('UPDATE audit SET detail = ? WHERE id = ?').run('true', id);
    db.close();
    app = openApp(dataDir, notices);
    const v = await call(app, 'verifyAudit', {});
    assert.equal(v.ok, false);
    assert.equal(v.ok === false && v.brokenId, id);
  });
});
