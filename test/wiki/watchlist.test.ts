import { describe, expect, it } from 'vitest';
import { makeTestApp, createUser } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { isWatched, setWatched, watchlistChanges } from '../../server/wiki/watchlist.js';
import { parseTitle } from '../../server/wiki/title.js';

function setup() {
  const { wiki } = makeTestApp();
  const alice = createUser(wiki, { name: 'Alice' });
  const s = wiki.stores;
  const actor = s.actors.system();
  const ids = ['One', 'Two', 'Three'].map((t) => saveEdit(s, { title: parseTitle(t), source: `${t} text`, baseId: null, actor }).revision.id);
  return { wiki, s, alice, actor, ids };
}

describe('watchlist', () => {
  it.each([
    { name: 'nobody', actor: undefined },
    { name: 'a temporary account', actor: 'temp' as const },
  ])('refuses $name', ({ actor }) => {
    const { s } = setup();
    const who = actor === 'temp' ? s.actors.createTemporary() : undefined;
    expect(() => setWatched(s, who, parseTitle('One'), true)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(isWatched(s, who, s.pages.byTitle(parseTitle('One'))!.id)).toBe(false);
  });

  it('watches and unwatches, twice changing nothing more; refuses a missing page', () => {
    const { s, alice } = setup();
    const page = setWatched(s, alice, parseTitle('One'), true);
    setWatched(s, alice, parseTitle('One'), true);
    expect(isWatched(s, alice, page.id)).toBe(true);
    expect(watchlistChanges(s, alice, { limit: 10 }).watching).toBe(1);
    setWatched(s, alice, parseTitle('One'), false);
    expect(isWatched(s, alice, page.id)).toBe(false);
    expect(() => setWatched(s, alice, parseTitle('Nowhere'), true)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('lists changes to watched, live pages only, newest first, in pages with a cursor', () => {
    const { s, alice, actor, ids } = setup();
    setWatched(s, alice, parseTitle('One'), true);
    setWatched(s, alice, parseTitle('Two'), true);
    const later = saveEdit(s, { title: parseTitle('One'), source: 'again', baseId: ids[0]!, actor }).revision.id;
    const first = watchlistChanges(s, alice, { limit: 2 });
    expect(first.rows.map((r) => r.revision.id)).toEqual([later, ids[1]]);
    expect(first.olderThan).toBe(ids[1]);
    const second = watchlistChanges(s, alice, { beforeId: first.olderThan, limit: 2 });
    expect(second.rows.map((r) => r.revision.id)).toEqual([ids[0]]);
    expect(second.olderThan).toBeUndefined();
    deletePage(s, actor, parseTitle('Two'), '');
    expect(watchlistChanges(s, alice, { limit: 10 }).rows.map((r) => r.page.title.text)).toEqual(['One', 'One']);
  });
});
