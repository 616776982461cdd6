/** The read side: latest and old revisions, redirects, and rendered HTML through the cache. */
import type { Stores } from '../db/stores.js';
import { NotFoundError } from './errors.js';
import { authorsOf } from './blame.js';
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

/**
 * A read whose text is loaded on first use: a view served from the render cache never touches
 * (or inflates) the revision's content.
 */
function lazyRead(stores: Stores, page: Page, revision: Revision): PageRead {
  let text: string | undefined;
  return {
    page,
    revision,
    get source() {
      text ??= stores.content.get(revision.contentId);
      return text;
    },
  };
}

/** The latest revision of a page; undefined when there is no such page. */
export function readLatest(stores: Stores, title: Title): PageRead | undefined {
  const page = stores.pages.byTitle(title);
  if (!page) return undefined;
  const revision = stores.revisions.byId(page.latestId)!;
  return lazyRead(stores, page, revision);
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
  return Object.assign(followed, { redirectedFrom: read.page.title, fragment: target.fragment });
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
  return lazyRead(stores, page, revision);
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
  const html = variant === 'view'
    ? render(read.source, {
        existing: (titles) => stores.pages.existing(titles),
        title: page.title,
        sectionEditLinks: true,
        blockAuthors: blockAuthorsOf(stores, revision),
      }).html
    : renderSource(stores, read.source, page.title, false);
  stores.renderCache.put(revision.id, RENDER_VERSION, variant, page.touched, html);
  return html;
}

/** "Written by Alice (revision 12)" for a block's lines; several writers are named by share of lines. */
function blockAuthorsOf(stores: Stores, revision: Revision): (from: number, to: number) => string | undefined {
  const authors = authorsOf(stores, revision);
  const names = new Map<number, string>();
  const nameOf = (id: number) => {
    let n = names.get(id);
    if (n === undefined) names.set(id, (n = stores.revisions.byId(id)?.actor.name ?? '?'));
    return n;
  };
  return (from, to) => {
    const counts = new Map<number, number>();
    for (const id of authors.slice(from, to)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    if (ranked.length === 0) return undefined;
    const [firstId] = ranked[0]!;
    const others = [...new Set(ranked.slice(1).map(([id]) => nameOf(id)))].filter((n) => n !== nameOf(firstId));
    return `Written by ${nameOf(firstId)} (revision ${firstId})${others.length ? `, with edits by ${others.slice(0, 3).join(', ')}` : ''}`;
  };
}

/** Render any source as it would show on page `title` (previews, the transform API). */
export function renderSource(stores: Stores, source: string, title: Title | undefined, sectionEditLinks = false): string {
  return render(source, {
    existing: (titles) => stores.pages.existing(titles),
    title,
    sectionEditLinks,
  }).html;
}

