/** /special/*: search and the page lists. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { flag, formBody, limit, optionalFlag, offset, optionalId, parseLogType, positiveId, queryValue, text } from '../input.js';
import { orForm } from '../act.js';
import { blockTarget, unblock } from '../../wiki/admin.js';
import { parseExpiry } from '../../wiki/expiry.js';
import { blockPage, logPage } from '../../../views/special/admin.js';
import { NotFoundError } from '../../wiki/errors.js';
import type { Page } from '../../wiki/types.js';
import { contributionsPage } from '../../../views/special/contributions.js';
import { changesFeed } from '../../../views/feeds/changes.js';
import { ATOM_CONTENT_TYPE } from '../../../views/feeds/atom.js';
import { pageContext, sendHtml } from '../views.js';
import { exactTitleMatch, queryWords, searchPagesAsync, titlesStartingWith } from '../../wiki/search.js';
import { normalUserName, tryParseTitle, wikiPath } from '../../wiki/title.js';
import { searchPage, suggestions } from '../../../views/special/search.js';
import { specialPagesPage } from '../../../views/special/specialPages.js';

export function specialRoutes({ stores, config, act }: RouteDeps): Router {
  const r = express.Router();

  r.get('/special/special-pages', (req, res) => {
    sendHtml(res, specialPagesPage(pageContext(req)));
  });

  r.get('/special/search', async (req, res) => {
    const query = (queryValue(req.query, 'q') ?? '').slice(0, 300);
    const fulltext = queryValue(req.query, 'fulltext') !== undefined;
    if (query && !fulltext) {
      const page = exactTitleMatch(stores, query);
      if (page) return res.redirect(302, wikiPath(page.title));
    }
    const size = limit(queryValue(req.query, 'limit'), 20, 100);
    const from = offset(queryValue(req.query, 'offset'));
    const results = await searchPagesAsync(stores, query, size + 1, from);
    const title = query ? tryParseTitle(query) : undefined;
    sendHtml(res, searchPage(pageContext(req), {
      query,
      results: results.slice(0, size),
      offset: from,
      limit: size,
      hasMore: results.length > size,
      leftOut: queryWords(query).leftOut,
      createTitle: title && !stores.pages.byTitle(title) ? title.text : undefined,
    }));
  });

  r.get('/special/search/suggest', (req, res) => {
    const query = (queryValue(req.query, 'q') ?? '').slice(0, 255);
    sendHtml(res, suggestions(titlesStartingWith(stores, query, 8)));
  });

  r.get('/special/contributions/:user', (req, res) => {
    const name = text('user', req.params.user);
    const actor = stores.actors.byName(normalUserName(name));
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

  const blocks = () => stores.blocks.active(new Date().toISOString(), 200);

  r.get('/special/block', (req, res) => {
    req.can.require('block');
    sendHtml(res, blockPage(pageContext(req), blocks(), undefined, queryValue(req.query, 'target') ?? ''));
  });

  r.post('/special/block', async (req, res) => {
    req.can.require('block');
    const body = formBody(req);
    const target = text('target', body.target);
    await orForm(res, 'input', async () => {
      // The form shows its three boxes ticked as the defaults are; an unticked box sends nothing,
      // so with the form's marker present a missing box is a no (the API leaves it to the default).
      const box = (name: string) => (body.options === '1' ? flag(body[name]) : optionalFlag(name, body[name]));
      const options = { anonOnly: box('anon_only'), autoblock: box('autoblock'), allowUsertalk: box('allow_usertalk') };
      await act(req, res, {}, ({ by }) => blockTarget(stores, by, target, parseExpiry(body.expiry), text('reason', body.reason), options));
      res.redirect(303, '/special/block');
    }, (e) => blockPage(pageContext(req), blocks(), e.message, target));
  });

  r.post('/special/block/:id/remove', async (req, res) => {
    req.can.require('block');
    const id = positiveId('block id', req.params.id);
    await act(req, res, {}, ({ by }) => unblock(stores, by, id));
    res.redirect(303, '/special/block');
  });

  return r;
}
