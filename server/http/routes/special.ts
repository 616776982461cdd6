/** /special/*: search and the page lists. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { limit, offset, optionalId, queryValue, text } from '../input.js';
import { NotFoundError } from '../../wiki/errors.js';
import type { Page } from '../../wiki/types.js';
import { contributionsPage } from '../../../views/special/contributions.js';
import { pageContext, sendHtml } from '../views.js';
import { exactTitleMatch, searchPages, titlesStartingWith } from '../../wiki/search.js';
import { tryParseTitle, wikiPath } from '../../wiki/title.js';
import { searchPage, suggestions } from '../../../views/special/search.js';

export function specialRoutes({ stores }: RouteDeps): Router {
  const r = express.Router();

  r.get('/special/search', (req, res) => {
    const query = (queryValue(req.query, 'q') ?? '').slice(0, 300);
    const fulltext = queryValue(req.query, 'fulltext') !== undefined;
    if (query && !fulltext) {
      const page = exactTitleMatch(stores, query);
      if (page) return res.redirect(302, wikiPath(page.title));
    }
    const size = limit(queryValue(req.query, 'limit'), 20, 100);
    const from = offset(queryValue(req.query, 'offset'));
    const results = searchPages(stores, query, size + 1, from);
    const title = query ? tryParseTitle(query) : undefined;
    sendHtml(res, searchPage(pageContext(req), {
      query,
      results: results.slice(0, size),
      offset: from,
      limit: size,
      hasMore: results.length > size,
      createTitle: title && !stores.pages.byTitle(title) ? title.text : undefined,
    }));
  });

  r.get('/special/search/suggest', (req, res) => {
    const query = (queryValue(req.query, 'q') ?? '').slice(0, 255);
    sendHtml(res, suggestions(titlesStartingWith(stores, query, 8)));
  });

  r.get('/special/contributions/:user', (req, res) => {
    const name = text('user', req.params.user);
    const actor = stores.actors.byName(name.replace(/_/g, ' ')) ?? stores.actors.byName(name);
    if (!actor) throw new NotFoundError(`There is no account named "${name}".`);
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const olderThan = optionalId('older_than', queryValue(req.query, 'older_than'));
    const revisions = stores.revisions.byActor(actor.id, { beforeId: olderThan, limit: size + 1 });
    const pages = new Map<number, Page | undefined>();
    const rows = revisions.slice(0, size).map((revision) => {
      if (!pages.has(revision.pageId)) pages.set(revision.pageId, stores.pages.byId(revision.pageId));
      return { revision, page: pages.get(revision.pageId) };
    });
    sendHtml(res, contributionsPage(pageContext(req), {
      actor,
      rows,
      limit: size,
      olderThan: revisions.length > size ? rows[rows.length - 1]!.revision.id : undefined,
    }));
  });

  return r;
}
