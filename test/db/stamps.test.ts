/** Page stamps for the view cache: PageStore.stamp's answers, read once per turn and remembered while nothing is written. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { STAMP_SQL } from '../../server/db/pages.js';
import { parseTitle } from '../../server/wiki/title.js';
describe('Stamps (stores.stamps)', () => {
  const turn = () => new Promise((r) => setImmediate(r));
  const title = parseTitle('Peer networks');

  /** A wiki in `file` (':memory:' or a path) with one page saved. */
  function wikiWithPage(file: string) {
    const db = openDatabase(file);
    migrate(db);
    const s = createStores(db);
    saveEdit(s, { title, source: 'one', baseId: null, actor: s.actors.system() });
    return { db, s };
  }

  it('remembers stamps until anything is written, by this connection or another, as of the next turn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerwiki-stamps-'));
    try {
      const file = join(dir, 'wiki.db');
      const { db, s } = wikiWithPage(file);
      const t = title;
      const first = s.stamps.now(t.text);
      expect(first).toBe(s.pages.stamp(t.text));
      expect(s.stamps.now('Nowhere')).toBeUndefined();

      // Another process commits: seen from the next turn of the event loop (a request sent after
      // that commit arrives in a later turn than this one).
      const other = openDatabase(file);
      other.prepare('UPDATE page SET touched = touched + 1 WHERE title = ?').run(t.text);
      expect(s.stamps.now(t.text)).toBe(first);
      await turn();
      const second = s.stamps.now(t.text);
      expect(second).not.toBe(first);
      expect(second).toBe(s.pages.stamp(t.text));

      // A page made elsewhere: no longer missing from the next turn.
      const made = saveEdit(createStores(other), { title: parseTitle('Nowhere'), source: 'x', baseId: null, actor: s.actors.system() });
      await turn();
      expect(s.stamps.now('Nowhere')).toBe(`${made.page.id}:${made.revision.id}:${made.page.touched}`);

      // This connection's own transactions: at once.
      saveEdit(s, { title: t, source: 'two', baseId: s.pages.byTitle(t)!.latestId, actor: s.actors.system() });
      expect(s.stamps.now(t.text)).toBe(s.pages.stamp(t.text));
      expect(s.stamps.now(t.text)).not.toBe(second);

      // And its writes outside one, from the next turn.
      const before = s.stamps.now(t.text);
      db.prepare('UPDATE page SET touched = touched + 1 WHERE title = ?').run(t.text);
      await turn();
      expect(s.stamps.now(t.text)).not.toBe(before);
      expect(s.stamps.now(t.text)).toBe(s.pages.stamp(t.text));
      other.close();
      s.stamps.close();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('does the same on an in-memory database, through its one connection', async () => {
    const { db, s } = wikiWithPage(':memory:');
    const t = title;
    const first = s.stamps.now(t.text);
    expect(first).toBe(s.pages.stamp(t.text));
    db.prepare('UPDATE page SET touched = touched + 1 WHERE title = ?').run(t.text);
    expect(s.stamps.now(t.text)).toBe(first);
    await new Promise((r) => setImmediate(r));
    expect(s.stamps.now(t.text)).toBe(s.pages.stamp(t.text));
    expect(s.stamps.now(t.text)).not.toBe(first);
  });

  it('reads a stamp from one covering index, not the title index and then the table', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${STAMP_SQL}`).all('Peer networks') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH page USING COVERING INDEX page_stamp (title=?)']);
  });
});
