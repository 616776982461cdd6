/** Notifications (SPEC section 11): who is told of which revision, and what each person has read. */
import type { Db } from './connection.js';
import { livePage } from './live.js';

export type NotificationType = 'user-talk' | 'watched';

export interface NotificationRow {
  revisionId: number;
  pageId: number;
  title: string;
  type: NotificationType;
  userId: number;
  userName: string;
  timestamp: string;
}

/** Someone to mail about a change: notifications by email on and a verified address. */
export interface MailRecipient {
  id: number;
  name: string;
  email: string;
  seen: number;
}

/** How many notifications each person keeps; older ones are trimmed when the list is looked at. */
export const KEEP_NOTIFICATIONS = 500;

export class NotificationStore {
  private readonly watchersStmt;
  private readonly ownerStmt;
  private readonly tellStmt;
  private readonly unreadStmt;
  private readonly listStmt;
  private readonly newestStmt;
  private readonly unreadOnPageStmt;
  private readonly trimStmt;
  private readonly mailStmt;
  private readonly mailOwnerStmt;

  constructor(db: Db) {
    // Watchers only have registered accounts (wiki/watchlist.ts), so no temporary account is told.
    this.watchersStmt = db.prepare(
      `INSERT OR IGNORE INTO notification (actor_id, revision_id, page_id, type)
       SELECT actor_id, @revision, @page, CASE WHEN actor_id = @owner THEN 'user-talk' ELSE 'watched' END
       FROM watchlist WHERE page_id IN (@page, @pair) AND actor_id <> @author`,
    );
    this.tellStmt = db.prepare(`INSERT OR IGNORE INTO notification (actor_id, revision_id, page_id, type) VALUES (?, ?, ?, 'watched')`);
    this.ownerStmt = db.prepare(`INSERT OR REPLACE INTO notification (actor_id, revision_id, page_id, type) VALUES (?, ?, ?, 'user-talk')`);
    this.unreadStmt = db.prepare<[number, number, number], { n: number }>(
      'SELECT count(*) AS n FROM (SELECT 1 FROM notification WHERE actor_id = ? AND revision_id > ? LIMIT ?)',
    );
    this.listStmt = db.prepare<[number, number, number], { revision_id: number; page_id: number; type: NotificationType; title: string; user_id: number; user_name: string; timestamp: string }>(
      `SELECT n.revision_id, n.page_id, n.type, p.title, r.actor_id AS user_id, a.name AS user_name, r.timestamp
       FROM notification n JOIN revision r ON r.id = n.revision_id JOIN page p ON p.id = n.page_id JOIN actor a ON a.id = r.actor_id
       WHERE n.actor_id = ? AND n.revision_id < ? AND ${livePage('p')}
       ORDER BY n.revision_id DESC LIMIT ?`,
    );
    this.newestStmt = db.prepare<[number], { id: number | null }>('SELECT max(revision_id) AS id FROM notification WHERE actor_id = ?');
    this.unreadOnPageStmt = db.prepare<[number, number, number], { n: number }>(
      'SELECT count(*) AS n FROM (SELECT 1 FROM notification WHERE actor_id = ? AND page_id = ? AND revision_id > ? LIMIT 2)',
    );
    this.trimStmt = db.prepare(
      `DELETE FROM notification WHERE actor_id = @actor AND revision_id <
         (SELECT revision_id FROM notification WHERE actor_id = @actor ORDER BY revision_id DESC LIMIT 1 OFFSET @keep)`,
    );
    this.mailStmt = db.prepare<{ page: number; pair: number; author: number }, MailRecipient>(
      `SELECT DISTINCT a.id, a.name, a.email, a.notifications_seen AS seen FROM watchlist w JOIN actor a ON a.id = w.actor_id
       WHERE w.page_id IN (@page, @pair) AND w.actor_id <> @author AND a.email_notifications = 1 AND a.email IS NOT NULL`,
    );
    this.mailOwnerStmt = db.prepare<[number], MailRecipient>(
      'SELECT id, name, email, notifications_seen AS seen FROM actor WHERE id = ? AND email_notifications = 1 AND email IS NOT NULL',
    );
  }

  /**
   * Tell everyone watching `page` but its author of `revision`, and the page's owner (a user talk
   * page's), watching or not. `pairId`: the other page of a page just created, whose watchers
   * watch it from now on (wiki/watchlist.ts) and hear of its first revision too.
   */
  add(n: { revisionId: number; pageId: number; authorId: number; ownerId: number | undefined; pairId?: number }): void {
    this.watchersStmt.run({ revision: n.revisionId, page: n.pageId, pair: n.pairId ?? n.pageId, owner: n.ownerId ?? 0, author: n.authorId });
    if (n.ownerId !== undefined && n.ownerId !== n.authorId) this.ownerStmt.run(n.ownerId, n.revisionId, n.pageId);
  }

  /** Tell one person of a revision (an appeal, to the admin who blocked its author). */
  tell(actorId: number, revisionId: number, pageId: number): void {
    this.tellStmt.run(actorId, revisionId, pageId);
  }

  /** Notifications above revision `seen`, counted up to `cap`. */
  unread(actorId: number, seen: number, cap: number): number {
    return this.unreadStmt.get(actorId, seen, cap)!.n;
  }

  /** The newest notifications below revision `beforeId` (on live pages), newest first. */
  list(actorId: number, o: { beforeId?: number; limit: number }): NotificationRow[] {
    return this.listStmt.all(actorId, o.beforeId ?? Number.MAX_SAFE_INTEGER, o.limit).map((r) => ({
      revisionId: r.revision_id, pageId: r.page_id, title: r.title, type: r.type, userId: r.user_id, userName: r.user_name, timestamp: r.timestamp,
    }));
  }

  /** The revision id of the person's newest notification; 0 when none. */
  newest(actorId: number): number {
    return this.newestStmt.get(actorId)!.id ?? 0;
  }

  /** Unread notifications of one page, counted up to 2 (whether this is the first since the person looked). */
  unreadOnPage(actorId: number, pageId: number, seen: number): number {
    return this.unreadOnPageStmt.get(actorId, pageId, seen)!.n;
  }

  /** Keep the person's newest `keep` notifications. */
  trim(actorId: number, keep = KEEP_NOTIFICATIONS): void {
    this.trimStmt.run({ actor: actorId, keep: keep - 1 });
  }

  /** Who wants mail about a change to `pageId` by `authorId`: its watchers (and `pairId`'s, as add), and its owner, with email notifications on. */
  mailRecipients(pageId: number, authorId: number, ownerId: number | undefined, pairId?: number): MailRecipient[] {
    const found = this.mailStmt.all({ page: pageId, pair: pairId ?? pageId, author: authorId });
    if (ownerId !== undefined && ownerId !== authorId && !found.some((r) => r.id === ownerId)) {
      const owner = this.mailOwnerStmt.get(ownerId);
      if (owner) found.push(owner);
    }
    return found;
  }
}
