/** The members of a category, listed on its Category: page above the page's own text. */
import { html, type Html } from '../html.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { CategoryMembers } from '../../server/wiki/lists.js';
import { pager, withQuery } from './pager.js';

export function categoryMembersList(category: Title, m: CategoryMembers, limit: number): Html {
  const path = wikiPath(category);
  const link = (from: string) => withQuery(path, { pagefrom: from });
  return html`<section class="category-members" aria-labelledby="category-members-heading">
    <h2 id="category-members-heading">Pages in category "${m.name}"</h2>
    ${m.total === 0
      ? html`<p>This category has no pages yet. A page joins it with <code>[[${category.text}]]</code>.</p>`
      : html`<p>${m.total === 1 ? 'This category has 1 page.' : `This category has ${m.total.toLocaleString('en')} pages.`}
          ${m.items.length < m.total ? ` Showing ${m.items.length}, from "${m.items[0]?.title.text ?? ''}".` : null}</p>
        <ul class="member-list">${m.items.map((p) => html`<li><a href="${wikiPath(p.title)}${p.isRedirect ? '?redirect=no' : ''}"${p.isRedirect ? html` class="redirect"` : null}>${p.title.text}</a></li>`)}</ul>`}
    ${pager({ prev: m.prev ? link(m.prev.from) : undefined, next: m.next ? link(m.next.from) : undefined, size: limit })}
  </section>`;
}
