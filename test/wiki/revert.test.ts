import { describe, expect, it, vi } from 'vitest';
import { createUser, makeTestApp, revisionCount } from '../helpers/app.js';
import { planRollback, planUndo, restoreRevision, rollback, undoRevision } from '../../server/wiki/revert.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { REVERT_DEPTH } from '../../server/db/revisions.js';
import type { Actor } from '../../server/wiki/types.js';

const T = parseTitle;
const title = T('Article');
const base = 'Alpha line.\n\nBeta line.\n\nGamma line.';

/** "Article": r1 Alice (base), r2 Bob (changes Alpha), r3 Bob (changes Gamma), r4 Carol (changes Beta). */
function setup() {
  const { wiki } = makeTestApp();
  const s = wiki.stores;
  const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
  const alice = createUser(wiki, { name: 'Alice' });
  const bob = createUser(wiki, { name: 'Bob' });
  const carol = createUser(wiki, { name: 'Carol' });
  let latest: number | null = null;
  const save = (actor: Actor, source: string) => {
    latest = saveEdit(s, { title, source, baseId: latest, actor }).revision.id;
    return latest;
  };
  const t2 = base.replace('Alpha', 'Bob alpha');
  const t3 = t2.replace('Gamma', 'Bob gamma');
  const t4 = t3.replace('Beta', 'Carol beta');
  const r = [0, save(alice, base), save(bob, t2), save(bob, t3), save(carol, t4)];
  return { wiki, s, admin, alice, bob, carol, r, t: { t2, t3, t4 }, save };
}
type Ctx = ReturnType<typeof setup>;
const latestText = (c: Ctx) => c.s.content.get(c.s.revisions.byId(c.s.pages.byTitle(title)!.latestId)!.contentId);
const tagsOf = (c: Ctx, id: number) => c.s.revisions.byId(id)!.tags;

describe('undoRevision', () => {
  it('takes one revision\'s change out and keeps every later edit', async () => {
    const c = setup();
    const res = await undoRevision(c.s, c.wiki.workers, { title, id: c.r[2]!, actor: c.admin });
    expect(res.status).toBe('saved');
    expect(latestText(c)).toBe(c.t.t4.replace('Bob alpha', 'Alpha'));
    expect(res.revision).toMatchObject({ parentId: c.r[4], comment: `Undid revision ${c.r[2]} by Bob` });
    expect(tagsOf(c, res.revision.id)).toContain('undo');
    expect(tagsOf(c, c.r[2]!)).toContain('reverted');
    expect(tagsOf(c, c.r[3]!)).not.toContain('reverted');
  });

  it('plans without saving: planUndo gives the text the undo would save', () => {
    const c = setup();
    const before = revisionCount(c.wiki);
    expect(planUndo(c.s, title, c.r[3]!).text).toBe(c.t.t4.replace('Bob gamma', 'Gamma'));
    expect(revisionCount(c.wiki)).toBe(before);
  });

  it('takes the comment given instead of its own', async () => {
    const c = setup();
    const res = await undoRevision(c.s, c.wiki.workers, { title, id: c.r[3]!, actor: c.admin, comment: 'not helpful' });
    expect(res.revision.comment).toBe('not helpful');
  });
});

describe('restoreRevision', () => {
  it('makes an old text the latest, exactly, over every later edit', async () => {
    const c = setup();
    const res = await restoreRevision(c.s, c.wiki.workers, { title, to: c.r[1]!, actor: c.admin });
    expect(latestText(c)).toBe(base);
    expect(res.revision).toMatchObject({ parentId: c.r[4], comment: `Restored revision ${c.r[1]} by Alice` });
    expect(tagsOf(c, res.revision.id)).toContain('revert');
  });

  it('is a null edit when the revision is already the latest', async () => {
    const c = setup();
    const before = revisionCount(c.wiki);
    const res = await restoreRevision(c.s, c.wiki.workers, { title, to: c.r[4]!, actor: c.admin });
    expect(res.status).toBe('nochange');
    expect(revisionCount(c.wiki)).toBe(before);
  });
});

describe('rollback', () => {
  it('undoes all the latest author\'s consecutive edits in one revision, and logs it', async () => {
    const c = setup();
    c.save(c.carol, c.t.t4 + '\n\nMore from Carol.');
    const carolIds = [c.s.pages.byTitle(title)!.latestId, c.r[4]!];
    const res = await rollback(c.s, c.wiki.workers, { title, actor: c.admin, from: 'Carol' });
    expect(latestText(c)).toBe(c.t.t3);
    expect(res.revision.comment).toBe('Reverted edits by Carol to the last revision by Bob');
    expect(tagsOf(c, res.revision.id)).toContain('rollback');
    for (const id of carolIds) expect(tagsOf(c, id)).toContain('reverted');
    expect(tagsOf(c, c.r[3]!)).not.toContain('reverted');
    expect(c.s.log.list({ limit: 5 })).toMatchObject([{ type: 'rollback', action: 'rollback', target: 'Article', details: { from: 'Carol', to: c.r[3], undone: carolIds } }]);
  });

  it('planRollback names the undone revisions, newest first, and the one that comes back', () => {
    const c = setup();
    const plan = planRollback(c.s, title);
    expect(plan.undone.map((r) => r.id)).toEqual([c.r[4]]);
    expect(plan.to.id).toBe(c.r[3]);
    c.save(c.alice, 'Alice again.');
    c.save(c.alice, 'Alice once more.');
    expect(planRollback(c.s, title).undone).toHaveLength(2);
    expect(planRollback(c.s, title).to.id).toBe(c.r[4]);
  });

  it('writes no log entry for a temporary account', async () => {
    const c = setup();
    await rollback(c.s, c.wiki.workers, { title, actor: 'temporary', ip: '192.0.2.1' });
    expect(latestText(c)).toBe(c.t.t3);
    expect(c.s.log.list({ limit: 5 })).toEqual([]);
  });
});

describe('refusals write nothing', () => {
  // `prepare` sets the case up; what `act` then refuses must leave the revisions and the log as they were.
  it.each<{ name: string; code: string; prepare?: (c: Ctx) => unknown; act: (c: Ctx) => Promise<unknown> }>([
    { name: 'undo of the page creation', code: 'invalid_input', act: (c) => undoRevision(c.s, c.wiki.workers, { title, id: c.r[1]!, actor: c.admin }) },
    { name: 'undo overlapped by a later edit', code: 'edit_conflict',
      prepare: (c) => c.save(c.carol, c.t.t4.replace('Bob alpha', 'Carol alpha')),
      act: (c) => undoRevision(c.s, c.wiki.workers, { title, id: c.r[2]!, actor: c.admin }) },
    { name: 'undo of another page\'s revision', code: 'not_found',
      prepare: (c) => saveEdit(c.s, { title: T('Other'), source: 'x', baseId: null, actor: c.alice }),
      act: (c) => undoRevision(c.s, c.wiki.workers, { title, id: c.s.pages.byTitle(T('Other'))!.latestId, actor: c.admin }) },
    { name: 'undo on a missing page', code: 'not_found', act: (c) => undoRevision(c.s, c.wiki.workers, { title: T('Missing'), id: c.r[2]!, actor: c.admin }) },
    { name: 'restore of an unknown revision', code: 'not_found', act: (c) => restoreRevision(c.s, c.wiki.workers, { title, to: 9999, actor: c.admin }) },
    { name: 'rollback when another author edited since', code: 'edit_conflict', act: (c) => rollback(c.s, c.wiki.workers, { title, actor: c.admin, from: 'Bob' }) },
    { name: 'rollback of a page with one author', code: 'invalid_input',
      prepare: (c) => saveEdit(c.s, { title: T('Solo'), source: 'a', baseId: null, actor: c.alice }),
      act: (c) => rollback(c.s, c.wiki.workers, { title: T('Solo'), actor: c.admin }) },
  ])('$name', async ({ code, prepare, act }) => {
    const c = setup();
    prepare?.(c);
    const before = revisionCount(c.wiki);
    const outcome = await act(c).then(() => undefined, (e: { code?: string }) => e.code);
    expect(outcome).toBe(code);
    expect(revisionCount(c.wiki)).toBe(before);
    expect(c.s.log.list({ limit: 5 })).toEqual([]);
  });
});

describe('how far back a text restored by hand counts as a revert', () => {
  it('tags a restore of one of the last REVERT_DEPTH revisions and what it undid; an older text is an ordinary edit', () => {
    const c = setup();
    // r1 base .. r4, then edits until the base is REVERT_DEPTH revisions back (r1 is the oldest of the last REVERT_DEPTH).
    const edits: number[] = [];
    for (let i = 0; edits.length + 4 < REVERT_DEPTH; i++) edits.push(c.save(c.bob, `${c.t.t4}\n\nEdit ${i}.`));
    const restore = c.save(c.alice, base);
    expect(tagsOf(c, restore)).toContain('revert');
    for (const id of [c.r[2]!, c.r[3]!, c.r[4]!, ...edits]) expect(tagsOf(c, id)).toContain('reverted');
    // Now the first text is one more back than that: saved again, it is not a revert.
    c.save(c.bob, `${c.t.t4}\n\nOne more.`);
    for (let i = 0; i < REVERT_DEPTH - 1; i++) c.save(c.bob, `${c.t.t4}\n\nLater ${i}.`);
    const again = c.save(c.alice, c.t.t2);
    expect(tagsOf(c, again)).not.toContain('revert');
  });

  it('does not look at all when the save stored a text never seen before', () => {
    const c = setup();
    const look = vi.spyOn(c.s.revisions, 'earlierWithContent');
    c.save(c.bob, 'A text nobody wrote before.');
    expect(look).not.toHaveBeenCalled();
    c.save(c.bob, base);
    expect(look).toHaveBeenCalled();
  });
});
