/** Search results, and the autocomplete list of the header's search box. */
import { html, trustedHtml, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { wikiPath } from '../../server/wiki/title.js';
import type { SearchResult } from '../../server/wiki/search.js';
import type { Page } from '../../server/wiki/types.js';

export interface SearchModel {
  query: string;
  results: SearchResult[];
  offset: number;
  limit: number;
  hasMore: boolean;
  /** A title the query could be created as, when no page has it. */
  createTitle?: string;
  /** Common words the search left out (wiki/search.ts queryWords). */
  leftOut: string[];
}

export function searchPage(ctx: ViewContext, m: SearchModel): Html {
  const q = encodeURIComponent(m.query);
  return layout(ctx, {
    title: m.query ? `Search results for "${m.query}"` : 'Search',
    body: html`<h1 class="page-title">Search</h1>
      <form class="search-page" action="/special/search" method="get" role="search" aria-label="Search the wiki's pages">
        <input type="search" name="q" value="${m.query}" aria-label="Search words">
        <input type="hidden" name="fulltext" value="1">
        <button type="submit">Search</button>
      </form>
      ${m.leftOut.length ? html`<p class="search-note">Common words were left out of this search: ${m.leftOut.map((w, i) => html`${i ? ', ' : ''}<q>${w}</q>`)}. <a href="${wikiPath('Help:Searching')}">How search works</a></p>` : null}
      ${m.createTitle ? html`<p>There is no page titled "${m.createTitle}". <a href="${wikiPath(m.createTitle)}?action=edit">Create it</a>.</p>` : null}
      ${m.query && m.results.length === 0 ? html`<p class="no-results">No pages match "${m.query}".</p>` : null}
      ${resultSections(m)}
      <p class="pager">
        ${m.offset > 0 ? html`<a href="/special/search?q=${q}&fulltext=1&offset=${Math.max(0, m.offset - m.limit)}">Previous ${m.limit}</a>` : null}
        ${m.hasMore ? html`<a rel="next" href="/special/search?q=${q}&fulltext=1&offset=${m.offset + m.limit}">Next ${m.limit}</a>` : null}
      </p>`,
  });
}

/**
 * Pages with every word in their title first, in their own section (as MediaWiki's "Page title
 * matches"), then those matched by their text; numbered on across both and across pages.
 */
function resultSections(m: SearchModel): Html {
  const byTitle = m.results.filter((r) => r.inTitle);
  const byText = m.results.filter((r) => !r.inTitle);
  const list = (results: SearchResult[], start: number) => html`<ol class="search-results" start="${start}">
        ${results.map((r) => html`<li><a href="${wikiPath(r.title)}">${r.title}</a><p class="excerpt">${trustedHtml(r.excerpt)}</p></li>`)}
      </ol>`;
  return html`${byTitle.length ? html`<h2 class="search-section" id="title-matches">Page title matches</h2>${list(byTitle, m.offset + 1)}` : null}
      ${byText.length ? html`<h2 class="search-section" id="text-matches">Page text matches</h2>${list(byText, m.offset + byTitle.length + 1)}` : null}`;
}

export function suggestions(pages: Page[]): Html {
  return html`${pages.length ? html`<ul role="presentation">${pages.map((p) => html`<li role="option"><a href="${wikiPath(p.title)}">${p.title.text}</a></li>`)}</ul>` : null}`;
}
