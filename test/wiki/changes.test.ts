import { describe, expect, it, vi } from 'vitest';
import { createUser, makeTestApp } from '../helpers/app.js';
import { recentChanges } from '../../server/wiki/changes.js';
import { deletePage, movePage } from '../../server/wiki/admin.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { ChangeFilter } from '../../server/db/revisions.js';

const T = parseTitle;

/**
 * Revisions, oldest first: apple1 (Alice, new), apple2 (Bob, minor), talk1 (Alice, Talk:),
 * gone1 (Bob, then the page is deleted), apple3 (Alice, blanking); one a day from 1 June 2030.
 */
function setup() {
  const { wiki } = makeTestApp();
  const s = wiki.stores;
  const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
  const alice = createUser(wiki, { name: 'Alice' });
  const bob = createUser(wiki, { name: 'Bob' });
  const day = (d: number) => `2030-06-0${d}T00:00:00.000Z`;
  const apple1 = saveEdit(s, { title: T('Apple'), source: 'Apples grow on trees, in orchards, all over the world.', baseId: null, actor: alice, timestamp: day(1) }).revision.id;
  const apple2 = saveEdit(s, { title: T('Apple'), source: 'Apples grow on trees, in orchards, all over the world!', baseId: apple1, actor: bob, minor: true, timestamp: day(2) }).revision.id;
  const talk1 = saveEdit(s, { title: T('Talk:Apple'), source: 'Talk about apples.', baseId: null, actor: alice, timestamp: day(3) }).revision.id;
  const gone1 = saveEdit(s, { title: T('Gone'), source: 'Soon gone.', baseId: null, actor: bob, timestamp: day(4) }).revision.id;
  deletePage(s, admin, T('Gone'), '');
  const apple3 = saveEdit(s, { title: T('Apple'), source: 'x', baseId: apple2, actor: alice, timestamp: day(5) }).revision.id;
  return { wiki, s, admin, alice, bob, ids: { apple1, apple2, talk1, gone1, apple3 }, day };
}
type Ctx = ReturnType<typeof setup>;
type Ids = Ctx['ids'];

const idsOf = (c: Ctx, f: ChangeFilter) => recentChanges(c.s, f).map((x) => x.revision.id);

describe('recentChanges', () => {
  it.each<{ name: string; filter: (c: Ctx) => ChangeFilter; want: (i: Ids) => number[] }>([
    { name: 'everything, newest first, without deleted pages', filter: () => ({ limit: 50 }), want: (i) => [i.apple3, i.talk1, i.apple2, i.apple1] },
    { name: 'limit', filter: () => ({ limit: 2 }), want: (i) => [i.apple3, i.talk1] },
    { name: 'before an id (the next page of results)', filter: (c) => ({ limit: 2, beforeId: c.ids.talk1 }), want: (i) => [i.apple2, i.apple1] },
    { name: 'by one account', filter: (c) => ({ limit: 50, actorId: c.bob.id }), want: (i) => [i.apple2] },
    { name: 'main namespace', filter: () => ({ limit: 50, namespace: '' }), want: (i) => [i.apple3, i.apple2, i.apple1] },
    { name: 'talk namespace', filter: () => ({ limit: 50, namespace: 'Talk' }), want: (i) => [i.talk1] },
    { name: 'minor edits hidden', filter: () => ({ limit: 50, hideMinor: true }), want: (i) => [i.apple3, i.talk1, i.apple1] },
    { name: 'since a time, inclusive', filter: (c) => ({ limit: 50, since: c.day(3) }), want: (i) => [i.apple3, i.talk1] },
    { name: 'by tag', filter: () => ({ limit: 50, tag: 'blanking' }), want: (i) => [i.apple3] },
    { name: 'latest revisions only', filter: () => ({ limit: 50, latestOnly: true }), want: (i) => [i.apple3, i.talk1] },
  ])('$name', ({ filter, want }) => {
    const c = setup();
    expect(idsOf(c, filter(c))).toEqual(want(c.ids));
  });

  it('pairs each revision with its page as it is now, reading each page once', () => {
    const c = setup();
    movePage(c.s, c.admin, T('Apple'), T('Apple tree'), '', false);
    const read = vi.spyOn(c.s.pages, 'byId');
    const changes = recentChanges(c.s, { limit: 50 });
    expect(changes.map((x) => [x.revision.id, x.page.title.text])).toEqual([
      [c.ids.apple3, 'Apple tree'], [c.ids.talk1, 'Talk:Apple'], [c.ids.apple2, 'Apple tree'], [c.ids.apple1, 'Apple tree'],
    ]);
    for (const x of changes) expect(x.page.id).toBe(x.revision.pageId);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
