import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores, type Stores } from '../../server/db/stores.js';
import { DumpStore } from '../../server/db/dump.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';

// Export and import through these reads are tested end to end in test/cli/exportImport.test.ts.
function save(s: Stores, title: string, source: string, actor: Actor | 'temporary', o: { minor?: boolean; tags?: string[]; at?: string } = {}) {
  const t = parseTitle(title);
  return saveEdit(s, { title: t, source, comment: `saving ${source}`, baseId: s.pages.byTitle(t)?.latestId ?? null, actor, timestamp: o.at, ...o }).revision;
}

/** Alpha (3 revisions), Beta (1), Gone (2, deleted). */
function setup() {
  const db = openDatabase(':memory:');
  migrate(db);
  const s = createStores(db);
  const alice = s.actors.create('Alice', 'user');
  const alpha = [
    save(s, 'Alpha', 'one', alice, { at: '2024-01-01T00:00:00.000Z' }),
    save(s, 'Alpha', 'two', 'temporary', { minor: true, tags: ['zeta-tag', 'alpha-tag'], at: '2024-01-02T00:00:00.000Z' }),
    save(s, 'Alpha', 'three', alice, { at: '2024-01-03T00:00:00.000Z' }),
  ];
  const beta = save(s, 'Beta', 'b', alice);
  save(s, 'Gone', 'g1', alice);
  save(s, 'Gone', 'g2', alice);
  deletePage(s, s.actors.system(), parseTitle('Gone'), '');
  return { s, dump: new DumpStore(db), alice, alpha, beta };
}

describe('DumpStore', () => {
  it('counts live pages, every stored revision, and the revisions of live pages', () => {
    const { dump } = setup();
    expect(dump.counts()).toEqual({ pages: 2, revisions: 6, liveRevisions: 4 });
  });

  it('lists live pages in id order, in batches after an id', () => {
    const { dump, alpha, beta } = setup();
    const all = dump.pagesAfter(0, 10);
    expect(all).toEqual([
      { id: alpha[2]!.pageId, title: 'Alpha', latestId: alpha[2]!.id, latestContentId: alpha[2]!.contentId, revisions: 3 },
      { id: beta.pageId, title: 'Beta', latestId: beta.id, latestContentId: beta.contentId, revisions: 1 },
    ]);
    expect(dump.pagesAfter(0, 1).map((p) => p.title)).toEqual(['Alpha']);
    expect(dump.pagesAfter(alpha[0]!.pageId, 10).map((p) => p.title)).toEqual(['Beta']);
    expect(dump.pagesAfter(beta.pageId, 10)).toEqual([]);
  });

  it('reads a page\'s revisions oldest first, with author, flags and sorted tags', () => {
    const { dump, alpha } = setup();
    const revs = dump.revisionsOfPage(alpha[0]!.pageId, 0, 10);
    expect(revs.map((r) => r.id)).toEqual(alpha.map((r) => r.id));
    expect(revs[0]).toEqual({
      id: alpha[0]!.id, parentId: null, author: 'Alice', authorKind: 'user', contentId: alpha[0]!.contentId,
      comment: 'saving one', minor: false, sha1: alpha[0]!.sha1, timestamp: '2024-01-01T00:00:00.000Z', tags: expect.any(Array),
    });
    expect(revs[1]).toMatchObject({ parentId: alpha[0]!.id, authorKind: 'temp', minor: true });
    expect(revs[1]!.author).toMatch(/^~\d{4}-\d+$/);
    expect(revs[1]!.tags).toEqual(expect.arrayContaining(['alpha-tag', 'zeta-tag']));
    expect(revs[1]!.tags).toEqual([...revs[1]!.tags].sort());
    expect(dump.revisionsOfPage(alpha[0]!.pageId, alpha[0]!.id, 1).map((r) => r.id)).toEqual([alpha[1]!.id]);
  });

  it('gives the history keys (timestamp and sha1) of a page, oldest first', () => {
    const { dump, alpha } = setup();
    expect(dump.historyKeys(alpha[0]!.pageId)).toEqual(alpha.map((r) => ({ timestamp: r.timestamp, sha1: r.sha1 })));
    expect(dump.historyKeys(999)).toEqual([]);
  });
});
