// Runbook files: YAML parsed with line positions, validated with the contract's schema, then
// checked for what a schema cannot see (unique step ids, known parameters, placeholders
// standing outside quotes, branches that lead somewhere). Every problem names the file,
// the line and the field, so a hand-edited file can be fixed where it is wrong.
import {
  runbookSchema,
  type RunbookDoc,
  type RunbookProblem,
  type Step,
} from '../../shared/runbooks';
import { assertNever } from '../../shared/result';
import { ValidationError } from '../errors';
import { describeProblem, parseYamlDoc, type DocIssue, type DocPath } from '../yaml-docs';
import { argPlaceholderProblems, placeholderProblems, sqlPlaceholderProblems } from './render';
import { paramDefaultProblem } from './params';
import { redisReadProblem, sqlReadProblem } from './readonly';

export { describeProblem };

type Path = DocPath;
type Issue = DocIssue;

export type LoadResult =
  { ok: true; runbook: RunbookDoc } | { ok: false; problems: RunbookProblem[] };

/** Parses and validates one runbook file's text. Pure: the caller reads the file. */
export function parseRunbook(file: string, text: string): LoadResult {
  const r = parseYamlDoc(file, text, runbookSchema, semanticIssues);
  return r.ok ? { ok: true, runbook: r.doc } : r;
}

/** Throws a ValidationError listing every problem, one per line. */
export function parseRunbookOrThrow(file: string, text: string): RunbookDoc {
  const r = parseRunbook(file, text);
  if (r.ok) return r.runbook;
  throw new ValidationError(
    `The runbook ${file} did not load. Fix these and save again:\n` +
      r.problems.map(describeProblem).join('\n'),
  );
}

function semanticIssues(rb: RunbookDoc): Issue[] {
  const issues: Issue[] = [];
  const params = new Set<string>();
  rb.parameters.forEach((p, i) => {
    if (params.has(p.name))
      issues.push({ path: ['parameters', i, 'name'], message: `parameter "${p.name}" twice` });
    params.add(p.name);
    const bad = paramDefaultProblem(p);
    if (bad) issues.push({ path: ['parameters', i, 'default'], message: bad });
  });
  const ids = new Set<string>();
  rb.steps.forEach((s, i) => {
    if (ids.has(s.id))
      issues.push({ path: ['steps', i, 'id'], message: `step id "${s.id}" twice` });
    ids.add(s.id);
  });
  rb.steps.forEach((s, i) => issues.push(...stepIssues(rb, s, i, params, ids)));
  return issues;
}

function textIssues(path: Path, problems: string[]): Issue[] {
  return problems.map((message) => ({ path, message }));
}

function probeIssues(
  base: Path,
  target: string,
  probe: Extract<Step, { kind: 'check' }>['probe'],
  params: Set<string>,
): Issue[] {
  const out: Issue[] = [];
  const needs = { command: 'host', sql: 'postgres', redis: 'redis', metric: target }[probe.source];
  if (needs !== target) {
    out.push({
      path: [...base, 'target'],
      message: `a ${probe.source} probe needs target "${needs}", not "${target}"`,
    });
  }
  if (probe.source === 'command')
    out.push(
      ...textIssues([...base, 'probe', 'command'], placeholderProblems(probe.command, params)),
    );
  if (probe.source === 'sql') {
    const problems = sqlPlaceholderProblems(probe.sql, params);
    const ro = sqlReadProblem(probe.sql);
    if (ro) problems.push(`a check only reads: ${ro.replace(/; declare mode: change$/, '')}`);
    out.push(...textIssues([...base, 'probe', 'sql'], problems));
  }
  if (probe.source === 'redis') {
    const ro = redisReadProblem(probe.argv);
    if (ro) {
      const message = `a check only reads: ${ro.replace(/: declare mode: change$/, '')}`;
      out.push({ path: [...base, 'probe', 'argv', 0], message });
    }
    probe.argv.forEach((a, j) =>
      out.push(...textIssues([...base, 'probe', 'argv', j], argPlaceholderProblems(a, params))),
    );
  }
  return out;
}

function stepIssues(
  rb: RunbookDoc,
  s: Step,
  i: number,
  params: Set<string>,
  ids: Set<string>,
): Issue[] {
  const at = (...rest: (string | number)[]): Path => ['steps', i, ...rest];
  switch (s.kind) {
    case 'instruction':
    case 'note':
    case 'escalate':
      return [];
    case 'command':
      return textIssues(at('command'), placeholderProblems(s.command, params));
    case 'sql': {
      const problems = sqlPlaceholderProblems(s.sql, params);
      const ro = s.mode === 'read' ? sqlReadProblem(s.sql) : null;
      return textIssues(at('sql'), ro ? [...problems, ro] : problems);
    }
    case 'redis': {
      const ro = s.mode === 'read' ? redisReadProblem(s.argv) : null;
      const own = ro ? [{ path: at('argv', 0), message: ro }] : [];
      return [
        ...own,
        ...s.argv.flatMap((a, j) => textIssues(at('argv', j), argPlaceholderProblems(a, params))),
      ];
    }
    case 'check':
      return probeIssues(at(), s.target, s.probe, params);
    case 'wait':
      return s.until ? probeIssues(at('until'), s.until.target, s.until.probe, params) : [];
    case 'decision':
      return decisionIssues(rb, s, i, ids);
    default:
      return assertNever(s, 'step kind');
  }
}

function decisionIssues(
  rb: RunbookDoc,
  s: Extract<Step, { kind: 'decision' }>,
  i: number,
  ids: Set<string>,
): Issue[] {
  const out: Issue[] = [];
  const options = new Set(s.options.map((o) => o.id));
  s.options.forEach((o, j) => {
    if (o.next !== undefined && o.next !== 'end' && !ids.has(o.next)) {
      out.push({
        path: ['steps', i, 'options', j, 'next'],
        message: `no step with id "${o.next}" (use a step id or "end")`,
      });
    }
  });
  if (!s.auto) return out;
  const check = rb.steps.findIndex((x) => x.id === s.auto?.check);
  if (check < 0 || rb.steps[check].kind !== 'check' || check > i) {
    out.push({
      path: ['steps', i, 'auto', 'check'],
      message: `"${s.auto.check}" must be a check step before this decision`,
    });
  }
  for (const key of ['pass', 'fail', 'warning'] as const) {
    const v = s.auto[key];
    if (v !== undefined && !options.has(v)) {
      out.push({ path: ['steps', i, 'auto', key], message: `no option with id "${v}"` });
    }
  }
  return out;
}
