import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, makeTestApp } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { excerptHtml } from '../../server/wiki/search.js';
import type { Wiki } from '../../server/bootstrap.js';

/** Many pages at once, straight through the save path (links, categories, index and all). */
function createPages(wiki: Wiki, n: number, make: (i: number) => { title: string; source: string }) {
  const actor = wiki.stores.actors.system();
  for (let i = 0; i < n; i++) {
    const { title, source } = make(i);
    saveEdit(wiki.stores, { title: parseTitle(title), source, baseId: null, actor });
  }
}

const FTS_SYNTAX = [
  { name: 'an unbalanced quote', q: '"unbalanced' },
  { name: 'balanced quotes', q: '"peer network"' },
  { name: 'NEAR', q: 'peer NEAR network' },
  { name: 'NEAR()', q: 'NEAR(peer network, 2)' },
  { name: 'a prefix star', q: 'peer*' },
  { name: 'a lone star', q: '*' },
  { name: 'a leading minus', q: '-network' },
  { name: 'an open parenthesis', q: '(open' },
  { name: 'a close parenthesis', q: 'open)' },
  { name: 'a column filter', q: 'title:peer' },
  { name: 'a braced column filter', q: '{title body}: peer' },
  { name: 'a minus column filter', q: '- title : peer' },
  { name: 'boolean operators alone', q: 'AND OR NOT' },
  { name: 'empty quotes', q: '""' },
  { name: 'a caret', q: '^peer' },
  { name: 'a plus', q: 'peer + network' },
  { name: 'a single quote', q: "o'clock" },
  { name: 'colons', q: 'a:b:c' },
  { name: 'only punctuation', q: '!@#$%^&*()' },
  { name: 'a NUL byte', q: 'peer\u0000network' },
];

describe('full-text search', () => {
  function searchWiki() {
    const t = makeTestApp();
    createPage(t.wiki, { title: 'Mesh', source: 'Community <b>networks</b> share links, and network after network grows.' });
    createPage(t.wiki, { title: 'Network', source: 'A short page.' });
    createPage(t.wiki, { title: 'Cooking', source: 'Nothing about it.' });
    return t;
  }

  it('ranks pages with the words in their title above body-only matches, in HTML and the API', async () => {
    const { app, wiki } = searchWiki();
    // bm25 alone ranks this long page last: the word is once in a long title and never in the body.
    const long = 'A history of community wireless networks in rural areas';
    createPage(wiki, { title: long, source: 'Many words without the term. '.repeat(200) });
    createPage(wiki, { title: 'Gossip', source: 'network network network network' });
    const api = await request(app).get('/api/v1/search/page?q=networks');
    expect(api.status).toBe(200);
    const titles = api.body.pages.map((p: { title: string }) => p.title);
    expect(titles.slice(0, 2).sort()).toEqual([long, 'Network'].sort());
    expect(titles.slice(2).sort()).toEqual(['Gossip', 'Mesh']);
    const page = await request(app).get('/special/search?q=networks&fulltext=1');
    expect(page.status).toBe(200);
    const at = (t: string) => page.text.indexOf(`href="/wiki/${encodeURIComponent(t.replace(/ /g, '_'))}"`);
    expect(at(long)).toBeGreaterThan(-1);
    expect(at(long)).toBeLessThan(at('Gossip'));
    expect(at('Network')).toBeLessThan(at('Mesh'));
  });

  it('finds word forms and gives escaped excerpts with <mark> through the API', async () => {
    const { app } = searchWiki();
    const res = await request(app).get('/api/v1/search/page?q=network');
    const mesh = res.body.pages.find((p: { title: string }) => p.title === 'Mesh');
    expect(mesh).toMatchObject({ key: 'Mesh', title: 'Mesh' });
    expect(typeof mesh.id).toBe('number');
    expect(mesh.excerpt).toContain('<mark>networks</mark>');
    expect(mesh.excerpt).toContain('&lt;b&gt;');
    expect(mesh.excerpt).not.toContain('<b>');
    expect(Object.keys(mesh).sort()).toEqual(['excerpt', 'id', 'key', 'title']);
  });

  it('never builds markup from control characters in page text (HTML and API excerpts)', async () => {
    const { app, wiki } = makeTestApp();
    createPages(wiki, 1, () => ({ title: 'Controls', source: 'before \u0002 gossip \u0001 protocols \u0001\u0002 after gossip\u0002' }));
    const api = await request(app).get('/api/v1/search/page?q=gossip');
    const excerpt = api.body.pages[0].excerpt as string;
    expect(excerpt).toContain('<mark>gossip</mark>');
    expect(excerpt.match(/<mark>/g)!.length).toBe(excerpt.match(/<\/mark>/g)!.length);
    expect(excerpt).not.toMatch(/[\u0000-\u001f]/);
    const page = await request(app).get('/special/search?q=gossip&fulltext=1');
    const shown = /<li[^>]*>[\s\S]*?Controls[\s\S]*?<\/li>/.exec(page.text)![0];
    expect(shown.match(/<mark>/g)!.length).toBe(shown.match(/<\/mark>/g)!.length);
  });

  it('balances <mark> even for an index written before control characters were kept out', () => {
    expect(excerptHtml('a \u0002b\u0001 c \u0001d\u0002 \u0001e')).toBe('a b<mark> c d</mark> <mark>e</mark>');
    expect(excerptHtml('<i>\u0001x\u0002')).toBe('&lt;i&gt;<mark>x</mark>');
  });

  it('shows title matches first, in their own section, numbered on into the text matches', async () => {
    const { app, wiki } = makeTestApp();
    createPages(wiki, 1, () => ({ title: 'Mesh networking', source: 'Radios relay for each other.' }));
    createPages(wiki, 1, () => ({ title: 'Community radio', source: 'A mesh of volunteers, on the air.' }));
    const res = await request(app).get('/special/search?q=mesh&fulltext=1');
    expect(res.status).toBe(200);
    const titles = res.text.indexOf('Page title matches');
    const text = res.text.indexOf('Page text matches');
    expect(titles).toBeGreaterThan(-1);
    expect(text).toBeGreaterThan(titles);
    expect(res.text.indexOf('href="/wiki/Mesh_networking"')).toBeGreaterThan(titles);
    expect(res.text.indexOf('href="/wiki/Mesh_networking"')).toBeLessThan(text);
    expect(res.text.indexOf('href="/wiki/Community_radio"')).toBeGreaterThan(text);
    expect(res.text).toContain('<ol class="search-results" start="2">');
  });

  it('leaves common words out, says which, and still finds a title made of nothing else', async () => {
    const { app, wiki } = makeTestApp();
    createPages(wiki, 1, () => ({ title: 'Internet', source: 'The history of the internet is a history of peers.' }));
    createPages(wiki, 1, () => ({ title: 'The Who', source: 'A band from London.' }));
    createPages(wiki, 1, () => ({ title: 'Archive', source: 'Who kept it? The volunteers of the archive.' }));
    const res = await request(app).get('/special/search?q=history+of+THE+internet&fulltext=1');
    expect(res.text).toContain('href="/wiki/Internet"');
    expect(res.text).toContain('Common words were left out of this search: <q>of</q>, <q>the</q>.');
    expect(res.text).toContain('<a href="/wiki/Help:Searching">How search works</a>');
    // Only stop words: searched for, in titles; nothing is said to be left out.
    const who = await request(app).get('/special/search?q=the+who&fulltext=1');
    expect(who.text).toContain('href="/wiki/The_Who"');
    expect(who.text).not.toContain('href="/wiki/Archive"');
    expect(who.text).not.toContain('Common words were left out');
  });

  it('pages through results in HTML with previous and next links', async () => {
    const { app, wiki } = makeTestApp();
    createPages(wiki, 25, (i) => ({ title: `Topic ${String(i).padStart(2, '0')}`, source: 'About peers.' }));
    const res = await request(app).get('/special/search?q=peers&fulltext=1&limit=10&offset=10');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ol class="search-results" start="11">');
    expect(res.text.match(/<li><a href="\/wiki\/Topic_/g)).toHaveLength(10);
    expect(res.text).toContain('offset=0">Previous 10');
    expect(res.text).toContain('offset=20">Next 10');
  });

  it('goes straight to the page whose title is the query, unless asked for full text', async () => {
    const { app } = searchWiki();
    expect((await request(app).get('/special/search?q=mesh')).headers.location).toBe('/wiki/Mesh');
    expect((await request(app).get('/special/search?q=mesh&fulltext=1')).status).toBe(200);
  });

  it.each(FTS_SYNTAX)('never fails on FTS5 syntax in HTML or the API: $name', async ({ q }) => {
    const { app, logged } = searchWiki();
    const page = await request(app).get(`/special/search?q=${encodeURIComponent(q)}&fulltext=1`);
    expect(page.status).toBe(200);
    const api = await request(app).get(`/api/v1/search/page?q=${encodeURIComponent(q)}`);
    expect(api.status).toBe(200);
    expect(Array.isArray(api.body.pages)).toBe(true);
    const titles = await request(app).get(`/api/v1/search/title?q=${encodeURIComponent(q)}`);
    expect(titles.status).toBe(200);
    expect(logged).toEqual([]);
  });

  it('searches syntax words as plain words', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Proximity', source: 'Things NEAR other things.' });
    const res = await request(app).get('/api/v1/search/page?q=NEAR');
    expect(res.body.pages.map((p: { title: string }) => p.title)).toEqual(['Proximity']);
  });

  it('does not fail on query text that is not valid percent-encoded UTF-8', async () => {
    const { app, logged } = searchWiki();
    for (const q of ['%FF', '%ED%A0%80', '%']) {
      expect((await request(app).get(`/special/search?q=${q}&fulltext=1`)).status).toBe(400);
      const api = await request(app).get(`/api/v1/search/page?q=${q}`);
      expect(api.status).toBe(400);
      expect(api.body.error.code).toBe('invalid_input');
    }
    expect(logged).toEqual([]);
  });
});

describe('search API limits', () => {
  it('gives 10 by default and caps limit at 100 rather than refusing it', async () => {
    const { app, wiki } = makeTestApp();
    createPages(wiki, 105, (i) => ({ title: `Peer ${String(i).padStart(3, '0')}`, source: 'A peer page.' }));
    expect((await request(app).get('/api/v1/search/page?q=peer')).body.pages).toHaveLength(10);
    expect((await request(app).get('/api/v1/search/title?q=peer')).body.pages).toHaveLength(10);
    const big = await request(app).get('/api/v1/search/page?q=peer&limit=5000');
    expect(big.status).toBe(200);
    expect(big.body.pages).toHaveLength(100);
    const titles = await request(app).get('/api/v1/search/title?q=peer&limit=101');
    expect(titles.body.pages).toHaveLength(100);
    const second = await request(app).get('/api/v1/search/page?q=peer&limit=100&offset=100');
    expect(second.body.pages).toHaveLength(5);
  });

  it.each([
    { name: 'limit 0', query: 'q=x&limit=0' },
    { name: 'negative limit', query: 'q=x&limit=-1' },
    { name: 'fractional limit', query: 'q=x&limit=1.5' },
    { name: 'limit in words', query: 'q=x&limit=ten' },
    { name: 'limit given twice', query: 'q=x&limit=1&limit=2' },
    { name: 'negative offset', query: 'q=x&offset=-10' },
    { name: 'offset in words', query: 'q=x&offset=abc' },
    { name: 'no q', query: 'limit=5' },
    { name: 'q given twice', query: 'q=a&q=b' },
  ])('refuses $name with 400 and the error shape', async ({ query }) => {
    const { app, logged } = makeTestApp();
    for (const path of ['/api/v1/search/page', '/api/v1/search/title']) {
      const res = await request(app).get(`${path}?${query}`);
      if (path.endsWith('title') && query.includes('offset')) continue; // the title search takes no offset
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(typeof res.body.error.message).toBe('string');
    }
    expect(logged).toEqual([]);
  });
});

describe('title search (autocomplete)', () => {
  it('lists titles starting with the query as {id, key, title}, first letter in any case', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Peer networks' });
    createPage(wiki, { title: 'Peer learning' });
    createPage(wiki, { title: 'Talk:Peer networks' });
    createPage(wiki, { title: 'Wikipedia' });
    const res = await request(app).get('/api/v1/search/title?q=peer');
    expect(res.body.pages.map((p: { key: string }) => p.key)).toEqual(['Peer_learning', 'Peer_networks']);
    expect(Object.keys(res.body.pages[0]).sort()).toEqual(['id', 'key', 'title']);
    const talk = await request(app).get('/api/v1/search/title?q=talk:peer');
    expect(talk.body.pages.map((p: { title: string }) => p.title)).toEqual(['Talk:Peer networks']);
    expect((await request(app).get('/api/v1/search/title?q=')).body).toEqual({ pages: [] });
  });

  it('feeds the header search box through htmx', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Peer networks' });
    const page = await request(app).get('/wiki/Peer_networks');
    expect(page.text).toContain('hx-get="/special/search/suggest"');
    const res = await request(app).get('/special/search/suggest?q=pe').set('HX-Request', 'true');
    expect(res.text).toContain('<a href="/wiki/Peer_networks">Peer networks</a>');
  });
});

describe('what links here', () => {
  function linked() {
    const t = makeTestApp();
    createPage(t.wiki, { title: 'Peer networks/History', source: 'Old times.' });
    createPage(t.wiki, { title: 'Zeta', source: 'See [[Peer networks/History]].' });
    createPage(t.wiki, { title: 'Alpha', source: 'See [[peer_networks/History|the history]] and [[Nowhere]].' });
    createPage(t.wiki, { title: 'Unrelated', source: 'No links.' });
    return t;
  }

  it('lists the linking pages in HTML, for subpages too', async () => {
    const { app } = linked();
    const res = await request(app).get('/special/links-here/Peer_networks/History');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/wiki/Zeta"');
    expect(res.text).toContain('href="/wiki/Alpha"');
    expect(res.text).not.toContain('href="/wiki/Unrelated"');
  });

  it('accepts the subpage title with its slash percent-encoded, as the page tools link it', async () => {
    const { app } = linked();
    const res = await request(app).get('/special/links-here/Peer_networks%2FHistory');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/wiki/Zeta"');
  });

  it('answers the API with {pages: [{id, key, title}]}, a %2F in the title', async () => {
    const { app, wiki } = linked();
    const res = await request(app).get('/api/v1/page/Peer_networks%2FHistory/links/here');
    expect(res.status).toBe(200);
    const zeta = wiki.stores.pages.byTitle(parseTitle('Zeta'))!;
    const alpha = wiki.stores.pages.byTitle(parseTitle('Alpha'))!;
    expect(res.body).toEqual({ pages: [{ id: zeta.id, key: 'Zeta', title: 'Zeta' }, { id: alpha.id, key: 'Alpha', title: 'Alpha' }] });
    const page = await request(app).get('/api/v1/page/Peer_networks%2FHistory/links/here?limit=1&offset=1');
    expect(page.body.pages.map((p: { key: string }) => p.key)).toEqual(['Alpha']);
  });

  it('works for a page that does not exist yet, with a red link to create it', async () => {
    const { app } = linked();
    const res = await request(app).get('/special/links-here/Nowhere');
    expect(res.status).toBe(200);
    expect(res.text).toContain('class="new" href="/wiki/Nowhere?action=edit"');
    expect(res.text).toContain('href="/wiki/Alpha"');
    expect((await request(app).get('/api/v1/page/Nowhere/links/here')).body.pages).toHaveLength(1);
  });

  it('pages through the list', async () => {
    const { app } = linked();
    const res = await request(app).get('/special/links-here/Peer_networks/History?limit=1');
    expect(res.text).toContain('href="/wiki/Zeta"');
    expect(res.text).not.toContain('href="/wiki/Alpha"');
    expect(res.text).toContain('offset=1');
  });

  it('goes from the form to the list', async () => {
    const { app } = linked();
    expect((await request(app).get('/special/links-here')).text).toContain('name="target"');
    expect((await request(app).get('/special/links-here?target=peer networks/History')).headers.location).toBe('/special/links-here/Peer_networks/History');
  });

  it.each([
    { name: 'a forbidden character', path: 'A%5Bb' },
    { name: 'a namespace alone', path: 'Talk:' },
    { name: 'a dot segment', path: 'A%2F..%2FB' },
    { name: 'bad percent-encoding', path: '%E0%A4%A' },
  ])('refuses an invalid title ($name) with 400', async ({ path }) => {
    const { app, logged } = linked();
    expect((await request(app).get(`/special/links-here/${path}`)).status).toBe(400);
    const api = await request(app).get(`/api/v1/page/${path}/links/here`);
    expect(api.status).toBe(400);
    expect(['invalid_title', 'invalid_input']).toContain(api.body.error.code);
    expect(logged).toEqual([]);
  });

  it.each(['limit=0', 'limit=x', 'offset=-1', 'offset=1.5'])('refuses %s with 400 in HTML and the API', async (query) => {
    const { app } = linked();
    expect((await request(app).get(`/special/links-here/Nowhere?${query}`)).status).toBe(400);
    const api = await request(app).get(`/api/v1/page/Nowhere/links/here?${query}`);
    expect(api.status).toBe(400);
    expect(api.body.error.code).toBe('invalid_input');
  });
});

describe('wanted and orphaned pages', () => {
  it('lists missing titles by how often they are linked, paginated', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'A', source: '[[Often]] [[Sometimes]] [[Once]]' });
    createPage(wiki, { title: 'B', source: '[[Often]] [[Sometimes]]' });
    createPage(wiki, { title: 'C', source: '[[Often]] [[A]]' });
    const res = await request(app).get('/special/wanted-pages');
    expect(res.status).toBe(200);
    const order = ['Often', 'Sometimes', 'Once'].map((t) => res.text.indexOf(`href="/wiki/${t}?action=edit"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(res.text).toContain('3 links');
    const second = await request(app).get('/special/wanted-pages?limit=1&offset=1');
    expect(second.text).toContain('Sometimes');
    expect(second.text).not.toContain('/wiki/Often?action=edit');
    expect(second.text).toContain('offset=2');
    expect(second.text).toMatch(/href="\/special\/wanted-pages\?limit=1"[^>]*>Previous 1/);
  });

  it('lists articles nothing links to', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Linked' });
    createPage(wiki, { title: 'Lonely' });
    createPage(wiki, { title: 'Hub', source: '[[Linked]] [[Hub]]' });
    const res = await request(app).get('/special/orphaned-pages');
    expect(res.text).toContain('href="/wiki/Lonely"');
    expect(res.text).not.toContain('href="/wiki/Linked"');
    expect(res.text).not.toContain('href="/wiki/Hub"');
  });

  it.each(['/special/wanted-pages', '/special/orphaned-pages', '/special/all-pages', '/special/categories'])('refuses a bad limit on %s with 400', async (path) => {
    const { app, logged } = makeTestApp();
    expect((await request(app).get(`${path}?limit=0`)).status).toBe(400);
    expect((await request(app).get(`${path}?limit=1&limit=2`)).status).toBe(400);
    expect(logged).toEqual([]);
  });
});

describe('/special/all-pages', () => {
  function pages() {
    const t = makeTestApp();
    for (const title of ['Apple', 'Apricot', 'Banana', 'Cherry', 'Help:Apple', 'Redirected']) {
      createPage(t.wiki, { title, source: title === 'Redirected' ? '#REDIRECT [[Apple]]' : 'x' });
    }
    return t;
  }

  it('lists pages in title order, redirects marked', async () => {
    const { app } = pages();
    const res = await request(app).get('/special/all-pages');
    const order = ['Apple', 'Apricot', 'Banana', 'Cherry', 'Help:Apple'].map((t) => res.text.indexOf(`href="/wiki/${t}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(res.text).toContain('class="redirect" href="/wiki/Redirected?redirect=no"');
  });

  it('filters by prefix, normalised like a title', async () => {
    const { app } = pages();
    const res = await request(app).get('/special/all-pages?prefix=ap');
    expect(res.text).toContain('href="/wiki/Apple"');
    expect(res.text).toContain('href="/wiki/Apricot"');
    expect(res.text).not.toContain('href="/wiki/Banana"');
    const help = await request(app).get('/special/all-pages?prefix=help:');
    expect(help.text).toContain('href="/wiki/Help:Apple"');
    expect(help.text).not.toContain('href="/wiki/Apple"');
  });

  it('pages by from (keyset) and offset, with previous and next links', async () => {
    const { app } = pages();
    const first = await request(app).get('/special/all-pages?limit=2');
    expect(first.text).toContain('href="/special/all-pages?from=Banana&amp;limit=2"');
    const second = await request(app).get('/special/all-pages?from=Banana&limit=2');
    expect(second.text).toContain('href="/wiki/Banana"');
    expect(second.text).toContain('href="/wiki/Cherry"');
    expect(second.text).not.toContain('href="/wiki/Apple"');
    expect(second.text).toMatch(/href="\/special\/all-pages\?limit=2"[^>]*>Previous 2/);
    const skipped = await request(app).get('/special/all-pages?offset=3&limit=1');
    expect(skipped.text).toContain('href="/wiki/Cherry"');
    expect(skipped.text).not.toContain('href="/wiki/Banana"');
  });

  it('caps a huge limit instead of refusing it, and refuses a bad offset', async () => {
    const { app } = pages();
    expect((await request(app).get('/special/all-pages?limit=100000')).status).toBe(200);
    expect((await request(app).get('/special/all-pages?offset=-1')).status).toBe(400);
  });

  it('is linked from the footer of every page', async () => {
    const { app } = pages();
    expect((await request(app).get('/wiki/Apple')).text).toContain('<a href="/special/all-pages">All pages</a>');
  });
});

describe('/special/random', () => {
  it('redirects to a random existing article and never to a redirect', async () => {
    const { app, wiki } = makeTestApp();
    for (const t of ['One', 'Two', 'Three', 'Four']) createPage(wiki, { title: t });
    createPage(wiki, { title: 'Redirect', source: '#REDIRECT [[One]]' });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const res = await request(app).get('/special/random');
      expect(res.status).toBe(302);
      expect(res.headers['cache-control']).toBe('no-store');
      seen.add(res.headers.location!);
    }
    expect([...seen].every((l) => ['/wiki/One', '/wiki/Two', '/wiki/Three', '/wiki/Four'].includes(l))).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('answers 404 on an empty wiki', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/special/random')).status).toBe(404);
  });
});

describe('categories', () => {
  it('/special/categories lists each category with its member count', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'P1', source: '[[Category:Networks]] [[Category:Open source]]' });
    createPage(wiki, { title: 'P2', source: '[[Category:Networks]]' });
    createPage(wiki, { title: 'Category:Networks', source: 'Networks of all kinds.' });
    const res = await request(app).get('/special/categories');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<a href="\/wiki\/Category:Networks">Networks<\/a>\s*<span class="muted">\(2 members\)/);
    expect(res.text).toMatch(/<a class="new" href="\/wiki\/Category:Open_source">Open source<\/a>\s*<span class="muted">\(1 member\)/);
    const paged = await request(app).get('/special/categories?limit=1');
    expect(paged.text).toContain('href="/special/categories?from=Open%20source&amp;limit=1"');
  });

  it('a Category: page lists its members in title order above its own text', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Category:Networks', source: 'The own text of the category.' });
    createPage(wiki, { title: 'Zigbee', source: '[[Category:Networks]]' });
    createPage(wiki, { title: 'Mesh', source: '[[category:networks]]' });
    createPage(wiki, { title: 'Other', source: '[[Category:Other]]' });
    const res = await request(app).get('/wiki/Category:Networks');
    expect(res.status).toBe(200);
    const members = res.text.indexOf('class="category-members"');
    expect(members).toBeGreaterThan(0);
    expect(members).toBeLessThan(res.text.indexOf('The own text of the category.'));
    expect(res.text.indexOf('href="/wiki/Mesh"')).toBeLessThan(res.text.indexOf('href="/wiki/Zigbee"'));
    expect(res.text).not.toContain('href="/wiki/Other"');
    expect(res.text).toContain('This category has 2 pages.');
  });

  it('pages through a large category with pagefrom', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Category:Big', source: 'Big.' });
    createPages(wiki, 201, (i) => ({ title: `Member ${String(i).padStart(3, '0')}`, source: '[[Category:Big]]' }));
    const first = await request(app).get('/wiki/Category:Big');
    expect(first.text).toContain('href="/wiki/Member_199"');
    expect(first.text).not.toContain('href="/wiki/Member_200"');
    expect(first.text).toContain('href="/wiki/Category:Big?pagefrom=Member%20200"');
    const second = await request(app).get('/wiki/Category:Big?pagefrom=Member%20200');
    expect(second.text).toContain('href="/wiki/Member_200"');
    expect(second.text).not.toContain('href="/wiki/Member_199"');
    expect(second.text).toMatch(/href="\/wiki\/Category:Big"[^>]*>Previous 200/);
  });

  it('shows the members of a category whose page does not exist yet (404)', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Member', source: '[[Category:Unwritten]]' });
    const res = await request(app).get('/wiki/Category:Unwritten');
    expect(res.status).toBe(404);
    expect(res.text).toContain('href="/wiki/Member"');
    expect((await request(app).get('/wiki/Category:Empty')).text).not.toContain('category-members');
  });

  it('changes the ETag when a member joins, so a cached copy is not reused', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Category:Growing', source: 'Grows.' });
    const agent = request.agent(app);
    const first = await agent.get('/wiki/Category:Growing');
    const etag = first.headers.etag!;
    expect((await agent.get('/wiki/Category:Growing').set('If-None-Match', etag)).status).toBe(304);
    createPage(wiki, { title: 'Newcomer', source: '[[Category:Growing]]' });
    const after = await agent.get('/wiki/Category:Growing').set('If-None-Match', etag);
    expect(after.status).toBe(200);
    expect(after.text).toContain('href="/wiki/Newcomer"');
  });
});
