/** The FTS5 index of each page's latest text (rowid = page id). */
import type { Db } from './connection.js';

export interface SearchHit {
  id: number;
  title: string;
  excerpt: string;
}

// C0 controls but tab and newline, DEL, and the C1 controls.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function withoutControls(text: string): string {
  return text.replace(CONTROLS, ' ');
}

/**
 * A page's text is indexed in chunks of about CHUNK_CHARS, one FTS5 row each, so a long page is
 * indexed (and taken out again) a chunk per transaction instead of in one stretch of 100 ms or more.
 * Chunk k of page p has rowid p + k * STRIDE: chunk 0 is the page id itself, as before chunks.
 */
export const CHUNK_CHARS = 32 * 1024;
const STRIDE = 2 ** 40;
/** SQL: the page id of a search_index row. */
export const PAGE_OF_ROW = `(rowid % ${STRIDE})`;

/** `text` cut into chunks of at most CHUNK_CHARS, at whitespace where there is some; at least one chunk. */
export function chunksOf(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (text.length - at > CHUNK_CHARS) {
    let end = at + CHUNK_CHARS;
    // Looked for in the chunk's second half only: lastIndexOf would scan a text without spaces
    // back to its start for every chunk, quadratic in the text's length.
    let cut = end - 1;
    while (cut > at + CHUNK_CHARS / 2 && text.charCodeAt(cut) !== 32 && text.charCodeAt(cut) !== 10) cut--;
    if (cut > at + CHUNK_CHARS / 2) end = cut + 1;
    // Never split a surrogate pair.
    else if (/[\ud800-\udbff]/.test(text[end - 1]!)) end -= 1;
    out.push(text.slice(at, end));
    at = end;
  }
  out.push(text.slice(at));
  return out;
}

export class SearchStore {
  private readonly remove;
  private readonly insert;
  private readonly has;
  private readonly ranked;
  private readonly excerpts;

  constructor(db: Db) {
    this.remove = db.prepare('DELETE FROM search_index WHERE rowid = ?');
    this.insert = db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)');
    this.has = db.prepare<[number], number>('SELECT 1 FROM search_index WHERE rowid = ?').pluck();
    // Pages whose title has every word come first (every chunk carries the title, so a page's
    // chunks agree on it); within each group bm25 ranks, with title matches weighing ten times body
    // matches. A page is ranked, and excerpted, by its best chunk. Excerpts are made afterwards for
    // the chunks shown only: snippet() over every match cost five times the ranking.
    this.ranked = db.prepare<{ q: string; inTitle: string; limit: number; offset: number }, { id: number; row: number }>(
      `WITH hit AS MATERIALIZED (
         SELECT rowid AS row, ${PAGE_OF_ROW} AS id,
                rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH @inTitle) AS inTitle,
                bm25(search_index, 10.0, 1.0) AS score
         FROM search_index WHERE search_index MATCH @q)
       SELECT id, row FROM hit GROUP BY id ORDER BY inTitle DESC, min(score), id
       LIMIT @limit OFFSET @offset`,
    );
    this.excerpts = db.prepare<{ q: string; rows: string }, { row: number; title: string; excerpt: string }>(
      `SELECT rowid AS row, title, snippet(search_index, 1, char(1), char(2), '…', 24) AS excerpt
       FROM search_index WHERE search_index MATCH @q AND rowid IN (SELECT value FROM json_each(@rows))`,
    );
  }

  /** How many chunks the page has in the index (0 when it has none). */
  chunkCount(pageId: number): number {
    let k = 0;
    while (this.has.get(pageId + k * STRIDE) !== undefined) k++;
    return k;
  }

  /**
   * Index (or re-index) a page's latest text, all chunks at once. Control characters are indexed
   * as spaces: the excerpts use \u0001 and \u0002 as match markers, so page text must never carry them.
   */
  put(pageId: number, title: string, body: string): void {
    const chunks = chunksOf(body);
    chunks.forEach((chunk, k) => this.putChunk(pageId, k, title, chunk));
    for (let k = this.chunkCount(pageId) - 1; k >= chunks.length; k--) this.remove.run(pageId + k * STRIDE);
  }

  /** Index chunk `k` of a page (replacing what that chunk held). */
  putChunk(pageId: number, k: number, title: string, chunk: string): void {
    this.remove.run(pageId + k * STRIDE);
    this.insert.run(pageId + k * STRIDE, withoutControls(title), withoutControls(chunk));
  }

  /** Take out the page's last chunk if it is chunk `from` or later; false when there was none to take. */
  dropLastChunkFrom(pageId: number, from: number): boolean {
    const n = this.chunkCount(pageId);
    if (n <= from) return false;
    this.remove.run(pageId + (n - 1) * STRIDE);
    return true;
  }

  delete(pageId: number): void {
    for (let k = this.chunkCount(pageId) - 1; k >= 0; k--) this.remove.run(pageId + k * STRIDE);
  }

  /**
   * Pages matching an FTS5 expression (a valid one: ftsExpression builds it), best first: those
   * with every word in the title before those with a body match only. Excerpts mark matches with
   * \u0001 and \u0002 so the caller can escape the text and then turn them into <mark>.
   */
  search(expression: string, limit: number, offset: number): SearchHit[] {
    const ranked = this.ranked.all({ q: expression, inTitle: `title : (${expression})`, limit, offset });
    if (ranked.length === 0) return [];
    const shown = new Map(this.excerpts.all({ q: expression, rows: JSON.stringify(ranked.map((r) => r.row)) }).map((e) => [e.row, e]));
    return ranked.flatMap((r) => {
      const e = shown.get(r.row);
      return e ? [{ id: r.id, title: e.title, excerpt: e.excerpt }] : [];
    });
  }
}
