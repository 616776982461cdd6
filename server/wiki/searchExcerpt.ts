/**
 * Excerpts of search results, made from each page's latest text now that the index keeps no copy
 * of what it indexed: FTS5's snippet() cannot run on a contentless table. The Markdown is skimmed
 * to readable text first (skim: link labels, not targets; no markup, no categories). The words are matched as the
 * index's tokenizer matches them (porter unicode61 remove_diacritics 2): Unicode letters and
 * digits, case and diacritics folded, Porter stems compared; the window of EXCERPT_TOKENS tokens
 * holding the most of the query's words is shown, matches between \u0001 and \u0002, and an
 * ellipsis where text was cut, as snippet() did. Linear in the text, whatever it holds.
 */
import { stemmer } from 'stemmer';

export const EXCERPT_TOKENS = 24;
/**
 * Of a long page, the stretch of Markdown looked at: where the index's chunk `k` begins (the
 * readable text is never longer than its Markdown), two chunks long. A search over a megabyte-long
 * page skims 64 KiB of it, not all.
 */
const SCAN_CHARS = 2 * 32 * 1024;
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

/**
 * Markdown as a reader sees it, near enough for an excerpt: wiki links by their label, Markdown
 * links and images by their text, no category links or footnote marks, no emphasis, heading, list,
 * quote or table syntax, no code fences. No pattern's repeat can run past the next bracket (or
 * parenthesis, or line end), so no two attempts scan the same text: linear, whatever the text.
 */
export function skim(markdown: string): string {
  return markdown
    // Control characters read as spaces: \u0001 and \u0002 mark matches in the excerpt.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\[\[:?Category:[^[\]\n]{0,255}\]\]/gi, '')
    .replace(/\[\[:?([^[\]|\n]{0,255})\|([^[\]\n]{0,255})\]\]/g, '$2')
    .replace(/\[\[:?([^[\]|\n]{0,255})\]\]/g, '$1')
    .replace(/!?\[([^[\]\n]{0,500})\]\([^()\n]{0,2000}\)/g, '$1')
    .replace(/\[\^[^[\]\n]{0,100}\]:?/g, '')
    .replace(/^ {0,3}(?:#{1,6} |>+ ?|[-+*] |\d{1,9}[.)] |```.*$|~~~.*$|\|? ?:?-{3,}[-|: ]*$)/gm, '')
    .replace(/[*_`|~]+/g, ' ')
    .replace(/[ \t]{2,}|\t/g, ' ');
}

/** The excerpt of a page's latest text for a search that matched its index chunk `chunk`. */
export function pageExcerpt(markdown: string, chunk: number, expression: string): string {
  const from = Math.min(chunk * (SCAN_CHARS / 2), Math.max(0, markdown.length - SCAN_CHARS));
  return makeExcerpt(skim(markdown.slice(from, from + SCAN_CHARS)), expressionWords(expression));
}

/** A word's first two letters as folded: at once for ASCII, the common case; by fold() otherwise. */
function headOf(word: string): string {
  const a = word.charCodeAt(0);
  const b = word.length > 1 ? word.charCodeAt(1) : 0;
  if (a < 128 && b < 128) {
    const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
    return b === 0 ? String.fromCharCode(lower(a)) : String.fromCharCode(lower(a), lower(b));
  }
  return fold(word.slice(0, 4)).slice(0, 2);
}

/**
 * The words of an FTS5 expression built by ftsExpression: each a quoted string, a prefix one
 * (`"comm"*`) given with its `*` (`comm*`).
 */
export function expressionWords(expression: string): string[] {
  return [...expression.matchAll(/"((?:[^"]|"")*)"(\*?)/g)].map((m) => m[1]!.replace(/""/g, '"') + m[2]!);
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
  // A word ending in `*` matches as a prefix: any word whose folded form starts with it (the last
  // query word, which the index matches as a prefix too: search.ts ftsExpression).
  const prefixes: Array<{ prefix: string; term: number }> = [];
  for (const w of words) {
    const isPrefix = w.endsWith('*');
    for (const m of w.matchAll(TOKEN)) {
      const s = stemOf(m[0]);
      if (!stems.has(s)) stems.set(s, stems.size);
      if (isPrefix) prefixes.push({ prefix: fold(m[0]), term: stems.get(s)! });
    }
  }
  // A word can only stem to a query word's stem if it starts with the stem's first letters
  // (Porter only rewrites endings): only such words are stemmed.
  const heads = new Set([...stems.keys(), ...prefixes.map((p) => p.prefix)].map((s) => s.slice(0, 2)));
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const word = m[0];
    let term = -1;
    if (heads.has(headOf(word))) {
      term = stems.get(stemOf(word)) ?? -1;
      if (term < 0 && prefixes.length > 0) {
        const folded = fold(word);
        term = prefixes.find((p) => folded.startsWith(p.prefix))?.term ?? -1;
      }
    }
    tokens.push({ start: m.index, end: m.index + word.length, term });
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
