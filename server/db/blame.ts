/** Stored line authorship per revision (derived data, keyed by revision id and algorithm version), and what is still to derive. */
import type { Db } from './connection.js';
import { livePage } from './live.js';

/** A live page and its latest revision, as the authorship backfill walks them. */
export interface LatestOf {
  pageId: number;
  revisionId: number;
  /** Whether that revision's authorship is stored (for the version asked about). */
  stored: boolean;
}

/**
 * Runs as stored: a blob of unsigned varints (revision id, line count, revision id, ...), about
 * half the JSON text rows written before it (still read), which made blame_cache the largest
 * table after the texts themselves.
 */
type StoredRuns = Buffer | string;

export function encodeRuns(runs: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(runs.length * 5);
  let at = 0;
  for (let n of runs) {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`authorship runs hold ${n}, not a count or revision id`);
    while (n >= 0x80) {
      out[at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    out[at++] = n;
  }
  return out.subarray(0, at);
}

export function decodeRuns(stored: StoredRuns): number[] {
  if (typeof stored === 'string') return JSON.parse(stored) as number[];
  const runs: number[] = [];
  let n = 0;
  let scale = 1;
  for (const b of stored) {
    n += (b & 0x7f) * scale;
    if (b < 0x80) {
      runs.push(n);
      n = 0;
      scale = 1;
    } else scale *= 0x80;
  }
  if (scale !== 1) throw new Error('stored authorship runs end inside a number');
  return runs;
}

export class BlameStore {
  private readonly select;
  private readonly exists;
  private readonly insert;
  private readonly copyStmt;
  private readonly markStmt;
  private readonly clearStmt;
  private readonly pendingStmt;
  private readonly latestStmt;
  private readonly namesStmt;
  private readonly ancestryStmt;
  private readonly jsonRowsStmt;
  private readonly thinStmt;
  private readonly dropStmt;
  private readonly pageLineStmt;
  private readonly pagesAfterStmt;
  private readonly countJsonStmt;

  constructor(db: Db) {
    this.select = db.prepare<[number, number], { runs: StoredRuns }>('SELECT runs FROM blame_cache WHERE revision_id = ? AND version = ?');
    this.exists = db.prepare<[number, number], number>('SELECT 1 FROM blame_cache WHERE revision_id = ? AND version = ?').pluck();
    this.insert = db.prepare('INSERT OR REPLACE INTO blame_cache (revision_id, version, runs) VALUES (?, ?, ?)');
    this.copyStmt = db.prepare(
      'INSERT OR REPLACE INTO blame_cache (revision_id, version, runs) SELECT ?, version, runs FROM blame_cache WHERE revision_id = ? AND version = ?',
    );
    this.markStmt = db.prepare('INSERT OR IGNORE INTO blame_pending (revision_id) VALUES (?)');
    this.clearStmt = db.prepare('DELETE FROM blame_pending WHERE revision_id = ?');
    this.pendingStmt = db.prepare<[], number>('SELECT revision_id FROM blame_pending ORDER BY revision_id').pluck();
    this.latestStmt = db.prepare<[number, number, number], { page_id: number; revision_id: number; stored: number }>(
      `SELECT p.id AS page_id, p.latest_id AS revision_id,
         EXISTS (SELECT 1 FROM blame_cache b WHERE b.revision_id = p.latest_id AND b.version = ?) AS stored
       FROM page p WHERE p.id > ? AND ${livePage('p')} ORDER BY p.id LIMIT ?`,
    );
    this.thinStmt = db.prepare<{ rev: number; back: number; deepest: number; version: number }, { id: number | null; stored: number | null; before: number | null }>(
      `WITH RECURSIVE up (id, parent_id, depth, stored) AS (
         SELECT id, parent_id, 0, 0 FROM revision WHERE id = @rev
         UNION ALL
         SELECT r.id, r.parent_id, up.depth + 1, EXISTS (SELECT 1 FROM blame_cache b WHERE b.revision_id = r.id AND b.version = @version)
         FROM revision r JOIN up ON r.id = up.parent_id
         WHERE up.depth < @deepest
           AND NOT (up.depth = @back AND NOT up.stored)
           AND NOT (up.depth > @back AND up.stored)
       )
       SELECT max(CASE WHEN depth = @back THEN id END) AS id, max(CASE WHEN depth = @back THEN stored END) AS stored,
              max(CASE WHEN depth > @back THEN stored ELSE 0 END) AS before
       FROM up`,
    );
    this.dropStmt = db.prepare('DELETE FROM blame_cache WHERE revision_id = ? AND version = ?');
    this.pageLineStmt = db.prepare<[number, number], { id: number; stored: number }>(
      'SELECT r.id, EXISTS (SELECT 1 FROM blame_cache b WHERE b.revision_id = r.id AND b.version = ?) AS stored FROM revision r WHERE r.page_id = ? ORDER BY r.id',
    );
    this.pagesAfterStmt = db.prepare<[number, number], number>('SELECT id FROM page WHERE id > ? ORDER BY id LIMIT ?').pluck();
    this.jsonRowsStmt = db.prepare<[number, number], { revision_id: number; version: number; runs: string }>(
      "SELECT revision_id, version, runs FROM blame_cache WHERE revision_id > ? AND typeof(runs) = 'text' ORDER BY revision_id LIMIT ?",
    );
    this.countJsonStmt = db.prepare<[], number>("SELECT count(*) FROM blame_cache WHERE typeof(runs) = 'text'").pluck();
    this.namesStmt = db.prepare<[string], { id: number; name: string }>(
      'SELECT r.id, a.name FROM json_each(?) j JOIN revision r ON r.id = j.value JOIN actor a ON a.id = r.actor_id',
    );
    this.ancestryStmt = db.prepare<[number, number, number], { id: number; content_id: number; runs: StoredRuns | null }>(
      `WITH RECURSIVE up (id, parent_id, content_id, depth) AS (
         SELECT id, parent_id, content_id, 1 FROM revision WHERE id = ?
         UNION ALL SELECT r.id, r.parent_id, r.content_id, up.depth + 1 FROM revision r JOIN up ON r.id = up.parent_id WHERE up.depth < ?
       )
       SELECT up.id, up.content_id, b.runs FROM up LEFT JOIN blame_cache b ON b.revision_id = up.id AND b.version = ? ORDER BY up.depth`,
    );
  }

  /**
   * Who wrote each line, as runs of [revision id, line count] from the first line (as stored;
   * wiki/authorship.ts AuthorRuns), or undefined when not computed yet.
   */
  runs(revisionId: number, version: number): number[] | undefined {
    const row = this.select.get(revisionId, version);
    return row ? decodeRuns(row.runs) : undefined;
  }

  /**
   * Revision `revisionId` and up to `depth - 1` of its ancestors, newest first: content id and
   * stored authorship as runs (undefined when not stored), in one statement.
   */
  ancestry(revisionId: number, depth: number, version: number): Array<{ id: number; contentId: number; runs: number[] | undefined }> {
    return this.ancestryStmt.all(revisionId, depth, version).map((r) => ({ id: r.id, contentId: r.content_id, runs: r.runs === null ? undefined : decodeRuns(r.runs) }));
  }

  /**
   * What thinning asks of one revision's history, in one walk up it: the revision `back` steps up
   * from `revisionId` (undefined when the history is shorter), whether its authorship is stored, and
   * whether one of its ancestors up to `deepest` steps from `revisionId` has its own stored. The walk
   * stops at the first such ancestor, or at the candidate when it has nothing stored.
   */
  thinCandidate(revisionId: number, back: number, deepest: number, version: number): { id: number; stored: boolean; storedBefore: boolean } | undefined {
    const row = this.thinStmt.get({ rev: revisionId, back, deepest, version });
    if (!row || row.id === null) return undefined;
    return { id: row.id, stored: row.stored === 1, storedBefore: row.before === 1 };
  }

  /** Every revision of a page, oldest first, with whether its authorship is stored. */
  pageLine(pageId: number, version: number): Array<{ id: number; stored: boolean }> {
    return this.pageLineStmt.all(version, pageId).map((r) => ({ id: r.id, stored: r.stored === 1 }));
  }

  /** Up to `limit` page ids after `afterPageId`, in order (deleted pages too: their histories are kept). */
  pagesAfter(afterPageId: number, limit: number): number[] {
    return this.pagesAfterStmt.all(afterPageId, limit);
  }

  /** Forget a revision's stored authorship (it can be derived again from an ancestor's). */
  drop(revisionId: number, version: number): void {
    this.dropStmt.run(revisionId, version);
  }

  /** Whether the revision's authorship is stored, without reading it. */
  has(revisionId: number, version: number): boolean {
    return this.exists.get(revisionId, version) !== undefined;
  }

  /** Store a revision's authorship, as runs (see runs()). */
  put(revisionId: number, version: number, runs: readonly number[]): void {
    this.insert.run(revisionId, version, encodeRuns(runs));
  }

  /** Store `from`'s authorship as `to`'s too (a revert to `from`'s text); false when `from` has none stored. */
  copy(from: number, to: number, version: number): boolean {
    return this.copyStmt.run(to, from, version).changes > 0;
  }

  /**
   * Rewrite up to `limit` rows stored as JSON (before runs were blobs) with revision ids above
   * `afterId`, in id order; `lastId` is where to go on, undefined when done.
   */
  compactJson(afterId: number, limit: number): { lastId: number | undefined; rewritten: number } {
    const rows = this.jsonRowsStmt.all(afterId, limit);
    for (const r of rows) this.insert.run(r.revision_id, r.version, encodeRuns(decodeRuns(r.runs)));
    return { lastId: rows.at(-1)?.revision_id, rewritten: rows.length };
  }

  /** How many rows are still stored as JSON. */
  countJson(): number {
    return this.countJsonStmt.get()!;
  }

  /** Note that the revision's authorship is still to derive (after its save's commit). */
  markPending(revisionId: number): void {
    this.markStmt.run(revisionId);
  }

  clearPending(revisionId: number): void {
    this.clearStmt.run(revisionId);
  }

  /** Revisions noted pending, oldest first (a parent before its child). */
  allPending(): number[] {
    return this.pendingStmt.all();
  }

  /** Up to `limit` live pages after page id `afterPageId`, in id order, with whether their latest revision's authorship is stored. */
  latestAfter(afterPageId: number, limit: number, version: number): LatestOf[] {
    return this.latestStmt.all(version, afterPageId, limit).map((r) => ({ pageId: r.page_id, revisionId: r.revision_id, stored: r.stored === 1 }));
  }

  /** The author's name of each revision id that exists: one statement, however many ids. */
  writerNames(revisionIds: readonly number[]): Map<number, string> {
    return new Map(this.namesStmt.all(JSON.stringify(revisionIds)).map((r) => [r.id, r.name]));
  }
}
