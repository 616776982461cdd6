/** The special page lists: all pages, wanted, orphaned, what links here, categories. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { CategoryEntry, ListPage, PageRef } from '../../server/wiki/lists.js';
import { pager, withQuery } from '../partials/pager.js';

/** /special/links-here/{Title}, each path segment percent-encoded as in /wiki/. */
export function linksHerePath(title: Title): string {
  return '/special/links-here/' + title.key.split('/').map((s) => encodeURIComponent(s).replace(/%3A/gi, ':')).join('/');
}

function pageItem(p: PageRef): Html {
  return p.isRedirect
    ? html`<li><a class="redirect" href="${wikiPath(p.title)}?redirect=no">${p.title.text}</a> <span class="muted">(redirect)</span></li>`
    : html`<li><a href="${wikiPath(p.title)}">${p.title.text}</a></li>`;
}

/** Previous / next links of an offset-paged list. */
function offsetPager(path: string, query: Record<string, string | number | undefined>, o: { offset: number; limit: number; hasMore: boolean }) {
  return pager({
    prev: o.offset > 0 ? withQuery(path, { ...query, limit: o.limit, offset: Math.max(0, o.offset - o.limit) || undefined }) : undefined,
    next: o.hasMore ? withQuery(path, { ...query, limit: o.limit, offset: o.offset + o.limit }) : undefined,
    size: o.limit,
  });
}

export interface AllPagesModel {
  prefix: string;
  from: string;
  limit: number;
  list: ListPage<PageRef>;
}

export function allPagesView(ctx: ViewContext, m: AllPagesModel): Html {
  const link = (c: { from: string; offset?: number }) => withQuery('/special/all-pages', { prefix: m.prefix, from: c.from, offset: c.offset || undefined, limit: m.limit });
  return layout(ctx, {
    title: m.prefix ? `All pages starting with "${m.prefix}"` : 'All pages',
    body: html`<h1 class="page-title">All pages</h1>
      <form class="list-filter" action="/special/all-pages" method="get">
        <label>Pages starting with <input type="text" name="prefix" value="${m.prefix}"></label>
        <label>from <input type="text" name="from" value="${m.from}"></label>
        <button type="submit">Go</button>
      </form>
      ${m.list.items.length === 0 ? html`<p class="no-results">No pages${m.prefix ? ` start with "${m.prefix}"` : ''}${m.from ? ` from "${m.from}" on` : ''}.</p>` : null}
      <ul class="page-list">${m.list.items.map(pageItem)}</ul>
      ${pager({ prev: m.list.prev && link(m.list.prev), next: m.list.next && link(m.list.next), size: m.limit })}`,
  });
}

export interface OffsetListModel<T> {
  rows: T[];
  offset: number;
  limit: number;
  hasMore: boolean;
}

export function wantedPagesView(ctx: ViewContext, m: OffsetListModel<{ title: Title; links: number }>): Html {
  return layout(ctx, {
    title: 'Wanted pages',
    body: html`<h1 class="page-title">Wanted pages</h1>
      <p>Pages that are linked to but do not exist yet, most linked first.</p>
      ${m.rows.length === 0 && m.offset === 0 ? html`<p class="no-results">No links point to missing pages.</p>` : null}
      <ol class="page-list wanted" start="${m.offset + 1}">${m.rows.map((w) => html`<li>
        <a class="new" href="${wikiPath(w.title)}?action=edit" title="${w.title.text} (page does not exist)">${w.title.text}</a>
        (<a href="${linksHerePath(w.title)}">${w.links === 1 ? '1 link' : `${w.links.toLocaleString('en')} links`}</a>)</li>`)}</ol>
      ${offsetPager('/special/wanted-pages', {}, m)}`,
  });
}

export function orphanedPagesView(ctx: ViewContext, m: OffsetListModel<PageRef>): Html {
  return layout(ctx, {
    title: 'Orphaned pages',
    body: html`<h1 class="page-title">Orphaned pages</h1>
      <p>Articles that no page links to (redirects and pages outside the main namespace are left out).</p>
      ${m.rows.length === 0 && m.offset === 0 ? html`<p class="no-results">Every page is linked from somewhere.</p>` : null}
      <ol class="page-list" start="${m.offset + 1}">${m.rows.map(pageItem)}</ol>
      ${offsetPager('/special/orphaned-pages', {}, m)}`,
  });
}

export interface LinksHereModel extends OffsetListModel<PageRef> {
  title: Title;
  exists: boolean;
}

export function linksHereView(ctx: ViewContext, m: LinksHereModel): Html {
  const target = m.exists
    ? html`<a href="${wikiPath(m.title)}">${m.title.text}</a>`
    : html`<a class="new" href="${wikiPath(m.title)}?action=edit" title="${m.title.text} (page does not exist)">${m.title.text}</a>`;
  return layout(ctx, {
    title: `Pages that link to "${m.title.text}"`,
    page: m.title,
    tab: 'none',
    exists: m.exists,
    body: html`<h1 class="page-title">What links here</h1>
      <p>Pages that link to ${target}:</p>
      ${m.rows.length === 0 && m.offset === 0 ? html`<p class="no-results">No pages link to "${m.title.text}".</p>` : null}
      <ul class="page-list">${m.rows.map(pageItem)}</ul>
      ${offsetPager(linksHerePath(m.title), {}, m)}`,
  });
}

/** /special/links-here with no title: a form that names one. */
export function linksHereForm(ctx: ViewContext): Html {
  return layout(ctx, {
    title: 'What links here',
    body: html`<h1 class="page-title">What links here</h1>
      <form class="list-filter" action="/special/links-here" method="get">
        <label>Page <input type="text" name="target" required></label>
        <button type="submit">Go</button>
      </form>`,
  });
}

export interface CategoriesModel {
  from: string;
  limit: number;
  list: ListPage<CategoryEntry>;
}

export function categoriesView(ctx: ViewContext, m: CategoriesModel): Html {
  const link = (c: { from: string }) => withQuery('/special/categories', { from: c.from, limit: m.limit });
  return layout(ctx, {
    title: 'Categories',
    body: html`<h1 class="page-title">Categories</h1>
      <form class="list-filter" action="/special/categories" method="get">
        <label>Categories from <input type="text" name="from" value="${m.from}"></label>
        <button type="submit">Go</button>
      </form>
      ${m.list.items.length === 0 ? html`<p class="no-results">No pages are in a category${m.from ? ` from "${m.from}" on` : ''}.</p>` : null}
      <ul class="page-list categories">${m.list.items.map((c) => html`<li>
        <a${c.exists ? null : html` class="new"`} href="${wikiPath(c.title)}">${c.title.name}</a>
        <span class="muted">(${c.members === 1 ? '1 member' : `${c.members.toLocaleString('en')} members`})</span></li>`)}</ul>
      ${pager({ prev: m.list.prev && link(m.list.prev), next: m.list.next && link(m.list.next), size: m.limit })}`,
  });
}
