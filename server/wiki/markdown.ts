/** Markdown rules of SPEC section 3: the one markdown-it instance, its wiki syntax and its URL policy (pure). */
import MarkdownIt, { type PluginSimple, type StateBlock, type StateInline, type Token } from 'markdown-it';
import anchor from 'markdown-it-anchor';
import footnote from 'markdown-it-footnote';
import { tryParseTitle, wikiPath, type Title } from './title.js';

/** Bump whenever the HTML for an unchanged source changes; it is part of every render cache key. */
export const RENDER_VERSION = 1;

/** What a source links to, without rendering it: feeds the link, category and redirect tables. */
export interface Analysis {
  /** Title.text of every valid [[wiki link]] target (and the redirect target), unique, in order of first appearance. */
  links: string[];
  /** Category names (Title.name) from [[Category:Name]], unique, in order. */
  categories: string[];
  /** Set when the source starts with #REDIRECT [[Target]]; `fragment` is in heading-id (slug) form. */
  redirect?: { title: Title; fragment?: string };
}

/** How to render: existence of linked pages (red links) and the page's own title for section edit links. */
export interface RenderOptions {
  /** Given Title.text values, returns the set of those that exist as pages. Called at most once per render, with every link target and category page title. */
  existing: (titles: string[]) => Set<string>;
  /** The page being rendered; needed for section edit links. */
  title?: Title;
  /** Add an "edit" link beside each heading to `${wikiPath(title)}?action=edit&section=K` (K counts headings from 1 in document order). */
  sectionEditLinks?: boolean;
  /**
   * Who wrote the source lines [from, to] (0-based, end exclusive) of each top-level block, shown
   * on hover: the block gets `data-blame` and `title` attributes with the text returned.
   */
  blockAuthors?: (from: number, to: number) => string | undefined;
}

/** A heading as rendered: `section` is the K of ?action=edit&section=K (see sections.ts). */
export interface Heading {
  level: number;
  text: string;
  id: string;
  section: number;
}

/** The HTML body plus the facts gathered while rendering, so callers need not analyze() again. */
export interface Rendered {
  html: string;
  headings: Heading[];
  links: string[];
  categories: string[];
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

const TOC_ID = 'toc-title';
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);
// Everything a browser might drop or ignore inside a scheme: controls, format characters, all spaces.
const INVISIBLE = /[\p{C}\p{Z}\s]/gu;
const REDIRECT_LINE = /^\uFEFF?[ \t]*#redirect[ \t]*:?[ \t]*\[\[([^[\]\n]*)\]\]/i;

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false });
const escapeHtml = md.utils.escapeHtml;
const TokenClass = md.core.State.prototype.Token;

/** The id form of a heading or [[Page#Section]] fragment: lower case, punctuation gone, spaces (and _) as "-". */
function slugify(text: string): string {
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
 * The URL as a browser would finally read it: percent-escapes and entities decoded (repeatedly, so
 * double encoding cannot hide a scheme) and every invisible character removed.
 */
function plainUrl(url: string): string {
  let current = url;
  for (let i = 0; i < 5; i++) {
    const next = md.utils.unescapeAll(md.utils.lib.mdurl.decode(current));
    if (next === current) break;
    current = next;
  }
  return current.replace(INVISIBLE, '');
}

/** Allow only http:, https:, mailto: and scheme-less (relative) URLs. markdown-it passes the normalised URL. */
function isAllowedUrl(url: string): boolean {
  const plain = plainUrl(url);
  const stop = plain.search(/[:/?#]/);
  // A colon before any / ? # means the part before it is a scheme (e.g. "Talk:Foo" is one too).
  if (stop < 0 || plain[stop] !== ':') return true;
  return ALLOWED_SCHEMES.has(plain.slice(0, stop).toLowerCase());
}

function isExternal(href: string): boolean {
  return /^(?:https?:)?\/\//i.test(href);
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
  const title = tryParseTitle(name);
  return title === undefined ? undefined : { title, fragment, written, label, leadingColon };
}

/** Inline rule for [[...]]: a link, an in-page link, a category marker, or (invalid target) plain text. */
function wikiLinkRule(state: StateInline, silent: boolean): boolean {
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
function redirectRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  if (state.level !== 0 || state.parentType !== 'root') return false;
  const lineStart = state.bMarks[startLine] ?? 0;
  const match = REDIRECT_LINE.exec(state.src.slice(lineStart, state.eMarks[startLine]));
  // Only the first non-blank line counts; search() stops at the first content, so this stays cheap.
  if (!match || state.src.search(/[^\s\uFEFF]/) < lineStart) return false;
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

function linkAttrs(link: PageLink, exists: boolean): [string, string][] {
  const path = wikiPath(link.title);
  if (exists) return [['href', link.fragment === undefined ? path : `${path}#${link.fragment}`], ['title', link.title.text]];
  return [['href', `${path}?action=edit&redlink=1`], ['class', 'new'], ['title', `${link.title.text} (page does not exist)`]];
}

function attrString(attrs: [string, string][]): string {
  return attrs.map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('');
}

/**
 * Hide paragraphs holding nothing but category markers, so a line of [[Category:X]] leaves no empty <p>.
 * The markers stay in the token stream: collect() still finds them.
 */
function hideCategoryParagraphs(tokens: Token[]): void {
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

/** Plain text of a heading's inline tokens; the same text gives the slug, the TOC entry and the aria label. */
function inlineText(children: Token[] | null): string {
  const parts = (children ?? []).map((t) => {
    if (t.type === 'text' || t.type === 'code_inline') return t.content;
    return t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : '';
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

md.validateLink = isAllowedUrl;
// @types/markdown-it-footnote is typed against markdown-it's CommonJS types; the runtime plugin is the same.
md.use(footnote as unknown as PluginSimple);
md.use(anchor, {
  level: 1,
  tabIndex: false,
  getTokensText: inlineText,
  // The TOC's own title owns this id; a heading with the same text steps aside.
  slugify: (text: string) => (slugify(text) === TOC_ID ? `${TOC_ID}-1` : slugify(text)),
});
md.inline.ruler.before('link', 'wiki_link', wikiLinkRule);
md.block.ruler.before('table', 'wiki_redirect', redirectRule);
md.core.ruler.push('wiki_category_paragraphs', (state) => hideCategoryParagraphs(state.tokens));

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  if (isExternal(token.attrGet('href') ?? '')) {
    token.attrSet('rel', 'nofollow noopener');
    token.attrJoin('class', 'external');
  }
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.wiki_category = () => '';
md.renderer.rules.wiki_redirect = (tokens, idx) => {
  const token = tokens[idx]!;
  return `<div class="redirect-msg">Redirect to: <a${attrString(token.attrs ?? [])}>${escapeHtml(String(token.meta.label))}</a></div>\n`;
};
md.renderer.rules.wiki_editsection = (tokens, idx) => {
  const { href, text } = tokens[idx]!.meta as { href: string; text: string };
  return `<span class="editsection">[<a href="${escapeHtml(href)}" aria-label="Edit section: ${escapeHtml(text)}">edit</a>]</span>`;
};
md.renderer.rules.wiki_toc = (tokens, idx) => {
  const list = tocList(tokens[idx]!.meta as Heading[]);
  return `<nav class="toc" aria-labelledby="${TOC_ID}"><h2 id="${TOC_ID}">Contents</h2>${list}</nav>\n`;
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

/** heading_open tokens in source-line order, which is how sections are numbered (footnotes move tokens to the end). */
function headingIndexes(tokens: Token[]): number[] {
  const found: number[] = [];
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open' && t.map) found.push(i);
  });
  return found.sort((a, b) => tokens[a]!.map![0] - tokens[b]!.map![0]);
}

/**
 * Line (0-based, `\r\n`, `\r` and `\n` each end a line) and level of every heading, in section order,
 * found exactly as the renderer finds them (not in code, setext included). sections.ts splits on these.
 */
export function headingLines(source: string): { line: number; level: number }[] {
  const tokens = md.parse(source, {});
  return headingIndexes(tokens).map((i) => ({ line: tokens[i]!.map![0], level: Number(tokens[i]!.tag.slice(1)) }));
}

interface Facts {
  links: string[];
  categories: Title[];
  redirect?: Analysis['redirect'];
}

function collect(tokens: Token[]): Facts {
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

function toAnalysis(facts: Facts): Analysis {
  const analysis: Analysis = { links: facts.links, categories: facts.categories.map((t) => t.name) };
  if (facts.redirect) analysis.redirect = facts.redirect;
  return analysis;
}

/** Links, categories and redirect of a source, without rendering (for link tables and the redirect table). */
export function analyze(source: string): Analysis {
  return toAnalysis(collect(md.parse(source, {})));
}

/** Give every page link and the redirect its blue or red attributes. */
function resolveLinks(tokens: Token[], existing: Set<string>): void {
  for (const t of tokens) {
    if (t.type === 'wiki_redirect') t.attrs = linkAttrs(t.meta.wiki as PageLink, existing.has((t.meta.wiki as PageLink).title.text));
    for (const c of t.children ?? []) {
      const link = c.type === 'link_open' ? (c.meta?.wiki as PageLink | undefined) : undefined;
      if (link) c.attrs = linkAttrs(link, existing.has(link.title.text));
    }
  }
}

function addEditLinks(tokens: Token[], indexes: number[], headings: Heading[], title: Title): Token[] {
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

function addToc(tokens: Token[], headings: Heading[]): void {
  let at = tokens.findIndex((t) => t.type === 'heading_open');
  // Before the top-level block that holds the first heading (it may sit in a blockquote or list).
  while (at > 0 && tokens[at]!.level > 0) at--;
  const toc = new TokenClass('wiki_toc', '', 0);
  toc.meta = headings;
  tokens.splice(at, 0, toc);
}

function catlinks(categories: Title[], existing: Set<string>): string {
  const items = categories.map((t) => {
    const attrs: [string, string][] = existing.has(t.text) ? [['href', wikiPath(t)]] : linkAttrs({ title: t }, false);
    return `<li><a${attrString(attrs)}>${escapeHtml(t.name)}</a></li>`;
  });
  return `<div class="catlinks"><span>Categories:</span> <ul>${items.join('')}</ul></div>\n`;
}

/** Render a page source to HTML with red links, heading ids, TOC, footnotes, categories and optional section edit links. */
/** Put the writer of each top-level block on its opening tag (attributes are escaped by the renderer). */
function markBlockAuthors(tokens: Token[], authorOf: (from: number, to: number) => string | undefined): void {
  for (const t of tokens) {
    if (t.level !== 0 || t.nesting === -1 || !t.block || !t.map) continue;
    const who = authorOf(t.map[0], t.map[1]);
    if (!who) continue;
    t.attrSet('data-blame', who);
    t.attrSet('title', who);
  }
}

export function render(source: string, options: RenderOptions): Rendered {
  const env = {};
  const tokens = md.parse(source, env);
  const facts = collect(tokens);
  const wanted = [...new Set([...facts.links, ...facts.categories.map((t) => t.text)])];
  const existing = wanted.length > 0 ? options.existing(wanted) : new Set<string>();
  resolveLinks(tokens, existing);
  const indexes = headingIndexes(tokens);
  const headings = indexes.map((i, n) => ({
    level: Number(tokens[i]!.tag.slice(1)),
    text: inlineText(tokens[i + 1]?.children ?? null),
    id: tokens[i]!.attrGet('id') ?? '',
    section: n + 1,
  }));
  const shown = options.sectionEditLinks && options.title ? addEditLinks(tokens, indexes, headings, options.title) : tokens;
  if (options.blockAuthors) markBlockAuthors(shown, options.blockAuthors);
  if (headings.length >= 3) addToc(shown, headings);
  let html = md.renderer.render(shown, md.options, env);
  if (facts.categories.length > 0) html += catlinks(facts.categories, existing);
  return { html, headings, ...toAnalysis(facts) };
}
