// Parameters go into steps as data, never as code: in a shell line each {{name}} becomes one
// single-quoted word (shQuote); in SQL {{name}} becomes a bound parameter ($1, $2 …) and
// {{ident:name}} an escaped identifier; in a Redis command it stays inside its own argv
// element. A placeholder inside quotes is refused when the file loads, because quoting it
// again there would change its meaning (inside "…" the shell still expands $(…)).
import type {
  ParamValue,
  PlannedStep,
  Probe,
  RunbookDoc,
  Step,
  TargetRole,
} from '../../shared/runbooks';
import { assertNever } from '../../shared/result';
import { ValidationError } from '../errors';
import { shQuote } from '../targets/quote';
import { describeExpect } from './checks';

const PLACEHOLDER = /\{\{\s*(?:(ident):)?([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

export type Values = Record<string, ParamValue>;

export interface BoundTarget {
  id: string;
  name: string;
}
export type Bindings = Partial<Record<TargetRole, BoundTarget>>;

interface Found {
  index: number;
  length: number;
  ident: boolean;
  name: string;
}

function placeholders(text: string): Found[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({
    index: m.index,
    length: m[0].length,
    ident: m[1] === 'ident',
    name: m[2],
  }));
}

function unknownNames(found: Found[], params: Set<string>): string[] {
  return found
    .filter((f) => !params.has(f.name))
    .map((f) => `{{${f.name}}} names no parameter of this runbook`);
}

/** Quote state at each offset of a shell line: true where the character is quoted. */
function shellQuotedAt(text: string): boolean[] {
  const quoted: boolean[] = [];
  let state: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    quoted[i] = state !== 'none';
    if (state === 'single') {
      if (c === "'") state = 'none';
    } else if (c === '\\') {
      quoted[i + 1] = true;
      i++;
    } else if (c === "'" && state === 'none') state = 'single';
    else if (c === '"') state = state === 'double' ? 'none' : 'double';
  }
  return quoted;
}

/** Quote and comment state of SQL text: true inside literals, quoted names and comments. */
function sqlQuotedAt(text: string): boolean[] {
  const quoted: boolean[] = new Array<boolean>(text.length).fill(false);
  let i = 0;
  const mark = (from: number, to: number): void => {
    for (let k = from; k < Math.min(to, text.length); k++) quoted[k] = true;
  };
  while (i < text.length) {
    const rest = text.slice(i);
    let end = -1;
    if (text[i] === "'" || text[i] === '"') {
      const q = text[i];
      let k = i + 1;
      for (; k < text.length; k++) {
        if (text[k] === q && text[k + 1] === q) k++;
        else if (text[k] === q) break;
      }
      end = k + 1;
    } else if (rest.startsWith('--')) {
      const nl = text.indexOf('\n', i);
      end = nl < 0 ? text.length : nl;
    } else if (rest.startsWith('/*')) {
      const close = text.indexOf('*/', i + 2);
      end = close < 0 ? text.length : close + 2;
    } else {
      const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
      if (dollar && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
        const close = text.indexOf(dollar[0], i + dollar[0].length);
        end = close < 0 ? text.length : close + dollar[0].length;
      }
    }
    if (end > i) {
      mark(i, end);
      i = end;
    } else i++;
  }
  return quoted;
}

/** SQL with string literals, quoted names and comments blanked out, for screening. */
export function maskSql(sql: string): string {
  const quoted = sqlQuotedAt(sql);
  return [...sql].map((c, i) => (quoted[i] ? ' ' : c)).join('');
}

/** Problems of the placeholders in a shell line (empty when it is fine). */
export function placeholderProblems(command: string, params: Set<string>): string[] {
  const found = placeholders(command);
  const quoted = shellQuotedAt(command);
  const out = unknownNames(found, params);
  for (const f of found) {
    if (f.ident) out.push(`{{ident:${f.name}}} belongs in SQL; in a command write {{${f.name}}}`);
    if (quoted[f.index]) {
      out.push(
        `{{${f.name}}} stands inside quotes; write it bare, Opsdeck quotes it as one shell word`,
      );
    }
  }
  return out;
}

export function sqlPlaceholderProblems(sql: string, params: Set<string>): string[] {
  const found = placeholders(sql);
  const quoted = sqlQuotedAt(sql);
  const out = unknownNames(found, params);
  for (const f of found) {
    if (quoted[f.index]) {
      out.push(
        `{{${f.name}}} stands inside a quoted string or comment; write it bare, it becomes ` +
          'a bound parameter',
      );
    }
  }
  return out;
}

export function argPlaceholderProblems(arg: string, params: Set<string>): string[] {
  const found = placeholders(arg);
  const out = unknownNames(found, params);
  for (const f of found) {
    if (f.ident) out.push(`{{ident:${f.name}}} belongs in SQL; in Redis write {{${f.name}}}`);
  }
  return out;
}

function valueOf(values: Values, name: string): string {
  const v = values[name];
  if (v === undefined) {
    throw new ValidationError(`The parameter "${name}" has no value; fill it in and start again.`);
  }
  return String(v);
}

/** A shell line with every placeholder replaced by one single-quoted word. */
export function renderShell(template: string, values: Values): string {
  return template.replace(PLACEHOLDER, (_all, _ident: string | undefined, name: string) =>
    shQuote(valueOf(values, name)),
  );
}

/** A PostgreSQL identifier in double quotes, inner quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\0')) {
    throw new ValidationError('A SQL identifier must be non-empty and hold no NUL byte.');
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** SQL with {{name}} as $n (the same name shares one $n) and {{ident:name}} escaped. */
export function renderSql(template: string, values: Values): { text: string; params: string[] } {
  const params: string[] = [];
  const slots = new Map<string, number>();
  const text = template.replace(PLACEHOLDER, (_all, ident: string | undefined, name: string) => {
    if (ident) return quoteIdent(valueOf(values, name));
    let n = slots.get(name);
    if (n === undefined) {
      params.push(valueOf(values, name));
      n = params.length;
      slots.set(name, n);
    }
    return `$${n}`;
  });
  return { text, params };
}

export function renderArgv(argv: readonly string[], values: Values): string[] {
  return argv.map((a) =>
    a.replace(PLACEHOLDER, (_all, _i: string | undefined, name: string) => valueOf(values, name)),
  );
}

/** Redis argv for reading: elements with spaces or quotes shown JSON-quoted. */
export function showArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[^\s"'\\]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** SQL with its bound values listed after it, as the audit log and reports show it. */
export function showSql(text: string, params: readonly string[]): string {
  if (params.length === 0) return text;
  return `${text}\n${params.map((p, i) => `-- $${i + 1} = ${JSON.stringify(p)}`).join('\n')}`;
}

export interface RenderedProbe {
  role: TargetRole;
  text: string;
  params: string[];
}

export function renderProbe(role: TargetRole, probe: Probe, values: Values): RenderedProbe {
  switch (probe.source) {
    case 'command':
      return { role, text: renderShell(probe.command, values), params: [] };
    case 'sql': {
      const r = renderSql(probe.sql, values);
      return { role, text: r.text, params: r.params };
    }
    case 'redis': {
      const argv = renderArgv(probe.argv, values);
      return { role, text: showArgv(argv), params: argv };
    }
    case 'metric': {
      const labels = Object.entries(probe.labels ?? {}).map(([k, v]) => `${k}=${v}`);
      return {
        role,
        text: labels.length ? `${probe.metric}{${labels.join(',')}}` : probe.metric,
        params: [],
      };
    }
    default:
      return assertNever(probe, 'probe source');
  }
}

/** The target role a step acts on, or null. */
export function stepRole(s: Step): TargetRole | null {
  switch (s.kind) {
    case 'command':
    case 'sql':
    case 'redis':
    case 'check':
      return s.target;
    case 'wait':
      return s.until ? s.until.target : null;
    case 'instruction':
    case 'decision':
    case 'escalate':
    case 'note':
      return null;
    default:
      return assertNever(s, 'step kind');
  }
}

/** Target roles a runbook's steps need, in a stable order. */
export function neededRoles(rb: RunbookDoc): TargetRole[] {
  const used = new Set<TargetRole>(rb.targets);
  for (const s of rb.steps) {
    const r = stepRole(s);
    if (r) used.add(r);
  }
  return (['host', 'postgres', 'redis'] as const).filter((r) => used.has(r));
}

interface Filled {
  mode: PlannedStep['mode'];
  text: string | null;
  params: string[];
  expect: string | null;
}

function fill(s: Step, values: Values): Filled {
  switch (s.kind) {
    case 'command':
      return { mode: s.mode, text: renderShell(s.command, values), params: [], expect: null };
    case 'sql': {
      const r = renderSql(s.sql, values);
      return { mode: s.mode, text: r.text, params: r.params, expect: null };
    }
    case 'redis': {
      const argv = renderArgv(s.argv, values);
      return { mode: s.mode, text: showArgv(argv), params: argv, expect: null };
    }
    case 'check': {
      const p = renderProbe(s.target, s.probe, values);
      return { mode: 'read', text: p.text, params: p.params, expect: describeExpect(s.expect) };
    }
    case 'wait': {
      if (!s.until) return { mode: null, text: null, params: [], expect: `wait ${s.seconds} s` };
      const p = renderProbe(s.until.target, s.until.probe, values);
      const expect = `${describeExpect(s.until.expect)}, checked every ${s.until.everySeconds} s for at most ${s.seconds} s`;
      return { mode: 'read', text: p.text, params: p.params, expect };
    }
    case 'escalate':
      return { mode: null, text: null, params: [], expect: `escalate to level "${s.level}"` };
    case 'decision': {
      const options = s.options.map((o) => o.label).join(' / ');
      return { mode: null, text: null, params: [], expect: options };
    }
    case 'instruction':
    case 'note':
      return { mode: null, text: null, params: [], expect: null };
    default:
      return assertNever(s, 'step kind');
  }
}

/** Every step with its parameters filled in and its target named: what a run would do. */
export function planSteps(rb: RunbookDoc, values: Values, targets: Bindings): PlannedStep[] {
  return rb.steps.map((s, index) => {
    const role = stepRole(s);
    const bound = role ? (targets[role] ?? null) : null;
    const f = fill(s, values);
    return {
      index,
      id: s.id,
      kind: s.kind,
      title: s.title,
      body: s.body ?? null,
      mode: f.mode,
      targetId: bound?.id ?? null,
      targetName: bound?.name ?? null,
      text: f.text,
      params: f.params,
      expect: f.expect,
      options: s.kind === 'decision' ? s.options.map((o) => ({ id: o.id, label: o.label })) : null,
      prompt: s.kind === 'note' ? (s.prompt ?? null) : null,
    };
  });
}
