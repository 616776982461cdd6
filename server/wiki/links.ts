/**
 * Keeping a page's link and category rows in step with its latest revision. A save that changes
 * few rows writes them in its own transaction; one that changes more (a page of 50,000 links) marks
 * the page pending and writes the rows after the commit in small transactions, yielding to other
 * requests between them, as MediaWiki's LinksUpdate does in batches. A newer save of the page takes
 * over; rows left pending by a crash are finished when the wiki next opens.
 */
import type { Stores } from '../db/stores.js';
import { changeSize, type LinkChange } from '../db/links.js';
import { analyze } from './markdown.js';

/** Row changes a save writes inside its own transaction; more go to the batched update. */
export const INLINE_LINK_ROWS = 1000;
/** Row changes per transaction of the batched update. */
const BATCH_ROWS = 500;

/** The rows of a page still to write after its save committed. */
export interface DeferredLinks {
  pageId: number;
  revisionId: number;
  change: LinkChange;
}

/**
 * Inside the save's transaction: write the change now when it is small, else mark the page and
 * return what is left for finishDeferredLinks (after the commit).
 */
export function updateLinks(stores: Stores, pageId: number, revisionId: number, links: string[], categories: string[]): DeferredLinks | undefined {
  const change = stores.links.changeTo(pageId, links, categories);
  if (changeSize(change) <= INLINE_LINK_ROWS) {
    stores.links.apply(pageId, change);
    // An earlier save's batches still under way would write rows for a text that is gone: stop them.
    stores.links.dropPending(pageId);
    return undefined;
  }
  stores.links.markPending(pageId, revisionId);
  return { pageId, revisionId, change };
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

/** One batch in its own transaction; false when a newer save took the page over (it stops). */
function batch(stores: Stores, d: DeferredLinks): boolean {
  return stores.transaction(() => {
    if (stores.links.pendingFor(d.pageId) !== d.revisionId) return false;
    const part = slice(d.change, BATCH_ROWS);
    stores.links.apply(d.pageId, part);
    if (changeSize(d.change) === 0) stores.links.clearPending(d.pageId, d.revisionId);
    return changeSize(d.change) > 0;
  });
}

/** Write deferred rows now, all at once (tools that run alone: import, seed, tests). */
export function finishDeferredLinks(stores: Stores, d: DeferredLinks | undefined): void {
  if (d) while (batch(stores, d));
}

/** Write deferred rows in batches, letting other requests run between them. */
export async function finishDeferredLinksAsync(stores: Stores, d: DeferredLinks | undefined): Promise<void> {
  if (!d) return;
  while (batch(stores, d)) await new Promise((resolve) => setImmediate(resolve));
}

/** Finish what a crash left pending: each such page's rows from its latest text. */
export function recoverPendingLinks(stores: Stores): number {
  const pending = stores.links.allPending();
  for (const { pageId, revisionId } of pending) {
    const revision = stores.revisions.byId(revisionId);
    if (!revision) continue;
    const a = analyze(stores.content.get(revision.contentId));
    const change = stores.links.changeTo(pageId, a.links, a.categories);
    finishDeferredLinks(stores, { pageId, revisionId, change });
  }
  return pending.length;
}
