/** /special/contributions/{user}: one account's edits on every page, newest first. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { sizeDelta, timeTag } from '../format.js';
import { wikiPath } from '../../server/wiki/title.js';
import type { Actor, Page, Revision } from '../../server/wiki/types.js';
import { riskBadge } from '../partials/risk.js';
import { commentHtml } from '../partials/comment.js';

export interface ContributionsModel {
  actor: Actor;
  rows: { revision: Revision; page: Page | undefined }[];
  olderThan?: number;
  limit: number;
}

export function contributionsPage(ctx: ViewContext, m: ContributionsModel): Html {
  const base = `/special/contributions/${encodeURIComponent(m.actor.name)}`;
  return layout(ctx, {
    title: `Contributions of ${m.actor.name}`,
    body: html`<h1 class="page-title">Contributions of ${m.actor.name}</h1>
      <p>${m.actor.kind === 'temp' ? 'A temporary account. ' : null}${m.actor.editCount.toLocaleString('en')} edits.
        ${m.actor.kind === 'user' ? html`<a href="${wikiPath(`User:${m.actor.name}`)}">User page</a> · <a href="${wikiPath(`User talk:${m.actor.name}`)}">Talk</a> ·` : null}
        <a href="${base}?format=atom">Atom feed</a></p>
      ${m.rows.length === 0 ? html`<p>No edits yet.</p>` : null}
      <ul class="history contributions">${m.rows.map(({ revision: r, page }) => {
        if (!page) return null;
        const path = wikiPath(page.title);
        return html`<li>
          <a class="date" href="${path}?oldid=${r.id}">${timeTag(r.timestamp)}</a>
          <span class="links">(${r.parentId ? html`<a href="${path}?diff=${r.id}">diff</a>` : 'diff'} | <a href="${path}?action=history">hist</a>)</span>
          ${sizeDelta(r.size - r.parentSize)}
          ${r.minor ? html`<abbr class="minor" title="minor edit">m</abbr>` : null}
          <a href="${path}">${page.title.text}</a>
          ${r.comment ? html`<span class="comment">(${commentHtml(path, r.comment)})</span>` : null}
          ${r.id === page.latestId ? html`<strong class="current">current</strong>` : null}
          ${r.tags.length ? html`<span class="tags">${r.tags.map((t) => html`<span class="tag tag-${t}">${t}</span>`)}</span>` : null}
          ${riskBadge(ctx, r)}
        </li>`;
      })}</ul>
      ${m.olderThan ? html`<p class="pager"><a rel="next" href="${base}?older_than=${m.olderThan}&amp;limit=${m.limit}">Older ${m.limit}</a></p>` : null}`,
  });
}
