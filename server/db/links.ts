/** Link and category tables of each page's latest revision. */
import type { Db } from './connection.js';

export interface LinkingPage {
  id: number;
  title: string;
}

export class LinkStore {
  private readonly deleteLinks;
  private readonly insertLink;
  private readonly deleteCats;
  private readonly insertCat;
  private readonly linkingTo;
  private readonly countLinking;

  constructor(db: Db) {
    this.deleteLinks = db.prepare('DELETE FROM link WHERE from_page = ?');
    this.insertLink = db.prepare('INSERT OR IGNORE INTO link (from_page, to_title) VALUES (?, ?)');
    this.deleteCats = db.prepare('DELETE FROM category_link WHERE page_id = ?');
    this.insertCat = db.prepare('INSERT OR IGNORE INTO category_link (page_id, category) VALUES (?, ?)');
    this.countLinking = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM link WHERE to_title = ?');
    this.linkingTo = db.prepare<[string, number], LinkingPage>(
      `SELECT p.id, p.title FROM link l JOIN page p ON p.id = l.from_page
       WHERE l.to_title = ? AND p.latest_id IS NOT NULL ORDER BY p.title LIMIT ?`,
    );
  }

  /** How many pages link to this title text. */
  countLinkingTo(title: string): number {
    return this.countLinking.get(title)!.n;
  }

  /** Replace a page's outgoing links (title texts) and categories (names without prefix). */
  replace(pageId: number, links: string[], categories: string[]): void {
    this.deleteLinks.run(pageId);
    for (const to of links) this.insertLink.run(pageId, to);
    this.deleteCats.run(pageId);
    for (const c of categories) this.insertCat.run(pageId, c);
  }

  /** Forget a page's outgoing links and categories (it was deleted). */
  clear(pageId: number): void {
    this.deleteLinks.run(pageId);
    this.deleteCats.run(pageId);
  }

  /** Pages whose latest revision links to this title text, by title. */
  pagesLinkingTo(title: string, limit = 500): LinkingPage[] {
    return this.linkingTo.all(title, limit);
  }
}
