/** Full-text search: user words → a safe FTS5 expression; excerpts → escaped HTML with <mark>. */
import type { Stores } from '../db/stores.js';
import { escapeHtml } from '../escape.js';
import { pageExcerpt } from './searchExcerpt.js';
import { flushSearchQueue, flushSearchQueueAsync } from './searchQueue.js';
import { isBusy } from '../db/connection.js';
import { isStopWord } from '../db/search.js';
import { tryParseTitle } from './title.js';

export interface SearchResult {
  id: number;
  title: string;
  /** Every word of the query is in the title: shown first, in their own section. */
  inTitle: boolean;
  /** HTML: escaped text with matches in <mark>. */
  excerpt: string;
}

/**
 * The shortest last word searched as a prefix too: a letter or two would match a large part of
 * the index's terms, each merged into the search.
 */
export const PREFIX_FROM = 3;

/**
 * Every word of the query becomes a quoted FTS5 string, so quotes, NEAR, *, -, parentheses and
 * column filters typed by a reader are searched for as words, never parsed as syntax. The last
 * word also matches as a prefix (`"comm"*`), as the search box's suggestions do: what someone is
 * still typing, or stopped typing, finds what they were offered. Stop words are left out unless
 * the query has no other words.
 * undefined when the query has no words at all.
 */
export function ftsExpression(query: string): string | undefined {
  const { kept } = queryWords(query);
  if (kept.length === 0) return undefined;
  return kept.map((w, i) => (i === kept.length - 1 && [...w].length >= PREFIX_FROM ? `"${w}"*` : `"${w}"`)).join(' ');
}

/** The query's words that ftsExpression searches for, and the stop words it leaves out (none when they are all the query has). */
export function queryWords(query: string): { kept: string[]; leftOut: string[] } {
  const words = query.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  // Stop words are not in the index's body (db/search.ts): only a query of nothing else looks for them, in titles.
  const meaningful = words.filter((w) => !isStopWord(w));
  if (meaningful.length === 0) return { kept: words.slice(0, 32), leftOut: [] };
  return { kept: meaningful.slice(0, 32), leftOut: [...new Set(words.filter((w) => isStopWord(w)).map((w) => w.toLowerCase()))] };
}

export function searchPages(stores: Stores, query: string, limit: number, offset = 0): SearchResult[] {
  const expression = ftsExpression(query);
  if (!expression) return [];
  // Saves of the last moments wait in the queue: index them first, so nobody misses their own.
  try {
    flushSearchQueue(stores);
  } catch (e) {
    answerAnyway(e);
  }
  return ranked(stores, expression, limit, offset);
}

/** searchPages for a request: what is queued is indexed first without holding the event loop while another worker writes. */
export async function searchPagesAsync(stores: Stores, query: string, limit: number, offset = 0): Promise<SearchResult[]> {
  const expression = ftsExpression(query);
  if (!expression) return [];
  try {
    await flushSearchQueueAsync(stores);
  } catch (e) {
    answerAnyway(e);
  }
  return ranked(stores, expression, limit, offset);
}

/** A flush that found the write lock held past its timeout: the search answers from the index as it stands. @throws anything else */
function answerAnyway(e: unknown): void {
  if (!isBusy(e)) throw e;
}

function ranked(stores: Stores, expression: string, limit: number, offset: number): SearchResult[] {
  return stores.search.search(expression, limit, offset).map((hit) => ({
    id: hit.id,
    title: hit.title,
    inTitle: hit.inTitle,
    excerpt: excerptHtml(pageExcerpt(latestText(stores, hit.id), hit.chunk, expression)),
  }));
}

/** A page's latest text ('' for a page without one). */
function latestText(stores: Stores, pageId: number): string {
  const latest = stores.pages.byId(pageId)?.latestId;
  const revision = latest ? stores.revisions.byId(latest) : undefined;
  return revision ? stores.content.get(revision.contentId) : '';
}

/**
 * An excerpt (matches between \u0001 and \u0002) as escaped HTML with balanced <mark> tags. Page
 * text may hold those characters itself: a stray marker is dropped rather than trusted, so the
 * markup is always well formed.
 */
export function excerptHtml(snippet: string): string {
  let html = '';
  let open = false;
  for (const part of snippet.split(/([\u0001\u0002])/)) {
    if (part === '\u0001' || part === '\u0002') {
      const opens = part === '\u0001';
      if (opens !== open) html += opens ? '<mark>' : '</mark>';
      open = opens;
    } else html += escapeHtml(part.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' '));
  }
  return open ? `${html}</mark>` : html;
}

/** The page whose title is exactly the query, if it exists (search goes straight there). */
export function exactTitleMatch(stores: Stores, query: string) {
  const title = tryParseTitle(query);
  return title ? stores.pages.byTitle(title) : undefined;
}

/** Titles starting with the query, for autocomplete. */
export function titlesStartingWith(stores: Stores, query: string, limit: number) {
  const trimmed = query.trim();
  if (trimmed === '') return [];
  const asTitle = tryParseTitle(trimmed);
  return stores.pages.list(asTitle ? asTitle.text : trimmed, limit, 0);
}
