// A library of YAML documents (runbooks, checklists): the files shipped with Opsdeck and the
// operator's own folder, which is watched and read again when a file in it changes. A file
// that does not load is listed with its problems; the others stay usable. A folder file with
// a built-in's id replaces it, so a team can adapt one.
import { existsSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from './errors';
import type { Logger } from './log';
import type { DocProblem, DocResult } from './yaml-docs';

const MAX_FILE_BYTES = 1024 * 1024;
const RELOAD_DEBOUNCE_MS = 200;

export type DocSource = 'builtin' | 'folder';
export type Loaded<T> = T & { source: DocSource; file: string };

interface Read<T> {
  docs: Loaded<T>[];
  problems: DocProblem[];
}

const EMPTY = { docs: [], problems: [] };

export interface CatalogOptions<T> {
  /** Candidate folders of the shipped files; the first that exists is read. */
  builtinDirs: readonly string[];
  /** Parses one file's text (pure). */
  parse: (file: string, text: string) => DocResult<T>;
  log: Logger;
  /** "runbook", "checklist": for log lines. */
  what: string;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function problem(file: string, message: string): DocProblem {
  return { file, line: null, field: null, message };
}

function readDir<T>(dir: string, source: DocSource, parse: CatalogOptions<T>['parse']): Read<T> {
  const out: Read<T> = { docs: [], problems: [] };
  let files: string[];
  try {
    files = yamlFiles(dir);
  } catch (err) {
    out.problems.push(problem(dir, `cannot read the folder: ${errorMessage(err)}`));
    return out;
  }
  for (const file of files) {
    try {
      if (statSync(file).size > MAX_FILE_BYTES) {
        out.problems.push(problem(file, 'larger than 1 MiB; not read'));
        continue;
      }
      const r = parse(file, readFileSync(file, 'utf8'));
      if (r.ok) out.docs.push({ ...r.doc, source, file });
      else out.problems.push(...r.problems);
    } catch (err) {
      out.problems.push(problem(file, errorMessage(err)));
    }
  }
  return out;
}

export class YamlCatalog<T extends { id: string; title: string }> {
  private builtin: Read<T> = EMPTY;
  private own: Read<T> = EMPTY;
  private folder: string | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: CatalogOptions<T>) {
    const dir = opts.builtinDirs.find((d) => existsSync(d));
    if (dir) this.builtin = readDir(dir, 'builtin', opts.parse);
    else opts.log.error(`built-in ${opts.what}s not found`, { looked: opts.builtinDirs });
  }

  /** Reads the operator's folder (null: none) and watches it for changes. */
  setFolder(folder: string | null): void {
    this.unwatch();
    this.folder = folder;
    this.reload();
    if (!folder || !existsSync(folder)) return;
    try {
      this.watcher = watch(folder, () => this.scheduleReload());
      this.watcher.on('error', (err) =>
        this.opts.log.warn('folder watch failed', { folder, error: err }),
      );
    } catch (err) {
      this.opts.log.warn('folder cannot be watched', { folder, error: errorMessage(err) });
    }
  }

  reload(): void {
    const f = this.folder;
    if (!f) this.own = EMPTY;
    else if (!existsSync(f))
      this.own = { docs: [], problems: [problem(f, 'the folder does not exist')] };
    else this.own = readDir(f, 'folder', this.opts.parse);
  }

  /** Built-ins overridden by the folder's files of the same id, sorted by title. */
  list(): { docs: Loaded<T>[]; problems: DocProblem[]; folder: string | null } {
    const byId = new Map<string, Loaded<T>>();
    for (const d of this.builtin.docs) byId.set(d.id, d);
    for (const d of this.own.docs) byId.set(d.id, d);
    return {
      docs: [...byId.values()].sort((a, b) => a.title.localeCompare(b.title)),
      problems: [...this.builtin.problems, ...this.own.problems],
      folder: this.folder,
    };
  }

  find(id: string): Loaded<T> | null {
    return this.list().docs.find((d) => d.id === id) ?? null;
  }

  close(): void {
    this.unwatch();
  }

  private scheduleReload(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reload();
      this.opts.log.info(`${this.opts.what} folder reloaded`, {
        folder: this.folder,
        count: this.own.docs.length,
      });
    }, RELOAD_DEBOUNCE_MS);
    this.timer.unref?.();
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
