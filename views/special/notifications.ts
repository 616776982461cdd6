/** /special/notifications: changes to watched pages and to your talk page, unread ones marked; and its htmx panel. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { timeTag, userLink } from '../format.js';
import { parseTitle, wikiPath } from '../../server/wiki/title.js';
import type { NotificationItem, NotificationList } from '../../server/wiki/notifications.js';
import { withQuery } from '../partials/pager.js';

function item(n: NotificationItem): Html {
  const path = wikiPath(parseTitle(n.title));
  const what = n.type === 'user-talk' ? html`wrote on <a href="${path}">your talk page</a>` : html`changed <a href="${path}">${n.title}</a>`;
  return html`<li class="${n.read ? 'read' : 'unread'}">
    ${n.read ? null : html`<span class="visually-hidden">Unread: </span>`}${userLink({ name: n.userName })} ${what}
    (<a href="${path}?diff=${String(n.revisionId)}">diff</a>) ${timeTag(n.timestamp)}
  </li>`;
}

export function notificationsPage(ctx: ViewContext, m: NotificationList & { limit: number; olderThanShown?: number }): Html {
  return layout(ctx, {
    title: 'Notifications',
    noindex: true,
    body: html`<h1 class="page-title">Notifications</h1>
      <p>Changes others made to the pages you watch, and messages on your talk page, newest first.
        ${m.unread > 0 ? html`<strong>${String(m.unread)} new since you last looked.</strong>` : 'Nothing new since you last looked.'}
        Mail about them is set in your <a href="/special/preferences">preferences</a>; what you watch, on your <a href="/special/watchlist">watchlist</a>.</p>
      ${m.items.length === 0 ? html`<p class="no-results">${m.olderThanShown ? 'No older notifications.' : 'No notifications yet. Watch a page (☆ Watch beside its title) to hear of changes to it.'}</p>` : null}
      <ul class="notifications">${m.items.map(item)}</ul>
      ${m.olderThanShown || m.olderThan ? html`<nav class="pager" aria-label="Pages of this list">
        ${m.olderThanShown ? html`<a href="${withQuery('/special/notifications', { limit: m.limit })}">Newest</a>` : null}
        ${m.olderThan ? html`<a rel="next" href="${withQuery('/special/notifications', { older_than: m.olderThan, limit: m.limit })}">Older ${m.limit}</a>` : null}
      </nav>` : null}`,
  });
}

/** The newest few, opened in place from the header by htmx; the badge empties out of band, as they are now read. */
export function notificationsPanel(m: NotificationList): Html {
  return html`<div class="panel-body">
    ${m.items.length === 0 ? html`<p>No notifications yet.</p>` : html`<ul class="notifications">${m.items.map(item)}</ul>`}
    <p><a href="/special/notifications">All notifications</a></p>
  </div><span id="notifications-badge" hx-swap-oob="true"></span>`;
}

/** The 401 page for readers without a registered account. */
export function notificationsLoginPrompt(ctx: ViewContext): Html {
  const back = encodeURIComponent('/special/notifications');
  return layout(ctx, {
    title: 'Please log in',
    noindex: true,
    body: html`<h1 class="page-title">Notifications</h1>
      <p class="error-message">Notifications tell you of changes to the pages you watch and of messages on your talk page.
        ${ctx.actor?.kind === 'temp' ? 'Temporary accounts see new messages on their talk page only. ' : null}Log in with a registered account to get them.</p>
      <p><a class="button" href="/login?returnto=${back}">Log in</a> or <a href="/register?returnto=${back}">create an account</a>.</p>`,
  });
}
