/** Change pairs and word highlights: which deleted and added lines are edits of each other, and which words changed. */
import { diffWordsWithSpace } from 'diff';
import type { ChangeObject } from 'diff';
import { similarity, wordBag, type Bag } from './bags.js';
import type { HighlightRange } from './model.js';
import type { Work } from './work.js';

const WORD_MAX_EDIT_LENGTH = 300; // words (and spaces) per changed line pair
const MAX_HIGHLIGHT_CHARS = 10_000; // old + new line length beyond which a line is marked whole
const PAIR_SIMILARITY = 0.5; // word overlap (Dice) for a deleted and an added line to be a change
const SAME_LINE_SCORE = 2; // above any similarity, so identical lines align first
const ALIGN_MAX_CELLS = 2500; // similarity alignment within a hunk; larger hunks pair by position
const LINE_BAG_TOKENS = 200;

const NOTE_WORDS = 'Some changed lines were too long or too different to compare word by word, so they are marked as changed throughout.';

/**
 * Which deleted and added lines of one hunk are edits of each other: an order-keeping alignment that
 * maximises word overlap for small hunks, position by position for large ones (or past the budget).
 * Identical lines only meet inside a hunk when a coarse fallback missed them; they pair first.
 */
export function pairLines(work: Work, deleted: number[], added: number[]): Array<[number, number]> {
  const d = deleted.length;
  const n = added.length;
  if (d === 0 || n === 0) return [];
  const oldBags: Array<Bag | undefined> = [];
  const newBags: Array<Bag | undefined> = [];
  const score = (x: number, y: number): number => {
    const oldLine = work.oldLines[deleted[x]!]!;
    const newLine = work.newLines[added[y]!]!;
    if (oldLine === newLine) return SAME_LINE_SCORE;
    return similarity((oldBags[x] ??= wordBag(oldLine, LINE_BAG_TOKENS)), (newBags[y] ??= wordBag(newLine, LINE_BAG_TOKENS)));
  };
  if (d * n > ALIGN_MAX_CELLS || Date.now() > work.deadline) {
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k < Math.min(d, n); k++) if (score(k, k) >= PAIR_SIMILARITY) pairs.push([deleted[k]!, added[k]!]);
    return pairs;
  }
  return align(d, n, score).map(([x, y]) => [deleted[x]!, added[y]!]);
}

/** Longest-common-subsequence style alignment of d old and n new lines where "equal" means similar enough. */
function align(d: number, n: number, pairScore: (x: number, y: number) => number): Array<[number, number]> {
  const width = n + 1;
  const score = new Float64Array((d + 1) * width);
  const sims = new Float64Array(d * n);
  for (let x = 1; x <= d; x++) {
    for (let y = 1; y <= n; y++) {
      const s = (sims[(x - 1) * n + y - 1] = pairScore(x - 1, y - 1));
      let best = Math.max(score[(x - 1) * width + y]!, score[x * width + y - 1]!);
      if (s >= PAIR_SIMILARITY) best = Math.max(best, score[(x - 1) * width + y - 1]! + s);
      score[x * width + y] = best;
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let x = d, y = n; x > 0 && y > 0; ) {
    const s = sims[(x - 1) * n + y - 1]!;
    const here = score[x * width + y]!;
    if (s >= PAIR_SIMILARITY && here === score[(x - 1) * width + y - 1]! + s) pairs.push([--x, --y]);
    else if (here === score[(x - 1) * width + y]!) x--;
    else y--;
  }
  return pairs.reverse();
}

/**
 * The changed words of a change pair. Past `work.deadline` or the size limits, both lines are marked
 * whole and the comparison notes why.
 */
export function highlight(work: Work, oldLine: string, newLine: string): HighlightRange[] {
  const remaining = work.deadline - Date.now();
  if (oldLine.length + newLine.length <= MAX_HIGHLIGHT_CHARS && remaining > 0) {
    const parts = diffWordsWithSpace(oldLine, newLine, { maxEditLength: WORD_MAX_EDIT_LENGTH, timeout: remaining });
    if (parts) return rangesOf(parts);
  }
  work.notes.add(NOTE_WORDS);
  const whole: HighlightRange[] = [];
  if (oldLine.length > 0) whole.push({ start: 0, length: oldLine.length, type: 'delete' });
  if (newLine.length > 0) whole.push({ start: 0, length: newLine.length, type: 'add' });
  return whole;
}

/** Offsets are string lengths, so they count UTF-16 units (an astral character counts 2). */
function rangesOf(parts: ChangeObject<string>[]): HighlightRange[] {
  const ranges: HighlightRange[] = [];
  const last: Partial<Record<HighlightRange['type'], HighlightRange>> = {};
  const mark = (start: number, length: number, type: HighlightRange['type']): void => {
    const previous = last[type];
    if (previous && previous.start + previous.length === start) previous.length += length;
    else ranges.push((last[type] = { start, length, type }));
  };
  let oldAt = 0;
  let newAt = 0;
  for (const part of parts) {
    const length = part.value.length;
    if (part.removed) mark(oldAt, length, 'delete');
    if (part.added) mark(newAt, length, 'add');
    if (!part.added) oldAt += length;
    if (!part.removed) newAt += length;
  }
  return ranges;
}
