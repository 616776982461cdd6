/** Wiki syntax: the [[...]] inline rule, #REDIRECT, categories, and resolving page links to blue or red. */
import type { RendererRule, StateBlock, StateInline, Token } from 'markdown-it';
import { tryParseTitle, wikiPath, type Title } from '../title.js';
import { escapeHtml } from './md.js';
import { slugify } from './toc.js';

/** What a source links to, without rendering it: feeds the link, category and redirect tables. */
export interface Analysis {
  /** Title.text of every valid [[wiki link]] target (and the redirect target), unique, in order of first appearance. */
  links: string[];
  /** Category names (Title.name) from [[Category:Name]], unique, in order. */
  categories: string[];
  /** Set when the source starts with #REDIRECT [[Target]]; `fragment` is in heading-id (slug) form. */
  redirect?: { title: Title; fragment?: string };
}

/** The wiki facts of a parsed source; categories keep their Title, for the category links. */
export interface Facts {
  links: string[];
  categories: Title[];
  redirect?: Analysis['redirect'];
}

/** A link to a page, as a wiki link or redirect token carries it in `meta.wiki`. */
interface PageLink {
  title: Title;
  fragment?: string;
}

/** What the text inside [[...]] says, before deciding whether it is a link, a category or a redirect. */
interface LinkParts {
  title?: Title;
  fragment?: string;
  /** The target as written, trimmed, without a leading colon: the default label. */
  written: string;
  label?: string;
  leadingColon: boolean;
}

// #REDIRECT [[Target]], in any case; a BOM, spaces and a colon after the keyword are allowed.
const REDIRECT_LINE = /^\uFEFF?[ \t]*#redirect[ \t]*:?[ \t]*\[\[([^[\]\n]*)\]\]/i;

/**
 * Titles of link targets as written, parsed once: a wiki links to the same few thousand pages over
 * and over, and parsing a title was a tenth of analysing a page. Bounded: emptied when full.
 * Titles are immutable values, so sharing one between parses is safe.
 */
const linkTitles = new Map<string, Title | undefined>();
const LINK_TITLES_MAX = 4096;

/** Longer targets (never valid titles once tidied past 255 bytes, or hostile) are parsed, not kept. */
const LINK_TITLE_KEY_MAX = 512;

function linkTitle(written: string): Title | undefined {
  if (written.length > LINK_TITLE_KEY_MAX) return tryParseTitle(written);
  if (linkTitles.has(written)) return linkTitles.get(written);
  const title = tryParseTitle(written);
  if (linkTitles.size >= LINK_TITLES_MAX) linkTitles.clear();
  linkTitles.set(written, title);
  return title;
}

/** Split the inside of [[...]]; undefined when the target is not a valid title or in-page fragment. */
function splitLink(inner: string): LinkParts | undefined {
  const bar = inner.indexOf('|');
  let written = (bar < 0 ? inner : inner.slice(0, bar)).trim();
  const label = bar < 0 ? undefined : inner.slice(bar + 1).trim() || undefined;
  const leadingColon = written.startsWith(':');
  if (leadingColon) written = written.slice(1).trim();
  const hash = written.indexOf('#');
  const name = hash < 0 ? written : written.slice(0, hash);
  const rawFragment = hash < 0 ? '' : written.slice(hash + 1).trim();
  const fragment = rawFragment === '' ? undefined : slugify(rawFragment);
  if (name.trim() === '') return fragment === undefined ? undefined : { fragment, written, label, leadingColon };
  const title = linkTitle(name);
  return title === undefined ? undefined : { title, fragment, written, label, leadingColon };
}

/** Inline rule for [[...]]: a link, an in-page link, a category marker, or (invalid target) plain text. */
export function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x5b || src.charCodeAt(pos + 1) !== 0x5b) return false;
  // Never emit an <a> inside a markdown link's label. (CommonMark already lets an inner link win, so this is a guard.)
  if (((state as StateInline & { linkLevel?: number }).linkLevel ?? 0) > 0) return false;
  // Scan only to the next bracket or line end, so a page full of unclosed "[[" stays linear.
  let close = pos + 2;
  for (; close < state.posMax; close++) {
    const c = src.charCodeAt(close);
    if (c === 0x5d) break;
    if (c === 0x5b || c === 0x0a) return false;
  }
  if (close + 2 > state.posMax || src.charCodeAt(close + 1) !== 0x5d) return false;
  if (!silent) pushWikiLink(state, src.slice(pos + 2, close), src.slice(pos, close + 2));
  state.pos = close + 2;
  return true;
}

/** The tokens for one [[...]]: plain text when invalid, a category marker, or a link (page or in-page). */
function pushWikiLink(state: StateInline, inner: string, whole: string): void {
  const parts = splitLink(inner);
  if (parts === undefined) {
    state.push('text', '', 0).content = whole;
    return;
  }
  const { title, fragment } = parts;
  if (title?.namespace === 'Category' && !parts.leadingColon) {
    state.push('wiki_category', '', 0).meta = { title };
    return;
  }
  // link_open (not a custom type) so linkify and other rules know this text is already a link.
  const open = state.push('link_open', 'a', 1);
  open.info = 'wiki';
  if (title === undefined) {
    open.attrs = [['href', `#${fragment ?? ''}`]];
  } else {
    const link: PageLink = fragment === undefined ? { title } : { title, fragment };
    // href and title are set by resolveLinks() once existence is known.
    open.meta = { wiki: link };
  }
  state.push('text', '', 0).content = parts.label ?? parts.written;
  state.push('link_close', 'a', -1);
}

/** Block rule for a first line `#REDIRECT [[Target]]`; runs before every other block rule so indentation cannot hide it. */
export function redirectRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  if (state.level !== 0 || state.parentType !== 'root') return false;
  const lineStart = state.bMarks[startLine] ?? 0;
  const match = REDIRECT_LINE.exec(state.src.slice(lineStart, state.eMarks[startLine]));
  if (!match) return false;
  // Only the first non-blank line counts. Where it is gets found once per parse and kept in env:
  // searching again for each of many "#REDIRECT" lines after a long blank run would be quadratic.
  const env = state.env as { firstContent?: number };
  env.firstContent ??= state.src.search(/[^\s\uFEFF]/);
  if (env.firstContent < lineStart) return false;
  const parts = splitLink(match[1] ?? '');
  if (parts?.title === undefined) return false;
  if (silent) return true;
  const token = state.push('wiki_redirect', 'div', 0);
  token.map = [startLine, startLine + 1];
  const link: PageLink = parts.fragment === undefined ? { title: parts.title } : { title: parts.title, fragment: parts.fragment };
  const hash = parts.written.indexOf('#');
  // Show the normalised title (what the reader will land on), keeping the section as written.
  token.meta = { wiki: link, label: parts.fragment === undefined ? parts.title.text : parts.title.text + parts.written.slice(hash) };
  state.line = startLine + 1;
  return true;
}

/** href, class and title of a page link: to the page (and section) when it exists, else a red link to its edit form. */
function linkAttrs(link: PageLink, exists: boolean): [string, string][] {
  const path = wikiPath(link.title);
  if (exists) return [['href', link.fragment === undefined ? path : `${path}#${link.fragment}`], ['title', link.title.text]];
  return [['href', `${path}?action=edit&redlink=1`], ['class', 'new'], ['title', `${link.title.text} (page does not exist)`]];
}

/** HTML attributes, escaped, each with a leading space. */
function attrString(attrs: [string, string][]): string {
  return attrs.map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('');
}

/**
 * Hide paragraphs holding nothing but category markers, so a line of [[Category:X]] leaves no empty <p>.
 * The markers stay in the token stream: collect() still finds them.
 */
export function hideCategoryParagraphs(tokens: Token[]): void {
  const blank = (t: Token): boolean =>
    t.type === 'wiki_category' || t.type === 'softbreak' || (t.type === 'text' && t.content.trim() === '');
  tokens.forEach((t, i) => {
    const inline = tokens[i + 1];
    const close = tokens[i + 2];
    if (t.type !== 'paragraph_open' || inline?.type !== 'inline' || close?.type !== 'paragraph_close') return;
    const children = inline.children ?? [];
    if (!children.some((c) => c.type === 'wiki_category') || !children.every(blank)) return;
    t.hidden = true;
    close.hidden = true;
    inline.children = children.filter((c) => c.type === 'wiki_category');
  });
}

/** Category markers render nothing in place; catlinks lists them after the page. */
export const renderCategory: RendererRule = () => '';

/** Renderer rule for the #REDIRECT line, once resolveLinks has given it its attributes. */
export const renderRedirect: RendererRule = (tokens, idx) => {
  const token = tokens[idx]!;
  return `<div class="redirect-msg">Redirect to: <a${attrString(token.attrs ?? [])}>${escapeHtml(String(token.meta.label))}</a></div>\n`;
};

/** The links, categories and redirect in a parsed source, each once, in order of first appearance. */
export function collect(tokens: Token[]): Facts {
  const links = new Set<string>();
  const categories = new Map<string, Title>();
  let redirect: Analysis['redirect'];
  for (const t of tokens) {
    if (t.type === 'wiki_redirect') {
      redirect = { ...(t.meta.wiki as PageLink) };
      links.add(redirect.title.text);
    }
    for (const c of t.children ?? []) {
      if (c.type === 'link_open' && c.meta?.wiki) links.add((c.meta.wiki as PageLink).title.text);
      if (c.type === 'wiki_category') categories.set((c.meta.title as Title).name, c.meta.title as Title);
    }
  }
  const facts: Facts = { links: [...links], categories: [...categories.values()] };
  if (redirect) facts.redirect = redirect;
  return facts;
}

/** The public Analysis of the facts: categories by name. */
export function toAnalysis(facts: Facts): Analysis {
  const analysis: Analysis = { links: facts.links, categories: facts.categories.map((t) => t.name) };
  if (facts.redirect) analysis.redirect = facts.redirect;
  return analysis;
}

/** Give every page link and the redirect its blue or red attributes. */
export function resolveLinks(tokens: Token[], existing: Set<string>): void {
  for (const t of tokens) {
    if (t.type === 'wiki_redirect') t.attrs = linkAttrs(t.meta.wiki as PageLink, existing.has((t.meta.wiki as PageLink).title.text));
    for (const c of t.children ?? []) {
      const link = c.type === 'link_open' ? (c.meta?.wiki as PageLink | undefined) : undefined;
      if (link) c.attrs = linkAttrs(link, existing.has(link.title.text));
    }
  }
}

/** The "Categories:" box after the page: a category page that exists is a plain link, a missing one a red link. */
export function catlinks(categories: Title[], existing: Set<string>): string {
  const items = categories.map((t) => {
    const attrs: [string, string][] = existing.has(t.text) ? [['href', wikiPath(t)]] : linkAttrs({ title: t }, false);
    return `<li><a${attrString(attrs)}>${escapeHtml(t.name)}</a></li>`;
  });
  return `<div class="catlinks"><span>Categories:</span> <ul>${items.join('')}</ul></div>\n`;
}
