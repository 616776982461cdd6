/** /api/v1/page: read, create and update pages; history; rendered HTML. */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { flag, jsonObject, limit, optionalId, positiveId, queryValue, text, titleFromParam } from '../../input.js';
import { blameJson, pageJson, revisionSummaryJson } from '../../present.js';
import { blame } from '../../../wiki/blame.js';
import { setSessionCookie } from '../../middleware/session.js';
import { sendText } from '../../views.js';
import { readLatest, renderedHtml } from '../../../wiki/pages.js';
import { saveEditAsync, type SaveResult } from '../../../wiki/edit.js';
import { EditConflictError, InvalidInputError, NotFoundError } from '../../../wiki/errors.js';
import { requireRight } from '../../../wiki/guard.js';
import { parseTitle, type Title } from '../../../wiki/title.js';
import { historyFilter } from '../wikiHistory.js';

export function pageApi(deps: RouteDeps): Router {
  const { stores, config, tokens, limits, workers } = deps;
  const r = express.Router();

  function latestOrThrow(title: Title) {
    const read = readLatest(stores, title);
    if (!read) throw new NotFoundError(`There is no page "${title.text}".`);
    return read;
  }

  async function save(req: Request, res: Response, title: Title, body: Record<string, unknown>, mode: 'create' | 'update'): Promise<void> {
    requireRight(stores, config.anonEdits, { actor: req.actor, ip: req.ip }, 'edit', title);
    const latest = body.latest;
    let baseId: number | null = null;
    if (latest !== undefined && latest !== null) {
      if (typeof latest !== 'object' || Array.isArray(latest)) throw new InvalidInputError('latest must be an object like {"id": 123}.');
      baseId = positiveId('latest.id', (latest as Record<string, unknown>).id);
    }
    if (body.minor !== undefined && typeof body.minor !== 'boolean') throw new InvalidInputError('minor must be true or false.');
    let result: SaveResult;
    limits.save(req.actor, req.ip);
    try {
      result = await saveEditAsync(stores, workers, {
        title,
        source: text('source', body.source, { required: true }),
        comment: text('comment', body.comment),
        minor: flag(body.minor),
        baseId,
        actor: req.actor ?? 'temporary',
        ip: req.ip ?? null,
        mode,
      });
    } catch (e) {
      if (e instanceof EditConflictError) {
        res.status(409).json({
          error: { code: e.code, message: e.message },
          base: e.baseId,
          current: { id: e.current.id, source: e.current.source },
        });
        return;
      }
      throw e;
    }
    if (!req.actor && result.actor) setSessionCookie(res, req, tokens, result.actor, config.secureCookies);
    const json = pageJson(result.page, result.revision, result.text);
    res.status(result.created ? 201 : 200).json({
      ...json,
      ...(result.merged ? { merged: true } : {}),
      ...(result.status === 'nochange' ? { nochange: true } : {}),
    });
  }

  r.post('/page', (req, res) => {
    const body = jsonObject(req.body);
    const title = parseTitle(text('title', body.title, { required: true }));
    return save(req, res, title, { ...body, latest: undefined }, 'create');
  });

  r.put('/page/:title', (req, res) => {
    return save(req, res, titleFromParam(req.params.title!), jsonObject(req.body), 'update');
  });

  r.get('/page/:title', (req, res) => {
    const read = latestOrThrow(titleFromParam(req.params.title!));
    res.json(pageJson(read.page, read.revision, read.source));
  });

  r.get('/page/:title/html', async (req, res) => {
    const read = latestOrThrow(titleFromParam(req.params.title!));
    sendText(res.type('html'), await renderedHtml(stores, workers, read, 'view', config.externalImages));
  });

  r.get('/page/:title/history', (req, res) => {
    const { page } = latestOrThrow(titleFromParam(req.params.title!));
    const size = limit(queryValue(req.query, 'limit'), 20, 100);
    const olderThan = optionalId('older_than', queryValue(req.query, 'older_than'));
    const filter = historyFilter(queryValue(req.query, 'filter'));
    const rows = stores.revisions.history(page.id, { beforeId: olderThan, limit: size + 1, filter });
    const shown = rows.slice(0, size);
    const base = `/api/v1/page/${encodeURIComponent(page.title.key)}/history`;
    const more = rows.length > size ? `${base}?older_than=${shown[shown.length - 1]!.id}&limit=${size}${filter ? `&filter=${filter}` : ''}` : undefined;
    res.json({
      revisions: shown.map((rev) => revisionSummaryJson(rev, req.actor)),
      latest: `${base}${filter ? `?filter=${filter}` : ''}`,
      ...(more ? { older: more } : {}),
    });
  });

  r.get('/page/:title/blame', async (req, res) => {
    const { page } = latestOrThrow(titleFromParam(req.params.title!));
    const rev = stores.revisions.byId(page.latestId)!;
    res.json(blameJson(rev, await blame(stores, rev, workers)));
  });

  return r;
}
