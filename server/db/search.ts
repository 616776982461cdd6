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

export class SearchStore {
  private readonly remove;
  private readonly insert;
  private readonly query;

  constructor(db: Db) {
    this.remove = db.prepare('DELETE FROM search_index WHERE rowid = ?');
    this.insert = db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)');
    // Pages whose title has every word come first; within each group bm25 ranks, with title
    // matches weighing ten times body matches.
    this.query = db.prepare<{ q: string; inTitle: string; limit: number; offset: number }, SearchHit>(
      `SELECT rowid AS id, title, snippet(search_index, 1, char(1), char(2), '…', 24) AS excerpt
       FROM search_index WHERE search_index MATCH @q
       ORDER BY rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH @inTitle) DESC, bm25(search_index, 10.0, 1.0)
       LIMIT @limit OFFSET @offset`,
    );
  }

  /**
   * Index (or re-index) a page's latest text. Control characters are indexed as spaces: the
   * excerpts use \u0001 and \u0002 as match markers, so page text must never carry them.
   */
  put(pageId: number, title: string, body: string): void {
    this.remove.run(pageId);
    this.insert.run(pageId, withoutControls(title), withoutControls(body));
  }

  delete(pageId: number): void {
    this.remove.run(pageId);
  }

  /**
   * Pages matching an FTS5 expression (a valid one: ftsExpression builds it), best first: those
   * with every word in the title before those with a body match only. Excerpts mark matches with
   * \u0001 and \u0002 so the caller can escape the text and then turn them into <mark>.
   */
  search(expression: string, limit: number, offset: number): SearchHit[] {
    return this.query.all({ q: expression, inTitle: `title : (${expression})`, limit, offset });
  }
}
