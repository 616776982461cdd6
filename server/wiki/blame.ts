/**
 * Blame: which revision wrote each line of a revision's text. Each revision's authorship is derived
 * from its parent's (stored once per revision), so a view never replays the page's history.
 * A revert to an earlier text inherits that text's authorship; lines that come back after a move
 * or a recent removal keep their first writers.
 */
import type { Stores } from '../db/stores.js';
import { lineHunks, type DiffBudget } from './diff/lines.js';
import type { Revision } from './types.js';
import type { TextWorkers } from './work/pool.js';

export const BLAME_VERSION = 1;
/** Earlier revisions whose lines may be restored (undo of a recent edit) and keep their authors. */
const RECALL_DEPTH = 5;
/** Lines shorter than this (blank lines, "---") are too common to say who wrote them. */
const RECALL_MIN_CHARS = 4;
// The line matcher of the diff (trimmed Myers within this budget, then unique-line anchors, then
// whole blocks): near-linear whatever the texts, so a cold blame of a long history stays bounded per
// revision. Unrelated texts skip the Myers run altogether (its lower bound on edits is too high).
const BLAME_BUDGET: DiffBudget = { timeoutMs: 150, maxEditLength: 2000 };

export interface BlameBlock {
  fromLine: number;
  lines: number;
  revision: Revision;
}

/**
 * The authors of `child` lines, given the parent's lines and authors (pure). Lines the diff keeps
 * keep their authors; other lines are the child's, unless `recall` (line text → the revision that
 * first wrote it, for lines that come back) or a line the child removed elsewhere (a move) names
 * an earlier writer. Never throws; costs about `budget.timeoutMs` plus linear work.
 */
export function inheritAuthors(
  parentLines: string[],
  parentAuthors: number[],
  childLines: string[],
  childId: number,
  recall: Map<string, number> = new Map(),
  budget: DiffBudget = BLAME_BUDGET,
): number[] {
  const deadline = Date.now() + budget.timeoutMs;
  const hunks = lineHunks(parentLines, childLines, { deadline, maxEditLength: budget.maxEditLength, coarse: false, lastResort: 'block' });
  const moved = new Map(recall);
  // Every removed line is known before any added one is credited: added lines may be moved from below.
  for (const h of hunks) {
    for (let i = h.a0; i < h.a1; i++) {
      const line = parentLines[i]!;
      if (line.trim().length >= RECALL_MIN_CHARS && !moved.has(line)) moved.set(line, parentAuthors[i]!);
    }
  }
  const out = new Array<number>(childLines.length);
  let a = 0;
  let b = 0;
  for (const h of [...hunks, { a0: parentLines.length, a1: parentLines.length, b0: childLines.length, b1: childLines.length }]) {
    while (b < h.b0) out[b++] = parentAuthors[a++]!;
    for (; b < h.b1; b++) out[b] = recalled(childLines[b]!, moved) ?? childId;
    a = h.a1;
  }
  return out;
}

function recalled(line: string, recall: Map<string, number>): number | undefined {
  return line.trim().length >= RECALL_MIN_CHARS ? recall.get(line) : undefined;
}

function linesOf(stores: Stores, r: Revision): string[] {
  return stores.content.get(r.contentId).split('\n');
}

/** The texts and stored authorship of a few revisions before `r`, newest first: what recallMap reads. */
export interface RecallSource {
  text: string;
  authors: number[];
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

/** Line text → first writer, from recallSources (pure, so it can run on a worker thread). */
export function recallMap(sources: RecallSource[]): Map<string, number> {
  const map = new Map<string, number>();
  // Walking back in time: older writers overwrite newer ones, so the first writer wins.
  for (const { text, authors } of sources) {
    text.split('\n').forEach((line, i) => {
      if (line.trim().length >= RECALL_MIN_CHARS) map.set(line, authors[i]!);
    });
  }
  return map;
}

/** One step of the walk, asked of its driver: the child's authors from its parent's (inheritAuthors). */
interface Step {
  parentLines: string[];
  parentAuthors: number[];
  childLines: string[];
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
    next = walk.next(inheritAuthors(s.parentLines, s.parentAuthors, s.childLines, s.child.id, recallMap(s.recall)));
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
    // Lines, not characters, are what the walk has at hand; 40 characters a line is a fair guess.
    const size = (s.parentLines.length + s.childLines.length) * 40;
    next = walk.next(await workers.run('inheritAuthors', {
      parentLines: s.parentLines, parentAuthors: s.parentAuthors, childLines: s.childLines, childId: s.child.id, recall: s.recall,
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
  let parentLines = r ? linesOf(stores, r) : [];
  let parentAuthors = base ?? [];
  for (const c of chain.reverse()) {
    const lines = linesOf(stores, c);
    const revertOf = c.parentId ? stores.revisions.earlierWithSha1(c.pageId, c.sha1, c.parentId) : undefined;
    const authors = revertOf !== undefined
      ? (stores.blame.get(revertOf, BLAME_VERSION) ?? (yield* walkBack(stores, stores.revisions.byId(revertOf)!)))
      : c.parentId
        ? yield { parentLines, parentAuthors, childLines: lines, child: c, recall: recallSources(stores, c) }
        : lines.map(() => c.id);
    // A request that walked the same revisions meanwhile stored the same result: one row is kept.
    stores.blame.put(c.id, BLAME_VERSION, authors);
    parentLines = lines;
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
