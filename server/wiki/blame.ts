/**
 * Blame: which revision wrote each line of a revision's text. Each revision's authorship is derived
 * from its parent's (stored once per revision), so a view never replays the page's history.
 * A revert to an earlier text inherits that text's authorship; lines that come back after a move
 * or a recent removal keep their first writers.
 */
import type { Stores } from '../db/stores.js';
import { inheritAuthors, recallMap, type RecallSource } from './authorship.js';
import type { Revision } from './types.js';
import type { TextWorkers } from './work/pool.js';

export const BLAME_VERSION = 1;
/** Earlier revisions whose lines may be restored (undo of a recent edit) and keep their authors. */
const RECALL_DEPTH = 5;

export { inheritAuthors, recallMap, type RecallSource } from './authorship.js';

export interface BlameBlock {
  fromLine: number;
  lines: number;
  revision: Revision;
}

function textOf(stores: Stores, r: Revision): string {
  return stores.content.get(r.contentId);
}

/** How many lines `text.split('\n')` would give, without making them. */
function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function recallSources(stores: Stores, r: Revision): RecallSource[] {
  const out: RecallSource[] = [];
  let id = r.parentId;
  for (let depth = 0; id && depth < RECALL_DEPTH; depth++) {
    const rev = stores.revisions.byId(id)!;
    const authors = stores.blame.get(rev.id, BLAME_VERSION);
    if (!authors) break;
    out.push({ text: stores.content.get(rev.contentId), authors });
    id = rev.parentId;
  }
  return out;
}

/** One step of the walk, asked of its driver: the child's authors from its parent's (inheritAuthors). */
interface Step {
  parentText: string;
  parentAuthors: number[];
  childText: string;
  child: Revision;
  recall: RecallSource[];
}

/**
 * The author revision id of each line of `rev`, computing and storing what is missing: walk back
 * to the nearest revision with stored authorship (stored sets are closed under "parent of", so
 * everything older is stored too), then derive each later one from its parent's.
 */
export function authorsOf(stores: Stores, rev: Revision): number[] {
  const walk = walkBack(stores, rev);
  for (let next = walk.next(); ; ) {
    if (next.done) return next.value;
    const s = next.value;
    next = walk.next(inheritAuthors(s.parentText.split('\n'), s.parentAuthors, s.childText.split('\n'), s.child.id, recallMap(s.recall)));
  }
}

/**
 * authorsOf with each step over large texts on a worker thread, so a cold blame holds the event
 * loop only for one revision's reads and writes at a time.
 */
export async function authorsOfAsync(stores: Stores, rev: Revision, workers: TextWorkers): Promise<number[]> {
  const walk = walkBack(stores, rev);
  for (let next = walk.next(); ; ) {
    if (next.done) return next.value;
    const s = next.value;
    // Texts, not lines, cross to the thread: one string copies far faster than a million, and
    // the thread splits them.
    const size = s.parentText.length + s.childText.length;
    next = walk.next(await workers.run('inheritAuthors', {
      parentText: s.parentText, parentAuthors: s.parentAuthors, childText: s.childText, childId: s.child.id, recall: s.recall,
    }, size));
  }
}

/** The walk of authorsOf, yielding each inheritAuthors step to its driver (inline or on a worker). */
function* walkBack(stores: Stores, rev: Revision): Generator<Step, number[], number[]> {
  const stored = stores.blame.get(rev.id, BLAME_VERSION);
  if (stored) return stored;
  const chain: Revision[] = [];
  let r: Revision | undefined = rev;
  let base: number[] | undefined;
  while (r) {
    base = stores.blame.get(r.id, BLAME_VERSION);
    if (base) break;
    chain.push(r);
    r = r.parentId ? stores.revisions.byId(r.parentId) : undefined;
  }
  // With no stored base, the walk starts at the first revision, which has no parent to read.
  let parentText = r ? textOf(stores, r) : '';
  let parentAuthors = base ?? [];
  for (const c of chain.reverse()) {
    const text = textOf(stores, c);
    const revertOf = c.parentId ? stores.revisions.earlierWithSha1(c.pageId, c.sha1, c.parentId) : undefined;
    const authors = revertOf !== undefined
      ? (stores.blame.get(revertOf, BLAME_VERSION) ?? (yield* walkBack(stores, stores.revisions.byId(revertOf)!)))
      : c.parentId
        ? yield { parentText, parentAuthors, childText: text, child: c, recall: recallSources(stores, c) }
        : new Array<number>(lineCount(text)).fill(c.id);
    // A request that walked the same revisions meanwhile stored the same result: one row is kept.
    stores.blame.put(c.id, BLAME_VERSION, authors);
    parentText = text;
    parentAuthors = authors;
  }
  return parentAuthors;
}

/** The revision's text cut into runs of lines, each credited to the revision that wrote it. */
export async function blame(stores: Stores, rev: Revision, workers: TextWorkers): Promise<BlameBlock[]> {
  const authors = await authorsOfAsync(stores, rev, workers);
  const revisions = new Map<number, Revision>();
  const blocks: BlameBlock[] = [];
  authors.forEach((id, i) => {
    const last = blocks[blocks.length - 1];
    if (last && last.revision.id === id) last.lines += 1;
    else {
      let r = revisions.get(id);
      if (!r) revisions.set(id, (r = stores.revisions.byId(id)!));
      blocks.push({ fromLine: i + 1, lines: 1, revision: r });
    }
  });
  return blocks;
}
