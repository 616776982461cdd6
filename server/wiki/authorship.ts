/**
 * Line authorship from a parent's (pure, so blame's steps may run in the text process): which
 * revision wrote each line of a child text, given who wrote the parent's lines.
 */
import { lineHunks, type DiffBudget } from './diff/lines.js';
import { commonEnds } from './diff/commonEnds.js';

/** Lines shorter than this (blank lines, "---") are too common to say who wrote them. */
const RECALL_MIN_CHARS = 4;
// The line matcher of the diff (trimmed Myers within this budget, then unique-line anchors, then
// whole blocks): near-linear whatever the texts, so a cold blame of a long history stays bounded per
// revision. Unrelated texts skip the Myers run altogether (its lower bound on edits is too high).
const BLAME_BUDGET: DiffBudget = { timeoutMs: 150, maxEditLength: 2000 };

/**
 * The authors of `child` lines, given the parent's lines and authors (pure). Lines the diff keeps
 * keep their authors; other lines are the child's, unless `recall` (line text → the revision that
 * first wrote it, for lines that come back; or the sources recallMap reads it from, read only for
 * the lines the child adds) or a line the child removed elsewhere (a move) names an earlier
 * writer. Never throws; costs about `budget.timeoutMs` plus linear work.
 */
export function inheritAuthors(
  parentLines: string[],
  parentAuthors: number[],
  childLines: string[],
  childId: number,
  recall: ReadonlyMap<string, number> | readonly RecallSource[] = new Map(),
  budget: DiffBudget = BLAME_BUDGET,
): number[] {
  const deadline = Date.now() + budget.timeoutMs;
  const hunks = lineHunks(parentLines, childLines, { deadline, maxEditLength: budget.maxEditLength, coarse: false, lastResort: 'block' });
  // Every removed line is known before any added one is credited: added lines may be moved from below.
  const removed = new Map<string, number>();
  const added = new Set<string>();
  for (const h of hunks) {
    for (let i = h.a0; i < h.a1; i++) {
      const line = parentLines[i]!;
      if (line.trim().length >= RECALL_MIN_CHARS && !removed.has(line)) removed.set(line, parentAuthors[i]!);
    }
    for (let i = h.b0; i < h.b1; i++) added.add(childLines[i]!);
  }
  // Only the lines the child adds are looked for in earlier revisions (an edit adds a few).
  const earlier = recall instanceof Map ? recall : recallMap(recall as readonly RecallSource[], added);
  const out = new Array<number>(childLines.length);
  let a = 0;
  let b = 0;
  for (const h of [...hunks, { a0: parentLines.length, a1: parentLines.length, b0: childLines.length, b1: childLines.length }]) {
    while (b < h.b0) out[b++] = parentAuthors[a++]!;
    for (; b < h.b1; b++) {
      const line = childLines[b]!;
      // An earlier writer the recall names comes first, then the writer of a line moved here.
      out[b] = (line.trim().length >= RECALL_MIN_CHARS ? (earlier.get(line) ?? removed.get(line)) : undefined) ?? childId;
    }
    a = h.a1;
  }
  return out;
}

/**
 * Line authorship as runs: [revision id, line count, revision id, line count, ...] from the first
 * line on. What is stored (db/blame.ts) and what crosses to the text process and back: a page of
 * 200,000 lines written by a few hands is a few numbers, where a number per line cost the event
 * loop over 100 ms a save to build, copy and compress.
 */
export type AuthorRuns = number[];

/** Runs of a number per line. */
export function runsOf(lines: readonly number[]): AuthorRuns {
  const runs: AuthorRuns = [];
  for (const id of lines) {
    if (runs.length > 0 && runs[runs.length - 2] === id) runs[runs.length - 1]! += 1;
    else runs.push(id, 1);
  }
  return runs;
}

/** A number per line, from runs. */
export function linesOf(runs: AuthorRuns): number[] {
  const lines: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) for (let n = 0; n < runs[i + 1]!; n++) lines.push(runs[i]!);
  return lines;
}

/** The same runs with each revision id passed through `f` (a few numbers, however long the text). */
export function mapRunIds(runs: AuthorRuns, f: (id: number) => number): AuthorRuns {
  return runs.map((v, i) => (i % 2 === 0 ? f(v) : v));
}

/**
 * inheritAuthors over runs: the parent's and the child's authorship as stored (pure, for the text
 * process). The whole lines the two texts share at their start and at their end keep their authors
 * without being diffed: an edit changes a line or two, and numbering every line of both texts for
 * the diff was most of this step's time.
 */
export function inheritRuns(parentText: string, parentRuns: AuthorRuns, childText: string, childId: number, recall: RecallSource[]): AuthorRuns {
  const parentLines = parentText.split('\n');
  const childLines = childText.split('\n');
  const authors = linesOf(parentRuns);
  const { head, tail } = sharedLines(parentText, childText);
  const middle = inheritAuthors(
    parentLines.slice(head, parentLines.length - tail),
    authors.slice(head, parentLines.length - tail),
    childLines.slice(head, childLines.length - tail),
    childId,
    recall,
  );
  return runsOf([...authors.slice(0, head), ...middle, ...authors.slice(authors.length - tail)]);
}

/**
 * How many whole lines two texts share at their start (`head`) and at their end (`tail`): lines
 * whose newline lies in the texts' common start, and lines after a newline in their common end.
 */
function sharedLines(a: string, b: string): { head: number; tail: number } {
  const { prefix, suffix } = commonEnds(a, b);
  let head = 0;
  for (let i = a.indexOf('\n'); i !== -1 && i < prefix; i = a.indexOf('\n', i + 1)) head++;
  let tail = 0;
  for (let i = a.indexOf('\n', a.length - suffix); i !== -1; i = a.indexOf('\n', i + 1)) tail++;
  return { head, tail };
}

/** The authors of a page's first text: every line by its own revision (pure). */
export function firstAuthors(text: string, revisionId: number): AuthorRuns {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return [revisionId, lines];
}

/**
 * Up to this many wanted lines, recallMap finds each in the sources' texts rather than reading
 * every line of them: an edit adds a line or two, and hashing each line of four texts was a
 * twentieth of a save. Past it, one pass over the lines costs less (and stays linear).
 */
const FIND_LINES_UP_TO = 8;

/**
 * The author of the last whole line of `text` equal to `line` that the runs cover (what a pass over
 * the lines, later ones overwriting earlier, would give); undefined when there is none. Searched
 * from the start: V8's lastIndexOf compares character by character, where indexOf skips ahead.
 */
function lastAuthorOf(text: string, authors: AuthorRuns, line: string): number | undefined {
  let found: number | undefined;
  // Lines before offset `counted`, counted once for all the matches.
  let index = 0;
  let counted = 0;
  for (let at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + 1)) {
    const end = at + line.length;
    if ((at === 0 || text.charCodeAt(at - 1) === 10) && (end === text.length || text.charCodeAt(end) === 10)) {
      for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) index++;
      counted = at;
      found = authorOfLine(authors, index) ?? found;
    }
    if (at >= text.length) break; // an empty line is found at the end again and again
  }
  return found;
}

/** The revision the runs give line `index` (0-based); undefined past the runs. */
function authorOfLine(authors: AuthorRuns, index: number): number | undefined {
  for (let run = 0; run + 1 < authors.length; run += 2) {
    if (index < authors[run + 1]!) return authors[run];
    index -= authors[run + 1]!;
  }
  return undefined;
}

/** The texts and stored authorship of a few revisions before `r`, newest first: what recallMap reads. */
export interface RecallSource {
  text: string;
  authors: AuthorRuns;
}

/**
 * Line text → first writer, from recallSources (pure, so it can run in the text process); only
 * for the lines in `wanted` when given.
 */
export function recallMap(sources: readonly RecallSource[], wanted?: ReadonlySet<string>): Map<string, number> {
  const map = new Map<string, number>();
  if (wanted?.size === 0) return map;
  if (wanted && wanted.size <= FIND_LINES_UP_TO) {
    for (const { text, authors } of sources) {
      for (const line of wanted) {
        if (line.trim().length < RECALL_MIN_CHARS) continue;
        const author = lastAuthorOf(text, authors, line);
        if (author !== undefined) map.set(line, author);
      }
    }
    return map;
  }
  // Walking back in time: older writers overwrite newer ones, so the first writer wins.
  for (const { text, authors } of sources) {
    // The runs are walked beside the lines: no number per line is built.
    let run = -2;
    let left = 0;
    for (const line of text.split('\n')) {
      while (left === 0 && run + 2 < authors.length) {
        run += 2;
        left = authors[run + 1]!;
      }
      if (left === 0) break; // past the runs
      left -= 1;
      if ((wanted === undefined || wanted.has(line)) && line.trim().length >= RECALL_MIN_CHARS) map.set(line, authors[run]!);
    }
  }
  return map;
}

