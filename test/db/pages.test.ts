import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('PageStore.stampNow', () => {
  const turn = () => new Promise((r) => setImmediate(r));

  it('remembers stamps until anything is written, by this connection or another, as of the next turn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerwiki-stamps-'));
    try {
      const file = join(dir, 'wiki.db');
      const db = openDatabase(file);
      migrate(db);
      const s = createStores(db);
      const t = parseTitle('Peer networks');
      saveEdit(s, { title: t, source: 'one', baseId: null, actor: s.actors.system() });
      const first = s.pages.stampNow(t.text);
      expect(first).toBe(s.pages.stamp(t.text));
      expect(s.pages.stampNow('Nowhere')).toBeUndefined();

      // Another process commits: seen from the next turn of the event loop (a request sent after
      // that commit arrives in a later turn than this one).
      const other = openDatabase(file);
      other.prepare('UPDATE page SET touched = touched + 1 WHERE title = ?').run(t.text);
      expect(s.pages.stampNow(t.text)).toBe(first);
      await turn();
      const second = s.pages.stampNow(t.text);
      expect(second).not.toBe(first);
      expect(second).toBe(s.pages.stamp(t.text));

      // A page made elsewhere: no longer missing from the next turn.
      const made = saveEdit(createStores(other), { title: parseTitle('Nowhere'), source: 'x', baseId: null, actor: s.actors.system() });
      await turn();
      expect(s.pages.stampNow('Nowhere')).toBe(`${made.page.id}:${made.revision.id}:${made.page.touched}`);

      // This connection's own transactions: at once.
      saveEdit(s, { title: t, source: 'two', baseId: s.pages.byTitle(t)!.latestId, actor: s.actors.system() });
      expect(s.pages.stampNow(t.text)).toBe(s.pages.stamp(t.text));
      expect(s.pages.stampNow(t.text)).not.toBe(second);

      // And its writes outside one, from the next turn.
      const before = s.pages.stampNow(t.text);
      db.prepare('UPDATE page SET touched = touched + 1 WHERE title = ?').run(t.text);
      await turn();
      expect(s.pages.stampNow(t.text)).not.toBe(before);
      expect(s.pages.stampNow(t.text)).toBe(s.pages.stamp(t.text));
      other.close();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
