import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, createUser, makeTestApp, sessionBrowser, tokenFor } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { setWatched } from '../../server/wiki/watchlist.js';
import { parseTitle } from '../../server/wiki/title.js';
import { KEEP_NOTIFICATIONS } from '../../server/db/notifications.js';
import type { Actor } from '../../server/wiki/types.js';
import type { Wiki } from '../../server/bootstrap.js';

function setup() {
  const t = makeTestApp();
  const newbie = createUser(t.wiki, { name: 'Newbie' });
  const admin = createUser(t.wiki, { name: 'Admin', role: 'admin' });
  return { ...t, newbie, admin };
}

function save(wiki: Wiki, actor: Actor, title: string, source: string) {
  const t = parseTitle(title);
  const page = wiki.stores.pages.byTitle(t);
  return saveEdit(wiki.stores, { title: t, source, comment: '', baseId: page?.latestId ?? null, actor });
}

describe('"You have new messages"', () => {
  it('shows on every page after someone else writes on your talk page, links to the page and the diff, and goes when you read it', async () => {
    const { app, wiki, newbie, admin } = setup();
    createPage(wiki, { title: 'Anything' });
    const first = save(wiki, newbie, 'User talk:Newbie', 'My notes.');
    const { agent } = await sessionBrowser(app, wiki, newbie, '/wiki/Anything');
    expect((await agent.get('/wiki/Anything')).text).not.toContain('new-messages');

    const hello = save(wiki, admin, 'User talk:Newbie', 'My notes.\n\n## Welcome\nHello! ~~~~');
    for (const path of ['/wiki/Anything', '/special/recent-changes', '/wiki/Anything?action=history']) {
      const page = await agent.get(path);
      expect(page.text).toContain('class="new-messages"');
      expect(page.text).toContain('href="/wiki/User_talk:Newbie">new messages</a>');
      expect(page.text).toContain(`href="/wiki/User_talk:Newbie?diff=${hello.revision.id}&amp;oldid=${first.revision.id}"`);
    }
    // A second message before reading: the diff still starts before the first unread one.
    const again = save(wiki, admin, 'User talk:Newbie', `${hello.text}\n\nAnd another.`);
    expect((await agent.get('/wiki/Anything')).text).toContain(`diff=${again.revision.id}&amp;oldid=${first.revision.id}`);

    const talk = await agent.get('/wiki/User_talk:Newbie');
    expect(talk.status).toBe(200);
    expect(talk.text).not.toContain('class="new-messages"');
    expect((await agent.get('/wiki/Anything')).text).not.toContain('class="new-messages"');
  });

  it('is not shown for your own edits to your talk page, nor to anyone else', async () => {
    const { app, wiki, newbie, admin } = setup();
    createPage(wiki, { title: 'Anything' });
    save(wiki, newbie, 'User talk:Newbie', 'Notes to self.');
    save(wiki, admin, 'User talk:Newbie/Archive', 'Old threads.');
    const mine = await sessionBrowser(app, wiki, newbie, '/wiki/Anything');
    expect(mine.page.text).not.toContain('new-messages');
    save(wiki, newbie, 'User talk:Admin', 'Hi admin.');
    const theirs = await sessionBrowser(app, wiki, admin, '/wiki/Anything');
    expect(theirs.page.text).toContain('class="new-messages"');
    expect((await request(app).get('/wiki/Anything')).text).not.toContain('new-messages');
  });

  it('reaches a temporary account too, on its own talk page', async () => {
    const { app, wiki, admin } = setup();
    createPage(wiki, { title: 'Anything' });
    const temp = wiki.stores.actors.createTemporary();
    save(wiki, admin, `User talk:${temp.name}`, 'Please use edit summaries.');
    const { page } = await sessionBrowser(app, wiki, temp, '/wiki/Anything');
    expect(page.text).toContain('class="new-messages"');
  });

  it('changes the page validator, so a browser holding the page without the bar gets it', async () => {
    const { app, wiki, newbie, admin } = setup();
    createPage(wiki, { title: 'Anything' });
    const { agent } = await sessionBrowser(app, wiki, newbie, '/wiki/Anything');
    const before = await agent.get('/wiki/Anything');
    save(wiki, admin, 'User talk:Newbie', 'Hello.');
    const after = await agent.get('/wiki/Anything').set('if-none-match', before.headers.etag!);
    expect(after.status).toBe(200);
    expect(after.text).toContain('class="new-messages"');
  });
});

describe('notifications', () => {
  it('lists changes by others to watched pages and talk pages, with the unread count in the header, read once looked at', async () => {
    const { app, wiki, newbie, admin } = setup();
    createPage(wiki, { title: 'Peer networks' });
    setWatched(wiki.stores, newbie, parseTitle('Peer networks'), true);
    const edit = save(wiki, admin, 'Peer networks', 'Changed by the admin.');
    save(wiki, admin, 'User talk:Newbie', 'Hello.');
    save(wiki, newbie, 'Peer networks', 'Changed by Newbie: no notification of your own edits.');

    const { agent } = await sessionBrowser(app, wiki, newbie, '/wiki/Main_Page');
    const header = (await agent.get('/special/recent-changes')).text;
    expect(header).toMatch(/<span class="badge" id="notifications-badge">2<\/span>/);
    expect(header).toContain('aria-label="Notifications, 2 unread"');

    const api = await agent.get('/api/v1/me/notifications');
    expect(api.status).toBe(200);
    expect(api.body.unread).toBe(2);
    expect(api.body.notifications).toEqual([
      { type: 'user-talk', title: 'User talk:Newbie', revision: expect.any(Number), user: { id: admin.id, name: 'Admin' }, timestamp: expect.any(String), read: false },
      { type: 'watched', title: 'Peer networks', revision: edit.revision.id, user: { id: admin.id, name: 'Admin' }, timestamp: edit.revision.timestamp, read: false },
    ]);
    // Reading through the API marks nothing read.
    expect((await agent.get('/api/v1/me/notifications')).body.unread).toBe(2);

    const page = await agent.get('/special/notifications');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toMatch(/^private/);
    expect(page.text).toContain('2 new since you last looked');
    expect(page.text).toContain('wrote on <a href="/wiki/User_talk:Newbie">your talk page</a>');
    expect(page.text).toContain(`changed <a href="/wiki/Peer_networks">Peer networks</a>`);
    expect(page.text).toContain(`href="/wiki/Peer_networks?diff=${edit.revision.id}"`);
    expect(page.text).not.toMatch(/id="notifications-badge">\d/);

    const later = await agent.get('/api/v1/me/notifications');
    expect(later.body.unread).toBe(0);
    expect(later.body.notifications.map((n: { read: boolean }) => n.read)).toEqual([true, true]);
    expect((await agent.get('/special/notifications')).text).toContain('Nothing new since you last looked');
  });

  it('watching an article tells you of a new thread on its talk page, made later', async () => {
    const { wiki, app, newbie, admin } = setup();
    createPage(wiki, { title: 'Email' });
    setWatched(wiki.stores, newbie, parseTitle('Email'), true);
    const thread = save(wiki, admin, 'Talk:Email', '## Sources\nWhich RFC? ~~~~');
    const res = await request(app).get('/api/v1/me/notifications').set('authorization', `Bearer ${tokenFor(wiki, newbie)}`);
    expect(res.body.notifications).toEqual([expect.objectContaining({ type: 'watched', title: 'Talk:Email', revision: thread.revision.id })]);
  });

  it('watches pages you edit, and their talk pages, unless you turned that off', async () => {
    const { wiki, newbie } = setup();
    createPage(wiki, { title: 'Talk:Usenet' });
    save(wiki, newbie, 'Usenet', 'A distributed discussion system.');
    const usenet = wiki.stores.pages.byTitle(parseTitle('Usenet'))!;
    const talk = wiki.stores.pages.byTitle(parseTitle('Talk:Usenet'))!;
    expect(wiki.stores.watchlist.has(newbie.id, usenet.id)).toBe(true);
    expect(wiki.stores.watchlist.has(newbie.id, talk.id)).toBe(true);
    wiki.stores.actors.setPreferences(newbie.id, { emailNotifications: false, watchEdited: false });
    save(wiki, newbie, 'Gopher', 'A protocol.');
    expect(wiki.stores.watchlist.has(newbie.id, wiki.stores.pages.byTitle(parseTitle('Gopher'))!.id)).toBe(false);
  });

  it('opens the newest in place with htmx and empties the badge; without htmx the link is the page', async () => {
    const { app, wiki, newbie, admin } = setup();
    save(wiki, admin, 'User talk:Newbie', 'Hello.');
    const { agent } = await sessionBrowser(app, wiki, newbie, '/wiki/Main_Page');
    const header = (await agent.get('/special/recent-changes')).text;
    expect(header).toContain('<a class="notifications-link" href="/special/notifications" hx-get="/special/notifications?panel=1"');
    const panel = await agent.get('/special/notifications?panel=1').set('hx-request', 'true');
    expect(panel.text).not.toContain('<!doctype html>');
    expect(panel.text).toContain('wrote on <a href="/wiki/User_talk:Newbie">your talk page</a>');
    expect(panel.text).toContain('<span id="notifications-badge" hx-swap-oob="true"></span>');
    expect((await agent.get('/api/v1/me/notifications')).body.unread).toBe(0);
  });

  it('asks people without a registered account to log in, in the page (401) and the API', async () => {
    const { app, wiki } = setup();
    const anon = await request(app).get('/special/notifications');
    expect(anon.status).toBe(401);
    expect(anon.text).toContain('Log in with a registered account');
    expect((await request(app).get('/api/v1/me/notifications')).status).toBe(401);
    const temp = wiki.stores.actors.createTemporary();
    const tempRes = await request(app).get('/api/v1/me/notifications').set('authorization', `Bearer ${tokenFor(wiki, temp)}`);
    expect(tempRes.status).toBe(401);
  });

  it('pages through older notifications and keeps only the newest few hundred once looked at', async () => {
    const { app, wiki, newbie, admin } = setup();
    createPage(wiki, { title: 'Busy' });
    setWatched(wiki.stores, newbie, parseTitle('Busy'), true);
    wiki.stores.actors.setPreferences(admin.id, { emailNotifications: false, watchEdited: false });
    for (let i = 0; i < KEEP_NOTIFICATIONS + 5; i++) save(wiki, admin, 'Busy', `Version ${i}.`);
    const auth = `Bearer ${tokenFor(wiki, newbie)}`;
    const first = await request(app).get('/api/v1/me/notifications?limit=3').set('authorization', auth);
    expect(first.body.unread).toBe(100);
    expect(first.body.notifications).toHaveLength(3);
    const next = await request(app).get(`/api/v1/me/notifications?limit=3&older_than=${first.body.older_than}`).set('authorization', auth);
    expect(next.body.notifications[0].revision).toBeLessThan(first.body.notifications[2].revision);
    const { agent } = await sessionBrowser(app, wiki, newbie, '/wiki/Busy');
    expect((await agent.get('/wiki/Busy')).text).toContain('>99+</span>');
    await agent.get('/special/notifications').expect(200);
    const kept = wiki.db.prepare('SELECT count(*) AS n FROM notification WHERE actor_id = ?').get(newbie.id) as { n: number };
    expect(kept.n).toBe(KEEP_NOTIFICATIONS);
  });
});
