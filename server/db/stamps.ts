/**
 * Page stamps for the view cache's check of every hit (http/viewCache.ts): the same answer as
 * PageStore.stamp, at a fraction of its cost. At 100,000 pages a stamp lookup cost more than the
 * rest of a hit: each statement outside a transaction begins and ends a read of the WAL, and
 * descends the title index and then the table.
 *
 * Here the reads of one turn of the event loop share one read transaction, on a read-only
 * connection of their own, begun at the first lookup after the turn's I/O and ended when the turn
 * ends; and stamps read are remembered while the database's data_version says nothing was
 * committed since. A request sent after a commit anywhere, by this process or another, arrives in
 * a later turn than that commit, so it always sees it. An in-memory database (tests) has no
 * second connection: there the same is asked of the one connection, with total_changes() for its
 * own writes.
 *
 * Cheaper still: the stamp epoch (epoch(), migration 0024) moves with every change to any page.
 * A view made in the epoch of this turn's snapshot needs no lookup at all: at 100,000 pages, each
 * page's first view in a worker looked its stamp up, a size-dependent cost of every read-mostly wiki.
 */
import Database from 'better-sqlite3';
import type { Db } from './connection.js';
import { STAMP_EPOCH_SQL, STAMP_SQL } from './pages.js';

/**
 * Titles whose stamps are remembered; past it they are all forgotten (a title with its stamp is
 * about 100 bytes, so 4 MB at most). At 8,000, random views of the 41,000 pages a 100,000-page
 * wiki's benchmark reads looked most stamps up again: 8% of a worker's time, and each view 46 µs
 * of CPU against 39 at 1,000 pages.
 */
const KEPT = 40_000;

export class Stamps {
  /** The read-only connection of a file database, opened at the first lookup. */
  private reader: Db | undefined;
  private readerStamp: Database.Statement<[string], string> | undefined;
  private readerVersion: Database.Statement<[], number> | undefined;
  private readerEpoch: Database.Statement<[], number> | undefined;
  private readonly ownStamp;
  private readonly ownEpoch;
  private readonly ownVersion;
  /** Stamps read since anything was last committed: title → stamp, null for no page. */
  private readonly known = new Map<string, string | null>();
  /** The database's version when `known` was last found current. */
  private version = '';
  /** Whether this turn of the event loop has begun (its version checked, its snapshot taken). */
  private inTurn = false;
  /** The stamp epoch this turn read (epoch()), once asked. */
  private turnEpoch: number | undefined;
  private closed = false;

  constructor(private readonly db: Db) {
    this.ownStamp = db.prepare<[string], string>(STAMP_SQL).pluck();
    this.ownEpoch = db.prepare<[], number>(STAMP_EPOCH_SQL).pluck();
    // Moves when this connection writes (total_changes) or another one commits (data_version).
    this.ownVersion = db.prepare<[], string>("SELECT total_changes() || ':' || data_version FROM pragma_data_version").pluck();
  }

  /** The stamp of the page with this title now (PageStore.stamp), undefined when there is none. */
  now(titleText: string): string | undefined {
    if (!this.inTurn) this.beginTurn();
    const known = this.known.get(titleText);
    if (known !== undefined) return known ?? undefined;
    const s = (this.reader?.inTransaction ? this.readerStamp! : this.ownStamp).get(titleText);
    if (this.known.size >= KEPT) this.known.clear();
    this.known.set(titleText, s ?? null);
    return s;
  }

  /**
   * The stamp epoch now (PageStore.stampEpoch): a view made when it was this, with its pages'
   * stamps read after it, is still current without looking them up.
   */
  epoch(): number {
    if (!this.inTurn) this.beginTurn();
    this.turnEpoch ??= (this.reader?.inTransaction ? this.readerEpoch! : this.ownEpoch).get()!;
    return this.turnEpoch;
  }

  /** Forget what was read (this connection has just written): the next lookup begins anew. */
  forget(): void {
    this.known.clear();
    this.endTurn();
  }

  /**
   * Open the read-only connection now, not at the first lookup: a server does so before it
   * listens, so that no reader's first view after a start pays for it (0.5 to 9 ms here, reading
   * the schema of a database not yet in the page cache).
   */
  open(): void {
    this.openReader();
  }

  /** Close the read-only connection (the database itself is its owner's to close). */
  close(): void {
    this.closed = true;
    this.endTurn();
    this.reader?.close();
    this.reader = undefined;
  }

  private beginTurn(): void {
    this.inTurn = true;
    setImmediate(() => this.endTurn());
    let version: string | undefined;
    const reader = this.openReader();
    if (reader) {
      try {
        reader.exec('BEGIN');
        version = String(this.readerVersion!.get());
      } catch (e) {
        // A read that meets a lock (a WAL being recovered): this turn asks the writer's connection.
        if (!(e instanceof Database.SqliteError)) throw e;
        if (reader.inTransaction) reader.exec('ROLLBACK');
      }
    }
    version ??= `own:${this.ownVersion.get()!}`;
    if (version !== this.version) {
      this.known.clear();
      this.version = version;
    }
  }

  private endTurn(): void {
    this.inTurn = false;
    this.turnEpoch = undefined;
    if (this.reader?.inTransaction) this.reader.exec('COMMIT');
  }

  private openReader(): Db | undefined {
    if (this.reader || this.closed || this.db.memory || !this.db.open) return this.reader;
    const reader = new Database(this.db.name, { readonly: true, fileMustExist: true });
    reader.pragma('busy_timeout = 0');
    // Holds the stamp index of 100,000 pages (3.6 MB): a lookup then reads no page from the file.
    reader.pragma('cache_size = -4096');
    this.readerStamp = reader.prepare<[string], string>(STAMP_SQL).pluck();
    this.readerVersion = reader.prepare<[], number>('PRAGMA data_version').pluck();
    this.readerEpoch = reader.prepare<[], number>(STAMP_EPOCH_SQL).pluck();
    this.reader = reader;
    return reader;
  }
}
