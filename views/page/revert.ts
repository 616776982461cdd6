/** Confirmation pages for undo, restore and rollback (what a reader without JavaScript sees first). */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { timeTag, userLink } from '../format.js';
import { diffTable } from './diff.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { Comparison } from '../../server/wiki/diff.js';
import type { Revision } from '../../server/wiki/types.js';

export interface ConfirmModel {
  title: Title;
  heading: string;
  /** Where the confirming form posts (the page URL with its action query). */
  action: string;
  explanation: Html;
  /** What the page will look like: the current text → the result. */
  comparison?: Comparison;
  /** Why it cannot be done as asked (an undo that conflicts). */
  problem?: string;
  button: string;
  defaultSummary: string;
}

export function confirmPage(ctx: ViewContext, m: ConfirmModel): Html {
  return layout(ctx, {
    title: `${m.heading}: ${m.title.text}`,
    page: m.title,
    tab: 'history',
    noindex: true,
    body: html`<h1 class="page-title">${m.heading}: "${m.title.text}"</h1>
      <section class="revert-panel" aria-label="${m.heading}">
      <h2 class="revert-panel-title">${m.heading}</h2>
      ${m.explanation}
      ${m.problem ? html`<div class="form-error" role="alert">${m.problem} <a href="${wikiPath(m.title)}?action=edit">Edit the page by hand</a>.</div>` : html`
      <form class="admin-form" method="post" action="${m.action}">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <p class="form-field"><label for="summary">Summary</label><input id="summary" name="summary" type="text" maxlength="500" value="${m.defaultSummary}" autofocus></p>
        <p><button type="submit" class="primary">${m.button}</button> <a href="${wikiPath(m.title)}?action=history">Cancel</a></p>
      </form>`}
      ${m.comparison ? html`<h3>The change this makes</h3>${diffTable(m.comparison, { oldLabel: 'Current text', newLabel: 'After' })}` : null}
      </section>`,
  });
}

export function revisionLine(r: Revision): Html {
  return html`revision ${r.id} by ${userLink(r.actor)} at ${timeTag(r.timestamp)}${r.comment ? html` <span class="comment">(${r.comment})</span>` : null}`;
}
