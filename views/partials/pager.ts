/** Previous / next links under a list (plain links: paging works without JavaScript). */
import { html, type Html } from '../html.js';

export interface PagerLinks {
  prev?: string;
  next?: string;
  /** Link text, e.g. "50" in "Previous 50". */
  size: number;
}

/**
 * Build a URL from a path and query values; empty and undefined values are left out.
 */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

export function pager(p: PagerLinks): Html | null {
  if (!p.prev && !p.next) return null;
  return html`<nav class="pager" aria-label="Pages of this list">
    ${p.prev ? html`<a rel="prev" href="${p.prev}">Previous ${p.size}</a>` : null}
    ${p.next ? html`<a rel="next" href="${p.next}">Next ${p.size}</a>` : null}
  </nav>`;
}
