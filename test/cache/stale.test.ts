import { describe, expect, it } from 'vitest';
import { categoriesIn, pagePaths, staleUrls } from '../../server/cache/stale.js';
import { deletePage, movePage, protectPage, undeletePage, blockTarget } from '../../server/wiki/admin.js';
import { patrol } from '../../server/wiki/patrol.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor, ChangeEvent } from '../../server/wiki/types.js';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import type { Wiki } from '../../server/bootstrap.js';

/** A named change to make, and what to do first. */
interface Case {
  name: string;
  act: (wiki: Wiki, admin: Actor) => void;
  before?: (wiki: Wiki, admin: Actor) => void;
}

/** The stale URLs of every event `act` commits, worked out as the feed delivers each (as the purger does). */
function staleOf(wiki: Wiki, act: () => void, linkingCap?: number): { urls: Set<string>; skipped: number; types: string[] } {
  const urls = new Set<string>();
  const types: string[] = [];
  let skipped = 0;
  const off = wiki.stores.feed.subscribe((e) => {
    types.push(e.type);
    const s = staleUrls(wiki.stores, e, linkingCap);
    s.urls.forEach((u) => urls.add(u));
    skipped += s.skipped;
  });
  try {
    act();
  } finally {
    off();
  }
  return { urls, skipped, types };
}

function save(wiki: Wiki, title: string, source: string) {
  const t = parseTitle(title);
  return saveEdit(wiki.stores, { title: t, source, comment: '', baseId: wiki.stores.pages.byTitle(t)?.latestId ?? null, actor: wiki.stores.actors.system() });
}

/**
 * A wiki with a page in a category, a page linking to it, a redirect to it, and a page linking to
 * a missing title.
 */
function sampleWiki() {
  const { wiki } = makeTestApp();
  const admin = createUser(wiki, { role: 'admin' });
  const [first] = createPage(wiki, { title: 'Peer networks', source: 'Peers.\n\n[[Category:Networks]]\n' });
  createPage(wiki, { title: 'Gossip', source: 'See [[Peer networks]] and [[Missing page]].\n' });
  createPage(wiki, { title: 'P2P', source: '#REDIRECT [[Peer networks]]\n' });
  createPage(wiki, { title: 'Unrelated', source: 'Nothing here.\n' });
  return { wiki, admin, first: first! };
}

describe('staleUrls', () => {
  it('an edit: the page, its views, the previous revision, redirects to it; no linking pages, no unchanged category', () => {
    const { wiki, first } = sampleWiki();
    const { urls } = staleOf(wiki, () => save(wiki, 'Peer networks', 'Peers, edited.\n\n[[Category:Networks]]\n'));
    expect([...urls].sort()).toEqual([
      ...pagePaths('Peer networks'),
      `/wiki/Peer_networks?oldid=${first}`,
      '/wiki/P2P',
    ].sort());
  });

  it('an edit changing categories purges the categories joined and left', () => {
    const { wiki } = sampleWiki();
    const { urls } = staleOf(wiki, () => save(wiki, 'Peer networks', 'Peers.\n\n[[Category:Overlays]]\n'));
    expect(urls).toContain('/wiki/Category:Networks');
    expect(urls).toContain('/wiki/Category:Overlays');
  });

  it('creating a page turns links to it blue: the linking pages and its categories', () => {
    const { wiki } = sampleWiki();
    const { urls } = staleOf(wiki, () => save(wiki, 'Missing page', 'Now here. [[Category:New things]]\n'));
    expect(urls).toEqual(new Set([...pagePaths('Missing page'), '/wiki/Gossip', '/wiki/Category:New_things']));
  });

  it('creating a talk page turns its page\'s Talk tab blue: the pages with tabs', () => {
    const { wiki } = sampleWiki();
    save(wiki, 'User:Alice', 'Hello.\n');
    const { urls } = staleOf(wiki, () => save(wiki, 'User talk:Alice', 'Welcome!\n'));
    for (const u of ['/wiki/User:Alice', '/wiki/User:Alice?action=history', '/wiki/User:Alice?action=info']) expect(urls).toContain(u);
    expect(urls).not.toContain('/wiki/User:Alice?action=raw');
  });

  it('creating a Category page purges its members (their category box links to it)', () => {
    const { wiki } = sampleWiki();
    const { urls } = staleOf(wiki, () => save(wiki, 'Category:Networks', 'Pages about networks.\n'));
    expect(urls).toContain('/wiki/Peer_networks');
    expect(urls).not.toContain('/wiki/Unrelated');
  });

  it.each<Case>([
    { name: 'delete', act: (wiki, admin) => deletePage(wiki.stores, admin, parseTitle('Peer networks'), 'test') },
    {
      name: 'undelete',
      act: (wiki, admin) => undeletePage(wiki.stores, admin, parseTitle('Peer networks'), 'back'),
      before: (wiki, admin) => deletePage(wiki.stores, admin, parseTitle('Peer networks'), 'test'),
    },
  ])('$name: the page, pages linking to it, redirects to it (also as ?redirect=no) and its categories', ({ act, before }) => {
    const { wiki, admin } = sampleWiki();
    before?.(wiki, admin);
    const { urls } = staleOf(wiki, () => act(wiki, admin));
    expect(urls).toEqual(new Set([
      ...pagePaths('Peer networks'),
      '/wiki/Gossip',
      '/wiki/P2P',
      '/wiki/P2P?redirect=no',
      '/wiki/Category:Networks',
    ]));
  });

  it('a move: both titles, what links to either, redirects to the old one, and its categories', () => {
    const { wiki, admin } = sampleWiki();
    createPage(wiki, { title: 'Overlay', source: 'Wanted: [[Peer overlays]].\n' });
    const { urls, types } = staleOf(wiki, () => movePage(wiki.stores, admin, parseTitle('Peer networks'), parseTitle('Peer overlays'), 'rename', true));
    expect(types).toEqual(['save', 'move']);
    for (const u of [...pagePaths('Peer networks'), ...pagePaths('Peer overlays'), '/wiki/Gossip', '/wiki/Overlay', '/wiki/P2P', '/wiki/Category:Networks']) {
      expect(urls, u).toContain(u);
    }
    expect(urls).not.toContain('/wiki/Unrelated');
  });

  it('a protection purges the page itself only', () => {
    const { wiki, admin } = sampleWiki();
    const { urls } = staleOf(wiki, () => protectPage(wiki.stores, admin, parseTitle('Peer networks'), 'semi', null, 'vandalism'));
    expect(urls).toEqual(new Set(pagePaths('Peer networks')));
  });

  it.each<Case>([
    { name: 'block', act: (wiki, admin) => void blockTarget(wiki.stores, admin, '192.0.2.7', null, 'spam') },
    {
      name: 'patrol',
      act: (wiki, admin) => void patrol(wiki.stores, admin, wiki.stores.pages.byTitle(parseTitle('New user page'))!.latestId),
      before: (wiki) => void createPage(wiki, { title: 'New user page', actor: createUser(wiki) }),
    },
  ])('a $name changes nothing an anonymous reader sees: no URLs', ({ name, act, before }) => {
    const { wiki, admin } = sampleWiki();
    before?.(wiki, admin);
    const { urls, types } = staleOf(wiki, () => act(wiki, admin));
    expect(types).toEqual([name]);
    expect(urls.size).toBe(0);
  });

  it('an import purges the page, its redirects and its latest categories', () => {
    const { wiki } = sampleWiki();
    const page = wiki.stores.pages.byTitle(parseTitle('Peer networks'))!;
    const event: ChangeEvent = { type: 'import', pageId: page.id, title: page.title, revisionIds: [page.latestId], created: false, timestamp: '', actorId: 1, linkColours: [] };
    expect(new Set(staleUrls(wiki.stores, event).urls)).toEqual(new Set([...pagePaths('Peer networks'), '/wiki/P2P', '/wiki/Category:Networks']));
  });

  it('caps the linking pages of one event and says how many were left out', () => {
    const { wiki } = makeTestApp();
    for (let i = 0; i < 7; i++) createPage(wiki, { title: `Linker ${i}`, source: 'See [[Target]].\n' });
    const { urls, skipped } = staleOf(wiki, () => save(wiki, 'Target', 'Here.\n'), 5);
    expect([...urls].filter((u) => u.startsWith('/wiki/Linker_'))).toHaveLength(5);
    expect(skipped).toBeGreaterThan(0);
  });

  it('percent-encodes titles as the wiki links them', () => {
    const { wiki } = makeTestApp();
    const { urls } = staleOf(wiki, () => save(wiki, 'Café/Menü?', 'x'));
    expect(urls).toContain('/wiki/Caf%C3%A9/Men%C3%BC%3F');
  });
});

describe('categoriesIn', () => {
  it.each([
    { name: 'plain', text: '[[Category:Networks]]', want: ['Networks'] },
    { name: 'sort key', text: '[[Category:Networks|Peer]]', want: ['Networks'] },
    { name: 'case and spacing of the prefix, normalised name', text: '[[ category : peer_networks ]]', want: ['Peer networks'] },
    { name: 'several, repeated', text: '[[Category:A]] x [[Category:B]] [[Category:A]]', want: ['A', 'B'] },
    { name: 'a link to a category is not membership', text: '[[:Category:Networks]]', want: [] },
    { name: 'invalid name', text: '[[Category:<b>]] [[Category:]]', want: [] },
  ])('$name', ({ text, want }) => {
    expect([...categoriesIn(text)]).toEqual(want);
  });
});
