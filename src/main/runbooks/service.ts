// Runs of runbooks, step by step: each attempt is stored when it starts and when it ends,
// so a run resumes at the same step after a restart; changing steps run only with the
// operator's confirmation; every command, SQL statement and Redis command is audited.
// Incidents and their escalation live in incidents.ts; this service links runs to them.
import { randomBytes } from 'node:crypto';
import { seriesKey } from '../../shared/metrics';
import { assertNever } from '../../shared/result';
import { formatDuration } from '../../shared/report-format';
import type {
  CheckOutcome,
  ParamValue,
  PlannedStep,
  Probe,
  Run,
  RunbookDoc,
  RunbookSettings,
  RunPlan,
  RunSummary,
  Step,
  StepResult,
  TargetRole,
} from '../../shared/runbooks';
import type { Target } from '../../shared/types';
import type { ApiEventBus } from '../dispatch';
import { ConfirmationRequired, NotFound, ValidationError } from '../errors';
import { createLogger } from '../log';
import type { Connections } from '../monitor/connections';
import type { Store } from '../store';
import { latestAttempts, type RunHeader } from '../store/runbooks';
import { evaluate, type Reading } from './checks';
import { type ExecContext, type ExecResult, runRedis, runShell, runSql } from './execute';
import { RunbookCatalog } from './library';
import { resolveParams } from './params';
import { type Bindings, neededRoles, planSteps, renderProbe, type Values } from './render';

const log = createLogger('runbooks');

export const DEFAULT_RUNBOOK_SETTINGS: RunbookSettings = {
  folder: null,
  outputCapBytes: 64 * 1024,
};
const SETTINGS_KEY = 'runbooks.settings';

const ROLE_KINDS: Record<TargetRole, readonly string[]> = {
  host: ['local', 'ssh'],
  postgres: ['postgres'],
  redis: ['redis'],
};

/** What the run service needs from the incident side. */
export interface IncidentLink {
  linkRun(incidentId: string, run: Run, text: string): void;
  record(
    incidentId: string,
    kind: 'step' | 'capture' | 'note' | 'run-finished',
    text: string,
    runId: string,
  ): void;
  /** Opens an incident from a run (an escalate step without one) and links the run. */
  openFromRun(runId: string): string;
  escalate(incidentId: string, levelId: string, why: string, runId: string): void;
  exists(incidentId: string): boolean;
}

export interface RunServiceDeps {
  store: Store;
  connections: Connections;
  events: ApiEventBus;
  operator: string;
  audit: (targetId: string | null, action: string, detail: string, result: string) => void;
  builtinDirs: readonly string[];
  now?: () => number;
  /** Shortens waits in tests: a wait step's seconds are multiplied by this. */
  waitScale?: number;
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

function blankResult(index: number, stepId: string, attempt: number): StepResult {
  return {
    index,
    stepId,
    attempt,
    status: 'pending',
    outcome: null,
    by: null,
    startedAt: null,
    finishedAt: null,
    targetId: null,
    text: null,
    exitCode: null,
    output: '',
    truncated: false,
    value: null,
    confirmed: false,
    skipReason: null,
    choice: null,
    error: null,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export class RunService {
  readonly catalog: RunbookCatalog;
  private incidents: IncidentLink | null = null;
  private readonly busy = new Map<string, AbortController>();

  constructor(private readonly deps: RunServiceDeps) {
    this.catalog = new RunbookCatalog(deps.builtinDirs);
    this.catalog.setFolder(this.settings().folder);
    this.markInterrupted();
  }

  link(incidents: IncidentLink): void {
    this.incidents = incidents;
  }

  private get tables() {
    return this.deps.store.runbooks;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  stop(): void {
    for (const c of this.busy.values()) c.abort();
    this.catalog.close();
  }

  // Settings

  settings(): RunbookSettings {
    const stored = this.tables.getMeta(SETTINGS_KEY) as Partial<RunbookSettings> | undefined;
    return { ...DEFAULT_RUNBOOK_SETTINGS, ...(stored ?? {}) };
  }

  saveSettings(s: RunbookSettings): RunbookSettings {
    if (s.folder !== null && !s.folder.startsWith('/')) {
      throw new ValidationError(`The runbook folder "${s.folder}" is not an absolute path.`);
    }
    this.tables.setMeta(SETTINGS_KEY, s);
    this.catalog.setFolder(s.folder);
    this.deps.audit(null, 'runbook-settings-saved', JSON.stringify(s), 'ok');
    return this.settings();
  }

  // Planning

  private bind(
    doc: RunbookDoc,
    given: Partial<Record<TargetRole, string>>,
    strict: boolean,
  ): {
    bindings: Bindings;
    ids: Partial<Record<TargetRole, string>>;
  } {
    const bindings: Bindings = {};
    const ids: Partial<Record<TargetRole, string>> = {};
    for (const role of neededRoles(doc)) {
      const id = given[role];
      if (!id) {
        if (strict) {
          throw new ValidationError(
            `"${doc.title}" needs a ${role} target; choose one before starting the run.`,
          );
        }
        continue;
      }
      const t = this.target(id);
      if (!ROLE_KINDS[role].includes(t.config.kind)) {
        throw new ValidationError(
          `${t.name} is a ${t.config.kind} target; "${doc.title}" needs a ${role} target there.`,
        );
      }
      bindings[role] = { id: t.id, name: t.name };
      ids[role] = t.id;
    }
    return { bindings, ids };
  }

  /** The dry run: every step filled in; nothing runs, nothing is stored or audited. */
  plan(arg: {
    runbookId: string;
    params: Record<string, ParamValue>;
    targets: Partial<Record<TargetRole, string>>;
  }): RunPlan {
    const doc = this.catalog.get(arg.runbookId);
    const values = resolveParams(doc, arg.params);
    const { bindings } = this.bind(doc, arg.targets, false);
    return {
      runbookId: doc.id,
      title: doc.title,
      params: values,
      steps: planSteps(doc, values, bindings),
    };
  }

  // Runs

  start(arg: {
    runbookId: string;
    params: Record<string, ParamValue>;
    targets: Partial<Record<TargetRole, string>>;
    incidentId?: string;
  }): Run {
    const rb = this.catalog.get(arg.runbookId);
    const { source: _s, file: _f, ...doc } = rb;
    void _s;
    void _f;
    const values = resolveParams(doc, arg.params);
    const { bindings, ids } = this.bind(doc, arg.targets, true);
    if (arg.incidentId && !this.incidents?.exists(arg.incidentId)) {
      throw new NotFound(`No incident with id ${arg.incidentId}; it may have been removed.`);
    }
    const header: RunHeader = {
      id: newId(),
      runbookId: doc.id,
      title: doc.title,
      scenario: doc.scenario,
      params: values,
      targets: ids,
      incidentId: arg.incidentId ?? null,
      status: 'running',
      startedAt: this.now(),
      startedBy: this.deps.operator,
      finishedAt: null,
      current: 0,
      plan: planSteps(doc, values, bindings),
      doc,
    };
    this.tables.saveRun(header);
    this.deps.audit(
      null,
      'runbook-run-started',
      `${doc.title} (${doc.id}), run ${header.id}, params ${JSON.stringify(values)}, targets ${JSON.stringify(ids)}`,
      'ok',
    );
    const run = this.get(header.id);
    if (arg.incidentId)
      this.incidents?.linkRun(arg.incidentId, run, `Run of "${doc.title}" started`);
    log.info('run started', { runId: header.id, runbook: doc.id });
    this.announce(header.id);
    return this.get(header.id);
  }

  header(id: string): RunHeader {
    const h = this.tables.getRunHeader(id);
    if (!h) throw new NotFound(`No runbook run with id ${id}; it may have been removed.`);
    return h;
  }

  get(id: string): Run {
    const { doc: _d, ...h } = this.header(id);
    void _d;
    const history = this.tables.steps(id);
    const latest = new Map(latestAttempts(history).map((s) => [s.index, s]));
    const steps = h.plan.map((p) => latest.get(p.index) ?? blankResult(p.index, p.id, 0));
    return { ...h, steps, history, notes: this.tables.notes(id) };
  }

  list(filter: { incidentId?: string; status?: string }, limit: number): RunSummary[] {
    return this.tables
      .listRunHeaders(filter, limit)
      .map((h) => summaryOf(h, this.tables.steps(h.id)));
  }

  setIncident(runId: string, incidentId: string): void {
    const h = this.header(runId);
    this.tables.saveRun({ ...h, incidentId });
    this.announce(runId);
  }

  /** Runs, ticks or retries the current step. */
  async runStep(runId: string, index: number, confirm: boolean): Promise<Run> {
    const h = this.current(runId, index);
    const step = h.doc.steps[index];
    if (step.kind === 'decision' && !step.auto) {
      throw new ValidationError(
        `Step ${index + 1} of "${h.title}" is a decision: choose one of its options.`,
      );
    }
    const planned = h.plan[index];
    if (planned.mode === 'change' && !confirm) {
      throw new ConfirmationRequired(
        `Step ${index + 1} of "${h.title}" changes ${planned.targetName ?? 'the target'}: ` +
          `read the command, then confirm to run it.\n${planned.text ?? ''}`,
      );
    }
    const abort = new AbortController();
    this.busy.set(runId, abort);
    try {
      const attempt = this.nextAttempt(runId, index);
      const r: StepResult = {
        ...blankResult(index, step.id, attempt),
        status: 'running',
        by: this.deps.operator,
        startedAt: this.now(),
        targetId: planned.targetId,
        text: planned.text,
        confirmed: planned.mode === 'change' && confirm,
      };
      this.tables.saveStep(runId, r);
      this.announce(runId);
      const done = await this.execute(h, step, planned, r, abort.signal);
      done.finishedAt = this.now();
      this.tables.saveStep(runId, done);
      this.afterStep(h, step, done);
      return this.get(runId);
    } finally {
      this.busy.delete(runId);
    }
  }

  skip(runId: string, index: number, reason: string): Run {
    const h = this.current(runId, index);
    const step = h.doc.steps[index];
    const r: StepResult = {
      ...blankResult(index, step.id, this.nextAttempt(runId, index)),
      status: 'skipped',
      by: this.deps.operator,
      startedAt: this.now(),
      finishedAt: this.now(),
      skipReason: reason,
    };
    this.tables.saveStep(runId, r);
    this.afterStep(h, step, r);
    return this.get(runId);
  }

  decide(runId: string, index: number, option: string): Run {
    const h = this.current(runId, index);
    const step = h.doc.steps[index];
    if (step.kind !== 'decision') {
      throw new ValidationError(`Step ${index + 1} of "${h.title}" is not a decision.`);
    }
    if (!step.options.some((o) => o.id === option)) {
      throw new ValidationError(`Step ${index + 1} has no option "${option}".`);
    }
    const r: StepResult = {
      ...blankResult(index, step.id, this.nextAttempt(runId, index)),
      status: 'done',
      by: this.deps.operator,
      startedAt: this.now(),
      finishedAt: this.now(),
      choice: option,
    };
    this.tables.saveStep(runId, r);
    this.afterStep(h, step, r);
    return this.get(runId);
  }

  addNote(runId: string, index: number | undefined, text: string): Run {
    const h = this.header(runId);
    if (index !== undefined && index >= h.plan.length) {
      throw new ValidationError(`"${h.title}" has no step ${index + 1}.`);
    }
    this.tables.addNote(runId, {
      t: this.now(),
      by: this.deps.operator,
      index: index ?? null,
      text,
    });
    if (h.incidentId) {
      const where = index === undefined ? '' : ` (step ${index + 1})`;
      this.incidents?.record(h.incidentId, 'note', `${text}${where}`, runId);
    }
    this.announce(runId);
    return this.get(runId);
  }

  abort(runId: string, reason: string): Run {
    const h = this.header(runId);
    if (h.status !== 'running') return this.get(runId);
    this.busy.get(runId)?.abort();
    this.finish(h, 'aborted', `Run aborted by ${this.deps.operator}: ${reason}`);
    return this.get(runId);
  }

  // Internals

  private current(runId: string, index: number): RunHeader {
    const h = this.header(runId);
    if (h.status !== 'running') {
      throw new ValidationError(`The run of "${h.title}" is ${h.status}; start a new run.`);
    }
    if (this.busy.has(runId)) {
      throw new ValidationError(
        `A step of "${h.title}" is still running; wait for it or abort the run.`,
      );
    }
    if (index !== h.current) {
      throw new ValidationError(
        `Step ${index + 1} of "${h.title}" is not the current one (step ${h.current + 1} is); reload the run.`,
      );
    }
    return h;
  }

  private nextAttempt(runId: string, index: number): number {
    return this.tables.steps(runId).filter((s) => s.index === index).length + 1;
  }

  private target(id: string): Target {
    const t = this.deps.store.getTarget(id);
    if (!t) throw new NotFound(`No target with id ${id}; it may have been deleted.`);
    return t;
  }

  private targetOf(h: RunHeader, role: TargetRole | null): Target {
    const id = role ? h.targets[role] : undefined;
    if (!role || !id) {
      throw new ValidationError(`The run of "${h.title}" has no ${role ?? 'target'} bound.`);
    }
    return this.target(id);
  }

  private ctx(h: RunHeader, r: StepResult, signal: AbortSignal): ExecContext {
    return {
      connections: this.deps.connections,
      capBytes: this.settings().outputCapBytes,
      signal,
      audit: (targetId, action, detail, result) =>
        this.deps.audit(targetId, action, detail, result),
      origin: `run ${h.id}, step ${r.stepId}`,
      onChunk: (stream, chunk) =>
        this.deps.events.emit('runOutput', {
          runId: h.id,
          index: r.index,
          attempt: r.attempt,
          stream,
          chunk,
        }),
    };
  }

  private async probe(
    h: RunHeader,
    role: TargetRole,
    probe: Probe,
    r: StepResult,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<ExecResult> {
    const p = renderProbe(role, probe, h.params as Values);
    const target = this.targetOf(h, role);
    const ctx = this.ctx(h, r, signal);
    switch (probe.source) {
      case 'command':
        return runShell(ctx, target, p.text, timeoutMs);
      case 'sql':
        return runSql(ctx, target, p.text, p.params);
      case 'redis':
        return runRedis(ctx, target, p.params, p.text);
      case 'metric': {
        const latest = this.deps.store.latest(target.id).get(seriesKey(probe.metric, probe.labels));
        const value = latest?.v ?? null;
        return {
          exitCode: null,
          output: value === null ? 'no stored value' : `${p.text} = ${value}`,
          value,
          rows: null,
          truncated: false,
          error: null,
        };
      }
      default:
        return assertNever(probe, 'probe source');
    }
  }

  private async execute(
    h: RunHeader,
    step: Step,
    planned: PlannedStep,
    r: StepResult,
    signal: AbortSignal,
  ): Promise<StepResult> {
    const fromExec = (x: ExecResult, ok: boolean): StepResult => ({
      ...r,
      status: ok ? 'done' : 'failed',
      exitCode: x.exitCode,
      output: x.output,
      truncated: x.truncated,
      value: x.value,
      error: x.error,
    });
    switch (step.kind) {
      case 'instruction':
      case 'note':
        return { ...r, status: 'done' };
      case 'command': {
        const x = await runShell(
          this.ctx(h, r, signal),
          this.targetOf(h, 'host'),
          planned.text ?? '',
          step.timeoutSeconds * 1000,
        );
        return fromExec(x, x.exitCode === 0);
      }
      case 'sql': {
        const x = await runSql(
          this.ctx(h, r, signal),
          this.targetOf(h, 'postgres'),
          planned.text ?? '',
          planned.params,
        );
        return fromExec(x, x.error === null);
      }
      case 'redis': {
        const x = await runRedis(
          this.ctx(h, r, signal),
          this.targetOf(h, 'redis'),
          planned.params,
          planned.text ?? '',
        );
        return fromExec(x, x.error === null);
      }
      case 'check': {
        const x = await this.probe(
          h,
          step.target,
          step.probe,
          r,
          signal,
          step.timeoutSeconds * 1000,
        );
        const outcome: CheckOutcome =
          x.error && step.probe.source !== 'command' ? 'fail' : evaluate(step.expect, x as Reading);
        const res = fromExec(x, outcome !== 'fail' || step.onFail === 'continue');
        return { ...res, outcome };
      }
      case 'wait':
        return this.wait(h, step, r, signal);
      case 'decision': {
        const { choice, evidence } = this.autoChoice(h, step);
        return { ...r, status: 'done', choice, output: evidence };
      }
      case 'escalate': {
        if (!this.incidents)
          return { ...r, status: 'failed', error: 'Incidents are not available.' };
        const incidentId = h.incidentId ?? this.incidents.openFromRun(h.id);
        this.incidents.escalate(
          incidentId,
          step.level,
          `step "${step.title}" of "${h.title}"`,
          h.id,
        );
        return { ...r, status: 'done', output: `Escalated to level "${step.level}".` };
      }
      default:
        return assertNever(step, 'step kind');
    }
  }

  private async wait(
    h: RunHeader,
    step: Extract<Step, { kind: 'wait' }>,
    r: StepResult,
    signal: AbortSignal,
  ): Promise<StepResult> {
    const scale = this.deps.waitScale ?? 1;
    const limitMs = step.seconds * 1000 * scale;
    if (!step.until) {
      await sleep(limitMs, signal);
      return signal.aborted
        ? { ...r, status: 'failed', error: 'The wait was stopped.' }
        : { ...r, status: 'done', output: `Waited ${step.seconds} s.` };
    }
    const until = step.until;
    const started = Date.now();
    let last: ExecResult | null = null;
    let outcome: CheckOutcome = 'fail';
    let polls = 0;
    while (!signal.aborted) {
      polls++;
      last = await this.probe(h, until.target, until.probe, r, signal, 30_000);
      outcome =
        last.error && until.probe.source !== 'command' ? 'fail' : evaluate(until.expect, last);
      if (outcome === 'pass' || Date.now() - started >= limitMs) break;
      await sleep(Math.min(until.everySeconds * 1000 * scale, limitMs), signal);
    }
    const passed = outcome === 'pass';
    return {
      ...r,
      status: passed ? 'done' : 'failed',
      outcome,
      exitCode: last?.exitCode ?? null,
      value: last?.value ?? null,
      output: `${last?.output ?? ''}\n[${polls} check${polls === 1 ? '' : 's'}; ${passed ? 'passed' : `not passed within ${step.seconds} s`}]`,
      truncated: last?.truncated ?? false,
      error: passed
        ? null
        : (last?.error ?? `The condition did not hold within ${step.seconds} s.`),
    };
  }

  /** The branch an earlier check picks, with the evidence in words: which check, what it
   * found and how long ago, so that an operator sees when the facts may have moved on
   * (retrying that check and then this decision decides on fresh facts). */
  private autoChoice(
    h: RunHeader,
    step: Extract<Step, { kind: 'decision' }>,
  ): { choice: string; evidence: string } {
    const auto = step.auto;
    if (!auto) throw new ValidationError("This decision is the operator's to make.");
    const checkIndex = h.doc.steps.findIndex((s) => s.id === auto.check);
    const latest = latestAttempts(this.tables.steps(h.id)).find((s) => s.index === checkIndex);
    const outcome = latest?.status === 'skipped' ? null : (latest?.outcome ?? null);
    const choice =
      outcome === 'pass'
        ? auto.pass
        : outcome === 'warning'
          ? (auto.warning ?? auto.fail)
          : auto.fail;
    const title = h.doc.steps[checkIndex]?.title ?? auto.check;
    const when = latest?.finishedAt ?? null;
    const found =
      outcome === null
        ? 'no result (skipped or not run), so the failing branch'
        : `${outcome}${when !== null ? `, ${formatDuration(Math.max(0, this.now() - when))} ago` : ''}`;
    return { choice, evidence: `Decided by step ${checkIndex + 1} "${title}": ${found}.` };
  }

  /** Where the run goes after a step ended: next, a branch, or nowhere (retry or skip). */
  private afterStep(h: RunHeader, step: Step, r: StepResult): void {
    this.recordStep(h, step, r);
    if (r.status === 'failed' || this.header(h.id).status !== 'running') {
      this.announce(h.id);
      return;
    }
    let next = r.index + 1;
    if (step.kind === 'decision' && r.choice && r.status === 'done') {
      const opt = step.options.find((o) => o.id === r.choice);
      if (opt?.next === 'end') next = h.plan.length;
      else if (opt?.next) next = h.doc.steps.findIndex((s) => s.id === opt.next);
    }
    const fresh = this.header(h.id);
    if (next >= fresh.plan.length) {
      this.finish(
        { ...fresh, current: fresh.plan.length },
        'completed',
        `Run of "${h.title}" completed`,
      );
      return;
    }
    this.tables.saveRun({ ...fresh, current: next });
    this.announce(h.id);
  }

  private recordStep(h: RunHeader, step: Step, r: StepResult): void {
    const fresh = this.header(h.id);
    if (!fresh.incidentId || !this.incidents) return;
    const what = r.outcome ? `${r.status}, check ${r.outcome}` : r.status;
    const extra = r.skipReason
      ? `: ${r.skipReason}`
      : r.choice
        ? `: chose ${r.choice}`
        : r.error
          ? `: ${r.error}`
          : '';
    this.incidents.record(
      fresh.incidentId,
      'step',
      `Step ${r.index + 1} "${step.title}" ${what}${extra}`,
      h.id,
    );
    if (step.timeline && r.text !== null) {
      this.incidents.record(
        fresh.incidentId,
        'capture',
        `${step.title}\n$ ${r.text}\n${r.output}`,
        h.id,
      );
    }
  }

  private finish(h: RunHeader, status: 'completed' | 'aborted', text: string): void {
    const done = { ...h, status, finishedAt: this.now() };
    this.tables.saveRun(done);
    this.deps.audit(
      null,
      `runbook-run-${status}`,
      `${h.title} (${h.runbookId}), run ${h.id}`,
      text,
    );
    if (h.incidentId) this.incidents?.record(h.incidentId, 'run-finished', text, h.id);
    log.info('run finished', { runId: h.id, status });
    this.announce(h.id);
  }

  private announce(runId: string): void {
    const h = this.tables.getRunHeader(runId);
    if (h) this.deps.events.emit('run', summaryOf(h, this.tables.steps(runId)));
  }

  /** Steps left running when Opsdeck stopped fail with that reason; the run waits there. */
  private markInterrupted(): void {
    for (const { runId, result } of this.tables.runningSteps()) {
      this.tables.saveStep(runId, {
        ...result,
        status: 'failed',
        finishedAt: result.startedAt,
        error:
          'Opsdeck stopped while this step ran, so its outcome is unknown. Check the target, then retry or skip the step.',
      });
      log.info('interrupted step marked failed', { runId, index: result.index });
    }
  }
}

function summaryOf(h: RunHeader, steps: readonly StepResult[]): RunSummary {
  const latest = latestAttempts(steps);
  return {
    id: h.id,
    runbookId: h.runbookId,
    title: h.title,
    status: h.status,
    incidentId: h.incidentId,
    startedAt: h.startedAt,
    startedBy: h.startedBy,
    finishedAt: h.finishedAt,
    current: h.current,
    stepCount: h.plan.length,
    failed: latest.filter((s) => s.status === 'failed').length,
    skipped: latest.filter((s) => s.status === 'skipped').length,
  };
}
