/** What the HTTP layer is built from: stores, config and the token service. */
import type { Config } from '../config.js';
import type { Stores } from '../db/stores.js';
import type { TokenService } from '../auth/tokens.js';
import type { Limits } from './limits.js';
import type { Act } from './act.js';
import type { TextWorkers } from '../wiki/work/pool.js';
import type { ViewCache } from './viewCache.js';
import type { Mail } from '../mail.js';

export interface AppDeps {
  stores: Stores;
  config: Config;
  tokens: TokenService;
  /** The text process that renders, merges and compares large texts off the event loop (work/pool.ts). */
  workers: TextWorkers;
  /** The installation's secret (JWT_SECRET or the generated one), also keying CSRF tokens. */
  secret: string;
  /** The wiki's outgoing mail (WIKI_SMTP_URL); NO_MAIL when it sends none. */
  mail: Mail;
  /** Where unexpected errors are reported (tests silence or capture it). */
  log?: (err: unknown) => void;
}

/** What routes get: the app's dependencies plus per-app state built by createApp. */
export interface RouteDeps extends AppDeps {
  limits: Limits;
  /** Acting for a request (rights, limits, the temporary account's cookie): act.ts. */
  act: Act;
  /** Finished anonymous page views, kept as bytes (viewCache.ts). */
  views: ViewCache;
}
