/** Link and category tables of each page's latest revision. */
import type { Db } from './connection.js';
import { livePage } from './live.js';

export interface LinkingPage {
  id: number;
  title: string;
}

/** A live page found by what it links to or sits in, for purging what shows it (server/cache). */
export interface PageTitleRow {
  title: string;
  isRedirect: boolean;
}

/** How a page's link and category rows must change: titles to add and remove on each table. */
export interface LinkChange {
  addLinks: string[];
  removeLinks: string[];
  addCategories: string[];
  removeCategories: string[];
}

/** The rows a change writes. */
export function changeSize(c: LinkChange): number {
  return c.addLinks.length + c.removeLinks.length + c.addCategories.length + c.removeCategories.length;
}

/** What is in `want` and not in `have`, in `want`'s order. */
function missingFrom(want: readonly string[], have: ReadonlySet<string>): string[] {
  return want.filter((x) => !have.has(x));
}

/** A page's link targets (title texts) and categories (names without prefix); repeats allowed. */
export interface LinkSet {
  links: readonly string[];
  categories: readonly string[];
}

/** The rows to add and remove to go from `have` to `want` (pure: the one home of this rule). */
export function changeBetween(have: LinkSet, want: LinkSet): LinkChange {
  const haveLinks = new Set(have.links);
  const haveCats = new Set(have.categories);
  const wantLinks = new Set(want.links);
  const wantCats = new Set(want.categories);
  return {
    addLinks: missingFrom([...wantLinks], haveLinks),
    removeLinks: missingFrom([...haveLinks], wantLinks),
    addCategories: missingFrom([...wantCats], haveCats),
    removeCategories: missingFrom([...haveCats], wantCats),
  };
}

/** How many distinct link targets and categories a set has: what the page's rows must count. */
export function rowCounts(s: LinkSet): { links: number; categories: number } {
  return { links: new Set(s.links).size, categories: new Set(s.categories).size };
}

export class LinkStore {
  private readonly linksOf;
  private readonly categoriesOf;
  private readonly deleteLink;
  private readonly deleteCat;
  private readonly markPendingStmt;
  private readonly pendingOfStmt;
  private readonly clearPendingStmt;
  private readonly allPendingStmt;
  private readonly dropPendingStmt;
  private readonly deleteLinks;
  private readonly insertLink;
  private readonly deleteCats;
  private readonly insertCat;
  private readonly touchCategory;
  private readonly linkingTo;
  private readonly countLinking;
  private readonly countsOf;
  private readonly linkersStmt;
  private readonly membersStmt;
  private readonly redirectsStmt;

  constructor(db: Db) {
    this.deleteLinks = db.prepare('DELETE FROM link WHERE from_page = ?');
    this.insertLink = db.prepare('INSERT OR IGNORE INTO link (from_page, to_title) VALUES (?, ?)');
    this.deleteCats = db.prepare('DELETE FROM category_link WHERE page_id = ?');
    this.insertCat = db.prepare('INSERT OR IGNORE INTO category_link (page_id, category) VALUES (?, ?)');
    // A Category: page lists its members: a member coming or going gives it a new touched stamp,
    // so caches of it (render, byte and HTTP caches) know it changed.
    this.touchCategory = db.prepare("UPDATE page SET touched = touched + 1 WHERE title = 'Category:' || ?");
    this.countsOf = db.prepare<[number, number], { links: number; categories: number }>(
      'SELECT (SELECT count(*) FROM link WHERE from_page = ?) AS links, (SELECT count(*) FROM category_link WHERE page_id = ?) AS categories',
    );
    this.countLinking = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM link WHERE to_title = ?');
    this.linksOf = db.prepare<[number], string>('SELECT to_title FROM link WHERE from_page = ?').pluck();
    this.categoriesOf = db.prepare<[number], string>('SELECT category FROM category_link WHERE page_id = ?').pluck();
    this.deleteLink = db.prepare('DELETE FROM link WHERE from_page = ? AND to_title = ?');
    this.deleteCat = db.prepare('DELETE FROM category_link WHERE page_id = ? AND category = ?');
    this.markPendingStmt = db.prepare('INSERT INTO links_pending (page_id, revision_id) VALUES (?, ?) ON CONFLICT (page_id) DO UPDATE SET revision_id = excluded.revision_id');
    this.pendingOfStmt = db.prepare<[number], number>('SELECT revision_id FROM links_pending WHERE page_id = ?').pluck();
    this.clearPendingStmt = db.prepare('DELETE FROM links_pending WHERE page_id = ? AND revision_id = ?');
    this.dropPendingStmt = db.prepare('DELETE FROM links_pending WHERE page_id = ?');
    this.allPendingStmt = db.prepare<[], { pageId: number; revisionId: number }>('SELECT page_id AS pageId, revision_id AS revisionId FROM links_pending');
    this.linkingTo = db.prepare<[string, number], LinkingPage>(
      `SELECT p.id, p.title FROM link l JOIN page p ON p.id = l.from_page
       WHERE l.to_title = ? AND p.latest_id IS NOT NULL ORDER BY p.title LIMIT ?`,
    );
    // No ORDER BY: these walk the (to_title, from_page) and (category, page_id) indexes and stop at
    // the limit, so a title linked from 100,000 pages costs no more than the limit.
    this.linkersStmt = db.prepare<[string, number], { title: string; isRedirect: number }>(
      `SELECT p.title, p.is_redirect AS isRedirect FROM link l JOIN page p ON p.id = l.from_page
       WHERE l.to_title = ? AND ${livePage('p')} LIMIT ?`,
    );
    this.membersStmt = db.prepare<[string, number], { title: string; isRedirect: number }>(
      `SELECT p.title, p.is_redirect AS isRedirect FROM category_link c JOIN page p ON p.id = c.page_id
       WHERE c.category = ? AND ${livePage('p')} LIMIT ?`,
    );
    // A redirect's target is one of its link rows; only the first `scan` rows are looked at, so a
    // popular title's save stays bounded (a redirect past them is missed).
    this.redirectsStmt = db.prepare<[string, number, number], { title: string; isRedirect: number }>(
      `SELECT p.title, p.is_redirect AS isRedirect
       FROM (SELECT from_page FROM link WHERE to_title = ? LIMIT ?) l JOIN page p ON p.id = l.from_page
       WHERE p.is_redirect = 1 AND ${livePage('p')} LIMIT ?`,
    );
  }

  /** How many pages link to this title text. */
  /** Titles the page links to (its link rows), in title order. */
  outgoing(pageId: number): string[] {
    return this.linksOf.all(pageId).sort();
  }

  /** Category names the page is in, in name order. */
  categoriesOfPage(pageId: number): string[] {
    return this.categoriesOf.all(pageId).sort();
  }

  countLinkingTo(title: string): number {
    return this.countLinking.get(title)!.n;
  }

  /** Replace a page's outgoing links (title texts) and categories (names without prefix), writing only the rows that change. */
  replace(pageId: number, links: string[], categories: string[]): void {
    this.apply(pageId, this.changeTo(pageId, links, categories));
  }

  /** The rows to add and remove so that the page links to `links` and sits in `categories`. */
  changeTo(pageId: number, links: readonly string[], categories: readonly string[]): LinkChange {
    return changeBetween({ links: this.linksOf.all(pageId), categories: this.categoriesOf.all(pageId) }, { links, categories });
  }

  /** How many link and category rows the page has (a cheap check that its rows are what a text says). */
  counts(pageId: number): { links: number; categories: number } {
    return this.countsOf.get(pageId, pageId)!;
  }

  /** Write a change (or a slice of one: see wiki/links.ts). */
  apply(pageId: number, c: LinkChange): void {
    for (const to of c.removeLinks) this.deleteLink.run(pageId, to);
    for (const to of c.addLinks) this.insertLink.run(pageId, to);
    for (const cat of c.removeCategories) if (this.deleteCat.run(pageId, cat).changes > 0) this.touchCategory.run(cat);
    for (const cat of c.addCategories) if (this.insertCat.run(pageId, cat).changes > 0) this.touchCategory.run(cat);
  }

  /** Note that the page's rows are being brought up to `revisionId` after its save. */
  markPending(pageId: number, revisionId: number): void {
    this.markPendingStmt.run(pageId, revisionId);
  }

  /** The revision the page's rows are being brought up to; undefined when they are up to date. */
  pendingFor(pageId: number): number | undefined {
    return this.pendingOfStmt.get(pageId);
  }

  /** Done bringing the rows up to `revisionId` (a newer save's mark is left alone). */
  clearPending(pageId: number, revisionId: number): void {
    this.clearPendingStmt.run(pageId, revisionId);
  }

  /** Forget the page's pending mark, whichever revision it names (a later save wrote its rows itself). */
  dropPending(pageId: number): void {
    this.dropPendingStmt.run(pageId);
  }

  /** Every page still being brought up to date (after a crash: to finish at start-up). */
  allPending(): { pageId: number; revisionId: number }[] {
    return this.allPendingStmt.all();
  }

  /** Forget a page's outgoing links and categories (it was deleted). */
  clear(pageId: number): void {
    this.deleteLinks.run(pageId);
    for (const cat of this.categoriesOf.all(pageId)) this.touchCategory.run(cat);
    this.deleteCats.run(pageId);
    this.dropPendingStmt.run(pageId);
  }

  /** Pages whose latest revision links to this title text, by title. */
  pagesLinkingTo(title: string, limit = 500): LinkingPage[] {
    return this.linkingTo.all(title, limit);
  }

  /** Up to `limit` live pages whose latest revision links to this title text, in no order. */
  linkersOf(title: string, limit: number): PageTitleRow[] {
    return this.linkersStmt.all(title, limit).map(toTitleRow);
  }

  /** Up to `limit` live pages in this category (name without prefix), in no order. */
  membersOf(category: string, limit: number): PageTitleRow[] {
    return this.membersStmt.all(category, limit).map(toTitleRow);
  }

  /** Up to `limit` live redirects to this title text, among the first `scan` pages linking to it. */
  redirectsTo(title: string, limit: number, scan: number): PageTitleRow[] {
    return this.redirectsStmt.all(title, scan, limit).map(toTitleRow);
  }
}

function toTitleRow(r: { title: string; isRedirect: number }): PageTitleRow {
  return { title: r.title, isRedirect: r.isRedirect === 1 };
}
