/**
 * Line authorship derived in the background, one revision at a time and yielding to requests after
 * every step: what a view found missing (it renders without block authors meanwhile), what a save
 * could not derive from its parent's, what a crash left pending, and, from start-up, the latest
 * revision of every page that an older database never derived. One queue per database.
 */
import type { Stores } from '../db/stores.js';
import { MemoKey } from '../db/memo.js';
import { WikiError } from './errors.js';
import { BLAME_VERSION, authorsOfAsync } from './blame.js';
import type { TextWorkers } from './work/pool.js';

/** Pages the start-up backfill looks at per slice: one indexed statement, well under a millisecond. */
const SCAN_SLICE = 500;
/** Revisions a walk looks back per turn of the event loop; a longer history is derived from its far end first. */
const WALK_SLICE = 200;

interface Fill {
  workers?: TextWorkers;
  /** Revision ids to derive, in order; views put theirs first. */
  queue: number[];
  /** Ids queued or being derived: each is derived once however often it is asked for. */
  queued: Set<number>;
  /** The backfill's position (a page id); undefined when it is not scanning. */
  scanAfter?: number;
  /** Set while the queue is being worked through. */
  running?: Promise<void>;
  report: (e: unknown) => void;
}

// One per database, kept by its Stores: revision ids are only unique within one.
const FILLS = new MemoKey<Fill>('authorship fill');

function fillOf(stores: Stores, workers?: TextWorkers): Fill {
  const fill = stores.memo.get(FILLS, () => ({ queue: [], queued: new Set<number>(), report: (e: unknown) => console.error(e) }));
  fill.workers ??= workers;
  return fill;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Derive the revision's authorship in the background, before the start-up backfill's. */
export function scheduleAuthors(stores: Stores, workers: TextWorkers, revisionId: number): void {
  const fill = fillOf(stores, workers);
  if (!fill.queued.has(revisionId)) {
    fill.queued.add(revisionId);
    fill.queue.unshift(revisionId);
  }
  void run(stores, fill);
}

/**
 * At start-up: derive in the background what a crash left pending (blameSave.ts), then the latest
 * revision of each page without stored authorship, walking back as far as its history needs.
 * `report` hears unexpected failures (each drops one revision; a view asks again).
 * @returns a promise that settles when the queue is empty (tools and tests wait on it).
 */
export function startAuthorshipFill(stores: Stores, workers: TextWorkers, report?: (e: unknown) => void): Promise<void> {
  const fill = fillOf(stores, workers);
  if (report) fill.report = report;
  for (const id of stores.blame.allPending()) {
    if (fill.queued.has(id)) continue;
    fill.queued.add(id);
    fill.queue.push(id);
  }
  fill.scanAfter = 0;
  return run(stores, fill);
}

/** Settles when the background queue is empty (now, when nothing is queued). */
export function authorshipSettled(stores: Stores): Promise<void> {
  return fillOf(stores).running ?? Promise.resolve();
}

function run(stores: Stores, fill: Fill): Promise<void> {
  fill.running ??= drain(stores, fill).finally(() => {
    fill.running = undefined;
    // Asked for between the last step and now: start again.
    if (fill.queue.length > 0) void run(stores, fill);
  });
  return fill.running;
}

async function drain(stores: Stores, fill: Fill): Promise<void> {
  // Never inside the caller's turn (a view, opening the wiki).
  await tick();
  try {
    for (let id = await next(stores, fill); id !== undefined; id = await next(stores, fill)) {
      try {
        await derive(stores, fill.workers!, id);
      } catch (e) {
        if (!stores.db.open || (e instanceof WikiError && e.code === 'busy')) throw e;
        fill.report(e);
      } finally {
        fill.queued.delete(id);
      }
      await tick();
    }
  } catch (e) {
    // Shutting down (the pool or the database closed) or the pool is full: stop here. Pending rows
    // are found again at the next start, and a view asks again for what it misses.
    fill.queue.length = 0;
    fill.queued.clear();
    fill.scanAfter = undefined;
    if (stores.db.open && !(e instanceof WikiError && e.code === 'busy')) fill.report(e);
  }
}

/**
 * Derive the revision's authorship, walking back at most WALK_SLICE revisions at a time: when the
 * revision that far back has none stored either, that one is derived first (and so on back), so
 * no turn of the event loop reads a whole long history.
 */
async function derive(stores: Stores, workers: TextWorkers, id: number): Promise<void> {
  const todo = [id];
  while (todo.length > 0) {
    const rev = stores.revisions.byId(todo[todo.length - 1]!);
    // Mostly the parent's is stored (a save's, or the slice before): no need to look further back.
    const deep = rev?.parentId && !stores.blame.has(rev.parentId, BLAME_VERSION) ? stores.blame.ancestry(rev.id, WALK_SLICE + 1, BLAME_VERSION) : [];
    if (deep.length > WALK_SLICE && deep.every((r) => !r.runs)) {
      todo.push(deep[WALK_SLICE]!.id);
    } else {
      if (rev) await authorsOfAsync(stores, rev, workers, { between: tick });
      stores.blame.clearPending(todo.pop()!);
    }
    await tick();
  }
}

/** The next revision to derive: the queue's first, else the backfill's next page lacking authorship. */
async function next(stores: Stores, fill: Fill): Promise<number | undefined> {
  while (fill.queue.length === 0 && fill.scanAfter !== undefined) {
    const slice = stores.blame.latestAfter(fill.scanAfter, SCAN_SLICE, BLAME_VERSION);
    fill.scanAfter = slice.length < SCAN_SLICE ? undefined : slice[slice.length - 1]!.pageId;
    for (const l of slice) {
      if (l.stored || fill.queued.has(l.revisionId)) continue;
      fill.queued.add(l.revisionId);
      fill.queue.push(l.revisionId);
    }
    if (fill.queue.length === 0) await tick();
  }
  return fill.queue.shift();
}
