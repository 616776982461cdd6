import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { sitemap, sitemapFile } from '../../server/wiki/sitemap.js';
import { parseTitle } from '../../server/wiki/title.js';

/** Pages 1..n by id, with "Redirect" and "Deleted" among them. */
function wikiOf(n: number) {
  const { wiki } = makeTestApp();
  const s = wiki.stores;
  const actor = s.actors.system();
  for (let i = 1; i <= n; i++) saveEdit(s, { title: parseTitle(`Page ${i}`), source: 'x', baseId: null, actor });
  saveEdit(s, { title: parseTitle('Redirect'), source: '#REDIRECT [[Page 1]]', baseId: null, actor });
  saveEdit(s, { title: parseTitle('Deleted'), source: 'x', baseId: null, actor });
  deletePage(s, actor, parseTitle('Deleted'), '');
  return s;
}

describe('sitemap', () => {
  it('lists live, non-redirect pages in one file when they fit', () => {
    const s = wikiOf(3);
    const map = sitemap(s, 10);
    expect(map.kind).toBe('urls');
    if (map.kind !== 'urls') throw new Error('unreachable');
    expect(map.urls.map((u) => u.title.text).sort()).toEqual(['Page 1', 'Page 2', 'Page 3']);
    expect(map.urls.every((u) => /^\d{4}-\d\d-\d\dT/.test(u.lastmod))).toBe(true);
    expect(sitemapFile(s, 1, 10)).toBeUndefined();
  });

  it('splits into files by id range past the limit, leaving out empty ones', () => {
    const s = wikiOf(5); // ids 1-5 pages, 6 the redirect, 7 the deleted page
    expect(sitemap(s, 2)).toEqual({ kind: 'index', files: [1, 2, 3] });
    expect(sitemapFile(s, 1, 2)!.map((u) => u.title.text)).toEqual(['Page 1', 'Page 2']);
    expect(sitemapFile(s, 3, 2)!.map((u) => u.title.text)).toEqual(['Page 5']);
    expect(sitemapFile(s, 4, 2)).toBeUndefined();
    expect(sitemapFile(s, 9, 2)).toBeUndefined();
  });
});
