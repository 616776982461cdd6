/**
 * Keeping a page's derived rows (link and category rows, and its search index entry) in step with
 * its latest revision. A save that changes few rows writes them in its own transaction, and queues
 * a short text's search entry for the next batch (searchQueue.ts); a bigger one (a page of 50,000
 * links, a 1 MiB text) marks the page pending and writes the rest after the commit in small
 * transactions, yielding to other requests between them, as
 * MediaWiki's LinksUpdate and search update jobs do. A newer save of the page takes over; rows left
 * pending by a crash are finished when the wiki next opens.
 */
import type { Stores } from '../db/stores.js';
import { changeSize, type LinkChange } from '../db/links.js';
import type { SaveFacts } from './saveFacts.js';
import { chunksOf } from '../db/search.js';
import { analyzeForIndex } from './markdown.js';
import { QUEUE_SOURCE_MAX, queueIndex } from './searchQueue.js';

/** Link and category row changes a save writes inside its own transaction; more go to the batched update. */
export const INLINE_LINK_ROWS = 200;
/** Row changes per transaction of the batched update. */
const BATCH_ROWS = 200;
/**
 * Search chunks (db/search.ts) a save indexes inside its own transaction, and that its page may
 * have had before; a longer text is indexed a chunk per transaction after the commit. Indexing
 * 1 MiB at once holds the event loop for over 100 ms, most of it in FTS5's commit.
 */
export const INLINE_INDEX_CHUNKS = 2;

/** The rows of a page still to write after its save committed. */
export interface DeferredRows {
  pageId: number;
  revisionId: number;
  change: LinkChange;
  /** The search chunks still to write (from `next` on), then the page's old chunks past them to take out. */
  index?: { title: string; chunks: string[]; next: number };
}

/** What a save derives its rows from: the page, the revision, and its text's analysis. */
export interface RowsOf {
  pageId: number;
  revisionId: number;
  title: string;
  links: string[];
  categories: string[];
  /** The plain text to index for search. */
  text: string;
  /** The SHA-1 of the revision's text, and its length in UTF-16 units. */
  sha1: string;
  sourceLength: number;
  /** The change from the replaced text's targets, worked out before the transaction (SaveFacts.links). */
  fromOldText?: SaveFacts['links'];
}

/**
 * The row change for `r`: the one worked out from the old text when the page's rows are that
 * text's (nothing pending, and their counts agree), so a page of 50,000 links is not read back
 * inside the save's transaction; else the rows are read and compared.
 */
function changeFor(stores: Stores, r: RowsOf): LinkChange {
  const known = r.fromOldText;
  if (known && stores.links.pendingFor(r.pageId) === undefined) {
    const counts = stores.links.counts(r.pageId);
    if (counts.links === known.from.links && counts.categories === known.from.categories) {
      const c = known.change;
      // Copied: the batched update takes rows off the front of its change.
      return { addLinks: [...c.addLinks], removeLinks: [...c.removeLinks], addCategories: [...c.addCategories], removeCategories: [...c.removeCategories] };
    }
  }
  return stores.links.changeTo(r.pageId, r.links, r.categories);
}

/**
 * Inside the save's transaction: write the rows now when the change is small, else mark the page
 * and return what is left for finishDeferredRows (after the commit).
 */
export function updateRows(stores: Stores, r: RowsOf): DeferredRows | undefined {
  const change = changeFor(stores, r);
  const linksInline = changeSize(change) <= INLINE_LINK_ROWS;
  const chunks = chunksOf(r.text);
  const indexInline = chunks.length <= INLINE_INDEX_CHUNKS && stores.search.chunkCount(r.pageId) <= INLINE_INDEX_CHUNKS;
  if (linksInline) stores.links.apply(r.pageId, change);
  // A short text's entry is written by the next search batch (searchQueue.ts); a long one's below, a chunk at a time.
  if (indexInline && r.sourceLength <= QUEUE_SOURCE_MAX) queueIndex(stores, { pageId: r.pageId, revisionId: r.revisionId, sha1: r.sha1, text: r.text });
  else if (indexInline) stores.search.put(r.pageId, r.title, r.text);
  else stores.search.dequeue(r.pageId);
  if (linksInline && indexInline) {
    // An earlier save's batches still under way would write rows for a text that is gone: stop them.
    stores.links.dropPending(r.pageId);
    return undefined;
  }
  stores.links.markPending(r.pageId, r.revisionId);
  return {
    pageId: r.pageId,
    revisionId: r.revisionId,
    change: linksInline ? { addLinks: [], removeLinks: [], addCategories: [], removeCategories: [] } : change,
    ...(indexInline ? {} : { index: { title: r.title, chunks, next: 0 } }),
  };
}

/** The next slice of at most `rows` row changes, taken off the front of `c`. */
function slice(c: LinkChange, rows: number): LinkChange {
  const out: LinkChange = { addLinks: [], removeLinks: [], addCategories: [], removeCategories: [] };
  let left = rows;
  for (const key of ['removeLinks', 'addLinks', 'removeCategories', 'addCategories'] as const) {
    const taken = c[key].splice(0, left);
    out[key] = taken;
    left -= taken.length;
  }
  return out;
}

/** One search chunk written (or one old chunk taken out); the index is done when there is neither. */
function indexStep(stores: Stores, d: DeferredRows, ix: NonNullable<DeferredRows['index']>): void {
  if (ix.next < ix.chunks.length) {
    stores.search.putChunk(d.pageId, ix.next, ix.title, ix.chunks[ix.next]!);
    ix.next++;
  } else if (!stores.search.dropLastChunkFrom(d.pageId, ix.chunks.length)) {
    delete d.index;
  }
}

/** One step in its own transaction (a search chunk, or a batch of rows); false when done or a newer save took the page over. */
function step(stores: Stores, d: DeferredRows): boolean {
  return stores.transaction(() => {
    if (stores.links.pendingFor(d.pageId) !== d.revisionId) return false;
    if (d.index) {
      indexStep(stores, d, d.index);
    } else {
      stores.links.apply(d.pageId, slice(d.change, BATCH_ROWS));
    }
    const done = changeSize(d.change) === 0 && !d.index;
    if (done) stores.links.clearPending(d.pageId, d.revisionId);
    return !done;
  });
}

/** Write deferred rows now, all at once (tools that run alone: import, seed, tests). */
export function finishDeferredRows(stores: Stores, d: DeferredRows | undefined): void {
  if (d) while (step(stores, d));
}

/** Write deferred rows step by step, letting other requests run between the steps. */
export async function finishDeferredRowsAsync(stores: Stores, d: DeferredRows | undefined): Promise<void> {
  if (!d) return;
  while (step(stores, d)) await new Promise((resolve) => setImmediate(resolve));
}

/** Finish what a crash left pending: each such page's rows and search entry from its latest text. */
export function recoverPendingRows(stores: Stores): number {
  const pending = stores.links.allPending();
  for (const { pageId, revisionId } of pending) {
    const revision = stores.revisions.byId(revisionId);
    const page = stores.pages.byId(pageId);
    if (!revision || !page) continue;
    const a = analyzeForIndex(stores.content.get(revision.contentId));
    const change = stores.links.changeTo(pageId, a.links, a.categories);
    finishDeferredRows(stores, { pageId, revisionId, change, index: { title: page.title.text, chunks: chunksOf(a.text), next: 0 } });
  }
  return pending.length;
}
