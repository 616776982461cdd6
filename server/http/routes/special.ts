/** /special/*: search and the page lists. */
import express, { type Request, type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { limit, offset, optionalId, positiveId, queryValue, text } from '../input.js';
import { blockTarget, unblock } from '../../wiki/admin.js';
import { parseExpiry } from '../../wiki/expiry.js';
import { requireRight } from '../../wiki/guard.js';
import { parseLogType } from './api/admin.js';
import { blockPage, logPage } from '../../../views/special/admin.js';
import { NotFoundError, WikiError } from '../../wiki/errors.js';
import type { Page } from '../../wiki/types.js';
import { contributionsPage } from '../../../views/special/contributions.js';
import { changesFeed } from '../../../views/feeds/changes.js';
import { ATOM_CONTENT_TYPE } from '../../../views/feeds/atom.js';
import { pageContext, sendHtml } from '../views.js';
import { exactTitleMatch, searchPages, titlesStartingWith } from '../../wiki/search.js';
import { tryParseTitle, wikiPath } from '../../wiki/title.js';
import { searchPage, suggestions } from '../../../views/special/search.js';

export function specialRoutes({ stores, config }: RouteDeps): Router {
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
    if (queryValue(req.query, 'format') === 'atom') {
      const base = `/special/contributions/${encodeURIComponent(actor.name)}`;
      res.type(ATOM_CONTENT_TYPE).send(changesFeed(config.publicUrl, {
        title: `Contributions of ${actor.name}`, self: `${base}?format=atom`, alternate: base,
        changes: rows.filter((x) => x.page).map((x) => ({ revision: x.revision, page: x.page! })),
      }));
      return;
    }
    sendHtml(res, contributionsPage(pageContext(req), {
      actor,
      rows,
      limit: size,
      olderThan: revisions.length > size ? rows[rows.length - 1]!.revision.id : undefined,
    }));
  });

  r.get('/special/log', (req, res) => {
    const type = parseLogType(queryValue(req.query, 'type'));
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const entries = stores.log.list({ type, beforeId: optionalId('older_than', queryValue(req.query, 'older_than')), limit: size + 1 });
    const shown = entries.slice(0, size);
    sendHtml(res, logPage(pageContext(req), shown, type, entries.length > size ? shown[shown.length - 1]!.id : undefined));
  });

  const blockAdmin = (req: Request) => {
    requireRight(stores, config.anonEdits, { actor: req.actor, ip: req.ip }, 'block');
    return req.actor!;
  };

  r.get('/special/block', (req, res) => {
    blockAdmin(req);
    sendHtml(res, blockPage(pageContext(req), stores.blocks.active(new Date().toISOString(), 200), undefined, queryValue(req.query, 'target') ?? ''));
  });

  r.post('/special/block', (req, res) => {
    const by = blockAdmin(req);
    const body = req.body as Record<string, unknown>;
    const target = text('target', body.target);
    try {
      blockTarget(stores, by, target, parseExpiry(body.expiry), text('reason', body.reason));
      res.redirect(303, '/special/block');
    } catch (e) {
      if (!(e instanceof WikiError) || e.status === 403) throw e;
      sendHtml(res, blockPage(pageContext(req), stores.blocks.active(new Date().toISOString(), 200), e.message, target), e.status);
    }
  });

  r.post('/special/block/:id/remove', (req, res) => {
    const by = blockAdmin(req);
    unblock(stores, by, positiveId('block id', req.params.id));
    res.redirect(303, '/special/block');
  });

  return r;
}
