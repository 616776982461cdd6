/** `wiki backup FILE [--force]`: an online, consistent copy of the database, safe while the server runs. */
import Database from 'better-sqlite3';
import { existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config.js';
import { openDatabase, type Db } from '../db/connection.js';
import { DumpStore } from '../db/dump.js';
import { commandArgs, requireDatabase } from './args.js';
import { CliError, type CliIo } from './io.js';
import { progress } from './progress.js';

const USAGE = 'backup FILE [--force]';
/** Pages copied per step: small steps let the server write in between; about 50 steps in all. */
const STEPS = 50;
const MIN_STEP_PAGES = 100;
/** Steps that made no headway (a write by the server restarted the copy) before copying the rest at once. */
const MAX_STALLS = 2;

/** @throws CliError for missing or unsafe arguments (exit 2); nothing is written then. */
export async function backupCommand(config: Config, args: string[], io: CliIo): Promise<number> {
  const { values, flags } = commandArgs(args, USAGE, ['FILE'], ['force']);
  const file = resolve(values[0]!);
  requireDatabase(config.dbFile);
  checkTarget(config.dbFile, file, flags.force);
  // Copy into a fresh file beside the target and rename it at the end, so an interrupted backup
  // never leaves a half-written FILE, and --force never destroys the old copy before the new one is whole.
  const partial = `${file}.partial-${process.pid}`;
  const db = openDatabase(config.dbFile);
  try {
    await copy(db, partial, io);
  } catch (e) {
    removeDatabaseFiles(partial);
    throw e;
  } finally {
    db.close();
  }
  const counts = finishCopy(partial);
  // A stale FILE-wal beside the new FILE would be replayed into it; the rename itself replaces FILE atomically.
  for (const f of [`${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
  renameSync(partial, file);
  io.out(`backed up ${counts.pages} pages, ${counts.revisions} revisions, ${statSync(file).size} bytes to ${file}`);
  return 0;
}

function checkTarget(dbFile: string, file: string, force: boolean): void {
  if (!existsSync(dirname(file))) throw new CliError(`the folder ${dirname(file)} does not exist; create it first, or pick another FILE.`);
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) throw new CliError(`${file} is a folder; give a file name for the backup, such as ${file}/wiki-backup.db.`);
  if (realpathSync(file) === realpathSync(dbFile)) throw new CliError(`${file} is the wiki's own database; give another FILE.`);
  if (!force) throw new CliError(`${file} already exists; pick another FILE, or add --force to replace it.`);
}

/** SQLite's online backup, step by step; a step that a concurrent write restarted counts as a stall. */
async function copy(db: Db, target: string, io: CliIo): Promise<void> {
  const bar = progress(io, 'backup', 0, 'pages');
  let lastRemaining = Infinity;
  let stalls = 0;
  const result = await db.backup(target, {
    progress({ totalPages, remainingPages }) {
      bar.set(totalPages - remainingPages, totalPages);
      if (remainingPages >= lastRemaining) stalls += 1;
      lastRemaining = remainingPages;
      // A busy server can restart a stepwise copy forever; one step holds a single read snapshot
      // (WAL readers do not block the writer) and always finishes.
      if (stalls > MAX_STALLS) return 0x7fffffff;
      return Math.max(MIN_STEP_PAGES, Math.ceil(totalPages / STEPS));
    },
  });
  // The last step reports to no callback.
  bar.set(result.totalPages, result.totalPages);
  bar.done();
}

/** Make the copy one self-contained file (no WAL beside it) and count what it holds. */
function finishCopy(file: string): { pages: number; revisions: number } {
  const copyDb = new Database(file, { fileMustExist: true });
  try {
    copyDb.pragma('journal_mode = DELETE');
    const { pages, revisions } = new DumpStore(copyDb).counts();
    return { pages, revisions };
  } finally {
    copyDb.close();
  }
}

function removeDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}
