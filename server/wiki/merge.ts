/** Three-way line merge of two edits made from the same base: bounded, near-linear, safe for any line text (pure). */
import { hunksOfIds, internLines, type DiffBudget, type Hunk } from './diff/lines.js';

export type { DiffBudget } from './diff/lines.js';

export type MergeRegion =
  | { kind: 'ok'; lines: string[] }
  | { kind: 'conflict'; mine: string[]; base: string[]; theirs: string[] };

export type MergeResult =
  | { clean: true; text: string }
  | { clean: false; regions: MergeRegion[] };

// Each side is compared with the base by the diff's line matcher (diff/lines.ts): common prefix and
// suffix trimmed, jsdiff's Myers diff within this budget, then anchors on lines unique to both
// sides, then whole blocks. Lines are compared as numbers from a Map, never as keys of an object
// (a line reading `__proto__` or `constructor` is text like any other). A merge therefore costs at
// most about twice its time budget plus linear work, whatever the texts; past the budget it only
// gets coarser (more conflicts), never wrong and never lossy.
const MERGE_BUDGET: DiffBudget = { timeoutMs: 200, maxEditLength: 1000 };

interface Sides { base: string[]; mine: string[]; theirs: string[] }

/**
 * Merges `mine` and `theirs`, both edited from `base`, line by line as diff3 does. Clean when their
 * changes touch different lines or make the same change; then the text has both. Otherwise the
 * regions hold every overlapping change with both sides' lines and the base's, and the unchanged
 * or one-sided parts as `ok` lines, so no side's text is lost.
 *
 * Changes to adjacent lines (one side's change ends where the other's begins, or both insert at
 * the same place) conflict, as in diff3 and git: a line added right after a line the other side
 * rewrote may depend on it, and only a reader can tell.
 *
 * Never throws for any texts. Costs at most about 2 × `budget.timeoutMs` (one exact diff per side)
 * plus linear work; the default budget is what saves use.
 */
export function merge3(base: string, mine: string, theirs: string, budget: DiffBudget = MERGE_BUDGET): MergeResult {
  if (mine === theirs) return { clean: true, text: mine };
  if (base === theirs) return { clean: true, text: mine };
  if (base === mine) return { clean: true, text: theirs };
  const sides: Sides = { base: base.split('\n'), mine: mine.split('\n'), theirs: theirs.split('\n') };
  const { ids, distinct } = internLines(sides.base, sides.mine, sides.theirs);
  const [baseIds, mineIds, theirIds] = ids as [number[], number[], number[]];
  const changes = (side: number[]): Hunk[] => hunksOfIds(baseIds, side, distinct, {
    deadline: Date.now() + budget.timeoutMs,
    maxEditLength: budget.maxEditLength,
    coarse: false,
    lastResort: 'block',
  });
  const regions = mergeRegions(sides, changes(mineIds), changes(theirIds));
  if (regions.some((r) => r.kind === 'conflict')) return { clean: false, regions };
  return { clean: true, text: regions.flatMap((r) => (r.kind === 'ok' ? r.lines : [])).join('\n') };
}

/**
 * Walks both sides' changes over the base. A region starts at the earliest pending change and takes
 * in every change of either side that overlaps it or touches its end; base lines between regions
 * are unchanged on both sides.
 */
function mergeRegions(sides: Sides, mine: Hunk[], theirs: Hunk[]): MergeRegion[] {
  const out = new RegionWriter();
  let at = 0;
  let i = 0;
  let j = 0;
  while (i < mine.length || j < theirs.length) {
    const lo = Math.min(mine[i]?.a0 ?? Infinity, theirs[j]?.a0 ?? Infinity);
    let hi = lo;
    const [i0, j0] = [i, j];
    for (;;) {
      if (i < mine.length && mine[i]!.a0 <= hi) hi = Math.max(hi, mine[i++]!.a1);
      else if (j < theirs.length && theirs[j]!.a0 <= hi) hi = Math.max(hi, theirs[j++]!.a1);
      else break;
    }
    out.ok(sides.base, at, lo);
    const mineLines = sideLines(sides.mine, mine.slice(i0, i), lo, hi);
    const theirLines = sideLines(sides.theirs, theirs.slice(j0, j), lo, hi);
    if (theirLines === undefined) out.ok(mineLines!, 0, mineLines!.length);
    else if (mineLines === undefined || sameLines(mineLines, theirLines)) out.ok(theirLines, 0, theirLines.length);
    else out.conflict({ kind: 'conflict', mine: mineLines, base: sides.base.slice(lo, hi), theirs: theirLines });
    at = hi;
  }
  out.ok(sides.base, at, sides.base.length);
  return out.finish();
}

/**
 * A side's lines for base lines [lo, hi), given its changes inside that range; undefined when it
 * has none there (it left those base lines as they were). Outside its changes a side's lines match
 * the base's one for one, so the offsets before its first change and after its last carry over.
 */
function sideLines(lines: string[], changes: Hunk[], lo: number, hi: number): string[] | undefined {
  const first = changes[0];
  const last = changes[changes.length - 1];
  if (!first || !last) return undefined;
  return lines.slice(first.b0 - (first.a0 - lo), last.b1 + (hi - last.a1));
}

/** Identical changes on both sides are no conflict (diff3's "excludeFalseConflicts"). */
function sameLines(x: string[], y: string[]): boolean {
  return x.length === y.length && x.every((line, k) => line === y[k]);
}

/** Collects regions, joining consecutive ok lines into one region and dropping empty ones. */
class RegionWriter {
  private readonly regions: MergeRegion[] = [];
  private pending: string[] = [];

  ok(lines: string[], from: number, to: number): void {
    // A loop, not push(...lines): spreading hundreds of thousands of lines overflows the stack.
    for (let k = from; k < to; k++) this.pending.push(lines[k]!);
  }

  conflict(region: MergeRegion): void {
    this.flush();
    this.regions.push(region);
  }

  finish(): MergeRegion[] {
    this.flush();
    return this.regions;
  }

  private flush(): void {
    if (this.pending.length > 0) this.regions.push({ kind: 'ok', lines: this.pending });
    this.pending = [];
  }
}

export interface HunkChoice {
  side: 'mine' | 'theirs';
  /** Lines written by hand, used instead of either side when given. */
  lines: string[] | null;
}

/** The text of a conflicted merge with each conflicting hunk resolved by `choose(index)`. */
export function resolveRegions(regions: MergeRegion[], choose: (index: number) => HunkChoice): string {
  let i = 0;
  return regions
    .flatMap((r) => {
      if (r.kind === 'ok') return r.lines;
      const c = choose(i++);
      return c.lines ?? (c.side === 'mine' ? r.mine : r.theirs);
    })
    .join('\n');
}
