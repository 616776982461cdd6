/**
 * Excerpts of search results, made from the indexed text (search_text) now that the index keeps no
 * copy of it: FTS5's snippet() cannot run on a contentless table. The words are matched as the
 * index's tokenizer matches them (porter unicode61 remove_diacritics 2): Unicode letters and
 * digits, case and diacritics folded, Porter stems compared; the window of EXCERPT_TOKENS tokens
 * holding the most of the query's words is shown, matches between \u0001 and \u0002, and an
 * ellipsis where text was cut, as snippet() did. Linear in the text, whatever it holds.
 */
import { stemmer } from 'stemmer';

export const EXCERPT_TOKENS = 24;
/** Tokens shown before the first match of a window, so it reads in context. */
const LEAD = 3;
const TOKEN = /[\p{L}\p{N}]+/gu;
/** A word longer than this is no English word and is not stemmed (the stemmer's cost grows with it). */
const STEM_MAX = 64;

function fold(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

function stemOf(word: string): string {
  const folded = fold(word);
  return folded.length > STEM_MAX ? folded : stemmer(folded);
}

/** The words of an FTS5 expression built by ftsExpression: each a quoted string. */
export function expressionWords(expression: string): string[] {
  return [...expression.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
}

interface Token {
  start: number;
  end: number;
  /** Which query word it matches, or -1. */
  term: number;
}

/** An excerpt of `text` around the query `words` (see the module comment). */
export function makeExcerpt(text: string, words: readonly string[]): string {
  const stems = new Map<string, number>();
  for (const w of words) {
    for (const m of w.matchAll(TOKEN)) {
      const s = stemOf(m[0]);
      if (!stems.has(s)) stems.set(s, stems.size);
    }
  }
  // A word can only stem to a query word's stem if it starts with the stem's first letters
  // (Porter only rewrites endings): only such words are stemmed.
  const heads = new Set([...stems.keys()].map((s) => s.slice(0, 2)));
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    let term = -1;
    const head = fold(m[0].slice(0, 4)).slice(0, 2);
    if (heads.has(head)) term = stems.get(stemOf(m[0])) ?? -1;
    tokens.push({ start: m.index, end: m.index + m[0].length, term });
  }
  if (tokens.length === 0) return '';
  const from = bestWindow(tokens, stems.size);
  const to = Math.min(tokens.length, from + EXCERPT_TOKENS);
  let out = from > 0 ? '…' : '';
  // The text before the first token and after the last belong to the excerpt when it reaches them.
  let at = from > 0 ? tokens[from]!.start : 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    out += text.slice(at, t.start);
    out += t.term >= 0 ? `\u0001${text.slice(t.start, t.end)}\u0002` : text.slice(t.start, t.end);
    at = t.end;
  }
  return to < tokens.length ? `${out}…` : out + text.slice(at);
}

/**
 * The first token of the window to show: among windows that start LEAD tokens before a match,
 * the one holding the most distinct query words, then the most matches, then the earliest.
 * Each candidate is scored from running counts: linear in the tokens.
 */
function bestWindow(tokens: Token[], terms: number): number {
  const matches: number[] = [];
  tokens.forEach((t, i) => t.term >= 0 && matches.push(i));
  if (matches.length === 0) return 0;
  let best = 0;
  let bestScore = -1;
  // Two pointers over the matches: the window [start, start + EXCERPT_TOKENS) for each match's start.
  const inWindow = new Array<number>(terms).fill(0);
  let distinct = 0;
  let hi = 0;
  let lo = 0;
  for (const first of matches) {
    const start = Math.max(0, first - LEAD);
    const end = start + EXCERPT_TOKENS;
    while (hi < matches.length && matches[hi]! < end) {
      if (inWindow[tokens[matches[hi]!]!.term]!++ === 0) distinct++;
      hi++;
    }
    while (lo < hi && matches[lo]! < start) {
      if (--inWindow[tokens[matches[lo]!]!.term]! === 0) distinct--;
      lo++;
    }
    const score = distinct * 1_000_000 + (hi - lo);
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  return best;
}
