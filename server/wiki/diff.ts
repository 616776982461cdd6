/** Line and word comparison of two texts into the compare model of SPEC section 5, within a budget (pure). */
import { diffArrays, diffWordsWithSpace } from 'diff';
import type { ChangeObject } from 'diff';

/** Bump whenever the same two texts may compare differently; part of every diff cache key. */
export const DIFF_VERSION = 1;

/** Changed words inside a `change` line, in UTF-16 units: into the new line for add, the old line for delete. */
export interface HighlightRange {
  start: number;
  length: number;
  type: 'add' | 'delete';
}

export interface DiffEntry {
  type: 'context' | 'add' | 'delete' | 'change';
  /** Line content without '\n': the old line for delete, the new line otherwise. */
  text: string;
  /** For change: the old line. */
  old_text?: string;
  /** 1-based line in the older text (absent on add). */
  from_line?: number;
  /** 1-based line in the newer text (absent on delete). */
  to_line?: number;
  /** For change only: the changed words. */
  highlight_ranges?: HighlightRange[];
  /** A moved paragraph: its delete entries and its add entries share one move_id. */
  move_id?: string;
}

export interface Comparison {
  /** Complete edit script from older to newer, in reading order, with context lines as asked. */
  entries: DiffEntry[];
  /** True when a budget ran out and a coarser comparison was used for part of the texts. */
  coarse: boolean;
  /** Why the comparison is coarse; present only when `coarse`. */
  note?: string;
  /** Lines in add / delete / change entries (moved lines count as added and deleted); moved paragraphs. */
  stats: { added: number; deleted: number; changed: number; moved: number };
}

export interface CompareOptions {
  /** Unchanged lines shown around each change, or 'all'; default 3. */
  context?: number | 'all';
  /** Budget for the line diff; pairing and word highlights get half as much again. Default 200. */
  timeoutMs?: number;
  /** Largest edit distance, in lines, worth an exact line diff; past it, patience anchoring. Default 1000. */
  maxEditLength?: number;
}

// Measured: a Myers run over 1 MiB of 60-character lines that gives up after 1000 edits costs about
// 150 ms, and the cost grows with the square of the limit. Unrelated texts skip it (minimumEdits).
const DEFAULT_MAX_EDIT_LENGTH = 1000;
const DEFAULT_TIMEOUT_MS = 200;
const DEFAULT_CONTEXT = 3;
const WORD_MAX_EDIT_LENGTH = 300; // words (and spaces) per changed line pair
const MAX_HIGHLIGHT_CHARS = 10_000; // old + new line length beyond which a line is marked whole
const PAIR_SIMILARITY = 0.5; // word overlap (Dice) for a deleted and an added line to be a change
const SAME_LINE_SCORE = 2; // above any similarity, so identical lines align first
const MOVE_SIMILARITY = 0.9; // word overlap for a deleted and an added paragraph to be a move
const MIN_MOVE_CHARS = 20; // shorter paragraphs (after normalising spaces) are too trivial to be moves
const MAX_MOVE_LINES = 1000; // longer runs are whole regions, not paragraphs worth matching
const MAX_MOVE_CHARS = 100_000;
const MAX_PATIENCE_DEPTH = 6;
const ALIGN_MAX_CELLS = 2500; // similarity alignment within a hunk; larger hunks pair by position
const LINE_BAG_TOKENS = 200;
const PARAGRAPH_BAG_TOKENS = 500;
const FUZZY_MOVE_MAX_PAIRS = 10_000;
const SMALL_BAG_PAIRS = 256; // word pairs below which two bags are compared without sorting
const WORD = /[\p{L}\p{N}_]+/gu;

const NOTE_LINES = 'The texts differ too much to compare line by line in time, so some changed regions are shown as whole blocks.';
const NOTE_WORDS = 'Some changed lines were too long or too different to compare word by word, so they are marked as changed throughout.';
const NOTE_SELF_CHECK = 'The detailed comparison failed its self-check, so the whole text is shown as replaced.';

/** A run of equal lines: old index a, new index b (0-based), n lines. */
interface Match { a: number; b: number; n: number }
/** A changed region between equal runs: old lines [a0, a1) replaced by new lines [b0, b1). */
interface Hunk { a0: number; a1: number; b0: number; b1: number }
interface LineBudget { deadline: number; maxEditLength: number; coarse: boolean }
interface Paragraph { hunk: number; start: number; end: number; key: string; used: boolean }
/** A line's or paragraph's words; sorted lazily, only when a bag is too big to compare pairwise. */
interface Bag { words: string[]; sorted?: string[] }
interface Settings { context: number | 'all'; timeoutMs: number; maxEditLength: number }

/** State while the entries are written: the texts, move marks (0 = not moved) and the second budget. */
interface Work {
  oldLines: string[];
  newLines: string[];
  oldMove: Int32Array;
  newMove: Int32Array;
  deadline: number;
  showContext: boolean;
  notes: Set<string>;
  entries: DiffEntry[];
  stats: Comparison['stats'];
}

/**
 * Compares an older and a newer text line by line (SPEC section 5), with word highlights in changed
 * line pairs and moved paragraphs marked. Bounded: about 1.5 × `timeoutMs` plus near-linear work;
 * past the budget, regions degrade to coarser blocks (`coarse: true`) but the entries stay an exact
 * edit script (checked with applyEditScript before returning).
 * `null` means the empty text.
 * @throws TypeError when both texts are null; RangeError when an option is out of range.
 */
export function compareTexts(oldText: string | null, newText: string | null, options: CompareOptions = {}): Comparison {
  if (oldText === null && newText === null) throw new TypeError('compareTexts: at least one text must be given');
  const settings = checkOptions(options);
  const before = oldText ?? '';
  const after = newText ?? '';
  const result = buildComparison(before.split('\n'), after.split('\n'), settings);
  if (appliesTo(before, result.entries, after)) return result;
  return replaceEverything(before.split('\n'), after.split('\n'));
}

function checkOptions(options: CompareOptions): Settings {
  const context = options.context ?? DEFAULT_CONTEXT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxEditLength = options.maxEditLength ?? DEFAULT_MAX_EDIT_LENGTH;
  if (context !== 'all' && !(Number.isInteger(context) && context >= 0)) {
    throw new RangeError('compareTexts: context must be a non-negative integer or "all"');
  }
  if (!(timeoutMs >= 0)) throw new RangeError('compareTexts: timeoutMs must be a non-negative number');
  if (!(maxEditLength >= 0)) throw new RangeError('compareTexts: maxEditLength must be a non-negative number');
  return { context, timeoutMs, maxEditLength };
}

function buildComparison(oldLines: string[], newLines: string[], settings: Settings): Comparison {
  const budget: LineBudget = { deadline: Date.now() + settings.timeoutMs, maxEditLength: settings.maxEditLength, coarse: false };
  const [oldIds, newIds] = intern(oldLines, newLines);
  const hunks = toHunks(matchLines(oldIds, newIds, budget), oldLines.length, newLines.length);
  const work: Work = {
    oldLines, newLines,
    oldMove: new Int32Array(oldLines.length),
    newMove: new Int32Array(newLines.length),
    deadline: Date.now() + settings.timeoutMs / 2,
    showContext: settings.context !== 0,
    notes: new Set(budget.coarse ? [NOTE_LINES] : []),
    entries: [],
    stats: { added: 0, deleted: 0, changed: 0, moved: 0 },
  };
  markMoves(work, hunks);
  writeEntries(work, hunks, settings.context);
  return finish(work.entries, work.notes, work.stats);
}

function finish(entries: DiffEntry[], notes: Set<string>, stats: Comparison['stats']): Comparison {
  if (notes.size === 0) return { entries, coarse: false, stats };
  return { entries, coarse: true, note: [...notes].join(' '), stats };
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

// ---- Line matching: exact Myers diff within budget, patience anchoring past it ----

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

// ---- Moves: paragraphs deleted in one place and added in another ----

function markMoves(work: Work, hunks: Hunk[]): void {
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
  const byKey = new Map<string, Paragraph[]>();
  for (const p of news) {
    const list = byKey.get(p.key);
    if (list) list.push(p);
    else byKey.set(p.key, [p]);
  }
  const moves: Array<[Paragraph, Paragraph]> = [];
  for (const from of olds) {
    const to = byKey.get(from.key)?.shift();
    if (!to) continue;
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

/** The first `limit` words (near enough: very long texts are judged by their start). */
function wordBag(text: string, limit: number): Bag {
  const words = (text.length > limit * 16 ? text.slice(0, limit * 16) : text).match(WORD) ?? [];
  if (words.length > limit) words.length = limit;
  return { words };
}

/** Dice coefficient of two word multisets: 1 for the same words, 0 for none shared. */
function similarity(x: Bag, y: Bag): number {
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

// ---- Entries: context, then each hunk's deletes, adds and change pairs in reading order ----

function writeEntries(work: Work, hunks: Hunk[], context: number | 'all'): void {
  const around = context === 'all' ? Infinity : context;
  let a = 0;
  let b = 0;
  hunks.forEach((h, k) => {
    writeUnchanged(work, a, h.a0, b, k === 0 ? 0 : around, around);
    writeHunk(work, h);
    a = h.a1;
    b = h.b1;
  });
  // After the last hunk only a head is shown; with no hunks at all, context 'all' still lists every line.
  const head = hunks.length > 0 ? around : context === 'all' ? Infinity : 0;
  writeUnchanged(work, a, work.oldLines.length, b, head, 0);
}

/** Unchanged old lines [a0, a1) (new lines from b0): the first `head` and the last `tail` of them. */
function writeUnchanged(work: Work, a0: number, a1: number, b0: number, head: number, tail: number): void {
  const length = a1 - a0;
  const write = (k: number): void => {
    work.entries.push({ type: 'context', text: work.oldLines[a0 + k]!, from_line: a0 + k + 1, to_line: b0 + k + 1 });
  };
  if (head + tail >= length) {
    for (let k = 0; k < length; k++) write(k);
    return;
  }
  for (let k = 0; k < head; k++) write(k);
  for (let k = length - tail; k < length; k++) write(k);
}

function writeHunk(work: Work, h: Hunk): void {
  const deleted: number[] = [];
  const added: number[] = [];
  for (let i = h.a0; i < h.a1; i++) if (work.oldMove[i] === 0) deleted.push(i);
  for (let j = h.b0; j < h.b1; j++) if (work.newMove[j] === 0) added.push(j);
  let i = h.a0;
  let j = h.b0;
  for (const [pi, pj] of pairLines(work, deleted, added)) {
    while (i < pi) writeDelete(work, i++);
    while (j < pj) writeAdd(work, j++);
    if (work.oldLines[i] === work.newLines[j]) writeSame(work, i++, j++);
    else writeChange(work, i++, j++);
  }
  while (i < h.a1) writeDelete(work, i++);
  while (j < h.b1) writeAdd(work, j++);
}

/**
 * An identical pair inside a hunk is unchanged: valid as context because pairs keep order on both
 * sides, and left out (implied) when no context is asked for.
 */
function writeSame(work: Work, i: number, j: number): void {
  if (work.showContext) work.entries.push({ type: 'context', text: work.oldLines[i]!, from_line: i + 1, to_line: j + 1 });
}

function writeDelete(work: Work, i: number): void {
  const entry: DiffEntry = { type: 'delete', text: work.oldLines[i]!, from_line: i + 1 };
  if (work.oldMove[i]) entry.move_id = `m${work.oldMove[i]}`;
  work.entries.push(entry);
  work.stats.deleted++;
}

function writeAdd(work: Work, j: number): void {
  const entry: DiffEntry = { type: 'add', text: work.newLines[j]!, to_line: j + 1 };
  if (work.newMove[j]) entry.move_id = `m${work.newMove[j]}`;
  work.entries.push(entry);
  work.stats.added++;
}

function writeChange(work: Work, i: number, j: number): void {
  const oldLine = work.oldLines[i]!;
  const newLine = work.newLines[j]!;
  work.entries.push({
    type: 'change', text: newLine, old_text: oldLine, from_line: i + 1, to_line: j + 1,
    highlight_ranges: highlight(work, oldLine, newLine),
  });
  work.stats.changed++;
}

/**
 * Which deleted and added lines of one hunk are edits of each other: an order-keeping alignment that
 * maximises word overlap for small hunks, position by position for large ones (or past the budget).
 * Identical lines only meet inside a hunk when a coarse fallback missed them; they pair first.
 */
function pairLines(work: Work, deleted: number[], added: number[]): Array<[number, number]> {
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

// ---- Word highlights inside a change pair ----

function highlight(work: Work, oldLine: string, newLine: string): HighlightRange[] {
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

// ---- Applying an edit script ----

/**
 * Applies the non-context entries to the older text and returns the newer text. Entry order does
 * not matter: add and change lines go to their `to_line`, and the old lines no entry removes fill
 * the other places in order. Context entries are checked, not applied.
 * @throws Error when the entries do not fit the text (bad line numbers, a line removed twice, a
 *   delete or context whose text is not the old line, or a context line that would land elsewhere).
 */
export function applyEditScript(oldText: string, entries: DiffEntry[]): string {
  const old = oldText.split('\n');
  const removed = new Uint8Array(old.length);
  const placed = new Map<number, string>();
  for (const entry of entries) {
    if (entry.type === 'delete' || entry.type === 'change') removeOld(old, removed, entry);
    if (entry.type === 'add' || entry.type === 'change') placeNew(placed, entry);
  }
  const { lines, source } = weave(old, removed, placed);
  for (const entry of entries) if (entry.type === 'context') checkContext(old, source, entry);
  return lines.join('\n');
}

function invalid(why: string): never {
  throw new Error(`invalid edit script: ${why}`);
}

function lineIndex(line: number | undefined, length: number, what: string): number {
  if (line === undefined || !Number.isInteger(line) || line < 1 || line > length) invalid(`${what} ${String(line)} is out of range`);
  return line - 1;
}

function removeOld(old: string[], removed: Uint8Array, entry: DiffEntry): void {
  const i = lineIndex(entry.from_line, old.length, 'from_line');
  if (removed[i]) invalid(`old line ${i + 1} is removed twice`);
  const expected = entry.type === 'delete' ? entry.text : entry.old_text;
  if (expected !== undefined && expected !== old[i]) invalid(`old line ${i + 1} is not the text the entry names`);
  removed[i] = 1;
}

function placeNew(placed: Map<number, string>, entry: DiffEntry): void {
  const j = lineIndex(entry.to_line, Number.MAX_SAFE_INTEGER, 'to_line');
  if (placed.has(j)) invalid(`new line ${j + 1} is given twice`);
  placed.set(j, entry.text);
}

/** The new lines, and for each the old index it came from (-1 for added or changed lines). */
function weave(old: string[], removed: Uint8Array, placed: Map<number, string>): { lines: string[]; source: Int32Array } {
  const kept = old.length - removed.reduce((sum, r) => sum + r, 0);
  const length = kept + placed.size;
  if (length === 0) invalid('the result has no lines (the empty text is one empty line)');
  for (const j of placed.keys()) if (j >= length) invalid(`to_line ${j + 1} is past the end of the new text`);
  const lines = new Array<string>(length);
  const source = new Int32Array(length).fill(-1);
  let i = 0;
  for (let j = 0; j < length; j++) {
    const text = placed.get(j);
    if (text !== undefined) {
      lines[j] = text;
      continue;
    }
    while (removed[i]) i++;
    lines[j] = old[i]!;
    source[j] = i++;
  }
  return { lines, source };
}

function checkContext(old: string[], source: Int32Array, entry: DiffEntry): void {
  const i = lineIndex(entry.from_line, old.length, 'from_line');
  const j = lineIndex(entry.to_line, source.length, 'to_line');
  if (old[i] !== entry.text) invalid(`context line ${i + 1} is not the old line`);
  if (source[j] !== i) invalid(`context line ${i + 1} would not be new line ${j + 1}`);
}

function appliesTo(oldText: string, entries: DiffEntry[], newText: string): boolean {
  try {
    return applyEditScript(oldText, entries) === newText;
  } catch {
    return false;
  }
}

/** Last resort, never expected: every old line deleted, every new line added. Correct by construction. */
function replaceEverything(oldLines: string[], newLines: string[]): Comparison {
  const entries: DiffEntry[] = [
    ...oldLines.map((text, i): DiffEntry => ({ type: 'delete', text, from_line: i + 1 })),
    ...newLines.map((text, j): DiffEntry => ({ type: 'add', text, to_line: j + 1 })),
  ];
  const stats = { added: newLines.length, deleted: oldLines.length, changed: 0, moved: 0 };
  return finish(entries, new Set([NOTE_SELF_CHECK]), stats);
}
