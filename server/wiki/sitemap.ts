/**
 * What /sitemap.xml holds: every live page that is not a redirect, with its last edit. Sitemap
 * files hold at most 50,000 URLs, so a larger wiki gets a sitemap index whose files each cover one
 * range of page ids (an id range is an index range, and never holds more pages than ids).
 */
import type { Stores } from '../db/stores.js';
import { parseTitle, type Title } from './title.js';

export const SITEMAP_MAX_URLS = 50_000;

export interface SitemapUrl {
  title: Title;
  lastmod: string;
}

export type Sitemap =
  | { kind: 'urls'; urls: SitemapUrl[] }
  /** Numbers of the files (1-based) that hold at least one page. */
  | { kind: 'index'; files: number[] };

function urlsIn(stores: Stores, first: number, last: number): SitemapUrl[] {
  return stores.lists.sitemap(first, last).map((r) => ({ title: parseTitle(r.title), lastmod: r.lastmod }));
}

/** The whole sitemap when it fits one file, else the list of its files. */
export function sitemap(stores: Stores, perFile = SITEMAP_MAX_URLS): Sitemap {
  const maxId = stores.lists.maxPageId();
  if (maxId <= perFile) return { kind: 'urls', urls: urlsIn(stores, 1, perFile) };
  const files: number[] = [];
  for (let n = 1; (n - 1) * perFile < maxId; n++) {
    if (stores.lists.sitemapHasAny((n - 1) * perFile + 1, n * perFile)) files.push(n);
  }
  return { kind: 'index', files };
}

/** File `n` of a sitemap index; undefined when there is no such file (or it would be empty). */
export function sitemapFile(stores: Stores, n: number, perFile = SITEMAP_MAX_URLS): SitemapUrl[] | undefined {
  const maxId = stores.lists.maxPageId();
  if (maxId <= perFile || (n - 1) * perFile >= maxId) return undefined;
  const urls = urlsIn(stores, (n - 1) * perFile + 1, n * perFile);
  return urls.length > 0 ? urls : undefined;
}
