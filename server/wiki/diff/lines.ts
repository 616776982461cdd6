/** Line matching into hunks: exact Myers diff within budget, patience anchoring past it, in-place matching last. */
import { diffArrays } from 'diff';

const MAX_PATIENCE_DEPTH = 6;

/** The note for a comparison whose line budget ran out somewhere. */
export const NOTE_LINES = 'The texts differ too much to compare line by line in time, so some changed regions are shown as whole blocks.';

/** A run of equal lines: old index a, new index b (0-based), n lines. */
interface Match { a: number; b: number; n: number }

/** How long a line diff may try for an exact answer: milliseconds, and the most edits (lines) worth it. */
export interface DiffBudget { timeoutMs: number; maxEditLength: number }

/** A changed region between equal runs: old lines [a0, a1) replaced by new lines [b0, b1). */
export interface Hunk { a0: number; a1: number; b0: number; b1: number }

/**
 * The line diff's budget; `coarse` is set when any region had to fall back past an exact diff.
 * `lastResort` says what a region with no anchor left becomes: 'in-place' (the default) keeps equal
 * lines at equal offsets, which reads well in a diff; 'block' makes it one changed block, which is
 * what a merge wants (no coincidental matches that could let one side's edit land inside the
 * other's rewrite).
 */
export interface LineBudget { deadline: number; maxEditLength: number; coarse: boolean; lastResort?: 'in-place' | 'block' }

/**
 * The changed regions between two texts' lines, in order; consecutive hunks are separated by at
 * least one equal line. Within the budget they are those of an exact (Myers) line diff; past it
 * `budget.coarse` is set and some regions are coarser blocks. Never throws; the cost is about the
 * budget's time plus linear work (patience anchoring recurses at most MAX_PATIENCE_DEPTH levels,
 * each over disjoint ranges).
 */
export function lineHunks(oldLines: string[], newLines: string[], budget: LineBudget): Hunk[] {
  const { ids, distinct } = internLines(oldLines, newLines);
  return hunksOfIds(ids[0]!, ids[1]!, distinct, budget);
}

/**
 * Same line, same number, across all the texts given: the line diff compares numbers, which is
 * faster than strings, and keeps per-line tables in typed arrays. A Map, so any line text is fine
 * (`__proto__` is a line like any other). `distinct` is one more than the largest number.
 */
export function internLines(...texts: string[][]): { ids: number[][]; distinct: number } {
  const numbers = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = numbers.get(line);
    if (id === undefined) numbers.set(line, (id = numbers.size));
    return id;
  };
  const ids = texts.map((lines) => lines.map(idOf));
  return { ids, distinct: numbers.size };
}

/** lineHunks for texts already numbered by internLines (`distinct` from the same call). */
export function hunksOfIds(a: number[], b: number[], distinct: number, budget: LineBudget): Hunk[] {
  const ids: Ids = { a, b, inOld: new Int32Array(distinct), inNew: new Int32Array(distinct) };
  return toHunks(matchLines(ids, budget), a.length, b.length);
}

/**
 * Both texts as numbers, and two tables indexed by number that every user leaves all zero: they
 * replace a Map per range, which made anchoring slow on large texts.
 */
interface Ids { a: number[]; b: number[]; inOld: Int32Array; inNew: Int32Array }

/** Old lines [aLo, aHi) against new lines [bLo, bHi). */
type Range = [number, number, number, number];

/** The equal runs of a and b in order, adjacent runs merged and empty ones dropped. */
function matchLines(ids: Ids, budget: LineBudget): Match[] {
  const found: Match[] = [];
  diffRange(ids, [0, ids.a.length, 0, ids.b.length], found, budget, 0);
  const merged: Match[] = [];
  for (const m of found) {
    const last = merged[merged.length - 1];
    if (m.n === 0) continue;
    if (last && last.a + last.n === m.a && last.b + last.n === m.b) last.n += m.n;
    else merged.push({ ...m });
  }
  return merged;
}

/** Appends to `out`, in order, the equal runs of a[aLo, aHi) and b[bLo, bHi); what is left between them changed. */
function diffRange(ids: Ids, range: Range, out: Match[], budget: LineBudget, depth: number): void {
  const { a, b } = ids;
  let [aLo, aHi, bLo, bHi] = range;
  let prefix = 0;
  while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
  out.push({ a: aLo, b: bLo, n: prefix });
  aLo += prefix;
  bLo += prefix;
  let suffix = 0;
  while (aHi - suffix > aLo && bHi - suffix > bLo && a[aHi - 1 - suffix] === b[bHi - 1 - suffix]) suffix++;
  aHi -= suffix;
  bHi -= suffix;
  if (aLo < aHi && bLo < bHi && !exactDiff(ids, [aLo, aHi, bLo, bHi], out, budget)) {
    budget.coarse = true;
    const anchored = depth < MAX_PATIENCE_DEPTH && patienceDiff(ids, [aLo, aHi, bLo, bHi], out, budget, depth);
    if (!anchored && budget.lastResort !== 'block') matchInPlace(ids, [aLo, aHi, bLo, bHi], out);
  }
  out.push({ a: aHi, b: bHi, n: suffix });
}

/** jsdiff's Myers diff; false when it would exceed or did exceed the budget. */
function exactDiff(ids: Ids, range: Range, out: Match[], budget: LineBudget): boolean {
  const [aLo, aHi, bLo, bHi] = range;
  const remaining = budget.deadline - Date.now();
  if (remaining <= 0) return false;
  if (aHi - aLo + (bHi - bLo) > budget.maxEditLength && minimumEdits(ids, range) > budget.maxEditLength) return false;
  const changes = diffArrays(ids.a.slice(aLo, aHi), ids.b.slice(bLo, bHi), { maxEditLength: budget.maxEditLength, timeout: remaining });
  if (!changes) return false;
  let i = aLo;
  let j = bLo;
  for (const change of changes) {
    if (!change.added && !change.removed) out.push({ a: i, b: j, n: change.count });
    if (!change.added) i += change.count;
    if (!change.removed) j += change.count;
  }
  return true;
}

/**
 * A cheap lower bound on the edit distance: every line beyond the shared multiset must be deleted
 * or added. Lets unrelated texts skip a Myers run that is sure to give up.
 */
function minimumEdits({ a, b, inOld: unmatched }: Ids, [aLo, aHi, bLo, bHi]: Range): number {
  for (let i = aLo; i < aHi; i++) unmatched[a[i]!]!++;
  let shared = 0;
  for (let j = bLo; j < bHi; j++) {
    if (unmatched[b[j]!]! > 0) {
      unmatched[b[j]!]!--;
      shared++;
    }
  }
  for (let i = aLo; i < aHi; i++) unmatched[a[i]!] = 0;
  return aHi - aLo + (bHi - bLo) - 2 * shared;
}

/**
 * Anchors on lines that occur once on each side, in an order both sides agree on; recurses between
 * them. False when there is no such line.
 */
function patienceDiff(ids: Ids, range: Range, out: Match[], budget: LineBudget, depth: number): boolean {
  const [, aHi, , bHi] = range;
  const anchors = uniqueAnchors(ids, range);
  if (anchors.length === 0) return false;
  let i = range[0];
  let j = range[2];
  for (const [ai, bj] of anchors) {
    diffRange(ids, [i, ai, j, bj], out, budget, depth + 1);
    out.push({ a: ai, b: bj, n: 1 });
    i = ai + 1;
    j = bj + 1;
  }
  diffRange(ids, [i, aHi, j, bHi], out, budget, depth + 1);
  return true;
}

/**
 * Last resort for a region: equal lines at the same offset from its start stay, the rest is one
 * block. Keeps repeated lines (blank lines, list markers) from showing as changed to themselves.
 */
function matchInPlace({ a, b }: Ids, [aLo, aHi, bLo, bHi]: Range, out: Match[]): void {
  for (let k = 0; k < Math.min(aHi - aLo, bHi - bLo); k++) {
    if (a[aLo + k] === b[bLo + k]) out.push({ a: aLo + k, b: bLo + k, n: 1 });
  }
}

/** Pairs [old index, new index] of lines that occur exactly once in each side of the range, in new order. */
function uniqueAnchors({ a, b, inOld, inNew }: Ids, [aLo, aHi, bLo, bHi]: Range): Array<[number, number]> {
  // In both tables 0 is "not seen", k + 1 "seen once, at k", -1 "seen more than once".
  for (let i = aLo; i < aHi; i++) inOld[a[i]!] = inOld[a[i]!] === 0 ? i + 1 : -1;
  for (let j = bLo; j < bHi; j++) {
    if (inOld[b[j]!]! > 0) inNew[b[j]!] = inNew[b[j]!] === 0 ? j + 1 : -1;
  }
  const pairs: Array<[number, number]> = [];
  for (let j = bLo; j < bHi; j++) {
    if (inNew[b[j]!] === j + 1) pairs.push([inOld[b[j]!]! - 1, j]);
  }
  for (let i = aLo; i < aHi; i++) inOld[a[i]!] = 0;
  for (let j = bLo; j < bHi; j++) inNew[b[j]!] = 0;
  return longestIncreasing(pairs);
}

/** The longest run of pairs whose old indices also increase (patience sorting). */
function longestIncreasing(pairs: Array<[number, number]>): Array<[number, number]> {
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  pairs.forEach(([oldIndex], k) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![0] < oldIndex) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[k] = tails[lo - 1]!;
    tails[lo] = k;
  });
  const chain: Array<[number, number]> = [];
  for (let k = tails[tails.length - 1] ?? -1; k >= 0; k = previous[k]!) chain.push(pairs[k]!);
  return chain.reverse();
}

/** The regions between equal runs (and before the first, after the last) where any line is left over. */
function toHunks(matches: Match[], oldLength: number, newLength: number): Hunk[] {
  const hunks: Hunk[] = [];
  let a = 0;
  let b = 0;
  for (const m of [...matches, { a: oldLength, b: newLength, n: 0 }]) {
    if (m.a > a || m.b > b) hunks.push({ a0: a, a1: m.a, b0: b, b1: m.b });
    a = m.a + m.n;
    b = m.b + m.n;
  }
  return hunks;
}
