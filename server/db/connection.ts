/** Opens the SQLite database with the pragmas every connection needs, and closes it cleanly. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Bytes a database page holds, for a file created from now on: set before its first table, an
 * existing file keeps the size it has until `wiki migrate` rewrites it (cli/migrate.ts). A page's
 * latest text, deflated, is a row of one to two kilobytes, and SQLite starts a new page for a row
 * that does not fit the space left: with 4 KiB pages a fifth of the content table's pages stood
 * empty. At 8 KiB, the benchmark's 100,000-page wiki took 711 MB instead of 741 (the 1,000-page
 * one 1.3% less); saves and views measured the same.
 */
export const PAGE_SIZE = 8192;

/** Whether `e` is SQLITE_BUSY (or one of its extended codes): another connection held the lock; nothing was written. */
export function isBusy(e: unknown): boolean {
  return e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY');
}

/**
 * Open (creating the file and its folder if missing) a database. ':memory:' gives a private
 * in-memory database, as tests use.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // Before anything is written: a new file takes it; an existing one keeps its own (see PAGE_SIZE).
  db.pragma(`page_size = ${PAGE_SIZE}`);
  // WAL keeps readers off the writer's back and survives a crash mid-write; NORMAL sync is safe in WAL.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 8 MiB of page cache a connection, taken only as pages are used, in each worker process (SPEC
  // section 9: 150 MB a worker). A 1 MiB save writes several MB (text, search index, links): below
  // 16 MiB of dirty pages SQLite does not spill them to the WAL mid-transaction, which would hold
  // the event loop longer. (Given in KiB: SQLite reads a count of pages that is a multiple of 256
  // as "off", and would then never spill, however large a transaction grew.)
  db.pragma('cache_size = -8192');
  db.pragma('cache_spill = -16384');
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
