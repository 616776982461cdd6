/** Consistency checks of the whole database for `wiki check`: SQLite's own, and the wiki's invariants. */
import type { Db } from './connection.js';
import { livePage } from './live.js';
import { PAGE_OF_ROW } from './search.js';

export interface RevisionMismatch {
  id: number;
  title: string | null;
  size: number;
  contentSize: number;
}

export interface PageRef {
  id: number;
  title: string;
}

const LIVE = livePage('p');

export class IntegrityStore {
  private readonly db: Db;
  private readonly mismatchStmt;
  private readonly usingStmt;
  private readonly badLatestStmt;
  private readonly missingSearchStmt;
  private readonly countMissingSearchStmt;
  private readonly staleStmts;

  constructor(db: Db) {
    this.db = db;
    // A revision's sha1 is its content row's (migration 0017) and its size a copy of the row's;
    // content rows are checked against their own data separately (ContentStore.verify), so
    // together every revision's text is checked.
    this.mismatchStmt = db.prepare<[number], RevisionMismatch>(
      `SELECT r.id, p.title, r.size, c.size AS contentSize
       FROM revision r JOIN content c ON c.id = r.content_id LEFT JOIN page p ON p.id = r.page_id
       WHERE r.size <> c.size ORDER BY r.id LIMIT ?`,
    );
    this.usingStmt = db.prepare<[string, number], { id: number; title: string | null }>(
      `SELECT r.id, p.title FROM revision r LEFT JOIN page p ON p.id = r.page_id
       WHERE r.content_id IN (SELECT value FROM json_each(?)) ORDER BY r.id LIMIT ?`,
    );
    this.badLatestStmt = db.prepare<[number], PageRef>(
      `SELECT p.id, p.title FROM page p LEFT JOIN revision r ON r.id = p.latest_id
       WHERE p.latest_id IS NOT NULL AND (r.id IS NULL OR r.page_id <> p.id) ORDER BY p.id LIMIT ?`,
    );
    // A page queued for the next search batch (wiki/searchQueue.ts) is not missing.
    const missing = `FROM page p WHERE ${LIVE} AND NOT EXISTS (SELECT 1 FROM search_index s WHERE s.rowid = p.id)
                     AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.page_id = p.id)`;
    this.missingSearchStmt = db.prepare<[number], PageRef>(`SELECT p.id, p.title ${missing} ORDER BY p.id LIMIT ?`);
    this.countMissingSearchStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n ${missing}`);
    const notLive = (column: string) => `${column} NOT IN (SELECT p.id FROM page p WHERE ${LIVE})`;
    this.staleStmts = {
      countSearch: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM search_index WHERE ${notLive(PAGE_OF_ROW)}`),
      countLinks: db.prepare<[], { n: number }>(
        `SELECT (SELECT count(*) FROM link WHERE ${notLive('from_page')}) + (SELECT count(*) FROM category_link WHERE ${notLive('page_id')}) AS n`,
      ),
      deleteSearch: db.prepare(`DELETE FROM search_index WHERE ${notLive(PAGE_OF_ROW)}`),
      deleteTitles: db.prepare(`DELETE FROM title_index WHERE ${notLive('rowid')}`),
      deleteLinks: db.prepare(`DELETE FROM link WHERE ${notLive('from_page')}`),
      deleteCategories: db.prepare(`DELETE FROM category_link WHERE ${notLive('page_id')}`),
    };
  }

  /** SQLite's page-level check; empty when the file is sound. */
  integrityCheck(max = 100): string[] {
    const rows = this.db.pragma(`integrity_check(${Math.trunc(max)})`) as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  }

  /** Rows that point at rows that do not exist. */
  foreignKeyProblems(): { table: string; rowid: number | null; parent: string }[] {
    return this.db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
  }

  /** FTS5's own consistency check of the search index; undefined when it is sound. */
  searchIndexProblem(): string | undefined {
    try {
      this.db.prepare("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 0)").run();
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** Revisions whose recorded size differs from that of the content they point at. */
  revisionMismatches(limit: number): RevisionMismatch[] {
    return this.mismatchStmt.all(limit);
  }

  /** Revisions that use any of these content ids (to say which pages a damaged text breaks). */
  revisionsUsing(contentIds: number[], limit: number): { id: number; title: string | null }[] {
    return contentIds.length ? this.usingStmt.all(JSON.stringify(contentIds), limit) : [];
  }

  /** Pages whose latest pointer names a missing revision or another page's. */
  badLatestPointers(limit: number): PageRef[] {
    return this.badLatestStmt.all(limit);
  }

  /** Live pages that have no entry in the search index: the first `limit` of them, and how many in all. */
  missingFromSearch(limit: number): { count: number; pages: PageRef[] } {
    return { count: this.countMissingSearchStmt.get()!.n, pages: this.missingSearchStmt.all(limit) };
  }

  /** Search entries and link or category rows left behind by pages that are gone. */
  staleIndexRows(): { search: number; links: number } {
    return { search: this.staleStmts.countSearch.get()!.n, links: this.staleStmts.countLinks.get()!.n };
  }

  /** Delete what staleIndexRows counts. */
  clearStaleIndexRows(): void {
    this.staleStmts.deleteSearch.run();
    this.staleStmts.deleteTitles.run();
    this.staleStmts.deleteLinks.run();
    this.staleStmts.deleteCategories.run();
  }
}
