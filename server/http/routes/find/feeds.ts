/** Machine-read views: /sitemap.xml (and its files) and the Atom feed of a page's history. */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { limit, positiveId, queryValue, titleFromPath } from '../../input.js';
import { NotFoundError } from '../../../wiki/errors.js';
import { requireLatest } from '../../../wiki/pages.js';
import { sitemap, sitemapFile, type SitemapUrl } from '../../../wiki/sitemap.js';
import { wikiPath } from '../../../wiki/title.js';
import { SITEMAP_CONTENT_TYPE, sitemapIndex, urlSet } from '../../../../views/feeds/sitemap.js';
import { ATOM_CONTENT_TYPE } from '../../../../views/feeds/atom.js';
import { pageHistoryFeed } from '../../../../views/feeds/pageHistory.js';

export function feedRoutes({ stores, config }: RouteDeps, o: { sitemapPerFile?: number } = {}): Router {
  const r = express.Router();
  const base = config.publicUrl;
  const urls = (list: SitemapUrl[]) => urlSet(list.map((u) => ({ loc: base + wikiPath(u.title), lastmod: u.lastmod })));

  r.get('/sitemap.xml', (_req, res) => {
    const map = sitemap(stores, o.sitemapPerFile);
    res.type(SITEMAP_CONTENT_TYPE).set('Cache-Control', 'public, max-age=3600');
    if (map.kind === 'urls') return res.send(urls(map.urls));
    res.send(sitemapIndex(map.files.map((n) => ({ loc: `${base}/sitemap-${n}.xml` }))));
  });

  r.get('/sitemap-:n.xml', (req, res) => {
    const list = sitemapFile(stores, positiveId('sitemap file', req.params.n), o.sitemapPerFile);
    if (!list) throw new NotFoundError(`There is no sitemap file ${req.params.n}.`);
    res.type(SITEMAP_CONTENT_TYPE).set('Cache-Control', 'public, max-age=3600').send(urls(list));
  });

  // /wiki/{T}?action=history&format=atom; every other /wiki/ request goes on to the wiki routes.
  r.use('/wiki', (req: Request, res: Response, next: NextFunction) => {
    const isFeed = (req.method === 'GET' || req.method === 'HEAD') && req.query.action === 'history' && req.query.format === 'atom';
    if (!isFeed || req.path.length <= 1) return next();
    const title = titleFromPath(req.path.slice(1));
    const read = requireLatest(stores, title, ', so it has no history feed.');
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const revisions = stores.revisions.history(read.page.id, { limit: size });
    res.type(ATOM_CONTENT_TYPE).set('Cache-Control', 'public, max-age=300').send(pageHistoryFeed(base, read.page.title, revisions));
  });

  return r;
}
