/** /api/v1: revert, undo, rollback, recent changes, patrol and mass rollback (SPEC section 5). */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { jsonBody, parseSince, positiveId, text, titleFromParam } from '../../input.js';
import { changeJson, pageJson } from '../../present.js';
import { conflictAs409, type Acting } from '../../act.js';
import { parseChangeFilter } from '../../changeFilter.js';
import { restoreRevision, rollback, undoRevision } from '../../../wiki/revert.js';
import { recentChanges } from '../../../wiki/changes.js';
import { massRollback, massTarget, planMassRollback } from '../../../wiki/massRollback.js';
import { patrol } from '../../../wiki/patrol.js';
import type { SaveResult } from '../../../wiki/edit.js';
import type { Right } from '../../../wiki/rights.js';
import type { Title } from '../../../wiki/title.js';

const OVERLAP = 'Later edits overlap this one, so it cannot be undone automatically. Nothing was saved; edit the page by hand.';

export function reviewApi(deps: RouteDeps): Router {
  const { stores, workers, act } = deps;
  const r = express.Router();

  /** A save-like act with its rights and the save limit; the answer is the page object. */
  function saving(req: Request, res: Response, title: Title, rights: readonly Right[], run: (who: Acting) => Promise<SaveResult>): Promise<void> {
    return conflictAs409(res, async () => {
      const result = await act(req, res, { rights, page: title, save: true }, run);
      res.json({ ...pageJson(result.page, result.revision, result.text), ...(result.status === 'nochange' ? { nochange: true } : {}) });
    }, OVERLAP);
  }

  r.post('/page/:title/revert', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const body = jsonBody(req);
    const to = positiveId('to', body.to);
    return saving(req, res, title, ['edit'], ({ actor, ip }) => restoreRevision(stores, workers, { title, to, actor, ip, comment: text('comment', body.comment) }));
  });

  r.post('/page/:title/undo', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const body = jsonBody(req);
    const id = positiveId('revision', body.revision);
    return saving(req, res, title, ['edit'], ({ actor, ip }) => undoRevision(stores, workers, { title, id, actor, ip, comment: text('comment', body.comment) }));
  });

  r.post('/page/:title/rollback', (req, res) => {
    const title = titleFromParam(req.params.title!);
    const body = jsonBody(req);
    const from = body.from === undefined ? undefined : text('from', body.from);
    return saving(req, res, title, ['edit', 'rollback'], ({ by, ip }) => rollback(stores, workers, { title, from, actor: by, ip, comment: text('comment', body.comment) }));
  });

  r.get('/recent-changes', (req, res) => {
    const filter = parseChangeFilter(stores, req.query, { defaultLimit: 50, maxLimit: 500, can: req.can });
    res.json({ changes: recentChanges(stores, filter).map((c) => changeJson(c.revision, c.page, req.can)) });
  });

  r.post('/revision/:id/patrol', async (req, res) => {
    req.can.require('patrol');
    const id = positiveId('revision id', req.params.id);
    const changed = await act(req, res, {}, ({ by }) => patrol(stores, by, id));
    res.json({ revision: { id }, patrolled: true, changed });
  });

  r.post('/mass-rollback', async (req, res) => {
    req.can.require('rollback');
    const body = jsonBody(req);
    const target = massTarget(stores, text('target', body.target, { required: true }));
    const since = parseSince(body.since);
    const items = body.preview === true
      ? planMassRollback(stores, target, since)
      : await act(req, res, {}, ({ by }) => massRollback(stores, by, target, since, text('reason', body.reason)));
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
