/**
 * An edit summary as history, recent changes and diffs show it: a `/* Section *\/` part (the
 * automatic summary of a section edit) becomes a link to that section, "→Section", as in MediaWiki.
 */
import { html, type Html } from '../html.js';
import { slugify } from '../../server/wiki/markdown/toc.js';

// Summaries are at most 500 characters, and the pattern cannot backtrack past a "*/": linear.
const SECTION = /\/\*([^*]*(?:\*(?!\/)[^*]*)*)\*\//;

/** The summary's HTML (escaped), without the surrounding brackets; `pagePath` is the path of the page it was made on. */
export function commentHtml(pagePath: string | undefined, comment: string): Html {
  const m = pagePath ? SECTION.exec(comment) : null;
  const section = m?.[1]?.trim();
  if (!m || !section) return html`${comment}`;
  const before = comment.slice(0, m.index).trim();
  const after = comment.slice(m.index + m[0].length).trim();
  const link = html`<a class="autocomment" href="${pagePath}#${slugify(section)}">→${section}</a>`;
  return html`${before ? html`${before} ` : null}${link}${after ? html`: ${after}` : null}`;
}
