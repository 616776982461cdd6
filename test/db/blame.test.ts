import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

// The domain side (who wrote which line) is test/wiki/blame.test.ts; this is the stored form.
function withRevision() {
  const db = openDatabase(':memory:');
  migrate(db);
  const s = createStores(db);
  const rev = saveEdit(s, { title: parseTitle('P'), source: 'x', baseId: null, actor: s.actors.system() }).revision.id;
  return { s, rev, runs: () => db.prepare('SELECT runs FROM blame_cache WHERE revision_id = ?').pluck().get(rev) };
}

describe('BlameStore', () => {
  it.each([
    { name: 'no lines', runs: [] as number[] },
    { name: 'one author', runs: [4, 3] },
    { name: 'several authors', runs: [1, 2, 2, 3, 3, 1] },
    { name: 'ids past every varint width', runs: [127, 1, 128, 300, 16_383, 16_384, 2_097_151, 2_097_152, 2 ** 40, 1, 0, 5] },
  ])('stores $name as runs, as given, and reads them back', ({ runs }) => {
    const { s, rev, runs: stored } = withRevision();
    s.blame.put(rev, 1, runs);
    expect(Buffer.isBuffer(stored())).toBe(true);
    expect(s.blame.runs(rev, 1)).toEqual(runs);
    expect(s.blame.runs(rev, 2)).toBeUndefined();
  });

  it('stores runs in under half the bytes of their JSON, and still reads rows stored as JSON', () => {
    const { s, rev, runs: stored } = withRevision();
    const runs = [3415, 1, 165, 1, 4294, 2, 165, 2, 3672, 1, 165, 1, 4907, 1, 581, 1, 4116, 2, 3319, 1, 1351, 1, 165, 7];
    s.blame.put(rev, 1, runs);
    expect((stored() as Buffer).length).toBeLessThan(JSON.stringify(runs).length * 0.5);
    s.db.prepare('UPDATE blame_cache SET runs = ? WHERE revision_id = ?').run(JSON.stringify(runs), rev);
    expect(s.blame.runs(rev, 1)).toEqual(runs);
    expect(s.blame.ancestry(rev, 1, 1)[0]!.runs).toEqual(runs);
    expect(() => s.blame.put(rev, 1, [1, -2])).toThrow(/not a count or revision id/);
  });

  it('keys by revision and algorithm version: another version is not computed yet', () => {
    const { s, rev } = withRevision();
    s.blame.put(rev, 1, [1, 1]);
    expect(s.blame.runs(rev, 1)).toEqual([1, 1]);
    expect(s.blame.has(rev, 1)).toBe(true);
    expect(s.blame.runs(rev, 2)).toBeUndefined();
    expect(s.blame.has(rev, 2)).toBe(false);
    expect(s.blame.runs(rev + 1, 1)).toBeUndefined();
  });

  it('replaces what a version stored before', () => {
    const { s, rev } = withRevision();
    s.blame.put(rev, 1, [1, 2]);
    s.blame.put(rev, 1, [2, 1]);
    expect(s.blame.runs(rev, 1)).toEqual([2, 1]);
  });

  it('refuses a revision that does not exist', () => {
    const { s, rev } = withRevision();
    expect(() => s.blame.put(rev + 100, 1, [1, 1])).toThrow(/FOREIGN KEY/);
  });
});

describe('BlameStore: copies, pending marks and the backfill\'s reads', () => {
  function withHistory() {
    const db = openDatabase(':memory:');
    migrate(db);
    const s = createStores(db);
    const actor = s.actors.create('Writer', 'user');
    const ids: number[] = [];
    for (const source of ['a', 'a\nb', 'a\nb\nc']) {
      ids.push(saveEdit(s, { title: parseTitle('P'), source, baseId: ids.at(-1) ?? null, actor }).revision.id);
    }
    const other = saveEdit(s, { title: parseTitle('Q'), source: 'q', baseId: null, actor }).revision.id;
    return { db, s, ids, other };
  }

  it('copies one revision\'s authorship to another, and says when there is none to copy', () => {
    const { s, ids } = withHistory();
    s.blame.put(ids[0]!, 7, [5, 1, 6, 1]);
    expect(s.blame.copy(ids[0]!, ids[2]!, 7)).toBe(true);
    expect(s.blame.runs(ids[2]!, 7)).toEqual([5, 1, 6, 1]);
    expect(s.blame.copy(ids[1]!, ids[2]!, 8)).toBe(false);
  });

  it('keeps pending marks once each, oldest first, until cleared', () => {
    const { s, ids } = withHistory();
    s.blame.markPending(ids[2]!);
    s.blame.markPending(ids[0]!);
    s.blame.markPending(ids[2]!);
    expect(s.blame.allPending()).toEqual([ids[0], ids[2]]);
    s.blame.clearPending(ids[0]!);
    expect(s.blame.allPending()).toEqual([ids[2]]);
  });

  it('reads a revision\'s ancestry with its stored authorship, newest first, as deep as asked', () => {
    const { db, s, ids } = withHistory();
    db.prepare('DELETE FROM blame_cache WHERE revision_id = ?').run(ids[1]);
    expect(s.blame.ancestry(ids[2]!, 2, 1).map((r) => [r.id, r.runs])).toEqual([[ids[2], [ids[0], 1, ids[1], 1, ids[2], 1]], [ids[1], undefined]]);
    expect(s.blame.ancestry(ids[2]!, 5, 1).map((r) => r.id)).toEqual([...ids].reverse());
  });

  it('lists live pages in slices with whether their latest authorship is stored', () => {
    const { db, s, ids, other } = withHistory();
    db.prepare('DELETE FROM blame_cache WHERE revision_id = ?').run(other);
    const first = s.blame.latestAfter(0, 1, 1);
    expect(first).toEqual([{ pageId: expect.any(Number), revisionId: ids[2], stored: true }]);
    expect(s.blame.latestAfter(first[0]!.pageId, 10, 1)).toEqual([{ pageId: expect.any(Number), revisionId: other, stored: false }]);
  });

  it('names the writer of many revisions in one statement, skipping unknown ids', () => {
    const { s, ids } = withHistory();
    expect([...s.blame.writerNames([ids[0]!, ids[2]!, 9999])]).toEqual([[ids[0], 'Writer'], [ids[2], 'Writer']]);
  });
});
