/**
 * `wiki export DIR [--with-password-hashes]`: one .md file per page with its latest source, and
 * history.json with every revision of every page and what else the wiki needs to move (accounts
 * with roles, protections, blocks, the public log, watchlists; password hashes only with the flag),
 * written from one read snapshot so it is consistent while the server runs.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { openDatabase, closeDatabase, type Db } from '../db/connection.js';
import { ContentStore } from '../db/content.js';
import { DumpStore } from '../db/dump.js';
import { SiteDump } from '../db/siteDump.js';
import { commandArgs, requireDatabase } from './args.js';
import { FileNamer } from './fileNames.js';
import { HISTORY_FILE, HistoryWriter } from './historyFile.js';
import { CliError, type CliIo } from './io.js';
import { progress } from './progress.js';

const USAGE = 'export DIR [--with-password-hashes]';
const PAGE_BATCH = 500;
/** Revisions read per query; each text is read, written and dropped one at a time. */
const REVISION_BATCH = 100;

/** @throws CliError when DIR is a file or a folder with something in it (exit 2); nothing is written then. */
export function exportCommand(config: Config, args: string[], io: CliIo): number {
  const { values, flags } = commandArgs(args, USAGE, ['DIR'], ['with-password-hashes']);
  const dir = resolve(values[0]!);
  requireDatabase(config.dbFile);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`${dir} is a file; give a folder to export into (a new one is created).`);
    if (readdirSync(dir).length > 0) throw new CliError(`${dir} is not empty; export into a new or empty folder so no old file is mistaken for part of this export.`);
  }
  const db = openDatabase(config.dbFile);
  try {
    mkdirSync(dir, { recursive: true });
    let done;
    try {
      // One deferred transaction: every read sees the same snapshot, and WAL lets the server write meanwhile.
      done = db.transaction(() => writeExport(db, dir, io, flags['with-password-hashes']))();
    } catch (e) {
      throw new Error(`${(e as Error).message}\nThe export in ${dir} is incomplete: delete that folder, then run export again.`);
    }
    io.out(
      `exported ${done.pages} pages (and ${done.deleted} deleted), ${done.revisions} revisions and ${done.site} other records (accounts, protections, blocks, log, watchlists${flags['with-password-hashes'] ? ', with password hashes' : ''}) ` +
        `to ${dir} (${statSync(join(dir, HISTORY_FILE)).size} bytes of ${HISTORY_FILE})`,
    );
    return 0;
  } finally {
    closeDatabase(db);
  }
}

function writeExport(db: Db, dir: string, io: CliIo, withPasswordHashes: boolean): { pages: number; deleted: number; revisions: number; site: number } {
  const dump = new DumpStore(db);
  const content = new ContentStore(db);
  const counts = dump.counts();
  const deleted = dump.deletedCounts();
  // Small next to the texts: read whole, so the header can give their count.
  const site = [...new SiteDump(db).records(withPasswordHashes)];
  const writer = new HistoryWriter(join(dir, HISTORY_FILE), {
    exportedAt: new Date().toISOString(), pageCount: counts.pages + deleted.pages, revisionCount: counts.liveRevisions + deleted.revisions, siteCount: site.length,
  });
  const namer = new FileNamer();
  const pageBar = progress(io, 'export pages', counts.pages, 'pages');
  for (const page of allPages(dump)) {
    const file = namer.name(page.title);
    writeFileSync(inside(dir, file), content.read(page.latestContentId), { flag: 'wx' });
    writer.page({ title: page.title, file, revisions: page.revisions });
    pageBar.tick();
  }
  // Deleted pages as deleted: listed without a file, their revisions named by their key.
  for (const page of allDeletedPages(dump)) {
    writer.page({ title: page.title, file: '', revisions: page.revisions, deleted: { key: page.key, at: page.deletedAt, by: page.by, reason: page.reason } });
  }
  pageBar.done();
  const revisionBar = progress(io, 'export history', counts.liveRevisions + deleted.revisions, 'revisions');
  let revisions = 0;
  const pages = [...allPages(dump)].map((p) => ({ id: p.id, name: p.title }));
  for (const page of [...pages, ...[...allDeletedPages(dump)].map((p) => ({ id: p.id, name: p.key }))]) {
    for (let after = 0; ; ) {
      const batch = dump.revisionsOfPage(page.id, after, REVISION_BATCH);
      if (batch.length === 0) break;
      after = batch.at(-1)!.id;
      for (const r of batch) {
        writer.revision({
          page: page.name, id: r.id, parent: r.parentId, author: r.author, authorKind: r.authorKind, timestamp: r.timestamp,
          comment: r.comment, minor: r.minor, sha1: r.sha1, tags: r.tags, source: content.read(r.contentId),
        });
      }
      revisions += batch.length;
      revisionBar.tick(batch.length);
    }
  }
  revisionBar.done();
  for (const record of site) writer.site(record);
  writer.close();
  return { pages: counts.pages, deleted: deleted.pages, revisions, site: site.length };
}

/** Every row a batched reader gives, in id order: `read(afterId, limit)` is one batch. */
function* batched<T extends { id: number }>(read: (afterId: number, limit: number) => T[]): Generator<T> {
  for (let after = 0; ; ) {
    const batch = read(after, PAGE_BATCH);
    if (batch.length === 0) return;
    after = batch.at(-1)!.id;
    yield* batch;
  }
}

const allPages = (dump: DumpStore) => batched((after, limit) => dump.pagesAfter(after, limit));
const allDeletedPages = (dump: DumpStore) => batched((after, limit) => dump.deletedPagesAfter(after, limit));

/** The path of `file` in `dir`; file names are built not to escape it, and this makes sure. */
function inside(dir: string, file: string): string {
  const path = resolve(dir, file);
  if (dirname(path) !== dir) throw new Error(`file name "${file}" would leave the export folder`);
  return path;
}
