/** SearchStore.search: title matches first, then bm25; the work bounded for common words. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { SearchStore } from '../../server/db/search.js';

/** An index of `titled` pages with "harbour" in the title and `bodies` with it only in the text. */
function index(titled: number, bodies: number, budget?: number) {
  const db = new Database(':memory:');
  migrate(db);
  const search = new SearchStore(db, budget);
  // Hits are named by their page's title.
  const page = db.prepare("INSERT INTO page (id, title, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')");
  const put = (id: number, title: string, body: string) => {
    page.run(id, title);
    search.put(id, title, body);
  };
  let id = 0;
  for (let i = 0; i < bodies; i++) {
    id += 1;
    // Page n says harbour n times in a text of fixed length: higher ids rank higher by bm25.
    put(id, `Body page ${id}`, `${'harbour '.repeat(1 + (i % 9))}${'filler '.repeat(40)}`);
  }
  for (let i = 0; i < titled; i++) {
    id += 1;
    put(id, `Harbour ${id}`, `${'harbour '.repeat(1 + (i % 5))}${'filler '.repeat(60 - i)}`);
  }
  return search;
}

const titles = (search: SearchStore, limit: number, offset: number) => search.search('"harbour"', limit, offset).map((h) => h.title);

describe('search tiers', () => {
  it('lists title matches before body matches, in one order whichever tier answered', () => {
    const search = index(30, 15);
    const all = titles(search, 100, 0);
    expect(all).toHaveLength(45);
    expect(all.slice(0, 30).every((t) => t.startsWith('Harbour'))).toBe(true);
    expect(all.slice(30).every((t) => t.startsWith('Body page'))).toBe(true);
    // Page by page: the first answered from the title tier alone, the second from both.
    const pages = [titles(search, 20, 0), titles(search, 20, 20), titles(search, 20, 40)];
    expect(pages.flat()).toEqual(all);
  });

  it('ranks at most the budget of body matches: exact below it, the first ones by page above it', () => {
    const exact = index(0, 90);
    const best = titles(exact, 5, 0);
    // Pages saying harbour nine times rank first, wherever they are.
    expect(best.every((t) => Number(t.split(' ').at(-1)) % 9 === 0)).toBe(true);
    expect(best.some((t) => Number(t.split(' ').at(-1)) > 30)).toBe(true);
    // With a budget of 30, only the first 30 pages are ranked.
    const bounded = titles(index(0, 90, 30), 5, 0);
    expect(bounded.every((t) => Number(t.split(' ').at(-1)) <= 30)).toBe(true);
    expect(bounded).toHaveLength(5);
  });

  it('still finds every title match when body matches are past the budget', () => {
    const search = index(3, 200, 20);
    const first = titles(search, 10, 0);
    expect(first.slice(0, 3).every((t) => t.startsWith('Harbour'))).toBe(true);
    expect(first).toHaveLength(10);
  });
});

describe('title_index: the titles, in step with search_index', () => {
  const count = (db: Database.Database) => db.prepare('SELECT count(*) FROM title_index').pluck().get() as number;
  const titleHits = (db: Database.Database, word: string) =>
    db.prepare('SELECT rowid FROM title_index WHERE title_index MATCH ? ORDER BY rowid').pluck().all(`"${word}"`) as number[];

  it('follows puts, renames, deletions and a page cut back to nothing', () => {
    const db = new Database(':memory:');
    migrate(db);
    const search = new SearchStore(db);
    search.put(1, 'Harbour master', 'boats');
    search.put(2, 'Lighthouse', 'harbour lights');
    expect(titleHits(db, 'harbour')).toEqual([1]);
    // Renamed (a move indexes the page again under its new title).
    search.put(1, 'Port authority', 'boats');
    expect(titleHits(db, 'harbour')).toEqual([]);
    expect(titleHits(db, 'port')).toEqual([1]);
    search.delete(2);
    expect(titleHits(db, 'lighthouse')).toEqual([]);
    expect(count(db)).toBe(1);
    // The last chunk taken out is chunk 0: the title goes with it.
    expect(search.dropLastChunkFrom(1, 0)).toBe(true);
    expect(count(db)).toBe(0);
  });

  it('is filled from the search index when migration 0023 runs on an older database', () => {
    const db = new Database(':memory:');
    const all = loadMigrations();
    migrate(db, all.filter((m) => m.id < 23));
    db.exec(`INSERT INTO page (id, title, created_at) VALUES (1, 'Harbour', 't'), (2, 'Lighthouse', 't'), (3, 'Unindexed harbour', 't');
      INSERT INTO search_index (rowid, title, body) VALUES (1, 'Harbour', 'boats'), (2, 'Lighthouse', 'harbour'), (${2 ** 40 + 1}, 'Harbour', 'second chunk');`);
    migrate(db, all);
    expect(titleHits(db, 'harbour')).toEqual([1]);
    expect(count(db)).toBe(2);
  });
});
