/** ?action=protect|delete|undelete|move: the admin forms (GET) and acts (POST) on one page. */
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { flag, text } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { deletePage, movePage, protectPage, undeletePage } from '../../wiki/admin.js';
import { parseExpiry } from '../../wiki/expiry.js';
import { requireRight } from '../../wiki/guard.js';
import { NotFoundError, WikiError } from '../../wiki/errors.js';
import { readLatest } from '../../wiki/pages.js';
import { parseTitle, wikiPath, type Title } from '../../wiki/title.js';
import type { Right } from '../../wiki/rights.js';
import { deleteForm, moveForm, protectForm, undeleteForm } from '../../../views/page/admin.js';
import { parseLevel } from './api/admin.js';
import type { Html } from '../../../views/html.js';

export function adminHandlers({ stores, config, limits }: RouteDeps) {
  const allow = (req: Request, right: Right, title: Title) => {
    requireRight(stores, config.anonEdits, { actor: req.actor, ip: req.ip }, right, title);
    return req.actor!;
  };
  const page = (title: Title) => {
    const read = readLatest(stores, title);
    if (!read) throw new NotFoundError(`There is no page "${title.text}".`);
    return read.page;
  };
  const now = () => new Date().toISOString();

  /** Run an act; on a refusal the user can fix (bad expiry, taken title), show the form again. */
  const act = (res: Response, run: () => string, again: (error: string) => Html) => {
    try {
      res.redirect(303, run());
    } catch (e) {
      if (!(e instanceof WikiError) || e.status === 401 || e.status === 403) throw e;
      sendHtml(res, again(e.message), e.status);
    }
  };

  return {
    protectForm(req: Request, res: Response, title: Title) {
      allow(req, 'protect', title);
      sendHtml(res, protectForm(pageContext(req), title, stores.protection.get(page(title).id, now())));
    },
    protect(req: Request, res: Response, title: Title) {
      const by = allow(req, 'protect', title);
      const body = req.body as Record<string, unknown>;
      act(res, () => {
        protectPage(stores, by, title, parseLevel(body.level), parseExpiry(body.expiry), text('reason', body.reason));
        return wikiPath(title);
      }, (error) => protectForm(pageContext(req), title, stores.protection.get(page(title).id, now()), error));
    },
    deleteForm(req: Request, res: Response, title: Title) {
      allow(req, 'delete', title);
      sendHtml(res, deleteForm(pageContext(req), title, stores.revisions.count(page(title).id)));
    },
    delete(req: Request, res: Response, title: Title) {
      const by = allow(req, 'delete', title);
      deletePage(stores, by, title, text('reason', (req.body as Record<string, unknown>).reason));
      res.redirect(303, wikiPath(title));
    },
    undeleteForm(req: Request, res: Response, title: Title) {
      allow(req, 'undelete', title);
      const d = stores.deletions.latest(title.text);
      if (!d) throw new NotFoundError(`Nothing deleted is kept under "${title.text}".`);
      sendHtml(res, undeleteForm(pageContext(req), title, d.deletedAt, d.reason));
    },
    undelete(req: Request, res: Response, title: Title) {
      const by = allow(req, 'undelete', title);
      act(res, () => {
        undeletePage(stores, by, title, text('reason', (req.body as Record<string, unknown>).reason));
        return wikiPath(title);
      }, (error) => undeleteForm(pageContext(req), title, stores.deletions.latest(title.text)?.deletedAt ?? '', '', error));
    },
    moveForm(req: Request, res: Response, title: Title) {
      allow(req, 'move', title);
      page(title);
      sendHtml(res, moveForm(pageContext(req), title));
    },
    move(req: Request, res: Response, title: Title) {
      const by = allow(req, 'move', title);
      const body = req.body as Record<string, unknown>;
      const toRaw = text('to', body.to);
      act(res, () => {
        const to = parseTitle(toRaw);
        requireRight(stores, config.anonEdits, { actor: by, ip: req.ip }, 'edit', to);
        // A move leaves a redirect unless asked not to (SPEC section 6: the form sends only to and reason).
        limits.save(by, req.ip);
        const moved = movePage(stores, by, title, to, text('reason', body.reason), !flag(body.no_redirect));
        return wikiPath(moved.title);
      }, (error) => moveForm(pageContext(req), title, error, toRaw));
    },
  };
}
