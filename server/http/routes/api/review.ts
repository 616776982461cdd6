/** /api/v1: revert, undo, rollback, recent changes, patrol and mass rollback (SPEC section 5). */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { jsonObject, positiveId, text, titleFromParam } from '../../input.js';
import { changeJson, pageJson } from '../../present.js';
import { parseChangeFilter } from '../../changeFilter.js';
import { setSessionCookie } from '../../middleware/session.js';
import { restoreRevision, rollback, undoRevision } from '../../../wiki/revert.js';
import { recentChanges } from '../../../wiki/changes.js';
import { massRollback, massTarget, planMassRollback } from '../../../wiki/massRollback.js';
import { patrol } from '../../../wiki/patrol.js';
import { requireRight } from '../../../wiki/guard.js';
import { EditConflictError, InvalidInputError } from '../../../wiki/errors.js';
import type { SaveResult } from '../../../wiki/edit.js';
import type { Title } from '../../../wiki/title.js';

export function reviewApi(deps: RouteDeps): Router {
  const { stores, config, tokens, limits, workers } = deps;
  const r = express.Router();
  const who = (req: Request) => ({ actor: req.actor, ip: req.ip });

  /** Rights and limits of a save-like act, then the act; the answer is the page object. */
  async function saving(req: Request, res: Response, title: Title, admin: boolean, run: () => Promise<SaveResult>): Promise<void> {
    requireRight(stores, config.anonEdits, who(req), 'edit', title);
    if (admin) requireRight(stores, config.anonEdits, who(req), 'rollback', title);
    limits.save(req.actor, req.ip);
    let result: SaveResult;
    try {
      result = await run();
    } catch (e) {
      if (!(e instanceof EditConflictError)) throw e;
      res.status(409).json({ error: { code: e.code, message: 'Later edits overlap this one, so it cannot be undone automatically. Nothing was saved; edit the page by hand.' }, current: e.current });
      return;
    }
    if (!req.actor && result.actor) setSessionCookie(res, req, tokens, result.actor, config.secureCookies);
    res.json({ ...pageJson(result.page, result.revision, result.text), ...(result.status === 'nochange' ? { nochange: true } : {}) });
  }

  r.post('/page/:title/revert', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const body = jsonObject(req.body);
    const to = positiveId('to', body.to);
    return saving(req, res, title, false, () => restoreRevision(stores, workers, { title, to, actor: req.actor ?? 'temporary', ip: req.ip, comment: text('comment', body.comment) }));
  });

  r.post('/page/:title/undo', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const body = jsonObject(req.body);
    const id = positiveId('revision', body.revision);
    return saving(req, res, title, false, () => undoRevision(stores, workers, { title, id, actor: req.actor ?? 'temporary', ip: req.ip, comment: text('comment', body.comment) }));
  });

  r.post('/page/:title/rollback', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const body = jsonObject(req.body ?? {});
    const from = body.from === undefined ? undefined : text('from', body.from);
    return saving(req, res, title, true, () => rollback(stores, workers, { title, from, actor: req.actor!, ip: req.ip, comment: text('comment', body.comment) }));
  });

  r.get('/recent-changes', (req, res) => {
    const filter = parseChangeFilter(stores, req.query as Record<string, unknown>, { defaultLimit: 50, maxLimit: 500 });
    res.json({ changes: recentChanges(stores, filter).map((c) => changeJson(c.revision, c.page, req.actor)) });
  });

  r.post('/revision/:id/patrol', (req, res) => {
    requireRight(stores, config.anonEdits, who(req), 'patrol');
    const id = positiveId('revision id', req.params.id);
    res.json({ revision: { id }, patrolled: true, changed: patrol(stores, req.actor!, id) });
  });

  r.post('/mass-rollback', (req, res) => {
    requireRight(stores, config.anonEdits, who(req), 'rollback');
    const body = jsonObject(req.body);
    const target = massTarget(stores, text('target', body.target, { required: true }));
    const since = parseSince(body.since);
    const items = body.preview === true ? planMassRollback(stores, target, since) : massRollback(stores, req.actor!, target, since, text('reason', body.reason));
    res.json({
      preview: body.preview === true,
      pages: items.map((i) => ({
        title: i.page.title.text,
        ...(i.to ? { to: { id: i.to.id }, undone: i.undone!.map((u) => u.id) } : { skipped: i.skipped }),
      })),
    });
  });

  return r;
}

/** An ISO 8601 time in the past. */
export function parseSince(value: unknown): string {
  const t = typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value) ? new Date(value) : undefined;
  if (!t || Number.isNaN(t.getTime())) throw new InvalidInputError('since must be an ISO 8601 time, like 2026-12-01T09:00:00Z.');
  return t.toISOString();
}
