/**
 * `wiki check [--reindex]`: SQLite's integrity and foreign-key checks, every stored text against its
 * sha1, every revision against its text, and the search index; --reindex rebuilds the search index
 * and the link and category tables of every page.
 */
import type { Config } from '../config.js';
import { openDatabase, closeDatabase, type Db } from '../db/connection.js';
import { ContentStore } from '../db/content.js';
import { DumpStore } from '../db/dump.js';
import { IntegrityStore } from '../db/integrity.js';
import { migrate } from '../db/migrate.js';
import { createStores } from '../db/stores.js';
import { reindex } from '../wiki/admin.js';
import { commandArgs, requireDatabase } from './args.js';
import type { CliIo } from './io.js';
import { progress } from './progress.js';

const USAGE = 'check [--reindex]';
const BATCH = 500;
const REINDEX_BATCH = 100;
/** Problems of one kind listed one by one; past this, a count. */
const LIST = 20;

type Fix = 'restore' | 'reindex';
interface Problem {
  text: string;
  fix: Fix;
}

const ADVICE: Record<Fix, string> = {
  restore: 'Damaged data cannot be rebuilt from the rest: restore the database from a backup made before the damage (npm run wiki -- backup FILE makes one).',
  reindex: 'The search index and link tables are derived data: rebuild them with npm run wiki -- check --reindex',
};

export function checkCommand(config: Config, args: string[], io: CliIo): number {
  const { flags } = commandArgs(args, USAGE, [], ['reindex']);
  requireDatabase(config.dbFile);
  let db: Db | undefined;
  try {
    db = openDatabase(config.dbFile);
    const integrity = new IntegrityStore(db);
    const problems = [...sqliteProblems(integrity)];
    const sound = problems.length === 0;
    const checked = checkContent(db, integrity, io, problems);
    problems.push(...revisionProblems(integrity));
    let reindexed: number | undefined;
    if (flags.reindex && sound) reindexed = reindexAll(db, integrity, io);
    else if (flags.reindex) io.err('wiki: not reindexing: the database file itself is damaged, and rebuilding on top of it could spread the damage.');
    problems.push(...indexProblems(integrity));
    return report(config.dbFile, problems, { ...checked, reindexed }, io);
  } catch (e) {
    // SQLite gives up on a file too damaged to read through (SQLITE_CORRUPT, SQLITE_NOTADB).
    if ((e as Error).name !== 'SqliteError') throw e;
    io.err(`  database file: ${(e as Error).message}`);
    io.err(ADVICE.restore);
    io.out(`check: ${config.dbFile} cannot be read through`);
    return 1;
  } finally {
    try {
      if (db) closeDatabase(db);
    } catch {
      // The checkpoint of a damaged file can fail too; closeDatabase has closed it all the same.
    }
  }
}

function* sqliteProblems(integrity: IntegrityStore): Iterable<Problem> {
  for (const m of integrity.integrityCheck()) yield { text: `database file: ${m}`, fix: 'restore' };
  const fk = integrity.foreignKeyProblems();
  for (const r of fk.slice(0, LIST)) yield { text: `${r.table} row ${r.rowid ?? '?'} points at a missing ${r.parent} row`, fix: 'restore' };
  if (fk.length > LIST) yield { text: `and ${fk.length - LIST} more rows pointing at missing rows`, fix: 'restore' };
}

/** Hash every stored text in batches; name the revisions that a damaged text breaks. */
function checkContent(db: Db, integrity: IntegrityStore, io: CliIo, problems: Problem[]): { texts: number; pages: number; revisions: number } {
  const content = new ContentStore(db);
  const bar = progress(io, 'checking texts', content.count(), 'texts');
  const bad = [];
  let texts = 0;
  for (let after = 0; ; ) {
    const batch = content.verify(after, BATCH);
    if (batch.lastId === undefined) break;
    after = batch.lastId;
    texts += batch.checked;
    bad.push(...batch.bad);
    bar.tick(batch.checked);
  }
  bar.done();
  for (const c of bad.slice(0, LIST)) {
    const users = integrity.revisionsUsing([c.id], 5).map((r) => `${r.id}${r.title && !r.title.startsWith('#') ? ` of "${r.title}"` : ''}`);
    problems.push({ text: `stored text ${c.id}: ${c.problem}${users.length ? `; used by revision ${users.join(', ')}` : ''}`, fix: 'restore' });
  }
  if (bad.length > LIST) problems.push({ text: `and ${bad.length - LIST} more damaged texts`, fix: 'restore' });
  const { pages, revisions } = new DumpStore(db).counts();
  return { texts, pages, revisions };
}

function* revisionProblems(integrity: IntegrityStore): Iterable<Problem> {
  for (const r of integrity.revisionMismatches(LIST + 1).slice(0, LIST)) {
    yield { text: `revision ${r.id}${r.title ? ` of "${r.title}"` : ''}: its size ${r.size} is not its text's ${r.contentSize}`, fix: 'restore' };
  }
  for (const p of integrity.badLatestPointers(LIST)) {
    yield { text: `page "${p.title}" (id ${p.id}) points at a latest revision that is missing or another page's`, fix: 'restore' };
  }
}

function* indexProblems(integrity: IntegrityStore): Iterable<Problem> {
  const fts = integrity.searchIndexProblem();
  if (fts) yield { text: `search index: ${fts}`, fix: 'reindex' };
  const missing = integrity.missingFromSearch(3);
  if (missing.count > 0) {
    const some = missing.pages.map((p) => `"${p.title}"`).join(', ');
    yield { text: `${missing.count} pages are missing from the search index (${some}${missing.count > 3 ? ', ...' : ''})`, fix: 'reindex' };
  }
  const stale = integrity.staleIndexRows();
  if (stale.search + stale.links > 0) {
    yield { text: `${stale.search} search entries and ${stale.links} link rows belong to pages that no longer exist`, fix: 'reindex' };
  }
}

/** Rebuild links, categories and the search entry of every live page, a batch per transaction so the server can write in between. */
function reindexAll(db: Db, integrity: IntegrityStore, io: CliIo): number {
  migrate(db);
  const stores = createStores(db);
  const dump = new DumpStore(db);
  const bar = progress(io, 'reindexing', dump.counts().pages, 'pages');
  stores.transaction(() => integrity.clearStaleIndexRows());
  let done = 0;
  for (let after = 0; ; ) {
    const batch = dump.pagesAfter(after, REINDEX_BATCH);
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    stores.transaction(() => {
      for (const ref of batch) {
        const page = stores.pages.byId(ref.id);
        if (page) reindex(stores, page);
      }
    });
    done += batch.length;
    bar.tick(batch.length);
  }
  // The derived link counts follow from the rebuilt tables (triggers keep them, this repairs drift).
  stores.lists.rebuild();
  bar.done();
  return done;
}

function report(file: string, problems: Problem[], counts: { texts: number; pages: number; revisions: number; reindexed?: number }, io: CliIo): number {
  const what = `${counts.pages} pages, ${counts.revisions} revisions, ${counts.texts} stored texts${counts.reindexed !== undefined ? `, ${counts.reindexed} pages reindexed` : ''}`;
  if (problems.length === 0) {
    io.out(`check: ${file} is sound (${what})`);
    return 0;
  }
  for (const p of problems) io.err(`  ${p.text}`);
  for (const fix of new Set(problems.map((p) => p.fix))) io.err(ADVICE[fix]);
  io.out(`check: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file} (${what})`);
  return 1;
}
