import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, createUser, makeTestApp, tokenFor } from '../helpers/app.js';

describe('smoke', () => {
  it('works', async () => {
    const { app, wiki, logged } = makeTestApp();
    createPage(wiki, { title: 'Peer networks', source: 'About [[Mesh]] and [[Missing one]].\n\n[[Category:Networks]]' });
    createPage(wiki, { title: 'Mesh', source: 'A mesh of networks. [[Missing one]]' });
    createPage(wiki, { title: 'Category:Networks', source: 'All networks.' });
    for (const p of ['/special/all-pages', '/special/wanted-pages', '/special/orphaned-pages', '/special/links-here/Mesh', '/special/categories', '/wiki/Category:Networks', '/special/random', '/special/watchlist']) {
      const res = await request(app).get(p);
      console.log(p, res.status, res.headers.location ?? '', (/<main[\s\S]*<\/main>/.exec(res.text)?.[0] ?? res.text.slice(0, 300)).replace(/\n\s*\n/g, '\n'));
    }
    const u = createUser(wiki);
    const res = await request(app).get('/wiki/Mesh').set('cookie', `pw_session=${tokenFor(wiki, u)}`);
    console.log(/<form class="watch-star[\s\S]*?<\/form>/.exec(res.text)?.[0]);
    console.log(logged);
  });
});
