/**
 * The generation of this server's page views: a digest of everything besides the wiki's data that
 * the bytes of a view are built from (this build's code and templates, its static assets, the
 * config). Views kept across restarts (db/viewStore.ts) are served only to a server of the same
 * generation, so a new build or a changed setting never serves bytes an older one built.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { STATIC_DIR } from '../paths.js';
import { assetUrl } from './assets.js';

/** The folder holding server/ and views/ as this process runs them: dist/ when built, the project itself from source. */
const CODE_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) hashTree(hash, path);
    else if (e.isFile() && !e.name.endsWith('.map')) hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
  }
}

let memo: { config: Config; digest: string } | undefined;

/** The generation of views built by this process under `config` (worked out once: a few ms of reading files). */
export function viewGeneration(config: Config): string {
  if (memo?.config === config) return memo.digest;
  const hash = createHash('sha256');
  for (const dir of ['server', 'views']) hashTree(hash, join(CODE_ROOT, dir));
  hashTree(hash, STATIC_DIR);
  hash.update(assetUrl('htmx.min.js'));
  // Every setting, the secret left out (a new secret changes no page).
  hash.update(JSON.stringify({ ...config, jwtSecret: undefined }));
  const digest = hash.digest('base64url').slice(0, 16);
  memo = { config, digest };
  return digest;
}
