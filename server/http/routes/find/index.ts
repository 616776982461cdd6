/** Finding knowledge (search, links, categories, watchlists, feeds): browser routes. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../../deps.js';

export function findRoutes(_deps: RouteDeps): Router {
  const r = express.Router();
  return r;
}

/** The same, under /api/v1. */
export function findApi(_deps: RouteDeps): Router {
  const r = express.Router();
  return r;
}
