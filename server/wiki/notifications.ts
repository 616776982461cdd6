/**
 * Notifications (SPEC section 11): who is told of a save, the "You have new messages" bar, the
 * notifications list with its unread count, and mail about them. The rows are written in the
 * save's own transaction (one statement over the watchlist_page index), so a save is never
 * without its notifications and nothing is told of a save that rolled back.
 */
import type { Stores } from '../db/stores.js';
import type { NotificationRow } from '../db/notifications.js';
import { pairOf } from './pairs.js';
import { normalUserName, wikiPath, type Title } from './title.js';
import type { Actor } from './types.js';

/** The header counts unread notifications up to this, then says "99+". */
export const UNREAD_CAP = 100;

/** The account whose user talk page `title` is (not a subpage: User talk:Ann/Archive tells nobody). */
export function talkOwner(stores: Stores, title: Title): Actor | undefined {
  if (title.namespace !== 'User talk' || title.name.includes('/')) return undefined;
  const owner = stores.actors.byName(normalUserName(title.name));
  return owner && owner.kind !== 'system' ? owner : undefined;
}

/**
 * In the save's transaction: notify everyone watching the page but `actor`, and the owner of a
 * user talk page (their new-messages bar); with "watch pages I edit" on, `actor` watches the page
 * and its talk page (or subject page) from now on.
 */
export function noteSave(stores: Stores, s: { revisionId: number; pageId: number; title: Title; actor: Actor; created: boolean; now: string }): void {
  const owner = talkOwner(stores, s.title);
  const watches = s.actor.kind === 'user' && stores.actors.preferences(s.actor.id).watchEdited;
  // The other page of the pair matters for a page just made (its watchers hear of it) and for watching both.
  const pairTitle = s.created || watches ? pairOf(s.title) : undefined;
  const pair = pairTitle ? stores.pages.byTitle(pairTitle) : undefined;
  stores.notifications.add({ revisionId: s.revisionId, pageId: s.pageId, authorId: s.actor.id, ownerId: owner?.id, pairId: s.created ? pair?.id : undefined });
  if (owner && owner.id !== s.actor.id) stores.actors.markTalkUnread(owner.id, s.revisionId);
  // A blocked person writing on their own talk page is appealing: the admin who blocked them hears of it.
  const block = owner && owner.id === s.actor.id ? stores.blocks.activeFor(owner.id, undefined, s.now) : undefined;
  if (block && block.byActor !== owner!.id) stores.notifications.tell(block.byActor, s.revisionId, s.pageId);
  if (watches) {
    stores.watchlist.add(s.actor.id, s.pageId, s.now);
    if (pair) stores.watchlist.add(s.actor.id, pair.id, s.now);
  }
}

/** What a page's header tells a signed-in (or temporary) account. */
export interface Alerts {
  /** Set while the account's user talk page has changes by others it has not seen. */
  newMessages?: { talk: Title; fromRevision: number; diff: { newer: number; older: number | null } };
  /** Unread notifications, up to UNREAD_CAP (registered accounts only). */
  unread: number;
}

/** The account's alerts; cheap: one row of the account and an index count. */
export function alertsOf(stores: Stores, actor: Actor, talk: Title): Alerts {
  const unseen = stores.actors.unseen(actor.id);
  const unread = actor.kind === 'user' ? stores.notifications.unread(actor.id, unseen.notificationsSeen, UNREAD_CAP) : 0;
  if (unseen.talkUnread === null) return { unread };
  // The diff from before the first unseen change to the page as it is now.
  const first = stores.revisions.byId(unseen.talkUnread);
  const page = stores.pages.byTitle(talk);
  if (!first || !page) return { unread };
  return { unread, newMessages: { talk, fromRevision: unseen.talkUnread, diff: { newer: page.latestId, older: first.parentId } } };
}

/** The account viewed `title`: when it is their own user talk page, the new-messages bar goes. True when it was showing. */
export function sawPage(stores: Stores, actor: Actor, title: Title): boolean {
  if (title.namespace !== 'User talk' || title.text !== `User talk:${actor.name}`) return false;
  return stores.actors.unseen(actor.id).talkUnread !== null && stores.transaction(() => stores.actors.markTalkRead(actor.id));
}

export interface NotificationItem extends NotificationRow {
  read: boolean;
}

export interface NotificationList {
  items: NotificationItem[];
  unread: number;
  /** The cursor of the next (older) page, when there is one. */
  olderThan?: number;
}

/** The account's notifications, newest first, below revision `beforeId`; reading changes nothing. */
export function notificationsOf(stores: Stores, actor: Actor, o: { beforeId?: number; limit: number }): NotificationList {
  return stores.read(() => {
    const seen = stores.actors.unseen(actor.id).notificationsSeen;
    const rows = stores.notifications.list(actor.id, { beforeId: o.beforeId, limit: o.limit + 1 });
    return {
      items: rows.slice(0, o.limit).map((r) => ({ ...r, read: r.revisionId <= seen })),
      unread: stores.notifications.unread(actor.id, seen, UNREAD_CAP),
      olderThan: rows.length > o.limit ? rows[o.limit - 1]!.revisionId : undefined,
    };
  });
}

/** The account looked at its notifications: all up to now are read; only the newest few hundred are kept. */
export function markNotificationsRead(stores: Stores, actor: Actor): void {
  const newest = stores.notifications.newest(actor.id);
  // Looking again with nothing new writes nothing.
  if (newest <= stores.actors.unseen(actor.id).notificationsSeen) return;
  stores.transaction(() => {
    stores.actors.markNotificationsSeen(actor.id, newest);
    stores.notifications.trim(actor.id);
  });
}

/** The part of the wiki's mail the notifications need (server/mail.ts). */
export interface NotificationMail {
  readonly enabled: boolean;
  send(message: { to: string; subject: string; text: string }): void;
}

/**
 * Mail people who asked for it (a verified address and notifications by email on) about saves to
 * pages they watch and to their user talk page: one mail per page until they look at their
 * notifications, as MediaWiki's enotif does, so a busy page does not flood anyone. From the change
 * feed, after the commit; subscribed once at start-up when the wiki sends mail.
 */
export function mailNotifications(stores: Stores, mail: NotificationMail, publicUrl: string): void {
  if (!mail.enabled) return;
  stores.feed.subscribe((event) => {
    if (event.type !== 'save') return;
    const owner = talkOwner(stores, event.title);
    const pairTitle = event.created ? pairOf(event.title) : undefined;
    const pair = pairTitle ? stores.pages.byTitle(pairTitle) : undefined;
    const recipients = stores.notifications.mailRecipients(event.pageId, event.actorId, owner?.id, pair?.id);
    if (recipients.length === 0) return;
    const author = stores.actors.byId(event.actorId)?.name ?? 'someone';
    const link = `${publicUrl}${wikiPath(event.title)}?diff=${event.revisionId}${event.parentId ? `&oldid=${event.parentId}` : ''}`;
    for (const r of recipients) {
      if (stores.notifications.unreadOnPage(r.id, event.pageId, r.seen) > 1) continue;
      const yours = r.id === owner?.id;
      mail.send({
        to: r.email,
        subject: yours ? `${author} wrote on your talk page on Peerwiki` : `${event.title.text} was ${event.created ? 'created' : 'changed'} by ${author} on Peerwiki`,
        text: [
          `Hello ${r.name},`,
          '',
          yours ? `${author} wrote on your talk page, ${event.title.text}.` : `${author} ${event.created ? 'created' : 'changed'} ${event.title.text}, a page you watch.`,
          `See the change: ${link}`,
          '',
          'You will get no more mail about this page until you look at your notifications:',
          `${publicUrl}/special/notifications`,
          '',
          `To stop these messages, turn off notifications by email in your preferences: ${publicUrl}/special/preferences`,
        ].join('\n'),
      });
    }
  });
}
