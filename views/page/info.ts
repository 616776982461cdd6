/** ?action=info: the facts of a page. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { bytes, expiryTag, timeTag, userLink } from '../format.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { Revision } from '../../server/wiki/types.js';
import type { Protection } from '../../server/db/admin.js';

export interface InfoModel {
  title: Title;
  first: Revision;
  latest: Revision;
  edits: number;
  editors: number;
  backlinks: number;
  protection?: Protection;
  isRedirect: boolean;
}

export function infoPage(ctx: ViewContext, m: InfoModel): Html {
  const path = wikiPath(m.title);
  const row = (label: string, value: Html | string | number) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
  return layout(ctx, {
    title: `Information for ${m.title.text}`,
    page: m.title,
    tab: 'none',
    body: html`<h1 class="page-title">Information for "${m.title.text}"</h1>
      <table class="info">
        ${row('Created', html`${timeTag(m.first.timestamp)} by ${userLink(m.first.actor)}`)}
        ${row('Latest edit', html`<a href="${path}?oldid=${m.latest.id}">${timeTag(m.latest.timestamp)}</a> by ${userLink(m.latest.actor)}`)}
        ${row('Edits', html`<a href="${path}?action=history">${m.edits.toLocaleString('en')}</a>`)}
        ${row('Distinct editors', m.editors.toLocaleString('en'))}
        ${row('Size', bytes(m.latest.size))}
        ${row('Redirect', m.isRedirect ? 'yes' : 'no')}
        ${row('Protection', m.protection ? html`${m.protection.level}, ${expiryTag(m.protection.expiry)}` : 'none')}
        ${row('Pages linking here', html`<a href="/special/links-here/${encodeURIComponent(m.title.key)}">${m.backlinks.toLocaleString('en')}</a>`)}
      </table>`,
  });
}
