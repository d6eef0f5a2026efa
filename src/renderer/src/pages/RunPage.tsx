// A run, for a stressed reader: the current step large (what to check, the exact text that
// runs, on which target, expected beside actual, output as it arrives, one primary action),
// the other steps as a compact list with status words. Enter does the primary action, N
// adds a note. A changing step runs only after its confirmation is ticked.
import { useEffect, useRef, useState } from 'react';
import type {
  EscalationMatrix,
  Incident,
  PlannedStep,
  Run,
  Runbook,
  Step,
  StepResult,
} from '../../../shared/runbooks';
import { Dialog } from '../components/Dialog';
import {
  IncidentStatusBadge,
  LevelBadge,
  Markdown,
  RunStatusBadge,
  StepStatusBadge,
} from '../components/RunbookBits';
import { formatDuration, formatWhen } from '../format';
import { routeHash } from '../router';
import {
  STEP_KIND_WORD,
  actualText,
  listStatus,
  outputFor,
  progressText,
  resultOf,
  runProgress,
  stepAction,
  type Clock,
  type LiveOutput,
  type StepAction,
} from '../runbooks';

export interface RunPageProps {
  run: Run;
  runbook: Runbook | undefined;
  incident: Incident | null;
  clock: Clock | null;
  /** The escalation matrix: who an escalate step calls. */
  matrix?: EscalationMatrix;
  live: LiveOutput | null;
  busy: boolean;
  error: string | null;
  exported: string | null;
  now: number;
  onRun: (index: number, confirm: boolean) => Promise<void>;
  onSkip: (index: number, reason: string) => Promise<void>;
  onDecide: (index: number, option: string) => Promise<void>;
  onNote: (index: number | null, text: string) => Promise<void>;
  onAbort: (reason: string) => Promise<void>;
  onExport: () => void;
  onOpenIncident: () => void;
}

type Open = 'note' | 'skip' | 'abort' | null;

export function RunPage(props: RunPageProps): React.ReactElement {
  const { run } = props;
  const finished = run.status !== 'running';
  const [viewing, setViewing] = useState<number | null>(null);
  const [confirmed, setConfirmed] = useState<number | null>(null);
  const [noteText, setNoteText] = useState('');
  const [open, setOpen] = useState<Open>(null);
  const [askConfirm, setAskConfirm] = useState(false);
  const shown = viewing ?? (finished ? null : run.current);
  const step = shown !== null ? run.plan[shown] : undefined;
  const doc = step ? props.runbook?.steps[step.index] : undefined;
  const result = step ? resultOf(run, step.index) : undefined;
  const isCurrent = !finished && step !== undefined && step.index === run.current;
  const auto = doc?.kind === 'decision' && doc.auto !== undefined;
  const action: StepAction | null =
    isCurrent && step ? stepAction(step, result, confirmed === step.index, auto) : null;

  // A new current step starts unconfirmed, with the keyboard on its primary button.
  const lastCurrent = useRef(run.current);
  useEffect(() => {
    if (lastCurrent.current === run.current) return;
    lastCurrent.current = run.current;
    setConfirmed(null);
    setAskConfirm(false);
    setNoteText('');
    setViewing(null);
    requestAnimationFrame(() => {
      const primary = document.getElementById('step-primary');
      (primary ?? document.getElementById('step-title'))?.focus({ preventScroll: true });
    });
  }, [run.current]);

  function primary(): void {
    if (!action || !step || props.busy) return;
    switch (action.kind) {
      case 'tick':
        void tick(step);
        return;
      case 'run':
        void props.onRun(step.index, false);
        return;
      case 'run-change':
      case 'retry':
        if (step.mode === 'change' && confirmed !== step.index) {
          setAskConfirm(true);
          document.getElementById('step-confirm')?.focus();
          return;
        }
        void props.onRun(step.index, step.mode === 'change');
        return;
      case 'confirm':
        setAskConfirm(true);
        document.getElementById('step-confirm')?.focus();
        return;
      case 'decide':
        document.querySelector<HTMLElement>('.decision-options button')?.focus();
        return;
      case 'none':
        return;
      default:
        return;
    }
  }

  async function tick(s: PlannedStep): Promise<void> {
    if (s.kind === 'note' && noteText.trim()) await props.onNote(s.index, noteText.trim());
    await props.onRun(s.index, false);
  }

  const keys = useRef({ primary, note: () => setOpen('note') });
  keys.current = { primary, note: () => setOpen('note') };
  useEffect(() => {
    function onKey(e: KeyboardEvent): void {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      const t = e.target;
      if (t instanceof HTMLElement) {
        const tag = t.tagName;
        if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable)
          return;
        // Enter on a focused button or link already activates it.
        if (e.key === 'Enter' && (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY')) return;
      }
      if (e.key === 'Enter') {
        e.preventDefault();
        keys.current.primary();
      } else if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        keys.current.note();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const progress = runProgress(run);
  return (
    <section className="page run-page">
      <header className="page-head">
        <h1>{run.title}</h1>
        <RunStatusBadge status={run.status} />
        <span className="muted">
          started by {run.startedBy} at {formatWhen(run.startedAt, props.now)} ·{' '}
          {progressText(progress)}
        </span>
        <div className="toolbar">
          <button type="button" onClick={props.onExport}>
            Export report
          </button>
          {!finished && (
            <button type="button" className="danger-outline" onClick={() => setOpen('abort')}>
              Abort run…
            </button>
          )}
        </div>
      </header>
      {props.exported && (
        <p className="notice notice-ok" role="status">
          <span className="notice-icon" aria-hidden="true">
            ✓
          </span>
          <span>Report saved as {props.exported}: it opens offline in any browser.</span>
        </p>
      )}
      <IncidentLine {...props} />
      <Objectives run={run} runbook={props.runbook} now={props.now} />
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <div className="run-layout">
        <div className="run-main">
          {finished && viewing === null ? (
            <Finished run={run} now={props.now} onExport={props.onExport} />
          ) : step ? (
            <article
              className={`current-step${step.mode === 'change' ? ' step-change' : ''}`}
              aria-label={isCurrent ? 'Current step' : `Step ${step.index + 1}`}
            >
              <div className="step-eyebrow">
                {isCurrent ? 'Now: ' : ''}Step {step.index + 1} of {run.plan.length} ·{' '}
                {STEP_KIND_WORD[step.kind]}
                {step.mode === 'change' && (
                  <span className="chip chip-warn">changes the target</span>
                )}
                {step.mode === 'read' && <span className="chip">read-only</span>}
                {!isCurrent && <StepStatusBadge status={listStatus(run, step.index)} />}
              </div>
              <h2 id="step-title" tabIndex={-1}>
                {step.title}
              </h2>
              {step.body && <Markdown text={step.body} />}
              <StepDetail
                step={step}
                doc={doc}
                result={result}
                run={run}
                live={props.live}
                matrix={props.matrix}
              />
              {isCurrent && action && (
                <Actions
                  step={step}
                  doc={doc}
                  action={action}
                  runningFor={
                    result?.status === 'running' && result.startedAt !== null
                      ? Math.max(0, props.now - result.startedAt)
                      : null
                  }
                  busy={props.busy}
                  confirmed={confirmed === step.index}
                  askConfirm={askConfirm}
                  noteText={noteText}
                  onNoteText={setNoteText}
                  onConfirm={(v) => {
                    setConfirmed(v ? step.index : null);
                    if (v) setAskConfirm(false);
                  }}
                  onPrimary={primary}
                  onDecide={(o) => void props.onDecide(step.index, o)}
                  onSkip={() => setOpen('skip')}
                  onNote={() => setOpen('note')}
                />
              )}
              {!isCurrent && (
                <button type="button" className="back-button" onClick={() => setViewing(null)}>
                  {finished ? 'Back to the summary' : 'Back to the current step'}
                </button>
              )}
            </article>
          ) : null}
          {isCurrent && step && lastOutput(run, step.index) && (
            <LastOutput run={run} result={lastOutput(run, step.index)!} />
          )}
          {run.notes.length > 0 && (
            <section className="panel" aria-label="Notes">
              <h3>Notes</h3>
              <ul className="notes">
                {run.notes.map((n, i) => (
                  <li key={i}>
                    <span className="muted nowrap">
                      {formatWhen(n.t, props.now)} {n.by}
                      {n.index !== null ? ` · step ${n.index + 1}` : ''}:
                    </span>{' '}
                    {n.text}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
        <nav className="step-list" aria-label="Steps">
          <ol>
            {run.plan.map((s) => {
              const st = listStatus(run, s.index);
              return (
                <li key={s.index} className={`step-item step-item-${st}`}>
                  <button
                    type="button"
                    className="step-link"
                    aria-current={s.index === shown ? 'step' : undefined}
                    onClick={() =>
                      setViewing(s.index === run.current && !finished ? null : s.index)
                    }
                  >
                    <span className="step-no">{s.index + 1}</span>
                    <span className="step-name">{s.title}</span>
                    <StepStatusBadge status={st} />
                  </button>
                </li>
              );
            })}
          </ol>
          <p className="hint">
            <kbd>Enter</kbd> runs or ticks the current step · <kbd>N</kbd> adds a note
          </p>
        </nav>
      </div>
      {open === 'note' && (
        <TextDialog
          title="Add a note"
          label="Note"
          hint={`It goes into the run${run.incidentId ? ' and the incident timeline' : ''}, with your name and the time.`}
          submit="Add note"
          onClose={() => setOpen(null)}
          onSubmit={(t) => props.onNote(finished ? null : run.current, t)}
        />
      )}
      {open === 'skip' && step && (
        <TextDialog
          title={`Skip step ${step.index + 1}`}
          label="Reason for skipping"
          hint="The reason shows in the report."
          submit="Skip step"
          onClose={() => setOpen(null)}
          onSubmit={(t) => props.onSkip(step.index, t)}
        />
      )}
      {open === 'abort' && (
        <TextDialog
          title="Abort this run"
          label="Reason"
          hint="The run stops here; what ran stays recorded."
          submit="Abort run"
          danger
          onClose={() => setOpen(null)}
          onSubmit={(t) => props.onAbort(t)}
        />
      )}
    </section>
  );
}

function IncidentLine(props: RunPageProps): React.ReactElement {
  const { incident, clock } = props;
  if (!props.run.incidentId) {
    return (
      <p className="incident-line">
        <span className="muted">No incident is linked to this run.</span>{' '}
        <button type="button" onClick={props.onOpenIncident}>
          Open an incident for this run
        </button>
      </p>
    );
  }
  return (
    <div
      className={`incident-line${clock && clock.dueInMs !== null && clock.dueInMs <= 0 ? ' overdue' : ''}`}
    >
      {incident ? (
        <>
          <LevelBadge level={incident.severity} /> <IncidentStatusBadge status={incident.status} />{' '}
          Incident <a href={routeHash({ page: 'incident', id: incident.id })}>{incident.title}</a>
          {clock && <span className="clock-text"> · {clock.text}</span>}
        </>
      ) : (
        <a href={routeHash({ page: 'incident', id: props.run.incidentId })}>Linked incident</a>
      )}
    </div>
  );
}

function StepDetail(props: {
  step: PlannedStep;
  doc: Step | undefined;
  result: StepResult | undefined;
  run: Run;
  live: LiveOutput | null;
  matrix: EscalationMatrix | undefined;
}): React.ReactElement {
  const { step, result } = props;
  const out = outputFor(props.run, step.index, props.live);
  const hasRunnable = step.text !== null;
  const showCompare = compares(step, result);
  return (
    <>
      {(step.targetName || hasRunnable) && (
        <dl className="facts step-facts">
          {step.targetName && (
            <>
              <dt>Target</dt>
              <dd className="strong">{step.targetName}</dd>
            </>
          )}
          {hasRunnable && (
            <>
              <dt>{runnableWord(step, props.doc)}</dt>
              <dd>
                <pre className="cmd cmd-large" aria-label="Exact text that runs">
                  {step.text}
                </pre>
                {step.params.length > 0 && (
                  <div className="small">
                    {step.kind === 'sql' ? 'Bound values: ' : 'Arguments: '}
                    {step.params.map((p, i) => (
                      <code key={i} className="bound">
                        {step.kind === 'sql' ? `$${i + 1} = ${p}` : p}
                      </code>
                    ))}
                  </div>
                )}
              </dd>
            </>
          )}
        </dl>
      )}
      {showCompare && (
        <div className="compare" role="group" aria-label="Expected and actual">
          <div className="compare-box">
            <div className="compare-label">Expected</div>
            <div className="compare-value">{step.expect ?? 'no expectation: read the output'}</div>
          </div>
          <div className={`compare-box outcome-${result?.outcome ?? result?.status ?? 'pending'}`}>
            <div className="compare-label">Actual</div>
            <div className="compare-value">{actualText(result)}</div>
            {result?.finishedAt && result.startedAt && (
              <div className="hint">
                {result.by ? `by ${result.by}, ` : ''}took{' '}
                {formatDuration((result.finishedAt - result.startedAt) / 1000)}
                {result.attempt > 1 ? `, attempt ${result.attempt}` : ''}
              </div>
            )}
          </div>
        </div>
      )}
      {(out.text || out.streaming) && (
        <section className="output" aria-label="Output">
          <div className="output-head">
            Output {out.streaming && <span className="live-word">streaming…</span>}
            {out.cut && <span className="chip chip-warn">cut at the size cap</span>}
          </div>
          <pre className="output-text" aria-live={out.streaming ? 'polite' : undefined}>
            {out.text || ' '}
          </pre>
        </section>
      )}
      {result?.status === 'skipped' && result.skipReason && (
        <p className="warning-text">Skipped: {result.skipReason}</p>
      )}
      {props.doc?.kind === 'escalate' && (
        <EscalateTo
          levelId={props.doc.level}
          matrix={props.matrix}
          hasIncident={props.run.incidentId !== null}
        />
      )}
    </>
  );
}

/** The recovery objectives of the runbook, with the RTO counted from the run's start. */
function Objectives(props: {
  run: Run;
  runbook: Runbook | undefined;
  now: number;
}): React.ReactElement | null {
  const o = props.runbook?.objectives;
  if (!o || (o.rtoMinutes === undefined && o.rpoMinutes === undefined)) return null;
  const rto = o.rtoMinutes;
  const end = props.run.finishedAt ?? props.now;
  const usedS = Math.max(0, (end - props.run.startedAt) / 1000);
  const leftS = rto !== undefined ? rto * 60 - usedS : null;
  const over = leftS !== null && leftS < 0;
  return (
    <p className={`objectives${over ? ' overdue' : ''}`} aria-label="Recovery objectives">
      {rto !== undefined && (
        <span>
          <strong>RTO {formatDuration(rto * 60)}</strong>
          {props.run.finishedAt !== null
            ? ` · this run took ${formatDuration(usedS)}`
            : over
              ? ` · over by ${formatDuration(-(leftS ?? 0))}, counted from the start of this run`
              : ` · ${formatDuration(leftS ?? 0)} left, counted from the start of this run`}
        </span>
      )}
      {o.rpoMinutes !== undefined && (
        <span>
          <strong>RPO {formatDuration(o.rpoMinutes * 60)}</strong> · at most this much data may be
          lost: compare with the age of the last verified backup
        </span>
      )}
    </p>
  );
}

/** What the exact text is: a check or a wait names its probe's language, not "Command". */
function runnableWord(step: PlannedStep, doc: Step | undefined): string {
  const probe =
    doc?.kind === 'check' ? doc.probe : doc?.kind === 'wait' ? doc.until?.probe : undefined;
  const source = probe?.source ?? step.kind;
  if (source === 'sql') return 'SQL';
  if (source === 'redis') return 'Redis';
  return 'Command';
}

/** Who an escalate step calls, from the matrix in Settings, with how to reach them. */
function EscalateTo(props: {
  levelId: string;
  matrix: EscalationMatrix | undefined;
  hasIncident: boolean;
}): React.ReactElement {
  const levels = props.matrix?.levels ?? [];
  const i = levels.findIndex((l) => l.id === props.levelId);
  if (props.matrix && i < 0) {
    return (
      <p className="error" role="alert">
        The escalation matrix has no level &quot;{props.levelId}&quot;: add it in Settings →
        Escalation matrix, then run this step.
      </p>
    );
  }
  const level = levels[i];
  return (
    <div className="escalate-to">
      <p>
        Escalates to{' '}
        <strong>{level ? `level ${i + 1} — ${level.name}` : `the level "${props.levelId}"`}</strong>
        {props.hasIncident ? ' in this run’s incident.' : ' and opens an incident for this run.'}
      </p>
      {level && level.contacts.length === 0 && (
        <p className="warning-text">No contacts are entered for this level (Settings).</p>
      )}
      {level && level.contacts.length > 0 && (
        <ul className="contact-list" aria-label="Who to call">
          {level.contacts.map((c, k) => (
            <li key={k}>
              <strong>{c.name}</strong>
              {c.role && <span className="muted"> · {c.role}</span>}
              {c.phone && <span> · {c.phone}</span>}
              {c.email && <span> · {c.email}</span>}
              {c.hours && <span className="muted"> · {c.hours}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Expected beside actual: always for checks and waits, once run for the others. */
function compares(step: PlannedStep, result: StepResult | undefined): boolean {
  if (step.kind === 'check' || step.kind === 'wait') return true;
  return result !== undefined && result.status !== 'pending' && result.status !== 'running';
}

/** The latest finished step with output, other than `except`: what the operator just read. */
function lastOutput(run: Run, except: number): StepResult | undefined {
  return run.steps
    .filter((s) => s.index !== except && s.output && s.finishedAt !== null)
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))[0];
}

function LastOutput({ run, result }: { run: Run; result: StepResult }): React.ReactElement {
  const step = run.plan[result.index];
  return (
    <section className="panel last-output" aria-label="Last output">
      <h3>
        Output of step {result.index + 1}: {step?.title ?? result.stepId}{' '}
        <span className="muted">({actualText(result)})</span>
      </h3>
      <pre className="output-text">{result.output}</pre>
      {result.truncated && <span className="chip chip-warn">cut at the size cap</span>}
    </section>
  );
}

function Actions(props: {
  step: PlannedStep;
  doc: Step | undefined;
  action: StepAction;
  /** ms since the running step started, or null. */
  runningFor: number | null;
  busy: boolean;
  confirmed: boolean;
  askConfirm: boolean;
  noteText: string;
  onNoteText: (t: string) => void;
  onConfirm: (v: boolean) => void;
  onPrimary: () => void;
  onDecide: (option: string) => void;
  onSkip: () => void;
  onNote: () => void;
}): React.ReactElement {
  const { step, action, doc } = props;
  const change = step.mode === 'change';
  // The plan carries options and prompt; runs stored before it did read them from the runbook.
  const options = step.options ?? (doc?.kind === 'decision' ? doc.options : []);
  const prompt = step.prompt ?? (doc?.kind === 'note' ? doc.prompt : undefined);
  const needsConfirm =
    change &&
    (action.kind === 'confirm' || action.kind === 'run-change' || action.kind === 'retry');
  return (
    <div className="step-actions">
      {step.kind === 'note' && (
        <label className="stacked">
          <span>{prompt ?? 'What to record'}</span>
          <textarea
            rows={3}
            value={props.noteText}
            onChange={(e) => props.onNoteText(e.target.value)}
          />
        </label>
      )}
      {needsConfirm && (
        <div className={`confirm-box${props.askConfirm && !props.confirmed ? ' ask' : ''}`}>
          <label>
            <input
              id="step-confirm"
              type="checkbox"
              checked={props.confirmed}
              onChange={(e) => props.onConfirm(e.target.checked)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && props.confirmed) {
                  e.preventDefault();
                  props.onPrimary();
                }
              }}
            />
            <span>
              I have read the {step.kind === 'sql' ? 'SQL' : 'command'} above and want it to change{' '}
              <strong>{step.targetName ?? 'the target'}</strong>.
            </span>
          </label>
          {props.askConfirm && !props.confirmed && (
            <div className="field-error" role="alert">
              This step changes the target: tick the confirmation first (Space), then Enter.
            </div>
          )}
        </div>
      )}
      {step.kind === 'decision' && action.kind === 'decide' && (
        <div className="decision-options" role="group" aria-label="Choose a branch">
          {options.map((o) => (
            <button
              key={o.id}
              type="button"
              disabled={props.busy}
              onClick={() => props.onDecide(o.id)}
            >
              {o.label}
            </button>
          ))}
        </div>
      )}
      <div className="step-buttons">
        {action.kind !== 'decide' && action.kind !== 'none' && (
          <button
            id="step-primary"
            type="button"
            className={change ? 'danger' : 'primary'}
            disabled={props.busy || (needsConfirm && !props.confirmed)}
            onClick={props.onPrimary}
          >
            {props.busy ? 'Working…' : action.label}
            {!props.busy && <kbd className="key-in-button">Enter</kbd>}
          </button>
        )}
        {action.kind === 'none' && (
          <span className="running-word" role="status">
            {action.label}
            {props.runningFor !== null &&
              ` for ${formatDuration(Math.floor(props.runningFor / 1000))} on ${step.targetName ?? 'the target'}`}
          </span>
        )}
        <button type="button" onClick={props.onSkip} disabled={props.busy}>
          Skip with a reason…
        </button>
        <button type="button" onClick={props.onNote}>
          Add note <kbd>N</kbd>
        </button>
      </div>
    </div>
  );
}

function Finished(props: { run: Run; now: number; onExport: () => void }): React.ReactElement {
  const { run } = props;
  const p = runProgress(run);
  return (
    <article className="current-step finished" aria-label="Run finished">
      <div className="step-eyebrow">
        Run {run.status === 'completed' ? 'completed' : 'aborted'}
        {run.finishedAt ? ` at ${formatWhen(run.finishedAt, props.now)}` : ''}
      </div>
      <h2 id="step-title" tabIndex={-1}>
        {run.status === 'completed' ? 'All steps are through.' : 'This run was aborted.'}
      </h2>
      <p>
        {progressText(p)}.{' '}
        {p.failed + p.skipped > 0
          ? 'Failed and skipped steps are marked in the list and in the report.'
          : ''}
      </p>
      <div className="step-buttons">
        <button type="button" className="primary" onClick={props.onExport}>
          Export report
        </button>
        <a className="button" href="#/runbooks">
          Back to the runbooks
        </a>
      </div>
    </article>
  );
}

export function TextDialog(props: {
  title: string;
  label: string;
  hint: string;
  submit: string;
  danger?: boolean;
  /** An empty text is accepted. */
  optional?: boolean;
  onClose: () => void;
  onSubmit: (text: string) => Promise<void>;
}): React.ReactElement {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(): Promise<void> {
    if (!text.trim() && !props.optional) {
      setError(`${props.label} cannot be empty.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(text.trim());
      props.onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={props.title}
      tone={props.danger ? 'danger' : 'normal'}
      onClose={props.onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={busy}>
            {busy ? 'Saving…' : props.submit}
          </button>
        </>
      }
    >
      <label className="stacked">
        <span>
          {props.label}
          {props.optional ? ' (optional)' : ''}
        </span>
        <textarea
          rows={3}
          value={text}
          data-autofocus
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
        />
      </label>
      <p className="hint">{props.hint} Ctrl+Enter saves.</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
