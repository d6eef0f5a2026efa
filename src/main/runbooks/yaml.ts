// Runbook files: YAML parsed with line positions, validated with the contract's schema, then
// checked for what a schema cannot see (unique step ids, known parameters, placeholders
// standing outside quotes, branches that lead somewhere). Every problem names the file,
// the line and the field, so a hand-edited file can be fixed where it is wrong.
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import {
  runbookSchema,
  type RunbookDoc,
  type RunbookProblem,
  type Step,
} from '../../shared/runbooks';
import { assertNever } from '../../shared/result';
import { ValidationError } from '../errors';
import { argPlaceholderProblems, placeholderProblems, sqlPlaceholderProblems } from './render';
import { paramDefaultProblem } from './params';
import { redisReadProblem, sqlReadProblem } from './readonly';

const MAX_SYNTAX_PROBLEMS = 3;

type Path = readonly (string | number)[];

interface Issue {
  path: Path;
  message: string;
}

export type LoadResult =
  { ok: true; runbook: RunbookDoc } | { ok: false; problems: RunbookProblem[] };

function lineOf(node: Node | null | undefined, lc: LineCounter): number | null {
  const start = node?.range?.[0];
  return start === undefined ? null : lc.linePos(start).line;
}

/** The deepest node along a path, so a bad field points at its own line. */
function nodeAt(root: Node | null, path: Path): Node | null {
  let node: Node | null = root;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) next = node.get(String(key), true);
    else if (isSeq(node)) next = node.get(Number(key), true);
    if (!next || typeof next !== 'object') break;
    node = next as Node;
  }
  return node;
}

function fieldName(path: Path): string | null {
  return path.length ? path.map(String).join('.') : null;
}

/** Parses and validates one runbook file's text. Pure: the caller reads the file. */
export function parseRunbook(file: string, text: string): LoadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    // One broken token makes the parser report every token after it: the first few say it.
    const problems = doc.errors.slice(0, MAX_SYNTAX_PROBLEMS).map((e) => ({
      file,
      line: lc.linePos(e.pos[0]).line,
      field: null,
      message: e.message.split('\n')[0],
    }));
    return { ok: false, problems };
  }
  const root = (doc.contents ?? null) as Node | null;
  const locate = (issues: Issue[]): RunbookProblem[] =>
    issues
      .map((i) => ({
        file,
        line: lineOf(nodeAt(root, i.path), lc) ?? lineOf(root, lc) ?? 1,
        field: fieldName(i.path),
        message: i.message,
      }))
      .sort((a, b) => a.line - b.line);
  const parsed = runbookSchema.safeParse(doc.toJSON());
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: i.message,
    }));
    return { ok: false, problems: locate(issues) };
  }
  const issues = semanticIssues(parsed.data);
  if (issues.length) return { ok: false, problems: locate(issues) };
  return { ok: true, runbook: parsed.data };
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

export function describeProblem(p: RunbookProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
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
