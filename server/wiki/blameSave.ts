/**
 * Line authorship at save time: every new revision's is derived from its parent's in one step, so
 * no view ever replays a history. The step runs with the save's preparation, before its write
 * transaction (in the text process when the texts are large); the transaction only stores it. What
 * could not be prepared (a big text on a synchronous path, a parent whose authorship is not stored
 * yet) is marked pending in the transaction and derived after the commit, as links.ts defers big
 * link updates; what needs a walk (an older database) goes to the background fill (blameFill.ts),
 * which also finishes at start-up what a crash left pending.
 */
import type { Stores } from '../db/stores.js';
import { firstAuthors, inheritRuns, mapRunIds, type AuthorRuns } from './authorship.js';
import { BLAME_VERSION, RECALL_DEPTH, authorsOf, authorsOfAsync, recallSources } from './blame.js';
import { scheduleAuthors } from './blameFill.js';
import type { TextWorkers } from './work/pool.js';

/**
 * Parent plus child text (UTF-16 units) up to which a synchronous save derives the authorship on
 * the event loop: the line diff of two 16 Ki texts stays well under a millisecond, whatever their lines.
 */
export const INLINE_AUTHORS_CHARS = 32 * 1024;

/**
 * Stands for the revision being saved in prepared authorship: its id is known only once it is
 * inserted (revision ids start at 1).
 */
const THIS_REVISION = 0;

/** The revision a save replaces, as its preparation read it. */
export interface ParentText {
  id: number;
  text: string;
}

/** A revision whose authorship is still to derive after its save committed. */
export interface DeferredAuthors {
  revisionId: number;
}

/** What a save wrote that its authorship follows from. */
export interface SavedText {
  revisionId: number;
  pageId: number;
  parentId: number | null;
  /** The content row of its text (content.ts: one row a distinct text). */
  contentId: number;
  /** The save stored its text anew (StoredContent.stored): it cannot be a revert, and nothing is looked up. */
  textIsNew?: boolean;
  text: string;
}

/** The step's input from the stored rows: undefined when the parent's authorship is not stored. */
function stepFrom(stores: Stores, parent: ParentText) {
  const parentAuthors = stores.blame.runs(parent.id, BLAME_VERSION);
  if (!parentAuthors) return undefined;
  return { parentAuthors, recall: recallSources(stores, parent.id, { text: parent.text, authors: parentAuthors }) };
}

/**
 * Before the save's transaction (reads only immutable rows): the authorship of `text` replacing
 * `parent` (none for a new page), with THIS_REVISION for the lines it writes; undefined when the
 * parent's authorship is not stored, or the texts are over `maxChars` (left to after the commit).
 */
export function prepareAuthors(stores: Stores, parent: ParentText | undefined, text: string, maxChars = INLINE_AUTHORS_CHARS): AuthorRuns | undefined {
  if (!parent) return firstAuthors(text, THIS_REVISION);
  if (parent.text.length + text.length > maxChars) return undefined;
  const step = stepFrom(stores, parent);
  return step && inheritRuns(parent.text, step.parentAuthors, text, THIS_REVISION, step.recall);
}

/** prepareAuthors for texts of any size, the step in the text process when they are large. @throws WikiError busy as TextWorkers.run. */
export async function prepareAuthorsAsync(stores: Stores, workers: TextWorkers, parent: ParentText | undefined, text: string): Promise<AuthorRuns | undefined> {
  if (!parent) return firstAuthors(text, THIS_REVISION);
  const step = stepFrom(stores, parent);
  if (!step) return undefined;
  const size = parent.text.length + text.length;
  return workers.run('inheritAuthors', { parentText: parent.text, parentRuns: step.parentAuthors, childText: text, childId: THIS_REVISION, recall: step.recall }, size);
}

/**
 * Inside the save's transaction, lookups and writes only: store the new revision's authorship (a
 * revert to an earlier text inherits that text's; else what was prepared), or mark it pending and
 * return what finishDeferredAuthors(Async) derives after the commit.
 */
export function noteAuthors(stores: Stores, s: SavedText, prepared: AuthorRuns | undefined): DeferredAuthors | undefined {
  const deferred = storeAuthors(stores, s, prepared);
  thinAuthors(stores, s.revisionId);
  return deferred;
}

function storeAuthors(stores: Stores, s: SavedText, prepared: AuthorRuns | undefined): DeferredAuthors | undefined {
  // A revert to an earlier text (undo, restore, rollback, by hand) inherits that text's authorship.
  const revertOf = s.parentId === null || s.textIsNew ? undefined : stores.revisions.earlierWithContent(s.pageId, s.contentId, s.parentId);
  if (revertOf !== undefined) {
    if (stores.blame.copy(revertOf, s.revisionId, BLAME_VERSION)) return undefined;
  } else if (prepared) {
    stores.blame.put(s.revisionId, BLAME_VERSION, mapRunIds(prepared, (id) => (id === THIS_REVISION ? s.revisionId : id)));
    return undefined;
  }
  stores.blame.markPending(s.revisionId);
  return { revisionId: s.revisionId };
}

/**
 * Revisions back from the latest whose authorship is always kept: the parent's for the next save,
 * and the few before it that its recall looks at (undo of a recent edit keeps its lines' writers).
 */
export const KEEP_RECENT_AUTHORS = RECALL_DEPTH + 1;
/** Further back, one revision in this many keeps its authorship: any other is derived again in at most this many steps. */
export const AUTHORS_CHECKPOINT_EVERY = 32;

/**
 * Keep a page's authorship only where it is needed: for its latest revisions and one in every
 * AUTHORS_CHECKPOINT_EVERY before them. Stored for every revision, authorship cost more than the
 * texts themselves on a long history (a 1,000-line README: 2.3 MiB for 992 revisions, whose texts
 * took 0.5); an old revision's is derived again from the nearest stored one (blame.ts authorsOf)
 * when it is asked for. Inside the save's transaction: one indexed walk up the history, at most
 * one row deleted.
 */
function thinAuthors(stores: Stores, revisionId: number): void {
  // Dropped only when a revision less than AUTHORS_CHECKPOINT_EVERY further back keeps its own.
  const candidate = stores.blame.thinCandidate(revisionId, KEEP_RECENT_AUTHORS, KEEP_RECENT_AUTHORS + AUTHORS_CHECKPOINT_EVERY - 1, BLAME_VERSION);
  if (candidate?.stored && candidate.storedBefore) stores.blame.drop(candidate.id, BLAME_VERSION);
}

/**
 * thinAuthors for the histories of a database written before it: up to `limit` pages after page id
 * `afterPageId`. Returns where to go on (undefined when done) and how many rows were dropped.
 */
export function thinStoredAuthors(stores: Stores, afterPageId: number, limit: number): { lastPageId: number | undefined; dropped: number } {
  const pages = stores.blame.pagesAfter(afterPageId, limit);
  let dropped = 0;
  for (const pageId of pages) {
    const line = stores.blame.pageLine(pageId, BLAME_VERSION);
    // Oldest first: keep one stored row in every AUTHORS_CHECKPOINT_EVERY, and the latest few.
    let sinceKept = Infinity;
    line.forEach((r, i) => {
      if (!r.stored) {
        sinceKept++;
        return;
      }
      if (i >= line.length - KEEP_RECENT_AUTHORS || sinceKept >= AUTHORS_CHECKPOINT_EVERY - 1) {
        sinceKept = 0;
        return;
      }
      stores.blame.drop(r.id, BLAME_VERSION);
      sinceKept++;
      dropped++;
    });
  }
  return { lastPageId: pages.length < limit ? undefined : pages.at(-1), dropped };
}

/**
 * Derive deferred authorship now, inline (tools that run alone, and the synchronous save paths):
 * one step from the parent's. Left pending, for the background fill, when that is not enough.
 */
export function finishDeferredAuthors(stores: Stores, d: DeferredAuthors | undefined): void {
  if (!d) return;
  const rev = stores.revisions.byId(d.revisionId);
  if (rev) authorsOf(stores, rev, 1);
}

/**
 * finishDeferredAuthors with the step in the text process when the texts are large. Never throws:
 * the save has committed, so what cannot be done now (no stored parent authorship, a busy pool)
 * goes to the background fill.
 */
export async function finishDeferredAuthorsAsync(stores: Stores, workers: TextWorkers, d: DeferredAuthors | undefined): Promise<void> {
  if (!d) return;
  try {
    const rev = stores.revisions.byId(d.revisionId);
    if (!rev || (await authorsOfAsync(stores, rev, workers, { maxSteps: 1 })) !== undefined) return;
  } catch {
    // Handed to the background fill below, which reports what keeps failing.
  }
  scheduleAuthors(stores, workers, d.revisionId);
}
