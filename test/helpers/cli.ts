/** Helpers for CLI tests: temporary folders, a captured CliIo, and a small wiki with varied history on disk. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../server/cli/io.js';
import { openDatabase, closeDatabase, type Db } from '../../server/db/connection.js';
import { ContentStore } from '../../server/db/content.js';
import { DumpStore } from '../../server/db/dump.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores, type Stores } from '../../server/db/stores.js';
import { deletePage } from '../../server/wiki/admin.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';

const dirs: string[] = [];

/** A new temporary folder, removed by cleanupDirs(). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-cli-'));
  dirs.push(dir);
  return dir;
}

export function cleanupDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface Captured {
  cli: CliIo;
  out: string[];
  err: string[];
  /** Raw progress-bar output (only written when isTty). */
  status: string[];
}

export function capture(dbFile: string, o: { isTty?: boolean } = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  const cli: CliIo = {
    env: { WIKI_DB: dbFile },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => '',
    isTty: o.isTty ?? false,
    status: (t) => status.push(t),
  };
  return { cli, out, err, status };
}

/** Open the database file, migrated, run `fn` on its stores, close it. */
export function withWiki<T>(file: string, fn: (stores: Stores, db: Db) => T): T {
  const db = openDatabase(file);
  try {
    migrate(db);
    return fn(createStores(db), db);
  } finally {
    closeDatabase(db);
  }
}

/** Every live page's full history, comparable across databases (ids left out, texts included). */
export function snapshot(file: string) {
  return withWiki(file, (stores, db) => {
    const dump = new DumpStore(db);
    const content = new ContentStore(db);
    return dump.pagesAfter(0, 10_000).map((p) => {
      const page = stores.pages.byId(p.id)!;
      const revisions = dump.revisionsOfPage(p.id, 0, 10_000);
      return {
        title: p.title,
        isRedirect: page.isRedirect,
        createdAt: page.createdAt,
        revisions: revisions.map((r, i) => ({
          author: r.author, authorKind: r.authorKind, timestamp: r.timestamp, comment: r.comment, minor: r.minor,
          sha1: r.sha1, tags: r.tags, text: content.read(r.contentId),
          // Parents form a chain: each revision's parent is the one before it.
          parentIsPrevious: r.parentId === (i === 0 ? null : revisions[i - 1]!.id),
        })),
      };
    });
  });
}

export function count(file: string, sql: string): number {
  return withWiki(file, (_s, db) => db.prepare(sql).pluck().get() as number);
}

/**
 * A wiki with what an export has to get right: namespaces, subpages, titles differing only in case,
 * characters unsafe in file names, a redirect, a revert, minor edits, temporary accounts, links and
 * categories, and a deleted page (which is not exported).
 */
export function buildSampleWiki(file: string): void {
  withWiki(file, (stores) => {
    const alice = stores.actors.create('Alice', 'user', 'admin', 'scrypt$not-a-real-hash');
    const bob = stores.actors.create('Bob Smith', 'user');
    let minute = 0;
    const save = (title: string, source: string, actor: Actor | 'temporary', o: { comment?: string; minor?: boolean; tags?: string[] } = {}) => {
      const t = parseTitle(title);
      const page = stores.pages.byTitle(t);
      minute += 1;
      const timestamp = new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
      return saveEdit(stores, { title: t, source, baseId: page?.latestId ?? null, actor, timestamp, comment: o.comment ?? `edit ${minute}`, minor: o.minor, tags: o.tags });
    };
    save('Peer networks', 'Peers talk to peers. See [[Gossip protocols]].\n\n[[Category:Networks]]\n', alice, { comment: 'Start: über «quotes»' });
    save('Gossip protocols', 'Epidemic spreading of news between peers.\n', bob);
    save('Peer networks', 'Peers talk to peers directly. See [[Gossip protocols]].\n\n[[Category:Networks]]\n', 'temporary');
    save('Gossip protocols', 'Vandalism!\n', 'temporary');
    save('Gossip protocols', 'Epidemic spreading of news between peers.\n', alice, { comment: 'revert', tags: ['revert'] });
    save('Peer networks/History', 'Napster came first.\n', bob, { comment: 'subpage' });
    save('Talk:Peer networks', 'Should we merge this?\n', 'temporary');
    save('Peer Networks', 'A page whose title differs only in case.\n', bob);
    save('Peer networks', 'Peers talk to peers directly, with no server. See [[Gossip protocols]].\n\n[[Category:Networks]]\n', bob, { minor: true, comment: 'typo' });
    save('100% pure: a/b\\c?', 'Unsafe characters in the title.\n', alice);
    save('.hidden', 'Starts with a dot.\n', alice);
    save('Con', 'A Windows device name.\n', alice);
    save('P2P', '#REDIRECT [[Peer networks]]\n', alice);
    save('Category:Networks', 'Pages about networks.\n', alice);
    save('Spam', 'Buy now!\n', 'temporary');
    deletePage(stores, alice, parseTitle('Spam'), 'spam');
  });
}
