/** Risk scores and patrol marks per revision, and the review queue. */
import type { Db } from './connection.js';
import { livePage } from './live.js';

export class ReviewStore {
  private readonly insert;
  private readonly patrol;
  private readonly queueStmt;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO review (revision_id, risk, reasons, patrolled_by, patrolled_at) VALUES (?, ?, ?, ?, ?)');
    this.patrol = db.prepare('UPDATE review SET patrolled_by = ?, patrolled_at = ? WHERE revision_id = ? AND patrolled_by IS NULL');
    // Riskiest first, then newest; only revisions of live pages.
    this.queueStmt = db.prepare<[number, number], { revision_id: number }>(
      `SELECT v.revision_id FROM review v JOIN revision r ON r.id = v.revision_id JOIN page p ON p.id = r.page_id
       WHERE v.patrolled_by IS NULL AND ${livePage('p')} ORDER BY v.risk DESC, v.revision_id DESC LIMIT ? OFFSET ?`,
    );
  }

  /** Record a new revision's risk; `patrolledBy` marks it reviewed at once (trusted authors). */
  put(revisionId: number, risk: number, reasons: string[], patrolledBy: number | null, now: string): void {
    this.insert.run(revisionId, risk, JSON.stringify(reasons), patrolledBy, patrolledBy === null ? null : now);
  }

  /** Mark reviewed; false when it already was (or has no review row). */
  markPatrolled(revisionId: number, actorId: number, now: string): boolean {
    return this.patrol.run(actorId, now, revisionId).changes === 1;
  }

  /** Unreviewed revision ids, riskiest first. */
  queue(limit: number, offset: number): number[] {
    return this.queueStmt.all(limit, offset).map((r) => r.revision_id);
  }
}
