import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { makeTestApp } from '../helpers/app.js';
import { saveEdit, saveEditAsync } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { searchPages } from '../../server/wiki/search.js';
import { flushSearchQueue, QUEUE_SOURCE_MAX, queueIndex, reportSearchQueue, SEARCH_FLUSH_MS, searchQueueSettled } from '../../server/wiki/searchQueue.js';
import { createStores } from '../../server/db/stores.js';
import { IntegrityStore } from '../../server/db/integrity.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Wiki } from '../../server/bootstrap.js';

const title = parseTitle('Gossip protocols');
/** Pages the index holds for `word`, read straight from FTS5: no flush of the queue first. */
const indexed = (wiki: Wiki, word: string) =>
  wiki.db.prepare('SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rowid').pluck().all(`"${word}"`) as number[];
const queued = (wiki: Wiki) => wiki.db.prepare('SELECT page_id FROM search_queue ORDER BY page_id').pluck().all() as number[];
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('search queue: the index written in batches after saves', () => {
  it('queues a save\'s page instead of indexing it in the save, and a search indexes the queue first', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r = await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'Epidemic spreading of **rumours**.', baseId: null, actor });
    expect(indexed(wiki, 'rumours')).toEqual([]);
    expect(queued(wiki)).toEqual([r.page.id]);
    expect(searchPages(wiki.stores, 'rumours', 10).map((h) => h.title)).toEqual([title.text]);
    expect(queued(wiki)).toEqual([]);
    expect(indexed(wiki, 'rumours')).toEqual([r.page.id]);
  });

  it('answers a search over HTTP with what the API just saved, before the batch ran', async () => {
    const { app, wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'Words about *zeppelins*.', baseId: null, actor });
    expect(queued(wiki)).toHaveLength(1);
    const api = await request(app).get('/api/v1/search/page?q=zeppelins');
    expect(api.status).toBe(200);
    expect(api.body.pages.map((p: { title: string }) => p.title)).toEqual([title.text]);
    await saveEditAsync(wiki.stores, wiki.workers, { title: parseTitle('Airships'), source: 'More zeppelins.', baseId: null, actor });
    const html = await request(app).get('/special/search?q=zeppelins&fulltext=1');
    expect(html.status).toBe(200);
    expect(html.text).toContain('Airships');
    expect(queued(wiki)).toEqual([]);
  });

  it('indexes a page saved many times before the batch once, from its latest text', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    let latest = (await saveEditAsync(wiki.stores, wiki.workers, { title: parseTitle('Storm'), source: 'Version 0.', baseId: null, actor })).revision.id;
    for (let i = 1; i <= 20; i++) {
      latest = (await saveEditAsync(wiki.stores, wiki.workers, { title: parseTitle('Storm'), source: `Version ${i}, word${i}.`, baseId: latest, actor })).revision.id;
    }
    const put = wiki.stores.search.put.bind(wiki.stores.search);
    let puts = 0;
    wiki.stores.search.put = (...args) => {
      puts++;
      return put(...args);
    };
    await later(SEARCH_FLUSH_MS * 1.5);
    await searchQueueSettled(wiki.stores);
    expect(puts).toBe(1);
    expect(indexed(wiki, 'word20')).toHaveLength(1);
    expect(indexed(wiki, 'word19')).toEqual([]);
  });

  it('indexes what is queued SEARCH_FLUSH_MS after the saves, many pages in one transaction', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await saveEditAsync(wiki.stores, wiki.workers, { title: parseTitle(`Page ${i}`), source: `Common word and unique${i}.`, baseId: null, actor });
      ids.push(r.page.id);
    }
    expect(indexed(wiki, 'common')).toEqual([]);
    const begin = wiki.stores.transaction;
    let transactions = 0;
    wiki.stores.transaction = (fn) => {
      // Top-level ones only: each page gets a savepoint of its own inside the batch's transaction.
      if (!wiki.db.inTransaction) transactions++;
      return begin(fn);
    };
    await later(SEARCH_FLUSH_MS * 1.5);
    await searchQueueSettled(wiki.stores);
    expect(queued(wiki)).toEqual([]);
    expect(indexed(wiki, 'common')).toEqual(ids);
    expect(indexed(wiki, 'unique7')).toEqual([ids[7]]);
    // One batch for all 30, and one that found the queue empty.
    expect(transactions).toBeLessThanOrEqual(2);
  });

  it('indexes only the latest text of a page saved again before the batch', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r1 = await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'First wording.', baseId: null, actor });
    await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'Second wording.', baseId: r1.revision.id, actor });
    expect(queued(wiki)).toEqual([r1.page.id]);
    expect(flushSearchQueue(wiki.stores)).toBe(1);
    expect(indexed(wiki, 'first')).toEqual([]);
    expect(indexed(wiki, 'second')).toEqual([r1.page.id]);
  });

  it('indexes from the stored text what another process (or a crash) left queued', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r = await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'Anti-entropy with [[Merkle trees|hash trees]].', baseId: null, actor });
    // A process that did not make the save keeps none of its plain text.
    const other = createStores(wiki.db);
    expect(flushSearchQueue(other)).toBe(1);
    expect(indexed(wiki, 'hash')).toEqual([r.page.id]);
    expect(indexed(wiki, 'merkle')).toEqual([]);
  });

  it('does not trust a plain text kept under a revision id a rolled-back transaction handed out', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    const r = await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'The real words.', baseId: null, actor });
    expect(() =>
      wiki.stores.transaction(() => {
        queueIndex(wiki.stores, { pageId: r.page.id, revisionId: r.revision.id, sha1: '0'.repeat(40), text: 'bogusword' });
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    flushSearchQueue(wiki.stores);
    expect(indexed(wiki, 'bogusword')).toEqual([]);
    expect(indexed(wiki, 'real')).toEqual([r.page.id]);
  });

  it('reports a page it cannot index and indexes the pages queued after it', async () => {
    const { wiki } = makeTestApp();
    const reported: unknown[] = [];
    reportSearchQueue(wiki.stores, (e) => reported.push(e));
    const actor = wiki.stores.actors.system();
    const bad = await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'Soon damaged words.', baseId: null, actor });
    const good = await saveEditAsync(wiki.stores, wiki.workers, { title: parseTitle('Healthy'), source: 'Healthy words.', baseId: null, actor });
    // Another process's batch (no kept text), and the first page's stored text damaged.
    const other = createStores(wiki.db);
    reportSearchQueue(other, (e) => reported.push(e));
    wiki.db.prepare("UPDATE content SET encoding = 'deflate', data = x'00ff00' WHERE id = ?").run(bad.revision.contentId);
    expect(flushSearchQueue(other)).toBe(2);
    expect(reported).toHaveLength(1);
    expect(indexed(wiki, 'healthy')).toEqual([good.page.id]);
    expect(queued(wiki)).toEqual([]);
  });

  it('indexes a long source in the save itself rather than queueing a parse of it for the batch', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    // A long source with little plain text: 100 KiB of category markers around one word.
    const source = `Lonelyword\n\n${'[[Category:Filler]] '.repeat(Math.ceil((QUEUE_SOURCE_MAX + 1024) / 20))}`;
    const r = await saveEditAsync(wiki.stores, wiki.workers, { title, source, baseId: null, actor });
    expect(queued(wiki)).toEqual([]);
    expect(indexed(wiki, 'lonelyword')).toEqual([r.page.id]);
  });

  it('drops the queued entry of a page deleted before the batch', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'Soon gone.', baseId: null, actor });
    deletePage(wiki.stores, actor, title, 'test');
    expect(queued(wiki)).toEqual([]);
    expect(flushSearchQueue(wiki.stores)).toBe(0);
    expect(indexed(wiki, 'gone')).toEqual([]);
  });

  it('counts a queued page as indexed in check, and a synchronous save (tools) indexes at once', async () => {
    const { wiki } = makeTestApp();
    const actor = wiki.stores.actors.system();
    await saveEditAsync(wiki.stores, wiki.workers, { title, source: 'Waiting words.', baseId: null, actor });
    const check = new IntegrityStore(wiki.db);
    expect(check.missingFromSearch(10).count).toBe(0);
    const tool = saveEdit(wiki.stores, { title: parseTitle('Imported'), source: 'Tool words.', baseId: null, actor });
    expect(indexed(wiki, 'tool')).toEqual([tool.page.id]);
    // The synchronous save wrote what the earlier one left queued too.
    expect(queued(wiki)).toEqual([]);
  });
});
