/**
 * Line authorship from a parent's (pure, so blame's steps may run in the text process): which
 * revision wrote each line of a child text, given who wrote the parent's lines.
 */
import { lineHunks, type DiffBudget } from './diff/lines.js';

/** Lines shorter than this (blank lines, "---") are too common to say who wrote them. */
const RECALL_MIN_CHARS = 4;
// The line matcher of the diff (trimmed Myers within this budget, then unique-line anchors, then
// whole blocks): near-linear whatever the texts, so a cold blame of a long history stays bounded per
// revision. Unrelated texts skip the Myers run altogether (its lower bound on edits is too high).
const BLAME_BUDGET: DiffBudget = { timeoutMs: 150, maxEditLength: 2000 };

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

/** inheritAuthors over runs: the parent's and the child's authorship as stored (pure, for the text process). */
export function inheritRuns(parentText: string, parentRuns: AuthorRuns, childText: string, childId: number, recall: RecallSource[]): AuthorRuns {
  return runsOf(inheritAuthors(parentText.split('\n'), linesOf(parentRuns), childText.split('\n'), childId, recallMap(recall)));
}

/** The authors of a page's first text: every line by its own revision (pure). */
export function firstAuthors(text: string, revisionId: number): AuthorRuns {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return [revisionId, lines];
}

function recalled(line: string, recall: Map<string, number>): number | undefined {
  return line.trim().length >= RECALL_MIN_CHARS ? recall.get(line) : undefined;
}

/** The texts and stored authorship of a few revisions before `r`, newest first: what recallMap reads. */
export interface RecallSource {
  text: string;
  authors: AuthorRuns;
}

/** Line text → first writer, from recallSources (pure, so it can run in the text process). */
export function recallMap(sources: RecallSource[]): Map<string, number> {
  const map = new Map<string, number>();
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
      if (line.trim().length >= RECALL_MIN_CHARS) map.set(line, authors[run]!);
    }
  }
  return map;
}

