/** The state shared while one comparison is written, and the Comparison it finishes as (internal to diff/). */
import type { Comparison, DiffEntry } from './model.js';

/** State while the entries are written: the texts, move marks (0 = not moved) and the second budget. */
export interface Work {
  oldLines: string[];
  newLines: string[];
  oldMove: Int32Array;
  newMove: Int32Array;
  /** Second budget, for move detection, pairing and word highlights (the line diff has its own). */
  deadline: number;
  showContext: boolean;
  /** Why the comparison is coarse, each reason once. */
  notes: Set<string>;
  entries: DiffEntry[];
  stats: Comparison['stats'];
}

/** The Comparison for finished entries: coarse, with every note joined, when any note was made. */
export function finish(entries: DiffEntry[], notes: Set<string>, stats: Comparison['stats']): Comparison {
  if (notes.size === 0) return { entries, coarse: false, stats };
  return { entries, coarse: true, note: [...notes].join(' '), stats };
}
