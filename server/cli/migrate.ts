/**
 * `wiki migrate`: apply pending migrations, then store every text a newer revision replaced as a
 * delta (content.ts) and rewrite authorship kept as JSON as blobs (blame.ts), with progress, and
 * give the space that freed back to the file system.
 * Packing commits a batch at a time and works from a queue kept in the database, so a run that is
 * stopped (Ctrl-C, a crash) goes on where it stopped when run again. A running wiki packs the same
 * queue in the background; this does it all at once.
 */
import type { Config } from '../config.js';
import { PAGE_SIZE, isBusy, openDatabase, closeDatabase, type Db } from '../db/connection.js';
import { BlameStore } from '../db/blame.js';
import { ContentStore, type CompressPlan, type PackPlan } from '../db/content.js';
import { createStores } from '../db/stores.js';
import { AUTHORS_CHECKPOINT_EVERY, thinStoredAuthors } from '../wiki/blameSave.js';
import { migrate } from '../db/migrate.js';
import { CliError, type CliIo } from './io.js';
import { progress } from './progress.js';

const PACK_BATCH = 500;
const PACK_BYTES = 16 * 1024 * 1024;
/** Authorship rows rewritten a transaction: a few milliseconds of writes. */
const AUTHORSHIP_BATCH = 2_000;
const THIN_BATCH = 500;

export function migrateCommand(config: Config, args: string[], io: CliIo): number {
  if (args.length) throw new CliError('migrate takes no arguments.');
  const db = openDatabase(config.dbFile);
  try {
    const applied = migrate(db);
    io.out(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')} to ${config.dbFile}` : `${config.dbFile} is up to date`);
    const packed = packAll(db, io) + compressAll(db, io);
    const rewritten = compactAuthorship(db, io);
    const thinned = thinAuthorship(db, io);
    // A migration may rewrite a table (0017 dropped a column of every revision row), leaving its
    // pages part empty or free, as packing does.
    if (applied.length + packed + rewritten + thinned > 0 || freeShare(db) >= COMPACT_FREE_SHARE || pageSize(db) !== PAGE_SIZE) {
      // On a connection of its own: the steps above leave statements prepared, and SQLite refuses
      // to change the journal mode (as a new page size needs) while any of them might be reading.
      closeDatabase(db);
      const own = openDatabase(config.dbFile);
      try {
        compact(own, io);
      } finally {
        closeDatabase(own);
      }
    }
    return 0;
  } finally {
    closeDatabase(db);
  }
}

/** The share of the file's pages that are free from which migrate gives them back (VACUUM). */
const COMPACT_FREE_SHARE = 0.05;

function pageSize(db: Db): number {
  return db.pragma('page_size', { simple: true }) as number;
}

function freeShare(db: Db): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  return pages === 0 ? 0 : (db.pragma('freelist_count', { simple: true }) as number) / pages;
}

/** Pack every queued text; how many became deltas. */
function packAll(db: Db, io: CliIo): number {
  const content = new ContentStore(db);
  const total = content.queued();
  if (total === 0) return 0;
  const bar = progress(io, 'packing old revisions', total, 'texts');
  // Planned outside the write transaction, as the wiki's own packer does: a running wiki's saves
  // wait only for the writes.
  const write = db.transaction((plan: PackPlan) => content.applyPacks(plan));
  let packed = 0;
  for (;;) {
    const r = write.immediate(content.planPacks(PACK_BATCH, PACK_BYTES));
    packed += r.packed;
    bar.set(total - r.queued);
    if (r.queued === 0) break;
  }
  bar.done();
  io.out(`stored ${packed} of ${total} replaced texts as deltas against their successors`);
  return packed;
}

/** Deflate every queued whole text (content_fresh: raw from saves, or deflated without a dictionary); how many were looked at. */
function compressAll(db: Db, io: CliIo): number {
  const content = new ContentStore(db);
  const total = content.freshCount();
  if (total === 0) return 0;
  const bar = progress(io, 'compressing latest texts', total, 'texts');
  const write = db.transaction((plan: CompressPlan) => content.applyCompress(plan));
  for (;;) {
    const left = write.immediate(content.planCompress(PACK_BATCH, PACK_BYTES));
    bar.set(total - left);
    if (left === 0) break;
  }
  bar.done();
  io.out(`compressed ${total} whole text(s): stored raw by saves, or deflated before the wiki had a dictionary`);
  return total;
}

/**
 * Run `step` from cursor 0 until it says it is done, each call in its own write transaction (a
 * running wiki writes in between), with a progress bar over `total` units.
 */
function inBatches(db: Db, io: CliIo, label: string, total: number, unit: string, step: (after: number) => { next: number | undefined; done: number }): void {
  const bar = progress(io, label, total, unit);
  const batch = db.transaction(step);
  let done = 0;
  for (let after: number | undefined = 0; after !== undefined; ) {
    const r = batch.immediate(after);
    done += r.done;
    bar.set(Math.min(done, total));
    after = r.next;
  }
  bar.done();
}

/** Authorship stored as JSON before runs were blobs, rewritten as blobs; how many rows. */
function compactAuthorship(db: Db, io: CliIo): number {
  const blame = new BlameStore(db);
  const total = blame.countJson();
  if (total === 0) return 0;
  let rewritten = 0;
  inBatches(db, io, 'rewriting authorship', total, 'revisions', (after) => {
    const r = blame.compactJson(after, AUTHORSHIP_BATCH);
    rewritten += r.rewritten;
    return { next: r.lastId, done: r.rewritten };
  });
  io.out(`rewrote the authorship of ${rewritten} revisions in its compact form`);
  return rewritten;
}

/** Set once every page's stored authorship has been thinned: saves keep it thinned from then on. */
const THINNED = 'authorship_thinned';

/**
 * Authorship kept for every revision (before it was kept for the latest few and one in
 * AUTHORS_CHECKPOINT_EVERY) thinned the same way, once per database; how many rows were dropped.
 */
function thinAuthorship(db: Db, io: CliIo): number {
  const stores = createStores(db);
  if (stores.settings.get(THINNED) !== undefined) return 0;
  const pages = db.prepare('SELECT count(*) FROM page').pluck().get() as number;
  let dropped = 0;
  inBatches(db, io, 'thinning authorship', pages, 'pages', (after) => {
    const r = thinStoredAuthors(stores, after, THIN_BATCH);
    dropped += r.dropped;
    return { next: r.lastPageId, done: THIN_BATCH };
  });
  stores.settings.getOrCreate(THINNED, () => new Date().toISOString());
  if (dropped > 0) io.out(`kept the authorship of each page's latest revisions and one in ${AUTHORS_CHECKPOINT_EVERY} before them: dropped ${dropped} rows`);
  return dropped;
}

/**
 * Rewrite the file without the space packing or a migration freed: rows that shrank leave their
 * pages part empty, and a rewritten table its old pages free; only a VACUUM gives that back to the
 * file system. A file with pages of another size than PAGE_SIZE gets them now: SQLite changes it
 * only in a VACUUM outside WAL mode, which needs the file to itself (a running wiki keeps its
 * size, and is told so). Either way the VACUUM is one transaction: a crash leaves the file as it was.
 */
function compact(db: Db, io: CliIo): void {
  const before = db.pragma('page_count', { simple: true }) as number;
  const size = pageSize(db);
  const resize = size !== PAGE_SIZE && leaveWal(db);
  io.out(resize
    ? `rewriting the database with pages of ${PAGE_SIZE} bytes instead of ${size} (VACUUM; about ten seconds a gigabyte here)`
    : 'giving the space freed back to the file system (VACUUM)');
  try {
    if (resize) db.pragma(`page_size = ${PAGE_SIZE}`);
    db.exec('VACUUM');
    io.out(`compacted the database from ${before} to ${db.pragma('page_count', { simple: true }) as number} pages of ${pageSize(db)} bytes`);
  } catch (e) {
    // The free pages are reused by later writes either way; only the file's size waits.
    io.out(`the file keeps its free space for now (${(e as Error).message}): run migrate again while the wiki is stopped to give it back`);
  } finally {
    if (resize) db.pragma('journal_mode = WAL');
  }
  if (size !== PAGE_SIZE && !resize) {
    io.out(`the database keeps its pages of ${size} bytes while another process has it open: stop the wiki and run migrate again to rewrite them as ${PAGE_SIZE}`);
  }
}

/** Leave WAL mode for the rollback journal, as a page size change needs; false when another connection holds the file. */
function leaveWal(db: Db): boolean {
  try {
    return String(db.pragma('journal_mode = DELETE', { simple: true })).toLowerCase() === 'delete';
  } catch (e) {
    if (isBusy(e)) return false;
    throw e;
  }
}
