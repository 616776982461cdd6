/** /api/v1 admin acts: protect, delete, undelete, move, blocks, and the public log. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { flag, optionalFlag, jsonBody, limit, optionalId, parseLevel, parseLogType, positiveId, queryValue, text, titleFromParam } from '../../input.js';
import { blockJson, logJson, pageJson } from '../../present.js';
import { blockTarget, deletePage, movePage, protectPage, undeletePage, unblock } from '../../../wiki/admin.js';
import { parseExpiry } from '../../../wiki/expiry.js';
import { requireLatest } from '../../../wiki/pages.js';
import { parseTitle, type Title } from '../../../wiki/title.js';

export function adminApi({ stores, act }: RouteDeps): Router {
  const r = express.Router();
  const pageObject = (title: Title) => {
    const read = requireLatest(stores, title);
    return pageJson(read.page, read.revision, read.source);
  };

  r.post('/page/:title/protect', async (req, res) => {
    const title = titleFromParam(req.params.title!);
    req.can.require('protect', title);
    const body = jsonBody(req);
    await act(req, res, {}, ({ by }) => protectPage(stores, by, title, parseLevel(body.level), parseExpiry(body.expiry), text('reason', body.reason)));
    const json = pageObject(title);
    const p = stores.protection.get(json.id, new Date().toISOString());
    res.json({ ...json, protection: p ? { level: p.level, expiry: p.expiry ?? 'infinite' } : { level: 'none' } });
  });

  r.post('/page/:title/delete', async (req, res) => {
    const title = titleFromParam(req.params.title!);
    req.can.require('delete', title);
    const reason = text('reason', jsonBody(req).reason);
    await act(req, res, {}, ({ by }) => deletePage(stores, by, title, reason));
    res.json({ title: title.text, deleted: true });
  });

  r.post('/page/:title/undelete', async (req, res) => {
    const title = titleFromParam(req.params.title!);
    req.can.require('undelete', title);
    const reason = text('reason', jsonBody(req).reason);
    await act(req, res, {}, ({ by }) => undeletePage(stores, by, title, reason));
    res.json(pageObject(title));
  });

  r.post('/page/:title/move', async (req, res) => {
    const from = titleFromParam(req.params.title!);
    req.can.require('move', from);
    const body = jsonBody(req);
    const to = parseTitle(text('to', body.to, { required: true }));
    const leaveRedirect = body.leave_redirect === undefined ? true : flag(body.leave_redirect);
    const page = await act(req, res, { rights: ['edit'], page: to, save: true }, ({ by }) => movePage(stores, by, from, to, text('reason', body.reason), leaveRedirect));
    res.json(pageObject(page.title));
  });

  r.post('/blocks', async (req, res) => {
    req.can.require('block');
    const body = jsonBody(req);
    const options = {
      anonOnly: optionalFlag('anon_only', body.anon_only),
      autoblock: optionalFlag('autoblock', body.autoblock),
      allowUsertalk: optionalFlag('allow_usertalk', body.allow_usertalk),
    };
    const block = await act(req, res, {}, ({ by }) => blockTarget(stores, by, text('target', body.target, { required: true }), parseExpiry(body.expiry), text('reason', body.reason), options));
    res.status(201).json(blockJson(block));
  });

  r.get('/blocks', (req, res) => {
    req.can.require('block');
    res.json({ blocks: stores.blocks.active(new Date().toISOString(), limit(queryValue(req.query, 'limit'), 50, 500)).map(blockJson) });
  });

  r.delete('/blocks/:id', async (req, res) => {
    req.can.require('block');
    const id = positiveId('block id', req.params.id);
    await act(req, res, {}, ({ by }) => unblock(stores, by, id));
    res.status(204).end();
  });

  r.get('/log', (req, res) => {
    const entries = stores.log.list({
      type: parseLogType(queryValue(req.query, 'type')),
      beforeId: optionalId('older_than', queryValue(req.query, 'older_than')),
      limit: limit(queryValue(req.query, 'limit'), 50, 500),
    });
    res.json({ entries: entries.map(logJson) });
  });

  return r;
}
