/** /api/v1/page: read, create and update pages; history; rendered HTML. */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { historyFilter, jsonBody, limit, optionalId, queryValue, text, titleFromParam, type Body } from '../../input.js';
import { blameJson, pageJson, revisionSummaryJson } from '../../present.js';
import { blame } from '../../../wiki/blame.js';
import { sendText } from '../../views.js';
import { renderedHtml, requireLatest } from '../../../wiki/pages.js';
import { saveFromApi } from './pageSave.js';
import { parseTitle, type Title } from '../../../wiki/title.js';

export function pageApi(deps: RouteDeps): Router {
  const { stores, config, workers } = deps;
  const r = express.Router();

  /** Create (`latest` absent) or update a page (pageSave.ts; the save lane before Express answers most updates). */
  async function save(req: Request, res: Response, title: Title, body: Body, mode: 'create' | 'update'): Promise<void> {
    const answer = await saveFromApi(deps, req, res, title, body, mode);
    res.status(answer.status).json(answer.json);
  }

  r.post('/page', (req, res) => {
    const body = jsonBody(req);
    const title = parseTitle(text('title', body.title, { required: true }));
    return save(req, res, title, body, 'create');
  });

  r.put('/page/:title', (req, res) => {
    return save(req, res, titleFromParam(req.params.title!), jsonBody(req), 'update');
  });

  r.get('/page/:title', (req, res) => {
    const read = requireLatest(stores, titleFromParam(req.params.title!));
    res.json(pageJson(read.page, read.revision, read.source));
  });

  r.get('/page/:title/html', async (req, res) => {
    const read = requireLatest(stores, titleFromParam(req.params.title!));
    sendText(res.type('html'), await renderedHtml(stores, workers, read, 'view', config.externalImages));
  });

  r.get('/page/:title/history', (req, res) => {
    const { page } = requireLatest(stores, titleFromParam(req.params.title!));
    const size = limit(queryValue(req.query, 'limit'), 20, 100);
    const olderThan = optionalId('older_than', queryValue(req.query, 'older_than'));
    const filter = historyFilter(queryValue(req.query, 'filter'));
    const rows = stores.revisions.history(page.id, { beforeId: olderThan, limit: size + 1, filter });
    const shown = rows.slice(0, size);
    const base = `/api/v1/page/${encodeURIComponent(page.title.key)}/history`;
    const more = rows.length > size ? `${base}?older_than=${shown[shown.length - 1]!.id}&limit=${size}${filter ? `&filter=${filter}` : ''}` : undefined;
    res.json({
      revisions: shown.map((rev) => revisionSummaryJson(rev, req.can)),
      latest: `${base}${filter ? `?filter=${filter}` : ''}`,
      ...(more ? { older: more } : {}),
    });
  });

  r.get('/page/:title/blame', async (req, res) => {
    const { page } = requireLatest(stores, titleFromParam(req.params.title!));
    const rev = stores.revisions.byId(page.latestId)!;
    res.json(blameJson(rev, await blame(stores, rev, workers)));
  });

  return r;
}
