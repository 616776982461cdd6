/** Moved paragraphs: runs of lines deleted in one place and added, the same or nearly, in another. */
import { similarity, wordBag } from './bags.js';
import type { Hunk } from './lines.js';
import type { Work } from './work.js';

const MOVE_SIMILARITY = 0.9; // word overlap for a deleted and an added paragraph to be a move
const MIN_MOVE_CHARS = 20; // shorter paragraphs (after normalising spaces) are too trivial to be moves
const MAX_MOVE_LINES = 1000; // longer runs are whole regions, not paragraphs worth matching
const MAX_MOVE_CHARS = 100_000;
const PARAGRAPH_BAG_TOKENS = 500;
const FUZZY_MOVE_MAX_PAIRS = 10_000;

interface Paragraph { hunk: number; start: number; end: number; key: string; used: boolean }

/**
 * Marks moved paragraphs in `work.oldMove` / `work.newMove` (k + 1 for the k-th move, in old-text
 * order) and counts them in `work.stats.moved`. Exact moves first, then near-identical ones while
 * `work.deadline` allows.
 */
export function markMoves(work: Work, hunks: Hunk[]): void {
  const olds = hunks.flatMap((h, k) => paragraphs(work.oldLines, h.a0, h.a1, k));
  const news = hunks.flatMap((h, k) => paragraphs(work.newLines, h.b0, h.b1, k));
  const moves = [...exactMoves(olds, news), ...similarMoves(olds, news, work.deadline)];
  moves.sort(([p], [q]) => p.start - q.start);
  moves.forEach(([from, to], k) => {
    work.oldMove.fill(k + 1, from.start, from.end);
    work.newMove.fill(k + 1, to.start, to.end);
  });
  work.stats.moved = moves.length;
}

/** Runs of non-blank lines inside lines[lo, hi), keyed by their text with white space normalised. */
function paragraphs(lines: string[], lo: number, hi: number, hunk: number): Paragraph[] {
  const found: Paragraph[] = [];
  for (let i = lo; i < hi; ) {
    if (isBlank(lines[i]!)) {
      i++;
      continue;
    }
    let j = i;
    let chars = 0;
    while (j < hi && !isBlank(lines[j]!)) chars += lines[j++]!.length;
    const key = j - i > MAX_MOVE_LINES || chars > MAX_MOVE_CHARS ? '' : lines.slice(i, j).join(' ').replace(/\s+/g, ' ').trim();
    if (key.length >= MIN_MOVE_CHARS) found.push({ hunk, start: i, end: j, key, used: false });
    i = j;
  }
  return found;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Identical paragraphs, first with first. In an exact line diff these are always in different hunks. */
function exactMoves(olds: Paragraph[], news: Paragraph[]): Array<[Paragraph, Paragraph]> {
  // A cursor per key rather than Array.shift, which may copy the list: thousands of copies of one
  // paragraph would make that quadratic.
  const byKey = new Map<string, { list: Paragraph[]; next: number }>();
  for (const p of news) {
    const entry = byKey.get(p.key);
    if (entry) entry.list.push(p);
    else byKey.set(p.key, { list: [p], next: 0 });
  }
  const moves: Array<[Paragraph, Paragraph]> = [];
  for (const from of olds) {
    const entry = byKey.get(from.key);
    const to = entry?.list[entry.next];
    if (!entry || !to) continue;
    entry.next++;
    from.used = to.used = true;
    moves.push([from, to]);
  }
  return moves;
}

/** Near-identical paragraphs in different hunks (within one hunk, an edited paragraph is a change, not a move). */
function similarMoves(olds: Paragraph[], news: Paragraph[], deadline: number): Array<[Paragraph, Paragraph]> {
  const fromList = olds.filter((p) => !p.used);
  const toList = news.filter((p) => !p.used);
  if (fromList.length * toList.length > FUZZY_MOVE_MAX_PAIRS) return [];
  const bags = new Map(toList.map((p) => [p, wordBag(p.key, PARAGRAPH_BAG_TOKENS)]));
  const moves: Array<[Paragraph, Paragraph]> = [];
  for (const from of fromList) {
    if (Date.now() > deadline) break;
    const bag = wordBag(from.key, PARAGRAPH_BAG_TOKENS);
    let best: Paragraph | undefined;
    let bestScore = 0;
    for (const to of toList) {
      if (to.used || to.hunk === from.hunk) continue;
      const lengths = Math.min(from.key.length, to.key.length) / Math.max(from.key.length, to.key.length);
      const score = lengths < MOVE_SIMILARITY ? 0 : similarity(bag, bags.get(to)!);
      if (score >= MOVE_SIMILARITY && score > bestScore) [best, bestScore] = [to, score];
    }
    if (best) {
      best.used = true;
      moves.push([from, best]);
    }
  }
  return moves;
}
