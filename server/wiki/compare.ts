/** Comparing two revisions of one page, with results cached by the pair of revision ids. */
import type { Stores } from '../db/stores.js';
import { MemoKey } from '../db/memo.js';
import { DIFF_VERSION, type CompareOptions, type Comparison } from './diff.js';
import type { TextWorkers } from './work/pool.js';
import { InvalidInputError, NotFoundError } from './errors.js';
import type { Revision } from './types.js';

export interface RevisionComparison {
  /** undefined when comparing a page's first revision with "nothing before it". */
  older: Revision | undefined;
  newer: Revision;
  comparison: Comparison;
}

const CACHE_SIZE = 200;
/**
 * Weighed by entries, not counted: one comparison of two 1 MiB texts can hold 800,000 entries
 * (about 60–100 bytes each, with their lines' text), so 200 of them could take gigabytes. This
 * many take at most about 10 MB of a worker's 150 (SPEC section 9); a million, as before, kept
 * the benchmark's worst-case comparisons alive after them, 30 MB and more of live heap.
 */
export const CACHE_MAX_ENTRIES = 100_000;
/** Larger comparisons are not kept at all: each would push out dozens of ordinary ones (a page's: a few hundred entries). */
export const UNCACHED_FROM_ENTRIES = 25_000;

interface Cache {
  done: Map<string, Comparison>;
  entries: number;
  /** Comparisons under way: a second request for the same pair waits for the first, not the worker queue. */
  running: Map<string, Promise<Comparison>>;
}

// One cache per database, kept by its Stores: revision ids are only unique within one.
const COMPARISONS = new MemoKey<Cache>('comparisons');

async function cached(stores: Stores, key: string, make: () => Promise<Comparison>): Promise<Comparison> {
  const cache = stores.memo.get(COMPARISONS, () => ({ done: new Map(), entries: 0, running: new Map() }));
  const hit = cache.done.get(key);
  if (hit) {
    cache.done.delete(key);
    cache.done.set(key, hit);
    return hit;
  }
  const running = cache.running.get(key);
  if (running) return running;
  const made = make();
  cache.running.set(key, made);
  try {
    const value = await made;
    remember(cache, key, value);
    return value;
  } finally {
    cache.running.delete(key);
  }
}

/** Keeps `value`, dropping the least recently used comparisons past either limit. */
function remember(cache: Cache, key: string, value: Comparison): void {
  const weight = value.entries.length;
  if (weight > UNCACHED_FROM_ENTRIES || cache.done.has(key)) return;
  cache.done.set(key, value);
  cache.entries += weight;
  while (cache.done.size > CACHE_SIZE || cache.entries > CACHE_MAX_ENTRIES) {
    const [oldest, dropped] = cache.done.entries().next().value!;
    cache.done.delete(oldest);
    cache.entries -= dropped.entries.length;
  }
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
 * Large texts are compared in the text process (work/pool.ts).
 * @throws NotFoundError for a missing revision, InvalidInputError for revisions of two pages.
 */
export async function compareRevisions(
  stores: Stores,
  workers: TextWorkers,
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
  const comparison = await cached(stores, key, () => {
    // The newer first: an old text is stored as a delta against the text that replaced it
    // (db/content.ts), so the older one's read then stops at the newer one, just read.
    const newText = stores.content.get(newer.contentId);
    const oldText = older ? stores.content.get(older.contentId) : null;
    return workers.run('compare', { oldText, newText, options: { context } }, (oldText?.length ?? 0) + newText.length);
  });
  return { older, newer, comparison };
}

/** compareTexts for texts that are not stored revisions (a form's text): in the text process when large. */
export function compareTextsOffThread(workers: TextWorkers, oldText: string | null, newText: string | null, options: CompareOptions = {}): Promise<Comparison> {
  return workers.run('compare', { oldText, newText, options }, (oldText?.length ?? 0) + (newText?.length ?? 0));
}
