/**
 * Finished anonymous page views shared by every worker process: a second tier behind each
 * process's in-memory ViewCache (http/viewCache.ts), in a SQLite file of its own beside the wiki's
 * (`data/wiki.db` → `data/wiki.views.db`).
 *
 * A process keeps only the most viewed pages in memory (SPEC section 9 bounds each worker's
 * memory); a wiki with tens of thousands of pages read at random would otherwise re-assemble most
 * views. From here a view costs one indexed read of its bytes, made by whichever worker first built
 * it. The file is a cache: its own database, so its writes never wait on the wiki's writer; never
 * exported or checked; emptied when the server starts (a new build may build different bytes); safe
 * to delete while the server is stopped. Freshness is not its business: each entry carries the
 * stamps it was built from and the caller compares them with the wiki's before serving.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Db } from './connection.js';

/** Bytes of bodies kept on disk; past it the least recently used are dropped. */
export const VIEW_STORE_BYTES = 512 * 1024 * 1024;
/** An entry's last use is written at most this often (a read must not be a write each time). */
const USE_GRAIN_S = 300;
/** Eviction frees down to this share of the bound, so it runs once per many puts, not on each. */
const EVICT_TO = 0.9;

export interface StoredView {
  key: string;
  etag: string;
  /** JSON of the headers the full path sent (minus per-response ones). */
  headers: string;
  /** Titles of the pages the body shows and their stamps when it was built. */
  titles: string[];
  stamps: string[];
  body: Buffer;
}

interface Row {
  etag: string;
  headers: string;
  deps: string;
  body: Buffer;
  used: number;
}

/** The view store beside the wiki database `dbFile`; ':memory:' (tests) gives a private in-memory one. */
export function viewStoreFile(dbFile: string): string {
  if (dbFile === ':memory:') return dbFile;
  const ext = extname(dbFile);
  return join(dirname(dbFile), `${basename(dbFile, ext)}.views${ext || '.db'}`);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS view (
  key TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  headers TEXT NOT NULL,
  deps TEXT NOT NULL,
  body BLOB NOT NULL,
  bytes INTEGER NOT NULL,
  used INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS view_used ON view (used);
CREATE TABLE IF NOT EXISTS total (one INTEGER PRIMARY KEY CHECK (one = 1), bytes INTEGER NOT NULL);
INSERT OR IGNORE INTO total (one, bytes) VALUES (1, 0);
`;

const now = () => Math.floor(Date.now() / 1000);

export class ViewStore {
  private readonly db: Db;
  private readonly select;
  private readonly touch;
  private readonly remove;
  private readonly removeStale;
  private readonly upsert;
  private readonly old;
  private readonly total;
  private readonly oldest;
  private readonly totalBytes;

  /**
   * Open (creating) the store at `file`. A file that cannot be opened as one (damaged by a power
   * cut: it is written without syncing) is deleted and made anew, since it only ever holds copies.
   */
  constructor(
    file: string,
    private readonly maxBytes = VIEW_STORE_BYTES,
    /** Told of a write that failed for another reason than a busy lock (a full disk): the entry is skipped. */
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {
    this.db = ViewStore.openFile(file);
    this.select = this.db.prepare<[string], Row>('SELECT etag, headers, deps, body, used FROM view WHERE key = ?');
    this.touch = this.db.prepare<[number, string]>('UPDATE view SET used = ? WHERE key = ?');
    this.old = this.db.prepare<[string], { bytes: number }>('SELECT bytes FROM view WHERE key = ?');
    this.remove = this.db.prepare<[string]>('DELETE FROM view WHERE key = ?');
    this.removeStale = this.db.prepare<[string, string]>('DELETE FROM view WHERE key = ? AND etag = ?');
    this.upsert = this.db.prepare(
      `INSERT INTO view (key, etag, headers, deps, body, bytes, used) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, headers = excluded.headers, deps = excluded.deps,
         body = excluded.body, bytes = excluded.bytes, used = excluded.used`,
    );
    this.total = this.db.prepare<[number]>('UPDATE total SET bytes = bytes + ? WHERE one = 1');
    this.oldest = this.db.prepare<[number], { key: string; bytes: number }>('SELECT key, bytes FROM view ORDER BY used LIMIT ?');
    this.totalBytes = this.db.prepare<[], number>('SELECT bytes FROM total').pluck();
  }

  private static openFile(file: string): Db {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    try {
      return ViewStore.prepare(new Database(file));
    } catch (e) {
      if (file === ':memory:') throw e;
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      return ViewStore.prepare(new Database(file));
    }
  }

  private static prepare(db: Db): Db {
    try {
      db.pragma('journal_mode = WAL');
      // Copies only: a power cut may lose the last writes (the file is then made anew), never the wiki's.
      db.pragma('synchronous = OFF');
      // Bodies are read once per process miss and then held by the process's own cache: a small page cache will do.
      db.pragma('cache_size = -2048');
      // Another worker holds the write lock for one short statement at most; a put that would wait longer is skipped.
      db.pragma('busy_timeout = 50');
      db.exec(SCHEMA);
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Empty the store at `file` if there is one (server start: a new build may build other bytes). */
  static clear(file: string): void {
    if (file === ':memory:' || !existsSync(file)) return;
    const store = new ViewStore(file);
    try {
      store.db.transaction(() => {
        store.db.exec('DELETE FROM view; UPDATE total SET bytes = 0');
      }).immediate();
    } finally {
      store.close();
    }
  }

  /** The entry kept for `key`, or undefined. */
  get(key: string): StoredView | undefined {
    const row = this.select.get(key);
    if (!row) return undefined;
    const t = now();
    if (t - row.used >= USE_GRAIN_S) this.quietly(() => this.touch.run(t, key));
    const deps = JSON.parse(row.deps) as { titles: string[]; stamps: string[] };
    return { key, etag: row.etag, headers: row.headers, titles: deps.titles, stamps: deps.stamps, body: row.body };
  }

  /** Keep `v`, replacing what `key` held; the least recently used go when the bound is passed. */
  put(v: StoredView): void {
    this.quietly(() => this.db.transaction(() => {
      const before = this.old.get(v.key)?.bytes ?? 0;
      this.upsert.run(v.key, v.etag, v.headers, JSON.stringify({ titles: v.titles, stamps: v.stamps }), v.body, v.body.length, now());
      this.total.run(v.body.length - before);
      this.evict();
    }).immediate());
  }

  /** Forget the entry of `key` found stale, unless another worker has since put a newer one (another ETag). */
  drop(key: string, etag: string): void {
    this.quietly(() => this.db.transaction(() => {
      const before = this.old.get(key)?.bytes;
      if (before !== undefined && this.removeStale.run(key, etag).changes > 0) this.total.run(-before);
    }).immediate());
  }

  /** Bytes of bodies kept now. */
  get size(): number {
    return this.totalBytes.get() ?? 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private evict(): void {
    let over = this.size - this.maxBytes;
    if (over <= 0) return;
    over += this.maxBytes * (1 - EVICT_TO);
    while (over > 0) {
      const batch = this.oldest.all(64);
      if (batch.length === 0) break;
      let freed = 0;
      for (const { key, bytes } of batch) {
        if (over - freed <= 0) break;
        this.remove.run(key);
        freed += bytes;
      }
      this.total.run(-freed);
      over -= freed;
    }
  }

  /**
   * Run a write that may be skipped: another worker holding the lock, a full disk or a failing file
   * costs a cache entry, never a request. Failures other than a busy lock are reported to onError.
   */
  private quietly(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (!(e instanceof Database.SqliteError)) throw e;
      if (e.code !== 'SQLITE_BUSY') this.onError(e);
    }
  }
}
