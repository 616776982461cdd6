/**
 * The page lists of the special pages (all pages, random, wanted, orphaned, what links here,
 * categories and their members, the sitemap). Every statement walks an index: keyset ranges on
 * titles or ids, or the trigger-kept link_target table (migration 0005), never a whole table.
 */
import type { Db } from './connection.js';
import { livePage } from './live.js';

/** A page as the lists need it: id, title text, redirect flag. */
export interface ListedPage {
  id: number;
  title: string;
  isRedirect: boolean;
}

export interface WantedTitle {
  title: string;
  links: number;
}

export interface CategoryCount {
  category: string;
  members: number;
}

export interface SitemapRow {
  title: string;
  lastmod: string;
}

interface PageRow {
  id: number;
  title: string;
  is_redirect: number;
}

const LIVE = livePage('p');

/** The SQL of every list, exported so a test can check each one's query plan. */
export const LIST_SQL = {
  allPages: `SELECT p.id, p.title, p.is_redirect FROM page p
    WHERE p.title >= @from AND p.title < @end AND ${LIVE} ORDER BY p.title LIMIT @limit OFFSET @offset`,
  allPagesBefore: `SELECT p.id, p.title, p.is_redirect FROM page p
    WHERE p.title < @before AND p.title >= @start AND ${LIVE} ORDER BY p.title DESC LIMIT @limit`,
  maxPageId: 'SELECT max(id) AS id FROM page',
  randomFrom: `SELECT p.id, p.title, p.is_redirect FROM page p
    WHERE p.id >= @id AND ${LIVE} AND p.is_redirect = 0 AND (@ns IS NULL OR p.namespace = @ns) ORDER BY p.id LIMIT 1`,
  randomBefore: `SELECT p.id, p.title, p.is_redirect FROM page p
    WHERE p.id < @id AND ${LIVE} AND p.is_redirect = 0 AND (@ns IS NULL OR p.namespace = @ns) ORDER BY p.id LIMIT 1`,
  wanted: 'SELECT title, links FROM link_target WHERE live = 0 ORDER BY links DESC, title LIMIT @limit OFFSET @offset',
  // CROSS JOIN keeps link_target first, so the walk follows its orphans index in title order.
  orphans: `SELECT p.id, p.title, p.is_redirect FROM link_target t CROSS JOIN page p ON p.title = t.title
    WHERE t.live = 1 AND t.links = 0 AND p.is_redirect = 0 AND p.namespace = '' AND ${LIVE} ORDER BY t.title LIMIT @limit OFFSET @offset`,
  linksHere: `SELECT p.id, p.title, p.is_redirect FROM link l JOIN page p ON p.id = l.from_page
    WHERE l.to_title = @title AND ${LIVE} ORDER BY l.from_page LIMIT @limit OFFSET @offset`,
  categories: `SELECT category, count(*) AS members FROM category_link
    WHERE category >= @from GROUP BY category ORDER BY category LIMIT @limit`,
  categoriesBefore: `SELECT category, count(*) AS members FROM category_link
    WHERE category < @before GROUP BY category ORDER BY category DESC LIMIT @limit`,
  members: `SELECT p.id, p.title, p.is_redirect FROM category_link c JOIN page p ON p.id = c.page_id
    WHERE c.category = @category AND c.title >= @from AND ${LIVE} ORDER BY c.title LIMIT @limit`,
  membersBefore: `SELECT p.id, p.title, p.is_redirect FROM category_link c JOIN page p ON p.id = c.page_id
    WHERE c.category = @category AND c.title < @before AND ${LIVE} ORDER BY c.title DESC LIMIT @limit`,
  memberCount: 'SELECT count(*) AS n FROM category_link WHERE category = @category',
  sitemap: `SELECT p.title, r.timestamp AS lastmod FROM page p JOIN revision r ON r.id = p.latest_id
    WHERE p.id BETWEEN @first AND @last AND p.is_redirect = 0 AND ${LIVE} ORDER BY p.id`,
  sitemapAny: `SELECT 1 AS found FROM page p WHERE p.id BETWEEN @first AND @last AND p.is_redirect = 0 AND ${LIVE} LIMIT 1`,
} as const;

const toListed = (r: PageRow): ListedPage => ({ id: r.id, title: r.title, isRedirect: r.is_redirect === 1 });

/** The end of a prefix range: every string starting with `prefix` sorts below it. */
function prefixEnd(prefix: string): string {
  return prefix + '\u{10FFFF}';
}

export class ListStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      allPages: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.allPages),
      allPagesBefore: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.allPagesBefore),
      maxPageId: db.prepare<[], { id: number | null }>(LIST_SQL.maxPageId),
      randomFrom: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.randomFrom),
      randomBefore: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.randomBefore),
      wanted: db.prepare<Record<string, unknown>, WantedTitle>(LIST_SQL.wanted),
      orphans: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.orphans),
      linksHere: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.linksHere),
      categories: db.prepare<Record<string, unknown>, CategoryCount>(LIST_SQL.categories),
      categoriesBefore: db.prepare<Record<string, unknown>, CategoryCount>(LIST_SQL.categoriesBefore),
      members: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.members),
      membersBefore: db.prepare<Record<string, unknown>, PageRow>(LIST_SQL.membersBefore),
      memberCount: db.prepare<Record<string, unknown>, { n: number }>(LIST_SQL.memberCount),
      sitemap: db.prepare<Record<string, unknown>, SitemapRow>(LIST_SQL.sitemap),
      sitemapAny: db.prepare<Record<string, unknown>, { found: number }>(LIST_SQL.sitemapAny),
    };
  }

  /** Live pages in title order whose title starts with `prefix`, from the title `from` on. */
  allPages(o: { prefix: string; from: string; limit: number; offset: number }): ListedPage[] {
    const from = o.from > o.prefix ? o.from : o.prefix;
    return this.s.allPages.all({ from, end: prefixEnd(o.prefix), limit: o.limit, offset: o.offset }).map(toListed);
  }

  /** The `limit` live pages with the prefix just before the title `before`, nearest first. */
  allPagesBefore(o: { prefix: string; before: string; limit: number }): ListedPage[] {
    return this.s.allPagesBefore.all({ before: o.before, start: o.prefix, limit: o.limit }).map(toListed);
  }

  /**
   * The first live, non-redirect page at or after a random id (wrapping round), in namespace `ns`
   * ('' is the main namespace; null any). One primary-key seek, never a scan of the table.
   * undefined when there is no such page.
   */
  random(ns: string | null, random: () => number = Math.random): ListedPage | undefined {
    const max = this.s.maxPageId.get()?.id;
    if (!max) return undefined;
    const id = 1 + Math.floor(random() * max);
    const row = this.s.randomFrom.get({ id, ns }) ?? this.s.randomBefore.get({ id, ns });
    return row && toListed(row);
  }

  /** Titles that are linked but have no page, most linked first. */
  wanted(limit: number, offset: number): WantedTitle[] {
    return this.s.wanted.all({ limit, offset });
  }

  /** Articles (main namespace, not redirects) that no page links to, by title. */
  orphans(limit: number, offset: number): ListedPage[] {
    return this.s.orphans.all({ limit, offset }).map(toListed);
  }

  /** Live pages whose latest revision links to the title text, by page id. */
  linksHere(title: string, limit: number, offset: number): ListedPage[] {
    return this.s.linksHere.all({ title, limit, offset }).map(toListed);
  }

  /** Categories (names without prefix) that have members, by name, from `from` on. */
  categories(from: string, limit: number): CategoryCount[] {
    return this.s.categories.all({ from, limit });
  }

  /** The `limit` categories just before `before`, nearest first. */
  categoriesBefore(before: string, limit: number): CategoryCount[] {
    return this.s.categoriesBefore.all({ before, limit });
  }

  /** Members of a category (name without prefix) in title order, from the title `from` on. */
  members(category: string, from: string, limit: number): ListedPage[] {
    return this.s.members.all({ category, from, limit }).map(toListed);
  }

  /** The `limit` members just before the title `before`, nearest first. */
  membersBefore(category: string, before: string, limit: number): ListedPage[] {
    return this.s.membersBefore.all({ category, before, limit }).map(toListed);
  }

  memberCount(category: string): number {
    return this.s.memberCount.get({ category })!.n;
  }

  /** The highest page id ever given (0 for an empty wiki): sitemap files are cut by id range. */
  maxPageId(): number {
    return this.s.maxPageId.get()?.id ?? 0;
  }

  /** Live, non-redirect pages with ids in [first, last], by id, with their latest edit time. */
  sitemap(first: number, last: number): SitemapRow[] {
    return this.s.sitemap.all({ first, last });
  }

  /** Whether any live, non-redirect page has an id in [first, last]. */
  sitemapHasAny(first: number, last: number): boolean {
    return this.s.sitemapAny.get({ first, last }) !== undefined;
  }

  /**
   * Recompute the derived tables of migration 0005 (link counts, members' titles) from `link`,
   * `category_link` and `page`. The triggers keep them right; this is for `check --reindex`.
   */
  rebuild(): void {
    // Link rows name their target by link_target's id (migration 0021): its rows are recounted in
    // place, never dropped while a link names them.
    this.db.transaction(() => this.db.exec(`UPDATE link_target SET
        links = (SELECT count(*) FROM page_link WHERE target_id = link_target.id),
        live = EXISTS (SELECT 1 FROM page WHERE page.title = link_target.title AND ${livePage('page')});
      INSERT INTO link_target (title, links, live) SELECT title, 0, 1 FROM page
        WHERE ${livePage()} AND title NOT IN (SELECT title FROM link_target);
      DELETE FROM link_target WHERE links = 0 AND live = 0;
      UPDATE category_link SET title = (SELECT title FROM page WHERE page.id = category_link.page_id);`))();
  }
}
