/** Page rows: identity, latest-revision pointer, redirect flag and the `touched` stamp. */
import type { Db } from './connection.js';
// Type-only, from the leaf of record types: the rows map to the domain's Page and Title.
import type { Namespace, Page, Title } from '../wiki/types.js';
import { livePage } from './live.js';

interface PageRow {
  id: number;
  title: string;
  namespace: Namespace;
  latest_id: number;
  is_redirect: number;
  touched: number;
  created_at: string;
}

const COLUMNS = 'id, title, namespace, latest_id, is_redirect, touched, created_at';

function toPage(r: PageRow): Page {
  return {
    id: r.id,
    // The row keeps the namespace that parseTitle found (create, rename): the title is rebuilt from
    // its parts as wiki/title.ts storedTitle would, without the stores calling up into the domain.
    title: { text: r.title, key: r.title.replace(/ /g, '_'), namespace: r.namespace, name: r.namespace ? r.title.slice(r.namespace.length + 1) : r.title },
    latestId: r.latest_id,
    isRedirect: r.is_redirect === 1,
    touched: r.touched,
    createdAt: r.created_at,
  };
}

/** The stamp of the page with a title (PageStore.stamp): also read by db/stamps.ts. */
// From the covering index alone (migrations/0011): SQLite's planner would take the title's unique index and then the table.
export const STAMP_SQL = "SELECT id || ':' || latest_id || ':' || touched AS s FROM page INDEXED BY page_stamp WHERE title = ? AND latest_id IS NOT NULL";

/** The stamp epoch (migration 0024): moves with every change to any page's stamp. */
export const STAMP_EPOCH_SQL = 'SELECT n FROM stamp_epoch WHERE id = 1';

export class PageStore {
  private readonly selectByTitle;
  private readonly selectById;
  private readonly insertStmt;
  private readonly updateLatest;
  private readonly touchStmt;
  private readonly touchTitleStmt;
  private readonly touchLinkers;
  private readonly existingStmt;
  private readonly countStmt;
  private readonly listStmt;
  private readonly renameStmt;
  private readonly stampStmt;
  private readonly stampEpochStmt;
  private readonly touchCategoriesStmt;

  constructor(db: Db) {
    // A Category: page lists its members by title: it changes when one is renamed or taken away.
    this.touchCategoriesStmt = db.prepare(
      "UPDATE page SET touched = touched + 1 WHERE title IN (SELECT 'Category:' || category FROM category_link WHERE page_id = ?)",
    );
    this.stampStmt = db.prepare<[string], string>(STAMP_SQL).pluck();
    this.stampEpochStmt = db.prepare<[], number>(STAMP_EPOCH_SQL).pluck();
    this.selectByTitle = db.prepare<[string], PageRow>(`SELECT ${COLUMNS} FROM page WHERE title = ?`);
    this.selectById = db.prepare<[number], PageRow>(`SELECT ${COLUMNS} FROM page WHERE id = ? AND ${livePage()}`);
    this.renameStmt = db.prepare('UPDATE page SET title = ?, namespace = ?, touched = touched + 1 WHERE id = ?');
    this.insertStmt = db.prepare('INSERT INTO page (title, namespace, created_at) VALUES (?, ?, ?)');
    this.updateLatest = db.prepare('UPDATE page SET latest_id = ?, is_redirect = ?, touched = touched + 1 WHERE id = ?');
    // Pages that link to the title, and, for a Category page, the pages in that category (their
    // category footer links to it).
    this.touchStmt = db.prepare('UPDATE page SET touched = touched + 1 WHERE id = ?');
    this.touchTitleStmt = db.prepare('UPDATE page SET touched = touched + 1 WHERE title = ?');
    this.touchLinkers = db.prepare(
      `UPDATE page SET touched = touched + 1 WHERE id IN (SELECT from_page FROM link WHERE to_title = @title)
       OR id IN (SELECT page_id FROM category_link WHERE category = @category)`,
    );
    // One statement for any number of titles: the list travels as a JSON array.
    this.existingStmt = db.prepare<[string], { title: string }>(
      'SELECT title FROM page WHERE title IN (SELECT value FROM json_each(?)) AND latest_id IS NOT NULL',
    );
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM page WHERE ${livePage()}`);
    this.listStmt = db.prepare<[string, string, number, number], PageRow>(
      `SELECT ${COLUMNS} FROM page WHERE ${livePage()} AND title >= ? AND title < ? ORDER BY title LIMIT ? OFFSET ?`,
    );
  }

  /**
   * What a cached response of the page with this title depends on, as one string ("id:latest:touched"):
   * it changes with every new revision, move, deletion or touch. undefined when no page has the title.
   */
  stamp(titleText: string): string | undefined {
    return this.stampStmt.get(titleText) as string | undefined;
  }

  /**
   * The stamp epoch: it moves whenever any page's stamp() may have changed (migration 0024). Read
   * before the stamps a kept view depends on, it says when they may be taken as read without
   * looking (db/stamps.ts); read after them, it could hide a change made in between.
   */
  stampEpoch(): number {
    return this.stampEpochStmt.get()!;
  }

  /** The stamp() of a page already read. */
  stampOf(page: Page): string {
    return `${page.id}:${page.latestId}:${page.touched}`;
  }

  /** undefined when no page has this title. */
  byTitle(title: Title): Page | undefined {
    const r = this.selectByTitle.get(title.text);
    return r && r.latest_id !== null ? toPage(r) : undefined;
  }

  /** undefined when there is no such page. */
  byId(id: number): Page | undefined {
    const r = this.selectById.get(id);
    return r && r.latest_id !== null ? toPage(r) : undefined;
  }

  /** Insert the row of a new page; its latest pointer is set by the first revision in the same transaction. */
  create(title: Title, now: string): number {
    return Number(this.insertStmt.run(title.text, title.namespace, now).lastInsertRowid);
  }

  setLatest(pageId: number, revisionId: number, isRedirect: boolean): void {
    this.updateLatest.run(revisionId, isRedirect ? 1 : 0, pageId);
  }

  /** Give a page a new title (a move, or an undelete restoring its title). */
  rename(pageId: number, title: Title): void {
    this.renameStmt.run(title.text, title.namespace, pageId);
    this.touchCategoriesStmt.run(pageId);
  }

  /** A new page row that is deleted from the start (an imported deleted page): it never holds a title. */
  createTombstoned(now: string): number {
    const id = Number(this.insertStmt.run(`#deleted:new`, '', now).lastInsertRowid);
    this.renameStmt.run(`#deleted:${id}`, '', id);
    return id;
  }

  /** Take a page out of every lookup by title, freeing the title (deletion). */
  tombstone(pageId: number): void {
    this.touchCategoriesStmt.run(pageId);
    this.renameStmt.run(`#deleted:${pageId}`, '', pageId);
  }

  /** Something shown on the page besides its text changed (its protection): kept copies of it are stale. */
  touch(pageId: number): void {
    this.touchStmt.run(pageId);
  }

  /** touch() by title; nothing when no page has it. */
  touchTitle(titleText: string): void {
    this.touchTitleStmt.run(titleText);
  }

  /** A page was created or deleted: pages linking to it must re-render their red/blue links. */
  touchPagesLinkingTo(title: Title): void {
    this.touchLinkers.run({ title: title.text, category: title.namespace === 'Category' ? title.name : null });
  }

  /** Which of these title texts are existing pages. */
  existing(titles: string[]): Set<string> {
    if (titles.length === 0) return new Set();
    return new Set(this.existingStmt.all(JSON.stringify(titles)).map((r) => r.title));
  }

  count(): number {
    return this.countStmt.get()!.n;
  }

  /** Pages in title order, starting with `prefix`. */
  list(prefix: string, limit: number, offset: number): Page[] {
    return this.listStmt.all(prefix, prefix + '\u{10FFFF}', limit, offset).map(toPage);
  }
}
