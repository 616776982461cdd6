/** /api/v1/revision: one revision, and comparing two. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { positiveId } from '../../input.js';
import { compareJson, revisionJson } from '../../present.js';
import { compareRevisions } from '../../../wiki/compare.js';
import { NotFoundError } from '../../../wiki/errors.js';

export function revisionApi({ stores, workers }: RouteDeps): Router {
  const r = express.Router();

  r.get('/revision/:id', (req, res) => {
    const id = positiveId('revision id', req.params.id);
    const rev = stores.revisions.byId(id);
    if (!rev) throw new NotFoundError(`Revision ${id} does not exist.`);
    const page = stores.pages.byId(rev.pageId);
    if (!page) throw new NotFoundError(`Revision ${id} does not exist.`);
    res.json(revisionJson(rev, page, stores.content.get(rev.contentId), req.can));
  });

  r.get('/revision/:from/compare/:to', async (req, res) => {
    const from = positiveId('from', req.params.from);
    const to = positiveId('to', req.params.to);
    const c = await compareRevisions(stores, workers, from, to, 3);
    res.json(compareJson(from, to, c.comparison));
  });

  return r;
}
