import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../helpers/app.js';
import { saveEdit, saveEditAsync } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { finishDeferredLinksAsync, INLINE_LINK_ROWS, recoverPendingLinks, updateLinks } from '../../server/wiki/links.js';
import type { Wiki } from '../../server/bootstrap.js';

const many = (n: number, prefix = 'Target') => Array.from({ length: n }, (_, i) => `[[${prefix} ${i}]]`).join(' ');
const linkRows = (wiki: Wiki, pageId: number) => wiki.db.prepare('SELECT to_title FROM link WHERE from_page = ? ORDER BY to_title').pluck().all(pageId) as string[];
const pending = (wiki: Wiki) => wiki.db.prepare('SELECT count(*) FROM links_pending').pluck().get();
const title = parseTitle('Many links');

describe('link rows', () => {
  it('writes only the rows that change', () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r1 = saveEdit(wiki.stores, { title, source: '[[A]] [[B]] [[C]]', baseId: null, actor });
    wiki.db.exec('CREATE TEMP TABLE written (what TEXT); CREATE TEMP TRIGGER link_deleted AFTER DELETE ON link BEGIN INSERT INTO written VALUES (\'-\' || old.to_title); END; CREATE TEMP TRIGGER link_inserted AFTER INSERT ON link BEGIN INSERT INTO written VALUES (\'+\' || new.to_title); END;');
    saveEdit(wiki.stores, { title, source: '[[A]] [[C]] [[D]] [[Category:X]]', baseId: r1.revision.id, actor });
    expect(linkRows(wiki, r1.page.id)).toEqual(['A', 'C', 'D']);
    // Unchanged rows (A, C) were neither deleted nor written again.
    expect(wiki.db.prepare('SELECT what FROM written ORDER BY what').pluck().all()).toEqual(['+D', '-B']);
  });

  it('writes a huge change after the save, in batches that let other work run between them', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const n = INLINE_LINK_ROWS * 3;
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const r = await saveEditAsync(wiki.stores, wiki.workers, { title, source: many(n), baseId: null, actor });
    ticking = false;
    expect(linkRows(wiki, r.page.id)).toHaveLength(n);
    expect(pending(wiki)).toBe(0);
    expect(ticks).toBeGreaterThan(2);
  });

  it('lets a newer save take over a batched update, so the rows match the newest text', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r = saveEdit(wiki.stores, { title, source: '[[Start]]', baseId: null, actor });
    const targets = Array.from({ length: INLINE_LINK_ROWS * 4 }, (_, i) => `Target ${i}`);
    const deferred = wiki.stores.transaction(() => updateLinks(wiki.stores, r.page.id, r.revision.id, targets, []));
    expect(deferred).toBeDefined();
    const batches = finishDeferredLinksAsync(wiki.stores, deferred); // its first batch runs now
    saveEdit(wiki.stores, { title, source: '[[Only this]]', baseId: r.revision.id, actor });
    await batches;
    expect(linkRows(wiki, r.page.id)).toEqual(['Only this']);
    expect(pending(wiki)).toBe(0);
  });

  it('finishes rows a crash left pending when the wiki next opens', () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r = saveEdit(wiki.stores, { title, source: '[[A]] [[B]]', baseId: null, actor });
    // As if the process died between the save's commit and its batches.
    wiki.db.prepare("DELETE FROM link WHERE to_title = 'B'").run();
    wiki.stores.links.markPending(r.page.id, r.revision.id);
    expect(recoverPendingLinks(wiki.stores)).toBe(1);
    expect(linkRows(wiki, r.page.id)).toEqual(['A', 'B']);
    expect(pending(wiki)).toBe(0);
  });
});
