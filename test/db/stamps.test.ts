/** Page stamps for the view cache: PageStore.stamp's answers, read once per turn and remembered while nothing is written. */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { STAMP_SQL } from '../../server/db/pages.js';
import { parseTitle } from '../../server/wiki/title.js';
import { deletePage } from '../../server/wiki/admin.js';
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
  it('opens its read-only connection when told, before any lookup', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerwiki-stamps-'));
    try {
      const file = join(dir, 'wiki.db');
      const { db, s } = wikiWithPage(file);
      const handles = () => readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
      const before = handles();
      s.stamps.open();
      expect(handles()).toBe(before + 1);
      s.stamps.open();
      expect(handles()).toBe(before + 1);
      expect(s.stamps.now(title.text)).toBe(s.pages.stamp(title.text));
      s.stamps.close();
      // Closed, it answers through the wiki's own connection. (SQLite keeps the reader's file
      // handle until this process's other connection lets go of its locks: not counted here.)
      expect(s.stamps.now(title.text)).toBe(s.pages.stamp(title.text));
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

  it('has an epoch that moves with every change to any page, however it is made, and with nothing else', async () => {
    const { db, s } = wikiWithPage(':memory:');
    const epoch = () => s.pages.stampEpoch();
    const moves = (change: () => void) => {
      const before = epoch();
      change();
      return epoch() !== before;
    };
    const t = title.text;
    expect(moves(() => saveEdit(s, { title, source: 'two', baseId: s.pages.byTitle(title)!.latestId, actor: s.actors.system() }))).toBe(true);
    expect(moves(() => saveEdit(s, { title: parseTitle('Another page'), source: 'x', baseId: null, actor: s.actors.system() }))).toBe(true);
    // Writes that bypass the wiki's code are caught too: the epoch is kept by triggers.
    expect(moves(() => db.prepare('UPDATE page SET touched = touched + 1 WHERE title = ?').run(t))).toBe(true);
    expect(moves(() => db.prepare("UPDATE page SET title = 'Renamed' WHERE title = ?").run(t))).toBe(true);
    expect(moves(() => db.prepare("INSERT INTO page (title, namespace, created_at) VALUES ('Bare row', 0, '2026-01-01T00:00:00Z')").run())).toBe(true);
    expect(moves(() => db.prepare("DELETE FROM page WHERE title = 'Bare row'").run())).toBe(true);
    expect(moves(() => deletePage(s, s.actors.system(), parseTitle('Renamed'), 'test'))).toBe(true);
    // Writes that change no page's stamp leave it.
    expect(moves(() => s.settings.getOrCreate('a setting', () => 'v'))).toBe(false);
    expect(moves(() => db.prepare("UPDATE page SET is_redirect = 1 - is_redirect WHERE title = 'Another page'").run())).toBe(false);
    // The stamps read it once a turn, as they read stamps.
    await new Promise((r) => setImmediate(r));
    expect(s.stamps.epoch()).toBe(epoch());
    saveEdit(s, { title: parseTitle('Third page'), source: 'x', baseId: null, actor: s.actors.system() });
    expect(s.stamps.epoch()).toBe(epoch());
  });

  it('reads a stamp from one covering index, not the title index and then the table', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${STAMP_SQL}`).all('Peer networks') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH page USING COVERING INDEX page_stamp (title=?)']);
  });
});
