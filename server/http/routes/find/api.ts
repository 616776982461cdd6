/** /api/v1/search/page, /api/v1/search/title and /api/v1/page/{T}/links/here. */
import express, { type Request, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { limit, offset, queryValue, text } from '../../input.js';
import { pageRefJson, searchHitJson } from '../../present.js';
import { searchPagesAsync, titlesStartingWith } from '../../../wiki/search.js';
import { pagesLinkingHere } from '../../../wiki/lists.js';
import { parseTitle } from '../../../wiki/title.js';

/** The required `q` of a search, cut to 300 characters (more words than that are never searched). */
function searchQuery(req: Request): string {
  return text('q', queryValue(req.query, 'q'), { required: true }).slice(0, 300);
}

export function findApiRoutes({ stores }: RouteDeps): Router {
  const r = express.Router();

  r.get('/search/page', async (req, res) => {
    const q = searchQuery(req);
    const size = limit(queryValue(req.query, 'limit'), 10, 100);
    const hits = await searchPagesAsync(stores, q, size, offset(queryValue(req.query, 'offset')));
    res.json({ pages: hits.map(searchHitJson) });
  });

  r.get('/search/title', (req, res) => {
    const q = searchQuery(req);
    const size = limit(queryValue(req.query, 'limit'), 10, 100);
    res.json({ pages: titlesStartingWith(stores, q, size).map(pageRefJson) });
  });

  // Express has already decoded the path parameter (%2F included): it is the title as typed.
  r.get('/page/:title/links/here', (req, res) => {
    const title = parseTitle(req.params.title!);
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    res.json({ pages: pagesLinkingHere(stores, title, size, offset(queryValue(req.query, 'offset'))).map(pageRefJson) });
  });

  return r;
}
