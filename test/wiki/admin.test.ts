import { describe, expect, it } from 'vitest';
import { createUser, makeTestApp } from '../helpers/app.js';
import { blockTarget, deletePage, movePage, protectPage, undeletePage, unblock } from '../../server/wiki/admin.js';
import { lookupKeys, parseAddress } from '../../server/wiki/address.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Wiki } from '../../server/bootstrap.js';

const T = parseTitle;
const NOW = '2030-06-01T00:00:00.000Z';
const LATER = '2030-07-01T00:00:00.000Z';

/** A wiki with an admin, a user "Bob", and "Target" (two revisions) linking to Other and in Category:Things. */
function setup() {
  const { wiki } = makeTestApp();
  const s = wiki.stores;
  const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
  const bob = createUser(wiki, { name: 'Bob' });
  const r1 = saveEdit(s, { title: T('Target'), source: 'First.', baseId: null, actor: bob });
  const r2 = saveEdit(s, { title: T('Target'), source: 'See [[Other]] about aardvarks. [[Category:Things]]', baseId: r1.revision.id, actor: bob });
  return { wiki, s, admin, bob, page: r2.page, latestId: r2.revision.id };
}

const linksOf = (wiki: Wiki, pageId: number) => wiki.db.prepare('SELECT to_title FROM link WHERE from_page = ? ORDER BY to_title').pluck().all(pageId);
const categoriesOf = (wiki: Wiki, pageId: number) => wiki.db.prepare('SELECT category FROM category_link WHERE page_id = ?').pluck().all(pageId);
const found = (wiki: Wiki, word: string) => wiki.stores.search.search(`"${word}"`, 10, 0).map((h) => h.title);
const log = (wiki: Wiki) => wiki.stores.log.list({ limit: 50 });
const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('protectPage', () => {
  it.each([
    { name: 'semi, for good', level: 'semi' as const, expiry: null, details: { level: 'semi', expiry: 'infinite' } },
    { name: 'full, until a time', level: 'full' as const, expiry: LATER, details: { level: 'full', expiry: LATER } },
  ])('protects $name and logs it', ({ level, expiry, details }) => {
    const c = setup();
    protectPage(c.s, c.admin, T('Target'), level, expiry, 'edit war');
    expect(c.s.protection.get(c.page.id, NOW)).toEqual({ level, expiry, reason: 'edit war' });
    expect(log(c.wiki)).toMatchObject([{ type: 'protect', action: 'protect', target: 'Target', reason: 'edit war', details, actor: { id: c.admin.id } }]);
  });

  it('lifts protection with level none, logged as unprotect', () => {
    const c = setup();
    protectPage(c.s, c.admin, T('Target'), 'full', null, 'war');
    protectPage(c.s, c.admin, T('Target'), 'none', null, 'calm');
    expect(c.s.protection.get(c.page.id, NOW)).toBeUndefined();
    expect(log(c.wiki).map((e) => [e.action, e.details])).toEqual([['unprotect', {}], ['protect', { level: 'full', expiry: 'infinite' }]]);
  });

  it('replaces a protection rather than adding a second one', () => {
    const c = setup();
    protectPage(c.s, c.admin, T('Target'), 'full', null, 'first');
    protectPage(c.s, c.admin, T('Target'), 'semi', LATER, 'second');
    expect(c.s.protection.get(c.page.id, NOW)).toEqual({ level: 'semi', expiry: LATER, reason: 'second' });
  });

  it('stops holding once its expiry has passed', () => {
    const c = setup();
    protectPage(c.s, c.admin, T('Target'), 'full', LATER, '');
    expect(c.s.protection.get(c.page.id, NOW)?.level).toBe('full');
    expect(c.s.protection.get(c.page.id, '2030-07-01T00:00:00.001Z')).toBeUndefined();
  });

  it('refuses a page that does not exist, and logs nothing', () => {
    const c = setup();
    expect(errorOf(() => protectPage(c.s, c.admin, T('Nowhere'), 'full', null, ''))).toBe('not_found');
    expect(log(c.wiki)).toEqual([]);
  });
});

describe('blockTarget', () => {
  const at = (ip: string) => lookupKeys(parseAddress(ip)!);

  it('blocks an account by name, and only that account', () => {
    const c = setup();
    const other = createUser(c.wiki, { name: 'Carol' });
    const block = blockTarget(c.s, c.admin, '  Bob ', null, 'vandalism');
    expect(block).toMatchObject({ actorId: c.bob.id, ip: null, target: 'Bob', expiry: null, reason: 'vandalism', byActor: c.admin.id });
    expect(c.s.blocks.activeFor(c.bob.id, undefined, NOW)?.id).toBe(block.id);
    expect(c.s.blocks.activeFor(other.id, undefined, NOW)).toBeUndefined();
    expect(log(c.wiki)).toMatchObject([{ type: 'block', action: 'block', target: 'Bob', details: { id: block.id, expiry: 'infinite' } }]);
  });

  it.each([
    { name: 'an address', target: '10.0.0.5', stored: '10.0.0.5', hit: ['10.0.0.5', '::ffff:10.0.0.5'], miss: ['10.0.0.6'] },
    { name: 'an IPv4-mapped spelling, stored canonical', target: '::ffff:10.0.0.5', stored: '10.0.0.5', hit: ['10.0.0.5'], miss: ['10.0.0.4'] },
    { name: 'an IPv4 /24 range', target: '10.0.0.0/24', stored: '10.0.0.0/24', hit: ['10.0.0.0', '10.0.0.255', '::ffff:10.0.0.77'], miss: ['10.0.1.0', '9.255.255.255'] },
    { name: 'the widest IPv4 range, /16', target: '10.1.0.0/16', stored: '10.1.0.0/16', hit: ['10.1.255.255'], miss: ['10.2.0.0'] },
    { name: 'an IPv6 /48 range', target: '2001:db8::/48', stored: '2001:db8::/48', hit: ['2001:db8:0:ffff::1'], miss: ['2001:db8:1::1'] },
  ])('blocks $name', ({ target, stored, hit, miss }) => {
    const c = setup();
    const block = blockTarget(c.s, c.admin, target, null, '');
    expect(block).toMatchObject({ actorId: null, ip: stored, target: stored });
    for (const ip of hit) expect(c.s.blocks.activeFor(undefined, at(ip), NOW)?.id, ip).toBe(block.id);
    for (const ip of miss) expect(c.s.blocks.activeFor(undefined, at(ip), NOW), ip).toBeUndefined();
  });

  it('holds until its expiry and not after', () => {
    const c = setup();
    blockTarget(c.s, c.admin, 'Bob', LATER, 'a month');
    blockTarget(c.s, c.admin, '10.0.0.0/24', LATER, 'a month');
    expect(c.s.blocks.activeFor(c.bob.id, undefined, NOW)?.expiry).toBe(LATER);
    expect(c.s.blocks.activeFor(undefined, at('10.0.0.9'), NOW)?.expiry).toBe(LATER);
    expect(c.s.blocks.activeFor(c.bob.id, undefined, LATER)).toBeUndefined();
    expect(c.s.blocks.activeFor(undefined, at('10.0.0.9'), LATER)).toBeUndefined();
    expect(log(c.wiki)[0]!.details).toMatchObject({ expiry: LATER });
  });

  it.each([
    { name: 'empty target', target: '   ', code: 'invalid_input' },
    { name: 'unknown account', target: 'Nobody', code: 'not_found' },
    { name: 'yourself', target: 'Admin', code: 'invalid_input' },
    { name: 'IPv4 range wider than /16', target: '10.0.0.0/15', code: 'invalid_input' },
    { name: 'IPv6 range wider than /19', target: '2001:db8::/18', code: 'invalid_input' },
  ])('refuses $name and writes nothing', ({ target, code }) => {
    const c = setup();
    expect(errorOf(() => blockTarget(c.s, c.admin, target, null, ''))).toBe(code);
    expect(c.s.blocks.active(NOW, 10)).toEqual([]);
    expect(log(c.wiki)).toEqual([]);
  });
});

describe('unblock', () => {
  it('lifts the block and logs it; lifting it again is not found', () => {
    const c = setup();
    const block = blockTarget(c.s, c.admin, 'Bob', null, '');
    unblock(c.s, c.admin, block.id, 'served');
    expect(c.s.blocks.activeFor(c.bob.id, undefined, NOW)).toBeUndefined();
    expect(log(c.wiki)[0]).toMatchObject({ type: 'block', action: 'unblock', target: 'Bob', reason: 'served', details: { id: block.id } });
    expect(errorOf(() => unblock(c.s, c.admin, block.id))).toBe('not_found');
    expect(log(c.wiki)).toHaveLength(2);
  });

  it('lifts only the block named, not another on the same target', () => {
    const c = setup();
    const first = blockTarget(c.s, c.admin, '10.0.0.0/24', null, 'range');
    const second = blockTarget(c.s, c.admin, '10.0.0.5', null, 'address');
    unblock(c.s, c.admin, second.id);
    expect(c.s.blocks.activeFor(undefined, lookupKeys(parseAddress('10.0.0.5')!), NOW)?.id).toBe(first.id);
  });

  it('refuses an unknown block id', () => {
    const c = setup();
    expect(errorOf(() => unblock(c.s, c.admin, 9999))).toBe('not_found');
    expect(log(c.wiki)).toEqual([]);
  });
});

describe('deletePage and undeletePage', () => {
  it('frees the title and drops links, search entry and protection, keeping the revisions', () => {
    const c = setup();
    protectPage(c.s, c.admin, T('Target'), 'full', null, '');
    deletePage(c.s, c.admin, T('Target'), 'spam');
    expect(c.s.pages.byTitle(T('Target'))).toBeUndefined();
    expect(linksOf(c.wiki, c.page.id)).toEqual([]);
    expect(categoriesOf(c.wiki, c.page.id)).toEqual([]);
    expect(found(c.wiki, 'aardvarks')).toEqual([]);
    expect(c.s.protection.get(c.page.id, NOW)).toBeUndefined();
    expect(c.s.revisions.count(c.page.id)).toBe(2);
    expect(log(c.wiki)[0]).toMatchObject({ type: 'delete', action: 'delete', target: 'Target', reason: 'spam', details: { revisions: 2 } });
  });

  it('undeletes the same page with its history, links and search entry', () => {
    const c = setup();
    deletePage(c.s, c.admin, T('Target'), '');
    undeletePage(c.s, c.admin, T('Target'), 'mistake');
    const back = c.s.pages.byTitle(T('Target'))!;
    expect(back).toMatchObject({ id: c.page.id, latestId: c.latestId });
    expect(linksOf(c.wiki, c.page.id)).toEqual(['Other']);
    expect(categoriesOf(c.wiki, c.page.id)).toEqual(['Things']);
    expect(found(c.wiki, 'aardvarks')).toEqual(['Target']);
    expect(log(c.wiki)[0]).toMatchObject({ action: 'undelete', reason: 'mistake', details: { revisions: 2 } });
    // The deletion is used up: nothing is left to undelete.
    expect(errorOf(() => undeletePage(c.s, c.admin, T('Target'), ''))).toBe('not_found');
  });

  it('undeletes the most recent of two deleted pages of one title', () => {
    const c = setup();
    deletePage(c.s, c.admin, T('Target'), '');
    const newer = saveEdit(c.s, { title: T('Target'), source: 'Second life.', baseId: null, actor: c.bob });
    deletePage(c.s, c.admin, T('Target'), '');
    undeletePage(c.s, c.admin, T('Target'), '');
    expect(c.s.pages.byTitle(T('Target'))?.id).toBe(newer.page.id);
  });

  it.each([
    { name: 'delete of a missing page', code: 'not_found', act: (c: ReturnType<typeof setup>) => deletePage(c.s, c.admin, T('Nowhere'), '') },
    { name: 'undelete where nothing was deleted', code: 'not_found', act: (c: ReturnType<typeof setup>) => undeletePage(c.s, c.admin, T('Nowhere'), '') },
    { name: 'undelete onto a taken title', code: 'page_exists', act: (c: ReturnType<typeof setup>) => {
      deletePage(c.s, c.admin, T('Target'), '');
      saveEdit(c.s, { title: T('Target'), source: 'New page.', baseId: null, actor: c.bob });
      c.wiki.db.prepare('DELETE FROM log').run();
      undeletePage(c.s, c.admin, T('Target'), '');
    } },
  ])('refuses $name and logs nothing', ({ code, act }) => {
    const c = setup();
    expect(errorOf(() => act(c))).toBe(code);
    expect(log(c.wiki)).toEqual([]);
  });
});

describe('movePage', () => {
  it('moves the page and its history, leaving a redirect at the old title', () => {
    const c = setup();
    const moved = movePage(c.s, c.admin, T('Target'), T('Moved'), 'better name', true);
    expect(moved).toMatchObject({ id: c.page.id, latestId: c.latestId, title: T('Moved') });
    expect(c.s.pages.byTitle(T('Moved'))?.id).toBe(c.page.id);
    const redirect = c.s.pages.byTitle(T('Target'))!;
    expect(redirect.id).not.toBe(c.page.id);
    expect(redirect.isRedirect).toBe(true);
    const rev = c.s.revisions.byId(redirect.latestId)!;
    expect(c.s.content.get(rev.contentId)).toBe('#REDIRECT [[Moved]]');
    expect(rev.actor.id).toBe(c.admin.id);
    expect(linksOf(c.wiki, redirect.id)).toEqual(['Moved']);
    // The moved page keeps its rows, and is found under its new title.
    expect(linksOf(c.wiki, c.page.id)).toEqual(['Other']);
    expect(found(c.wiki, 'aardvarks')).toEqual(['Moved']);
    expect(log(c.wiki)[0]).toMatchObject({ type: 'move', target: 'Target', reason: 'better name', details: { to: 'Moved', redirect: true } });
  });

  it('leaves nothing at the old title when an admin asks for no redirect', () => {
    const c = setup();
    movePage(c.s, c.admin, T('Target'), T('Moved'), '', false);
    expect(c.s.pages.byTitle(T('Target'))).toBeUndefined();
    expect(c.s.pages.byTitle(T('Moved'))?.id).toBe(c.page.id);
    expect(log(c.wiki)[0]!.details).toEqual({ to: 'Moved', redirect: false });
  });

  it.each([
    { name: 'no redirect asked by a non-admin', code: 'forbidden', by: 'bob' as const, to: 'Moved', redirect: false },
    { name: 'the same title', code: 'invalid_input', by: 'admin' as const, to: 'Target', redirect: true },
    { name: 'a title that is taken', code: 'page_exists', by: 'admin' as const, to: 'Taken', redirect: true },
    { name: 'a missing page', code: 'not_found', by: 'admin' as const, from: 'Nowhere', to: 'Moved', redirect: true },
  ])('refuses $name and changes nothing', ({ code, by, from, to, redirect }) => {
    const c = setup();
    saveEdit(c.s, { title: T('Taken'), source: 'here', baseId: null, actor: c.bob });
    const before = c.s.pages.byTitle(T('Target'));
    expect(errorOf(() => movePage(c.s, c[by], T(from ?? 'Target'), T(to), '', redirect))).toBe(code);
    expect(c.s.pages.byTitle(T('Target'))).toEqual(before);
    expect(c.s.pages.byTitle(T('Moved'))).toBeUndefined();
    expect(log(c.wiki)).toEqual([]);
  });
});
