// Opening the SQLite file with the pragmas every part of the store relies on.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
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
  if (file !== ':memory:' && file !== '') {
    mkdirSync(dirname(file), { recursive: true });
    ownerOnly(file);
  }
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

/** The file holds query text, command output and the audit log, so only its owner reads
 * it. Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the mode of
 * the database file. An older file is narrowed to 0600 too. */
function ownerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
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
