/** Watching pages: the star's POST targets and /special/watchlist. */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { limit, optionalId, queryValue, titleFromSegments } from '../../input.js';
import { isHtmx, pageContext, sendHtml } from '../../views.js';
import { wikiPath } from '../../../wiki/title.js';
import { canWatch, setWatched, watchlistChanges } from '../../../wiki/watchlist.js';
import { watchStar } from '../../../../views/partials/watchStar.js';
import { watchlistLoginPrompt, watchlistPage } from '../../../../views/special/watchlist.js';

export function watchRoutes({ stores, act }: RouteDeps): Router {
  const r = express.Router();

  // Without htmx: 303 back to the page. With htmx: just the new star, swapped in place.
  const toggle = (watched: boolean) => async (req: Request, res: Response) => {
    const title = titleFromSegments(req.params.title);
    const page = await act(req, res, {}, ({ account }) => setWatched(stores, account, title, watched));
    res.set('Cache-Control', 'no-store');
    if (isHtmx(req)) return sendHtml(res, watchStar(page.title, watched, req.csrfToken));
    res.redirect(303, wikiPath(page.title));
  };
  r.post('/special/watch/*title', toggle(true));
  r.post('/special/unwatch/*title', toggle(false));

  r.get('/special/watchlist', (req, res) => {
    res.set('Cache-Control', 'private, no-store');
    if (!canWatch(req.actor)) return sendHtml(res, watchlistLoginPrompt(pageContext(req)), 401);
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const olderThan = optionalId('older_than', queryValue(req.query, 'older_than'));
    const changes = watchlistChanges(stores, req.actor, { beforeId: olderThan, limit: size });
    sendHtml(res, watchlistPage(pageContext(req), { ...changes, limit: size, olderThanShown: olderThan }));
  });

  return r;
}
