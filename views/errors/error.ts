/**
 * A plain error page: what went wrong, in words the reader can act on, and the likely next steps
 * (the page itself, its history, a search for it, going back, logging in) instead of a dead end.
 */
import { blockedNotice } from '../partials/blocked.js';
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { tryParseTitle, wikiPath, type Title } from '../../server/wiki/title.js';

const HEADINGS: Record<number, string> = {
  400: 'That request could not be used',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  429: 'Slow down',
  500: 'Something went wrong',
};

export interface ErrorPageOptions {
  /** A page of this wiki the reader came from (the Referer, same origin only): "Go back" leads there. */
  back?: string;
  /** Refused because of a block: the page says why, until when, by whom, and how to appeal. */
  blocked?: boolean;
}

/** The wiki page a request path is about (/wiki/Title?…), if it names a valid title. */
function titleOfPath(path: string): Title | undefined {
  const m = /^\/wiki\/([^?#]+)/.exec(path);
  if (!m) return undefined;
  try {
    return tryParseTitle(decodeURIComponent(m[1]!));
  } catch {
    return undefined;
  }
}

export function errorPage(ctx: ViewContext, status: number, message: string, o: ErrorPageOptions = {}): Html {
  const heading = HEADINGS[status] ?? 'Error';
  const title = status < 500 ? titleOfPath(ctx.path) : undefined;
  const here = ctx.path.split('?')[0];
  const steps: Html[] = [];
  if (o.back) steps.push(html`<li><a href="${o.back}">Go back to the page you came from</a></li>`);
  if ((status === 401 || status === 403) && !ctx.actor) {
    steps.push(html`<li><a href="/login?returnto=${encodeURIComponent(ctx.path)}">Log in</a> (or <a href="/register?returnto=${encodeURIComponent(ctx.path)}">create an account</a>), then try again</li>`);
  }
  if (title) {
    if (wikiPath(title) !== here || ctx.path.includes('?')) steps.push(html`<li><a href="${wikiPath(title)}">Read “${title.text}”</a></li>`);
    steps.push(html`<li><a href="${wikiPath(title)}?action=history">See the history of “${title.text}”</a></li>`);
    steps.push(html`<li><a href="/special/search?q=${encodeURIComponent(title.text)}&amp;fulltext=1">Search for “${title.text}”</a></li>`);
  }
  steps.push(html`<li><a href="/special/recent-changes">See what changed recently</a> or go to the <a href="/wiki/Main_Page">Main Page</a></li>`);
  return layout(ctx, {
    title: heading,
    noindex: true,
    body: html`<h1>${heading}</h1>${o.blocked && ctx.block ? blockedNotice(ctx) : html`<p class="error-message">${message}</p>`}
      <h2 class="next-steps-heading">What you can do</h2>
      <ul class="next-steps">${steps}</ul>
      <form class="search-page" action="/special/search" method="get">
        <label for="error-search">Search the wiki</label>
        <input id="error-search" type="search" name="q" value="${title?.text ?? ''}">
        <button type="submit">Search</button>
      </form>`,
  });
}
