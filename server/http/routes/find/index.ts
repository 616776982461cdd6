/** Finding knowledge (search, links, categories, watchlists, feeds): browser routes. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { listRoutes } from './lists.js';
import { watchRoutes } from './watch.js';
import { feedRoutes } from './feeds.js';
import { findApiRoutes } from './api.js';

/** Mounted before /wiki: it answers /wiki/{T}?action=history&format=atom and passes every other /wiki/ request on. */
export function findRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  r.use(listRoutes(deps));
  r.use(watchRoutes(deps));
  r.use(feedRoutes(deps));
  return r;
}

/** The same, under /api/v1. */
export function findApi(deps: RouteDeps): Router {
  return findApiRoutes(deps);
}
