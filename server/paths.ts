/** Where the project's own folders are, from source (tsx/vitest) or from the compiled dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'migrations'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (a folder with package.json and migrations/)');
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot();
export const MIGRATIONS_DIR = join(ROOT, 'migrations');
export const STATIC_DIR = join(ROOT, 'static');
export const SEED_DIR = join(ROOT, 'server', 'seed', 'pages');
