/** createApp(deps) builds the Express app from its stores and config; it never listens. */
import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { AppDeps } from './http/deps.js';
import { session } from './http/middleware/session.js';
import { csrfTokens } from './http/middleware/csrf.js';
import { errorHandler, notFound } from './http/middleware/errors.js';
import { strictUtf8 } from './http/middleware/body.js';
import { staticAssets } from './http/assets.js';
import { wikiRoutes } from './http/routes/wiki.js';
import { apiRoutes } from './http/routes/api/index.js';
import { specialRoutes } from './http/routes/special.js';
import { setViewDefaults } from './http/views.js';

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', 'loopback');
  setViewDefaults({ anonEdits: deps.config.anonEdits });
  const csrf = csrfTokens(deps.secret, deps.config.secureCookies);

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'https:', 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
        },
      },
      strictTransportSecurity: deps.config.secureCookies,
    }),
  );
  app.use('/static', staticAssets());
  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '2mb', verify: strictUtf8 }));
  app.use(session(deps.stores, deps.tokens));
  app.use(csrf.issue);
  app.get('/', (_req, res) => res.redirect(302, '/wiki/Main_Page'));
  app.use(
    '/api/v1',
    express.json({ limit: '2mb', strict: false, verify: strictUtf8, type: ['application/json', 'application/*+json'] }),
    csrf.check,
    apiRoutes(deps),
  );
  app.use(csrf.check);
  app.use('/wiki', wikiRoutes(deps));
  app.use(specialRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
