/** The watchlist: which pages each registered account follows, and the changes to them. */
import type { Db } from './connection.js';
import { livePage } from './live.js';

export const WATCHLIST_SQL = {
  // The newest revisions of the account's watched, live pages: for each watched page the
  // revision_page index gives its revisions below the cursor, so the cost follows the watched
  // pages' histories, not the size of the wiki.
  changes: `SELECT r.id FROM watchlist w
    JOIN page p ON p.id = w.page_id
    JOIN revision r ON r.page_id = w.page_id AND r.id < @before
    WHERE w.actor_id = @actor AND ${livePage('p')}
    ORDER BY r.id DESC LIMIT @limit`,
} as const;

export class WatchlistStore {
  private readonly insertStmt;
  private readonly deleteStmt;
  private readonly hasStmt;
  private readonly countStmt;
  private readonly changesStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO watchlist (actor_id, page_id, created_at) VALUES (?, ?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM watchlist WHERE actor_id = ? AND page_id = ?');
    this.hasStmt = db.prepare<[number, number], { found: number }>('SELECT 1 AS found FROM watchlist WHERE actor_id = ? AND page_id = ?');
    this.countStmt = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM watchlist WHERE actor_id = ?');
    this.changesStmt = db.prepare<Record<string, unknown>, { id: number }>(WATCHLIST_SQL.changes);
    this.copyStmt = db.prepare('INSERT OR IGNORE INTO watchlist (actor_id, page_id, created_at) SELECT actor_id, ?, ? FROM watchlist WHERE page_id = ?');
  }

  private readonly copyStmt;

  /** Everyone who watches page `from` now watches page `to` as well (one statement, by the watchlist_page index). */
  copyWatchers(from: number, to: number, now: string): void {
    this.copyStmt.run(to, now, from);
  }

  /** Follow a page; watching it twice is one watch. */
  add(actorId: number, pageId: number, now: string): void {
    this.insertStmt.run(actorId, pageId, now);
  }

  /** Stop following a page; a page not watched is left alone. */
  remove(actorId: number, pageId: number): void {
    this.deleteStmt.run(actorId, pageId);
  }

  has(actorId: number, pageId: number): boolean {
    return this.hasStmt.get(actorId, pageId) !== undefined;
  }

  /** How many pages the account watches. */
  count(actorId: number): number {
    return this.countStmt.get(actorId)!.n;
  }

  /** Ids of the newest revisions of watched live pages, below `beforeId`, newest first. */
  changes(actorId: number, o: { beforeId?: number; limit: number }): number[] {
    return this.changesStmt.all({ actor: actorId, before: o.beforeId ?? Number.MAX_SAFE_INTEGER, limit: o.limit }).map((r) => r.id);
  }
}
