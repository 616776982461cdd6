/**
 * The search index written in batches, after saves. A save queues its page (one small row in its
 * own transaction) instead of writing its FTS5 rows there: FTS5 writes a new segment for every
 * transaction that touches it, about half of the pages a save wrote to the WAL. Batched, a
 * hundred saves make one segment, and a page saved many times meanwhile is indexed once. Nobody
 * sees the difference: a search first indexes whatever is queued (wiki/search.ts), the batch runs
 * SEARCH_FLUSH_MS after a save, and what a crash left queued is indexed at start-up. A text too long for one transaction (links.ts) is not queued: it
 * is indexed a chunk at a time, as before.
 */
import type { Stores } from '../db/stores.js';
import { MemoKey } from '../db/memo.js';
import { analyzeForIndex } from './markdown.js';

/**
 * From the first save queued to the batch that indexes it. Edit storms hit a few pages again and
 * again (a news event, a vandal and the people reverting it, the benchmark's 20 pages): a second
 * lets each page's saves meanwhile share one index write. At 100 ms the batches cost a tenth of
 * every save's time on the request's thread (bench, edit_per_s profile); searches never wait for
 * them, since a search indexes what is queued first.
 */
export const SEARCH_FLUSH_MS = 1_000;
/** Pages a batch indexes in one transaction, and their plain text at most (a few ms of FTS5 work). */
const BATCH_PAGES = 64;
const BATCH_CHARS = 512 * 1024;
/**
 * Plain texts kept from saves for the batch (one a page, the latest): past this many characters
 * they are dropped, and worked out again by the batch. Bounds what a storm of saves of distinct
 * pages holds for up to SEARCH_FLUSH_MS (2 MiB of UTF-16).
 */
const KEPT_CHARS = 1024 * 1024;
/**
 * Sources longer than this are not queued: the save indexes them itself (links.ts). A batch that
 * has no kept plain text parses the source again, holding the write lock: this bounds that work.
 */
export const QUEUE_SOURCE_MAX = 64 * 1024;

/** What a save worked out that the batch needs: its plain text, so the batch need not parse the page again. */
interface KeptText {
  revisionId: number;
  sha1: string;
  text: string;
}

interface Queue {
  texts: Map<number, KeptText>;
  keptChars: number;
  timer?: NodeJS.Timeout;
  flushing?: Promise<void>;
  report: (e: unknown) => void;
}

// One per database, kept by its Stores: page and revision ids are only unique within one.
const QUEUES = new MemoKey<Queue>('search queue');

function queueOf(stores: Stores): Queue {
  return stores.memo.get(QUEUES, () => ({ texts: new Map(), keptChars: 0, report: (e: unknown) => console.error(e) }));
}

function forgetTexts(q: Queue): void {
  q.texts.clear();
  q.keptChars = 0;
}

/**
 * Inside a save's transaction: queue the page's search entry, to be written from `text` (the plain
 * text of revision `revisionId`, whose SHA-1 is `sha1`) by the next batch.
 */
export function queueIndex(stores: Stores, s: { pageId: number; revisionId: number; sha1: string; text: string }): void {
  stores.search.enqueue(s.pageId, s.revisionId);
  const q = queueOf(stores);
  if (q.keptChars + s.text.length > KEPT_CHARS) forgetTexts(q);
  // Kept by SHA-1 as well as id: ids handed out in a rolled-back transaction are used again.
  q.keptChars += s.text.length - (q.texts.get(s.pageId)?.text.length ?? 0);
  q.texts.set(s.pageId, { revisionId: s.revisionId, sha1: s.sha1, text: s.text });
  schedule(stores, q);
}

/** Index up to BATCH_PAGES queued pages in one transaction; how many were taken off the queue. */
function indexBatch(stores: Stores, q: Queue): number {
  return stores.transaction(() => writeBatch(stores, q));
}

/** indexBatch, waiting for another worker's write lock without holding the event loop (stores.transactionAsync). */
function indexBatchAsync(stores: Stores, q: Queue): Promise<number> {
  return stores.transactionAsync(() => writeBatch(stores, q));
}

/** Inside a transaction: the writes of one batch. */
function writeBatch(stores: Stores, q: Queue): number {
  const rows = stores.search.queued(BATCH_PAGES);
  let chars = 0;
  let taken = 0;
  for (const row of rows) {
    if (chars >= BATCH_CHARS) break;
    taken++;
    const kept = q.texts.get(row.pageId);
    if (kept?.revisionId === row.revisionId) {
      q.texts.delete(row.pageId);
      q.keptChars -= kept.text.length;
    }
    try {
      // A savepoint each: a page that cannot be indexed (a damaged text) is reported and left
      // out, and never holds up the pages queued after it.
      chars += stores.transaction(() => indexRow(stores, row, kept));
    } catch (e) {
      q.report(e);
    }
    stores.search.dequeue(row.pageId, row.revisionId);
  }
  return taken;
}

/** Index one queued page; the characters of work it took (source parsed, or plain text kept). */
function indexRow(stores: Stores, row: { pageId: number; revisionId: number }, kept: KeptText | undefined): number {
  const page = stores.pages.byId(row.pageId);
  // Whatever moved the page past this revision (a save, a move, a restore) indexes it itself.
  if (!page || page.latestId !== row.revisionId) return 0;
  const revision = stores.revisions.byId(row.revisionId)!;
  if (kept?.revisionId === row.revisionId && kept.sha1 === revision.sha1) {
    stores.search.put(row.pageId, page.title.text, kept.text);
    return kept.text.length;
  }
  const source = stores.content.get(revision.contentId);
  stores.search.put(row.pageId, page.title.text, analyzeForIndex(source).text);
  return source.length;
}

/** Index everything queued now, batch by batch (a search, start-up, tools). @returns pages taken off the queue. */
export function flushSearchQueue(stores: Stores): number {
  if (!stores.search.anyQueued()) return 0;
  const q = queueOf(stores);
  let taken = 0;
  for (let n = indexBatch(stores, q); n > 0; n = indexBatch(stores, q)) taken += n;
  return taken;
}

/**
 * flushSearchQueue for a request: while another worker holds the write lock, this one serves
 * other requests instead of sleeping in SQLite's busy handler. @returns pages taken off the queue.
 */
export async function flushSearchQueueAsync(stores: Stores): Promise<number> {
  if (!stores.search.anyQueued()) return 0;
  const q = queueOf(stores);
  let taken = 0;
  for (let n = await indexBatchAsync(stores, q); n > 0; n = await indexBatchAsync(stores, q)) taken += n;
  return taken;
}

/** Settles once the batch under way, if any, is done (tests). */
export function searchQueueSettled(stores: Stores): Promise<void> {
  return queueOf(stores).flushing ?? Promise.resolve();
}

/** `report` hears a batch that failed (its pages stay queued for the next one). */
export function reportSearchQueue(stores: Stores, report: (e: unknown) => void): void {
  queueOf(stores).report = report;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function schedule(stores: Stores, q: Queue): void {
  if (q.timer || q.flushing) return;
  q.timer = setTimeout(() => {
    q.timer = undefined;
    q.flushing = drain(stores, q).finally(() => {
      q.flushing = undefined;
      // Queued while this batch ran: go again.
      if (stores.db.open && stores.search.anyQueued()) schedule(stores, q);
    });
  }, SEARCH_FLUSH_MS);
  q.timer.unref();
}

/** The queue in batches, other requests served between them. */
async function drain(stores: Stores, q: Queue): Promise<void> {
  try {
    while (stores.db.open && (await indexBatchAsync(stores, q)) > 0) await tick();
    // Nothing queued: whatever is still kept was indexed by another process, or its page moved on.
    if (stores.db.open) forgetTexts(q);
  } catch (e) {
    if (stores.db.open) q.report(e);
  }
}
