// YAML documents that people edit by hand (runbooks, checklists): parsed with line
// positions, validated with a zod schema, then checked for what a schema cannot see. Every
// problem names the file, the line and the field, so a file can be fixed where it is wrong.
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';

const MAX_SYNTAX_PROBLEMS = 3;

export type DocPath = readonly (string | number)[];

/** A mistake found after the schema passed, at a path of the document. */
export interface DocIssue {
  path: DocPath;
  message: string;
}

/** A file that failed to load: file, line and field of each mistake. */
export interface DocProblem {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

export type DocResult<T> = { ok: true; doc: T } | { ok: false; problems: DocProblem[] };

function lineOf(node: Node | null | undefined, lc: LineCounter): number | null {
  const start = node?.range?.[0];
  return start === undefined ? null : lc.linePos(start).line;
}

/** The deepest node along a path, so a bad field points at its own line. */
function nodeAt(root: Node | null, path: DocPath): Node | null {
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

function fieldName(path: DocPath): string | null {
  return path.length ? path.map(String).join('.') : null;
}

/**
 * Parses one file's text and validates it with `schema`, then with `semantic` (issues a
 * schema cannot express). Pure: the caller reads the file.
 */
export function parseYamlDoc<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  semantic: (doc: z.output<S>) => DocIssue[] = () => [],
): DocResult<z.output<S>> {
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
  const locate = (issues: DocIssue[]): DocProblem[] =>
    issues
      .map((i) => ({
        file,
        line: lineOf(nodeAt(root, i.path), lc) ?? lineOf(root, lc) ?? 1,
        field: fieldName(i.path),
        message: i.message,
      }))
      .sort((a, b) => a.line - b.line);
  const parsed = schema.safeParse(doc.toJSON());
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: i.message,
    }));
    return { ok: false, problems: locate(issues) };
  }
  const issues = semantic(parsed.data);
  if (issues.length) return { ok: false, problems: locate(issues) };
  return { ok: true, doc: parsed.data };
}

/** "file:line: field: message", one problem per line. */
export function describeProblem(p: DocProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/** Issues for ids seen twice in a list. */
export function duplicateIds(
  items: readonly { id: string }[],
  base: DocPath,
  what: string,
): DocIssue[] {
  const seen = new Set<string>();
  const out: DocIssue[] = [];
  items.forEach((it, i) => {
    if (seen.has(it.id))
      out.push({ path: [...base, i, 'id'], message: `${what} id "${it.id}" twice` });
    seen.add(it.id);
  });
  return out;
}
