/** All stores of one database, built once; the domain receives this bundle. */
import type { Db } from './connection.js';
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
  /** Run `fn` in one SQLite transaction (synchronous: no await inside). */
  transaction<T>(fn: () => T): T;
}

export function createStores(db: Db): Stores {
  const content = new ContentStore(db);
  return {
    db,
    actors: new ActorStore(db),
    content,
    pages: new PageStore(db),
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
    transaction: (fn) => {
      try {
        return db.transaction(fn).immediate();
      } catch (e) {
        // Ids handed out inside a rolled-back transaction can be reused: drop anything cached since.
        content.clearCache();
        throw e;
      }
    },
  };
}
