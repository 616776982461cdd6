/** Watching a page watches its talk page and the reverse, also a talk page made later. */
import { describe, expect, it } from 'vitest';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import { setWatched, watchlistChanges } from '../../server/wiki/watchlist.js';
import { parseTitle } from '../../server/wiki/title.js';

describe('watching pairs', () => {
  it('watches the talk page with the page, and stops watching both together', () => {
    const { wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice' });
    createPage(wiki, { title: 'Mesh', source: 'x' });
    createPage(wiki, { title: 'Talk:Mesh', source: 'topic' });
    const id = (t: string) => wiki.stores.pages.byTitle(parseTitle(t))!.id;
    setWatched(wiki.stores, alice, parseTitle('Talk:Mesh'), true);
    expect(wiki.stores.watchlist.has(alice.id, id('Mesh'))).toBe(true);
    expect(wiki.stores.watchlist.has(alice.id, id('Talk:Mesh'))).toBe(true);
    setWatched(wiki.stores, alice, parseTitle('Mesh'), false);
    expect(wiki.stores.watchlist.has(alice.id, id('Talk:Mesh'))).toBe(false);
  });

  it('puts a talk page made later on the watchlists of those who watch its page: its first thread shows', () => {
    const { wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice' });
    const bob = createUser(wiki, { name: 'Bob' });
    const carol = createUser(wiki, { name: 'Carol' });
    createPage(wiki, { title: 'Mesh', source: 'x' });
    setWatched(wiki.stores, alice, parseTitle('Mesh'), true);
    createPage(wiki, { title: 'Talk:Mesh', source: '## A question\n\nWhy? ' });
    const rows = watchlistChanges(wiki.stores, alice, { limit: 10 }).rows;
    expect(rows.map((r) => r.page.title.text)).toContain('Talk:Mesh');
    expect(watchlistChanges(wiki.stores, bob, { limit: 10 }).rows).toEqual([]);
    expect(watchlistChanges(wiki.stores, carol, { limit: 10 }).rows).toEqual([]);
  });
});
