/** Line matching into hunks: exact Myers diff within budget, patience anchoring past it, in-place matching last. */
import { diffArrays } from 'diff';

const MAX_PATIENCE_DEPTH = 6;

/** The note for a comparison whose line budget ran out somewhere. */
export const NOTE_LINES = 'The texts differ too much to compare line by line in time, so some changed regions are shown as whole blocks.';

/** A run of equal lines: old index a, new index b (0-based), n lines. */
interface Match { a: number; b: number; n: number }

/** A changed region between equal runs: old lines [a0, a1) replaced by new lines [b0, b1). */
export interface Hunk { a0: number; a1: number; b0: number; b1: number }

/** The line diff's budget; `coarse` is set when any region had to fall back past an exact diff. */
export interface LineBudget { deadline: number; maxEditLength: number; coarse: boolean }

/**
 * The changed regions between two texts' lines, in order. Within the budget they are those of an
 * exact (Myers) line diff; past it `budget.coarse` is set and some regions are coarser blocks.
 */
export function lineHunks(oldLines: string[], newLines: string[], budget: LineBudget): Hunk[] {
  const [oldIds, newIds] = intern(oldLines, newLines);
  return toHunks(matchLines(oldIds, newIds, budget), oldLines.length, newLines.length);
}

/** Same line, same number: the line diff compares numbers, which is faster than strings. */
function intern(oldLines: string[], newLines: string[]): [number[], number[]] {
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  return [oldLines.map(idOf), newLines.map(idOf)];
}

/** The equal runs of a and b in order, adjacent runs merged and empty ones dropped. */
function matchLines(a: number[], b: number[], budget: LineBudget): Match[] {
  const found: Match[] = [];
  diffRange(a, b, [0, a.length, 0, b.length], found, budget, 0);
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
function diffRange(a: number[], b: number[], range: [number, number, number, number], out: Match[], budget: LineBudget, depth: number): void {
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
  if (aLo < aHi && bLo < bHi && !exactDiff(a, b, [aLo, aHi, bLo, bHi], out, budget)) {
    budget.coarse = true;
    const anchored = depth < MAX_PATIENCE_DEPTH && patienceDiff(a, b, [aLo, aHi, bLo, bHi], out, budget, depth);
    if (!anchored) matchInPlace(a, b, [aLo, aHi, bLo, bHi], out);
  }
  out.push({ a: aHi, b: bHi, n: suffix });
}

/** jsdiff's Myers diff; false when it would exceed or did exceed the budget. */
function exactDiff(a: number[], b: number[], range: [number, number, number, number], out: Match[], budget: LineBudget): boolean {
  const [aLo, aHi, bLo, bHi] = range;
  const remaining = budget.deadline - Date.now();
  if (remaining <= 0) return false;
  if (aHi - aLo + (bHi - bLo) > budget.maxEditLength && minimumEdits(a, b, range) > budget.maxEditLength) return false;
  const changes = diffArrays(a.slice(aLo, aHi), b.slice(bLo, bHi), { maxEditLength: budget.maxEditLength, timeout: remaining });
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
function minimumEdits(a: number[], b: number[], [aLo, aHi, bLo, bHi]: [number, number, number, number]): number {
  const unmatched = new Map<number, number>();
  for (let i = aLo; i < aHi; i++) unmatched.set(a[i]!, (unmatched.get(a[i]!) ?? 0) + 1);
  let shared = 0;
  for (let j = bLo; j < bHi; j++) {
    const left = unmatched.get(b[j]!) ?? 0;
    if (left > 0) {
      unmatched.set(b[j]!, left - 1);
      shared++;
    }
  }
  return aHi - aLo + (bHi - bLo) - 2 * shared;
}

/**
 * Anchors on lines that occur once on each side, in an order both sides agree on; recurses between
 * them. False when there is no such line.
 */
function patienceDiff(a: number[], b: number[], range: [number, number, number, number], out: Match[], budget: LineBudget, depth: number): boolean {
  const [aLo, aHi, bLo, bHi] = range;
  const anchors = uniqueAnchors(a, b, range);
  if (anchors.length === 0) return false;
  let i = aLo;
  let j = bLo;
  for (const [ai, bj] of anchors) {
    diffRange(a, b, [i, ai, j, bj], out, budget, depth + 1);
    out.push({ a: ai, b: bj, n: 1 });
    i = ai + 1;
    j = bj + 1;
  }
  diffRange(a, b, [i, aHi, j, bHi], out, budget, depth + 1);
  return true;
}

/**
 * Last resort for a region: equal lines at the same offset from its start stay, the rest is one
 * block. Keeps repeated lines (blank lines, list markers) from showing as changed to themselves.
 */
function matchInPlace(a: number[], b: number[], [aLo, aHi, bLo, bHi]: [number, number, number, number], out: Match[]): void {
  for (let k = 0; k < Math.min(aHi - aLo, bHi - bLo); k++) {
    if (a[aLo + k] === b[bLo + k]) out.push({ a: aLo + k, b: bLo + k, n: 1 });
  }
}

function uniqueAnchors(a: number[], b: number[], [aLo, aHi, bLo, bHi]: [number, number, number, number]): Array<[number, number]> {
  const inOld = new Map<number, number>(); // id → its old index, or -1 when repeated
  for (let i = aLo; i < aHi; i++) inOld.set(a[i]!, inOld.has(a[i]!) ? -1 : i);
  const inNew = new Map<number, number>();
  for (let j = bLo; j < bHi; j++) {
    if ((inOld.get(b[j]!) ?? -1) >= 0) inNew.set(b[j]!, inNew.has(b[j]!) ? -1 : j);
  }
  const pairs: Array<[number, number]> = []; // in new order (Map keeps insertion order)
  for (const [id, j] of inNew) if (j >= 0) pairs.push([inOld.get(id)!, j]);
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
