import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { makeTestApp } from '../helpers/app.js';
import { loadSeedPages, parseSeedFile, seedIfEmpty } from '../../server/seed/seed.js';
import { analyze } from '../../server/wiki/markdown.js';

describe('starter content', () => {
  const pages = loadSeedPages();
  const titles = new Set(pages.map((p) => p.title.text));

  it('has a Main Page, 8 to 12 articles and the three Help pages', () => {
    expect(titles.has('Main Page')).toBe(true);
    for (const help of ['Help:Editing', 'Help:Markdown', 'Help:Reverting vandalism']) expect(titles.has(help)).toBe(true);
    const articles = pages.filter((p) => p.title.namespace === '' && p.title.text !== 'Main Page');
    expect(articles.length).toBeGreaterThanOrEqual(8);
    expect(articles.length).toBeLessThanOrEqual(12);
  });

  it.each(loadSeedPages().filter((p) => p.title.namespace === '' && p.title.text !== 'Main Page').map((p) => ({ name: p.title.text, page: p })))(
    '$name links to other articles, has footnotes and categories',
    ({ page }) => {
      const a = analyze(page.source);
      expect(a.links.filter((l) => titles.has(l)).length).toBeGreaterThanOrEqual(2);
      expect(page.source).toMatch(/\[\^1\]:/);
      expect(a.categories.length).toBeGreaterThanOrEqual(1);
    },
  );

  it('is seeded into an empty wiki as revisions of the system account, once', () => {
    const { wiki } = makeTestApp();
    expect(seedIfEmpty(wiki.stores)).toBe(pages.length);
    expect(seedIfEmpty(wiki.stores)).toBe(0);
    const authors = wiki.db.prepare('SELECT DISTINCT a.name, a.kind FROM revision r JOIN actor a ON a.id = r.actor_id').all();
    expect(authors).toEqual([{ name: 'Peerwiki', kind: 'system' }]);
    expect(wiki.stores.pages.count()).toBe(pages.length);
  });

  it('renders the seeded Main Page with blue links to the articles', async () => {
    const { app, wiki } = makeTestApp();
    seedIfEmpty(wiki.stores);
    const res = await request(app).get('/wiki/Main_Page');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/wiki/Peer_network"');
    expect(res.text).toContain('href="/wiki/Help:Editing"');
  });

  it('refuses a file without front matter', () => {
    expect(() => parseSeedFile('x.md', 'no front matter')).toThrow(/front-matter/);
  });
});
