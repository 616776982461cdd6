/** /special/watchlist: recent changes to the pages the reader watches, and the log-in prompt. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { sizeDelta, timeTag, userLink } from '../format.js';
import { wikiPath } from '../../server/wiki/title.js';
import type { WatchlistChanges } from '../../server/wiki/watchlist.js';
import { withQuery } from '../partials/pager.js';
import { commentHtml } from '../partials/comment.js';

export function watchlistPage(ctx: ViewContext, m: WatchlistChanges & { limit: number; olderThanShown?: number }): Html {
  return layout(ctx, {
    title: 'Watchlist',
    noindex: true,
    body: html`<h1 class="page-title">Watchlist</h1>
      <p>${m.watching === 1 ? 'You watch 1 page.' : `You watch ${m.watching.toLocaleString('en')} pages.`}
        Watch a page with the ☆ Watch button beside its title; its edits then show here, newest first.</p>
      ${m.rows.length === 0 ? html`<p class="no-results">${m.olderThanShown ? 'No older changes.' : 'No changes to watched pages yet.'}</p>` : null}
      <ul class="history watchlist">${m.rows.map(({ revision: r, page }) => {
        const path = wikiPath(page.title);
        return html`<li>
          <a class="date" href="${path}?oldid=${r.id}">${timeTag(r.timestamp)}</a>
          <span class="links">(${r.parentId !== null ? html`<a href="${path}?diff=${r.id}&amp;oldid=${r.parentId}">diff</a>` : 'diff'} | <a href="${path}?action=history">hist</a>)</span>
          ${r.parentId === null ? html`<abbr class="new-page" title="This edit created a new page">N</abbr>` : null}
          ${r.minor ? html`<abbr class="minor" title="minor edit">m</abbr>` : null}
          <a class="page" href="${path}">${page.title.text}</a>
          ${sizeDelta(r.size - r.parentSize)}
          ${userLink(r.actor)}
          ${r.comment ? html`<span class="comment">(${commentHtml(path, r.comment)})</span>` : null}
          ${r.id === page.latestId ? html`<strong class="current">current</strong>` : null}
          ${r.tags.length ? html`<span class="tags">${r.tags.map((t) => html`<span class="tag tag-${t}">${t}</span>`)}</span>` : null}
        </li>`;
      })}</ul>
      ${m.olderThanShown || m.olderThan ? html`<nav class="pager" aria-label="Pages of this list">
        ${m.olderThanShown ? html`<a href="${withQuery('/special/watchlist', { limit: m.limit })}">Newest</a>` : null}
        ${m.olderThan ? html`<a rel="next" href="${withQuery('/special/watchlist', { older_than: m.olderThan, limit: m.limit })}">Older ${m.limit}</a>` : null}
      </nav>` : null}`,
  });
}

/** The 401 page of the watchlist for readers who are not logged in with a registered account. */
export function watchlistLoginPrompt(ctx: ViewContext): Html {
  const back = encodeURIComponent('/special/watchlist');
  return layout(ctx, {
    title: 'Please log in',
    noindex: true,
    body: html`<h1 class="page-title">Watchlist</h1>
      <p class="error-message">Your watchlist shows the latest changes to the pages you follow.
        ${ctx.actor?.kind === 'temp' ? 'Temporary accounts have no watchlist. ' : null}Log in with a registered account to keep one.</p>
      <p><a class="button" href="/login?returnto=${back}">Log in</a> or <a href="/register?returnto=${back}">create an account</a>.</p>`,
  });
}
