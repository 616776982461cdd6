/** /special/review: unreviewed edits, riskiest first, each with its diff a click away. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { sizeDelta, timeTag, userLink } from '../format.js';
import { wikiPath } from '../../server/wiki/title.js';
import type { Change } from '../../server/wiki/changes.js';
import { riskBadge } from '../partials/risk.js';
import { rollbackLink } from '../partials/actions.js';
import { commentHtml } from '../partials/comment.js';

export function reviewPage(ctx: ViewContext, changes: Change[], offset: number, limit: number, hasMore: boolean): Html {
  const patrols = ctx.can('patrol');
  return layout(ctx, {
    title: 'Review queue',
    body: html`<h1 class="page-title">Review queue</h1>
      <p>Edits nobody has reviewed yet, riskiest first. ${patrols ? 'Mark each one reviewed, roll it back, or block its author.' : 'Admins mark edits as reviewed; anyone can undo a bad edit from its diff.'}
        See <a href="/wiki/Help:Reverting_vandalism">Help:Reverting vandalism</a> and <a href="/wiki/Help:Patrolling">Help:Patrolling</a> for how risk is scored.</p>
      ${changes.length === 0 ? html`<p>Nothing to review. Thank you!</p>` : null}
      <ol class="review-queue" start="${offset + 1}">${changes.map((c) => reviewItem(ctx, c, patrols))}</ol>
      <p class="pager">${offset > 0 ? html`<a href="/special/review?offset=${Math.max(0, offset - limit)}">Previous</a>` : null}
        ${hasMore ? html`<a rel="next" href="/special/review?offset=${offset + limit}">Next</a>` : null}</p>`,
  });
}

function reviewItem(ctx: ViewContext, c: Change, patrols: boolean): Html {
  const r = c.revision;
  const path = wikiPath(c.page.title);
  const diffUrl = r.parentId ? `${path}?diff=${r.id}&oldid=${r.parentId}` : `${path}?oldid=${r.id}`;
  const csrf = html`<input type="hidden" name="csrf" value="${ctx.csrfToken}">`;
  return html`<li class="review-item" id="review-${r.id}">
    <p>${ctx.can('patrol') ? (riskBadge(ctx, r) ?? html`<span class="risk risk-none">risk 0</span>`) : null}
      <a href="${path}">${c.page.title.text}</a> · ${timeTag(r.timestamp)} · ${userLink(r.actor)} · ${sizeDelta(r.size - r.parentSize)}
      ${r.comment ? html`<span class="comment">(${commentHtml(path, r.comment)})</span>` : null}
      ${r.tags.length ? html`<span class="tags">${r.tags.map((t) => html`<span class="tag tag-${t}">${t}</span>`)}</span>` : null}</p>
    <div class="review-actions">
      <a href="${diffUrl}" hx-get="${diffUrl}" hx-select="#diff-view" hx-target="#review-diff-${r.id}" hx-swap="innerHTML">Show diff</a>
      ${patrols ? html`
        <form method="post" action="/special/review/${r.id}/patrol" class="inline-form" hx-post="/special/review/${r.id}/patrol" hx-target="#review-${r.id}" hx-swap="outerHTML">${csrf}<button type="submit">Mark reviewed</button></form>` : null}
      ${c.page.latestId === r.id && r.parentId && ctx.can('rollback', c.page.title) ? rollbackLink(path, r.actor.name) : null}
      ${ctx.can('block') ? html`<a href="/special/block?target=${encodeURIComponent(blockTarget(ctx, r))}">Block author</a>` : null}
    </div>
    <div class="review-diff" id="review-diff-${r.id}" aria-live="polite"></div>
  </li>`;
}

/** What replaces a queue item once marked reviewed (htmx). */
export function reviewedItem(c: Change): Html {
  return html`<li class="review-item reviewed" id="review-${c.revision.id}"><p>Reviewed: <a href="${wikiPath(c.page.title)}">${c.page.title.text}</a>, revision ${c.revision.id}.</p></li>`;
}

/** A temporary account is blocked by its address, when the viewer may see it (the account is gone with its cookie). */
function blockTarget(ctx: ViewContext, r: Change['revision']): string {
  return r.ip && r.actor.kind === 'temp' && ctx.can('view-ip') ? r.ip : r.actor.name;
}
