/**
 * The FTS5 index of each page's latest text (rowid = page id). It keeps no copy of the text
 * (migration 0013): excerpts are made from the page's latest text (wiki/searchExcerpt.ts).
 */
import type { Db } from './connection.js';

export interface SearchHit {
  id: number;
  title: string;
  /** Every word of the query is in the title. */
  inTitle: boolean;
  /** The chunk of the page's text that matched best (0 for all but long pages). */
  chunk: number;
}

// C0 controls but tab and newline, DEL, and the C1 controls.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function withoutControls(text: string): string {
  return text.replace(CONTROLS, ' ');
}

/**
 * English's most common function words: articles, pronouns, auxiliaries, prepositions and
 * conjunctions. Almost every page has each of them many times, so they tell no page from another,
 * and their positions were a fifth of the index. The body column is indexed without them (titles
 * keep them), and a query looks for its other words (wiki/search.ts ftsExpression); a query of
 * nothing else, such as "The Who", is matched against titles.
 */
const STOP_WORDS = new Set(
  ('a an and are as at be been but by can for from had has have he her his i if in into is it its no not of on or our she so ' +
    'such that the their them then there these they this those to was we were what when which who will with would you').split(' '),
);
const STOP_LONGEST = 5;

/** Whether `word` (one word of letters and digits) is one of the index's stop words, in any case. */
export function isStopWord(word: string): boolean {
  return word.length <= STOP_LONGEST && STOP_WORDS.has(word.toLowerCase());
}

/**
 * A stop word standing as a whole word (no letter, digit or mark on either side), in any case. One
 * regular expression, no call per word: a 32 KiB chunk of one-letter words took 1-2 ms with a
 * callback for every word, 0.2 ms so.
 */
const STOP_WORD = new RegExp(
  `(?<![\\p{L}\\p{N}\\p{M}])(?:${[...STOP_WORDS].sort((x, y) => y.length - x.length).join('|')})(?![\\p{L}\\p{N}\\p{M}])`,
  'giu',
);

/** The text as the body column indexes it: stop words taken out (one linear pass). */
export function withoutStopWords(text: string): string {
  return text.replace(STOP_WORD, '');
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
/**
 * The most body matches one search ranks. FTS5 computes bm25 for every match before a LIMIT
 * (about 0.4 µs each): a word in half of 100,000 pages cost 53 ms a search. Beyond this many
 * matches, the ones ranked are the first BODY_BUDGET in page order: exact below it (every search
 * of a wiki of up to this many pages), bounded above it.
 */
export const BODY_BUDGET = 10_000;

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
  private readonly removeTitle;
  private readonly insertTitle;
  private readonly has;
  private readonly bodyRanked;
  private readonly titles;
  private readonly titleRanked;
  private readonly enqueueStmt;
  private readonly dequeueStmt;
  private readonly dequeueAnyStmt;
  private readonly queuedStmt;
  private readonly anyQueuedStmt;

  /** `budget`: at most this many body matches ranked a search (BODY_BUDGET; smaller in tests). */
  constructor(
    db: Db,
    private readonly budget = BODY_BUDGET,
  ) {
    this.remove = db.prepare('DELETE FROM search_index WHERE rowid = ?');
    this.titles = db.prepare<[string], { id: number; title: string }>('SELECT id, title FROM page WHERE id IN (SELECT value FROM json_each(?))');
    this.insert = db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)');
    this.removeTitle = db.prepare('DELETE FROM title_index WHERE rowid = ?');
    this.insertTitle = db.prepare('INSERT INTO title_index (rowid, title) VALUES (?, ?)');
    this.has = db.prepare<[number], number>('SELECT 1 FROM search_index WHERE rowid = ?').pluck();
    this.enqueueStmt = db.prepare('INSERT OR REPLACE INTO search_queue (page_id, revision_id) VALUES (?, ?)');
    this.dequeueStmt = db.prepare('DELETE FROM search_queue WHERE page_id = ? AND revision_id = ?');
    this.dequeueAnyStmt = db.prepare('DELETE FROM search_queue WHERE page_id = ?');
    this.queuedStmt = db.prepare<[number], { pageId: number; revisionId: number }>(
      'SELECT page_id AS pageId, revision_id AS revisionId FROM search_queue ORDER BY page_id LIMIT ?',
    );
    this.anyQueuedStmt = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM search_queue)').pluck();
    // Two tiers (wiki/search.ts shows them as two sections): pages with every word in the title,
    // ranked by bm25 over their titles (title_index: only titles are read, however common the
    // word is in page text); then the pages matched by their text, ranked by bm25 over title and
    // text (title words weighing ten times), a page by its best chunk, at most BODY_BUDGET of the
    // matches ranked. Excerpts are made afterwards, for the pages shown only (wiki/searchExcerpt.ts).
    this.titleRanked = db.prepare<{ q: string; budget: number; upTo: number }, number>(
      `SELECT id FROM (SELECT rowid AS id, bm25(title_index) AS score FROM title_index WHERE title_index MATCH @q LIMIT @budget)
       ORDER BY score, id LIMIT @upTo`,
    ).pluck();
    this.bodyRanked = db.prepare<{ q: string; budget: number; upTo: number }, { id: number; row: number }>(
      `WITH hit AS MATERIALIZED (
         SELECT rowid AS row, ${PAGE_OF_ROW} AS id, bm25(search_index, 10.0, 1.0) AS score
         FROM search_index WHERE search_index MATCH @q LIMIT @budget)
       SELECT id, row, min(score) AS best FROM hit GROUP BY id ORDER BY best, id LIMIT @upTo`,
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
   * as spaces, as the excerpts show them.
   */
  put(pageId: number, title: string, body: string): void {
    const chunks = chunksOf(body);
    chunks.forEach((chunk, k) => this.putChunk(pageId, k, title, chunk));
    for (let k = this.chunkCount(pageId) - 1; k >= chunks.length; k--) this.removeRow(pageId + k * STRIDE);
  }

  /** Index chunk `k` of a page (replacing what that chunk held); chunk 0 brings the page's title_index row. */
  putChunk(pageId: number, k: number, title: string, chunk: string): void {
    const row = pageId + k * STRIDE;
    this.removeRow(row);
    this.insert.run(row, withoutControls(title), withoutControls(withoutStopWords(chunk)));
    if (k === 0) this.insertTitle.run(pageId, withoutControls(title));
  }

  /** Take a search_index row out, and with chunk 0 the page's title_index row. */
  private removeRow(row: number): void {
    this.remove.run(row);
    if (row < STRIDE) this.removeTitle.run(row);
  }


  /** Take out the page's last chunk if it is chunk `from` or later; false when there was none to take. */
  dropLastChunkFrom(pageId: number, from: number): boolean {
    const n = this.chunkCount(pageId);
    if (n <= from) return false;
    this.removeRow(pageId + (n - 1) * STRIDE);
    return true;
  }

  delete(pageId: number): void {
    this.dequeueAnyStmt.run(pageId);
    for (let k = this.chunkCount(pageId) - 1; k >= 0; k--) this.removeRow(pageId + k * STRIDE);
  }

  /** Queue the page's entry to be written from `revisionId`, its latest revision (wiki/searchQueue.ts); replaces an earlier queued one. */
  enqueue(pageId: number, revisionId: number): void {
    this.enqueueStmt.run(pageId, revisionId);
  }

  /** Take the page off the queue: only if queued for `revisionId` when given. True when it was queued. */
  dequeue(pageId: number, revisionId?: number): boolean {
    return (revisionId === undefined ? this.dequeueAnyStmt.run(pageId) : this.dequeueStmt.run(pageId, revisionId)).changes > 0;
  }

  /** Up to `limit` queued pages, by page id. */
  queued(limit: number): { pageId: number; revisionId: number }[] {
    return this.queuedStmt.all(limit);
  }

  /** Whether any page waits to be indexed: one lookup. */
  anyQueued(): boolean {
    return this.anyQueuedStmt.get() === 1;
  }

  /**
   * Pages matching an FTS5 expression (a valid one: ftsExpression builds it), best first: those
   * with every word in the title before those with a body match only. Excerpts mark matches with
   * \u0001 and \u0002 so the caller can escape the text and then turn them into <mark>.
   */
  search(expression: string, limit: number, offset: number): SearchHit[] {
    const need = offset + limit;
    const titled = this.titleRanked.all({ q: expression, budget: this.budget, upTo: need });
    const ranked: Array<{ id: number; row: number; inTitle: boolean }> = titled.map((id) => ({ id, row: id, inTitle: true }));
    // When title matches alone fill the page asked for, the text's matches are not looked at.
    if (ranked.length < need) {
      const inTitle = new Set(titled);
      for (const r of this.bodyRanked.all({ q: expression, budget: this.budget, upTo: need })) {
        if (ranked.length >= need) break;
        if (!inTitle.has(r.id)) ranked.push({ id: r.id, row: r.row, inTitle: false });
      }
    }
    const shown = ranked.slice(offset, need);
    if (shown.length === 0) return [];
    const titles = new Map(this.titles.all(JSON.stringify(shown.map((r) => r.id))).map((t) => [t.id, t.title]));
    return shown.flatMap((r) => {
      const title = titles.get(r.id);
      return title === undefined ? [] : [{ id: r.id, title, inTitle: r.inTitle, chunk: Math.floor(r.row / STRIDE) }];
    });
  }
}
