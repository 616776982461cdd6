/** Opens the SQLite database with the pragmas every connection needs, and closes it cleanly. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/**
 * Open (creating the file and its folder if missing) a database. ':memory:' gives a private
 * in-memory database, as tests use.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL keeps readers off the writer's back and survives a crash mid-write; NORMAL sync is safe in WAL.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A 1 MiB save writes several MB (text, search index, links): with the default 2 MB page cache
  // SQLite spills dirty pages to the WAL mid-transaction, holding the event loop longer. 16 MiB is
  // an upper bound, taken only as pages are used, in each worker process (SPEC section 9).
  db.pragma('cache_size = -16384');
  return db;
}

/** Checkpoint the WAL and close; safe to call twice. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
