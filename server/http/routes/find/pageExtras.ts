/**
 * What the finding-knowledge features add to a page view: the watch star (for registered
 * accounts) and, on a Category: page, its members. Both depend on more than the page's revision,
 * so they add to the view's ETag.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Stores } from '../../../db/stores.js';
import { queryValue } from '../../input.js';
import { categoryMembers, titlePrefix, type CategoryMembers } from '../../../wiki/lists.js';
import { canWatch, isWatched } from '../../../wiki/watchlist.js';
import type { Title } from '../../../wiki/title.js';

export const CATEGORY_PAGE_SIZE = 200;

export interface PageExtras {
  /** Set when the viewer may watch the page. */
  watch?: { watched: boolean };
  /** Set on Category: pages. */
  members?: { list: CategoryMembers; limit: number };
  /** Facts to add to the view's ETag. */
  etag: string;
}

/** `pageId` is undefined for a page that does not exist (it cannot be watched, but a category can have members). */
export function pageExtras(stores: Stores, req: Request, title: Title, pageId: number | undefined): PageExtras {
  const watch = pageId !== undefined && canWatch(req.actor) ? { watched: isWatched(stores, req.actor, pageId) } : undefined;
  let members: PageExtras['members'];
  let etag = watch ? `-w${watch.watched ? 1 : 0}` : '';
  if (title.namespace === 'Category') {
    const from = titlePrefix((queryValue(req.query, 'pagefrom') ?? '').slice(0, 255));
    const list = categoryMembers(stores, title, from, CATEGORY_PAGE_SIZE);
    members = { list, limit: CATEGORY_PAGE_SIZE };
    const shown = [list.total, from, ...list.items.map((p) => `${p.id}:${p.title.text}:${p.isRedirect ? 1 : 0}`), list.next?.from ?? ''];
    etag += `-c${createHash('sha1').update(JSON.stringify(shown)).digest('base64url').slice(0, 16)}`;
  }
  return { watch, members, etag };
}
