import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { IntegrityStore } from '../../server/db/integrity.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

// `wiki check` over these, with its messages, is test/cli/check.test.ts; here each check alone.
function setup() {
  const db = openDatabase(':memory:');
  migrate(db);
  const s = createStores(db);
  const actor = s.actors.system();
  const a = saveEdit(s, { title: parseTitle('A'), source: 'alpha [[B]] [[Category:Letters]]', baseId: null, actor });
  const b = saveEdit(s, { title: parseTitle('B'), source: 'beta', baseId: null, actor });
  return { db, s, check: new IntegrityStore(db), a, b };
}

describe('IntegrityStore', () => {
  it('finds nothing wrong in a sound database', () => {
    const { check } = setup();
    expect(check.integrityCheck()).toEqual([]);
    expect(check.foreignKeyProblems()).toEqual([]);
    expect(check.searchIndexProblem()).toBeUndefined();
    expect(check.revisionMismatches(10)).toEqual([]);
    expect(check.badLatestPointers(10)).toEqual([]);
    expect(check.missingFromSearch(10)).toEqual({ count: 0, pages: [] });
    expect(check.staleIndexRows()).toEqual({ search: 0, links: 0 });
  });

  it('reports a revision whose recorded size differs from its content\'s', () => {
    const { db, check, a } = setup();
    db.prepare('UPDATE revision SET size = size + 1 WHERE id = ?').run(a.revision.id);
    const [m, ...rest] = check.revisionMismatches(10);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ id: a.revision.id, title: 'A', size: a.revision.size + 1, contentSize: a.revision.size });
  });

  it('says which revisions use given content ids', () => {
    const { check, a, b } = setup();
    expect(check.revisionsUsing([b.revision.contentId], 10)).toEqual([{ id: b.revision.id, title: 'B' }]);
    expect(check.revisionsUsing([a.revision.contentId, b.revision.contentId], 1)).toEqual([{ id: a.revision.id, title: 'A' }]);
    expect(check.revisionsUsing([], 10)).toEqual([]);
  });

  it('reports rows pointing at missing rows', () => {
    const { db, check, a } = setup();
    db.pragma('foreign_keys = OFF');
    db.prepare('UPDATE revision SET actor_id = 999 WHERE id = ?').run(a.revision.id);
    expect(check.foreignKeyProblems()).toEqual([expect.objectContaining({ table: 'revision', rowid: a.revision.id, parent: 'actor' })]);
  });

  it.each([
    { name: 'another page\'s revision', latest: (t: ReturnType<typeof setup>) => t.b.revision.id },
    { name: 'a missing revision', latest: () => 999 },
  ])('reports a latest pointer naming $name', ({ latest }) => {
    const t = setup();
    t.db.pragma('foreign_keys = OFF');
    t.db.prepare('UPDATE page SET latest_id = ? WHERE id = ?').run(latest(t), t.a.page.id);
    expect(t.check.badLatestPointers(10)).toEqual([{ id: t.a.page.id, title: 'A' }]);
  });

  it('counts live pages missing from search, listing up to the limit', () => {
    const { db, check, a, b } = setup();
    db.prepare('DELETE FROM search_index').run();
    expect(check.missingFromSearch(1)).toEqual({ count: 2, pages: [{ id: a.page.id, title: 'A' }] });
    expect(check.missingFromSearch(10).pages.map((p) => p.id)).toEqual([a.page.id, b.page.id]);
  });

  it('counts and clears link and category rows of pages that are gone, leaving live pages\' rows', () => {
    const { db, check, a, b } = setup();
    // Page B's rows as a deleted page would leave them, if deletion had not cleared them.
    db.prepare("INSERT INTO link (from_page, to_title) VALUES (?, 'Stale')").run(b.page.id);
    db.prepare("INSERT INTO category_link (page_id, category) VALUES (?, 'Stale')").run(b.page.id);
    db.prepare("UPDATE page SET title = '#deleted-B' WHERE id = ?").run(b.page.id);
    const links = () => db.prepare('SELECT count(*) FROM link').pluck().get();
    expect(check.staleIndexRows().links).toBe(2);
    expect(check.staleIndexRows().search).toBeGreaterThan(0); // its search entry too
    const titleRow = () => db.prepare('SELECT count(*) FROM title_index WHERE rowid = ?').pluck().get(b.page.id);
    expect(titleRow()).toBe(1);
    check.clearStaleIndexRows();
    expect(check.staleIndexRows()).toEqual({ search: 0, links: 0 });
    expect(titleRow()).toBe(0); // and its title
    expect(links()).toBe(1); // A → B stays
    expect(db.prepare('SELECT count(*) FROM category_link WHERE page_id = ?').pluck().get(a.page.id)).toBe(1);
    expect(check.missingFromSearch(10).count).toBe(0);
  });

  it('reports a damaged search index', () => {
    const { db, check } = setup();
    // Write behind FTS5's back into its index (unsafe mode lifts SQLite's defence of shadow tables).
    db.unsafeMode(true);
    db.prepare("UPDATE search_index_data SET block = x'00ff00ff00ff' WHERE id > 10").run();
    db.unsafeMode(false);
    expect(check.searchIndexProblem()).toMatch(/malformed|corrupt/i);
  });
});
