/** ?action=undo|revert|rollback in the browser: a confirmation page (GET), then the act (POST). */
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { formBody, positiveId, queryValue, text } from '../input.js';
import { isHtmx, pageContext, sendHtml } from '../views.js';
import { orForm, type Acting } from '../act.js';
import { planRollback, planUndoAsync, restoreRevision, rollback, undoRevision } from '../../wiki/revert.js';
import { compareTextsOffThread } from '../../wiki/compare.js';
import { EditConflictError, RateLimitedError, WikiError } from '../../wiki/errors.js';
import { readRevision, requireLatest } from '../../wiki/pages.js';
import { wikiPath, type Title } from '../../wiki/title.js';
import type { SaveResult } from '../../wiki/edit.js';
import type { Right } from '../../wiki/rights.js';
import { confirmPage, revisionLine } from '../../../views/page/revert.js';
import { html, type Html } from '../../../views/html.js';

const EDIT: readonly Right[] = ['edit'];
const ROLLBACK: readonly Right[] = ['edit', 'rollback'];

export function revertHandlers({ stores, workers, act }: RouteDeps) {
  const revParam = (req: Request, name: string) => positiveId(name, queryValue(req.query, name));
  const summary = (req: Request) => text('summary', formBody(req).summary);

  /** Rights come first, before any parameter: a refusal is the error page. */
  const allow = (req: Request, title: Title, rights: readonly Right[]) => {
    for (const right of rights) req.can.require(right, title);
  };

  /** The confirmation page (GET) that `show` makes, or the problem that stopped it. */
  const confirm = (req: Request, res: Response, title: Title, heading: string, show: () => Promise<Html>) =>
    orForm(res, 'input', async () => sendHtml(res, await show()), (e) => problem(req, res, title, e, heading));

  /** The act (POST), then back to the page (htmx follows HX-Redirect instead of a 303). */
  const done = (req: Request, res: Response, title: Title, heading: string, run: (who: Acting) => Promise<SaveResult>) =>
    orForm(res, 'input', async () => {
      const result = await act(req, res, { sameActor: true, save: true }, run);
      const to = wikiPath(result.page.title);
      if (isHtmx(req)) res.set('HX-Redirect', to).status(200).end();
      else res.redirect(303, to);
    }, (e) => problem(req, res, title, e, heading));

  /** An undo that conflicts, or a refusal, shown as a page (never a half-done save); undefined when answered for htmx. */
  const problem = (req: Request, res: Response, title: Title, e: WikiError, heading: string): Html | undefined => {
    if (isHtmx(req) && e instanceof RateLimitedError) {
      // Said in place of the link the reader clicked (htmx-config swaps 429s); nothing was done.
      res.set('HX-Reswap', 'outerHTML');
      return html`<span class="action-note" role="alert">Not done: too many edits in a minute. Wait ${e.retryAfter} s, then try again.</span>`;
    }
    const message = e instanceof EditConflictError ? 'Later edits changed the same lines, so this cannot be undone automatically. Nothing was saved.' : e.message;
    if (isHtmx(req)) {
      // htmx swaps nothing for error statuses: send the reader to the confirmation page, which says
      // why; a rollback overtaken by a newer edit goes to the history, whose rollback link now names the newer author.
      const overtaken = e.code === 'edit_conflict' && !(e instanceof EditConflictError);
      res.set('HX-Redirect', overtaken ? `${wikiPath(title)}?action=history` : req.originalUrl).status(200).end();
      return undefined;
    }
    return confirmPage(pageContext(req), { title, heading, action: req.originalUrl, explanation: html``, problem: message, button: '', defaultSummary: '' });
  };

  return {
    async undoForm(req: Request, res: Response, title: Title) {
      allow(req, title, EDIT);
      const id = revParam(req, 'rev');
      const latest = requireLatest(stores, title);
      const undone = readRevision(stores, latest.page, id).revision;
      await confirm(req, res, title, 'Undo', async () => confirmPage(pageContext(req), {
        title, heading: 'Undo', action: `${wikiPath(title)}?action=undo&rev=${id}`,
        explanation: html`<p>This removes the change made in ${revisionLine(undone)}, and keeps every edit made after it.</p>`,
        comparison: await compareTextsOffThread(workers, latest.source, (await planUndoAsync(stores, workers, title, id)).text, { context: 'all' }),
        button: 'Undo this change', defaultSummary: `Undid revision ${id} by ${undone.actor.name}`,
      }));
    },
    async undo(req: Request, res: Response, title: Title) {
      allow(req, title, EDIT);
      const id = revParam(req, 'rev');
      await done(req, res, title, 'Undo', ({ actor, ip }) => undoRevision(stores, workers, { title, id, actor, ip, comment: summary(req) }));
    },
    async revertForm(req: Request, res: Response, title: Title) {
      allow(req, title, EDIT);
      const id = revParam(req, 'to');
      const latest = requireLatest(stores, title);
      const to = readRevision(stores, latest.page, id);
      sendHtml(res, confirmPage(pageContext(req), {
        title, heading: 'Restore an old version', action: `${wikiPath(title)}?action=revert&to=${id}`,
        explanation: html`<p>This makes ${revisionLine(to.revision)} the current version again, as a new revision. Nothing is lost: the versions in between stay in the history.</p>`,
        comparison: await compareTextsOffThread(workers, latest.source, to.source, { context: 'all' }),
        button: 'Restore this version', defaultSummary: `Restored revision ${id} by ${to.revision.actor.name}`,
      }));
    },
    async revert(req: Request, res: Response, title: Title) {
      allow(req, title, EDIT);
      const to = revParam(req, 'to');
      await done(req, res, title, 'Restore an old version', ({ actor, ip }) => restoreRevision(stores, workers, { title, to, actor, ip, comment: summary(req) }));
    },
    async rollbackForm(req: Request, res: Response, title: Title) {
      allow(req, title, ROLLBACK);
      await confirm(req, res, title, 'Roll back', async () => {
        const plan = planRollback(stores, title);
        const latest = requireLatest(stores, title);
        return confirmPage(pageContext(req), {
          title, heading: 'Roll back', action: `${wikiPath(title)}?action=rollback&from=${encodeURIComponent(plan.undone[0]!.actor.name)}`,
          explanation: html`<p>This reverts ${plan.undone.length} consecutive ${plan.undone.length === 1 ? 'edit' : 'edits'} by ${plan.undone[0]!.actor.name}, back to ${revisionLine(plan.to)}:</p>
            <ul>${plan.undone.map((r) => html`<li>${revisionLine(r)}</li>`)}</ul>`,
          comparison: await compareTextsOffThread(workers, latest.source, stores.content.get(plan.to.contentId), { context: 'all' }),
          button: 'Roll back', defaultSummary: '',
        });
      });
    },
    async rollback(req: Request, res: Response, title: Title) {
      allow(req, title, ROLLBACK);
      const from = queryValue(req.query, 'from');
      await done(req, res, title, 'Roll back', ({ by, ip }) => rollback(stores, workers, { title, from, actor: by, ip, comment: summary(req) }));
    },
  };
}
