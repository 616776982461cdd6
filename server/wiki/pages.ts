/** The read side: latest and old revisions, redirects, and rendered HTML through the cache. */
import type { Stores } from '../db/stores.js';
import { NotFoundError } from './errors.js';
import { BLAME_VERSION } from './blame.js';
import { scheduleAuthors } from './blameFill.js';
import { blockAuthorLabel, type BytesJob, type LineAuthors } from './work/jobs.js';
import { PACK_FROM, PACK_LEVEL } from '../db/renderCache.js';
import type { TextWorkers } from './work/pool.js';
import { RENDER_VERSION, analyze, imagePolicyKey, render } from './markdown.js';
import { storedTitle, type Title } from './title.js';
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
 * The page of this title. `what` ends the message for a page that is missing ("There is no page
 * "X"" + what), e.g. ", so it has no history feed.".
 * @throws NotFoundError when there is no such (live) page.
 */
export function requirePage(stores: Stores, title: Title, what = '.'): Page {
  const page = stores.pages.byTitle(title);
  if (!page) throw new NotFoundError(`There is no page "${title.text}"${what}`);
  return page;
}

/**
 * readLatest for a page that must exist.
 * @throws NotFoundError as requirePage does.
 */
export function requireLatest(stores: Stores, title: Title, what = '.'): PageRead {
  const read = readLatest(stores, title);
  if (!read) throw new NotFoundError(`There is no page "${title.text}"${what}`);
  return read;
}

/**
 * Revision `id` of `page`.
 * @throws NotFoundError when the revision does not exist or belongs to another page.
 */
export function requireRevision(stores: Stores, page: Page, id: number): Revision {
  const revision = stores.revisions.byId(id);
  if (!revision || revision.pageId !== page.id) throw new NotFoundError(`Revision ${id} is not a revision of "${page.title.text}".`);
  return revision;
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
  return lazyRead(stores, page, requireRevision(stores, page, id));
}

export type RenderVariant = 'view' | 'old';

/**
 * The HTML of a revision, from the cache when the page has not been touched since it was rendered.
 * 'view' (the latest revision) carries section edit links and block authors; 'old' does not.
 * `imageHosts` is the config's externalImages (see RenderOptions); it is part of the cache key, so
 * HTML rendered under one image policy is never served under another. A large text is rendered on
 * the text process (renderOffThread), so a first view of a huge page stalls no other reader.
 * Block authors come from the authorship stored at save time; a view never derives it: when it is
 * not stored yet (an older database, a save whose authorship is still being derived), the view is
 * rendered without them, not cached, and the authorship derived in the background.
 */
export async function renderedHtml(stores: Stores, workers: TextWorkers, read: PageRead, variant: RenderVariant, imageHosts: readonly string[]): Promise<string | Buffer> {
  const { page, revision } = read;
  const policy = imagePolicyKey(imageHosts);
  const key = policy === '' ? variant : `${variant};${policy}`;
  const cached = await stores.renderCache.get(revision.id, RENDER_VERSION, key, page.touched);
  if (cached !== undefined) return cached;
  const view = variant === 'view';
  const authors = view ? lineAuthors(stores, revision) : undefined;
  if (view && !authors) scheduleAuthors(stores, workers, revision.id);
  const { html, packed } = await renderOffThread(stores, workers, {
    source: read.source,
    title: page.title.text,
    sectionEditLinks: view,
    authors,
    imageHosts,
    pack: { from: PACK_FROM, level: PACK_LEVEL },
  });
  // HTML without the block authors it should carry is not kept: the next view, once they are stored, renders them.
  if (!view || authors) await stores.renderCache.put(revision.id, RENDER_VERSION, key, page.touched, html, packed);
  return html;
}

/**
 * Who wrote each line of a revision, with the writers' names (one statement for all of them): what
 * block authors on hover need. Undefined when the revision's authorship is not stored.
 */
function lineAuthors(stores: Stores, revision: Revision): LineAuthors | undefined {
  const runs = stores.blame.runs(revision.id, BLAME_VERSION);
  if (!runs) return undefined;
  const ids = [...new Set(runs.filter((_, i) => i % 2 === 0))];
  const known = stores.blame.writerNames(ids);
  return { runs, names: ids.map((id) => [id, known.get(id) ?? '?']) };
}

/** Render any source as it would show on page `title` (previews, the transform API); `imageHosts` as for renderedHtml. */
export async function renderSource(
  stores: Stores,
  workers: TextWorkers,
  source: string,
  title: Title | undefined,
  imageHosts: readonly string[],
): Promise<string | Buffer> {
  return (await renderOffThread(stores, workers, { source, title: title?.text, imageHosts })).html;
}

/**
 * Render inline when the text is small; else in the text process in two steps (the link targets,
 * then, once the database has said which exist, the HTML), so the thread never needs the database.
 * The text process's HTML comes back as UTF-8 bytes (and deflated when `job.pack` asks), an inline one as text.
 */
const EXISTING_SLICE = 2000;

async function renderOffThread(stores: Stores, workers: TextWorkers, job: Omit<BytesJob, 'existing'>): Promise<{ html: string | Buffer; packed?: Buffer }> {
  if (!workers.offloads(job.source.length)) {
    return {
      html: render(job.source, {
        existing: (titles) => stores.pages.existing(titles),
        title: job.title === undefined ? undefined : storedTitle(job.title),
        sectionEditLinks: job.sectionEditLinks,
        blockAuthors: job.authors ? blockAuthorLabel(job.authors) : undefined,
        imageHosts: job.imageHosts,
      }).html,
    };
  }
  const targets = await workers.run('targets', job.source, job.source.length);
  // A page of 50,000 links asks about them in slices, letting other requests run between.
  const existing: string[] = [];
  for (let i = 0; i < targets.length; i += EXISTING_SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    existing.push(...stores.pages.existing(targets.slice(i, i + EXISTING_SLICE)));
  }
  const out = await workers.run('renderBytes', { ...job, existing }, job.source.length);
  // A moved array arrives as a plain Uint8Array: seen as a Buffer over the same memory, not copied.
  const asBuffer = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return { html: asBuffer(out.html), packed: out.packed && asBuffer(out.packed) };
}
