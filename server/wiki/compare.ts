/** Comparing two revisions of one page, with results cached by the pair of revision ids. */
import type { Stores } from '../db/stores.js';
import { DIFF_VERSION, type Comparison } from './diff.js';
import { compareTextsAsync } from './diffAsync.js';
import { InvalidInputError, NotFoundError } from './errors.js';
import type { Revision } from './types.js';

export interface RevisionComparison {
  /** undefined when comparing a page's first revision with "nothing before it". */
  older: Revision | undefined;
  newer: Revision;
  comparison: Comparison;
}

const CACHE_SIZE = 200;
// One cache per database: revision ids are only unique within one.
const caches = new WeakMap<Stores, Map<string, Comparison>>();

async function cached(stores: Stores, key: string, make: () => Promise<Comparison>): Promise<Comparison> {
  let cache = caches.get(stores);
  if (!cache) caches.set(stores, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = await make();
  cache.set(key, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return value;
}

function revisionOrThrow(stores: Stores, id: number): Revision {
  const r = stores.revisions.byId(id);
  // Revisions of deleted pages are archived: to readers they do not exist.
  if (!r || !stores.pages.byId(r.pageId)) throw new NotFoundError(`Revision ${id} does not exist.`);
  return r;
}

/**
 * Compare revision `fromId` with `toId` (as given: callers that want the older first swap), or
 * `toId` with its parent when fromId is undefined. Context 'all' keeps every line for the views.
 * Large texts are compared in a worker thread (diffAsync.ts).
 * @throws NotFoundError for a missing revision, InvalidInputError for revisions of two pages.
 */
export async function compareRevisions(
  stores: Stores,
  fromId: number | undefined,
  toId: number,
  context: number | 'all' = 'all',
): Promise<RevisionComparison> {
  const to = revisionOrThrow(stores, toId);
  const from = fromId !== undefined ? revisionOrThrow(stores, fromId) : to.parentId ? revisionOrThrow(stores, to.parentId) : undefined;
  if (from && from.pageId !== to.pageId) {
    throw new InvalidInputError(`Revisions ${from.id} and ${to.id} belong to different pages; compare revisions of one page.`);
  }
  const [older, newer] = [from, to];
  const key = `${older?.id ?? 0}:${newer.id}:${context}:${DIFF_VERSION}`;
  const comparison = await cached(stores, key, () =>
    compareTextsAsync(older ? stores.content.get(older.contentId) : null, stores.content.get(newer.contentId), { context }),
  );
  return { older, newer, comparison };
}
