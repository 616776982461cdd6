/**
 * Finished anonymous page views shared by every worker process: a second tier behind each
 * process's in-memory ViewCache (http/viewCache.ts), in a SQLite file of its own beside the wiki's
 * (`data/wiki.db` → `data/wiki.views.db`).
 *
 * A process keeps only the most viewed pages in memory (SPEC section 9 bounds each worker's
 * memory); a wiki with tens of thousands of pages read at random would otherwise re-assemble most
 * views. From here a view costs one indexed read of its bytes, made by whichever worker first built
 * it, in this run or an earlier one of the same generation (http/generation.ts: the code, assets
 * and config the bytes were built with).
 *
 * The file is a cache: its own database, so its writes never wait on the wiki's writer; never
 * exported or checked; safe to delete while the server is stopped. Writes are gathered and made
 * in one short transaction every WRITE_EVERY_MS; one that finds another worker writing is tried
 * again at the next round, never waited for. Freshness is not its business: each entry carries the
 * stamps it was built from, and the caller compares them with the wiki's before serving.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Db } from './connection.js';

/** Bytes of bodies kept on disk; past it the least recently used are dropped. */
export const VIEW_STORE_BYTES = 512 * 1024 * 1024;
/** Gathered writes go out this often. */
export const WRITE_EVERY_MS = 50;
/** Bytes of bodies waiting to be written; past it new ones are not kept (the store is behind). */
const MAX_WAITING_BYTES = 8 * 1024 * 1024;
/**
 * Reads run inside a snapshot kept this long: starting a read transaction costs as much as the
 * lookup itself, and a view written since by another worker can wait that long to be seen here.
 */
export const SNAPSHOT_MS = 100;
/** An entry's last use is written at most this often (a read must not be a write each time). */
const USE_GRAIN_S = 300;
/** Eviction frees down to this share of the bound, so it runs once per many writes, not on each. */
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
  key: string;
  generation: string;
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

/** Bumped when the layout below changes: a file of another layout is made anew at start. */
const LAYOUT = 2;

/**
 * One row a view, found by a 52-bit digest of its key as the rowid: a lookup descends one B-tree
 * whose interior pages stay cached, not an index and then the table. The key is kept to tell a
 * digest collision from a hit. 32 KiB pages hold a typical view in its leaf, so reading it is one
 * read of the file, not a chain of overflow pages.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS view (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  generation TEXT NOT NULL,
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

/** The rowid of a key: a 52-bit FNV-1a digest of its UTF-16 units (two 32-bit halves with other bases). */
function idOf(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

const now = () => Math.floor(Date.now() / 1000);

type Write = { put: StoredView } | { touch: number; at: number } | { drop: string; etag: string };

export interface ViewStoreOptions {
  /** Bytes of bodies kept (default VIEW_STORE_BYTES). */
  maxBytes?: number;
  /** Told of a write that failed for another reason than a busy lock (a full disk): the entry is skipped. */
  onError?: (e: unknown) => void;
}

export class ViewStore {
  /** Writes, and set-up. */
  private readonly db: Db;
  /** Reads, inside a snapshot renewed every SNAPSHOT_MS (the same connection for an in-memory store). */
  private readonly reader: Db;
  private snapshot: NodeJS.Timeout | undefined;
  private readonly maxBytes: number;
  private readonly onError: (e: unknown) => void;
  private readonly select;
  private readonly touch;
  private readonly remove;
  private readonly removeStale;
  private readonly upsert;
  private readonly old;
  private readonly total;
  private readonly oldest;
  private readonly totalBytes;
  private waiting: Write[] = [];
  private waitingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * Open (creating) the store at `file` for views of `generation`. A file that cannot be opened
   * as one (damaged by a power cut: it is written without syncing) is deleted and made anew,
   * since it only ever holds copies.
   */
  constructor(file: string, private readonly generation: string, o: ViewStoreOptions = {}) {
    this.maxBytes = o.maxBytes ?? VIEW_STORE_BYTES;
    this.onError = o.onError ?? (() => undefined);
    this.db = ViewStore.openFile(file);
    this.reader = file === ':memory:' ? this.db : ViewStore.readerOf(file);
    this.select = this.reader.prepare<[number], Row>('SELECT key, generation, etag, headers, deps, body, used FROM view WHERE id = ?');
    this.touch = this.db.prepare<[number, number]>('UPDATE view SET used = ? WHERE id = ?');
    this.old = this.db.prepare<[number], { bytes: number }>('SELECT bytes FROM view WHERE id = ?');
    this.remove = this.db.prepare<[number]>('DELETE FROM view WHERE id = ?');
    this.removeStale = this.db.prepare<[number, string, string]>('DELETE FROM view WHERE id = ? AND key = ? AND etag = ?');
    this.upsert = this.db.prepare(
      `INSERT INTO view (id, key, generation, etag, headers, deps, body, bytes, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key = excluded.key, generation = excluded.generation, etag = excluded.etag,
         headers = excluded.headers, deps = excluded.deps, body = excluded.body, bytes = excluded.bytes, used = excluded.used`,
    );
    this.total = this.db.prepare<[number]>('UPDATE total SET bytes = bytes + ? WHERE one = 1');
    this.oldest = this.db.prepare<[number], { id: number; bytes: number }>('SELECT id, bytes FROM view ORDER BY used LIMIT ?');
    this.totalBytes = this.db.prepare<[], number>('SELECT bytes FROM total').pluck();
  }

  private static openFile(file: string): Db {
    if (file === ':memory:') return ViewStore.prepare(new Database(file));
    mkdirSync(dirname(file), { recursive: true });
    const remove = () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    };
    let db: Db;
    try {
      db = ViewStore.prepare(new Database(file));
    } catch {
      remove();
      return ViewStore.prepare(new Database(file));
    }
    if (db.pragma('user_version', { simple: true }) === LAYOUT) return db;
    // Another layout (an older build's): made anew. The process that starts the server opens it first, before any worker.
    db.close();
    remove();
    return ViewStore.prepare(new Database(file));
  }

  private static readerOf(file: string): Db {
    const db = new Database(file);
    // Interior pages stay; bodies pass through once (the process's memory tier keeps the hot ones).
    db.pragma('cache_size = -2048');
    db.pragma('busy_timeout = 0');
    return db;
  }

  private static prepare(db: Db): Db {
    try {
      // Setting up may meet another worker doing the same: wait for it here, once, at start.
      db.pragma('busy_timeout = 5000');
      // Takes effect in a new file only (before WAL); an existing one keeps its pages.
      db.pragma('page_size = 32768');
      db.pragma('journal_mode = WAL');
      db.transaction(() => {
        // A new file: laid out now. Anything else is left for openFile to judge by its user_version.
        if (db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() !== 0) return;
        db.exec(SCHEMA);
        db.pragma(`user_version = ${LAYOUT}`);
      }).immediate();
      // Copies only: a power cut may lose the last writes (the file is then made anew), never the wiki's.
      db.pragma('synchronous = OFF');
      // Writes only (reads have their own connection): a small page cache will do.
      db.pragma('cache_size = -1024');
      // From now on nothing waits on another worker's lock: a read finding one is a miss, a write is tried later.
      db.pragma('busy_timeout = 0');
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Drop every view of another generation than this store's (at start: what an older build made). */
  dropOtherGenerations(): void {
    this.db.pragma('busy_timeout = 5000');
    try {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM view WHERE generation <> ?').run(this.generation);
        this.db.exec('UPDATE total SET bytes = (SELECT coalesce(sum(bytes), 0) FROM view)');
      }).immediate();
    } finally {
      this.db.pragma('busy_timeout = 0');
    }
  }

  /** The entry of this generation kept for `key`, or undefined. */
  get(key: string): StoredView | undefined {
    let row: Row | undefined;
    const id = idOf(key);
    if (this.reader !== this.db && !this.reader.inTransaction) {
      this.reader.exec('BEGIN');
      this.snapshot = setTimeout(() => this.endSnapshot(), SNAPSHOT_MS);
      this.snapshot.unref();
    }
    try {
      row = this.select.get(id);
    } catch (e) {
      // A read that meets a lock (a checkpoint's rare moment) is a miss.
      if (!(e instanceof Database.SqliteError)) throw e;
      this.endSnapshot();
      return undefined;
    }
    if (!row || row.key !== key || row.generation !== this.generation) return undefined;
    const t = now();
    if (t - row.used >= USE_GRAIN_S) this.enqueue({ touch: id, at: t }, 0);
    const deps = JSON.parse(row.deps) as { titles: string[]; stamps: string[] };
    return { key, etag: row.etag, headers: row.headers, titles: deps.titles, stamps: deps.stamps, body: row.body };
  }

  /** Keep `v` (at the next round of writes), replacing what `key` held; the least recently used go when the bound is passed. */
  put(v: StoredView): void {
    this.enqueue({ put: v }, v.body.length);
  }

  /** Forget the entry of `key` found stale, unless another worker has since put a newer one (another ETag). */
  drop(key: string, etag: string): void {
    this.enqueue({ drop: key, etag }, 0);
  }

  /** Bytes of bodies kept now (written ones). */
  get size(): number {
    return this.totalBytes.get() ?? 0;
  }

  /**
   * Make the waiting writes now, in one transaction: true when done (or nothing waited), false
   * when another worker was writing (they wait for the next round).
   */
  flush(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return true;
    const writes = this.waiting;
    try {
      this.db.transaction(() => {
        for (const w of writes) this.apply(w);
        this.evict();
      }).immediate();
    } catch (e) {
      if (!(e instanceof Database.SqliteError)) throw e;
      if (e.code === 'SQLITE_BUSY') {
        this.schedule();
        return false;
      }
      this.onError(e);
    }
    this.waiting = [];
    this.waitingBytes = 0;
    return true;
  }

  /** Write what waits (once more, past a busy lock), then close. */
  close(): void {
    if (!this.db.open) return;
    if (!this.flush()) {
      this.db.pragma('busy_timeout = 1000');
      this.flush();
    }
    if (this.timer) clearTimeout(this.timer);
    this.endSnapshot();
    if (this.reader !== this.db) this.reader.close();
    this.db.close();
  }

  private endSnapshot(): void {
    if (this.snapshot) clearTimeout(this.snapshot);
    this.snapshot = undefined;
    if (this.reader !== this.db && this.reader.open && this.reader.inTransaction) this.reader.exec('COMMIT');
  }

  private enqueue(w: Write, bytes: number): void {
    if (this.waitingBytes + bytes > MAX_WAITING_BYTES) return;
    this.waiting.push(w);
    this.waitingBytes += bytes;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.db.open) return;
    this.timer = setTimeout(() => this.flush(), WRITE_EVERY_MS);
    this.timer.unref();
  }

  private apply(w: Write): void {
    if ('put' in w) {
      const v = w.put;
      const id = idOf(v.key);
      const before = this.old.get(id)?.bytes ?? 0;
      this.upsert.run(id, v.key, this.generation, v.etag, v.headers, JSON.stringify({ titles: v.titles, stamps: v.stamps }), v.body, v.body.length, now());
      this.total.run(v.body.length - before);
    } else if ('touch' in w) {
      this.touch.run(w.at, w.touch);
    } else {
      const id = idOf(w.drop);
      const before = this.old.get(id)?.bytes;
      if (before !== undefined && this.removeStale.run(id, w.drop, w.etag).changes > 0) this.total.run(-before);
    }
  }

  private evict(): void {
    let over = this.size - this.maxBytes;
    if (over <= 0) return;
    over += this.maxBytes * (1 - EVICT_TO);
    while (over > 0) {
      const batch = this.oldest.all(64);
      if (batch.length === 0) break;
      let freed = 0;
      for (const { id, bytes } of batch) {
        if (over - freed <= 0) break;
        this.remove.run(id);
        freed += bytes;
      }
      this.total.run(-freed);
      over -= freed;
    }
  }
}
