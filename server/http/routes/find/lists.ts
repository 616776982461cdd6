/** /special/all-pages, random, wanted-pages, orphaned-pages, links-here/{T}, categories. */
import express, { type Request, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { limit, offset, queryValue, titleFromSegments } from '../../input.js';
import { pageContext, sendHtml } from '../../views.js';
import { NotFoundError } from '../../../wiki/errors.js';
import { parseTitle, wikiPath } from '../../../wiki/title.js';
import {
  allPages, categoryList, categoryName, orphanedPages, pagesLinkingHere, randomPage, titlePrefix, wantedPages,
} from '../../../wiki/lists.js';
import {
  allPagesView, categoriesView, linksHereForm, linksHerePath, linksHereView, orphanedPagesView, wantedPagesView,
} from '../../../../views/special/lists.js';

/** A short text query value ('' when absent), cut to a title's length. */
function shortText(req: Request, name: string): string {
  return (queryValue(req.query, name) ?? '').slice(0, 255);
}

export function listRoutes({ stores }: RouteDeps): Router {
  const r = express.Router();

  r.get('/special/all-pages', (req, res) => {
    const prefix = titlePrefix(shortText(req, 'prefix'));
    const from = titlePrefix(shortText(req, 'from'));
    const size = limit(queryValue(req.query, 'limit'), 100, 500);
    const list = allPages(stores, { prefix, from, offset: offset(queryValue(req.query, 'offset')), limit: size });
    sendHtml(res, allPagesView(pageContext(req), { prefix, from, limit: size, list }));
  });

  r.get('/special/random', (_req, res) => {
    const title = randomPage(stores);
    if (!title) throw new NotFoundError('The wiki has no pages yet, so there is none to pick.');
    res.set('Cache-Control', 'no-store').redirect(302, wikiPath(title));
  });

  r.get('/special/wanted-pages', (req, res) => {
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const from = offset(queryValue(req.query, 'offset'));
    const rows = wantedPages(stores, size + 1, from);
    sendHtml(res, wantedPagesView(pageContext(req), { rows: rows.slice(0, size), offset: from, limit: size, hasMore: rows.length > size }));
  });

  r.get('/special/orphaned-pages', (req, res) => {
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const from = offset(queryValue(req.query, 'offset'));
    const rows = orphanedPages(stores, size + 1, from);
    sendHtml(res, orphanedPagesView(pageContext(req), { rows: rows.slice(0, size), offset: from, limit: size, hasMore: rows.length > size }));
  });

  r.get('/special/links-here', (req, res) => {
    const target = shortText(req, 'target');
    if (target.trim() === '') return sendHtml(res, linksHereForm(pageContext(req)));
    res.redirect(302, linksHerePath(parseTitle(target)));
  });

  r.get('/special/links-here/*title', (req, res) => {
    const title = titleFromSegments(req.params.title);
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const from = offset(queryValue(req.query, 'offset'));
    const rows = pagesLinkingHere(stores, title, size + 1, from);
    sendHtml(res, linksHereView(pageContext(req), {
      title,
      exists: stores.pages.byTitle(title) !== undefined,
      rows: rows.slice(0, size),
      offset: from,
      limit: size,
      hasMore: rows.length > size,
    }));
  });

  r.get('/special/categories', (req, res) => {
    const from = categoryName(shortText(req, 'from'));
    const size = limit(queryValue(req.query, 'limit'), 100, 500);
    sendHtml(res, categoriesView(pageContext(req), { from, limit: size, list: categoryList(stores, from, size) }));
  });

  return r;
}
