/** Starter content: the pages in server/seed/pages, saved as revisions by the system account. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stores } from '../db/stores.js';
import { SEED_DIR } from '../paths.js';
import { saveEdit } from '../wiki/edit.js';
import { parseTitle, type Title } from '../wiki/title.js';

export interface SeedPage {
  title: Title;
  summary: string;
  source: string;
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n/;

/** Parse one seed file: a front-matter block with `title:` and `summary:`, then the Markdown. */
export function parseSeedFile(name: string, text: string): SeedPage {
  const m = FRONT_MATTER.exec(text.replace(/\r\n?/g, '\n'));
  if (!m) throw new Error(`seed file ${name} must start with a --- front-matter block`);
  const fields = new Map(
    m[1]!.split('\n').map((line) => {
      const i = line.indexOf(':');
      return [line.slice(0, i).trim(), line.slice(i + 1).trim()] as const;
    }),
  );
  const title = fields.get('title');
  if (!title) throw new Error(`seed file ${name} has no title`);
  return { title: parseTitle(title), summary: fields.get('summary') ?? 'Starter content', source: text.slice(m[0].length).replace(/^\n+/, '') };
}

export function loadSeedPages(dir = SEED_DIR): SeedPage[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseSeedFile(f, readFileSync(join(dir, f), 'utf8')));
}

/** Seed the starter pages when the wiki has no pages at all; returns how many were written. */
export function seedIfEmpty(stores: Stores, pages = loadSeedPages()): number {
  if (stores.pages.count() > 0) return 0;
  return stores.transaction(() => {
    if (stores.pages.count() > 0) return 0;
    const system = stores.actors.system();
    for (const p of pages) {
      saveEdit(stores, { title: p.title, source: p.source, comment: p.summary, baseId: null, actor: system, mode: 'create' });
    }
    return pages.length;
  });
}
