/** /wiki/{Title}: parses the title and the action, then hands over to the read, edit or history handlers. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { titleFromPath, queryValue } from '../input.js';
import { NotFoundError, WikiError } from '../../wiki/errors.js';
import { specialTarget } from '../specialNames.js';
import { wikiPath, type Title } from '../../wiki/title.js';
import { viewHandlers } from './wikiRead.js';
import { editHandlers } from './wikiEdit.js';
import { historyHandlers } from './wikiHistory.js';
import { adminHandlers } from './wikiAdmin.js';
import { revertHandlers } from './wikiRevert.js';

/**
 * /wiki/Special:NAME: where MediaWiki's special page leads here (its path), or a 404 that lists
 * ours for a name this wiki has not; undefined for any other title.
 */
function specialPage(raw: string, req: Request): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  const found = specialTarget(decoded, req.actor, req.query as Record<string, unknown>);
  if (!found) return undefined;
  if ('to' in found) return found.to;
  throw new NotFoundError(`There is no special page "${found.unknown}" on this wiki. /special/special-pages lists every one.`);
}

export type WikiHandler = (req: Request, res: Response, title: Title) => void | Promise<void>;

export function wikiRoutes(deps: RouteDeps): RequestHandler {
  const read = viewHandlers(deps);
  const edit = editHandlers(deps);
  const history = historyHandlers(deps);
  const admin = adminHandlers(deps);
  const revert = revertHandlers(deps);
  const get: Record<string, WikiHandler> = {
    view: (req, res, t) => (req.query.diff !== undefined ? history.diff(req, res, t) : read.view(req, res, t)),
    raw: read.raw,
    info: read.info,
    edit: edit.form,
    history: history.list,
    blame: history.blame,
    protect: admin.protectForm,
    delete: admin.deleteForm,
    undelete: admin.undeleteForm,
    move: admin.moveForm,
    undo: revert.undoForm,
    revert: revert.revertForm,
    rollback: revert.rollbackForm,
  };
  const post: Record<string, WikiHandler> = {
    submit: edit.submit,
    preview: edit.preview,
    changes: edit.changes,
    protect: admin.protect,
    delete: admin.delete,
    undelete: admin.undelete,
    move: admin.move,
    undo: revert.undo,
    revert: revert.revert,
    rollback: revert.rollback,
  };
  return (req: Request, res: Response, next: NextFunction): void | Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return next();
    const raw = req.path.slice(1);
    if (raw === '') return res.redirect(302, '/wiki/Main_Page');
    const special = req.method === 'POST' ? undefined : specialPage(raw, req);
    if (special) return res.redirect(302, special);
    const title = titleFromPath(raw);
    if (req.method !== 'POST' && decodeURIComponent(raw) !== title.key) {
      // One URL per page, as MediaWiki does: /wiki/peer_networks → /wiki/Peer_networks.
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      return res.redirect(301, wikiPath(title) + query);
    }
    const action = queryValue(req.query, 'action') ?? (req.method === 'POST' ? 'submit' : 'view');
    const table = req.method === 'POST' ? post : get;
    const handler = Object.hasOwn(table, action) ? table[action] : undefined;
    if (!handler) {
      const other = req.method === 'POST' ? get : post;
      if (Object.hasOwn(other, action)) throw new WikiError('invalid_input', `The action "${action}" needs a ${req.method === 'POST' ? 'GET' : 'POST'} request.`);
      throw new WikiError('unknown_action', `Pages here have no "${action}" action. You can read "${title.text}", edit it, or see its history, who wrote which line (action=blame) or facts about it (action=info).${action === 'print' ? ' To print it, use your browser\'s Print: the page prints without the wiki\'s menus.' : ''}`);
    }
    return handler(req, res, title);
  };
}
