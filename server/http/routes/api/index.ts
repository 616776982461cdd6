/** /api/v1: the API routers (bodies are parsed and CSRF-checked in app.ts). */
import express, { type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { pageApi } from './pages.js';
import { revisionApi } from './revisions.js';
import { transformApi } from './transform.js';
import { authApi } from './auth.js';
import { adminApi } from './admin.js';
import { reviewApi } from './review.js';
import { findApi } from '../find/index.js';

export function apiRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  r.use(pageApi(deps));
  r.use(revisionApi(deps));
  r.use(transformApi(deps));
  r.use(authApi(deps));
  r.use(adminApi(deps));
  r.use(reviewApi(deps));
  r.use(findApi(deps));
  return r;
}
