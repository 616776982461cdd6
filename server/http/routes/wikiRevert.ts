/** ?action=undo|revert|rollback in the browser: a confirmation page (GET), then the act (POST). */
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { positiveId, queryValue, text } from '../input.js';
import { isHtmx, pageContext, sendHtml } from '../views.js';
import { setSessionCookie } from '../middleware/session.js';
import { planRollback, planUndoAsync, restoreRevision, rollback, undoRevision } from '../../wiki/revert.js';
import { compareTextsOffThread } from '../../wiki/compare.js';
import { requireRight } from '../../wiki/guard.js';
import { EditConflictError, NotFoundError, RateLimitedError, WikiError } from '../../wiki/errors.js';
import { readLatest, readRevision } from '../../wiki/pages.js';
import { wikiPath, type Title } from '../../wiki/title.js';
import type { SaveResult } from '../../wiki/edit.js';
import { confirmPage, revisionLine } from '../../../views/page/revert.js';
import { html } from '../../../views/html.js';
import { requireSameActor } from '../sameActor.js';

export function revertHandlers({ stores, config, tokens, limits, workers }: RouteDeps) {
  const latestOf = (title: Title) => {
    const read = readLatest(stores, title);
    if (!read) throw new NotFoundError(`There is no page "${title.text}".`);
    return read;
  };
  const allow = (req: Request, title: Title, admin = false) => {
    requireRight(stores, config.anonEdits, { actor: req.actor, ip: req.ip }, 'edit', title);
    if (admin) requireRight(stores, config.anonEdits, { actor: req.actor, ip: req.ip }, 'rollback', title);
  };
  const revParam = (req: Request, name: string) => positiveId(name, queryValue(req.query, name));

  /** After the act: back to the page (htmx follows HX-Redirect instead of a 303). */
  const done = async (req: Request, res: Response, title: Title, run: () => Promise<SaveResult>) => {
    requireSameActor(req);
    limits.save(req.actor, req.ip);
    const result = await run();
    if (!req.actor && result.actor) setSessionCookie(res, req, tokens, result.actor, config.secureCookies);
    const to = wikiPath(result.page.title);
    if (isHtmx(req)) res.set('HX-Redirect', to).status(200).end();
    else res.redirect(303, to);
  };

  /** An undo that conflicts, or a refusal, shown as a page (never a half-done save). */
  const problem = (req: Request, res: Response, title: Title, e: unknown, heading: string) => {
    if (!(e instanceof WikiError) || e.status === 401 || e.status === 403 || e.code === 'bad_csrf') throw e;
    if (e instanceof RateLimitedError) res.set('Retry-After', String(e.retryAfter));
    if (isHtmx(req) && e instanceof RateLimitedError) {
      // Said in place of the link the reader clicked (htmx-config swaps 429s); nothing was done.
      res.set('HX-Reswap', 'outerHTML');
      sendHtml(res, html`<span class="action-note" role="alert">Not done: too many edits in a minute. Wait ${e.retryAfter} s, then try again.</span>`, 429);
      return;
    }
    const message = e instanceof EditConflictError ? 'Later edits changed the same lines, so this cannot be undone automatically. Nothing was saved.' : e.message;
    if (isHtmx(req) && e.code === 'edit_conflict' && !(e instanceof EditConflictError)) {
      // A rollback overtaken by a newer edit: its confirmation page now names the newer author.
      res.set('HX-Redirect', `${wikiPath(title)}?action=history`).status(200).end();
      return;
    }
    if (isHtmx(req)) {
      // htmx swaps nothing for error statuses: send the reader to the confirmation page, which says why.
      res.set('HX-Redirect', req.originalUrl).status(200).end();
      return;
    }
    sendHtml(res, confirmPage(pageContext(req), { title, heading, action: req.originalUrl, explanation: html``, problem: message, button: '', defaultSummary: '' }), e.status);
  };

  return {
    async undoForm(req: Request, res: Response, title: Title) {
      allow(req, title);
      const id = revParam(req, 'rev');
      const latest = latestOf(title);
      const undone = readRevision(stores, latest.page, id).revision;
      try {
        const plan = await planUndoAsync(stores, workers, title, id);
        sendHtml(res, confirmPage(pageContext(req), {
          title, heading: 'Undo', action: `${wikiPath(title)}?action=undo&rev=${id}`,
          explanation: html`<p>This removes the change made in ${revisionLine(undone)}, and keeps every edit made after it.</p>`,
          comparison: await compareTextsOffThread(workers, latest.source, plan.text, { context: 'all' }),
          button: 'Undo this change', defaultSummary: `Undid revision ${id} by ${undone.actor.name}`,
        }));
      } catch (e) {
        problem(req, res, title, e, 'Undo');
      }
    },
    async undo(req: Request, res: Response, title: Title) {
      allow(req, title);
      const id = revParam(req, 'rev');
      try {
        await done(req, res, title, () => undoRevision(stores, workers, { title, id, actor: req.actor ?? 'temporary', ip: req.ip, comment: text('summary', (req.body as Record<string, unknown>).summary) }));
      } catch (e) {
        problem(req, res, title, e, 'Undo');
      }
    },
    async revertForm(req: Request, res: Response, title: Title) {
      allow(req, title);
      const id = revParam(req, 'to');
      const latest = latestOf(title);
      const to = readRevision(stores, latest.page, id);
      sendHtml(res, confirmPage(pageContext(req), {
        title, heading: 'Restore an old version', action: `${wikiPath(title)}?action=revert&to=${id}`,
        explanation: html`<p>This makes ${revisionLine(to.revision)} the current version again, as a new revision. Nothing is lost: the versions in between stay in the history.</p>`,
        comparison: await compareTextsOffThread(workers, latest.source, to.source, { context: 'all' }),
        button: 'Restore this version', defaultSummary: `Restored revision ${id} by ${to.revision.actor.name}`,
      }));
    },
    async revert(req: Request, res: Response, title: Title) {
      allow(req, title);
      const to = revParam(req, 'to');
      try {
        await done(req, res, title, () => restoreRevision(stores, workers, { title, to, actor: req.actor ?? 'temporary', ip: req.ip, comment: text('summary', (req.body as Record<string, unknown>).summary) }));
      } catch (e) {
        problem(req, res, title, e, 'Restore an old version');
      }
    },
    async rollbackForm(req: Request, res: Response, title: Title) {
      allow(req, title, true);
      try {
        const plan = planRollback(stores, title);
        const latest = latestOf(title);
        sendHtml(res, confirmPage(pageContext(req), {
          title, heading: 'Roll back', action: `${wikiPath(title)}?action=rollback&from=${encodeURIComponent(plan.undone[0]!.actor.name)}`,
          explanation: html`<p>This reverts ${plan.undone.length} consecutive ${plan.undone.length === 1 ? 'edit' : 'edits'} by ${plan.undone[0]!.actor.name}, back to ${revisionLine(plan.to)}:</p>
            <ul>${plan.undone.map((r) => html`<li>${revisionLine(r)}</li>`)}</ul>`,
          comparison: await compareTextsOffThread(workers, latest.source, stores.content.get(plan.to.contentId), { context: 'all' }),
          button: 'Roll back', defaultSummary: '',
        }));
      } catch (e) {
        problem(req, res, title, e, 'Roll back');
      }
    },
    async rollback(req: Request, res: Response, title: Title) {
      allow(req, title, true);
      try {
        const from = queryValue(req.query, 'from');
        await done(req, res, title, () => rollback(stores, workers, { title, from, actor: req.actor!, ip: req.ip, comment: text('summary', (req.body as Record<string, unknown>).summary) }));
      } catch (e) {
        problem(req, res, title, e, 'Roll back');
      }
    },
  };
}
