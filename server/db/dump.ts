/** Bulk reads for export, import and check: live pages and their revisions in id order, in batches. */
import type { Db } from './connection.js';
import { livePage } from './live.js';
// Type-only, from the leaf of record types: the rows map to the domain's records.
import type { ActorKind } from '../wiki/types.js';

/** A live page (not deleted) with the number of its revisions. */
export interface DumpPage {
  id: number;
  title: string;
  latestId: number;
  latestContentId: number;
  revisions: number;
}

/** A revision as export writes it; the text is read separately by content id. */
export interface DumpRevision {
  id: number;
  parentId: number | null;
  author: string;
  authorKind: ActorKind;
  contentId: number;
  comment: string;
  minor: boolean;
  sha1: string;
  timestamp: string;
  tags: string[];
}

/** A deleted page: its row under a tombstone title, and its deletion (the latest not undone). */
export interface DumpDeletedPage {
  id: number;
  /** The tombstone title that names it in this wiki (unique here, "#deleted:…"). */
  key: string;
  /** The title it had. */
  title: string;
  deletedAt: string;
  by: string;
  reason: string;
  revisions: number;
}

/** What identifies a revision across wikis: when it was saved and what it says. */
export interface HistoryKey {
  timestamp: string;
  sha1: string;
}

interface RevisionRow {
  id: number;
  parent_id: number | null;
  author: string;
  author_kind: ActorKind;
  content_id: number;
  comment: string;
  minor: number;
  sha1: string;
  timestamp: string;
  tags: string | null;
}

// Deleted pages keep their rows under a tombstone title starting with "#" (see pages.ts).
const LIVE = livePage('p');

export class DumpStore {
  private readonly countsStmt;
  private readonly pagesStmt;
  private readonly revisionsStmt;
  private readonly keysStmt;
  private readonly deletedStmt;
  private readonly deletedCountsStmt;
  private readonly deletionAtStmt;

  constructor(db: Db) {
    this.countsStmt = db.prepare<[], { pages: number; revisions: number; live_revisions: number }>(
      `SELECT (SELECT count(*) FROM page p WHERE ${LIVE}) AS pages, (SELECT count(*) FROM revision) AS revisions,
       (SELECT count(*) FROM revision r JOIN page p ON p.id = r.page_id WHERE ${LIVE}) AS live_revisions`,
    );
    this.pagesStmt = db.prepare<[number, number], DumpPage>(
      `SELECT p.id, p.title, p.latest_id AS latestId, (SELECT content_id FROM revision r WHERE r.id = p.latest_id) AS latestContentId,
       (SELECT count(*) FROM revision r WHERE r.page_id = p.id) AS revisions
       FROM page p WHERE p.id > ? AND ${LIVE} ORDER BY p.id LIMIT ?`,
    );
    this.revisionsStmt = db.prepare<[number, number, number], RevisionRow>(
      `SELECT r.id, r.parent_id, a.name AS author, a.kind AS author_kind, r.content_id, r.comment, r.minor, lower(hex(c.sha1)) AS sha1, r.timestamp,
       (SELECT group_concat(tag, ' ') FROM revision_tag t WHERE t.revision_id = r.id) AS tags
       FROM revision r JOIN actor a ON a.id = r.actor_id JOIN content c ON c.id = r.content_id WHERE r.page_id = ? AND r.id > ? ORDER BY r.id LIMIT ?`,
    );
    this.keysStmt = db.prepare<[number], HistoryKey>(
      'SELECT r.timestamp, lower(hex(c.sha1)) AS sha1 FROM revision r JOIN content c ON c.id = r.content_id WHERE r.page_id = ? ORDER BY r.id',
    );
    // A tombstoned page's deletion: the latest one of that page not undone.
    const deletion = `d.id = (SELECT max(id) FROM deletion WHERE page_id = p.id AND restored_at IS NULL)`;
    this.deletedStmt = db.prepare<[number, number], DumpDeletedPage>(
      `SELECT p.id, p.title AS key, d.title, d.deleted_at AS deletedAt, a.name AS by, d.reason,
       (SELECT count(*) FROM revision r WHERE r.page_id = p.id) AS revisions
       FROM page p JOIN deletion d ON ${deletion} JOIN actor a ON a.id = d.actor_id
       WHERE p.id > ? AND p.title LIKE '#deleted:%' AND p.latest_id IS NOT NULL ORDER BY p.id LIMIT ?`,
    );
    this.deletedCountsStmt = db.prepare<[], { pages: number; revisions: number }>(
      `SELECT count(DISTINCT p.id) AS pages, count(r.id) AS revisions FROM page p JOIN deletion d ON ${deletion} JOIN revision r ON r.page_id = p.id
       WHERE p.title LIKE '#deleted:%' AND p.latest_id IS NOT NULL`,
    );
    this.deletionAtStmt = db.prepare<[string, string], { id: number; latestId: number }>(
      `SELECT p.id, p.latest_id AS latestId FROM deletion d JOIN page p ON p.id = d.page_id
       WHERE d.title = ? AND d.deleted_at = ? AND d.restored_at IS NULL AND p.latest_id IS NOT NULL ORDER BY d.id DESC LIMIT 1`,
    );
  }

  /** Deleted pages (with a deletion not undone) with ids above `afterId`, in id order. */
  deletedPagesAfter(afterId: number, limit: number): DumpDeletedPage[] {
    return this.deletedStmt.all(afterId, limit);
  }

  /** How many deleted pages deletedPagesAfter lists, and their revisions. */
  deletedCounts(): { pages: number; revisions: number } {
    return this.deletedCountsStmt.get()!;
  }

  /** The page deleted here from `title` at `deletedAt` and not restored, if any (import matches on these). */
  deletedPageAt(title: string, deletedAt: string): { id: number; latestId: number } | undefined {
    return this.deletionAtStmt.get(title, deletedAt);
  }

  /** Live pages, every revision stored (deleted pages' too), and the revisions of live pages. */
  counts(): { pages: number; revisions: number; liveRevisions: number } {
    const r = this.countsStmt.get()!;
    return { pages: r.pages, revisions: r.revisions, liveRevisions: r.live_revisions };
  }

  /** Live pages with ids above `afterId`, in id order. */
  pagesAfter(afterId: number, limit: number): DumpPage[] {
    return this.pagesStmt.all(afterId, limit);
  }

  /** A page's revisions with ids above `afterId`, oldest first. */
  revisionsOfPage(pageId: number, afterId: number, limit: number): DumpRevision[] {
    return this.revisionsStmt.all(pageId, afterId, limit).map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      author: r.author,
      authorKind: r.author_kind,
      contentId: r.content_id,
      comment: r.comment,
      minor: r.minor === 1,
      sha1: r.sha1,
      timestamp: r.timestamp,
      tags: r.tags ? r.tags.split(' ').sort() : [],
    }));
  }

  /** Timestamp and hash of each of a page's revisions, oldest first (import matches on these). */
  historyKeys(pageId: number): HistoryKey[] {
    return this.keysStmt.all(pageId);
  }
}
