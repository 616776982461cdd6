/** /api/v1: the API routers (bodies are parsed and CSRF-checked in app.ts). */
import express, { type Express } from 'express';
import { API_READ } from '../../freshness.js';
import type { RouteDeps } from '../../deps.js';
import { pageApi } from './pages.js';
import { revisionApi } from './revisions.js';
import { transformApi } from './transform.js';
import { authApi } from './auth.js';
import { adminApi } from './admin.js';
import { reviewApi } from './review.js';
import { findApi } from '../find/index.js';
import { notificationApi } from '../notifications.js';

/**
 * A sub-app of its own, for one setting: Express's strong ETag on every answer, which with
 * `Cache-Control: no-cache` on reads lets any cache store them and ask again cheaply (304), as
 * SPEC section 9 asks of API reads. The hash is of the JSON sent, so two readers who see different
 * answers never share one.
 */
export function apiRoutes(deps: RouteDeps): Express {
  const r = express();
  r.disable('x-powered-by');
  r.set('etag', 'strong');
  r.set('query parser', 'simple');
  r.set('trust proxy', false);
  r.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') res.set('Cache-Control', API_READ).vary('Cookie').vary('Authorization');
    next();
  });
  r.use(pageApi(deps));
  r.use(revisionApi(deps));
  r.use(transformApi(deps));
  r.use(authApi(deps));
  r.use(adminApi(deps));
  r.use(reviewApi(deps));
  r.use(findApi(deps));
  r.use(notificationApi(deps));
  return r;
}
