import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores, type Stores } from '../../server/db/stores.js';
import { changeBetween, changeSize, rowCounts, type LinkSet } from '../../server/db/links.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

function stores(): Stores {
  const db = openDatabase(':memory:');
  migrate(db);
  return createStores(db);
}

/** A page with no links of its own; returns its id and its revision's. */
function page(s: Stores, title: string): { pageId: number; revisionId: number } {
  const r = saveEdit(s, { title: parseTitle(title), source: 'plain text', baseId: null, actor: s.actors.system() });
  return { pageId: r.page.id, revisionId: r.revision.id };
}

const set = (links: string[], categories: string[] = []): LinkSet => ({ links, categories });
const rows = (s: Stores, pageId: number) => ({
  links: s.db.prepare('SELECT to_title FROM link WHERE from_page = ? ORDER BY to_title').pluck().all(pageId),
  categories: s.db.prepare('SELECT category FROM category_link WHERE page_id = ? ORDER BY category').pluck().all(pageId),
});

describe('changeBetween', () => {
  it.each([
    { name: 'nothing to nothing', have: set([]), want: set([]), change: { addLinks: [], removeLinks: [], addCategories: [], removeCategories: [] } },
    { name: 'all new', have: set([]), want: set(['B', 'A'], ['C']), change: { addLinks: ['B', 'A'], removeLinks: [], addCategories: ['C'], removeCategories: [] } },
    { name: 'all gone', have: set(['A'], ['C']), want: set([]), change: { addLinks: [], removeLinks: ['A'], addCategories: [], removeCategories: ['C'] } },
    { name: 'unchanged', have: set(['A', 'B'], ['C']), want: set(['B', 'A'], ['C']), change: { addLinks: [], removeLinks: [], addCategories: [], removeCategories: [] } },
    { name: 'some of each', have: set(['A', 'B'], ['X']), want: set(['B', 'C'], ['Y']), change: { addLinks: ['C'], removeLinks: ['A'], addCategories: ['Y'], removeCategories: ['X'] } },
    { name: 'repeats count once', have: set(['A', 'A']), want: set(['B', 'B', 'A']), change: { addLinks: ['B'], removeLinks: [], addCategories: [], removeCategories: [] } },
    { name: 'links and categories are separate tables', have: set(['A']), want: set([], ['A']), change: { addLinks: [], removeLinks: ['A'], addCategories: ['A'], removeCategories: [] } },
    { name: 'case matters', have: set(['a']), want: set(['A']), change: { addLinks: ['A'], removeLinks: ['a'], addCategories: [], removeCategories: [] } },
  ])('$name', ({ have, want, change }) => {
    expect(changeBetween(have, want)).toEqual(change);
  });

  it('counts the rows a change writes', () => {
    expect(changeSize(changeBetween(set(['A', 'B'], ['X']), set(['C'], ['Y', 'Z'])))).toBe(6);
    expect(changeSize(changeBetween(set(['A']), set(['A'])))).toBe(0);
  });
});

describe('rowCounts', () => {
  it.each([
    { name: 'empty', s: set([]), counts: { links: 0, categories: 0 } },
    { name: 'distinct', s: set(['A', 'B'], ['C']), counts: { links: 2, categories: 1 } },
    { name: 'repeats once', s: set(['A', 'A', 'B'], ['C', 'C']), counts: { links: 2, categories: 1 } },
  ])('$name', ({ s, counts }) => {
    expect(rowCounts(s)).toEqual(counts);
  });
});

describe('LinkStore', () => {
  it('works out a change against the stored rows, applies it, and counts what is stored', () => {
    const s = stores();
    const { pageId } = page(s, 'P');
    s.links.apply(pageId, changeBetween(set([]), set(['A', 'B'], ['Old'])));
    expect(rows(s, pageId)).toEqual({ links: ['A', 'B'], categories: ['Old'] });
    const change = s.links.changeTo(pageId, ['B', 'C', 'C'], ['New']);
    expect(change).toEqual({ addLinks: ['C'], removeLinks: ['A'], addCategories: ['New'], removeCategories: ['Old'] });
    expect(rows(s, pageId)).toEqual({ links: ['A', 'B'], categories: ['Old'] }); // changeTo writes nothing
    s.links.apply(pageId, change);
    expect(rows(s, pageId)).toEqual({ links: ['B', 'C'], categories: ['New'] });
    expect(s.links.counts(pageId)).toEqual(rowCounts(set(['B', 'C', 'C'], ['New'])));
  });

  it('replaces in one call, leaving other pages alone', () => {
    const s = stores();
    const a = page(s, 'A').pageId;
    const b = page(s, 'B').pageId;
    s.links.replace(b, ['Keep'], ['Cat']);
    s.links.replace(a, ['X', 'Y'], []);
    s.links.replace(a, ['Y'], ['Z']);
    expect(rows(s, a)).toEqual({ links: ['Y'], categories: ['Z'] });
    expect(rows(s, b)).toEqual({ links: ['Keep'], categories: ['Cat'] });
  });

  it('applying the same additions twice is harmless', () => {
    const s = stores();
    const { pageId } = page(s, 'P');
    const change = s.links.changeTo(pageId, ['A'], ['C']);
    s.links.apply(pageId, change);
    s.links.apply(pageId, change);
    expect(s.links.counts(pageId)).toEqual({ links: 1, categories: 1 });
  });

  it('lists and counts the pages linking to a title, by title, leaving deleted pages out', () => {
    const s = stores();
    const [z, a, gone] = [page(s, 'Zeta'), page(s, 'Alpha'), page(s, 'Gone')];
    for (const p of [z, a, gone]) s.links.replace(p.pageId, ['Target'], []);
    s.db.prepare('UPDATE page SET latest_id = NULL WHERE id = ?').run(gone.pageId);
    expect(s.links.pagesLinkingTo('Target').map((p) => p.title)).toEqual(['Alpha', 'Zeta']);
    expect(s.links.pagesLinkingTo('Target', 1)).toEqual([{ id: a.pageId, title: 'Alpha' }]);
    expect(s.links.countLinkingTo('Target')).toBe(3); // counted straight from the rows
    expect(s.links.pagesLinkingTo('Nothing')).toEqual([]);
  });

  it('clear forgets the rows and the pending mark of a deleted page', () => {
    const s = stores();
    const p = page(s, 'P');
    s.links.replace(p.pageId, ['A'], ['C']);
    s.links.markPending(p.pageId, p.revisionId);
    s.links.clear(p.pageId);
    expect(s.links.counts(p.pageId)).toEqual({ links: 0, categories: 0 });
    expect(s.links.pendingFor(p.pageId)).toBeUndefined();
  });
});

describe('pending marks', () => {
  it('keeps one mark per page, the newest save taking it over', () => {
    const s = stores();
    const p = page(s, 'P');
    const newer = saveEdit(s, { title: parseTitle('P'), source: 'more text', baseId: p.revisionId, actor: s.actors.system() }).revision.id;
    expect(s.links.pendingFor(p.pageId)).toBeUndefined();
    s.links.markPending(p.pageId, p.revisionId);
    expect(s.links.pendingFor(p.pageId)).toBe(p.revisionId);
    s.links.markPending(p.pageId, newer);
    expect(s.links.allPending()).toEqual([{ pageId: p.pageId, revisionId: newer }]);
  });

  it('clearPending leaves a newer save\'s mark alone; dropPending removes any', () => {
    const s = stores();
    const p = page(s, 'P');
    const newer = saveEdit(s, { title: parseTitle('P'), source: 'more text', baseId: p.revisionId, actor: s.actors.system() }).revision.id;
    s.links.markPending(p.pageId, newer);
    s.links.clearPending(p.pageId, p.revisionId);
    expect(s.links.pendingFor(p.pageId)).toBe(newer);
    s.links.clearPending(p.pageId, newer);
    expect(s.links.pendingFor(p.pageId)).toBeUndefined();
    s.links.markPending(p.pageId, newer);
    s.links.dropPending(p.pageId);
    expect(s.links.allPending()).toEqual([]);
  });

  it('lists every page still pending', () => {
    const s = stores();
    const [a, b] = [page(s, 'A'), page(s, 'B')];
    s.links.markPending(a.pageId, a.revisionId);
    s.links.markPending(b.pageId, b.revisionId);
    expect(s.links.allPending().sort((x, y) => x.pageId - y.pageId)).toEqual([a, b]);
  });

  it('refuses a mark naming a revision that does not exist', () => {
    const s = stores();
    const p = page(s, 'P');
    expect(() => s.links.markPending(p.pageId, p.revisionId + 100)).toThrow(/FOREIGN KEY/);
    expect(s.links.allPending()).toEqual([]);
  });
});

describe('link rows by target id (migration 0021)', () => {
  it('keeps a linked title once, however many pages link to it, and forgets it with its last link', () => {
    const s = stores();
    const pages = ['One', 'Two', 'Three'].map((t) => page(s, t));
    for (const p of pages) s.links.replace(p.pageId, ['A rather long title of a page nobody wrote yet', 'Two'], []);
    const titles = () => s.db.prepare('SELECT title, links FROM link_target ORDER BY title').all();
    expect(titles()).toEqual([
      { title: 'A rather long title of a page nobody wrote yet', links: 3 },
      { title: 'One', links: 0 },
      { title: 'Three', links: 0 },
      { title: 'Two', links: 3 },
    ]);
    // The link rows themselves are two integers: no title is stored again.
    expect(s.db.prepare('SELECT DISTINCT typeof(from_page) || typeof(target_id) FROM page_link').pluck().all()).toEqual(['integerinteger']);
    expect(s.db.prepare('SELECT count(*) FROM page_link').pluck().get()).toBe(6);
    // Read back by title both ways, through the `link` view.
    expect(rows(s, pages[0]!.pageId).links).toEqual(['A rather long title of a page nobody wrote yet', 'Two']);
    expect(s.links.countLinkingTo('Two')).toBe(3);
    expect(s.links.pagesLinkingTo('Two').map((p) => p.title)).toEqual(['One', 'Three', 'Two']);
    // The wanted title goes when its last link does; a live page's row stays.
    for (const p of pages) s.links.replace(p.pageId, [], []);
    expect(titles()).toEqual([
      { title: 'One', links: 0 },
      { title: 'Three', links: 0 },
      { title: 'Two', links: 0 },
    ]);
    expect(s.db.prepare('SELECT count(*) FROM page_link').pluck().get()).toBe(0);
  });
});
