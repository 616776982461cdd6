/**
 * A save's facts (links, categories, redirect, search text) from its parent's: an edit changes a
 * line or two, and parsing the whole page again was the largest part of a save's time (issue 12).
 * The facts are kept per top-level block; a save parses only the blocks around its change and takes
 * the rest from its parent's, when it can prove they are what a whole parse would give, and parses
 * the whole page otherwise. test/wiki/editFacts.test.ts compares the two on random edits.
 *
 * Why the blocks outside the window are the same: markdown-it parses top-level blocks from first
 * to last, each from a fresh state, and decides where a block ends by looking no further than the
 * first line that is not blank after it, and the line after that one (a table starts with two
 * lines, and may cut a paragraph short). So:
 * - Before the window: blocks before one that starts two lines or more before the first changed
 *   line have the same lines, and end where they ended, since what they look at is unchanged.
 * - After it: if the window's own parse starts a block at the line where a block of the parent
 *   starts, in the text both share to the end, every block from there on is the parent's.
 *
 * What crosses blocks is left to a whole parse: reference definitions (`[x]: url`), and footnotes
 * (a note is numbered where it is first cited, and listed at the end) in or near the change. A
 * `#REDIRECT` line counts only as the page's first line that is not blank, so a page whose first
 * such line is one, before or after the edit, and a window that starts later and has one, are
 * parsed whole too.
 */
import type { Token } from 'markdown-it';
import { commonEnds } from '../diff/commonEnds.js';
import { plainRun, tidyPlain } from './plain.js';
import { collect, type Analysis } from './wikilinks.js';

/** The facts of one top-level block, or of the footnotes listed at the end. */
interface BlockFacts {
  /** Source lines [start, end), 0-based (markdown-it's map); the footnotes list has none. */
  start: number;
  end: number;
  links: string[];
  categories: string[];
  redirect?: Analysis['redirect'];
  /** Its plain text before white space is tidied (plain.ts plainRun). */
  text: string;
}

/** A text's facts, block by block. */
export interface DocFacts {
  blocks: BlockFacts[];
  /** The numbered footnotes after the last block. */
  notes?: BlockFacts;
  /** False when a later save cannot start from these: the text defines references, or a block has no lines. */
  reusable: boolean;
}

/** What a parse for facts gives: its tokens, and whether the text defined references. */
export interface FactsParse {
  tokens: Token[];
  references: boolean;
}

/** The facts of each top-level block of a parse; `offset` is added to every line number. */
export function docFacts(parse: FactsParse, offset = 0): DocFacts {
  const { tokens } = parse;
  const blocks: BlockFacts[] = [];
  let notes: BlockFacts | undefined;
  let reusable = !parse.references;
  for (let i = 0; i < tokens.length; ) {
    const first = tokens[i]!;
    let next = i + 1;
    // A block ends where its opening token is closed: counted, since the footnotes list's own
    // tokens (footnotes.ts) are made without levels.
    for (let depth = first.nesting; depth > 0 && next < tokens.length; next++) depth += tokens[next]!.nesting;
    const facts = factsOf(tokens, i, Math.min(next, tokens.length), offset);
    if (first.type === 'footnote_block_open') notes = facts;
    else {
      if (!first.map) reusable = false;
      blocks.push(facts);
    }
    i = next;
  }
  return notes ? { blocks, notes, reusable } : { blocks, reusable };
}

function factsOf(tokens: Token[], from: number, to: number, offset: number): BlockFacts {
  const facts = collect(tokens.slice(from, to));
  const map = tokens[from]!.map;
  const block: BlockFacts = {
    start: (map?.[0] ?? 0) + offset,
    end: (map?.[1] ?? 0) + offset,
    links: facts.links,
    categories: facts.categories.map((t) => t.name),
    text: plainRun(tokens, from, to),
  };
  if (facts.redirect) block.redirect = facts.redirect;
  return block;
}

/** The analysis (markdown.ts analyzeForIndex) that the blocks' facts make together. */
export function analysisOf(doc: DocFacts): Analysis & { text: string } {
  const links = new Set<string>();
  const categories = new Set<string>();
  let redirect: Analysis['redirect'];
  const texts: string[] = [];
  for (const b of doc.notes ? [...doc.blocks, doc.notes] : doc.blocks) {
    for (const l of b.links) links.add(l);
    for (const c of b.categories) categories.add(c);
    if (b.redirect) redirect = b.redirect;
    texts.push(b.text);
  }
  // As collect() and toAnalysis() make them, from the whole stream at once.
  const analysis: Analysis = { links: [...links], categories: [...categories] };
  if (redirect) analysis.redirect = redirect;
  return { ...analysis, text: tidyPlain(texts.join('')) };
}

/** Lines after the window's last changed line that its parse also reads, to prove where a block starts. */
const PROBE_LINES = 2;

/**
 * The facts of `text`, which replaces `oldText` whose facts are `parent`, parsing only a window of
 * lines with `parse`; undefined when the whole text must be parsed instead.
 */
export function editedDocFacts(parent: DocFacts, oldText: string, text: string, parse: (window: string) => FactsParse): DocFacts | undefined {
  if (!parent.reusable || firstLineRedirects(oldText) || firstLineRedirects(text)) return undefined;
  const { prefix, suffix } = commonEnds(oldText, text);
  const starts = lineStarts(text);
  const lines = starts.length;
  const shift = lines - (countNewlines(oldText) + 1);
  const firstChanged = lineAt(starts, prefix);
  // The first line whose newline before it lies in the common end: from there on, lines are the old ones.
  const newline = text.indexOf('\n', text.length - suffix);
  const firstSame = newline === -1 ? lines : lineAt(starts, newline) + 1;

  const blocks = parent.blocks;
  // The window starts with a block whose start lies two lines or more before the first changed
  // line, since the block before it chose its end by looking at that start and the line after it.
  let j = -1;
  while (j + 1 < blocks.length && blocks[j + 1]!.start < firstChanged - 1) j++;
  const from = j < 0 ? 0 : blocks[j]!.start;
  let k = Math.max(j + 1, 0);
  while (k < blocks.length && blocks[k]!.start + shift < firstSame) k++;
  const resume = k < blocks.length ? blocks[k]!.start + shift : lines;
  const to = k < blocks.length ? Math.min(lines, Math.max(blocks[k]!.end + shift, resume + PROBE_LINES)) : lines;

  const at = starts[from]!;
  const window = text.slice(at, to < lines ? starts[to]! : text.length);
  const oldWindow = oldText.slice(at, to < lines ? starts[to]! - (text.length - oldText.length) : oldText.length);
  if (crossesBlocks(window) || crossesBlocks(oldWindow)) return undefined;
  if (from > 0 && /#redirect/i.test(window)) return undefined;

  const parsed = parse(window);
  if (parsed.references) return undefined;
  const fresh = docFacts(parsed, from);
  if (fresh.notes || !fresh.reusable) return undefined;
  const before = fresh.blocks.filter((b) => b.start < resume);
  // The proof that the rest is the parent's: the window's parse starts a block where the parent's did.
  if (k < blocks.length && !fresh.blocks.some((b) => b.start === resume)) return undefined;

  const after = blocks.slice(k).map((b) => ({ ...b, start: b.start + shift, end: b.end + shift }));
  const doc: DocFacts = { blocks: [...blocks.slice(0, Math.max(j, 0)), ...before, ...after], reusable: true };
  if (parent.notes) doc.notes = parent.notes;
  return doc;
}

/** Whether the first line that is not blank mentions #REDIRECT: what it means depends on where it is (wikilinks.ts redirectRule). */
function firstLineRedirects(text: string): boolean {
  const first = text.search(/[^\s\uFEFF]/);
  if (first < 0) return false;
  const end = text.indexOf('\n', first);
  return /#redirect/i.test(text.slice(first, end < 0 ? text.length : end));
}

/** Syntax whose meaning reaches other blocks: footnotes (cited or inline) and reference definitions. */
function crossesBlocks(text: string): boolean {
  return text.includes('[^') || text.includes('^[') || text.includes(']:');
}

/** The offset at which each line starts (a text of n newlines has n + 1 lines). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The line holding offset `offset` (binary search of the line starts). */
function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Texts this long or longer are not kept: their saves run in the text process (work/pool.ts), and
 * a few would hold megabytes.
 */
const KEPT_TEXT_MAX = 256 * 1024;
/** Characters of text kept in all (each text's facts weigh about as much again). */
const KEPT_CHARS = 1024 * 1024;

/** The facts of the texts saved last, by text, for the next save of each page; least recently used go first. */
export class DocFactsCache {
  private readonly docs = new Map<string, DocFacts>();
  private chars = 0;

  get(text: string): DocFacts | undefined {
    const doc = this.docs.get(text);
    if (doc) {
      this.docs.delete(text);
      this.docs.set(text, doc);
    }
    return doc;
  }

  put(text: string, doc: DocFacts): void {
    if (text.length >= KEPT_TEXT_MAX || !doc.reusable || this.docs.has(text)) return;
    this.docs.set(text, doc);
    this.chars += text.length;
    for (const [oldest] of this.docs) {
      if (this.chars <= KEPT_CHARS) break;
      this.docs.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}
