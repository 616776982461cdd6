/** /special/recent-changes: recent edits of every page, grouped by day, with filters. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { sizeDelta, userLink } from '../format.js';
import { wikiPath, NAMESPACES } from '../../server/wiki/title.js';
import type { Change } from '../../server/wiki/changes.js';
import { rollbackLink, undoLink } from '../partials/actions.js';
import { riskBadge } from '../partials/risk.js';
import { editIp } from '../partials/ip.js';
import { commentHtml } from '../partials/comment.js';

export interface ChangesModel {
  changes: Change[];
  query: Record<string, string>;
  olderThan?: number;
}

const TAGS = ['new', 'revert', 'reverted', 'undo', 'rollback', 'blanking', 'large-removal', 'external-links', 'new-user'];

function day(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function qs(query: Record<string, string>, extra: Record<string, string> = {}): string {
  const all = { ...query, ...extra };
  const s = new URLSearchParams(all).toString();
  return s ? `?${s}` : '';
}

/** One change row: diff and history links, page, time, size change, author, summary, tags, risk. */
export function changeRow(ctx: ViewContext, c: Change): Html {
  const r = c.revision;
  const path = wikiPath(c.page.title);
  const time = new Date(r.timestamp).toISOString().slice(11, 16);
  return html`<li class="${r.tags.includes('reverted') ? 'reverted' : ''}">
    <span class="links">(${r.parentId ? html`<a href="${path}?diff=${r.id}&amp;oldid=${r.parentId}">diff</a>` : 'diff'} | <a href="${path}?action=history">hist</a>)</span>
    ${r.parentId === null ? html`<abbr class="newpage" title="This edit created a new page">N</abbr>` : null}
    ${r.minor ? html`<abbr class="minor" title="minor edit">m</abbr>` : null}
    <a href="${path}">${c.page.title.text}</a>; <time datetime="${r.timestamp}">${time}</time>
    ${sizeDelta(r.size - r.parentSize)}
    ${userLink(r.actor)}
    ${r.comment ? html`<span class="comment">(${commentHtml(path, r.comment)})</span>` : null}
    ${r.tags.length ? html`<span class="tags">${r.tags.map((t) => html`<span class="tag tag-${t}">${t}</span>`)}</span>` : null}
    ${riskBadge(ctx, r)}
    ${editIp(ctx, r)}
    ${r.parentId ? html`[${undoLink(path, r.id)}]` : null}
    ${c.page.latestId === r.id && r.parentId && ctx.can('rollback', c.page.title) ? html`[${rollbackLink(path, r.actor.name)}]` : null}
  </li>`;
}

export function changesPage(ctx: ViewContext, m: ChangesModel): Html {
  const groups: { day: string; rows: Change[] }[] = [];
  for (const c of m.changes) {
    const d = day(c.revision.timestamp);
    if (groups.at(-1)?.day !== d) groups.push({ day: d, rows: [] });
    groups.at(-1)!.rows.push(c);
  }
  const q = m.query;
  const sel = (name: string, value: string) => (q[name] ?? '') === value ? html` selected` : null;
  return layout(ctx, {
    title: 'Recent changes',
    feed: { href: `/special/recent-changes${qs(q, { format: 'atom' })}`, title: 'Peerwiki: recent changes' },
    body: html`<h1 class="page-title">Recent changes</h1>
      <p>The latest edits to every page. Watch for vandalism: each row links to its diff; risky edits show why. <a href="/special/review">Review queue</a> · <a href="/special/recent-changes${qs(q, { format: 'atom' })}">Atom feed</a></p>
      <form class="changes-filter" method="get" action="/special/recent-changes">
        <label>Show <select name="limit">${['50', '100', '250', '500'].map((v) => html`<option${sel('limit', v)}>${v}</option>`)}</select></label>
        <label>from the last <select name="days"><option value="">all</option>${['1', '3', '7', '30'].map((v) => html`<option value="${v}"${sel('days', v)}>${v} days</option>`)}</select></label>
        <label>User <input name="user" type="text" value="${q.user ?? ''}" size="12"></label>
        <label>Namespace <select name="namespace"><option value="">all</option><option value="main"${sel('namespace', 'main')}>(main)</option>${NAMESPACES.map((n) => html`<option${sel('namespace', n)}>${n}</option>`)}</select></label>
        <label>Tag <select name="tag"><option value="">any</option>${TAGS.map((t) => html`<option${sel('tag', t)}>${t}</option>`)}</select></label>
        ${ctx.can('patrol') ? html`<label>Risk at least <input name="min_risk" type="number" min="0" max="100" value="${q.min_risk ?? ''}" size="3"></label>` : null}
        <label class="checkbox"><input type="checkbox" name="hideminor" value="1"${q.hideminor ? html` checked` : null}> Hide minor edits</label>
        <button type="submit">Show</button>
      </form>
      ${m.changes.length === 0 ? html`<p>No changes match.</p>` : null}
      ${groups.map((g) => html`<h2 class="changes-day">${g.day}</h2><ul class="changes">${g.rows.map((c) => changeRow(ctx, c))}</ul>`)}
      ${m.olderThan ? html`<p class="pager"><a rel="next" href="/special/recent-changes${qs(q, { older_than: String(m.olderThan) })}">Older changes</a></p>` : null}`,
  });
}
