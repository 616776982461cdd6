/** Headings: their ids, the table of contents, section edit links, and block authors on hover. */
import type { RendererRule, StateCore, Token } from 'markdown-it';
import { wikiPath, type Title } from '../title.js';
import { escapeHtml, TokenClass } from './md.js';

const TOC_ID = 'toc-title';

/**
 * Beyond this many headings a page gets no table of contents and no section edit links (sections
 * stay editable by URL). Each adds about 300 bytes of HTML per heading, so 1 MiB of "# h" lines
 * rendered 80 MiB; no page written for reading comes near this.
 */
export const MAX_DECORATED_HEADINGS = 1000;

/** Beyond this many top-level blocks, blocks carry no author on hover (about 100 bytes each). */
export const MAX_BLAMED_BLOCKS = 5000;

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

/**
 * Core rule: give every heading its id, in token order: its slug, then `slug-1`, `slug-2`… for
 * repeats (the ids markdown-it-anchor gave). The TOC's own title owns `toc-title` on every page.
 *
 * Linear, where markdown-it-anchor was quadratic (it tried -1, -2, … afresh for every repeat, so
 * 10,000 "# h" lines took 12 s): `next` remembers where each slug's search stopped. Skipping is
 * safe because ids are only ever added; and a candidate `s-n` belongs to one slug only (the part
 * before its last "-"), so all searches together pass each taken id at most once.
 */
export function assignHeadingIds(state: StateCore): void {
  const taken = new Set<string>([TOC_ID]);
  const next = new Map<string, number>();
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'heading_open') continue;
    tokens[i]!.attrSet('id', uniqueId(slugify(inlineText(tokens[i + 1]?.children ?? null)), taken, next));
  }
}

/** `slug`, or the first free `slug-N`; records the id as taken. */
function uniqueId(slug: string, taken: Set<string>, next: Map<string, number>): string {
  let id = slug;
  if (taken.has(id)) {
    let n = next.get(slug) ?? 1;
    while (taken.has(`${slug}-${n}`)) n++;
    id = `${slug}-${n}`;
    next.set(slug, n + 1);
  }
  taken.add(id);
  return id;
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

/**
 * Put a wiki_editsection token at the end of each heading's text, linking to its section's edit
 * form. In place: copying the token stream cost as much as parsing a big table.
 */
export function addEditLinks(tokens: Token[], indexes: number[], headings: Heading[], title: Title): void {
  const path = wikiPath(title);
  indexes.forEach((tokenIndex, n) => {
    const heading = headings[n]!;
    const edit = new TokenClass('wiki_editsection', '', 0);
    edit.meta = { href: `${path}?action=edit&section=${heading.section}`, text: heading.text };
    // Every heading_open is followed by its inline token (children [] when the heading is empty).
    tokens[tokenIndex + 1]?.children?.push(edit);
  });
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

/** Put the writer of each top-level block on its opening tag (attributes are escaped by the renderer); none past MAX_BLAMED_BLOCKS. */
export function markBlockAuthors(tokens: Token[], authorOf: (from: number, to: number) => string | undefined): void {
  const blocks = tokens.filter((t) => t.level === 0 && t.nesting !== -1 && t.block && t.map);
  if (blocks.length > MAX_BLAMED_BLOCKS) return;
  for (const t of blocks) {
    const who = authorOf(t.map![0], t.map![1]);
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
