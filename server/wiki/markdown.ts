/** Markdown rules of SPEC section 3: the one markdown-it instance, its wiki syntax and its URL policy (pure). */
import type { Token } from 'markdown-it';
import type { Title } from './title.js';
import { md } from './markdown/md.js';
import { footnotes } from './markdown/footnotes.js';
import { applyImagePolicy } from './markdown/images.js';
import {
  addEditLinks, addToc, assignHeadingIds, headingIndexes, inlineText, markBlockAuthors, MAX_DECORATED_HEADINGS, readHeadings, renderEditSection,
  renderToc, type Heading,
} from './markdown/toc.js';
import { inlineNestingRule } from './markdown/nesting.js';
import { isAllowedUrl, renderLinkOpen } from './markdown/urls.js';
import { plainText } from './markdown/plain.js';
import { renderCellOpen } from './markdown/tables.js';
import { normalizeRule } from './markdown/normalize.js';
import { analysisOf, docFacts, DocFactsCache, editedDocFacts, type FactsParse } from './markdown/editFacts.js';
import {
  catlinks, collect, hideCategoryParagraphs, redirectRule, renderCategory, renderRedirect, resolveLinks, toAnalysis, wikiLinkRule,
  type Analysis,
} from './markdown/wikilinks.js';

export type { Analysis } from './markdown/wikilinks.js';
export type { Heading } from './markdown/toc.js';
export { imagePolicyKey } from './markdown/images.js';

/** Bump whenever the HTML for an unchanged source changes; it is part of every render cache key. */
export const RENDER_VERSION = 3;

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
  /**
   * Hosts whose images may be shown (config `externalImages`, WIKI_EXTERNAL_IMAGES; matching in
   * markdown/images.ts). Relative images always show; any other image becomes a link to it.
   * Absent means no external host: the safe default.
   */
  imageHosts?: readonly string[];
}

/** The HTML body plus the facts gathered while rendering, so callers need not analyze() again. */
export interface Rendered {
  html: string;
  headings: Heading[];
  links: string[];
  categories: string[];
  redirect?: Analysis['redirect'];
}

// Configure the one instance once, at load, before any of the functions below can parse with it.
md.validateLink = isAllowedUrl;
md.core.ruler.at('normalize', normalizeRule);
md.inline.ruler.before('text', 'nesting_budget', inlineNestingRule);
md.use(footnotes);
md.inline.ruler.before('link', 'wiki_link', wikiLinkRule);
md.block.ruler.before('table', 'wiki_redirect', redirectRule);
// After footnote_tail, so headings inside notes are numbered where they are shown (as markdown-it-anchor did).
md.core.ruler.push('heading_ids', assignHeadingIds);
md.core.ruler.push('wiki_category_paragraphs', (state) => hideCategoryParagraphs(state.tokens));

md.renderer.rules.link_open = renderLinkOpen;
md.renderer.rules.th_open = renderCellOpen;
md.renderer.rules.td_open = renderCellOpen;
md.renderer.rules.wiki_category = renderCategory;
md.renderer.rules.wiki_redirect = renderRedirect;
md.renderer.rules.wiki_editsection = renderEditSection;
md.renderer.rules.wiki_toc = renderToc;

/**
 * Line (0-based, `\r\n`, `\r` and `\n` each end a line) and level of every heading, in section order,
 * found exactly as the renderer finds them (not in code, setext included). sections.ts splits on these.
 */
export function headingLines(source: string): { line: number; level: number }[] {
  const tokens = md.parse(source, {});
  return headingIndexes(tokens).map((i) => ({ line: tokens[i]!.map![0], level: Number(tokens[i]!.tag.slice(1)) }));
}

/**
 * The text of the heading a source starts with (a section's own heading), as the table of contents
 * shows it; undefined when the source does not start with a heading.
 */
export function leadingHeadingText(source: string): string | undefined {
  const tokens = md.parse(source, {});
  const i = headingIndexes(tokens)[0];
  if (i === undefined || tokens[i]!.map![0] !== 0) return undefined;
  const text = inlineText(tokens[i + 1]?.children ?? null).trim();
  return text === '' ? undefined : text;
}

/** The id the renderer gives the K-th heading (1-based), for landing on a section after saving it. */
export function sectionAnchor(source: string, k: number): string | undefined {
  const tokens = md.parse(source, {});
  const i = headingIndexes(tokens)[k - 1];
  return i === undefined ? undefined : (tokens[i]!.attrGet('id') ?? undefined);
}

/** Links, categories and redirect of a source, without rendering (for link tables and the redirect table). */
export function analyze(source: string): Analysis {
  return toAnalysis(collect(parseForFacts(source)));
}

/** analyze() plus the plain text for the search index, from one parse (a save needs both). */
export function analyzeForIndex(source: string): Analysis & { text: string } {
  const tokens = parseForFacts(source);
  return { ...toAnalysis(collect(tokens)), text: plainText(tokens) };
}

/** The facts of the texts saved last in this process, for their next saves (markdown/editFacts.ts). */
const SAVED_FACTS = new DocFactsCache();

/**
 * analyzeForIndex(text) for a save of `text` over `oldText` (null for a new page): when the facts
 * of `oldText` are at hand, only the blocks around the change are parsed (markdown/editFacts.ts).
 */
export function analyzeEdit(oldText: string | null, text: string): Analysis & { text: string } {
  const parent = oldText === null ? undefined : SAVED_FACTS.get(oldText);
  const doc = (parent && editedDocFacts(parent, oldText!, text, factsParse)) ?? docFacts(factsParse(text));
  SAVED_FACTS.put(text, doc);
  return analysisOf(doc);
}

/** A parse for facts, and whether the source defined references (editFacts.ts). */
export function factsParse(source: string): FactsParse {
  const env: { references?: unknown } = {};
  return { tokens: parseForFacts(source, env), references: env.references !== undefined };
}

/**
 * The tokens of `source` without the core linkify pass, which only turns bare URLs in text into
 * links: it finds no wiki link, category or redirect, and leaves the plain text's words as
 * written (it would only decode a URL's escapes for display), yet it was a sixth of every save's analysis. (The inline linkify rule, which decides where a URL
 * ends and so whether a [[link]] after it is one, still runs: the links found are the renderer's.)
 */
function parseForFacts(source: string, env: object = {}): Token[] {
  md.core.ruler.disable('linkify');
  try {
    return md.parse(source, env);
  } finally {
    md.core.ruler.enable('linkify');
  }
}

/**
 * Render a page source to HTML with red links, heading ids, TOC, footnotes, categories and optional
 * section edit links. Linear in the source (test/wiki/markdownGrowth.test.ts); a page with more than
 * MAX_DECORATED_HEADINGS headings gets no TOC and no edit links.
 */
export function render(source: string, options: RenderOptions): Rendered {
  const env = {};
  const tokens = md.parse(source, env);
  const facts = collect(tokens);
  const wanted = [...new Set([...facts.links, ...facts.categories.map((t) => t.text)])];
  const existing = wanted.length > 0 ? options.existing(wanted) : new Set<string>();
  resolveLinks(tokens, existing);
  applyImagePolicy(tokens, options.imageHosts ?? []);
  const indexes = headingIndexes(tokens);
  const headings = readHeadings(tokens, indexes);
  const decorate = headings.length <= MAX_DECORATED_HEADINGS;
  if (decorate && options.sectionEditLinks && options.title) addEditLinks(tokens, indexes, headings, options.title);
  if (options.blockAuthors) markBlockAuthors(tokens, options.blockAuthors);
  if (decorate && headings.length >= 3) addToc(tokens, headings);
  let html = md.renderer.render(tokens, md.options, env);
  if (facts.categories.length > 0) html += catlinks(facts.categories, existing);
  return { html, headings, ...toAnalysis(facts) };
}
