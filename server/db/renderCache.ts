/** Rendered HTML per (revision, renderer version, variant), valid while the page's touched stamp holds. */
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import type { Db } from './connection.js';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/**
 * HTML from this many UTF-16 units is stored deflated (as a BLOB in the html column; SQLite keeps
 * a BLOB as it is in a TEXT column). Reading or writing megabytes of text holds the event loop for
 * about 100 ms, while zlib runs on libuv's thread pool and leaves a tenth of the bytes to move.
 */
export const PACK_FROM = 64 * 1024;

/** zlib level of the stored HTML: the fastest, as it is paid on a first view. */
export const PACK_LEVEL = 1;

export class RenderCacheStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[number, number, string], { touched: number; html: string | Buffer }>(
      'SELECT touched, html FROM render_cache WHERE revision_id = ? AND version = ? AND variant = ?',
    );
    this.upsert = db.prepare(
      `INSERT INTO render_cache (revision_id, version, variant, touched, html) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (revision_id, version, variant) DO UPDATE SET touched = excluded.touched, html = excluded.html`,
    );
  }

  /**
   * undefined when nothing is cached or the cached HTML predates the page's touched stamp. Long HTML
   * (stored deflated) comes as UTF-8 bytes: decoding megabytes into a string would hold the event loop.
   */
  async get(revisionId: number, version: number, variant: string, touched: number): Promise<string | Buffer | undefined> {
    const row = this.select.get(revisionId, version, variant);
    if (!row || row.touched !== touched) return undefined;
    return typeof row.html === 'string' ? row.html : await inflate(row.html);
  }

  /**
   * Store `html` (text, or its UTF-8 bytes) as rendered when the page's stamp was `touched`. Long
   * HTML is stored deflated: `packed` when the caller has it deflated already (the text process did
   * it), else deflated here on the thread pool, off the event loop.
   */
  async put(revisionId: number, version: number, variant: string, touched: number, html: string | Buffer, packed?: Buffer): Promise<void> {
    let stored: string | Buffer;
    if (packed) stored = packed;
    else if (html.length < PACK_FROM) stored = typeof html === 'string' ? html : html.toString('utf8');
    else stored = await deflate(typeof html === 'string' ? Buffer.from(html, 'utf8') : html, { level: PACK_LEVEL });
    this.upsert.run(revisionId, version, variant, touched, stored);
  }
}
