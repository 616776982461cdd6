/**
 * The watch star on a page: a POST form that works without JavaScript (303 back to the page) and,
 * with htmx, swaps itself for the new star (the CSRF token also travels in hx-headers on <body>).
 */
import { html, type Html } from '../html.js';
import type { Title } from '../../server/wiki/title.js';

export function watchPath(title: Title, watched: boolean): string {
  return `/special/${watched ? 'unwatch' : 'watch'}/${title.key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The star for a page the viewer watches (`watched`) or not. */
export function watchStar(title: Title, watched: boolean, csrfToken: string): Html {
  const action = watchPath(title, watched);
  return html`<form class="watch-star${watched ? ' watched' : ''}" method="post" action="${action}" hx-post="${action}" hx-target="this" hx-swap="outerHTML">
    <input type="hidden" name="csrf" value="${csrfToken}">
    <button type="submit" class="link-button" aria-pressed="${watched ? 'true' : 'false'}"
      title="${watched ? 'Remove this page from your watchlist' : 'Add this page to your watchlist'}"><span aria-hidden="true">${watched ? '★' : '☆'}</span> ${watched ? 'Unwatch' : 'Watch'}</button>
  </form>`;
}
