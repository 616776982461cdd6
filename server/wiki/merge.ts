/** Three-way line merge of two edits made from the same base (pure). */
import { diff3Merge } from 'node-diff3';

export type MergeRegion =
  | { kind: 'ok'; lines: string[] }
  | { kind: 'conflict'; mine: string[]; base: string[]; theirs: string[] };

export type MergeResult =
  | { clean: true; text: string }
  | { clean: false; regions: MergeRegion[] };

/**
 * Merge `mine` and `theirs`, both edited from `base`. Clean when their changes touch different
 * lines (or make the same change); otherwise the regions show each overlapping hunk on both sides.
 */
export function merge3(base: string, mine: string, theirs: string): MergeResult {
  if (mine === theirs) return { clean: true, text: mine };
  if (base === theirs) return { clean: true, text: mine };
  if (base === mine) return { clean: true, text: theirs };
  const raw = diff3Merge<string>(mine.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
  const regions: MergeRegion[] = raw.map((r) =>
    r.conflict
      ? { kind: 'conflict', mine: r.conflict.a, base: r.conflict.o, theirs: r.conflict.b }
      : { kind: 'ok', lines: r.ok ?? [] },
  );
  if (regions.some((r) => r.kind === 'conflict')) return { clean: false, regions };
  return { clean: true, text: regions.flatMap((r) => (r.kind === 'ok' ? r.lines : [])).join('\n') };
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
