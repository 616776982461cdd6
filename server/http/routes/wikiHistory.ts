/** History (?action=history) and comparing revisions (?diff=B&oldid=A) in the browser. */
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { historyFilter, limit, optionalId, positiveId, queryValue } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { notModified } from '../freshness.js';
import { requirePage } from '../../wiki/pages.js';
import { compareRevisions } from '../../wiki/compare.js';
import { InvalidInputError, NotFoundError } from '../../wiki/errors.js';
import type { Title } from '../../wiki/title.js';
import { historyPage } from '../../../views/page/history.js';
import { comparePage } from '../../../views/page/compare.js';
import { DIFF_VERSION } from '../../wiki/diff.js';
import { BLAME_VERSION, blame } from '../../wiki/blame.js';
import { blamePage } from '../../../views/page/blame.js';

export function historyHandlers({ stores, workers }: RouteDeps) {

  function list(req: Request, res: Response, title: Title): void {
    const page = requirePage(stores, title);
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const olderThan = optionalId('older_than', queryValue(req.query, 'older_than'));
    const offsetParam = queryValue(req.query, 'offset');
    const filter = historyFilter(queryValue(req.query, 'filter'));
    let beforeId = olderThan;
    if (beforeId === undefined && offsetParam !== undefined && offsetParam !== '0') {
      // offset=N skips the N newest revisions: find the id to continue below.
      const skip = positiveId('offset', offsetParam);
      if (skip > 10_000) throw new InvalidInputError('offset may be at most 10000; use the "Older" links (older_than) to go further back.');
      const skipped = stores.revisions.history(page.id, { limit: skip, filter });
      beforeId = skipped.length ? skipped[skipped.length - 1]!.id : 1;
    }
    // Every change to the page's history (an edit, a revert tagging older rows, a move) changes its latest revision or stamp.
    const latest = stores.revisions.byId(page.latestId)!;
    // Only ?action=history itself is purged on change (SPEC section 9): later pages, other sizes and filters are lists.
    const kind = Object.keys(req.query).length === 1 ? 'page' : 'list';
    if (notModified(req, res, { facts: `h${page.id}-l${page.latestId}-t${page.touched}`, modified: latest.timestamp, kind })) return;
    const rows = stores.revisions.history(page.id, { beforeId, limit: size + 1, filter });
    const shown = rows.slice(0, size);
    sendHtml(res, historyPage(pageContext(req), {
      title: page.title,
      revisions: shown,
      latestId: page.latestId,
      olderThan: rows.length > size ? shown[shown.length - 1]!.id : undefined,
      hasNewer: beforeId !== undefined,
      limit: size,
      filter,
    }));
  }

  /** ?diff=B|cur|prev|next&oldid=A */
  async function diff(req: Request, res: Response, title: Title): Promise<void> {
    const page = requirePage(stores, title);
    const diffParam = queryValue(req.query, 'diff') ?? '';
    const oldid = optionalId('oldid', queryValue(req.query, 'oldid'));
    const view = queryValue(req.query, 'view') === 'inline' ? 'inline' : 'side';
    let fromId: number | undefined = oldid;
    let toId: number;
    if (diffParam === 'cur' || diffParam === '') toId = page.latestId;
    else if (diffParam === 'prev' || diffParam === 'next') {
      if (oldid === undefined) throw new InvalidInputError(`diff=${diffParam} needs oldid, the revision to start from.`);
      const other = diffParam === 'prev' ? stores.revisions.previousId(page.id, oldid) : stores.revisions.nextId(page.id, oldid);
      [fromId, toId] = diffParam === 'prev' ? [other, oldid] : [oldid, other ?? oldid];
    } else toId = positiveId('diff', diffParam);
    if (fromId !== undefined && fromId > toId) [fromId, toId] = [toId, fromId];
    // A revision of another page is a mistake in the request (400), unlike one that does not exist (404).
    for (const id of [fromId, toId]) {
      if (id === undefined) continue;
      const r = stores.revisions.byId(id);
      if (!r) throw new NotFoundError(`Revision ${id} does not exist.`);
      if (r.pageId !== page.id) throw new InvalidInputError(`Revision ${id} is not a revision of "${page.title.text}".`);
    }
    // A diff of two fixed revisions keeps; one against "cur", "prev" or "next" moves with every edit and is not purged.
    const fixed = /^\d+$/.test(diffParam) && oldid !== undefined;
    if (notModified(req, res, { facts: `d${DIFF_VERSION}-${fromId ?? 0}-${toId}-${view}-l${page.latestId}-t${page.touched}`, kind: fixed ? 'page' : 'list' })) return;
    const c = await compareRevisions(stores, workers, fromId === toId ? undefined : fromId, toId);
    const older = c.older;
    sendHtml(res, comparePage(pageContext(req), {
      title: page.title,
      older,
      newer: c.newer,
      comparison: c.comparison,
      view,
      olderEditId: older ? stores.revisions.previousId(page.id, older.id) : undefined,
      newerEditId: stores.revisions.nextId(page.id, c.newer.id),
      latestId: page.latestId,
    }));
  }

  /** ?action=blame */
  async function blameView(req: Request, res: Response, title: Title): Promise<void> {
    const page = requirePage(stores, title);
    const rev = stores.revisions.byId(page.latestId)!;
    if (notModified(req, res, { facts: `b${BLAME_VERSION}-${rev.id}`, modified: rev.timestamp, kind: 'page' })) return;
    const lines = stores.content.get(rev.contentId).split('\n');
    sendHtml(res, blamePage(pageContext(req), page.title, rev.id, lines, await blame(stores, rev, workers)));
  }

  return { list, diff, blame: blameView };
}
