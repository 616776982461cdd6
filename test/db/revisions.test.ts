import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores, type Stores } from '../../server/db/stores.js';
import type { ChangeFilter } from '../../server/db/revisions.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';

function save(s: Stores, title: string, actor: Actor | 'temporary', source: string, o: { minor?: boolean; ip?: string; at: string; tags?: string[] }) {
  const t = parseTitle(title);
  return saveEdit(s, { title: t, source, baseId: s.pages.byTitle(t)?.latestId ?? null, actor, minor: o.minor, ip: o.ip, timestamp: o.at, tags: o.tags }).revision;
}

/**
 * A: a1 by Alice (2020), a2 minor by a temporary account from 192.0.2.1 (2021), a3 by Bob back to
 * a1's text (2023: a revert, so a2 is tagged reverted). Help:B: h1 by Alice (2022), h2 minor by Alice (2024).
 * Gone: one revision by Bob (2024), then deleted.
 */
function setup() {
  const db = openDatabase(':memory:');
  migrate(db);
  const s = createStores(db);
  const alice = s.actors.create('Alice', 'user');
  const bob = s.actors.create('Bob', 'user');
  const a1 = save(s, 'A', alice, 'first text\n', { at: '2020-01-01T00:00:00.000Z' });
  const a2 = save(s, 'A', 'temporary', 'first text\nspam\n', { minor: true, ip: '192.0.2.1', at: '2021-01-01T00:00:00.000Z' });
  const h1 = save(s, 'Help:B', alice, 'help\n', { at: '2022-01-01T00:00:00.000Z', tags: ['custom-tag'] });
  const a3 = save(s, 'A', bob, 'first text\n', { at: '2023-01-01T00:00:00.000Z' });
  const h2 = save(s, 'Help:B', alice, 'help, more\n', { minor: true, at: '2024-01-01T00:00:00.000Z' });
  const gone = save(s, 'Gone', bob, 'doomed\n', { at: '2024-02-01T00:00:00.000Z' });
  deletePage(s, s.actors.system(), parseTitle('Gone'), '');
  s.db.prepare('UPDATE review SET risk = 60 WHERE revision_id = ?').run(a2.id);
  return { s, alice, bob, temp: s.actors.byId(a2.actor.id)!, a1, a2, a3, h1, h2, gone, pageA: a1.pageId, pageB: h1.pageId };
}

type Setup = ReturnType<typeof setup>;

describe('RevisionStore reads', () => {
  it('maps a row to a Revision', () => {
    const { s, a1, a2, alice } = setup();
    expect(s.revisions.byId(a1.id)).toMatchObject({
      id: a1.id, parentId: null, actor: { id: alice.id, name: 'Alice', kind: 'user' }, minor: false,
      size: 11, parentSize: 0, timestamp: '2020-01-01T00:00:00.000Z', ip: null,
    });
    const second = s.revisions.byId(a2.id)!;
    expect(second).toMatchObject({ parentId: a1.id, minor: true, parentSize: 11, size: 16, ip: '192.0.2.1', risk: 60 });
    expect(second.actor.kind).toBe('temp');
    expect(second.tags).toEqual([...second.tags].sort());
    expect(second.tags).toContain('reverted');
    expect(s.revisions.byId(999)).toBeUndefined();
  });

  it('counts a revision with no review row as patrolled, with no risk', () => {
    const { s, a1 } = setup();
    s.db.prepare('DELETE FROM review WHERE revision_id = ?').run(a1.id);
    expect(s.revisions.byId(a1.id)).toMatchObject({ risk: 0, riskReasons: [], patrolled: true });
  });

  it.each([
    { name: 'all', filter: undefined, expected: (t: Setup) => [t.a3, t.a2, t.a1] },
    { name: 'minor', filter: 'minor' as const, expected: (t: Setup) => [t.a2] },
    { name: 'anonymous', filter: 'anonymous' as const, expected: (t: Setup) => [t.a2] },
    { name: 'reverted', filter: 'reverted' as const, expected: (t: Setup) => [t.a2] },
  ])('lists a page\'s history newest first: $name', ({ filter, expected }) => {
    const t = setup();
    expect(t.s.revisions.history(t.pageA, { limit: 10, filter }).map((r) => r.id)).toEqual(expected(t).map((r) => r.id));
  });

  it('pages history and an account\'s contributions by id', () => {
    const t = setup();
    expect(t.s.revisions.history(t.pageA, { limit: 1 }).map((r) => r.id)).toEqual([t.a3.id]);
    expect(t.s.revisions.history(t.pageA, { limit: 5, beforeId: t.a3.id }).map((r) => r.id)).toEqual([t.a2.id, t.a1.id]);
    expect(t.s.revisions.byActor(t.alice.id, { limit: 10 }).map((r) => r.id)).toEqual([t.h2.id, t.h1.id, t.a1.id]);
    expect(t.s.revisions.byActor(t.alice.id, { limit: 1, beforeId: t.h2.id }).map((r) => r.id)).toEqual([t.h1.id]);
  });

  it('knows a page\'s facts and its neighbours', () => {
    const t = setup();
    expect(t.s.revisions.facts(t.pageA)).toEqual({ firstId: t.a1.id, edits: 3, editors: 3 });
    expect(t.s.revisions.count(t.pageB)).toBe(2);
    expect(t.s.revisions.nextId(t.pageA, t.a1.id)).toBe(t.a2.id);
    expect(t.s.revisions.nextId(t.pageA, t.a2.id)).toBe(t.a3.id); // skips Help:B's revision in between
    expect(t.s.revisions.nextId(t.pageA, t.a3.id)).toBeUndefined();
    expect(t.s.revisions.previousId(t.pageA, t.a3.id)).toBe(t.a2.id);
    expect(t.s.revisions.previousId(t.pageA, t.a1.id)).toBeUndefined();
    expect(t.s.revisions.idsBetween(t.pageA, t.a1.id, t.a3.id)).toEqual([t.a2.id]);
    expect(t.s.revisions.idsBetween(t.pageA, t.a2.id, t.a3.id)).toEqual([]);
  });

  it('finds the newest earlier revision with the same text', () => {
    const t = setup();
    expect(t.s.revisions.earlierWithContent(t.pageA, t.a1.contentId, t.a3.id)).toBe(t.a1.id);
    expect(t.s.revisions.earlierWithContent(t.pageA, t.a1.contentId, t.a1.id)).toBeUndefined(); // strictly before
    expect(t.s.revisions.earlierWithContent(t.pageB, t.a1.contentId, t.h2.id + 1)).toBeUndefined(); // another page's
  });

  it('counts an account\'s recent saves and the pages edited since a time, by account or address', () => {
    const t = setup();
    expect(t.s.revisions.countByActorSince(t.alice.id, '2022-01-01T00:00:00.000Z')).toBe(2);
    expect(t.s.revisions.countByActorSince(t.alice.id, '2030-01-01T00:00:00.000Z')).toBe(0);
    expect(t.s.revisions.pagesEditedSince({ actorId: t.alice.id }, '2000-01-01T00:00:00.000Z')).toEqual([t.pageA, t.pageB]);
    expect(t.s.revisions.pagesEditedSince({ actorId: t.alice.id }, '2021-06-01T00:00:00.000Z')).toEqual([t.pageB]);
    expect(t.s.revisions.pagesEditedSince({ ip: '192.0.2.1' }, '2000-01-01T00:00:00.000Z')).toEqual([t.pageA]);
    expect(t.s.revisions.pagesEditedSince({ ip: '192.0.2.1' }, '2022-01-01T00:00:00.000Z')).toEqual([]);
    expect(t.s.revisions.pagesEditedSince({ ip: '192.0.2.2' }, '2000-01-01T00:00:00.000Z')).toEqual([]);
  });
});

describe('RevisionStore.recent', () => {
  it.each([
    { name: 'no filter: live pages only', f: {}, expected: (t: Setup) => [t.h2, t.a3, t.h1, t.a2, t.a1] },
    { name: 'limit', f: { limit: 2 }, expected: (t: Setup) => [t.h2, t.a3] },
    { name: 'older than', f: (t: Setup) => ({ beforeId: t.a3.id }), expected: (t: Setup) => [t.h1, t.a2, t.a1] },
    { name: 'by account', f: (t: Setup) => ({ actorId: t.alice.id }), expected: (t: Setup) => [t.h2, t.h1, t.a1] },
    { name: 'main namespace', f: { namespace: '' }, expected: (t: Setup) => [t.a3, t.a2, t.a1] },
    { name: 'Help namespace', f: { namespace: 'Help' }, expected: (t: Setup) => [t.h2, t.h1] },
    { name: 'hide minor', f: { hideMinor: true }, expected: (t: Setup) => [t.a3, t.h1, t.a1] },
    { name: 'since', f: { since: '2022-01-01T00:00:00.000Z' }, expected: (t: Setup) => [t.h2, t.a3, t.h1] },
    { name: 'by tag', f: { tag: 'custom-tag' }, expected: (t: Setup) => [t.h1] },
    { name: 'reverted tag', f: { tag: 'reverted' }, expected: (t: Setup) => [t.a2] },
    { name: 'minimum risk', f: { minRisk: 50 }, expected: (t: Setup) => [t.a2] },
    { name: 'latest only', f: { latestOnly: true }, expected: (t: Setup) => [t.h2, t.a3] },
    { name: 'two filters together', f: (t: Setup) => ({ actorId: t.alice.id, hideMinor: true }), expected: (t: Setup) => [t.h1, t.a1] },
  ])('$name', ({ f, expected }) => {
    const t = setup();
    const filter: ChangeFilter = { limit: 50, ...(typeof f === 'function' ? f(t) : f) };
    expect(t.s.revisions.recent(filter).map((r) => r.id)).toEqual(expected(t).map((r) => r.id));
  });
});

describe('RevisionStore writes', () => {
  it('inserts a revision and adds tags once each', () => {
    const t = setup();
    const id = t.s.revisions.insert({
      pageId: t.pageA, parentId: t.a3.id, actorId: t.bob.id, contentId: t.a1.contentId, comment: 'c', minor: true,
      size: t.a1.size, sha1: t.a1.sha1, timestamp: '2025-01-01T00:00:00.000Z', ip: null,
    });
    t.s.revisions.addTags(id, ['b-tag', 'a-tag', 'b-tag']);
    t.s.revisions.addTags(id, ['a-tag']);
    expect(t.s.revisions.byId(id)).toMatchObject({ id, parentId: t.a3.id, minor: true, comment: 'c', tags: ['a-tag', 'b-tag'] });
  });

  it('refuses a revision of a page that does not exist', () => {
    const t = setup();
    const before = t.s.revisions.count(t.pageA);
    expect(() => t.s.revisions.insert({
      pageId: 999, parentId: null, actorId: t.bob.id, contentId: t.a1.contentId, comment: '', minor: false,
      size: 1, sha1: t.a1.sha1, timestamp: '2025-01-01T00:00:00.000Z', ip: null,
    })).toThrow(/FOREIGN KEY/);
    expect(t.s.revisions.count(t.pageA)).toBe(before);
  });
});
