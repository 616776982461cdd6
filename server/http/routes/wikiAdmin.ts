/** ?action=protect|delete|undelete|move: the admin forms (GET) and acts (POST) on one page. */
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { flag, formBody, parseLevel, text } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { orForm } from '../act.js';
import { deletePage, movePage, protectPage, undeletePage } from '../../wiki/admin.js';
import { parseExpiry } from '../../wiki/expiry.js';
import { NotFoundError } from '../../wiki/errors.js';
import { requirePage } from '../../wiki/pages.js';
import { parseTitle, wikiPath, type Title } from '../../wiki/title.js';
import { deleteForm, moveForm, protectForm, undeleteForm } from '../../../views/page/admin.js';

export function adminHandlers({ stores, act }: RouteDeps) {
  const now = () => new Date().toISOString();
  const protection = (title: Title) => stores.protection.get(requirePage(stores, title).id, now());

  return {
    protectForm(req: Request, res: Response, title: Title) {
      req.can.require('protect', title);
      sendHtml(res, protectForm(pageContext(req), title, protection(title)));
    },
    protect(req: Request, res: Response, title: Title) {
      const body = formBody(req);
      // A refusal the user can fix (a bad expiry) shows the form again.
      return orForm(res, 'input', async () => {
        await act(req, res, { rights: ['protect'], page: title }, ({ by }) =>
          protectPage(stores, by, title, parseLevel(body.level), parseExpiry(body.expiry), text('reason', body.reason)));
        res.redirect(303, wikiPath(title));
      }, (e) => protectForm(pageContext(req), title, protection(title), e.message));
    },
    deleteForm(req: Request, res: Response, title: Title) {
      req.can.require('delete', title);
      sendHtml(res, deleteForm(pageContext(req), title, stores.revisions.count(requirePage(stores, title).id)));
    },
    async delete(req: Request, res: Response, title: Title) {
      await act(req, res, { rights: ['delete'], page: title }, ({ by }) => deletePage(stores, by, title, text('reason', formBody(req).reason)));
      res.redirect(303, wikiPath(title));
    },
    undeleteForm(req: Request, res: Response, title: Title) {
      req.can.require('undelete', title);
      const d = stores.deletions.latest(title.text);
      if (!d) throw new NotFoundError(`Nothing deleted is kept under "${title.text}".`);
      sendHtml(res, undeleteForm(pageContext(req), title, d.deletedAt, d.reason));
    },
    undelete(req: Request, res: Response, title: Title) {
      return orForm(res, 'input', async () => {
        await act(req, res, { rights: ['undelete'], page: title }, ({ by }) => undeletePage(stores, by, title, text('reason', formBody(req).reason)));
        res.redirect(303, wikiPath(title));
      }, (e) => undeleteForm(pageContext(req), title, stores.deletions.latest(title.text)?.deletedAt ?? '', '', e.message));
    },
    moveForm(req: Request, res: Response, title: Title) {
      req.can.require('move', title);
      requirePage(stores, title);
      sendHtml(res, moveForm(pageContext(req), title));
    },
    move(req: Request, res: Response, title: Title) {
      req.can.require('move', title);
      const body = formBody(req);
      const toRaw = text('to', body.to);
      return orForm(res, 'input', async () => {
        const to = parseTitle(toRaw);
        // A move leaves a redirect unless asked not to (SPEC section 6: the form sends only to and reason).
        const moved = await act(req, res, { rights: ['edit'], page: to, save: true }, ({ by }) =>
          movePage(stores, by, title, to, text('reason', body.reason), !flag(body.no_redirect)));
        res.redirect(303, wikiPath(moved.title));
      }, (e) => moveForm(pageContext(req), title, e.message, toRaw));
    },
  };
}
