// Opening the SQLite file with the pragmas every part of the store relies on.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * Path of the better_sqlite3.node to load. The app keeps one native build per runtime
   * (Node for tests and browser mode, Electron for the desktop app).
   */
  nativeBinding?: string;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:' && file !== '') mkdirSync(dirname(file), { recursive: true });
  const db = opts.nativeBinding
    ? new Database(file, { nativeBinding: opts.nativeBinding })
    : new Database(file);
  try {
    applyPragmas(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function applyPragmas(db: Db): void {
  // WAL lets the UI read while a flush writes; NORMAL skips the fsync per commit, which
  // in WAL mode can lose the last commits on power loss but never corrupts the file.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** Bytes the file occupies once the WAL is folded in: page_count * page_size. */
export function fileBytes(db: Db): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return pages * size;
}
