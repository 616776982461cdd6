import { describe, expect, it, vi } from 'vitest';
import { makeTestApp, createUser } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle, type Title } from '../../server/wiki/title.js';
import { blockTarget, deletePage, movePage, protectPage, undeletePage, unblock } from '../../server/wiki/admin.js';
import { restoreRevision, rollback, undoRevision } from '../../server/wiki/revert.js';
import { massRollback, massTarget } from '../../server/wiki/massRollback.js';
import { patrol } from '../../server/wiki/patrol.js';
import { HistoryImporter } from '../../server/wiki/import.js';
import { DumpStore } from '../../server/db/dump.js';
import { sha1Of } from '../../server/db/content.js';
import type { ChangeEvent } from '../../server/wiki/types.js';

const T = (s: string): Title => parseTitle(s);

/**
 * A wiki with "Target" (by Alice, then Bob), "Linker" linking to Target, Missing and Gone, a deleted
 * "Gone", and Bob blocked; then a recorder on the feed, so only what a case does is heard.
 */
async function setup() {
  const { wiki } = makeTestApp();
  const s = wiki.stores;
  const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
  const alice = createUser(wiki, { name: 'Alice' });
  const bob = createUser(wiki, { name: 'Bob' });
  const target = T('Target');
  const r1 = saveEdit(s, { title: target, source: 'one\n\n## Part\n\ntwo\n\nthree\n', baseId: null, actor: alice });
  const r2 = saveEdit(s, { title: target, source: 'one\n\n## Part\n\ntwo\n\nthree by Bob\n', baseId: r1.revision.id, actor: bob });
  saveEdit(s, { title: T('Linker'), source: 'See [[Target]], [[Missing]] and [[Gone]].', baseId: null, actor: alice });
  saveEdit(s, { title: T('Gone'), source: 'Soon gone.', baseId: null, actor: alice });
  deletePage(s, admin, T('Gone'), 'test');
  const block = blockTarget(s, admin, 'Bob', null, 'test');
  const events: ChangeEvent[] = [];
  s.feed.subscribe((e) => events.push(e));
  return { wiki, s, admin, alice, bob, target, r1: r1.revision.id, r2: r2.revision.id, block, events };
}
type Ctx = Awaited<ReturnType<typeof setup>>;

const since = '2000-01-01T00:00:00.000Z';

const writes: Array<{ name: string; act: (c: Ctx) => unknown; expected: (c: Ctx) => Array<Record<string, unknown>> }> = [
  { name: 'create', act: (c) => saveEdit(c.s, { title: T('Missing'), source: 'New.', baseId: null, actor: c.alice }),
    expected: () => [{ type: 'save', created: true, parentId: null, title: T('Missing'), linkColours: [T('Missing')] }] },
  { name: 'edit', act: (c) => saveEdit(c.s, { title: c.target, source: 'changed', baseId: c.r2, actor: c.alice }),
    expected: (c) => [{ type: 'save', created: false, merged: false, parentId: c.r2, section: null, linkColours: [] }] },
  { name: 'section edit', act: (c) => saveEdit(c.s, { title: c.target, source: '## Part\n\nnew part\n', section: 1, baseId: c.r2, actor: c.alice }),
    expected: (c) => [{ type: 'save', section: 1, parentId: c.r2 }] },
  { name: 'merged save', act: (c) => saveEdit(c.s, { title: c.target, source: 'one changed\n\n## Part\n\ntwo\n\nthree\n', baseId: c.r1, actor: c.alice }),
    expected: (c) => [{ type: 'save', merged: true, parentId: c.r2 }] },
  { name: 'undo', act: (c) => undoRevision(c.s, c.wiki.workers, { title: c.target, actor: c.admin, id: c.r2 }),
    expected: (c) => [{ type: 'save', actorId: c.admin.id, tags: expect.arrayContaining(['undo']) }, { type: 'patrol', revisionId: c.r2, actorId: c.admin.id }] },
  { name: 'restore', act: (c) => restoreRevision(c.s, c.wiki.workers, { title: c.target, actor: c.admin, to: c.r1 }),
    expected: (c) => [{ type: 'save', parentId: c.r2, tags: expect.arrayContaining(['revert']) }] },
  { name: 'rollback', act: (c) => rollback(c.s, c.wiki.workers, { title: c.target, actor: c.admin, from: 'Bob' }),
    expected: (c) => [{ type: 'save', tags: expect.arrayContaining(['rollback']) }, { type: 'patrol', revisionId: c.r2, actorId: c.admin.id }] },
  { name: 'mass rollback', act: (c) => massRollback(c.s, c.admin, massTarget(c.s, 'Bob'), since, ''),
    expected: (c) => [
      { type: 'save', pageId: c.s.pages.byTitle(c.target)!.id, tags: expect.arrayContaining(['rollback']) },
      { type: 'patrol', revisionId: c.r2, pageId: c.s.pages.byTitle(c.target)!.id, actorId: c.admin.id },
    ] },
  { name: 'delete', act: (c) => deletePage(c.s, c.admin, c.target, 'spam'),
    expected: (c) => [{ type: 'delete', title: c.target, revisionId: c.r2, actorId: c.admin.id, linkColours: [c.target] }] },
  { name: 'undelete', act: (c) => undeletePage(c.s, c.admin, T('Gone'), 'oops'),
    expected: () => [{ type: 'undelete', title: T('Gone'), linkColours: [T('Gone')] }] },
  { name: 'move leaving a redirect', act: (c) => movePage(c.s, c.admin, c.target, T('Moved'), 'why', true),
    expected: (c) => [
      { type: 'save', created: true, title: c.target, linkColours: [c.target] },
      { type: 'move', from: c.target, to: T('Moved'), redirect: true, linkColours: [T('Moved')] },
    ] },
  { name: 'move without a redirect', act: (c) => movePage(c.s, c.admin, c.target, T('Moved'), 'why', false),
    expected: (c) => [{ type: 'move', from: c.target, to: T('Moved'), redirect: false, linkColours: [T('Moved'), c.target] }] },
  { name: 'protect', act: (c) => protectPage(c.s, c.admin, c.target, 'full', null, 'war'),
    expected: (c) => [{ type: 'protect', title: c.target, level: 'full', expiry: null, linkColours: [] }] },
  { name: 'unprotect', act: (c) => protectPage(c.s, c.admin, c.target, 'none', null, 'calm'),
    expected: (c) => [{ type: 'protect', title: c.target, level: 'none' }] },
  { name: 'block', act: (c) => blockTarget(c.s, c.admin, '10.0.0.0/24', '2099-01-01T00:00:00.000Z', 'range'),
    expected: () => [{ type: 'block', target: '10.0.0.0/24', expiry: '2099-01-01T00:00:00.000Z' }] },
  { name: 'unblock', act: (c) => unblock(c.s, c.admin, c.block.id),
    expected: (c) => [{ type: 'unblock', blockId: c.block.id, target: 'Bob' }] },
  { name: 'patrol', act: (c) => expect(patrol(c.s, c.admin, c.r2)).toBe(true),
    expected: (c) => [{ type: 'patrol', revisionId: c.r2, pageId: c.s.pages.byTitle(c.target)!.id, actorId: c.admin.id }] },
  { name: 'import', act: (c) => new HistoryImporter(c.s, new DumpStore(c.wiki.db)).importPage(T('Missing'), [
    { timestamp: '2020-01-01T00:00:00.000Z', sha1: sha1Of('a'), source: 'a', author: 'Importee', authorKind: 'user', comment: '', minor: false, tags: [] },
    { timestamp: '2020-01-02T00:00:00.000Z', sha1: sha1Of('b'), source: 'b', author: 'Importee', authorKind: 'user', comment: '', minor: false, tags: [] },
  ]),
    expected: () => [{ type: 'import', title: T('Missing'), created: true, revisionIds: [expect.any(Number), expect.any(Number)], linkColours: [T('Missing')] }] },
];

describe('the change feed: each committed write emits exactly its events', () => {
  it.each(writes)('$name', async ({ act, expected }) => {
    const c = await setup();
    await act(c);
    const want = expected(c);
    expect(c.events).toHaveLength(want.length);
    c.events.forEach((e, i) => expect(e).toMatchObject({ ...want[i], timestamp: expect.any(String), actorId: expect.any(Number) }));
    // A save's event names the revision the database now holds as the page's latest.
    for (const e of c.events.filter((x) => x.type === 'save')) {
      expect(c.s.pages.byId(e.pageId)?.latestId).toBe(e.revisionId);
    }
  });
});

// `error`: the code (or message) the write fails with; none for writes that change nothing.
const refused: Array<{ name: string; error?: string; act: (c: Ctx) => unknown }> = [
  { name: 'edit conflict', error: 'edit_conflict', act: (c) => saveEdit(c.s, { title: c.target, source: 'one\n\n## Part\n\ntwo\n\nthree by Alice\n', baseId: c.r1, actor: c.alice }) },
  { name: 'null edit', act: (c) => saveEdit(c.s, { title: c.target, source: 'one\n\n## Part\n\ntwo\n\nthree by Bob\n', baseId: c.r2, actor: c.alice }) },
  { name: 'forbidden move without redirect', error: 'forbidden', act: (c) => movePage(c.s, c.alice, c.target, T('Moved'), '', false) },
  { name: 'move onto an existing page', error: 'page_exists', act: (c) => movePage(c.s, c.admin, c.target, T('Linker'), '', true) },
  { name: 'unknown base revision', error: 'not_found', act: (c) => saveEdit(c.s, { title: c.target, source: 'x', baseId: 9999, actor: c.alice }) },
  { name: 'undo of the page creation', error: 'invalid_input', act: (c) => undoRevision(c.s, c.wiki.workers, { title: c.target, actor: c.admin, id: c.r1 }) },
  { name: 'rollback of someone else', error: 'edit_conflict', act: (c) => rollback(c.s, c.wiki.workers, { title: c.target, actor: c.admin, from: 'Alice' }) },
  { name: 'undelete onto a taken title', error: 'page_exists', act: (c) => { saveEdit(c.s, { title: T('Gone'), source: 'x', baseId: null, actor: c.alice }); c.events.length = 0; return undeletePage(c.s, c.admin, T('Gone'), ''); } },
  { name: 'patrol of a patrolled revision', act: (c) => { patrol(c.s, c.admin, c.r2); c.events.length = 0; expect(patrol(c.s, c.admin, c.r2)).toBe(false); } },
  { name: 'import conflicting with the history here', error: 'page_exists', act: (c) => new HistoryImporter(c.s, new DumpStore(c.wiki.db)).importPage(c.target, [
    { timestamp: '2020-01-01T00:00:00.000Z', sha1: sha1Of('other'), source: 'other', author: 'X', authorKind: 'user', comment: '', minor: false, tags: [] },
  ]) },
  { name: 'exception inside the transaction', error: 'boom', act: (c) => c.s.transaction(() => {
    deletePage(c.s, c.admin, c.target, '');
    throw new Error('boom');
  }) },
];

describe('the change feed: a refused or rolled-back write emits nothing', () => {
  it.each(refused)('$name', async ({ act, error }) => {
    const c = await setup();
    const before = c.s.pages.byTitle(c.target)!;
    const outcome = await Promise.resolve().then(() => act(c)).then(
      () => undefined,
      (e: { code?: string; message: string }) => e.code ?? e.message,
    );
    expect(outcome).toBe(error);
    expect(c.events).toEqual([]);
    expect(c.s.pages.byTitle(c.target)).toEqual(before);
  });

  it('drops the events of a nested transaction that failed, and keeps the rest', async () => {
    const c = await setup();
    c.s.transaction(() => {
      try {
        c.s.transaction(() => {
          saveEdit(c.s, { title: T('Missing'), source: 'x', baseId: null, actor: c.alice });
          throw new Error('inner');
        });
      } catch { /* the savepoint is rolled back */ }
      protectPage(c.s, c.admin, c.target, 'semi', null, '');
    });
    expect(c.events.map((e) => e.type)).toEqual(['protect']);
    expect(c.s.pages.byTitle(T('Missing'))).toBeUndefined();
  });
});

describe('the change feed: delivery', () => {
  it('delivers only after the commit, to a subscriber that sees the change, and not before', async () => {
    const c = await setup();
    const seen: Array<{ inTransaction: boolean; exists: boolean }> = [];
    c.s.feed.subscribe(() => seen.push({ inTransaction: c.wiki.db.inTransaction, exists: c.s.pages.byTitle(T('Missing')) !== undefined }));
    c.s.transaction(() => {
      saveEdit(c.s, { title: T('Missing'), source: 'x', baseId: null, actor: c.alice });
      expect(seen).toEqual([]);
      expect(c.events).toEqual([]);
    });
    expect(seen).toEqual([{ inTransaction: false, exists: true }]);
  });

  it('keeps a committed write when a subscriber throws, logs it, and still tells the others', async () => {
    const c = await setup();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      c.s.feed.subscribe(() => { throw new Error('subscriber broke'); });
      const after: string[] = [];
      c.s.feed.subscribe((e) => after.push(e.type));
      const r = saveEdit(c.s, { title: T('Missing'), source: 'x', baseId: null, actor: c.alice });
      expect(r.status).toBe('saved');
      expect(c.s.pages.byTitle(T('Missing'))).toBeDefined();
      expect(after).toEqual(['save']);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0]![1])).toContain('subscriber broke');
    } finally {
      logged.mockRestore();
    }
  });

  it('emits once for a write outside any transaction, and stops after unsubscribe', async () => {
    const c = await setup();
    const heard: string[] = [];
    const stop = c.s.feed.subscribe((e) => heard.push(e.type));
    patrol(c.s, c.admin, c.r2);
    stop();
    patrol(c.s, c.admin, c.r1);
    expect(heard).toEqual(['patrol']);
    expect(c.events.map((e) => e.type)).toEqual(['patrol', 'patrol']);
  });

  it('belongs to one wiki: another wiki in the same process hears nothing of it', async () => {
    const c = await setup();
    const other = makeTestApp().wiki;
    saveEdit(other.stores, { title: T('Elsewhere'), source: 'x', baseId: null, actor: other.stores.actors.system() });
    expect(c.events).toEqual([]);
  });
});

describe('link colours come through the feed', () => {
  const touched = (c: Ctx) => c.s.pages.byTitle(T('Linker'))!.touched;

  it.each([
    { name: 'create', act: (c: Ctx) => saveEdit(c.s, { title: T('Missing'), source: 'x', baseId: null, actor: c.alice }) },
    { name: 'delete', act: (c: Ctx) => deletePage(c.s, c.admin, c.target, '') },
    { name: 'undelete', act: (c: Ctx) => undeletePage(c.s, c.admin, T('Gone'), '') },
    { name: 'move', act: (c: Ctx) => movePage(c.s, c.admin, c.target, T('Moved'), '', false) },
  ])('$name touches the linking page after the commit, not inside it', async ({ act }) => {
    const c = await setup();
    const before = touched(c);
    c.s.transaction(() => {
      act(c);
      expect(touched(c)).toBe(before);
    });
    expect(touched(c)).toBeGreaterThan(before);
  });

  it('an edit that creates and removes no title touches no linking page', async () => {
    const c = await setup();
    const before = touched(c);
    saveEdit(c.s, { title: c.target, source: 'changed', baseId: c.r2, actor: c.alice });
    expect(touched(c)).toBe(before);
  });

  it('a rolled-back creation touches nothing', async () => {
    const c = await setup();
    const before = touched(c);
    expect(() => c.s.transaction(() => {
      saveEdit(c.s, { title: T('Missing'), source: 'x', baseId: null, actor: c.alice });
      throw new Error('boom');
    })).toThrow('boom');
    expect(touched(c)).toBe(before);
  });
});
