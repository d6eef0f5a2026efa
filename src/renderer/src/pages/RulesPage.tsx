// Alert rules: the list (built-in ones marked), an editor for every kind of condition with a
// preview over the last 7 days, and YAML export and import.
import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  AlertRule,
  Comparison,
  Condition,
  RulePreview,
  Severity,
} from '../../../shared/alerts';
import { METRICS, metricInfo, type Unit } from '../../../shared/metrics';
import type { Target, TargetKind } from '../../../shared/types';
import {
  conditionText,
  emptyRuleForm,
  formToRule,
  labelsText,
  ruleToForm,
  SEVERITY_WORD,
  type RuleForm,
  type RuleFormErrors,
  type RuleInput,
  type Scope,
} from '../alerting';
import { PALETTE, TimeChart } from '../charts/TimeChart';
import type { Mark } from '../charts/bands';
import { shapeRows, type ChartLine } from '../charts/rows';
import { AlertsTabs, SeverityBadge } from '../components/AlertBits';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog, SubmitActions } from '../components/Dialog';
import { FieldRow } from '../components/FieldRow';
import { WordSelect } from '../components/WordSelect';
import { KIND_WORD } from '../figures';
import { formatDuration, formatWhen } from '../format';
import { useElementWidth } from '../hooks';
import { Unavailable } from './AlertsPage';

export interface RulesPageProps {
  rules: AlertRule[] | undefined;
  unavailable: string | null;
  error: string | null;
  targets: Target[];
  now: number;
  nameOf: (id: string) => string;
  onEnable: (rule: AlertRule, enabled: boolean) => Promise<void>;
  onDelete: (rule: AlertRule) => Promise<void>;
  onSave: (rule: RuleInput) => Promise<AlertRule>;
  onPreview: (rule: RuleInput) => Promise<RulePreview>;
  onExport: () => Promise<string>;
  onImport: (yaml: string) => Promise<number>;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function RulesPage(props: RulesPageProps): React.ReactElement {
  const [editing, setEditing] = useState<RuleForm | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [yaml, setYaml] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);

  async function run(what: () => Promise<void>): Promise<void> {
    setActionError(null);
    try {
      await what();
    } catch (err) {
      setActionError(errText(err));
    }
  }

  async function confirmDelete(rule: AlertRule): Promise<void> {
    setBusy(true);
    await run(async () => {
      await props.onDelete(rule);
      setNotice(`Rule “${rule.name}” deleted.`);
    });
    setBusy(false);
    setDeleting(null);
  }

  return (
    <section className="page">
      <header className="page-head">
        <h1>Alert rules</h1>
        <div className="toolbar">
          <button
            type="button"
            className="primary"
            onClick={() => setEditing(emptyRuleForm())}
            disabled={props.unavailable !== null}
          >
            New rule
          </button>
          <button
            type="button"
            disabled={props.unavailable !== null}
            onClick={() => void run(async () => setYaml(await props.onExport()))}
          >
            Export YAML
          </button>
          <button
            type="button"
            disabled={props.unavailable !== null}
            onClick={() => setImporting(true)}
          >
            Import YAML…
          </button>
        </div>
      </header>
      <AlertsTabs view="rules" />
      {props.unavailable && <Unavailable message={props.unavailable} />}
      {props.error && (
        <p className="error" role="alert">
          Could not load the rules: {props.error}
        </p>
      )}
      {actionError && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}
      {notice && (
        <p className="notice notice-ok" role="status">
          <span className="notice-icon" aria-hidden="true">
            ✓
          </span>
          <span>{notice}</span>
          <button type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      )}
      {editing && (
        <RuleEditor
          key={editing.id ?? 'new'}
          initial={editing}
          props={props}
          onClose={() => setEditing(null)}
          onSaved={(r) => {
            setEditing(null);
            setNotice(`Rule “${r.name}” saved.`);
          }}
        />
      )}
      {yaml !== null && <ExportPanel yaml={yaml} onClose={() => setYaml(null)} />}
      {props.rules === undefined && !props.error && !props.unavailable && (
        <p className="muted">Loading…</p>
      )}
      {props.rules && (
        <RuleTable
          rules={props.rules}
          nameOf={props.nameOf}
          onEdit={(r) => setEditing(ruleToForm(r))}
          onEnable={(r, on) => void run(() => props.onEnable(r, on))}
          onDelete={setDeleting}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete rule"
          confirmLabel="Delete rule"
          busy={busy}
          onConfirm={() => void confirmDelete(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            Delete the rule <strong>{deleting.name}</strong>? Its alerts and their history stay; it
            will not fire again.
          </p>
        </ConfirmDialog>
      )}
      {importing && (
        <ImportDialog
          onImport={props.onImport}
          onClose={() => setImporting(false)}
          onDone={(n) => {
            setImporting(false);
            setNotice(`${n} rule${n === 1 ? '' : 's'} imported.`);
          }}
        />
      )}
    </section>
  );
}

function scopeText(rule: AlertRule, nameOf: (id: string) => string): string {
  const s = rule.selector;
  const where = s.targetId
    ? nameOf(s.targetId)
    : s.group
      ? `group ${s.group}`
      : s.kind
        ? `every ${KIND_WORD[s.kind]} target`
        : 'every target';
  const l = labelsText(s.labels);
  return l ? `${where}, ${l}` : where;
}

function RuleTable(p: {
  rules: AlertRule[];
  nameOf: (id: string) => string;
  onEdit: (r: AlertRule) => void;
  onEnable: (r: AlertRule, on: boolean) => void;
  onDelete: (r: AlertRule) => void;
}): React.ReactElement {
  if (p.rules.length === 0) return <p className="muted">No rules yet.</p>;
  const sorted = [...p.rules].sort(
    (a, b) => Number(b.enabled) - Number(a.enabled) || a.name.localeCompare(b.name),
  );
  return (
    <table className="data rules">
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col">Watches</th>
          <th scope="col">Condition</th>
          <th scope="col">Severity</th>
          <th scope="col">Enabled</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.id} className={r.enabled ? undefined : 'rule-off'}>
            <th scope="row">
              {r.name}
              {r.builtin && (
                <span className="chip" title="Shipped with Opsdeck: can be disabled, not deleted">
                  built-in
                </span>
              )}
              {r.runbook && <div className="muted small">runbook {r.runbook}</div>}
            </th>
            <td>
              {metricInfo(r.selector.metric)?.title ?? r.selector.metric}
              <div className="muted small">{scopeText(r, p.nameOf)}</div>
            </td>
            <td>
              {conditionText(r.condition, r.selector.metric)}
              <div className="muted small">
                {r.forMs > 0 ? `for ${formatDuration(r.forMs / 1000)}` : 'at once'}
              </div>
            </td>
            <td>
              <SeverityBadge severity={r.severity} />
            </td>
            <td>
              <label className="switch">
                <input
                  type="checkbox"
                  checked={r.enabled}
                  onChange={(e) => p.onEnable(r, e.target.checked)}
                  aria-label={`${r.name} enabled`}
                />
                {r.enabled ? 'on' : 'off'}
              </label>
            </td>
            <td className="actions nowrap">
              <button type="button" onClick={() => p.onEdit(r)} aria-label={`Edit ${r.name}`}>
                Edit
              </button>{' '}
              {!r.builtin && (
                <button
                  type="button"
                  className="danger-outline"
                  onClick={() => p.onDelete(r)}
                  aria-label={`Delete ${r.name}`}
                >
                  Delete
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const METRIC_GROUPS: [string, string][] = [
  ['host.', 'Host'],
  ['pg.', 'PostgreSQL'],
  ['redis.', 'Redis'],
];

function unitWords(unit: Unit | undefined): string {
  switch (unit) {
    case 'percent':
      return 'percent (0–100)';
    case 'bytes':
      return 'bytes';
    case 'bytes_per_s':
      return 'bytes per second';
    case 'per_s':
      return 'per second';
    case 'ms':
      return 'milliseconds';
    case 'seconds':
      return 'seconds';
    case 'celsius':
      return '°C';
    case 'bool':
      return '1 for yes, 0 for no';
    case 'count':
    case 'ratio':
    case undefined:
      return '';
  }
}

const CONDITION_WORDS: [Condition['kind'], string][] = [
  ['threshold', 'Threshold: the value crosses a limit'],
  ['rate', 'Rate: changes faster than a limit per hour'],
  ['absent', 'Absent: no data for some intervals'],
  ['forecast', 'Forecast: will reach a limit soon'],
  ['anomaly', 'Anomaly: unlike its own past'],
];

const OPS: Comparison[] = ['>', '>=', '<', '<='];
const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];
const KINDS: TargetKind[] = ['local', 'ssh', 'postgres', 'redis'];

function RuleEditor(p: {
  initial: RuleForm;
  props: RulesPageProps;
  onClose: () => void;
  onSaved: (r: AlertRule) => void;
}): React.ReactElement {
  const [f, setF] = useState<RuleForm>(p.initial);
  const formRef = useRef<HTMLFormElement>(null);

  // The editor opens above the list: bring it into view with the name field focused.
  useEffect(() => {
    formRef.current?.scrollIntoView({ block: 'start' });
    formRef.current?.querySelector<HTMLInputElement>('#rule-name')?.focus({ preventScroll: true });
  }, []);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [preview, setPreview] = useState<{
    data: RulePreview | null;
    error: string | null;
    busy: boolean;
  }>({
    data: null,
    error: null,
    busy: false,
  });
  const result = formToRule(f);
  const errors: RuleFormErrors = tried && 'errors' in result ? result.errors : {};
  const unit = metricInfo(f.metric)?.unit;
  const uw = unitWords(unit);
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]): void =>
    setF((x) => ({ ...x, [k]: v }));
  const groups = [...new Set(p.props.targets.map((t) => t.group).filter(Boolean))].sort();

  async function save(): Promise<void> {
    setTried(true);
    if (!('rule' in result)) return;
    setSaving(true);
    setSaveError(null);
    try {
      p.onSaved(await p.props.onSave(result.rule));
    } catch (err) {
      setSaveError(errText(err));
      setSaving(false);
    }
  }

  async function runPreview(): Promise<void> {
    setTried(true);
    if (!('rule' in result)) return;
    setPreview({ data: null, error: null, busy: true });
    try {
      setPreview({ data: await p.props.onPreview(result.rule), error: null, busy: false });
    } catch (err) {
      setPreview({ data: null, error: errText(err), busy: false });
    }
  }

  const field = (
    k: keyof RuleForm,
  ): { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string } => ({
    id: `rule-${k}`,
    ...(errors[k] ? { 'aria-invalid': true, 'aria-describedby': `rule-${k}-error` } : {}),
  });
  const row = (
    k: keyof RuleForm,
    label: string,
  ): { id: string; label: string; error: string | undefined; errorId: string } => ({
    id: `rule-${k}`,
    label,
    error: errors[k],
    errorId: `rule-${k}-error`,
  });
  const numberInput = (k: keyof RuleForm, suffix: string, label: string): React.ReactElement => (
    <FieldRow {...row(k, label)}>
      <input
        {...field(k)}
        className="short"
        inputMode="decimal"
        value={f[k] as string}
        onChange={(e) => set(k, e.target.value as never)}
      />{' '}
      <span className="muted">{suffix}</span>
    </FieldRow>
  );

  return (
    <form
      ref={formRef}
      className="panel rule-editor"
      aria-label={f.id ? `Edit rule ${p.initial.name}` : 'New rule'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{f.id ? `Edit rule “${p.initial.name}”` : 'New rule'}</h2>
      {f.builtin && (
        <p className="muted">Built-in rule: you can change it or switch it off, not delete it.</p>
      )}
      <fieldset className="grid-form">
        <legend>Rule</legend>
        <FieldRow {...row('name', 'Name')}>
          <input {...field('name')} value={f.name} onChange={(e) => set('name', e.target.value)} />
        </FieldRow>
        <FieldRow id="rule-enabled" label="Enabled">
          <input
            id="rule-enabled"
            type="checkbox"
            checked={f.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
        </FieldRow>
      </fieldset>
      <fieldset className="grid-form">
        <legend>Which series</legend>
        <FieldRow id="rule-scope" label="Targets">
          <select
            id="rule-scope"
            value={f.scope}
            onChange={(e) => set('scope', e.target.value as Scope)}
          >
            <option value="all">every target</option>
            <option value="target">one target</option>
            <option value="group">a group</option>
            <option value="kind">every target of a kind</option>
          </select>
        </FieldRow>
        {f.scope === 'target' && (
          <>
            <FieldRow {...row('targetId', 'Target')}>
              <select
                {...field('targetId')}
                value={f.targetId}
                onChange={(e) => set('targetId', e.target.value)}
              >
                <option value="">choose…</option>
                {p.props.targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </FieldRow>
          </>
        )}
        {f.scope === 'group' && (
          <>
            <FieldRow {...row('group', 'Group')}>
              <input
                {...field('group')}
                list="rule-groups"
                value={f.group}
                onChange={(e) => set('group', e.target.value)}
              />
              <datalist id="rule-groups">
                {groups.map((g) => (
                  <option key={g} value={g} />
                ))}
              </datalist>
            </FieldRow>
          </>
        )}
        {f.scope === 'kind' && (
          <>
            <FieldRow id="rule-kind" label="Kind">
              <WordSelect
                id="rule-kind"
                value={f.kind}
                options={KINDS}
                words={KIND_WORD}
                onChange={(k) => set('kind', k)}
              />
            </FieldRow>
          </>
        )}
        <FieldRow {...row('metric', 'Metric')}>
          <select
            {...field('metric')}
            value={f.metric}
            onChange={(e) => set('metric', e.target.value)}
          >
            {!metricInfo(f.metric) && (
              <option value={f.metric}>{f.metric} (not in the catalogue)</option>
            )}
            {METRIC_GROUPS.map(([prefix, label]) => (
              <optgroup key={prefix} label={label}>
                {Object.entries(METRICS)
                  .filter(([name]) => name.startsWith(prefix))
                  .map(([name, info]) => (
                    <option key={name} value={name}>
                      {info.title} — {name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </FieldRow>
        <FieldRow {...row('labels', 'Labels')}>
          <input
            {...field('labels')}
            value={f.labels}
            placeholder={
              metricInfo(f.metric)?.labels
                ? `e.g. ${metricInfo(f.metric)!.labels![0]}=… (empty: every series)`
                : 'this metric has no labels'
            }
            onChange={(e) => set('labels', e.target.value)}
          />
          <div className="hint">
            name=value pairs separated by spaces; empty matches every series.
          </div>
        </FieldRow>
      </fieldset>
      <fieldset className="grid-form">
        <legend>Condition</legend>
        <FieldRow id="rule-conditionKind" label="Kind">
          <select
            id="rule-conditionKind"
            value={f.conditionKind}
            onChange={(e) => set('conditionKind', e.target.value as Condition['kind'])}
          >
            {CONDITION_WORDS.map(([k, words]) => (
              <option key={k} value={k}>
                {words}
              </option>
            ))}
          </select>
        </FieldRow>
        {(f.conditionKind === 'threshold' || f.conditionKind === 'rate') && (
          <>
            <FieldRow id="rule-op" label="Comparison">
              <select
                id="rule-op"
                value={f.op}
                onChange={(e) => set('op', e.target.value as Comparison)}
              >
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </FieldRow>
          </>
        )}
        {f.conditionKind === 'threshold' && numberInput('value', uw, 'Threshold')}
        {f.conditionKind === 'rate' && (
          <>
            {numberInput('perHour', `${uw ? `${uw} ` : ''}per hour`, 'Change')}
            {numberInput('windowHours', 'hours of history fitted', 'Window')}
          </>
        )}
        {f.conditionKind === 'absent' &&
          numberInput('intervals', 'collection intervals without a sample', 'Missing for')}
        {f.conditionKind === 'forecast' && (
          <>
            {numberInput('limit', uw, 'Limit')}
            {numberInput('windowHours', 'hours of history fitted', 'Window')}
            {numberInput('horizonDays', 'days ahead', 'Horizon')}
          </>
        )}
        {f.conditionKind === 'anomaly' &&
          numberInput(
            'sensitivity',
            'robust deviations from the usual band (1–20; higher is calmer)',
            'Sensitivity',
          )}
        {numberInput('forMinutes', 'minutes the condition must hold (0: at once)', 'For')}
      </fieldset>
      <fieldset className="grid-form">
        <legend>What the alert says</legend>
        <FieldRow id="rule-severity" label="Severity">
          <WordSelect
            id="rule-severity"
            value={f.severity}
            options={SEVERITIES}
            words={SEVERITY_WORD}
            onChange={(s) => set('severity', s)}
          />
        </FieldRow>
        <FieldRow {...row('message', 'Message')}>
          <input
            {...field('message')}
            value={f.message}
            onChange={(e) => set('message', e.target.value)}
          />
          <div className="hint">
            Placeholders: {'{{target}} {{value}} {{metric}} {{threshold}} {{labels.NAME}}'}
          </div>
        </FieldRow>
        <FieldRow {...row('action', 'What to do')}>
          <textarea
            {...field('action')}
            rows={2}
            value={f.action}
            placeholder="e.g. find large files with du -xh / | sort -h | tail; rotate logs"
            onChange={(e) => set('action', e.target.value)}
          />
        </FieldRow>
        <FieldRow {...row('runbook', 'Runbook id')}>
          <input
            {...field('runbook')}
            value={f.runbook}
            placeholder="optional"
            onChange={(e) => set('runbook', e.target.value)}
          />
        </FieldRow>
      </fieldset>
      {saveError && (
        <p className="error" role="alert">
          Could not save the rule: {saveError}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" onClick={() => void runPreview()} disabled={preview.busy}>
          {preview.busy ? 'Drawing…' : 'Preview over the last 7 days'}
        </button>
        <button type="button" onClick={p.onClose}>
          Cancel
        </button>
        {tried && 'errors' in result && (
          <span className="error" role="alert">
            Some fields need attention.
          </span>
        )}
      </div>
      {(preview.data || preview.error) && (
        <PreviewChart
          preview={preview.data}
          error={preview.error}
          unit={unit ?? 'count'}
          threshold={
            'rule' in result && result.rule.condition.kind === 'threshold'
              ? result.rule.condition.value
              : null
          }
          now={p.props.now}
          nameOf={p.props.nameOf}
        />
      )}
    </form>
  );
}

const WEEK = 7 * 24 * 3_600_000;
const MAX_LINES = 8;

function PreviewChart(p: {
  preview: RulePreview | null;
  error: string | null;
  unit: Unit;
  threshold: number | null;
  now: number;
  nameOf: (id: string) => string;
}): React.ReactElement {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const series = p.preview?.series ?? [];
  const lines = useMemo<ChartLine[]>(
    () =>
      series.slice(0, MAX_LINES).map((d, i) => ({
        key: `p${i}`,
        ref: { metric: d.metric, labels: d.labels },
        name: labelsText(d.labels) || (metricInfo(d.metric)?.title ?? d.metric),
        color: PALETTE[i % PALETTE.length],
      })),
    [series],
  );
  const shaped = useMemo(
    () => shapeRows(lines, series.slice(0, MAX_LINES), false),
    [lines, series],
  );
  const firing = p.preview?.firing ?? [];
  const marks = useMemo<Mark[]>(
    () =>
      firing.map((f) => ({
        from: f.from,
        to: f.to,
        label: `would fire on ${p.nameOf(f.targetId)}`,
      })),
    [firing, p],
  );
  const total = firing.reduce((s, f) => s + (f.to - f.from), 0);
  const to = p.now;
  const from = to - WEEK;
  return (
    <section className="panel rule-preview" aria-label="Preview">
      <header className="panel-head">
        <h3>Preview: the last 7 days</h3>
        <span className="panel-note">
          shaded: where the rule would have fired
          {p.threshold !== null ? ' · dashed: the threshold' : ''}
        </span>
      </header>
      {p.error && (
        <p className="error" role="alert">
          Could not draw the preview: {p.error}
        </p>
      )}
      {p.preview && (
        <p role="status">
          {firing.length === 0
            ? `It would not have fired in the last 7 days (${series.length} series checked).`
            : `It would have fired ${firing.length} time${firing.length === 1 ? '' : 's'}, ${formatDuration(total / 1000)} in all, over ${series.length} series.`}
          {series.length > MAX_LINES && ` The chart draws the first ${MAX_LINES}.`}
        </p>
      )}
      {p.preview && firing.length > 0 && (
        <ul className="small preview-firing">
          {firing.slice(0, 10).map((f, i) => (
            <li key={i}>
              {p.nameOf(f.targetId)} <span className="mono muted">{f.seriesKey}</span>:{' '}
              {formatWhen(f.from, p.now)} – {formatWhen(f.to, p.now)}
            </li>
          ))}
          {firing.length > 10 && <li>and {firing.length - 10} more</li>}
        </ul>
      )}
      <div className="chart-body" ref={ref}>
        {p.preview && series.length === 0 && (
          <div className="chart-placeholder">No stored series matches this selector yet.</div>
        )}
        {p.preview && series.length > 0 && (
          <TimeChart
            lines={lines}
            shaped={shaped}
            unit={p.unit}
            from={from}
            to={to}
            width={width}
            height={220}
            resolution={series[0]?.resolution ?? null}
            now={p.now}
            marks={marks}
            threshold={p.threshold}
          />
        )}
      </div>
    </section>
  );
}

function ExportPanel({ yaml, onClose }: { yaml: string; onClose: () => void }): React.ReactElement {
  const [href, setHref] = useState<string | undefined>(undefined);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.scrollIntoView({ block: 'start' }), []);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([yaml], { type: 'text/yaml' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [yaml]);
  return (
    <section className="panel" aria-label="Exported rules" ref={ref}>
      <header className="panel-head">
        <h3>Exported rules (YAML)</h3>
        <a className="button" href={href} download="opsdeck-rules.yaml">
          Download opsdeck-rules.yaml
        </a>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <pre className="yaml" tabIndex={0}>
        {yaml}
      </pre>
    </section>
  );
}

function ImportDialog(p: {
  onImport: (yaml: string) => Promise<number>;
  onClose: () => void;
  onDone: (n: number) => void;
}): React.ReactElement {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(): Promise<void> {
    if (text.trim() === '') {
      setError('Paste the YAML of one or more rules first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      p.onDone(await p.onImport(text));
    } catch (err) {
      setError(errText(err));
      setBusy(false);
    }
  }

  async function readFile(file: File): Promise<void> {
    setText(await file.text());
  }

  return (
    <Dialog
      title="Import rules from YAML"
      wide
      onClose={p.onClose}
      onSubmit={() => void submit()}
      actions={
        <SubmitActions busy={busy} onCancel={p.onClose} label="Import" busyLabel="Importing…" />
      }
    >
      <p className="muted">
        Rules with an id that exists replace it; the others are added. Nothing is imported when any
        rule is invalid.
      </p>
      <label className="stacked">
        <span>YAML</span>
        <textarea
          className="mono"
          rows={14}
          value={text}
          data-autofocus
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <label className="stacked">
        <span>or a file</span>
        <input
          type="file"
          accept=".yaml,.yml,text/yaml"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void readFile(file);
          }}
        />
      </label>
      {error && (
        <pre className="error import-error" role="alert">
          {error}
        </pre>
      )}
    </Dialog>
  );
}
