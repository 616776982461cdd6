/**
 * The page lists behind the special pages: all pages, random, wanted, orphaned, what links here,
 * categories and category members. Store rows become Titles here; paging is keyset where the
 * order is by title, so a deep page costs what the first one does.
 */
import type { Stores } from '../db/stores.js';
import type { ListedPage } from '../db/lists.js';
import { parseTitle, tryParseTitle, type Title } from './title.js';

export interface PageRef {
  id: number;
  title: Title;
  isRedirect: boolean;
}

/** Where the neighbouring pages of a title-ordered list start. */
export interface KeysetCursor {
  from: string;
  offset?: number;
}

export interface ListPage<T> {
  items: T[];
  next?: KeysetCursor;
  prev?: KeysetCursor;
}

const toRef = (p: ListedPage): PageRef => ({ id: p.id, title: parseTitle(p.title), isRedirect: p.isRedirect });

/**
 * The previous page's cursor from up to limit + 1 keys just before this page (nearest first): the
 * start of the list when no more than a page remains, else the key a page back; undefined when none.
 */
function startOf(keysBefore: string[], limit: number): KeysetCursor | undefined {
  if (keysBefore.length === 0) return undefined;
  return { from: keysBefore.length <= limit ? '' : keysBefore[limit - 1]! };
}

/** A typed category name in stored form ("peer networks" → "Peer networks"). */
export function categoryName(raw: string): string {
  return tryParseTitle(`Category:${raw}`)?.name ?? raw.trim();
}

/**
 * A typed prefix or start title in stored form: "peer" → "Peer", "talk:" → "Talk:", an empty one
 * → "". A prefix that no title could start with is kept as typed (it then matches nothing).
 */
export function titlePrefix(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed === '') return '';
  if (trimmed.endsWith(':')) {
    // "talk:" alone is no title; normalise it as the start of one and drop the stand-in letter.
    const t = tryParseTitle(trimmed + 'X');
    return t ? t.text.slice(0, -1) : trimmed;
  }
  return tryParseTitle(trimmed)?.text ?? trimmed;
}

/** Live pages by title with a prefix, from a title on (and `offset` further). */
export function allPages(stores: Stores, o: { prefix: string; from: string; offset: number; limit: number }): ListPage<PageRef> {
  const rows = stores.lists.allPages({ prefix: o.prefix, from: o.from, limit: o.limit + 1, offset: o.offset });
  const items = rows.slice(0, o.limit).map(toRef);
  const next = rows.length > o.limit ? { from: rows[o.limit]!.title } : undefined;
  let prev: KeysetCursor | undefined;
  if (o.offset > 0) prev = { from: o.from, offset: Math.max(0, o.offset - o.limit) };
  else if (o.from > o.prefix) {
    const before = stores.lists.allPagesBefore({ prefix: o.prefix, before: items[0]?.title.text ?? o.from, limit: o.limit + 1 });
    prev = startOf(before.map((p) => p.title), o.limit);
  }
  return { items, next, prev };
}

/** A random existing page, preferring articles (main namespace, not redirects); undefined on an empty wiki. */
export function randomPage(stores: Stores, random: () => number = Math.random): Title | undefined {
  const row = stores.lists.random('', random) ?? stores.lists.random(null, random);
  return row && parseTitle(row.title);
}

/** Titles that are linked to but have no page, most linked first. */
export function wantedPages(stores: Stores, limit: number, offset: number): { title: Title; links: number }[] {
  return stores.lists.wanted(limit, offset).flatMap((w) => {
    const title = tryParseTitle(w.title);
    return title ? [{ title, links: w.links }] : [];
  });
}

/** Articles (main-namespace pages, not redirects) that nothing links to, by title, as MediaWiki's LonelyPages. */
export function orphanedPages(stores: Stores, limit: number, offset: number): PageRef[] {
  return stores.lists.orphans(limit, offset).map(toRef);
}

/** Pages whose latest revision links to `title` (which need not exist), by page id. */
export function pagesLinkingHere(stores: Stores, title: Title, limit: number, offset: number): PageRef[] {
  return stores.lists.linksHere(title.text, limit, offset).map(toRef);
}

export interface CategoryEntry {
  /** The Category: page's title. */
  title: Title;
  members: number;
  /** Whether the Category: page itself exists. */
  exists: boolean;
}

function categoryEntries(stores: Stores, rows: { category: string; members: number }[]): CategoryEntry[] {
  const titles = rows.flatMap((r) => tryParseTitle(`Category:${r.category}`) ?? []);
  const existing = stores.pages.existing(titles.map((t) => t.text));
  return titles.map((title, i) => ({ title, members: rows[i]!.members, exists: existing.has(title.text) }));
}

/** Categories that have members, by name, from a name on. */
export function categoryList(stores: Stores, from: string, limit: number): ListPage<CategoryEntry> {
  const rows = stores.lists.categories(from, limit + 1);
  const items = categoryEntries(stores, rows.slice(0, limit));
  const next = rows.length > limit ? { from: rows[limit]!.category } : undefined;
  let prev: KeysetCursor | undefined;
  if (from !== '') {
    const before = stores.lists.categoriesBefore(rows[0]?.category ?? from, limit + 1);
    prev = startOf(before.map((c) => c.category), limit);
  }
  return { items, next, prev };
}

export interface CategoryMembers extends ListPage<PageRef> {
  /** The category's name (without "Category:"). */
  name: string;
  total: number;
}

/** Members of the category that a Category: page names, in title order, from a title on. */
export function categoryMembers(stores: Stores, category: Title, from: string, limit: number): CategoryMembers {
  const name = category.name;
  const rows = stores.lists.members(name, from, limit + 1);
  const items = rows.slice(0, limit).map(toRef);
  const next = rows.length > limit ? { from: rows[limit]!.title } : undefined;
  let prev: KeysetCursor | undefined;
  if (from !== '') {
    const before = stores.lists.membersBefore(name, items[0]?.title.text ?? from, limit + 1);
    prev = startOf(before.map((p) => p.title), limit);
  }
  return { name, total: stores.lists.memberCount(name), items, next, prev };
}
