/** MediaWiki's special page names lead to this wiki's own pages. */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createUser, makeTestApp, sessionBrowser } from '../helpers/app.js';

describe('/wiki/Special:…', () => {
  it.each([
    ['/wiki/Special:RecentChanges', '/special/recent-changes'],
    ['/wiki/special:recentchanges', '/special/recent-changes'],
    ['/wiki/Special:Recent_changes', '/special/recent-changes'],
    ['/wiki/Special:AllPages', '/special/all-pages'],
    ['/wiki/Special:Random', '/special/random'],
    ['/wiki/Special:Search/peer%20networks', '/special/search?q=peer%20networks'],
    ['/wiki/Special:Search?search=gossip&fulltext=Search', '/special/search?q=gossip&fulltext=1'],
    ['/wiki/Special:Contributions/Alice_Smith', '/special/contributions/Alice_Smith'],
    ['/wiki/Special:WhatLinksHere/Peer_networks', '/special/links-here/Peer_networks'],
    ['/wiki/Special:Log/block', '/special/log?type=block'],
    ['/wiki/Special:UserLogin', '/login'],
    ['/wiki/Special:CreateAccount', '/register'],
    ['/wiki/Special:LonelyPages', '/special/orphaned-pages'],
    ['/wiki/Special:MyPage', '/login?returnto=%2Fwiki%2FSpecial%3AMyPage'],
  ])('%s leads to %s', async (from, to) => {
    const { app } = makeTestApp();
    const res = await request(app).get(from);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(to);
  });

  it('takes a logged-in reader to their own user page, talk page and contributions', async () => {
    const { app, wiki } = makeTestApp();
    const { agent } = await sessionBrowser(app, wiki, createUser(wiki, { name: 'Alice Smith' }));
    expect((await agent.get('/wiki/Special:MyPage')).headers.location).toBe('/wiki/User:Alice_Smith');
    expect((await agent.get('/wiki/Special:MyTalk')).headers.location).toBe('/wiki/User_talk:Alice_Smith');
    expect((await agent.get('/wiki/Special:MyContributions')).headers.location).toBe('/special/contributions/Alice_Smith');
  });

  it('says plainly that an unknown special page does not exist, and never offers to create it', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/wiki/Special:Nonsense');
    expect(res.status).toBe(404);
    expect(res.text).toContain('There is no special page');
    expect(res.text).toContain('Nonsense');
    expect(res.text).not.toContain('action=edit');
  });
});

describe('/special/special-pages', () => {
  it('lists every special page by group; admin tools only for admins; MediaWiki\'s name leads there', async () => {
    const { app, wiki } = makeTestApp();
    const res = await request(app).get('/special/special-pages');
    expect(res.status).toBe(200);
    for (const href of ['/special/recent-changes', '/special/log', '/special/review', '/special/all-pages', '/special/categories', '/special/wanted-pages', '/special/orphaned-pages', '/special/random', '/special/search', '/special/links-here', '/login', '/register']) {
      expect(res.text, href).toContain(`<a href="${href}">`);
    }
    expect(res.text).not.toContain('href="/special/block"');
    const { agent } = await sessionBrowser(app, wiki, createUser(wiki, { name: 'Admin', role: 'admin' }), '/special/special-pages');
    const admin = await agent.get('/special/special-pages');
    expect(admin.text).toContain('<a href="/special/block">');
    expect(admin.text).toContain('<a href="/special/mass-rollback">');
    expect(admin.text).toContain('<a href="/special/watchlist">');
    expect((await request(app).get('/wiki/Special:SpecialPages')).headers.location).toBe('/special/special-pages');
    // Every page's footer leads around the wiki.
    const page = await request(app).get('/special/all-pages');
    for (const href of ['/special/recent-changes', '/special/random', '/special/all-pages', '/special/categories', '/special/special-pages', '/wiki/Category:Help']) expect(page.text).toContain(`<a href="${href}">`);
  });
});

describe('a user page', () => {
  it('links the account\'s contributions, and for admins blocking it and the block log', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Alice Smith' });
    const { createPage } = await import('../helpers/app.js');
    createPage(wiki, { title: 'User:Alice Smith', source: 'Hello, I write about mesh networks.' });
    const reader = await request(app).get('/wiki/User:Alice_Smith');
    expect(reader.text).toContain('<a href="/special/contributions/Alice_Smith">Contributions of Alice Smith</a>');
    expect(reader.text).not.toContain('/special/block?target=');
    const { agent } = await sessionBrowser(app, wiki, createUser(wiki, { name: 'Admin', role: 'admin' }), '/wiki/User:Alice_Smith');
    const admin = await agent.get('/wiki/User:Alice_Smith');
    expect(admin.text).toContain('<a href="/special/block?target=Alice%20Smith">Block Alice Smith</a>');
    expect(admin.text).toContain('<a href="/special/log?type=block">Block log</a>');
  });
});
