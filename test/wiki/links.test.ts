import { describe, expect, it, vi } from 'vitest';
import { makeTestApp } from '../helpers/app.js';
import { saveEdit, saveEditAsync } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { finishDeferredRowsAsync, INLINE_LINK_ROWS, recoverPendingRows, updateRows } from '../../server/wiki/links.js';
import { CHUNK_CHARS } from '../../server/db/search.js';
import { TextWorkers } from '../../server/wiki/work/pool.js';
import type { Wiki } from '../../server/bootstrap.js';

const many = (n: number, prefix = 'Target') => Array.from({ length: n }, (_, i) => `[[${prefix} ${i}]]`).join(' ');
const linkRows = (wiki: Wiki, pageId: number) => wiki.db.prepare('SELECT to_title FROM link WHERE from_page = ? ORDER BY to_title').pluck().all(pageId) as string[];
const found = (wiki: Wiki, word: string) => wiki.stores.search.search(word, 10, 0).map((h) => h.title);
const pending = (wiki: Wiki) => wiki.db.prepare('SELECT count(*) FROM links_pending').pluck().get();
const title = parseTitle('Many links');

describe('derived rows: links, categories and the search entry', () => {
  it('writes only the rows that change', () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r1 = saveEdit(wiki.stores, { title, source: '[[A]] [[B]] [[C]]', baseId: null, actor });
    // Link rows name their target by id (migration 0021): watched on the table itself.
    wiki.db.exec('CREATE TEMP TABLE written (what TEXT); CREATE TEMP TRIGGER link_deleted AFTER DELETE ON page_link BEGIN INSERT INTO written VALUES (\'-\' || old.target_id); END; CREATE TEMP TRIGGER link_inserted AFTER INSERT ON page_link BEGIN INSERT INTO written VALUES (\'+\' || new.target_id); END;');
    const idOf = (t: string) => wiki.db.prepare('SELECT id FROM link_target WHERE title = ?').pluck().get(t) as number;
    const b = idOf('B');
    saveEdit(wiki.stores, { title, source: '[[A]] [[C]] [[D]] [[Category:X]]', baseId: r1.revision.id, actor });
    expect(linkRows(wiki, r1.page.id)).toEqual(['A', 'C', 'D']);
    // Unchanged rows (A, C) were neither deleted nor written again.
    expect(wiki.db.prepare('SELECT what FROM written ORDER BY what').pluck().all()).toEqual([`+${idOf('D')}`, `-${b}`]);
  });

  it('writes the change worked out from a big old text, without reading the rows, unless they drifted', async () => {
    // Every text counts as big here, so the save works the change out in the text process.
    const workers = new TextWorkers({ offloadFrom: 1 });
    const { wiki } = makeTestApp({}, { workers });
    try {
      const actor = wiki.stores.actors.system();
      const r1 = await saveEditAsync(wiki.stores, workers, { title, source: '[[A]] [[B]] [[A]] [[Category:X]]', baseId: null, actor });
      const read = vi.spyOn(wiki.stores.links, 'changeTo');
      const r2 = await saveEditAsync(wiki.stores, workers, { title, source: '[[B]] [[C]] [[Category:Y]]', baseId: r1.revision.id, actor });
      expect(read).not.toHaveBeenCalled();
      expect(linkRows(wiki, r1.page.id)).toEqual(['B', 'C']);
      // Rows that are not the old text's (here one lost) are read and put right instead.
      wiki.db.prepare("DELETE FROM link WHERE to_title = 'C'").run();
      await saveEditAsync(wiki.stores, workers, { title, source: '[[B]] [[C]] [[D]]', baseId: r2.revision.id, actor });
      expect(read).toHaveBeenCalledTimes(1);
      expect(linkRows(wiki, r1.page.id)).toEqual(['B', 'C', 'D']);
      expect(wiki.db.prepare('SELECT category FROM category_link WHERE page_id = ?').pluck().all(r1.page.id)).toEqual([]);
    } finally {
      await workers.close();
    }
  });

  it('writes a huge change after the save, in batches that let other work run between them', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const n = INLINE_LINK_ROWS * 10;
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
    const deferred = wiki.stores.transaction(() => updateRows(wiki.stores, { pageId: r.page.id, revisionId: r.revision.id, title: title.text, links: targets, categories: [], text: 'Start', sha1: r.revision.sha1, sourceLength: 5 }));
    expect(deferred).toBeDefined();
    const batches = finishDeferredRowsAsync(wiki.stores, deferred); // its first batch runs now
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
    expect(recoverPendingRows(wiki.stores)).toBe(1);
    expect(linkRows(wiki, r.page.id)).toEqual(['A', 'B']);
    expect(pending(wiki)).toBe(0);
  });

  it('indexes a long text for search after the save, in its own step, and a crash leaves it to recovery', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const long = `${'filler words here '.repeat(Math.ceil((CHUNK_CHARS * 5) / 18))}zebracorn`;
    const saved = await saveEditAsync(wiki.stores, wiki.workers, { title, source: long, baseId: null, actor });
    expect(found(wiki, 'zebracorn')).toEqual([title.text]);
    expect(pending(wiki)).toBe(0);
    // As if the process died after the commit, before the deferred step wrote the entry.
    wiki.stores.search.delete(saved.page.id);
    wiki.stores.links.markPending(saved.page.id, saved.revision.id);
    expect(found(wiki, 'zebracorn')).toEqual([]);
    expect(recoverPendingRows(wiki.stores)).toBe(1);
    expect(found(wiki, 'zebracorn')).toEqual([title.text]);
  });

  it('leaves a long text out of the save transaction: only the deferred step indexes it', () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r = saveEdit(wiki.stores, { title, source: 'Short start', baseId: null, actor });
    const text = `${'x '.repeat(CHUNK_CHARS * 2)} quokkaword`;
    const d = wiki.stores.transaction(() => updateRows(wiki.stores, { pageId: r.page.id, revisionId: r.revision.id, title: title.text, links: [], categories: [], text, sha1: r.revision.sha1, sourceLength: text.length }));
    expect(d?.index?.chunks.join('')).toBe(text);
    expect(found(wiki, 'quokkaword')).toEqual([]);
    expect(pending(wiki)).toBe(1);
  });
});
