/** Which URLs' anonymous responses a committed change made stale: what server/cache/purge.ts purges (SPEC section 9). */
import type { Stores } from '../db/stores.js';
import type { PageTitleRow } from '../db/links.js';
import type { ChangeEvent, Title } from '../wiki/types.js';
import { tryParseTitle, wikiPath } from '../wiki/title.js';
import { pairOf } from '../wiki/pairs.js';

/**
 * Pages whose links changed colour that one event purges, all its linkColours titles together
 * (each such page is one URL). A title linked from more pages than this leaves the rest stale in
 * the caches until their s-maxage runs out; the wiki itself has re-rendered them (touched stamps).
 */
export const LINKING_PAGES_CAP = 2_000;
/** Redirects to a page that one event purges (they show its content). */
export const REDIRECTS_CAP = 200;
/** Link rows looked through to find those redirects: bounds the cost of a save of a page linked from everywhere. */
export const REDIRECT_SCAN = 10_000;

export interface StaleUrls {
  /** Paths with their query ("/wiki/Peer_networks?action=history"), each once. */
  urls: string[];
  /** Linking pages past LINKING_PAGES_CAP that were left out. 0 when none were. */
  skipped: number;
}

/**
 * The paths of everything one page's own changes show in: its view (also as ?redirect=no), its
 * history and history feed, its raw source and its info page. Other paged or parametered forms
 * (history pages past the first, ?oldid, ?diff) are not listed; they keep their s-maxage.
 */
export function pagePaths(title: Title | string): string[] {
  const p = wikiPath(title);
  return [p, `${p}?redirect=no`, `${p}?action=history`, `${p}?action=history&format=atom`, `${p}?action=raw`, `${p}?action=info`];
}

/**
 * The stale paths of one committed change, read from the database as the feed delivers it (after
 * the commit, synchronously): bounded by the caps above, a few indexed lookups and at most two
 * category scans of revision texts. Blocks, unblocks and patrols change nothing an anonymous
 * reader sees, and give none. `linkingCap` is LINKING_PAGES_CAP but for tests.
 */
export function staleUrls(stores: Stores, event: ChangeEvent, linkingCap = LINKING_PAGES_CAP): StaleUrls {
  const urls = new Set<string>();
  const addPage = (t: Title | string) => pagePaths(t).forEach((u) => urls.add(u));
  const addRedirectsTo = (t: Title) => {
    for (const r of stores.links.redirectsTo(t.text, REDIRECTS_CAP, REDIRECT_SCAN)) urls.add(wikiPath(r.title));
  };
  const addCategories = (names: Iterable<string>) => {
    for (const name of names) urls.add(wikiPath(`Category:${name}`));
  };
  switch (event.type) {
    case 'save':
      addPage(event.title);
      addRedirectsTo(event.title);
      // The old revision's page now has a "newer revision" link.
      if (event.parentId !== null) urls.add(`${wikiPath(event.title)}?oldid=${event.parentId}`);
      addCategories(changedCategories(stores, event.parentId, event.revisionId));
      break;
    case 'delete':
    case 'undelete':
      addPage(event.title);
      addRedirectsTo(event.title);
      addCategories(categoriesOf(stores, event.revisionId));
      break;
    case 'import':
      addPage(event.title);
      addRedirectsTo(event.title);
      addCategories(categoriesOf(stores, event.revisionIds.at(-1)));
      break;
    case 'move':
      for (const t of [event.from, event.to]) {
        addPage(t);
        addRedirectsTo(t);
      }
      // The category pages list the page under its new title.
      addCategories(categoriesOf(stores, stores.pages.byId(event.pageId)?.latestId));
      break;
    case 'protect':
      addPage(event.title);
      break;
    case 'block':
    case 'unblock':
    case 'patrol':
      break;
  }
  // A page and its talk page show a tab to each other, red while the other is missing: the other's
  // views with tabs are stale, when it exists (a missing page's 404 may stay cached for its seconds).
  for (const t of event.linkColours) {
    const pair = pairOf(t);
    if (pair && stores.pages.byTitle(pair)) {
      const p = wikiPath(pair);
      for (const u of [p, `${p}?redirect=no`, `${p}?action=history`, `${p}?action=info`]) urls.add(u);
    }
  }
  const skipped = addLinkingPages(stores, event.linkColours, urls, linkingCap);
  return { urls: [...urls], skipped };
}

/**
 * Pages whose links to `titles` change colour: every page linking to one and, for a Category:
 * title, the pages in it (their category box links to it), as pages.touchPagesLinkingTo touches
 * them. Returns how many were left out past `cap` (counted only to the first left out per title:
 * a lower bound).
 */
function addLinkingPages(stores: Stores, titles: readonly Title[], urls: Set<string>, cap: number): number {
  let room = cap;
  let skipped = 0;
  const add = (rows: PageTitleRow[]) => {
    for (const row of rows.slice(0, room)) {
      urls.add(wikiPath(row.title));
      // A redirect's own page shows its target's link colour too.
      if (row.isRedirect) urls.add(`${wikiPath(row.title)}?redirect=no`);
    }
    skipped += Math.max(0, rows.length - room);
    room = Math.max(0, room - rows.length);
  };
  for (const t of titles) {
    // One more than there is room for: tells whether any were left out.
    add(stores.links.linkersOf(t.text, room + 1));
    if (t.namespace === 'Category') add(stores.links.membersOf(t.name, room + 1));
  }
  return skipped;
}

/** Categories a revision's text names; none for no revision. */
function categoriesOf(stores: Stores, revisionId: number | null | undefined): Set<string> {
  if (revisionId === null || revisionId === undefined) return new Set();
  const rev = stores.revisions.byId(revisionId);
  return rev ? categoriesIn(stores.content.get(rev.contentId)) : new Set();
}

/** Categories the page joined or left between two revisions (all of the new one's for a new page). */
function changedCategories(stores: Stores, parentId: number | null, revisionId: number): Set<string> {
  const before = categoriesOf(stores, parentId);
  const after = categoriesOf(stores, revisionId);
  return new Set([...[...after].filter((c) => !before.has(c)), ...[...before].filter((c) => !after.has(c))]);
}

// [[Category:Name]] and [[Category:Name|sort key]], namespace in any case (title.ts), no leading colon.
const CATEGORY_LINK = /\[\[[\s_]*category[\s_]*:([^[\]\n]*)\]\]/gi;

/**
 * Category names ([[Category:X]] as title.ts normalises X) in a text, by a scan instead of a
 * Markdown parse: about a millisecond for 1 MiB where parsing takes hundreds. It also counts
 * markers the renderer ignores (inside code), so a page whose marker moves into or out of code
 * while staying in the text is not seen to change category: that category page keeps its s-maxage.
 */
export function categoriesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(CATEGORY_LINK)) {
    const inner = m[1]!;
    const bar = inner.indexOf('|');
    const target = (bar < 0 ? inner : inner.slice(0, bar)).split('#')[0]!;
    const title = tryParseTitle(`Category:${target}`);
    if (title?.namespace === 'Category') names.add(title.name);
  }
  return names;
}
