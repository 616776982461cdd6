/** The read side: latest and old revisions, redirects, and rendered HTML through the cache. */
import type { Stores } from '../db/stores.js';
import { NotFoundError } from './errors.js';
import { RENDER_VERSION, analyze, render } from './markdown.js';
import type { Title } from './title.js';
import type { Page, Revision } from './types.js';

export interface PageRead {
  page: Page;
  revision: Revision;
  source: string;
  /** Set when a redirect was followed to reach this page. */
  redirectedFrom?: Title;
  /** The fragment of a followed redirect's target ([[Target#Section]]). */
  fragment?: string;
}

/** The latest revision of a page; undefined when there is no such page. */
export function readLatest(stores: Stores, title: Title): PageRead | undefined {
  const page = stores.pages.byTitle(title);
  if (!page) return undefined;
  const revision = stores.revisions.byId(page.latestId)!;
  return { page, revision, source: stores.content.get(revision.contentId) };
}

/**
 * The latest revision, following one redirect when the page is one and its target exists
 * (a redirect to a redirect is not followed further, as in MediaWiki).
 */
export function readFollowingRedirect(stores: Stores, title: Title): PageRead | undefined {
  const read = readLatest(stores, title);
  if (!read || !read.page.isRedirect) return read;
  const target = analyze(read.source).redirect;
  if (!target || target.title.text === title.text) return read;
  const followed = readLatest(stores, target.title);
  if (!followed) return read;
  return { ...followed, redirectedFrom: read.page.title, fragment: target.fragment };
}

/**
 * Revision `id` of the page.
 * @throws NotFoundError when the revision does not exist or belongs to another page.
 */
export function readRevision(stores: Stores, page: Page, id: number): PageRead {
  const revision = stores.revisions.byId(id);
  if (!revision || revision.pageId !== page.id) {
    throw new NotFoundError(`Revision ${id} is not a revision of "${page.title.text}".`);
  }
  return { page, revision, source: stores.content.get(revision.contentId) };
}

export type RenderVariant = 'view' | 'old';

/**
 * The HTML of a revision, from the cache when the page has not been touched since it was rendered.
 * 'view' (the latest revision) carries section edit links; 'old' does not.
 */
export function renderedHtml(stores: Stores, read: PageRead, variant: RenderVariant): string {
  const { page, revision } = read;
  const cached = stores.renderCache.get(revision.id, RENDER_VERSION, variant, page.touched);
  if (cached !== undefined) return cached;
  const html = renderSource(stores, read.source, page.title, variant === 'view');
  stores.renderCache.put(revision.id, RENDER_VERSION, variant, page.touched, html);
  return html;
}

/** Render any source as it would show on page `title` (previews, the transform API). */
export function renderSource(stores: Stores, source: string, title: Title | undefined, sectionEditLinks = false): string {
  return render(source, {
    existing: (titles) => stores.pages.existing(titles),
    title,
    sectionEditLinks,
  }).html;
}

