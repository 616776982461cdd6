import { describe, expect, it } from 'vitest';
import { makeTestApp, createUser, revisionCount } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { EditConflictError, InvalidInputError, NotFoundError, PageExistsError, TooLargeError } from '../../server/wiki/errors.js';
import { sha1Of } from '../../server/db/content.js';
import type { Stores } from '../../server/db/stores.js';
import { restoreRevision, rollback, undoRevision } from '../../server/wiki/revert.js';

function setup() {
  const { wiki } = makeTestApp();
  const alice = createUser(wiki, { name: 'Alice' });
  const bob = createUser(wiki, { name: 'Bob' });
  const title = parseTitle('Peer network');
  const save = (o: Partial<Parameters<typeof saveEdit>[1]> & { source: string }) =>
    saveEdit(wiki.stores, { title, baseId: null, actor: alice, ...o });
  return { wiki, alice, bob, title, save };
}

const base = 'Intro line.\n\n## History\n\nOld history.\n\n## Today\n\nOld today.\n';

describe('saveEdit', () => {
  it.each([
    { name: 'IPv4-mapped IPv6', given: '::ffff:192.0.2.9', stored: '192.0.2.9' },
    { name: 'zero-padded IPv4', given: '192.000.002.009', stored: '192.0.2.9' },
    { name: 'IPv6 in capitals', given: '2001:DB8:0:0:0:0:0:1', stored: '2001:db8::1' },
  ])('stores the address of a save in canonical form, whoever calls: $name', ({ given, stored }) => {
    const { save } = setup();
    expect(save({ source: 'Text', ip: given }).revision.ip).toBe(stored);
  });

  it('creates a page with an immutable first revision carrying every fact', () => {
    const { wiki, save, alice } = setup();
    const r = save({ source: 'Hello\r\nworld', comment: 'first', ip: '10.0.0.1' });
    expect(r.status).toBe('saved');
    expect(r.created).toBe(true);
    expect(r.revision).toMatchObject({
      parentId: null,
      actor: { id: alice.id, name: 'Alice' },
      comment: 'first',
      minor: false,
      size: 11,
      sha1: sha1Of('Hello\nworld'),
      ip: '10.0.0.1',
      tags: ['new', 'new-user'],
    });
    expect(wiki.stores.content.get(r.revision.contentId)).toBe('Hello\nworld');
    expect(r.page.latestId).toBe(r.revision.id);
    expect(wiki.stores.actors.byId(alice.id)!.editCount).toBe(1);
  });

  it('makes no revision when the text is identical to the latest (null edit)', () => {
    const { wiki, save } = setup();
    const first = save({ source: base });
    const again = save({ source: base, baseId: first.revision.id });
    expect(again.status).toBe('nochange');
    expect(again.revision.id).toBe(first.revision.id);
    expect(revisionCount(wiki)).toBe(1);
  });

  it('merges a stale edit that touches other lines, keeping both', () => {
    const { save, bob, wiki } = setup();
    const first = save({ source: base });
    save({ source: base.replace('Old today.', 'New today.'), baseId: first.revision.id, actor: bob });
    const mine = save({ source: base.replace('Old history.', 'New history.'), baseId: first.revision.id });
    expect(mine.merged).toBe(true);
    const text = wiki.stores.content.get(mine.revision.contentId);
    expect(text).toContain('New history.');
    expect(text).toContain('New today.');
  });

  it('refuses an overlapping stale edit, keeps both texts in the error, and writes nothing', () => {
    const { save, bob, wiki } = setup();
    const first = save({ source: base });
    const theirs = save({ source: base.replace('Old history.', 'Their history.'), baseId: first.revision.id, actor: bob });
    const before = revisionCount(wiki);
    let err: unknown;
    try {
      save({ source: base.replace('Old history.', 'My history.'), baseId: first.revision.id });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EditConflictError);
    const c = err as EditConflictError;
    expect(c.baseId).toBe(first.revision.id);
    expect(c.current).toEqual({ id: theirs.revision.id, source: base.replace('Old history.', 'Their history.') });
    expect(c.mine).toContain('My history.');
    expect(revisionCount(wiki)).toBe(before);
  });

  it('edits one section, splicing it into the base text', () => {
    const { save, wiki } = setup();
    const first = save({ source: base });
    const r = save({ source: '## Today\n\nFresh today.\n', section: 2, baseId: first.revision.id });
    expect(wiki.stores.content.get(r.revision.contentId)).toBe(base.replace('Old today.', 'Fresh today.'));
  });

  it('stores a text once: restoring an old text adds a revision but no content row', () => {
    const { save, wiki } = setup();
    const a = save({ source: 'Version A' });
    const b = save({ source: 'Version B', baseId: a.revision.id });
    const contentRows = () => (wiki.db.prepare('SELECT count(*) AS n FROM content').get() as { n: number }).n;
    const rows = contentRows();
    const c = save({ source: 'Version A', baseId: b.revision.id });
    expect(c.revision.contentId).toBe(a.revision.contentId);
    expect(contentRows()).toBe(rows);
  });

  it('compresses large texts and reads them back exactly', () => {
    const { save, wiki } = setup();
    const big = 'Peer networks share work. '.repeat(2000) + 'ünïcødé ✓ 𝒜';
    const r = save({ source: big });
    // Stored raw by the save, deflated by the background packer.
    wiki.stores.transaction(() => wiki.stores.content.compressQueued(10));
    const row = wiki.db.prepare('SELECT encoding, length(data) AS stored FROM content WHERE id = ?').get(r.revision.contentId) as { encoding: string; stored: number };
    expect(row.encoding).toBe('deflate');
    expect(row.stored).toBeLessThan(Buffer.byteLength(big) / 10);
    wiki.stores.content.clearCache();
    expect(wiki.stores.content.get(r.revision.contentId)).toBe(big);
  });

  it('keeps links, categories, redirect flag and search index in step with the latest text', () => {
    const { save, wiki, title } = setup();
    const first = save({ source: 'See [[Wikipedia]] and [[open source software]].\n\n[[Category:Internet]]' });
    const links = () => wiki.db.prepare('SELECT to_title FROM link ORDER BY to_title').pluck().all();
    expect(links()).toEqual(['Open source software', 'Wikipedia']);
    expect(wiki.db.prepare('SELECT category FROM category_link').pluck().all()).toEqual(['Internet']);
    expect(wiki.db.prepare("SELECT rowid FROM search_index WHERE search_index MATCH 'wikipedia'").pluck().all()).toEqual([first.page.id]);
    const second = save({ source: '#REDIRECT [[Wikipedia]]', baseId: first.revision.id });
    expect(links()).toEqual(['Wikipedia']);
    expect(wiki.db.prepare('SELECT count(*) FROM category_link').pluck().get()).toBe(0);
    expect(wiki.stores.pages.byTitle(title)!.isRedirect).toBe(true);
    expect(second.page.isRedirect).toBe(true);
  });

  it('touches the pages linking to a title when that page is created', () => {
    const { save, wiki } = setup();
    save({ source: 'A link to [[Wikipedia]].' });
    const before = wiki.stores.pages.byTitle(parseTitle('Peer network'))!.touched;
    saveEdit(wiki.stores, { title: parseTitle('Wikipedia'), source: 'Now it exists.', baseId: null, actor: wiki.stores.actors.system() });
    expect(wiki.stores.pages.byTitle(parseTitle('Peer network'))!.touched).toBeGreaterThan(before);
  });

  it('creates a temporary account inside the save, and none for a null edit', () => {
    const { wiki, title } = setup();
    const r = saveEdit(wiki.stores, { title, source: 'anon text', baseId: null, actor: 'temporary', ip: '192.0.2.7' });
    expect(r.actor!.kind).toBe('temp');
    expect(r.actor!.name).toMatch(/^~\d{4}-1$/);
    const again = saveEdit(wiki.stores, { title, source: 'anon text', baseId: r.revision.id, actor: 'temporary' });
    expect(again.status).toBe('nochange');
    expect(again.actor).toBeUndefined();
    expect(wiki.db.prepare("SELECT count(*) FROM actor WHERE kind = 'temp'").pluck().get()).toBe(1);
  });

  it('cuts summaries to 500 characters and drops the minor flag on a new page', () => {
    const { save } = setup();
    const r = save({ source: 'x', comment: '€'.repeat(600), minor: true });
    expect(Array.from(r.revision.comment)).toHaveLength(500);
    expect(r.revision.minor).toBe(false);
  });

  it.each([
    { name: 'create over an existing page', run: (s: Setup) => s.save({ source: 'y', mode: 'create' }), error: PageExistsError },
    { name: 'base of another page', run: (s: Setup, ids: Ids) => s.save({ source: 'y', baseId: ids.other }), error: InvalidInputError },
    { name: 'unknown base revision', run: (s: Setup) => s.save({ source: 'y', baseId: 999 }), error: NotFoundError },
    { name: 'missing section', run: (s: Setup, ids: Ids) => s.save({ source: 'y', baseId: ids.first, section: 9 }), error: InvalidInputError },
    { name: 'over 1 MiB', run: (s: Setup) => s.save({ source: 'x'.repeat(1024 * 1024 + 1) }), error: TooLargeError },
  ])('refuses $name and writes nothing', ({ run, error }) => {
    const s = setup();
    const first = s.save({ source: base });
    const other = saveEdit(s.wiki.stores, { title: parseTitle('Other'), source: 'o', baseId: null, actor: s.alice });
    const before = revisionCount(s.wiki);
    expect(() => run(s, { first: first.revision.id, other: other.revision.id })).toThrow(error);
    expect(revisionCount(s.wiki)).toBe(before);
  });
});

interface Ids {
  first: number;
  other: number;
}

// ---- the work done before the write transaction, and saves that land in between ----

/** Runs `meanwhile` once, just before the next transaction begins: another writer saving in between. */
function interpose(stores: Stores, meanwhile: () => void): void {
  const real = stores.transaction;
  stores.transaction = <T>(fn: () => T): T => {
    stores.transaction = real;
    meanwhile();
    return real(fn);
  };
}

/** Records, for every text read, whether a transaction was open. */
function watchReads(s: Setup): boolean[] {
  const { stores, db } = s.wiki;
  const inside: boolean[] = [];
  const get = stores.content.get.bind(stores.content);
  stores.content.get = (id: number) => {
    inside.push(db.inTransaction);
    return get(id);
  };
  return inside;
}

type Setup = ReturnType<typeof setup>;

describe('saveEdit outside and inside the write transaction', () => {
  it('merges a stale edit before the transaction: no text is read inside it', () => {
    const s = setup();
    const first = s.save({ source: base });
    s.save({ source: base.replace('Old today.', 'New today.'), baseId: first.revision.id, actor: s.bob });
    const inside = watchReads(s);
    const mine = s.save({ source: base.replace('Old history.', 'New history.'), baseId: first.revision.id });
    expect(mine.merged).toBe(true);
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((x) => !x)).toBe(true);
  });

  it('merges again inside the transaction when someone saved after the edit was prepared', () => {
    const s = setup();
    const first = s.save({ source: base });
    interpose(s.wiki.stores, () => s.save({ source: base.replace('Old today.', 'New today.'), baseId: first.revision.id, actor: s.bob }));
    const mine = s.save({ source: base.replace('Old history.', 'New history.'), baseId: first.revision.id });
    expect(mine.merged).toBe(true);
    expect(s.wiki.stores.content.get(mine.revision.contentId)).toBe(base.replace('Old history.', 'New history.').replace('Old today.', 'New today.'));
    expect(revisionCount(s.wiki)).toBe(3);
  });

  it('refuses, inside the transaction, an edit that the save in between overlaps, and writes nothing', () => {
    const s = setup();
    const first = s.save({ source: base });
    interpose(s.wiki.stores, () => s.save({ source: base.replace('Old history.', 'Their history.'), baseId: first.revision.id, actor: s.bob }));
    expect(() => s.save({ source: base.replace('Old history.', 'My history.'), baseId: first.revision.id })).toThrow(EditConflictError);
    expect(revisionCount(s.wiki)).toBe(2);
  });

  it('scores risk on the final text of a hostile save quickly (the footnote scan was quadratic)', () => {
    const s = setup();
    const started = performance.now();
    const r = s.save({ source: '[^'.repeat(40_000) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(r.status).toBe('saved');
  });
});

describe('undo, restore and rollback when someone saves in between', () => {
  const three = 'Alpha line.\n\nBeta line.\n\nGamma line.\n\nDelta line.';

  function history(s: Setup) {
    const r1 = s.save({ source: three });
    const r2 = s.save({ source: three.replace('Alpha', 'Vandal alpha'), baseId: r1.revision.id, actor: s.bob });
    return { r1: r1.revision, r2: r2.revision };
  }

  it('undo plans again against the new latest text and keeps the edit made in between', async () => {
    const s = setup();
    const { r2 } = history(s);
    interpose(s.wiki.stores, () => s.save({ source: three.replace('Alpha', 'Vandal alpha').replace('Delta', 'Fresh delta'), baseId: r2.id }));
    const r = await undoRevision(s.wiki.stores, s.wiki.workers, { title: s.title, id: r2.id, actor: s.alice });
    expect(s.wiki.stores.content.get(r.revision.contentId)).toBe(three.replace('Delta', 'Fresh delta'));
    expect(s.wiki.stores.revisions.byId(r2.id)!.tags).toContain('reverted');
  });

  it('undo refuses when the edit in between overlaps the undone change, and writes nothing', async () => {
    const s = setup();
    const { r2 } = history(s);
    interpose(s.wiki.stores, () => s.save({ source: three.replace('Alpha', 'Reworded alpha'), baseId: r2.id }));
    await expect(undoRevision(s.wiki.stores, s.wiki.workers, { title: s.title, id: r2.id, actor: s.alice })).rejects.toThrow(EditConflictError);
    expect(revisionCount(s.wiki)).toBe(3);
  });

  it('restore still gives exactly the old text, not a merge with the edit in between', async () => {
    const s = setup();
    const { r1, r2 } = history(s);
    interpose(s.wiki.stores, () => s.save({ source: three.replace('Delta', 'Fresh delta'), baseId: r2.id }));
    const r = await restoreRevision(s.wiki.stores, s.wiki.workers, { title: s.title, to: r1.id, actor: s.alice });
    expect(s.wiki.stores.content.get(r.revision.contentId)).toBe(three);
  });

  it('rollback of the author the admin saw refuses when someone else saved in between', async () => {
    const s = setup();
    const { r2 } = history(s);
    interpose(s.wiki.stores, () => s.save({ source: three.replace('Delta', 'Fresh delta'), baseId: r2.id }));
    await expect(rollback(s.wiki.stores, s.wiki.workers, { title: s.title, actor: s.alice, from: 'Bob' })).rejects.toThrow(/nothing was rolled back/);
    expect(revisionCount(s.wiki)).toBe(3);
  });
});
