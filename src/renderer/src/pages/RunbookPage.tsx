// One runbook before it runs: what it is for, the targets and parameters it needs (checked
// as they are typed), a dry run that shows every command and SQL statement filled in, and
// the start button.
import { useState } from 'react';
import type {
  Incident,
  ParamValue,
  PlannedStep,
  Runbook,
  RunPlan,
  TargetRole,
} from '../../../shared/runbooks';
import type { Target } from '../../../shared/types';
import { LevelBadge, Markdown } from '../components/RunbookBits';
import { routeHash } from '../router';
import {
  ROLE_WORD,
  SCENARIO_WORD,
  STEP_KIND_WORD,
  estimateText,
  initialParamForm,
  paramLabel,
  roleOfKind,
  validateParamForm,
  type ParamForm,
} from '../runbooks';

export type Bindings = Partial<Record<TargetRole, string>>;

export interface RunbookPageProps {
  runbook: Runbook;
  targets: Target[];
  incident: Incident | null;
  initialBindings: Bindings;
  plan: { plan: RunPlan | null; error: string | null; busy: boolean };
  starting: boolean;
  startError: string | null;
  onPlan: (params: Record<string, ParamValue>, targets: Bindings) => void;
  onStart: (params: Record<string, ParamValue>, targets: Bindings) => void;
}

export function RunbookPage(props: RunbookPageProps): React.ReactElement {
  const rb = props.runbook;
  const [form, setForm] = useState<ParamForm>(() => initialParamForm(rb.parameters));
  const [bindings, setBindings] = useState<Bindings>(() =>
    defaultBindings(rb, props.targets, props.initialBindings),
  );
  const [tried, setTried] = useState(false);
  const checked = validateParamForm(rb.parameters, form);
  const missing = rb.targets.filter((role) => !bindings[role]);
  const errors = tried ? checked.errors : {};

  function go(what: 'plan' | 'start'): void {
    setTried(true);
    const first = Object.keys(checked.errors)[0];
    if (first) {
      document.getElementById(`p-${first}`)?.focus();
      return;
    }
    if (missing.length) {
      document.getElementById(`t-${missing[0]}`)?.focus();
      return;
    }
    if (what === 'plan') props.onPlan(checked.values, bindings);
    else props.onStart(checked.values, bindings);
  }

  return (
    <section className="page runbook-page">
      <header className="page-head">
        <h1>{rb.title}</h1>
        <LevelBadge level={rb.severity} />
        <span className="muted">
          {SCENARIO_WORD[rb.scenario]} · {estimateText(rb.estimatedMinutes)} · {rb.steps.length}{' '}
          steps
        </span>
        <div className="toolbar">
          <a href="#/runbooks">All runbooks</a>
        </div>
      </header>
      {props.incident && (
        <div className="notice notice-warn" role="status">
          <span className="notice-icon" aria-hidden="true">
            !
          </span>
          <span>
            This run will be linked to incident{' '}
            <a href={routeHash({ page: 'incident', id: props.incident.id })}>
              {props.incident.title}
            </a>
            ; its steps land in the incident timeline.
          </span>
        </div>
      )}
      {rb.description && <Markdown text={rb.description} />}
      {(rb.dependencies.length > 0 || rb.objectives) && (
        <dl className="facts">
          {rb.dependencies.length > 0 && (
            <>
              <dt>You need</dt>
              <dd>{rb.dependencies.join('; ')}</dd>
            </>
          )}
          {rb.objectives?.rtoMinutes !== undefined && (
            <>
              <dt>Recovery time objective</dt>
              <dd>{rb.objectives.rtoMinutes} min</dd>
            </>
          )}
          {rb.objectives?.rpoMinutes !== undefined && (
            <>
              <dt>Recovery point objective</dt>
              <dd>{rb.objectives.rpoMinutes} min</dd>
            </>
          )}
        </dl>
      )}

      <form
        className="panel run-form"
        aria-label="Start this runbook"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          go('start');
        }}
      >
        {rb.targets.length > 0 && (
          <fieldset className="grid-form">
            <legend>Targets</legend>
            {rb.targets.map((role) => (
              <TargetField
                key={role}
                role={role}
                targets={props.targets}
                value={bindings[role] ?? ''}
                error={tried && !bindings[role] ? `Choose the ${ROLE_WORD[role]} target.` : null}
                onChange={(id) => setBindings({ ...bindings, [role]: id || undefined })}
              />
            ))}
          </fieldset>
        )}
        {rb.parameters.length > 0 && (
          <fieldset className="grid-form">
            <legend>Parameters</legend>
            {rb.parameters.map((p) => {
              const id = `p-${p.name}`;
              const err = errors[p.name];
              const describedBy = [p.description ? `${id}-hint` : '', err ? `${id}-err` : '']
                .filter(Boolean)
                .join(' ');
              return (
                <div key={p.name} className="form-row">
                  <label htmlFor={id}>{paramLabel(p)}</label>
                  <div>
                    {p.type === 'boolean' ? (
                      <input
                        id={id}
                        type="checkbox"
                        checked={form[p.name] === true}
                        onChange={(e) => setForm({ ...form, [p.name]: e.target.checked })}
                      />
                    ) : p.type === 'choice' ? (
                      <select
                        id={id}
                        value={String(form[p.name] ?? '')}
                        aria-invalid={err ? true : undefined}
                        aria-describedby={describedBy || undefined}
                        onChange={(e) => setForm({ ...form, [p.name]: e.target.value })}
                      >
                        {!p.required && <option value="">—</option>}
                        {(p.choices ?? []).map((c) => (
                          <option key={c}>{c}</option>
                        ))}
                      </select>
                    ) : (
                      <input
                        id={id}
                        className={p.type === 'integer' || p.type === 'number' ? 'short' : 'mono'}
                        inputMode={
                          p.type === 'integer' || p.type === 'number' ? 'decimal' : undefined
                        }
                        value={String(form[p.name] ?? '')}
                        aria-invalid={err ? true : undefined}
                        aria-describedby={describedBy || undefined}
                        spellCheck={false}
                        onChange={(e) => setForm({ ...form, [p.name]: e.target.value })}
                      />
                    )}
                    <div className="hint" id={`${id}-hint`}>
                      {p.description ?? ''} <span className="mono">({typeHint(p.type)})</span>
                    </div>
                    {err && (
                      <div className="field-error" id={`${id}-err`}>
                        {err}
                      </div>
                    )}
                  </div>
                </div>
              );
            })}
          </fieldset>
        )}
        {props.startError && (
          <p className="error" role="alert">
            {props.startError}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={props.starting}>
            {props.starting ? 'Starting…' : 'Start run'}
          </button>
          <button type="button" onClick={() => go('plan')} disabled={props.plan.busy}>
            {props.plan.busy ? 'Planning…' : 'Dry run: show every command'}
          </button>
          <span className="hint">A dry run fills in the parameters and runs nothing.</span>
        </div>
      </form>

      {props.plan.error && (
        <p className="error" role="alert">
          {props.plan.error}
        </p>
      )}
      {props.plan.plan ? (
        <DryRun plan={props.plan.plan} />
      ) : (
        <section aria-label="Steps">
          <h2>Steps</h2>
          <ol className="outline">
            {rb.steps.map((s) => (
              <li key={s.id}>
                <span className="step-kind">{STEP_KIND_WORD[s.kind]}</span> {s.title}
                {'mode' in s && s.mode === 'change' && (
                  <span className="chip chip-warn">changes the target</span>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}

function typeHint(t: string): string {
  switch (t) {
    case 'path':
      return 'absolute path';
    case 'identifier':
      return 'SQL name';
    case 'integer':
      return 'whole number';
    default:
      return t;
  }
}

function defaultBindings(rb: Runbook, targets: Target[], given: Bindings): Bindings {
  const out: Bindings = {};
  for (const role of rb.targets) {
    const fit = targets.filter((t) => roleOfKind(t.config.kind) === role);
    const wanted = given[role];
    if (wanted && fit.some((t) => t.id === wanted)) out[role] = wanted;
    else if (fit.length === 1) out[role] = fit[0].id;
  }
  return out;
}

function TargetField(props: {
  role: TargetRole;
  targets: Target[];
  value: string;
  error: string | null;
  onChange: (id: string) => void;
}): React.ReactElement {
  const fit = props.targets.filter((t) => roleOfKind(t.config.kind) === props.role);
  const id = `t-${props.role}`;
  return (
    <div className="form-row">
      <label htmlFor={id}>{ROLE_WORD[props.role]}</label>
      <div>
        <select
          id={id}
          value={props.value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${id}-err` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        >
          <option value="">choose a target…</option>
          {fit.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {fit.length === 0 && (
          <div className="hint">
            No {ROLE_WORD[props.role]} target yet: add one on the <a href="#/targets">Targets</a>{' '}
            page.
          </div>
        )}
        {props.error && (
          <div className="field-error" id={`${id}-err`}>
            {props.error}
          </div>
        )}
      </div>
    </div>
  );
}

/** Every step as it would run, with the parameters filled in; nothing has run. */
export function DryRun({ plan }: { plan: RunPlan }): React.ReactElement {
  return (
    <section className="panel dry-run" aria-label="Dry run">
      <h2>Dry run: what would run</h2>
      <p className="muted">
        Nothing below has run. Parameters:{' '}
        {Object.keys(plan.params).length === 0
          ? 'none'
          : Object.entries(plan.params)
              .map(([k, v]) => `${k} = ${String(v)}`)
              .join(', ')}
      </p>
      <ol className="dry-steps">
        {plan.steps.map((s) => (
          <DryStep key={s.index} step={s} />
        ))}
      </ol>
    </section>
  );
}

function DryStep({ step }: { step: PlannedStep }): React.ReactElement {
  return (
    <li className="dry-step">
      <div className="dry-head">
        <span className="step-kind">{STEP_KIND_WORD[step.kind]}</span>
        <strong>{step.title}</strong>
        {step.mode === 'change' && <span className="chip chip-warn">changes the target</span>}
        {step.mode === 'read' && <span className="chip">read-only</span>}
        {step.targetName && <span className="muted">on {step.targetName}</span>}
      </div>
      {step.text !== null && <pre className="cmd">{step.text}</pre>}
      {step.params.length > 0 && (
        <div className="small">
          {step.kind === 'sql' ? 'Bound values:' : 'Arguments:'}{' '}
          {step.params.map((p, i) => (
            <code key={i} className="bound">
              {step.kind === 'sql' ? `$${i + 1} = ${p}` : p}
            </code>
          ))}
        </div>
      )}
      {step.expect && (
        <div className="small">
          {step.kind === 'decision' ? 'Choices' : 'Expected'}: {step.expect}
        </div>
      )}
    </li>
  );
}
