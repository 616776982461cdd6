import { describe, expect, it } from 'vitest';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import { openDatabase } from '../../server/db/connection.js';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { LIST_SQL } from '../../server/db/lists.js';
import { WATCHLIST_SQL } from '../../server/db/watchlist.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage, movePage, undeletePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Db } from '../../server/db/connection.js';

type Row = { title: string; links: number; live: number };

function linkTargets(db: Db): Row[] {
  return db.prepare('SELECT title, links, live FROM link_target ORDER BY title').all() as Row[];
}

/** What link_target must hold, computed from scratch. */
function expectedTargets(db: Db): Row[] {
  return db.prepare(`
    WITH linked AS (SELECT to_title AS title, count(*) AS links FROM link GROUP BY to_title),
         live AS (SELECT title FROM page WHERE latest_id IS NOT NULL AND title NOT LIKE '#%')
    SELECT title, links, title IN (SELECT title FROM live) AS live FROM linked
    UNION ALL SELECT title, 0, 1 FROM live WHERE title NOT IN (SELECT title FROM linked)
    ORDER BY title`).all() as Row[];
}

function memberTitles(db: Db): { ok: number }[] {
  return db.prepare('SELECT c.title IS p.title AS ok FROM category_link c JOIN page p ON p.id = c.page_id').all() as { ok: number }[];
}

describe('link_target and category sort keys (migration 0005 triggers)', () => {
  it('stay equal to a recomputation through saves, moves, deletions and undeletions', () => {
    const { wiki } = makeTestApp();
    const admin = createUser(wiki, { role: 'admin' });
    const s = wiki.stores;
    const check = () => {
      expect(linkTargets(wiki.db)).toEqual(expectedTargets(wiki.db));
      expect(memberTitles(wiki.db).every((r) => r.ok === 1)).toBe(true);
    };
    const [a] = createPage(wiki, { title: 'Alpha', source: '[[Beta]] [[Gamma]] [[Alpha]]\n\n[[Category:Greek]]' });
    check();
    createPage(wiki, { title: 'Beta', source: '[[Gamma]]\n\n[[Category:Greek]]' });
    check();
    saveEdit(s, { title: parseTitle('Alpha'), source: '[[Delta]]', baseId: a!, actor: admin });
    check();
    movePage(s, admin, parseTitle('Beta'), parseTitle('Beta two'), 'rename', true);
    check();
    movePage(s, admin, parseTitle('Beta two'), parseTitle('Beta three'), 'again', false);
    check();
    deletePage(s, admin, parseTitle('Beta three'), 'gone');
    check();
    undeletePage(s, admin, parseTitle('Beta three'), 'back');
    check();
    createPage(wiki, { title: 'Gamma', source: 'Now it exists.' });
    check();
    expect(wiki.db.prepare("SELECT title FROM category_link WHERE category = 'Greek'").pluck().all()).toEqual(['Beta three']);
  });

  it('are filled from existing data when the migration runs on an older database', () => {
    const db = openDatabase(':memory:');
    const all = loadMigrations();
    migrate(db, all.filter((m) => m.id < 5));
    db.exec(`INSERT INTO actor (id, name, kind, created_at) VALUES (1, 'A', 'user', 't');
      INSERT INTO content (id, sha1, size, encoding, data) VALUES (1, 's', 1, 'raw', x'41');
      INSERT INTO page (id, title, created_at) VALUES (1, 'Old', 't'), (2, 'Other', 't');
      INSERT INTO revision (id, page_id, actor_id, content_id, size, sha1, timestamp) VALUES (1, 1, 1, 1, 1, 's', 't'), (2, 2, 1, 1, 1, 's', 't');
      UPDATE page SET latest_id = id;
      INSERT INTO link (from_page, to_title) VALUES (1, 'Missing'), (2, 'Missing'), (2, 'Old');
      INSERT INTO category_link (page_id, category) VALUES (2, 'Things');`);
    migrate(db, all);
    expect(linkTargets(db)).toEqual([
      { title: 'Missing', links: 2, live: 0 },
      { title: 'Old', links: 1, live: 1 },
      { title: 'Other', links: 0, live: 1 },
    ]);
    expect(db.prepare('SELECT title FROM category_link').pluck().all()).toEqual(['Other']);
    const stores = createStores(db);
    expect(stores.lists.wanted(10, 0)).toEqual([{ title: 'Missing', links: 2 }]);
    expect(stores.lists.orphans(10, 0).map((p) => p.title)).toEqual(['Other']);
    db.close();
  });

  it('rebuild() recomputes them from link, category_link and page', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'One', source: '[[Two]] [[Three]]\n\n[[Category:Numbers]]' });
    createPage(wiki, { title: 'Two', source: 'x' });
    const before = linkTargets(wiki.db);
    // Counts and flags gone wrong, a stray row, and a live page's row lost (link rows name their
    // targets by id: a linked title's row is recounted in place, never dropped).
    wiki.db.exec(`UPDATE link_target SET links = links + 7, live = 1 - live;
      INSERT INTO link_target (title, links, live) VALUES ('Stray', 0, 0);
      DELETE FROM link_target WHERE title = 'One';
      UPDATE category_link SET title = 'wrong'`);
    expect(linkTargets(wiki.db)).not.toEqual(before);
    wiki.stores.lists.rebuild();
    expect(linkTargets(wiki.db)).toEqual(before);
    expect(memberTitles(wiki.db).every((r) => r.ok === 1)).toBe(true);
  });
});

describe('query plans', () => {
  // Each list walks an index: no full scan of a table, and no sort of everything it matched.
  // The watchlist is the one exception to the sort rule: it sorts the watched pages' revisions.
  const statements = Object.entries({ ...LIST_SQL, ...WATCHLIST_SQL });

  it.each(statements)('%s uses an index', (name, sql) => {
    const { wiki } = makeTestApp();
    const params: Record<string, unknown> = {};
    for (const m of sql.matchAll(/@(\w+)/g)) params[m[1]!] = 1;
    const plan = (wiki.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
    // Every step reads through an index (a SCAN only along one), and at least one seeks or reads one:
    // a plan of whole-table scans fails here rather than passing with nothing checked.
    expect(plan.filter((step) => step.startsWith('SCAN') && !/USING (COVERING )?INDEX/.test(step)), `${name}: ${plan.join(' | ')}`).toEqual([]);
    expect(plan.some((step) => step.startsWith('SEARCH') || /USING (COVERING )?INDEX/.test(step)), `${name}: ${plan.join(' | ')}`).toBe(true);
    if (name !== 'changes') expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE/);
  });
});

describe('ListStore', () => {
  it('picks a random page with one seek from a random id, wrapping round, skipping redirects', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'First' });
    createPage(wiki, { title: 'Second' });
    createPage(wiki, { title: 'Moved', source: '#REDIRECT [[First]]' });
    const lists = wiki.stores.lists;
    expect(lists.random('', () => 0)?.title).toBe('First');
    expect(lists.random('', () => 0.5)?.title).toBe('Second');
    // id 3 is the redirect; the search wraps round to the first page.
    expect(lists.random('', () => 0.99)?.title).toBe('First');
    expect(lists.random('Help', () => 0.5)).toBeUndefined();
  });

  it('answers undefined for a random page of an empty wiki', () => {
    const { wiki } = makeTestApp();
    expect(wiki.stores.lists.random(null)).toBeUndefined();
  });

  it('lists all pages by prefix, from a title, with an offset', () => {
    const { wiki } = makeTestApp();
    for (const t of ['Apple', 'Apricot', 'Banana', 'Help:Apple', 'Avocado']) createPage(wiki, { title: t });
    const l = wiki.stores.lists;
    expect(l.allPages({ prefix: 'A', from: '', limit: 10, offset: 0 }).map((p) => p.title)).toEqual(['Apple', 'Apricot', 'Avocado']);
    expect(l.allPages({ prefix: 'A', from: 'Apr', limit: 10, offset: 0 }).map((p) => p.title)).toEqual(['Apricot', 'Avocado']);
    expect(l.allPages({ prefix: '', from: '', limit: 2, offset: 1 }).map((p) => p.title)).toEqual(['Apricot', 'Avocado']);
    expect(l.allPagesBefore({ prefix: '', before: 'Banana', limit: 2 }).map((p) => p.title)).toEqual(['Avocado', 'Apricot']);
  });
});

describe('WatchlistStore', () => {
  it('adds once, removes, counts, and lists changes of watched live pages newest first', () => {
    const { wiki } = makeTestApp();
    const u = createUser(wiki);
    const w = wiki.stores.watchlist;
    const a = createPage(wiki, { title: 'Watched', revisions: 3 });
    const b = createPage(wiki, { title: 'Also watched', revisions: 2 });
    createPage(wiki, { title: 'Not watched', revisions: 2 });
    const pa = wiki.stores.pages.byTitle(parseTitle('Watched'))!;
    const pb = wiki.stores.pages.byTitle(parseTitle('Also watched'))!;
    w.add(u.id, pa.id, 't');
    w.add(u.id, pa.id, 't');
    w.add(u.id, pb.id, 't');
    expect(w.count(u.id)).toBe(2);
    expect(w.has(u.id, pa.id)).toBe(true);
    expect(w.changes(u.id, { limit: 10 })).toEqual([...b].reverse().concat([...a].reverse()));
    expect(w.changes(u.id, { limit: 2, beforeId: b[1]! })).toEqual([b[0]!, a[2]!]);
    w.remove(u.id, pb.id);
    w.remove(u.id, pb.id);
    expect(w.has(u.id, pb.id)).toBe(false);
    expect(w.changes(u.id, { limit: 10 })).toEqual([...a].reverse());
  });
});
