/** createApp(deps) builds the Express app from its stores and config; it never listens. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type Request } from 'express';
import cookieParser from 'cookie-parser';
import type { AppDeps, RouteDeps } from './http/deps.js';
import { Limits } from './http/limits.js';
import { alerting, session } from './http/middleware/session.js';
import { csrfTokens } from './http/middleware/csrf.js';
import { errorHandler, notFound } from './http/middleware/errors.js';
import { BODY_LIMIT, emptyBody, strictQuery, strictUtf8 } from './http/middleware/body.js';
import { clientAddress } from './http/middleware/clientAddress.js';
import { assetUrl, staticAssets } from './http/assets.js';
import { wikiRoutes } from './http/routes/wiki.js';
import { apiRoutes } from './http/routes/api/index.js';
import { specialRoutes } from './http/routes/special.js';
import { accountRoutes } from './http/routes/account.js';
import { findRoutes } from './http/routes/find/index.js';
import { reviewRoutes } from './http/routes/review.js';
import { mediaWikiApi } from './http/routes/mwapi/index.js';
import { notificationRoutes } from './http/routes/notifications.js';
import { acting } from './http/act.js';
import { authorisation } from './http/can.js';
import { ViewCache } from './http/viewCache.js';
import { memoryRelief } from './http/middleware/memory.js';
import { cacheFor } from './http/freshness.js';
import { securityHeaders } from './http/security.js';
import { apiSaveLane } from './http/apiSaveLane.js';

/**
 * `limits` is the caller's when it must close them (main.ts at shutdown) or look inside (tests);
 * `views` when it answers from the byte cache before Express sees the request (serving).
 */
export function createApp(
  appDeps: AppDeps,
  limits = Limits.inDatabase(appDeps.config, appDeps.stores.db),
  views = new ViewCache(appDeps.stores),
): Express {
  const deps: RouteDeps = { ...appDeps, limits, views, act: acting({ limits, tokens: appDeps.tokens, config: appDeps.config }) };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // X-Forwarded-For is read by clientAddress, only from WIKI_TRUSTED_PROXIES, never by Express.
  app.set('trust proxy', false);
  const csrf = csrfTokens(deps.secret, deps.config.secureCookies, editFormPost);

  // Before anything else: a page view kept as bytes needs no routing, headers or rights
  // (viewCache.ts), and an API client's page save needs none of Express (apiSaveLane.ts). The
  // server answers both before Express (serving); this serves the app alone (tests).
  const lane = apiSaveLane(deps);
  const first = (req: IncomingMessage, res: ServerResponse) => views.serve(req, res) || lane(req, res);
  beforeExpress.set(app, first);
  app.use((req, res, next) => {
    if (!first(req, res)) next();
  });
  // A collection after big requests gives their garbage back (middleware/memory.ts).
  app.use(memoryRelief());
  // PURGE is for the caches in front (SPEC section 9); the wiki has nothing to purge.
  app.use((req, res, next) => {
    if (req.method !== 'PURGE') return next();
    res.status(405).set('Allow', 'GET, HEAD, POST').type('text/plain').send('PURGE is answered by the HTTP cache in front of the wiki (WIKI_PURGE_URLS), not by the wiki itself; nothing was changed.\n');
  });
  // First, so that every page (error pages too) knows what its viewer may do, and which pages exist.
  app.use(authorisation(deps.stores, deps.config.anonEdits));
  app.use((req, _res, next) => {
    req.pageExists = (title) => deps.stores.pages.stamp(title.text) !== undefined;
    next();
  });
  app.use(securityHeaders(deps.config));
  app.use('/static', staticAssets());
  app.get('/favicon.ico', (_req, res) => res.redirect(301, assetUrl('favicon.svg')));
  app.use(strictQuery);
  app.use(clientAddress(deps.config.trustedProxies));
  app.use(cookieParser());
  app.use(session(deps.stores, deps.tokens));
  app.use(alerting(deps.stores));
  app.use(csrf.issue);
  // Until a route says more (validators on pages: freshness.ts), an anonymous answer may be shared
  // for seconds, as a list that changes with every edit may; a signed-in one never.
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') cacheFor(req, res, 'list');
    else res.set('Cache-Control', 'no-store');
    next();
  });
  app.get('/', (_req, res) => res.redirect(302, '/wiki/Main_Page'));
  app.use(
    '/api/v1',
    express.json({ limit: BODY_LIMIT, strict: false, verify: strictUtf8, type: ['application/json', 'application/*+json'] }),
    emptyBody,
    csrf.check,
    apiRoutes(deps),
  );
  // Form bodies only outside the API: a cross-site HTML form cannot post JSON, so the API never
  // reads what such a form sends.
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, verify: strictUtf8 }));
  app.use(emptyBody);
  // MediaWiki's Action API checks its own `token` parameter, by the same rule (mwapi/context.ts).
  app.use(mediaWikiApi(deps));
  app.use(csrf.check);
  app.use(accountRoutes(deps));
  // Before /wiki: it serves /wiki/{T}?action=history&format=atom and passes other /wiki/ requests on.
  app.use(findRoutes(deps));
  app.use(reviewRoutes(deps));
  app.use(notificationRoutes(deps));
  app.use('/wiki', wikiRoutes(deps));
  app.use(specialRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}

/**
 * The edit form's posts (save, preview, show changes, conflict resolution): refused for their CSRF
 * token, they show the form again with the text (wikiEdit.ts) instead of an error page.
 */
function editFormPost(req: Request): boolean {
  if (req.method !== 'POST' || !req.path.startsWith('/wiki/')) return false;
  const action = req.query.action;
  return action === undefined || action === 'submit' || action === 'preview' || action === 'changes';
}

/** What createApp's app answers before Express does: kept page views and the API save lane. */
const beforeExpress = new WeakMap<Express, (req: IncomingMessage, res: ServerResponse) => boolean>();

/**
 * The server's request listener for an app made by createApp: a page view kept as bytes, or an
 * API client's page save, is answered before Express builds its request and response objects and
 * routes (a third of a view's cost, a quarter of a save's); everything else goes to `app`.
 */
export function serving(app: Express): (req: IncomingMessage, res: ServerResponse) => void {
  const first = beforeExpress.get(app);
  if (!first) throw new Error('serving() takes an app made by createApp');
  return (req, res) => {
    if (!first(req, res)) app(req, res);
  };
}
