/** Watching the wiki in the browser: recent changes (and its feed), the review queue, mass rollback. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { formBody, limit, offset, parseSince, positiveId, queryValue, text } from '../input.js';
import { isHtmx, pageContext, sendHtml } from '../views.js';
import { orForm } from '../act.js';
import { parseChangeFilter } from '../changeFilter.js';
import { recentChanges, type Change } from '../../wiki/changes.js';
import { massRollback, massTarget, planMassRollback } from '../../wiki/massRollback.js';
import { patrol } from '../../wiki/patrol.js';
import { changesPage } from '../../../views/special/changes.js';
import { reviewPage, reviewedItem } from '../../../views/special/review.js';
import { massRollbackPage } from '../../../views/special/massRollback.js';
import { changesFeed } from '../../../views/feeds/changes.js';
import { ATOM_CONTENT_TYPE } from '../../../views/feeds/atom.js';

export function reviewRoutes({ stores, config, act }: RouteDeps): Router {
  const r = express.Router();

  r.get('/special/recent-changes', (req, res) => {
    const q = { ...(req.query as Record<string, unknown>) };
    const atom = q.format === 'atom';
    delete q.format;
    const filter = parseChangeFilter(stores, q, { defaultLimit: 50, maxLimit: 500, can: req.can });
    const rows = recentChanges(stores, { ...filter, limit: filter.limit + 1 });
    const changes = rows.slice(0, filter.limit);
    if (atom) {
      const qs = new URLSearchParams(filter.query).toString();
      res.type(ATOM_CONTENT_TYPE).send(changesFeed(config.publicUrl, {
        title: 'Recent changes', changes,
        self: `/special/recent-changes?${qs ? `${qs}&` : ''}format=atom`, alternate: `/special/recent-changes${qs ? `?${qs}` : ''}`,
      }));
      return;
    }
    sendHtml(res, changesPage(pageContext(req), {
      changes, query: filter.query,
      olderThan: rows.length > filter.limit ? changes.at(-1)!.revision.id : undefined,
    }));
  });

  r.get('/special/review', (req, res) => {
    const size = limit(queryValue(req.query, 'limit'), 50, 200);
    const from = offset(queryValue(req.query, 'offset'));
    const ids = stores.review.queue(size + 1, from);
    const changes: Change[] = [];
    for (const id of ids.slice(0, size)) {
      const revision = stores.revisions.byId(id)!;
      const page = stores.pages.byId(revision.pageId);
      if (page) changes.push({ revision, page });
    }
    sendHtml(res, reviewPage(pageContext(req), changes, from, size, ids.length > size));
  });

  r.post('/special/review/:id/patrol', async (req, res) => {
    req.can.require('patrol');
    const id = positiveId('revision id', req.params.id);
    await act(req, res, { sameActor: true }, ({ by }) => patrol(stores, by, id));
    if (isHtmx(req)) {
      const revision = stores.revisions.byId(id)!;
      const page = stores.pages.byId(revision.pageId);
      if (page) return sendHtml(res, reviewedItem({ revision, page }));
    }
    res.redirect(303, '/special/review');
  });

  r.get('/special/mass-rollback', (req, res) => {
    req.can.require('rollback');
    const target = queryValue(req.query, 'target') ?? '';
    sendHtml(res, massRollbackPage(pageContext(req), { target, since: new Date(Date.now() - 86_400_000).toISOString().slice(0, 19) + 'Z', reason: '' }));
  });

  r.post('/special/mass-rollback', async (req, res) => {
    req.can.require('rollback');
    const body = formBody(req);
    const model = { target: text('target', body.target), since: text('since', body.since), reason: text('reason', body.reason) };
    await orForm(res, 'input', async () => {
      const target = massTarget(stores, model.target);
      const since = parseSince(model.since);
      const items = body.do === 'run'
        ? await act(req, res, {}, ({ by }) => massRollback(stores, by, target, since, model.reason))
        : planMassRollback(stores, target, since);
      sendHtml(res, massRollbackPage(pageContext(req), { ...model, items, done: body.do === 'run' }));
    }, (e) => massRollbackPage(pageContext(req), { ...model, error: e.message }));
  });

  return r;
}
