/** Watching pages: only registered accounts may keep a watchlist; the list shows changes to watched pages. */
import type { Stores } from '../db/stores.js';
import { NotFoundError, WikiError } from './errors.js';
import type { Title } from './title.js';
import { pairOf } from './pairs.js';
import type { Actor, Page, Revision } from './types.js';

/** Whether this account may keep a watchlist (a registered account, not a temporary one). */
export function canWatch(actor: Actor | undefined): actor is Actor {
  return actor?.kind === 'user';
}

/** @throws WikiError unauthorized for anyone but a logged-in registered account. */
export function requireWatcher(actor: Actor | undefined): Actor {
  if (!canWatch(actor)) {
    throw new WikiError('unauthorized', 'Log in with a registered account to keep a watchlist; temporary accounts have none.');
  }
  return actor;
}

/**
 * Watch (or, with `watched` false, unwatch) a page and, as MediaWiki does, its talk page (or the
 * page a talk page is about) with it. Doing it twice changes nothing more. A talk page that does
 * not exist yet is watched when it is made (watchPairsOnCreate).
 * @throws WikiError unauthorized (not a registered account), NotFoundError (no such page).
 */
export function setWatched(stores: Stores, actor: Actor | undefined, title: Title, watched: boolean): Page {
  const who = requireWatcher(actor);
  const page = stores.pages.byTitle(title);
  if (!page) throw new NotFoundError(`There is no page "${title.text}" to watch.`);
  const pairTitle = pairOf(page.title);
  const pair = pairTitle ? stores.pages.byTitle(pairTitle) : undefined;
  const now = new Date().toISOString();
  stores.transaction(() => {
    for (const p of pair ? [page, pair] : [page]) {
      if (watched) stores.watchlist.add(who.id, p.id, now);
      else stores.watchlist.remove(who.id, p.id);
    }
  });
  return page;
}

/**
 * When a page is made (or undeleted), everyone watching the other page of its pair watches it too:
 * a new talk page's first thread reaches those who watch the article. From the change feed, after
 * the commit; subscribed once at start-up.
 */
export function watchPairsOnCreate(stores: Stores): void {
  stores.feed.subscribe((event) => {
    if (!(event.type === 'save' && event.created) && event.type !== 'undelete') return;
    const page = stores.pages.byTitle(event.title);
    const pairTitle = pairOf(event.title);
    const pair = pairTitle ? stores.pages.byTitle(pairTitle) : undefined;
    if (page && pair) stores.transaction(() => stores.watchlist.copyWatchers(pair.id, page.id, event.timestamp));
  });
}

/** Whether the account watches the page; false for anyone who cannot watch. */
export function isWatched(stores: Stores, actor: Actor | undefined, pageId: number): boolean {
  return canWatch(actor) && stores.watchlist.has(actor.id, pageId);
}

export interface WatchlistChanges {
  rows: { revision: Revision; page: Page }[];
  /** The cursor of the next (older) page of changes, when there is one. */
  olderThan?: number;
  watching: number;
}

/** Changes to the account's watched pages, newest first, below revision `beforeId`. */
export function watchlistChanges(stores: Stores, actor: Actor, o: { beforeId?: number; limit: number }): WatchlistChanges {
  const ids = stores.watchlist.changes(actor.id, { beforeId: o.beforeId, limit: o.limit + 1 });
  const pages = new Map<number, Page | undefined>();
  const rows = ids.slice(0, o.limit).flatMap((id) => {
    const revision = stores.revisions.byId(id);
    if (!revision) return [];
    if (!pages.has(revision.pageId)) pages.set(revision.pageId, stores.pages.byId(revision.pageId));
    const page = pages.get(revision.pageId);
    return page ? [{ revision, page }] : [];
  });
  return {
    rows,
    olderThan: ids.length > o.limit ? ids[o.limit - 1] : undefined,
    watching: stores.watchlist.count(actor.id),
  };
}
