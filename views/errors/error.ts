/** A plain error page: what went wrong, in words the reader can act on. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';

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

export function errorPage(ctx: ViewContext, status: number, message: string): Html {
  const heading = HEADINGS[status] ?? 'Error';
  return layout(ctx, {
    title: heading,
    noindex: true,
    body: html`<h1>${heading}</h1><p class="error-message">${message}</p>
      <p><a href="/wiki/Main_Page">Go to the Main Page</a></p>`,
  });
}
