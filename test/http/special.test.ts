import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

describe('/special/contributions/{user}', () => {
  it('lists the account\'s edits on every page, newest first, with diff links', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice Smith' });
    const a = saveEdit(wiki.stores, { title: parseTitle('First'), source: 'x', comment: 'made first', baseId: null, actor: alice }).revision;
    const b = saveEdit(wiki.stores, { title: parseTitle('Second'), source: 'y', baseId: null, actor: alice }).revision;
    createPage(wiki, { title: 'Not hers' });
    const res = await request(app).get('/special/contributions/Alice_Smith');
    expect(res.status).toBe(200);
    expect(res.text.indexOf(`?oldid=${b.id}`)).toBeLessThan(res.text.indexOf(`?oldid=${a.id}`));
    expect(res.text).toContain('(made first)');
    expect(res.text).not.toContain('Not hers');
  });

  it('answers 404 for an unknown account', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/special/contributions/Nobody')).status).toBe(404);
  });
});

describe('/special/search', () => {
  it('goes straight to a page whose title is the query', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Peer network' });
    const res = await request(app).get('/special/search?q=peer%20network');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/wiki/Peer_network');
  });

  it('finds word forms and marks matches in excerpts, escaped', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Mesh', source: 'Community <b>networks</b> share links.' });
    const res = await request(app).get('/special/search?q=network&fulltext=1');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/wiki/Mesh"');
    expect(res.text).toContain('<mark>networks</mark>');
    expect(res.text).toContain('&lt;b&gt;');
  });

  it('builds excerpts from the readable text, not the Markdown source', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Marked', source: '## Origin\n\nThe **peer network** grew, see [[Wikipedia|the encyclopedia]].\n\n[[Category:Internet]]' });
    const res = await request(app).get('/special/search?q=peer&fulltext=1');
    const excerpt = /<p class="excerpt">(.*?)<\/p>/s.exec(res.text)![1]!;
    expect(excerpt).toContain('<mark>peer</mark> network grew, see the encyclopedia');
    expect(excerpt).not.toMatch(/\*\*|\[\[|##|Category/);
  });

  it.each(['"unbalanced', 'a NEAR b', 'peer*', '-network', '(open', 'title:x', 'AND OR NOT', '""', '^'])('never fails on FTS5 syntax: %s', async (q) => {
    const { app, wiki, logged } = makeTestApp();
    createPage(wiki, { title: 'Any', source: 'peer network open' });
    const res = await request(app).get(`/special/search?q=${encodeURIComponent(q)}&fulltext=1`);
    expect(res.status).toBe(200);
    expect(logged).toEqual([]);
  });

  it('suggests titles for the header search box', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Peer network' });
    createPage(wiki, { title: 'Peer learning' });
    createPage(wiki, { title: 'Wikipedia' });
    const res = await request(app).get('/special/search/suggest?q=peer');
    expect(res.text).toContain('Peer learning');
    expect(res.text).toContain('Peer network');
    expect(res.text).not.toContain('Wikipedia');
  });
});
