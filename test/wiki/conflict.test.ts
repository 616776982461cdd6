import { describe, expect, it } from 'vitest';
import { makeTestApp, createUser } from '../helpers/app.js';
import { saveEdit, saveEditAsync } from '../../server/wiki/edit.js';
import { resolveConflict, type RegionChoice } from '../../server/wiki/conflict.js';
import { EditConflictError } from '../../server/wiki/errors.js';
import { merge3 } from '../../server/wiki/merge.js';
import { parseTitle } from '../../server/wiki/title.js';
import { undoRevision } from '../../server/wiki/revert.js';

const base = 'alpha\nbeta\ngamma\ndelta\nepsilon\n';

/** "Doc" at `base`, then Bob's edit of lines 2 and 4; Alice's edit from `base` then conflicts on both. */
function conflicted() {
  const { wiki } = makeTestApp();
  const alice = createUser(wiki, { name: 'Alice' });
  const bob = createUser(wiki, { name: 'Bob' });
  const title = parseTitle('Doc');
  const first = saveEdit(wiki.stores, { title, source: base, baseId: null, actor: alice }).revision.id;
  const current = saveEdit(wiki.stores, { title, source: 'alpha\nBETA bob\ngamma\nDELTA bob\nepsilon\n', baseId: first, actor: bob }).revision.id;
  const mine = 'alpha\nbeta alice\ngamma\ndelta alice\nepsilon\n';
  let error: EditConflictError | undefined;
  try {
    saveEdit(wiki.stores, { title, source: mine, baseId: first, actor: alice });
  } catch (e) {
    if (e instanceof EditConflictError) error = e;
    else throw e;
  }
  return { wiki, alice, title, first, current, mine, error: error! };
}

describe('EditConflictError carries the merge made once in the domain', () => {
  it('holds the regions of base, mine and current, both conflicts with both sides', () => {
    const { error, first, current, mine } = conflicted();
    expect(error).toBeInstanceOf(EditConflictError);
    expect(error).toMatchObject({ baseId: first, current: { id: current }, mine });
    const merged = merge3(base, mine, error.current.source);
    expect(merged.clean).toBe(false);
    expect(error.regions).toEqual(merged.clean ? [] : merged.regions);
    expect(error.regions.filter((r) => r.kind === 'conflict')).toEqual([
      { kind: 'conflict', mine: ['beta alice'], base: ['beta'], theirs: ['BETA bob'] },
      { kind: 'conflict', mine: ['delta alice'], base: ['delta'], theirs: ['DELTA bob'] },
    ]);
  });

  it('holds them for an undo that later edits overlap, too', async () => {
    const { wiki, alice, title, current } = conflicted();
    const later = saveEdit(wiki.stores, { title, source: 'alpha\nBETA again\ngamma\nDELTA bob\nepsilon\n', baseId: current, actor: alice }).revision.id;
    const undo = undoRevision(wiki.stores, wiki.workers, { title, actor: alice, id: current });
    await expect(undo).rejects.toBeInstanceOf(EditConflictError);
    const e = (await undo.catch((x: unknown) => x)) as EditConflictError;
    expect(e.current.id).toBe(later);
    expect(e.regions.some((r) => r.kind === 'conflict')).toBe(true);
  });
});

describe('resolveConflict', () => {
  it.each<{ name: string; choices: RegionChoice[]; text: string }>([
    { name: 'mine everywhere', choices: ['mine', 'mine'], text: 'alpha\nbeta alice\ngamma\ndelta alice\nepsilon\n' },
    { name: 'theirs everywhere', choices: ['theirs', 'theirs'], text: 'alpha\nBETA bob\ngamma\nDELTA bob\nepsilon\n' },
    { name: 'one of each', choices: ['theirs', 'mine'], text: 'alpha\nBETA bob\ngamma\ndelta alice\nepsilon\n' },
    { name: 'by hand, line endings normalised', choices: [{ hand: 'both\r\nof us' }, 'theirs'], text: 'alpha\nboth\nof us\ngamma\nDELTA bob\nepsilon\n' },
  ])('$name', async ({ choices, text }) => {
    const { wiki, title, first, current, mine } = conflicted();
    const asked: number[] = [];
    const resolved = await resolveConflict(wiki.stores, wiki.workers, {
      title, mine, currentId: current, baseId: first, choose: (i) => (asked.push(i), choices[i]!),
    });
    expect(resolved).toBe(text);
    expect(asked).toEqual([0, 1]);
  });

  it('takes a merge that is clean by now whole, asking nothing', async () => {
    const { wiki, title, current } = conflicted();
    const mine = 'alpha\nBETA bob\ngamma\nDELTA bob\nepsilon\nand more\n';
    const resolved = await resolveConflict(wiki.stores, wiki.workers, { title, mine, currentId: current, baseId: current, choose: () => { throw new Error('asked'); } });
    expect(resolved).toBe(mine);
  });

  it('merges against an empty base for a new-page form', async () => {
    const { wiki, title, current } = conflicted();
    const resolved = await resolveConflict(wiki.stores, wiki.workers, { title, mine: 'mine only', currentId: current, baseId: null, choose: () => 'mine' });
    expect(resolved).toContain('mine only');
  });

  it.each([
    { name: 'the page is gone', o: { title: parseTitle('Nowhere') }, message: /no page "Nowhere" any more/ },
    { name: 'current is not a revision of it', o: { currentId: 9999 }, message: /Revision 9999/ },
    { name: 'the base is not a revision of it', o: { baseId: 9999 }, message: /Revision 9999/ },
  ])('refuses when $name', async ({ o, message }) => {
    const { wiki, title, first, current, mine } = conflicted();
    await expect(resolveConflict(wiki.stores, wiki.workers, { title, mine, currentId: current, baseId: first, choose: () => 'mine', ...o }))
      .rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(message) });
  });
});

describe('SaveResult.anchor', () => {
  const page = 'Intro\n\n## First part\n\none\n\n## Second part\n\ntwo\n';

  it.each([
    { name: 'section 2 saved', section: 2, source: '## Second part\n\nTWO\n', anchor: 'second-part' },
    { name: 'renamed heading', section: 1, source: '## Renamed\n\nONE\n', anchor: 'renamed' },
    { name: 'section 0 has none', section: 0, source: 'New intro\n', anchor: undefined },
    { name: 'whole page has none', section: undefined, source: page + 'more\n', anchor: undefined },
  ])('$name', async ({ section, source, anchor }) => {
    const { wiki } = makeTestApp();
    const title = parseTitle('Sections');
    const actor = wiki.stores.actors.system();
    const first = saveEdit(wiki.stores, { title, source: page, baseId: null, actor }).revision.id;
    const sync = saveEdit(wiki.stores, { title, source, section, baseId: first, actor });
    expect(sync.anchor).toBe(anchor);
    // The async path (the routes') gives the same, on a null edit as well.
    const again = await saveEditAsync(wiki.stores, wiki.workers, { title, source, section, baseId: sync.revision.id, actor });
    expect(again.status).toBe('nochange');
    expect(again.anchor).toBe(anchor);
  });
});
