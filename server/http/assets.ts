/** Static assets: fingerprints for cache-busting URLs, htmx from node_modules, long-lived caching. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { STATIC_DIR } from '../paths.js';

const require = createRequire(import.meta.url);
const HTMX_FILE = join(require.resolve('htmx.org/package.json'), '..', 'dist', 'htmx.min.js');

const files: Record<string, string> = {
  'peerwiki.css': join(STATIC_DIR, 'peerwiki.css'),
  'print.css': join(STATIC_DIR, 'print.css'),
  'peerwiki.js': join(STATIC_DIR, 'peerwiki.js'),
  'htmx.min.js': HTMX_FILE,
  'favicon.svg': join(STATIC_DIR, 'favicon.svg'),
};

// Worked out once, when the module loads: the files do not change while the server runs.
const fingerprints: ReadonlyMap<string, string> = new Map(
  Object.entries(files).map(([name, path]) => [name, createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12)]),
);

function fingerprint(name: string): string {
  return fingerprints.get(name) ?? 'none';
}

/** The URL of a static asset with its fingerprint: /static/peerwiki.css?v=1a2b3c. */
export function assetUrl(name: string): string {
  return `/static/${name}?v=${fingerprint(name)}`;
}

/**
 * Serves static/ and htmx. A request naming the current fingerprint may be cached for a year;
 * anything else must revalidate.
 */
export function staticAssets(): Router {
  const router = express.Router();
  const cacheHeaders: RequestHandler = (req, res, next) => {
    const name = req.path.slice(1);
    const fresh = typeof req.query.v === 'string' && files[name] && req.query.v === fingerprint(name);
    res.set('Cache-Control', fresh ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate');
    next();
  };
  router.use(cacheHeaders);
  router.get('/htmx.min.js', (_req, res) => {
    res.type('application/javascript').sendFile(HTMX_FILE, { cacheControl: false });
  });
  router.use(express.static(STATIC_DIR, { cacheControl: false, index: false, fallthrough: true }));
  return router;
}
