import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';

function stores() {
  const db = openDatabase(':memory:');
  migrate(db);
  return createStores(db);
}

describe('PageStore', () => {
  it.each([
    { name: 'main namespace', title: 'Peer networks' },
    { name: 'talk page', title: 'Talk:Peer networks' },
    { name: 'category', title: 'Category:Protocols' },
    { name: 'colon not a namespace', title: 'Ratio: 1:2' },
  ])('gives back the title parseTitle made ($name)', ({ title }) => {
    const s = stores();
    const t = parseTitle(title);
    const id = saveEdit(s, { title: t, source: 'x', baseId: null, actor: s.actors.system() }).page.id;
    expect(s.pages.byTitle(t)!.title).toEqual(t);
    expect(s.pages.byId(id)!.title).toEqual(t);
  });

  it('leaves deleted pages out of byId, byTitle, count and list', () => {
    const s = stores();
    const actor = s.actors.system();
    const a = saveEdit(s, { title: parseTitle('A page'), source: 'x', baseId: null, actor }).page.id;
    const b = saveEdit(s, { title: parseTitle('B page'), source: 'x', baseId: null, actor }).page.id;
    deletePage(s, actor, parseTitle('B page'), '');
    expect(s.pages.byId(a)).toBeDefined();
    expect(s.pages.byId(b)).toBeUndefined();
    expect(s.pages.byTitle(parseTitle('B page'))).toBeUndefined();
    expect(s.pages.count()).toBe(1);
    expect(s.pages.list('', 10, 0).map((p) => p.title.text)).toEqual(['A page']);
  });

  it('knows which titles exist, in one statement', () => {
    const s = stores();
    saveEdit(s, { title: parseTitle('There'), source: 'x', baseId: null, actor: s.actors.system() });
    expect(s.pages.existing(['There', 'Not there'])).toEqual(new Set(['There']));
    expect(s.pages.existing([])).toEqual(new Set());
  });
});
