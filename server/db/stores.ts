/** All stores of one database, built once; the domain receives this bundle. */
import { BUSY_TIMEOUT_MS, isBusy, type Db } from './connection.js';
import { ActorStore } from './actors.js';
import { BlameStore } from './blame.js';
import { ReviewStore } from './review.js';
import { BlockStore, DeletionStore, LogStore, ProtectionStore } from './admin.js';
import { ContentStore } from './content.js';
import { LinkStore } from './links.js';
import { ListStore } from './lists.js';
import { PageStore } from './pages.js';
import { RenderCacheStore } from './renderCache.js';
import { RevisionStore } from './revisions.js';
import { SearchStore } from './search.js';
import { SettingStore } from './settings.js';
import { WatchlistStore } from './watchlist.js';
import { NotificationStore } from './notifications.js';
import { AccountLinkStore } from './accountLinks.js';
import { ChangeFeed } from './feed.js';
import { Memo } from './memo.js';
import { Stamps } from './stamps.js';

export interface Stores {
  db: Db;
  actors: ActorStore;
  content: ContentStore;
  pages: PageStore;
  revisions: RevisionStore;
  links: LinkStore;
  search: SearchStore;
  renderCache: RenderCacheStore;
  settings: SettingStore;
  blame: BlameStore;
  protection: ProtectionStore;
  blocks: BlockStore;
  log: LogStore;
  deletions: DeletionStore;
  review: ReviewStore;
  lists: ListStore;
  watchlist: WatchlistStore;
  notifications: NotificationStore;
  accountLinks: AccountLinkStore;
  /** Committed changes (db/feed.ts): the domain notes them inside its writes; subscribers hear them after commit. */
  feed: ChangeFeed;
  /** Page stamps for the view cache's checks: PageStore.stamp, cheaper (db/stamps.ts). */
  stamps: Stamps;
  /** Per-database state of the layers above (caches), so none of it is module-global. */
  memo: Memo;
  /**
   * Run `fn` in one SQLite transaction (synchronous: no await inside); nested, it is a savepoint.
   * Events noted on `feed` inside go out after the outermost commit, or nowhere on a rollback.
   * @throws whatever `fn` throws, after rolling back.
   */
  transaction<T>(fn: () => T): T;
  /**
   * transaction() for request paths that can wait for the write lock without blocking: while
   * another process holds it, this one serves other requests between attempts instead of sleeping
   * in SQLite's busy handler (1, 2, 5, 10 ms and on: with two workers saving at once, one of them
   * slept more than it worked, and two workers saved fewer edits a second than one). Writes that
   * queue meanwhile commit together, each in a savepoint (group commit: createStores).
   * @throws SQLITE_BUSY (isBusy) after WRITE_WAIT_MS, as transaction() would; else whatever `fn` throws, after rolling back its writes.
   */
  transactionAsync<T>(fn: () => T): Promise<T>;
  /**
   * Run `fn`, which only reads, in one read transaction: one consistent snapshot, and one begin
   * and end for all its statements (in WAL mode each begin costs about as much as an indexed
   * lookup, so a list reading a row per item pays it once). Inside a transaction, just runs `fn`.
   */
  read<T>(fn: () => T): T;
}

/**
 * The stores of `db`, with their feed. The feed's first subscriber keeps rendered pages right:
 * when titles come into or go out of existence, the pages linking to them get a new touched
 * stamp (their cached HTML has the old link colours), in a small transaction of its own.
 * `report` receives what a feed subscriber throws (stderr by default).
 */
/** How long transactionAsync waits for the write lock, as the connection's busy_timeout does (connection.ts). */
const WRITE_WAIT_MS = BUSY_TIMEOUT_MS;
/** Attempts at the write lock on consecutive turns of the event loop before waiting a millisecond between them. */
const SPIN_ATTEMPTS = 200;

/** A write transactionAsync is to run, and how to answer its caller. */
interface QueuedWrite {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** When to stop waiting for the lock and reject with SQLITE_BUSY (WRITE_WAIT_MS after it was queued). */
  deadline: number;
}

export function createStores(db: Db, report?: (err: unknown) => void): Stores {
  const content = new ContentStore(db);
  const feed = new ChangeFeed(report);
  const pages = new PageStore(db);
  const stamps = new Stamps(db);
  /** transactionAsync's writes waiting for the write lock, in the order they came. */
  const queued: QueuedWrite[] = [];
  let committing = false;

  /**
   * Take the write lock for the queued writes, then run every write queued by then in that one
   * transaction, each in a savepoint of its own: group commit. A write that throws rolls back only
   * its savepoint and rejects only its caller; the rest commit together. While another process
   * saves, writes queue up here, and the next commit takes them all: one lock taken and one commit
   * for several saves, where each used to be refused BEGIN several times and then commit alone.
   */
  const commitQueued = async (): Promise<void> => {
    committing = true;
    try {
      while (queued.length > 0) await lockAndRunQueued();
    } catch (e) {
      for (const w of queued.splice(0)) w.reject(e);
    } finally {
      committing = false;
    }
  };

  const lockAndRunQueued = async (): Promise<void> => {
    let waiting = true;
    const waitAgain = () => {
      if (waiting) return;
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      waiting = true;
    };
    const stackLimit = Error.stackTraceLimit;
    for (let attempt = 0; ; attempt++) {
      // exec, not pragma(): the same statement without a prepared statement object to make and
      // read rows from, at a third of the cost; twice a save.
      db.exec('PRAGMA busy_timeout = 0');
      waiting = false;
      // A refused BEGIN is expected (another process saves), and its error is caught below: no
      // stack to capture for it. Two workers saving at once refused several a save, and capturing
      // their stacks was a tenth of the time lost to waiting.
      Error.stackTraceLimit = 0;
      let batch: QueuedWrite[] = [];
      const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
      try {
        // Only BEGIN asks without waiting: the timeout and stacks are back before the writes run,
        // and before the feed's subscribers write in their own transactions after the commit.
        stores.transaction(() => {
          Error.stackTraceLimit = stackLimit;
          waitAgain();
          batch = queued.splice(0);
          if (batch.length === 1) {
            // Alone, a write needs no savepoint: if it throws, the whole transaction rolls back.
            outcomes.push({ ok: true, value: batch[0]!.fn() });
            return;
          }
          for (const w of batch) {
            try {
              outcomes.push({ ok: true, value: stores.transaction(w.fn) });
            } catch (error) {
              // An error after which SQLite rolled the whole transaction back (a full disk, an I/O
              // error) undid the writes before it too: none of the batch is written.
              if (!db.inTransaction) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch (e) {
        Error.stackTraceLimit = stackLimit;
        waitAgain();
        if (batch.length > 0) {
          // The lock was had: a lone write threw, or the commit failed; none of the batch is written.
          for (const w of batch) w.reject(e);
          return;
        }
        if (!isBusy(e)) {
          for (const w of queued.splice(0)) w.reject(e);
          return;
        }
        // Refused the lock: whoever has waited past WRITE_WAIT_MS is told so; the rest wait on.
        const now = performance.now();
        for (let i = queued.length - 1; i >= 0; i--) {
          if (now > queued[i]!.deadline) queued.splice(i, 1)[0]!.reject(e);
        }
        if (queued.length === 0) return;
        // The lock is held for well under a millisecond a save: look again on the next turn of the
        // event loop (other requests are served meanwhile), and only after many turns every millisecond.
        await new Promise((resolve) => (attempt < SPIN_ATTEMPTS ? setImmediate(resolve) : setTimeout(resolve, 1)));
        continue;
      } finally {
        Error.stackTraceLimit = stackLimit;
        waitAgain();
      }
      batch.forEach((w, i) => {
        const o = outcomes[i]!;
        if (o.ok) w.resolve(o.value);
        else w.reject(o.error);
      });
      return;
    }
  };

  const stores: Stores = {
    db,
    actors: new ActorStore(db),
    content,
    pages,
    revisions: new RevisionStore(db),
    links: new LinkStore(db),
    search: new SearchStore(db),
    renderCache: new RenderCacheStore(db),
    settings: new SettingStore(db),
    blame: new BlameStore(db),
    protection: new ProtectionStore(db),
    blocks: new BlockStore(db),
    log: new LogStore(db),
    deletions: new DeletionStore(db),
    review: new ReviewStore(db),
    lists: new ListStore(db),
    watchlist: new WatchlistStore(db),
    notifications: new NotificationStore(db),
    accountLinks: new AccountLinkStore(db),
    feed,
    stamps,
    memo: new Memo(),
    read: (fn) => (db.inTransaction ? fn() : db.transaction(fn).deferred()),
    transactionAsync: async <T>(fn: () => T): Promise<T> => {
      if (db.inTransaction) return stores.transaction(fn);
      return new Promise<T>((resolve, reject) => {
        queued.push({ fn, resolve: resolve as (v: unknown) => void, reject, deadline: performance.now() + WRITE_WAIT_MS });
        if (!committing) void commitQueued();
      });
    },
    transaction: (fn) => {
      try {
        return feed.within(() => db.transaction(fn).immediate());
      } catch (e) {
        // Ids handed out inside a rolled-back transaction can be reused: drop anything cached since.
        // (Not when the lock was not had: nothing ran, and saves retrying it would empty the cache each time.)
        if (!isBusy(e)) content.clearCache();
        throw e;
      } finally {
        stamps.forget();
      }
    },
  };
  feed.subscribe((event) => {
    if (event.linkColours.length === 0) return;
    stores.transaction(() => {
      for (const title of event.linkColours) pages.touchPagesLinkingTo(title);
    });
  });
  return stores;
}
