/** Opening a wiki: database, migrations, the installation secret, optional starter content. */
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrate } from './db/migrate.js';
import { createStores, type Stores } from './db/stores.js';
import { touchPairsOnChange } from './wiki/pairs.js';
import { watchPairsOnCreate } from './wiki/watchlist.js';
import { mailNotifications } from './wiki/notifications.js';
import { createMail } from './mail.js';
import { TokenService } from './auth/tokens.js';
import { seedIfEmpty } from './seed/seed.js';
import type { AppDeps } from './http/deps.js';
import { TextWorkers } from './wiki/work/pool.js';
import { recoverPendingRows } from './wiki/links.js';
import { flushSearchQueue, reportSearchQueue } from './wiki/searchQueue.js';
import { startAuthorshipFill } from './wiki/blameFill.js';
import { keyOlderBlocks } from './wiki/admin.js';
import { startPurging, type Purger } from './cache/purge.js';

export interface Wiki extends AppDeps {
  db: Db;
  stores: Stores;
  /** How many starter pages were written now (0 when the wiki already had pages). */
  seeded: number;
  /** PURGEs to the caches of WIKI_PURGE_URLS after each change (cache/purge.ts); close() it before closing the database. */
  purger: Purger;
}

/** The secret from JWT_SECRET, or the one generated on first start and kept in the database. */
export function installationSecret(stores: Stores, configured: string | undefined): string {
  return configured ?? stores.settings.getOrCreate('jwt_secret', () => randomBytes(48).toString('base64url'));
}

export interface OpenOptions {
  /**
   * The start-up work (migrations, the generated secret, starter pages, crash recovery) was done
   * by the process that forked this one (main.ts, with WIKI_WORKERS above 1): a worker process
   * only opens the database, so start-up writes happen once and never race each other.
   */
  prepared?: boolean;
  /**
   * Whether this process derives, in the background, line authorship an older database or a crash
   * left missing (wiki/blameFill.ts); true unless said otherwise. One process of a cluster does it,
   * and the primary, which closes the database before forking, never does.
   */
  background?: boolean;
}

export function openWiki(config: Config, log?: (err: unknown) => void, o: OpenOptions = {}): Wiki {
  const db = openDatabase(config.dbFile);
  try {
    if (!o.prepared) migrate(db);
    const stores = createStores(db);
    // A page's tab to its talk page (and back) is red while the other is missing (wiki/pairs.ts).
    touchPairsOnChange(stores);
    // Watching a page watches its talk page, also one made later (wiki/watchlist.ts).
    watchPairsOnCreate(stores);
    // A page the search batch cannot index is reported where the wiki reports errors (and left out).
    if (log) reportSearchQueue(stores, log);
    const secret = installationSecret(stores, config.jwtSecret);
    const seeded = config.seed && !o.prepared ? seedIfEmpty(stores) : 0;
    if (!o.prepared) {
      // Link rows a crash left half-written after their save (wiki/links.ts) are finished first.
      recoverPendingRows(stores);
      // Search entries a crash left queued (wiki/searchQueue.ts).
      flushSearchQueue(stores);
      keyOlderBlocks(stores);
    }
    // Subscribed last: start-up writes (seeding, crash recovery) come before any reader, so no cache holds what they change.
    const purger = startPurging(stores, config);
    // Mail about notifications, for those who asked for it, when the wiki sends mail (wiki/notifications.ts).
    const mail = createMail(config, log);
    mailNotifications(stores, mail, config.publicUrl);
    const workers = new TextWorkers();
    // Line authorship a crash left pending, or an older database never stored, derived in the background (wiki/blameFill.ts).
    if (o.background ?? true) void startAuthorshipFill(stores, workers, log);
    return { db, stores, config, secret, tokens: new TokenService(secret), workers, seeded, log, purger, mail };
  } catch (e) {
    db.close();
    throw e;
  }
}
