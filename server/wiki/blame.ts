/**
 * Blame: which revision wrote each line of a revision's text. Each revision's authorship is derived
 * from its parent's once, when it is saved (blameSave.ts), so a view of a page reads one row and
 * never replays its history. It stays stored for a page's latest revisions and one in every
 * AUTHORS_CHECKPOINT_EVERY before them; the walk here derives any other again from the nearest
 * stored one (a bounded number of steps), fills what an older database never stored (in the
 * background: blameFill.ts), and answers the blame page. A revert to an earlier text inherits that text's
 * authorship; lines that come back after a move or a recent removal keep their first writers.
 */
import type { Stores } from '../db/stores.js';
import { firstAuthors, inheritRuns, type AuthorRuns, type RecallSource } from './authorship.js';
import type { Revision } from './types.js';
import type { TextWorkers } from './work/pool.js';

export const BLAME_VERSION = 1;
/** Earlier revisions whose lines may be restored (undo of a recent edit) and keep their authors. */
export const RECALL_DEPTH = 5;

export { inheritAuthors, recallMap, type AuthorRuns, type RecallSource } from './authorship.js';

export interface BlameBlock {
  fromLine: number;
  lines: number;
  revision: Revision;
}

function textOf(stores: Stores, r: Revision): string {
  return stores.content.get(r.contentId);
}

/**
 * The texts and authors of the few revisions from `parentId` back (recallMap's input), as far as
 * their authorship is stored; `parent` saves reading the parent's again when the caller has it.
 */
export function recallSources(stores: Stores, parentId: number | null, parent?: RecallSource): RecallSource[] {
  if (!parentId) return [];
  const out: RecallSource[] = [];
  for (const r of stores.blame.ancestry(parentId, RECALL_DEPTH, BLAME_VERSION)) {
    if (out.length === 0 && parent) {
      out.push(parent);
      continue;
    }
    if (!r.runs) break;
    out.push({ text: stores.content.get(r.contentId), authors: r.runs });
  }
  return out;
}

/** Store a revision's authorship; a pending mark (blameSave.ts) on it is done with. */
export function keepAuthors(stores: Stores, revisionId: number, authors: AuthorRuns): void {
  stores.transaction(() => {
    // A request that derived the same revision meanwhile stored the same result: one row is kept.
    stores.blame.put(revisionId, BLAME_VERSION, authors);
    stores.blame.clearPending(revisionId);
  });
}

/** Whether the revision's authorship is stored (a view may show block authors without deriving anything). */
export function authorsStored(stores: Stores, revisionId: number): boolean {
  return stores.blame.has(revisionId, BLAME_VERSION);
}

/** One step of the walk, asked of its driver: the child's authors from its parent's (inheritAuthors). */
interface Step {
  parentText: string;
  parentAuthors: AuthorRuns;
  childText: string;
  child: Revision;
  recall: RecallSource[];
}

/**
 * Who wrote each line of `rev` (as runs: authorship.ts AuthorRuns), computing and storing what is missing: walk back
 * to the nearest revision with stored authorship (at most AUTHORS_CHECKPOINT_EVERY back on a
 * history written since authorship was thinned), then derive each later one from its parent's. With `maxSteps`,
 * undefined when `rev` is more revisions than that past stored authorship (nothing is derived then).
 */
export function authorsOf(stores: Stores, rev: Revision, maxSteps = Infinity): AuthorRuns | undefined {
  const walk = walkBack(stores, rev, maxSteps);
  for (let next = walk.next(); ; ) {
    if (next.done) return next.value;
    const s = next.value;
    next = walk.next(inheritRuns(s.parentText, s.parentAuthors, s.childText, s.child.id, s.recall));
  }
}

/**
 * authorsOf with each step over large texts in the text process, so a cold blame holds the event
 * loop only for one revision's reads and writes at a time. `between` runs after each step (the
 * background fill yields to other requests there: an inline step resolves without doing so).
 */
export async function authorsOfAsync(
  stores: Stores,
  rev: Revision,
  workers: TextWorkers,
  o: { maxSteps?: number; between?: () => Promise<void> } = {},
): Promise<AuthorRuns | undefined> {
  const walk = walkBack(stores, rev, o.maxSteps ?? Infinity);
  for (let next = walk.next(); ; ) {
    if (next.done) return next.value;
    const s = next.value;
    // Texts and runs, not lines, cross to the thread: one string copies far faster than a
    // million, and the thread splits them.
    const size = s.parentText.length + s.childText.length;
    const authors = await workers.run('inheritAuthors', {
      parentText: s.parentText, parentRuns: s.parentAuthors, childText: s.childText, childId: s.child.id, recall: s.recall,
    }, size);
    await o.between?.();
    next = walk.next(authors);
  }
}

/**
 * The revisions from `rev` back to the nearest with stored authorship, newest first, and that
 * one's authors (undefined past the first revision); undefined when longer than `limit`.
 */
function chainTo(stores: Stores, rev: Revision, limit: number): { chain: Revision[]; base?: Revision; authors?: AuthorRuns } | undefined {
  const chain: Revision[] = [];
  let r: Revision | undefined = rev;
  while (r) {
    const authors = stores.blame.runs(r.id, BLAME_VERSION);
    if (authors) return { chain, base: r, authors };
    if (chain.length >= limit) return undefined;
    chain.push(r);
    r = r.parentId ? stores.revisions.byId(r.parentId) : undefined;
  }
  return { chain };
}

/** The walk of authorsOf, yielding each inheritAuthors step to its driver (inline or on a worker). */
function* walkBack(stores: Stores, rev: Revision, limit: number): Generator<Step, AuthorRuns | undefined, AuthorRuns> {
  const found = chainTo(stores, rev, limit);
  if (!found) return undefined;
  if (found.chain.length === 0) return found.authors;
  // With no stored base, the walk starts at the first revision, which has no parent to read.
  let parentText = found.base ? textOf(stores, found.base) : '';
  let parentAuthors = found.authors ?? [];
  for (const c of found.chain.reverse()) {
    const text = textOf(stores, c);
    const revertOf = c.parentId ? stores.revisions.earlierWithContent(c.pageId, c.contentId, c.parentId) : undefined;
    let authors: AuthorRuns | undefined;
    if (revertOf !== undefined) {
      authors = stores.blame.runs(revertOf, BLAME_VERSION) ?? (yield* walkBack(stores, stores.revisions.byId(revertOf)!, limit - 1));
      if (!authors) return undefined;
    } else if (c.parentId) {
      authors = yield { parentText, parentAuthors, childText: text, child: c, recall: recallSources(stores, c.parentId, { text: parentText, authors: parentAuthors }) };
    } else {
      authors = firstAuthors(text, c.id);
    }
    keepAuthors(stores, c.id, authors);
    parentText = text;
    parentAuthors = authors;
  }
  return parentAuthors;
}

/** The revision's text cut into runs of lines, each credited to the revision that wrote it. */
export async function blame(stores: Stores, rev: Revision, workers: TextWorkers): Promise<BlameBlock[]> {
  const runs = (await authorsOfAsync(stores, rev, workers))!;
  const revisions = new Map<number, Revision>();
  const blocks: BlameBlock[] = [];
  for (let i = 0, line = 1; i + 1 < runs.length; line += runs[i + 1]!, i += 2) {
    const id = runs[i]!;
    const last = blocks[blocks.length - 1];
    // Stored runs are maximal; runs built elsewhere may repeat a writer.
    if (last && last.revision.id === id) {
      last.lines += runs[i + 1]!;
      continue;
    }
    let r = revisions.get(id);
    if (!r) revisions.set(id, (r = stores.revisions.byId(id)!));
    blocks.push({ fromLine: line, lines: runs[i + 1]!, revision: r });
  }
  return blocks;
}
