import { describe, expect, it, vi } from 'vitest';
import { createUser, makeTestApp, revisionCount } from '../helpers/app.js';
import { massRollback, massTarget, planMassRollback } from '../../server/wiki/massRollback.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';

const T = parseTitle;
const SINCE = '2030-06-01T00:00:00.000Z';
const at = (d: number) => `2030-06-${String(d).padStart(2, '0')}T00:00:00.000Z`;

/**
 * Pages, each started by Alice on 1 May:
 *   Hit        Vandal twice after Alice → rolled back to Alice's text
 *   Fixed      Vandal, then Alice again → left alone (edited since)
 *   Own        created by Vandal alone → left alone (delete instead)
 *   Old        Vandal before SINCE → not listed
 *   Anon       an anonymous edit from 192.0.2.9, then a registered user from the same address
 *   AnonHit    an anonymous edit from 192.0.2.9 last
 */
function setup() {
  const { wiki } = makeTestApp();
  const s = wiki.stores;
  const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
  const alice = createUser(wiki, { name: 'Alice' });
  const vandal = createUser(wiki, { name: 'Vandal' });
  const latest = new Map<string, number>();
  const save = (title: string, source: string, actor: Actor | 'temporary', day: string, ip: string | null = null) => {
    const r = saveEdit(s, { title: T(title), source, baseId: latest.get(title) ?? null, actor, ip, timestamp: day });
    latest.set(title, r.revision.id);
    return r.revision.id;
  };
  const may = '2030-05-01T00:00:00.000Z';
  for (const p of ['Hit', 'Fixed', 'Old', 'Anon', 'AnonHit']) save(p, `Good ${p}.`, alice, may);
  save('Hit', 'spam 1', vandal, at(2));
  save('Hit', 'spam 2', vandal, at(3));
  save('Fixed', 'spam', vandal, at(2));
  save('Fixed', 'Good Fixed, fixed.', alice, at(4));
  save('Own', 'spam page', vandal, at(2));
  save('Old', 'old spam', vandal, '2030-05-15T00:00:00.000Z');
  save('Anon', 'anon spam', 'temporary', at(2), '192.0.2.9');
  save('Anon', 'registered user, same address', alice, at(3), '192.0.2.9');
  save('AnonHit', 'anon spam', 'temporary', at(2), '192.0.2.9');
  return { wiki, s, admin, alice, vandal, latest };
}
type Ctx = ReturnType<typeof setup>;
const textOf = (c: Ctx, title: string) => c.s.content.get(c.s.revisions.byId(c.s.pages.byTitle(T(title))!.latestId)!.contentId);

describe('massTarget', () => {
  it.each([
    { name: 'an account by name', raw: ' Vandal ', want: { name: 'Vandal' }, hasActor: true },
    { name: 'an address', raw: '192.0.2.9', want: { ip: '192.0.2.9', name: '192.0.2.9' } },
    { name: 'an address in another spelling, made canonical', raw: '::ffff:192.0.2.9', want: { ip: '192.0.2.9', name: '192.0.2.9' } },
  ])('means $name', ({ raw, want, hasActor }) => {
    const c = setup();
    const target = massTarget(c.s, raw);
    expect(target).toMatchObject(want);
    if (hasActor) expect(target).toEqual({ actorId: c.vandal.id, name: 'Vandal' });
  });

  it.each([
    { name: 'an empty name', raw: '  ', code: 'invalid_input' },
    { name: 'an unknown account', raw: 'Nobody', code: 'not_found' },
  ])('refuses $name', ({ raw, code }) => {
    const c = setup();
    expect(() => massTarget(c.s, raw)).toThrow(expect.objectContaining({ code }));
  });
});

describe('planMassRollback', () => {
  it('plans each page edited since, and says why it leaves one alone', () => {
    const c = setup();
    const plan = planMassRollback(c.s, massTarget(c.s, 'Vandal'), SINCE);
    const byTitle = Object.fromEntries(plan.map((i) => [i.page.title.text, i]));
    expect(Object.keys(byTitle).sort()).toEqual(['Fixed', 'Hit', 'Own']);
    expect(byTitle.Hit!.undone!.map((r) => r.timestamp)).toEqual([at(3), at(2)]);
    expect(byTitle.Hit!.to!.actor.name).toBe('Alice');
    expect(byTitle.Fixed).toMatchObject({ skipped: 'edited since by Alice' });
    expect(byTitle.Fixed!.undone).toBeUndefined();
    expect(byTitle.Own!.skipped).toMatch(/^created by Vandal with no other author/);
  });

  it('takes an address to mean the anonymous editors behind it, never a registered user there', () => {
    const c = setup();
    const plan = planMassRollback(c.s, massTarget(c.s, '192.0.2.9'), SINCE);
    expect(plan.map((i) => [i.page.title.text, i.skipped ?? 'rolled back'])).toEqual([
      ['Anon', 'edited since by Alice'], ['AnonHit', 'rolled back'],
    ]);
  });

  it('changes nothing', () => {
    const c = setup();
    const before = revisionCount(c.wiki);
    planMassRollback(c.s, massTarget(c.s, 'Vandal'), SINCE);
    expect(revisionCount(c.wiki)).toBe(before);
  });
});

describe('massRollback', () => {
  it('rolls back the planned pages in one act, tagged, and logs what it did and skipped', () => {
    const c = setup();
    const hitBefore = c.latest.get('Hit')!;
    const items = massRollback(c.s, c.admin, massTarget(c.s, 'Vandal'), SINCE, '');
    expect(items.filter((i) => i.to).map((i) => i.page.title.text)).toEqual(['Hit']);
    expect(textOf(c, 'Hit')).toBe('Good Hit.');
    const rev = c.s.revisions.byId(c.s.pages.byTitle(T('Hit'))!.latestId)!;
    expect(rev).toMatchObject({ parentId: hitBefore, actor: { id: c.admin.id }, comment: `Mass rollback of edits by Vandal since ${SINCE}` });
    expect(rev.tags).toContain('rollback');
    for (const id of items.find((i) => i.to)!.undone!.map((r) => r.id)) expect(c.s.revisions.byId(id)!.tags).toContain('reverted');
    // Pages left alone keep their texts.
    expect(textOf(c, 'Fixed')).toBe('Good Fixed, fixed.');
    expect(textOf(c, 'Own')).toBe('spam page');
    expect(textOf(c, 'Old')).toBe('old spam');
    expect(c.s.log.list({ limit: 5 })).toMatchObject([{
      type: 'rollback', action: 'mass-rollback', target: 'Vandal', details: { since: SINCE, pages: ['Hit'], skipped: 2 },
    }]);
  });

  it('uses the reason given as the comment', () => {
    const c = setup();
    massRollback(c.s, c.admin, massTarget(c.s, '192.0.2.9'), SINCE, 'proxy spam');
    expect(textOf(c, 'AnonHit')).toBe('Good AnonHit.');
    expect(c.s.revisions.byId(c.s.pages.byTitle(T('AnonHit'))!.latestId)!.comment).toBe('proxy spam');
    expect(textOf(c, 'Anon')).toBe('registered user, same address');
  });

  it('plans again inside the transaction: a page someone fixed meanwhile is left alone', () => {
    const c = setup();
    const original = c.s.transaction.bind(c.s);
    // Alice fixes "Hit" after the saves were prepared, just before the write transaction.
    vi.spyOn(c.s, 'transaction').mockImplementationOnce((fn) => {
      saveEdit(c.s, { title: T('Hit'), source: 'Alice fixed it herself.', baseId: c.latest.get('Hit')!, actor: c.alice });
      return original(fn);
    });
    const items = massRollback(c.s, c.admin, massTarget(c.s, 'Vandal'), SINCE, '');
    expect(items.filter((i) => i.to)).toEqual([]);
    expect(textOf(c, 'Hit')).toBe('Alice fixed it herself.');
  });

  it('rolls back a page whose rollback changed since planning, against its new latest', () => {
    const c = setup();
    const original = c.s.transaction.bind(c.s);
    // Vandal edits "Hit" once more after the saves were prepared: the prepared save is stale.
    vi.spyOn(c.s, 'transaction').mockImplementationOnce((fn) => {
      saveEdit(c.s, { title: T('Hit'), source: 'spam 3', baseId: c.latest.get('Hit')!, actor: c.vandal });
      return original(fn);
    });
    const items = massRollback(c.s, c.admin, massTarget(c.s, 'Vandal'), SINCE, '');
    expect(items.find((i) => i.to)!.undone).toHaveLength(3);
    expect(textOf(c, 'Hit')).toBe('Good Hit.');
  });
});
