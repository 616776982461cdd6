/** Rendered HTML per (revision, renderer version, variant), valid while the page's touched stamp holds. */
import type { Db } from './connection.js';

export class RenderCacheStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[number, number, string], { touched: number; html: string }>(
      'SELECT touched, html FROM render_cache WHERE revision_id = ? AND version = ? AND variant = ?',
    );
    this.upsert = db.prepare(
      `INSERT INTO render_cache (revision_id, version, variant, touched, html) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (revision_id, version, variant) DO UPDATE SET touched = excluded.touched, html = excluded.html`,
    );
  }

  /** undefined when nothing is cached or the cached HTML predates the page's touched stamp. */
  get(revisionId: number, version: number, variant: string, touched: number): string | undefined {
    const row = this.select.get(revisionId, version, variant);
    return row && row.touched === touched ? row.html : undefined;
  }

  put(revisionId: number, version: number, variant: string, touched: number, html: string): void {
    this.upsert.run(revisionId, version, variant, touched, html);
  }
}
