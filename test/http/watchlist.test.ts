import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, createUser, makeTestApp, sessionBrowser, tokenFor } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Wiki } from '../../server/bootstrap.js';

function watchRows(wiki: Wiki): { actor_id: number; page_id: number }[] {
  return wiki.db.prepare('SELECT actor_id, page_id FROM watchlist ORDER BY page_id').all() as { actor_id: number; page_id: number }[];
}

function setup() {
  const t = makeTestApp();
  createPage(t.wiki, { title: 'Page', source: 'Watch me.' });
  createPage(t.wiki, { title: 'Peer networks/History', source: 'A subpage.' });
  const user = createUser(t.wiki, { name: 'Walter' });
  return { ...t, user };
}

describe('the watch star', () => {
  it('shows a POST form with the CSRF field and htmx attributes to registered users only', async () => {
    const { app, wiki, user } = setup();
    const { page, csrf } = await sessionBrowser(app, wiki, user, '/wiki/Page');
    const star = /<form class="watch-star"[\s\S]*?<\/form>/.exec(page.text)![0];
    expect(star).toContain('method="post" action="/special/watch/Page"');
    expect(star).toContain('hx-post="/special/watch/Page"');
    expect(star).toContain(`<input type="hidden" name="csrf" value="${csrf}">`);
    expect(star).toContain('aria-pressed="false"');
    expect(page.text).toContain('hx-headers=');
    expect((await request(app).get('/wiki/Page')).text).not.toContain('watch-star');
    const temp = wiki.stores.actors.createTemporary();
    expect((await request(app).get('/wiki/Page').set('cookie', `pw_session=${tokenFor(wiki, temp)}`)).text).not.toContain('watch-star');
  });

  it('watches without JavaScript: 303 back to the page, which then shows the filled star', async () => {
    const { app, wiki, user } = setup();
    const b = await sessionBrowser(app, wiki, user, '/wiki/Page');
    const res = await b.agent.post('/special/watch/Page').type('form').send({ csrf: b.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/wiki/Page');
    expect(watchRows(wiki)).toEqual([{ actor_id: user.id, page_id: wiki.stores.pages.byTitle(parseTitle('Page'))!.id }]);
    const again = await b.agent.get('/wiki/Page');
    expect(again.text).toContain('action="/special/unwatch/Page"');
    expect(again.text).toContain('aria-pressed="true"');
  });

  it('with htmx answers just the new star, and unwatching removes the row', async () => {
    const { app, wiki, user } = setup();
    const b = await sessionBrowser(app, wiki, user, '/wiki/Peer_networks/History');
    const on = await b.agent.post('/special/watch/Peer_networks/History').set('HX-Request', 'true').set('X-CSRF-Token', b.csrf);
    expect(on.status).toBe(200);
    expect(on.text.trim()).toMatch(/^<form class="watch-star watched"/);
    expect(on.text).toContain('hx-post="/special/unwatch/Peer_networks/History"');
    expect(on.text).not.toContain('<html');
    expect(watchRows(wiki)).toHaveLength(1);
    const off = await b.agent.post('/special/unwatch/Peer_networks/History').set('HX-Request', 'true').type('form').send({ csrf: b.csrf });
    expect(off.status).toBe(200);
    expect(off.text).toContain('hx-post="/special/watch/Peer_networks/History"');
    expect(watchRows(wiki)).toEqual([]);
  });

  it('watching twice is one watch', async () => {
    const { app, wiki, user } = setup();
    const b = await sessionBrowser(app, wiki, user, '/wiki/Page');
    for (let i = 0; i < 2; i++) await b.agent.post('/special/watch/Page').type('form').send({ csrf: b.csrf }).expect(303);
    expect(watchRows(wiki)).toHaveLength(1);
  });

  it('changes the page ETag, so a cached copy with the old star is not reused', async () => {
    const { app, wiki, user } = setup();
    const b = await sessionBrowser(app, wiki, user, '/wiki/Page');
    const etag = b.page.headers.etag!;
    expect((await b.agent.get('/wiki/Page').set('If-None-Match', etag)).status).toBe(304);
    await b.agent.post('/special/watch/Page').type('form').send({ csrf: b.csrf }).expect(303);
    expect((await b.agent.get('/wiki/Page').set('If-None-Match', etag)).status).toBe(200);
  });

  describe('refused acts change nothing', () => {
    it('without a CSRF token, or with a wrong one: 403', async () => {
      const { app, wiki, user } = setup();
      const b = await sessionBrowser(app, wiki, user, '/wiki/Page');
      expect((await b.agent.post('/special/watch/Page').type('form').send({})).status).toBe(403);
      expect((await b.agent.post('/special/watch/Page').type('form').send({ csrf: 'forged' })).status).toBe(403);
      expect((await b.agent.post('/special/watch/Page').set('HX-Request', 'true')).status).toBe(403);
      expect(watchRows(wiki)).toEqual([]);
    });

    it('without a login, or as a temporary account: 401', async () => {
      const { app, wiki } = setup();
      const anon = await browser(app);
      const res = await anon.agent.post('/special/watch/Page').type('form').send({ csrf: anon.csrf });
      expect(res.status).toBe(401);
      expect(res.text).toContain('/login');
      const temp = wiki.stores.actors.createTemporary();
      const t = await sessionBrowser(app, wiki, temp, '/wiki/Page');
      expect((await t.agent.post('/special/watch/Page').type('form').send({ csrf: t.csrf })).status).toBe(401);
      expect(watchRows(wiki)).toEqual([]);
    });

    it('for a missing page (404) or an invalid title (400)', async () => {
      const { app, wiki, user, logged } = setup();
      const b = await sessionBrowser(app, wiki, user, '/wiki/Page');
      expect((await b.agent.post('/special/watch/No_such_page').type('form').send({ csrf: b.csrf })).status).toBe(404);
      expect((await b.agent.post('/special/watch/A%5BB').type('form').send({ csrf: b.csrf })).status).toBe(400);
      expect((await b.agent.post('/special/watch/Talk:').type('form').send({ csrf: b.csrf })).status).toBe(400);
      expect(watchRows(wiki)).toEqual([]);
      expect(logged).toEqual([]);
    });
  });
});

describe('/special/watchlist', () => {
  it('asks anonymous readers and temporary accounts to log in, with 401', async () => {
    const { app, wiki } = setup();
    const res = await request(app).get('/special/watchlist');
    expect(res.status).toBe(401);
    expect(res.text).toContain('href="/login?returnto=%2Fspecial%2Fwatchlist"');
    const temp = wiki.stores.actors.createTemporary();
    const t = await request(app).get('/special/watchlist').set('cookie', `pw_session=${tokenFor(wiki, temp)}`);
    expect(t.status).toBe(401);
    expect(t.text).toContain('Temporary accounts have no watchlist');
  });

  it('shows changes to watched pages only, newest first, each with diff and history links', async () => {
    const { app, wiki, user } = setup();
    const other = createUser(wiki, { name: 'Olga' });
    const page = wiki.stores.pages.byTitle(parseTitle('Page'))!;
    wiki.stores.watchlist.add(user.id, page.id, new Date().toISOString());
    const r1 = saveEdit(wiki.stores, { title: parseTitle('Page'), source: 'Second text.', comment: 'second <b>edit</b>', baseId: page.latestId, actor: other }).revision;
    saveEdit(wiki.stores, { title: parseTitle('Peer networks/History'), source: 'Unwatched change.', comment: 'not mine to see', baseId: wiki.stores.pages.byTitle(parseTitle('Peer networks/History'))!.latestId, actor: other });
    const r2 = saveEdit(wiki.stores, { title: parseTitle('Page'), source: 'Third text.', comment: 'third edit', baseId: r1.id, actor: other }).revision;
    const res = await request(app).get('/special/watchlist').set('cookie', `pw_session=${tokenFor(wiki, user)}`);
    expect(res.status).toBe(200);
    expect(res.text.indexOf('third edit')).toBeLessThan(res.text.indexOf('second &lt;b&gt;edit&lt;/b&gt;'));
    expect(res.text).not.toContain('not mine to see');
    expect(res.text).toContain(`href="/wiki/Page?diff=${r2.id}&amp;oldid=${r1.id}">diff</a>`);
    expect(res.text).toContain('href="/wiki/Page?action=history">hist</a>');
    expect(res.text).toContain('You watch 1 page.');
  });

  it('pages with older_than and refuses bad paging input with 400', async () => {
    const { app, wiki, user } = setup();
    const ids = createPage(wiki, { title: 'Busy', revisions: 3 });
    wiki.stores.watchlist.add(user.id, wiki.stores.pages.byTitle(parseTitle('Busy'))!.id, 't');
    const cookie = `pw_session=${tokenFor(wiki, user)}`;
    const first = await request(app).get('/special/watchlist?limit=2').set('cookie', cookie);
    expect(first.text).toContain(`?oldid=${ids[2]}`);
    expect(first.text).not.toContain(`?oldid=${ids[0]}"`);
    expect(first.text).toContain(`older_than=${ids[1]}&amp;limit=2`);
    const second = await request(app).get(`/special/watchlist?limit=2&older_than=${ids[1]}`).set('cookie', cookie);
    expect(second.text).toContain(`?oldid=${ids[0]}"`);
    expect(second.text).not.toContain(`?oldid=${ids[2]}"`);
    for (const q of ['limit=0', 'older_than=abc', 'older_than=-3']) {
      expect((await request(app).get(`/special/watchlist?${q}`).set('cookie', cookie)).status).toBe(400);
    }
  });
});
