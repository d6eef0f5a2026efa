// The runbook library: the built-in files shipped with Opsdeck and the operator's folder,
// which is watched and read again when a file in it changes (the shared YAML catalog). A
// file that does not load is listed with its problems; the others stay usable.
import type { Runbook, RunbookDoc, RunbookLibrary } from '../../shared/runbooks';
import { NotFound } from '../errors';
import { createLogger } from '../log';
import { YamlCatalog } from '../yaml-catalog';
import { parseRunbook } from './yaml';

const log = createLogger('runbooks.library');

export class RunbookCatalog {
  private readonly catalog: YamlCatalog<RunbookDoc>;

  /** `builtinDirs`: candidate folders of the shipped files; the first that exists is read. */
  constructor(builtinDirs: readonly string[]) {
    this.catalog = new YamlCatalog<RunbookDoc>({
      builtinDirs,
      parse: (file, text) => {
        const r = parseRunbook(file, text);
        return r.ok ? { ok: true, doc: r.runbook } : r;
      },
      log,
      what: 'runbook',
    });
  }

  /** Reads the operator's folder (null: none) and watches it for changes. */
  setFolder(folder: string | null): void {
    this.catalog.setFolder(folder);
  }

  reload(): void {
    this.catalog.reload();
  }

  list(): RunbookLibrary {
    const { docs, problems, folder } = this.catalog.list();
    return { runbooks: docs satisfies Runbook[], problems, folder };
  }

  get(id: string): Runbook {
    const r = this.catalog.find(id);
    if (!r) {
      throw new NotFound(
        `No runbook with id "${id}"; it may have been removed from the runbook folder. Reload the library.`,
      );
    }
    return r;
  }

  close(): void {
    this.catalog.close();
  }
}
