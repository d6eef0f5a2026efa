// The runbook library: the built-in files shipped with Opsdeck and the operator's folder,
// which is watched and read again when a file in it changes. A file that does not load is
// listed with its problems; the others stay usable.
import { existsSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Runbook, RunbookLibrary, RunbookProblem } from '../../shared/runbooks';
import { errorMessage, NotFound } from '../errors';
import { createLogger } from '../log';
import { parseRunbook } from './yaml';

const log = createLogger('runbooks.library');
const MAX_FILE_BYTES = 1024 * 1024;
const RELOAD_DEBOUNCE_MS = 200;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function readDir(
  dir: string,
  source: Runbook['source'],
): { runbooks: Runbook[]; problems: RunbookProblem[] } {
  const runbooks: Runbook[] = [];
  const problems: RunbookProblem[] = [];
  let files: string[];
  try {
    files = yamlFiles(dir);
  } catch (err) {
    problems.push({
      file: dir,
      line: null,
      field: null,
      message: `cannot read the folder: ${errorMessage(err)}`,
    });
    return { runbooks, problems };
  }
  for (const file of files) {
    try {
      if (statSync(file).size > MAX_FILE_BYTES) {
        problems.push({ file, line: null, field: null, message: 'larger than 1 MiB; not read' });
        continue;
      }
      const r = parseRunbook(file, readFileSync(file, 'utf8'));
      if (r.ok) runbooks.push({ ...r.runbook, source, file });
      else problems.push(...r.problems);
    } catch (err) {
      problems.push({ file, line: null, field: null, message: errorMessage(err) });
    }
  }
  return { runbooks, problems };
}

export class RunbookCatalog {
  private builtin: { runbooks: Runbook[]; problems: RunbookProblem[] } = {
    runbooks: [],
    problems: [],
  };
  private own: { runbooks: Runbook[]; problems: RunbookProblem[] } = { runbooks: [], problems: [] };
  private folder: string | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** `builtinDirs`: candidate folders of the shipped files; the first that exists is read. */
  constructor(private readonly builtinDirs: readonly string[]) {
    const dir = builtinDirs.find((d) => existsSync(d));
    if (dir) this.builtin = readDir(dir, 'builtin');
    else log.error('built-in runbooks not found', { looked: builtinDirs });
  }

  /** Reads the operator's folder (null: none) and watches it for changes. */
  setFolder(folder: string | null): void {
    this.unwatch();
    this.folder = folder;
    this.reload();
    if (!folder || !existsSync(folder)) return;
    try {
      this.watcher = watch(folder, () => this.scheduleReload());
      this.watcher.on('error', (err) => log.warn('folder watch failed', { folder, error: err }));
    } catch (err) {
      log.warn('folder cannot be watched', { folder, error: errorMessage(err) });
    }
  }

  reload(): void {
    const f = this.folder;
    if (!f) this.own = { runbooks: [], problems: [] };
    else if (!existsSync(f)) {
      const problem = { file: f, line: null, field: null, message: 'the folder does not exist' };
      this.own = { runbooks: [], problems: [problem] };
    } else this.own = readDir(f, 'folder');
  }

  list(): RunbookLibrary {
    const byId = new Map<string, Runbook>();
    for (const r of this.builtin.runbooks) byId.set(r.id, r);
    // The operator's file with a built-in's id replaces it: a team can adapt one.
    for (const r of this.own.runbooks) byId.set(r.id, r);
    return {
      runbooks: [...byId.values()].sort((a, b) => a.title.localeCompare(b.title)),
      problems: [...this.builtin.problems, ...this.own.problems],
      folder: this.folder,
    };
  }

  get(id: string): Runbook {
    const r = this.list().runbooks.find((x) => x.id === id);
    if (!r) {
      throw new NotFound(
        `No runbook with id "${id}"; it may have been removed from the runbook folder. Reload the library.`,
      );
    }
    return r;
  }

  close(): void {
    this.unwatch();
  }

  private scheduleReload(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reload();
      log.info('runbook folder reloaded', { folder: this.folder, count: this.own.runbooks.length });
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
