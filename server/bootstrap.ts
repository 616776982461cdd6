/** Opening a wiki: database, migrations, the installation secret, optional starter content. */
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrate } from './db/migrate.js';
import { createStores, type Stores } from './db/stores.js';
import { TokenService } from './auth/tokens.js';
import { seedIfEmpty } from './seed/seed.js';
import type { AppDeps } from './http/deps.js';
import { TextWorkers } from './wiki/work/pool.js';
import { recoverPendingRows } from './wiki/links.js';
import { keyOlderBlocks } from './wiki/admin.js';

export interface Wiki extends AppDeps {
  db: Db;
  stores: Stores;
  /** How many starter pages were written now (0 when the wiki already had pages). */
  seeded: number;
}

/** The secret from JWT_SECRET, or the one generated on first start and kept in the database. */
export function installationSecret(stores: Stores, configured: string | undefined): string {
  return configured ?? stores.settings.getOrCreate('jwt_secret', () => randomBytes(48).toString('base64url'));
}

export function openWiki(config: Config, log?: (err: unknown) => void): Wiki {
  const db = openDatabase(config.dbFile);
  try {
    migrate(db);
    const stores = createStores(db);
    const secret = installationSecret(stores, config.jwtSecret);
    const seeded = config.seed ? seedIfEmpty(stores) : 0;
    // Link rows a crash left half-written after their save (wiki/links.ts) are finished first.
    recoverPendingRows(stores);
    keyOlderBlocks(stores);
    return { db, stores, config, secret, tokens: new TokenService(secret), workers: new TextWorkers(), seeded, log };
  } catch (e) {
    db.close();
    throw e;
  }
}
