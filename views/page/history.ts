/** A page's history: newest first, paginated, with radio buttons to compare any two revisions. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { bytes, sizeDelta, timeTag, userLink } from '../format.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { Revision } from '../../server/wiki/types.js';
import { restoreLink, rollbackLink, undoLink } from '../partials/actions.js';
import { riskBadge } from '../partials/risk.js';
import { editIp } from '../partials/ip.js';
import { commentHtml } from '../partials/comment.js';

export interface HistoryModel {
  title: Title;
  revisions: Revision[];
  latestId: number;
  /** The id to pass as older_than for the next (older) page; undefined on the last page. */
  olderThan?: number;
  /** Whether there are newer revisions than the first shown. */
  hasNewer: boolean;
  limit: number;
  filter?: string;
}

export function historyPage(ctx: ViewContext, m: HistoryModel): Html {
  const path = wikiPath(m.title);
  const filterQs = m.filter ? `&filter=${encodeURIComponent(m.filter)}` : '';
  const nav = html`<p class="pager">
    ${m.hasNewer ? html`<a href="${path}?action=history&limit=${m.limit}${filterQs}">Newest</a>` : html`<span>Newest</span>`} ·
    ${m.olderThan ? html`<a rel="next" href="${path}?action=history&older_than=${m.olderThan}&limit=${m.limit}${filterQs}">Older ${m.limit}</a>` : html`<span>Older</span>`}
  </p>`;
  const rollback = ctx.can('rollback', m.title);
  const rows = m.revisions.map((r, i) => historyRow(ctx, path, r, m.latestId, i, rollback));
  return layout(ctx, {
    title: `Revision history of ${m.title.text}`,
    page: m.title,
    tab: 'history',
    noindex: true,
    feed: { href: `${path}?action=history&format=atom`, title: `${m.title.text}: history` },
    body: html`<h1 class="page-title">Revision history of "${m.title.text}"</h1>
      <form class="history-filter" method="get" action="${path}">
        <input type="hidden" name="action" value="history">
        <label for="filter">Show only</label>
        <select id="filter" name="filter">
          <option value="">all edits</option>
          ${(['reverted', 'anonymous', 'minor'] as const).map((f) => html`<option value="${f}"${m.filter === f ? html` selected` : null}>${f} edits</option>`)}
        </select>
        <button type="submit">Show</button>
      </form>
      ${nav}
      <form class="history-compare" method="get" action="${path}" hx-get="${path}" hx-target="#compare-result" hx-select="#diff-view" hx-swap="innerHTML" hx-push-url="true">
        <p><button type="submit">Compare selected revisions</button></p>
        <ul class="history">${rows}</ul>
        <p><button type="submit">Compare selected revisions</button></p>
      </form>
      <div id="compare-result" aria-live="polite"></div>
      ${nav}`,
  });
}

function historyRow(ctx: ViewContext, path: string, r: Revision, latestId: number, index: number, rollback: boolean): Html {
  const cur = r.id === latestId ? html`<span>cur</span>` : html`<a href="${path}?diff=${latestId}&oldid=${r.id}">cur</a>`;
  const prev = r.parentId ? html`<a href="${path}?diff=${r.id}&oldid=${r.parentId}">prev</a>` : html`<span>prev</span>`;
  return html`<li${r.tags.includes('reverted') ? html` class="reverted"` : null}>
    <span class="links">(${cur} | ${prev})</span>
    <input type="radio" name="oldid" value="${r.id}" aria-label="Compare from revision ${r.id}"${index === 1 ? html` checked` : null}>
    <input type="radio" name="diff" value="${r.id}" aria-label="Compare to revision ${r.id}"${index === 0 ? html` checked` : null}>
    <a class="date" href="${path}?oldid=${r.id}">${timeTag(r.timestamp)}</a>
    ${userLink(r.actor)}
    ${editIp(ctx, r)}
    ${r.minor ? html`<abbr class="minor" title="minor edit">m</abbr>` : null}
    <span class="size">(${bytes(r.size)})</span>
    ${sizeDelta(r.size - r.parentSize)}
    ${r.comment ? html`<span class="comment">(${commentHtml(path, r.comment)})</span>` : null}
    ${r.tags.length ? html`<span class="tags">${r.tags.map((t) => html`<span class="tag tag-${t}">${t}</span>`)}</span>` : null}
    ${riskBadge(ctx, r)}
    <span class="row-actions">${r.parentId ? html`(${undoLink(path, r.id)})` : null}
      ${r.id !== latestId ? html`(${restoreLink(path, r.id)})` : null}
      ${r.id === latestId && rollback ? html`(${rollbackLink(path, r.actor.name)})` : null}</span>
  </li>`;
}
