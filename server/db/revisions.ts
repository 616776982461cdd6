/** Revision rows (append-only) and their tags. */
import type { Db } from './connection.js';
// Type-only, from the leaf of record types: the rows map to the domain's records.
import type { ActorKind, NewRevision, Revision } from '../wiki/types.js';
import { livePage } from './live.js';

/**
 * How far back a save's text is looked for among the page's revisions to call it a revert (and
 * tag what it undid, and give it back its authorship). MediaWiki looks 15 back
 * ($wgRevertedTagMaxDepth); a revert of something older is an ordinary edit. Bounding it keeps a
 * save's work bounded: the look is a walk of the page's newest revisions, and a revert tags at most
 * this many revisions reverted.
 */
export const REVERT_DEPTH = 100;

interface RevisionRow {
  id: number;
  page_id: number;
  parent_id: number | null;
  actor_id: number;
  actor_name: string;
  actor_kind: ActorKind;
  content_id: number;
  comment: string;
  minor: number;
  size: number;
  parent_size: number | null;
  sha1: string;
  timestamp: string;
  ip: string | null;
  tags: string | null;
  risk: number | null;
  reasons: string | null;
  patrolled_by: number | null;
}

export type HistoryFilter = 'reverted' | 'anonymous' | 'minor';

/** Filters of recent changes; every one optional. */
export interface ChangeFilter {
  beforeId?: number;
  limit: number;
  actorId?: number;
  namespace?: string;
  hideMinor?: boolean;
  since?: string;
  tag?: string;
  minRisk?: number;
  /** Only revisions that are still their page's latest (for one-click rollback lists). */
  latestOnly?: boolean;
}

const SELECT = `SELECT r.id, r.page_id, r.parent_id, r.actor_id, a.name AS actor_name, a.kind AS actor_kind,
  r.content_id, r.comment, r.minor, r.size, p.size AS parent_size, lower(hex(c.sha1)) AS sha1, r.timestamp, r.ip,
  (SELECT group_concat(tag, ' ') FROM revision_tag t WHERE t.revision_id = r.id) AS tags,
  v.risk, v.reasons, v.patrolled_by
  FROM revision r JOIN actor a ON a.id = r.actor_id JOIN content c ON c.id = r.content_id LEFT JOIN revision p ON p.id = r.parent_id
  LEFT JOIN review v ON v.revision_id = r.id`;

function toRevision(r: RevisionRow): Revision {
  return {
    id: r.id,
    pageId: r.page_id,
    parentId: r.parent_id,
    actor: { id: r.actor_id, name: r.actor_name, kind: r.actor_kind },
    contentId: r.content_id,
    comment: r.comment,
    minor: r.minor === 1,
    size: r.size,
    parentSize: r.parent_size ?? 0,
    sha1: r.sha1,
    timestamp: r.timestamp,
    ip: r.ip,
    tags: r.tags ? r.tags.split(' ').sort() : [],
    risk: r.risk ?? 0,
    riskReasons: r.reasons ? (JSON.parse(r.reasons) as string[]) : [],
    patrolled: r.risk === null || r.patrolled_by !== null,
  };
}

export class RevisionStore {
  private readonly insertStmt;
  private readonly selectById;
  private readonly insertTag;
  private readonly historyStmts: Record<HistoryFilter | 'all', { all(page: number, before: number, limit: number): unknown[] }>;
  private readonly byActorStmt;
  private readonly countStmt;
  private readonly factsStmt;
  private readonly nextStmt;
  private readonly prevStmt;
  private readonly byContentStmt;
  private readonly betweenStmt;
  private readonly recentStmt;
  private readonly pagesByActorStmt;
  private readonly pagesByIpStmt;
  private readonly sinceByActorStmt;
  private readonly betweenByActorStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO revision (page_id, parent_id, actor_id, content_id, comment, minor, size, timestamp, ip)
       VALUES (@pageId, @parentId, @actorId, @contentId, @comment, @minor, @size, @timestamp, @ip)`,
    );
    this.selectById = db.prepare<[number], RevisionRow>(`${SELECT} WHERE r.id = ?`);
    this.insertTag = db.prepare('INSERT OR IGNORE INTO revision_tag (revision_id, tag) VALUES (?, ?)');
    const history = (extra: string) =>
      db.prepare<[number, number, number], RevisionRow>(
        `${SELECT} WHERE r.page_id = ? AND r.id < ? ${extra} ORDER BY r.id DESC LIMIT ?`,
      );
    this.historyStmts = {
      all: history(''),
      minor: history('AND r.minor = 1'),
      anonymous: history("AND a.kind = 'temp'"),
      reverted: history("AND EXISTS (SELECT 1 FROM revision_tag t WHERE t.revision_id = r.id AND t.tag = 'reverted')"),
    };
    this.byActorStmt = db.prepare<[number, number, number], RevisionRow>(
      `${SELECT} WHERE r.actor_id = ? AND r.id < ? ORDER BY r.id DESC LIMIT ?`,
    );
    this.countStmt = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM revision WHERE page_id = ?');
    this.factsStmt = db.prepare<[number], { first_id: number; edits: number; editors: number }>(
      'SELECT min(id) AS first_id, count(*) AS edits, count(DISTINCT actor_id) AS editors FROM revision WHERE page_id = ?',
    );
    this.nextStmt = db.prepare<[number, number], { id: number }>(
      'SELECT id FROM revision WHERE page_id = ? AND id > ? ORDER BY id LIMIT 1',
    );
    this.prevStmt = db.prepare<[number, number], { id: number }>(
      'SELECT id FROM revision WHERE page_id = ? AND id < ? ORDER BY id DESC LIMIT 1',
    );
    this.beforeTimeStmt = db.prepare<[number, string], { id: number }>(
      'SELECT id FROM revision INDEXED BY revision_page WHERE page_id = ? AND timestamp < ? ORDER BY id DESC LIMIT 1',
    );
    this.lastAddressStmt = db.prepare<[number], { ip: string }>('SELECT ip FROM revision WHERE actor_id = ? AND ip IS NOT NULL ORDER BY id DESC LIMIT 1');
    this.pagesByActorStmt = db.prepare<[number, string], { page_id: number }>(
      'SELECT DISTINCT page_id FROM revision WHERE actor_id = ? AND timestamp >= ? ORDER BY page_id',
    );
    this.pagesByIpStmt = db.prepare<[string, string], { page_id: number }>(
      `SELECT DISTINCT r.page_id FROM revision r JOIN actor a ON a.id = r.actor_id
       WHERE r.ip = ? AND r.timestamp >= ? AND a.kind = 'temp' ORDER BY r.page_id`,
    );
    // One statement for every filter combination: an absent filter is a NULL that matches all.
    this.recentStmt = db.prepare<Record<string, unknown>, RevisionRow>(
      `${SELECT} JOIN page pg ON pg.id = r.page_id
       WHERE ${livePage('pg')} AND r.id < @before
         AND (@actor IS NULL OR r.actor_id = @actor)
         AND (@ns IS NULL OR pg.namespace = @ns)
         AND (@hideMinor = 0 OR r.minor = 0)
         AND (@since IS NULL OR r.timestamp >= @since)
         AND (@tag IS NULL OR EXISTS (SELECT 1 FROM revision_tag t2 WHERE t2.revision_id = r.id AND t2.tag = @tag))
         AND (@minRisk IS NULL OR v.risk >= @minRisk)
         AND (@latestOnly = 0 OR pg.latest_id = r.id)
       ORDER BY r.id DESC LIMIT @limit`,
    );
    this.betweenStmt = db.prepare<[number, number, number], { id: number }>(
      'SELECT id FROM revision WHERE page_id = ? AND id > ? AND id < ? ORDER BY id',
    );
    // Walks the account's newest revisions only (revision_actor index), so its cost is the burst itself.
    this.betweenByActorStmt = db.prepare<[number, string, string], { n: number }>(
      'SELECT count(*) AS n FROM (SELECT timestamp FROM revision WHERE actor_id = ? ORDER BY id DESC LIMIT 100) WHERE timestamp >= ? AND timestamp <= ?',
    );
    this.sinceByActorStmt = db.prepare<[number, string], { n: number }>(
      'SELECT count(*) AS n FROM (SELECT timestamp FROM revision WHERE actor_id = ? ORDER BY id DESC LIMIT 100) WHERE timestamp >= ?',
    );
    // The page's last REVERT_DEPTH revisions before one, newest first, along revision_page.
    this.byContentStmt = db.prepare<[number, number, number], { id: number }>(
      `SELECT id FROM (SELECT id, content_id FROM revision WHERE page_id = ? AND id < ? ORDER BY id DESC LIMIT ${REVERT_DEPTH})
       WHERE content_id = ? ORDER BY id DESC LIMIT 1`,
    );
  }

  /** Ids of the page's revisions strictly between two ids (the ones a revert undid). */
  idsBetween(pageId: number, afterId: number, beforeId: number): number[] {
    return this.betweenStmt.all(pageId, afterId, beforeId).map((r) => r.id);
  }

  /** Recent revisions of all live pages, newest first. */
  recent(f: ChangeFilter): Revision[] {
    return this.recentStmt.all({
      before: f.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit: f.limit,
      actor: f.actorId ?? null,
      ns: f.namespace ?? null,
      hideMinor: f.hideMinor ? 1 : 0,
      since: f.since ?? null,
      tag: f.tag ?? null,
      minRisk: f.minRisk ?? null,
      latestOnly: f.latestOnly ? 1 : 0,
    }).map(toRevision);
  }

  private readonly lastAddressStmt;
  private readonly beforeTimeStmt;

  /** The page's newest revision saved before `time` (ISO), if any: what was latest then. */
  latestBefore(pageId: number, time: string): number | undefined {
    return this.beforeTimeStmt.get(pageId, time)?.id;
  }

  /** The address the account last saved from (canonical form), if any save of it has one. */
  lastAddressOf(actorId: number): string | undefined {
    return this.lastAddressStmt.get(actorId)?.ip;
  }

  /** Pages with revisions by this account, or from this IP address, at or after `since`. */
  pagesEditedSince(by: { actorId: number } | { ip: string }, since: string): number[] {
    const rows = 'ip' in by ? this.pagesByIpStmt.all(by.ip, since) : this.pagesByActorStmt.all(by.actorId, since);
    return rows.map((r) => r.page_id);
  }

  /** How many revisions this account saved at or after `since` (ISO time). */
  countByActorSince(actorId: number, since: string): number {
    return this.sinceByActorStmt.get(actorId, since)!.n;
  }

  /** The same between two times, among the actor's last 100 revisions stored (import: history arrives out of time order). */
  countByActorBetween(actorId: number, since: string, until: string): number {
    return this.betweenByActorStmt.get(actorId, since, until)!.n;
  }

  insert(rev: NewRevision): number {
    return Number(this.insertStmt.run({ ...rev, minor: rev.minor ? 1 : 0 }).lastInsertRowid);
  }

  addTags(revisionId: number, tags: Iterable<string>): void {
    for (const tag of tags) this.insertTag.run(revisionId, tag);
  }

  /** undefined when there is no such revision. */
  byId(id: number): Revision | undefined {
    const r = this.selectById.get(id);
    return r && toRevision(r);
  }

  /** A page's revisions newest first, with ids below `beforeId`. */
  history(pageId: number, options: { beforeId?: number; limit: number; filter?: HistoryFilter }): Revision[] {
    const stmt = this.historyStmts[options.filter ?? 'all'];
    return (stmt.all(pageId, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit) as RevisionRow[]).map(toRevision);
  }

  /** An account's revisions on every page, newest first, with ids below `beforeId`. */
  byActor(actorId: number, options: { beforeId?: number; limit: number }): Revision[] {
    return this.byActorStmt.all(actorId, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit).map(toRevision);
  }

  /** The page's first revision, number of edits and of distinct editors. */
  facts(pageId: number): { firstId: number; edits: number; editors: number } {
    const r = this.factsStmt.get(pageId)!;
    return { firstId: r.first_id, edits: r.edits, editors: r.editors };
  }

  count(pageId: number): number {
    return this.countStmt.get(pageId)!.n;
  }

  /** The page's next newer revision id, or undefined at the latest. */
  nextId(pageId: number, id: number): number | undefined {
    return this.nextStmt.get(pageId, id)?.id;
  }

  /** The page's next older revision id, or undefined at the first. */
  previousId(pageId: number, id: number): number | undefined {
    return this.prevStmt.get(pageId, id)?.id;
  }

  /**
   * The newest of the page's last REVERT_DEPTH revisions before `beforeId` with exactly this text,
   * if any: the same content row, since content.ts keeps each distinct text once. A save whose
   * text was stored anew cannot be a revert and need not ask.
   */
  earlierWithContent(pageId: number, contentId: number, beforeId: number): number | undefined {
    return this.byContentStmt.get(pageId, beforeId, contentId)?.id;
  }
}
