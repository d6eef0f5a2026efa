// Rules to and from YAML. Import validates every rule with the contract's schema and names
// the line and field of each problem, so a hand-edited file can be fixed where it is wrong.
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import type { z } from 'zod';
import type { AlertRule } from '../../shared/alerts';
import { ruleSchema } from '../../shared/api';
import { ValidationError } from '../errors';

export type RuleInput = z.output<typeof ruleSchema>;

const HEADER =
  '# Opsdeck alert rules. Edit and import again: rules with a known id are updated,\n' +
  '# the others added. Durations are in milliseconds.\n';

export function rulesToYaml(rules: readonly AlertRule[]): string {
  const docs = rules.map((r) => {
    const { builtin: _b, ...rest } = r;
    void _b;
    return rest;
  });
  return HEADER + stringify({ rules: docs }, { lineWidth: 0 });
}

interface Located {
  line: number;
  message: string;
}

function lineOf(node: Node | null | undefined, lc: LineCounter): number | null {
  const start = node?.range?.[0];
  return start === undefined ? null : lc.linePos(start).line;
}

/** The deepest node along a path, so a bad field points at its own line. */
function nodeAt(root: Node, path: readonly PropertyKey[]): Node {
  let node: Node = root;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) next = node.get(String(key), true);
    else if (isSeq(node)) next = node.get(Number(key), true);
    if (!next || typeof next !== 'object') break;
    node = next as Node;
  }
  return node;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : 'rule';
}

/** Parses and validates; throws ValidationError listing every problem with its line. */
export function rulesFromYaml(text: string): RuleInput[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const problems: Located[] = doc.errors.map((e) => ({
    line: lc.linePos(e.pos[0]).line,
    message: e.message.split('\n')[0],
  }));
  if (problems.length) throw invalid(problems);
  const list = isMap(doc.contents) ? doc.contents.get('rules', true) : doc.contents;
  if (!isSeq(list)) {
    throw invalid([
      { line: lineOf(doc.contents, lc) ?? 1, message: 'expected a list of rules under "rules:"' },
    ]);
  }
  const out: RuleInput[] = [];
  list.items.forEach((item, i) => {
    const parsed = ruleSchema.safeParse((item as Node).toJSON());
    if (parsed.success) {
      out.push(parsed.data);
      return;
    }
    for (const issue of parsed.error.issues) {
      const node = nodeAt(item as Node, issue.path);
      problems.push({
        line: lineOf(node, lc) ?? lineOf(item as Node, lc) ?? 1,
        message: `rule ${i + 1}, ${fieldName(issue.path)}: ${issue.message}`,
      });
    }
  });
  if (problems.length) throw invalid(problems);
  return out;
}

function invalid(problems: Located[]): ValidationError {
  const lines = problems.sort((a, b) => a.line - b.line).map((p) => `line ${p.line}: ${p.message}`);
  return new ValidationError(
    `The rules file was not imported; nothing changed. Fix these and import again:\n` +
      lines.join('\n'),
  );
}
