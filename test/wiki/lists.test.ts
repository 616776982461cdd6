import { describe, expect, it } from 'vitest';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import {
  allPages, categoryList, categoryMembers, categoryName, orphanedPages, pagesLinkingHere, randomPage, titlePrefix, wantedPages,
} from '../../server/wiki/lists.js';
import { sitemap, sitemapFile } from '../../server/wiki/sitemap.js';
import { isWatched, setWatched, watchlistChanges } from '../../server/wiki/watchlist.js';
import { deletePage } from '../../server/wiki/admin.js';
import { NotFoundError, WikiError } from '../../server/wiki/errors.js';
import { parseTitle } from '../../server/wiki/title.js';

describe('titlePrefix and categoryName', () => {
  it.each([
    { name: 'lower-case first letter', raw: 'peer', want: 'Peer' },
    { name: 'underscores and spaces', raw: '  peer_net ', want: 'Peer net' },
    { name: 'a namespace', raw: 'talk:peer', want: 'Talk:Peer' },
    { name: 'a namespace alone', raw: 'talk:', want: 'Talk:' },
    { name: 'empty', raw: '   ', want: '' },
    { name: 'characters no title has', raw: 'a[b', want: 'a[b' },
  ])('titlePrefix: $name', ({ raw, want }) => {
    expect(titlePrefix(raw)).toBe(want);
  });

  it('categoryName upper-cases the first letter and keeps colons as part of the name', () => {
    expect(categoryName('peer networks')).toBe('Peer networks');
    expect(categoryName('help:x')).toBe('Help:x');
  });
});

describe('allPages paging', () => {
  function wiki26() {
    const { wiki } = makeTestApp();
    for (const c of 'ABCDEFGHIJ') createPage(wiki, { title: `${c} page` });
    return wiki;
  }

  it('gives keyset cursors for the next and previous pages', () => {
    const wiki = wiki26();
    const first = allPages(wiki.stores, { prefix: '', from: '', offset: 0, limit: 4 });
    expect(first.items.map((p) => p.title.text)).toEqual(['A page', 'B page', 'C page', 'D page']);
    expect(first.prev).toBeUndefined();
    expect(first.next).toEqual({ from: 'E page' });
    const second = allPages(wiki.stores, { prefix: '', from: 'E page', offset: 0, limit: 4 });
    expect(second.items.map((p) => p.title.text)).toEqual(['E page', 'F page', 'G page', 'H page']);
    expect(second.prev).toEqual({ from: '' });
    const third = allPages(wiki.stores, { prefix: '', from: 'I page', offset: 0, limit: 4 });
    expect(third.items.map((p) => p.title.text)).toEqual(['I page', 'J page']);
    expect(third.next).toBeUndefined();
    expect(third.prev).toEqual({ from: 'E page' });
    // Fewer than a page before: back to the start.
    expect(allPages(wiki.stores, { prefix: '', from: 'C page', offset: 0, limit: 4 }).prev).toEqual({ from: '' });
  });

  it('pages back by offset when an offset was given', () => {
    const wiki = wiki26();
    const p = allPages(wiki.stores, { prefix: '', from: 'B page', offset: 2, limit: 4 });
    expect(p.items[0]!.title.text).toBe('D page');
    expect(p.prev).toEqual({ from: 'B page', offset: 0 });
  });

  it('keeps to the prefix', () => {
    const wiki = wiki26();
    createPage(wiki, { title: 'Help:A page' });
    expect(allPages(wiki.stores, { prefix: 'Help:', from: '', offset: 0, limit: 10 }).items.map((p) => p.title.text)).toEqual(['Help:A page']);
    expect(allPages(wiki.stores, { prefix: 'Zzz', from: '', offset: 0, limit: 10 }).items).toEqual([]);
  });
});

describe('link lists', () => {
  it('wanted pages count each linking page once, most linked first, and drop a title once it exists', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'One', source: '[[Often]] [[Often]] [[Rare]]' });
    createPage(wiki, { title: 'Two', source: '[[Often]]' });
    expect(wantedPages(wiki.stores, 10, 0).map((w) => [w.title.text, w.links])).toEqual([['Often', 2], ['Rare', 1]]);
    createPage(wiki, { title: 'Often' });
    expect(wantedPages(wiki.stores, 10, 0).map((w) => w.title.text)).toEqual(['Rare']);
  });

  it('a deleted page that is still linked becomes wanted again; its own links go', () => {
    const { wiki } = makeTestApp();
    const admin = createUser(wiki, { role: 'admin' });
    createPage(wiki, { title: 'Linker', source: '[[Target]]' });
    createPage(wiki, { title: 'Target', source: '[[Elsewhere]]' });
    expect(wantedPages(wiki.stores, 10, 0).map((w) => w.title.text)).toEqual(['Elsewhere']);
    deletePage(wiki.stores, admin, parseTitle('Target'), 'spam');
    expect(wantedPages(wiki.stores, 10, 0).map((w) => w.title.text)).toEqual(['Target']);
  });

  it('orphaned pages are articles nothing links to; redirects and other namespaces are left out', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'Lonely' });
    createPage(wiki, { title: 'Linked' });
    createPage(wiki, { title: 'Help:Lonely help' });
    createPage(wiki, { title: 'Redirect', source: '#REDIRECT [[Linked]]' });
    expect(orphanedPages(wiki.stores, 10, 0).map((p) => p.title.text)).toEqual(['Lonely']);
  });

  it('what links here lists live linking pages for a title that may not exist', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'B', source: '[[Nowhere]]' });
    createPage(wiki, { title: 'A', source: '[[nowhere]]' });
    expect(pagesLinkingHere(wiki.stores, parseTitle('Nowhere'), 10, 0).map((p) => p.title.text)).toEqual(['B', 'A']);
    expect(pagesLinkingHere(wiki.stores, parseTitle('Nowhere'), 1, 1).map((p) => p.title.text)).toEqual(['A']);
  });

  it('random page prefers articles and falls back to any page', () => {
    const { wiki } = makeTestApp();
    expect(randomPage(wiki.stores)).toBeUndefined();
    createPage(wiki, { title: 'Help:Only help' });
    expect(randomPage(wiki.stores)?.text).toBe('Help:Only help');
    createPage(wiki, { title: 'Article' });
    for (let i = 0; i < 5; i++) expect(randomPage(wiki.stores, () => i / 5)?.text).toBe('Article');
  });
});

describe('categories', () => {
  it('lists categories with member counts and whether their page exists, with keyset paging', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'P1', source: '[[Category:Alpha]] [[Category:Beta]]' });
    createPage(wiki, { title: 'P2', source: '[[Category:Alpha]]' });
    createPage(wiki, { title: 'P3', source: '[[Category:Gamma]]' });
    createPage(wiki, { title: 'Category:Alpha', source: 'About alpha.' });
    const first = categoryList(wiki.stores, '', 2);
    expect(first.items.map((c) => [c.title.text, c.members, c.exists])).toEqual([['Category:Alpha', 2, true], ['Category:Beta', 1, false]]);
    expect(first.next).toEqual({ from: 'Gamma' });
    const second = categoryList(wiki.stores, 'Gamma', 2);
    expect(second.items.map((c) => c.title.name)).toEqual(['Gamma']);
    expect(second.prev).toEqual({ from: '' });
  });

  it('lists members in title order with paging', () => {
    const { wiki } = makeTestApp();
    for (const t of ['Zeta', 'Alpha', 'Mu', 'Beta']) createPage(wiki, { title: t, source: '[[Category:Letters]]' });
    const cat = parseTitle('Category:Letters');
    const first = categoryMembers(wiki.stores, cat, '', 3);
    expect(first.total).toBe(4);
    expect(first.items.map((p) => p.title.text)).toEqual(['Alpha', 'Beta', 'Mu']);
    expect(first.next).toEqual({ from: 'Zeta' });
    const second = categoryMembers(wiki.stores, cat, 'Zeta', 3);
    expect(second.items.map((p) => p.title.text)).toEqual(['Zeta']);
    expect(second.prev).toEqual({ from: '' });
    expect(categoryMembers(wiki.stores, cat, 'Mu', 1).prev).toEqual({ from: 'Beta' });
  });
});

describe('sitemap', () => {
  it('is one URL set while page ids fit one file, and an index of non-empty id ranges above', () => {
    const { wiki } = makeTestApp();
    for (let i = 1; i <= 7; i++) createPage(wiki, { title: `Page ${i}` });
    createPage(wiki, { title: 'Redirect', source: '#REDIRECT [[Page 1]]' });
    const one = sitemap(wiki.stores, 10);
    expect(one.kind === 'urls' && one.urls.map((u) => u.title.text)).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 4', 'Page 5', 'Page 6', 'Page 7']);
    const index = sitemap(wiki.stores, 3);
    // Ids 1-3, 4-6, 7-8 (8 is the redirect, left out).
    expect(index).toEqual({ kind: 'index', files: [1, 2, 3] });
    expect(sitemapFile(wiki.stores, 3, 3)!.map((u) => u.title.text)).toEqual(['Page 7']);
    expect(sitemapFile(wiki.stores, 4, 3)).toBeUndefined();
    expect(sitemapFile(wiki.stores, 1, 10)).toBeUndefined();
    const all = [1, 2, 3].flatMap((n) => sitemapFile(wiki.stores, n, 3)!.map((u) => u.title.text));
    expect(all).toHaveLength(7);
  });
});

describe('watchlist', () => {
  it('refuses temporary accounts and anonymous readers, and missing pages', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'Page' });
    const temp = wiki.stores.actors.createTemporary();
    for (const who of [undefined, temp]) {
      expect(() => setWatched(wiki.stores, who, parseTitle('Page'), true)).toThrow(WikiError);
    }
    expect(wiki.db.prepare('SELECT count(*) FROM watchlist').pluck().get()).toBe(0);
    const user = createUser(wiki);
    expect(() => setWatched(wiki.stores, user, parseTitle('No such page'), true)).toThrow(NotFoundError);
  });

  it('watches, unwatches and lists changes with a cursor', () => {
    const { wiki } = makeTestApp();
    const user = createUser(wiki);
    const ids = createPage(wiki, { title: 'Page', revisions: 3 });
    const page = setWatched(wiki.stores, user, parseTitle('Page'), true);
    expect(isWatched(wiki.stores, user, page.id)).toBe(true);
    const first = watchlistChanges(wiki.stores, user, { limit: 2 });
    expect(first.rows.map((r) => r.revision.id)).toEqual([ids[2], ids[1]]);
    expect(first.olderThan).toBe(ids[1]);
    expect(first.watching).toBe(1);
    const next = watchlistChanges(wiki.stores, user, { limit: 2, beforeId: first.olderThan });
    expect(next.rows.map((r) => r.revision.id)).toEqual([ids[0]]);
    expect(next.olderThan).toBeUndefined();
    setWatched(wiki.stores, user, parseTitle('Page'), false);
    expect(isWatched(wiki.stores, user, page.id)).toBe(false);
  });
});
