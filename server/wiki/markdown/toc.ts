/** Headings: their ids, the table of contents, section edit links, and block authors on hover. */
import type { RendererRule, Token } from 'markdown-it';
import { wikiPath, type Title } from '../title.js';
import { escapeHtml, TokenClass } from './md.js';

const TOC_ID = 'toc-title';

/** A heading as rendered: `section` is the K of ?action=edit&section=K (see sections.ts). */
export interface Heading {
  level: number;
  text: string;
  id: string;
  section: number;
}

/** The id form of a heading or [[Page#Section]] fragment: lower case, punctuation gone, spaces (and _) as "-". */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/[^\p{L}\p{M}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
  return slug === '' ? 'section' : slug;
}

/** The id markdown-it-anchor gives a heading: its slug, except that the TOC's own title owns its id, so a heading with the same text steps aside. */
export function headingId(text: string): string {
  return slugify(text) === TOC_ID ? `${TOC_ID}-1` : slugify(text);
}

/** Plain text of a heading's inline tokens; the same text gives the slug, the TOC entry and the aria label. */
export function inlineText(children: Token[] | null): string {
  const parts = (children ?? []).map((t) => {
    if (t.type === 'text' || t.type === 'code_inline') return t.content;
    return t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : '';
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** heading_open tokens in source-line order, which is how sections are numbered (footnotes move tokens to the end). */
export function headingIndexes(tokens: Token[]): number[] {
  const found: number[] = [];
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open' && t.map) found.push(i);
  });
  return found.sort((a, b) => tokens[a]!.map![0] - tokens[b]!.map![0]);
}

/** The headings at `indexes` (from headingIndexes), numbered as sections from 1. */
export function readHeadings(tokens: Token[], indexes: number[]): Heading[] {
  return indexes.map((i, n) => ({
    level: Number(tokens[i]!.tag.slice(1)),
    text: inlineText(tokens[i + 1]?.children ?? null),
    id: tokens[i]!.attrGet('id') ?? '',
    section: n + 1,
  }));
}

/** A copy of `tokens` with a wiki_editsection token inside each heading, linking to its section's edit form. */
export function addEditLinks(tokens: Token[], indexes: number[], headings: Heading[], title: Title): Token[] {
  // Each edit link goes after the heading's inline token (index + 1), before heading_close.
  const after = new Map<number, Token>();
  indexes.forEach((tokenIndex, n) => {
    const heading = headings[n]!;
    const edit = new TokenClass('wiki_editsection', '', 0);
    edit.meta = { href: `${wikiPath(title)}?action=edit&section=${heading.section}`, text: heading.text };
    after.set(tokenIndex + 1, edit);
  });
  const out: Token[] = [];
  tokens.forEach((t, i) => {
    out.push(t);
    const edit = after.get(i);
    if (edit) out.push(edit);
  });
  return out;
}

/** Insert the table of contents (rendered by renderToc) before the top-level block holding the first heading. */
export function addToc(tokens: Token[], headings: Heading[]): void {
  let at = tokens.findIndex((t) => t.type === 'heading_open');
  // Before the top-level block that holds the first heading (it may sit in a blockquote or list).
  while (at > 0 && tokens[at]!.level > 0) at--;
  const toc = new TokenClass('wiki_toc', '', 0);
  toc.meta = headings;
  tokens.splice(at, 0, toc);
}

/** Put the writer of each top-level block on its opening tag (attributes are escaped by the renderer). */
export function markBlockAuthors(tokens: Token[], authorOf: (from: number, to: number) => string | undefined): void {
  for (const t of tokens) {
    if (t.level !== 0 || t.nesting === -1 || !t.block || !t.map) continue;
    const who = authorOf(t.map[0], t.map[1]);
    if (!who) continue;
    t.attrSet('data-blame', who);
    t.attrSet('title', who);
  }
}

/** Renderer rule for the table of contents that addToc inserted. */
export const renderToc: RendererRule = (tokens, idx) => {
  const list = tocList(tokens[idx]!.meta as Heading[]);
  return `<nav class="toc" aria-labelledby="${TOC_ID}"><h2 id="${TOC_ID}">Contents</h2>${list}</nav>\n`;
};

/** Renderer rule for a section edit link that addEditLinks inserted. */
export const renderEditSection: RendererRule = (tokens, idx) => {
  const { href, text } = tokens[idx]!.meta as { href: string; text: string };
  return `<span class="editsection"><span aria-hidden="true">[</span><a href="${escapeHtml(href)}" aria-label="Edit section: ${escapeHtml(text)}">edit</a><span aria-hidden="true">]</span></span>`;
};

/** Nested <ol> of the headings; a shallower heading inside a deeper list joins it rather than breaking out. */
function tocList(headings: Heading[]): string {
  let html = '';
  const stack: number[] = [];
  for (const h of headings) {
    const top = stack[stack.length - 1];
    if (top === undefined || h.level > top) {
      html += '<ol><li>';
      stack.push(h.level);
    } else {
      while (stack.length > 1 && h.level <= stack[stack.length - 2]!) {
        html += '</li></ol>';
        stack.pop();
      }
      html += '</li><li>';
      stack[stack.length - 1] = h.level;
    }
    html += `<a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a>`;
  }
  return html + '</li></ol>'.repeat(stack.length);
}
