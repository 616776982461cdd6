/** Word bags and their Dice similarity: how alike two lines or paragraphs are, for pairing and moves. */

const SMALL_BAG_PAIRS = 256; // word pairs below which two bags are compared without sorting
const WORD = /[\p{L}\p{N}_]+/gu;

/** A line's or paragraph's words; sorted lazily, only when a bag is too big to compare pairwise. */
export interface Bag { words: string[]; sorted?: string[] }

/** The first `limit` words (near enough: very long texts are judged by their start). */
export function wordBag(text: string, limit: number): Bag {
  const words = (text.length > limit * 16 ? text.slice(0, limit * 16) : text).match(WORD) ?? [];
  if (words.length > limit) words.length = limit;
  return { words };
}

/** Dice coefficient of two word multisets: 1 for the same words, 0 for none shared. */
export function similarity(x: Bag, y: Bag): number {
  if (x.words.length === 0 || y.words.length === 0) return 0;
  return (2 * sharedWords(x, y)) / (x.words.length + y.words.length);
}

/** Size of the multiset intersection: pairwise for short lines (no sorting, no garbage), else by merge. */
function sharedWords(x: Bag, y: Bag): number {
  let shared = 0;
  const xw = x.words;
  const yw = y.words;
  if (xw.length * yw.length <= SMALL_BAG_PAIRS) {
    const used: boolean[] = [];
    for (const word of xw) {
      for (let k = 0; k < yw.length; k++) {
        if (used[k] === true || yw[k] !== word) continue;
        used[k] = true;
        shared++;
        break;
      }
    }
    return shared;
  }
  const xs = (x.sorted ??= [...xw].sort());
  const ys = (y.sorted ??= [...yw].sort());
  for (let i = 0, j = 0; i < xs.length && j < ys.length; ) {
    if (xs[i]! < ys[j]!) i++;
    else if (xs[i]! > ys[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return shared;
}
