/** /api/v1 admin acts: protect, delete, undelete, move, blocks, and the public log. */
import express, { type Request, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { flag, jsonObject, limit, optionalId, positiveId, queryValue, text, titleFromParam } from '../../input.js';
import { blockJson, logJson, pageJson } from '../../present.js';
import { blockTarget, deletePage, movePage, protectPage, undeletePage, unblock } from '../../../wiki/admin.js';
import { parseExpiry } from '../../../wiki/expiry.js';
import { requireRight } from '../../../wiki/guard.js';
import { InvalidInputError } from '../../../wiki/errors.js';
import { readLatest } from '../../../wiki/pages.js';
import { parseTitle, type Title } from '../../../wiki/title.js';
import type { Right } from '../../../wiki/rights.js';
import type { LogType, ProtectionLevel } from '../../../db/admin.js';
import type { Actor } from '../../../wiki/types.js';

const LEVELS = new Set(['none', 'semi', 'full']);
const LOG_TYPES = new Set(['protect', 'block', 'delete', 'move', 'rollback', 'patrol']);

export function parseLevel(value: unknown): ProtectionLevel | 'none' {
  if (typeof value !== 'string' || !LEVELS.has(value)) throw new InvalidInputError('level must be "none", "semi" or "full".');
  return value as ProtectionLevel | 'none';
}

export function parseLogType(value: string | undefined): LogType | undefined {
  if (value === undefined || value === '') return undefined;
  if (!LOG_TYPES.has(value)) throw new InvalidInputError('type must be one of protect, block, delete, move, rollback, patrol.');
  return value as LogType;
}

export function adminApi({ stores, config, limits }: RouteDeps): Router {
  const r = express.Router();
  /** The acting account, once it has the right (on `title` when given). */
  const allowed = (req: Request, right: Right, title?: Title): Actor => {
    requireRight(stores, config.anonEdits, { actor: req.actor, ip: req.ip }, right, title);
    return req.actor!;
  };

  r.post('/page/:title/protect', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const by = allowed(req, 'protect', title);
    const body = jsonObject(req.body);
    protectPage(stores, by, title, parseLevel(body.level), parseExpiry(body.expiry), text('reason', body.reason));
    const read = readLatest(stores, title)!;
    const p = stores.protection.get(read.page.id, new Date().toISOString());
    res.json({ ...pageJson(read.page, read.revision, read.source), protection: p ? { level: p.level, expiry: p.expiry ?? 'infinite' } : { level: 'none' } });
  });

  r.post('/page/:title/delete', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const by = allowed(req, 'delete', title);
    deletePage(stores, by, title, text('reason', jsonObject(req.body ?? {}).reason));
    res.json({ title: title.text, deleted: true });
  });

  r.post('/page/:title/undelete', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const by = allowed(req, 'undelete', title);
    undeletePage(stores, by, title, text('reason', jsonObject(req.body ?? {}).reason));
    const read = readLatest(stores, title)!;
    res.json(pageJson(read.page, read.revision, read.source));
  });

  r.post('/page/:title/move', (req, res) => {
    const from = titleFromParam(req.params.title!);
    const by = allowed(req, 'move', from);
    const body = jsonObject(req.body);
    const to = parseTitle(text('to', body.to, { required: true }));
    requireRight(stores, config.anonEdits, { actor: by, ip: req.ip }, 'edit', to);
    limits.save(by, req.ip);
    const page = movePage(stores, by, from, to, text('reason', body.reason), body.leave_redirect === undefined ? true : flag(body.leave_redirect));
    const read = readLatest(stores, page.title)!;
    res.json(pageJson(read.page, read.revision, read.source));
  });

  r.post('/blocks', (req, res) => {
    const by = allowed(req, 'block');
    const body = jsonObject(req.body);
    const block = blockTarget(stores, by, text('target', body.target, { required: true }), parseExpiry(body.expiry), text('reason', body.reason));
    res.status(201).json(blockJson(block));
  });

  r.get('/blocks', (req, res) => {
    allowed(req, 'block');
    res.json({ blocks: stores.blocks.active(new Date().toISOString(), limit(queryValue(req.query, 'limit'), 50, 500)).map(blockJson) });
  });

  r.delete('/blocks/:id', (req, res) => {
    const by = allowed(req, 'block');
    unblock(stores, by, positiveId('block id', req.params.id));
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
