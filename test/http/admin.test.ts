import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, createUser, loggedInBrowser, makeTestApp, revisionCount, tokenFor } from '../helpers/app.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Wiki } from '../../server/bootstrap.js';

function setup() {
  const t = makeTestApp();
  const admin = createUser(t.wiki, { name: 'Admin', role: 'admin' });
  const user = createUser(t.wiki, { name: 'User' });
  return { ...t, admin, user, asAdmin: `Bearer ${tokenFor(t.wiki, admin)}`, asUser: `Bearer ${tokenFor(t.wiki, user)}` };
}

const snapshot = (wiki: Wiki) => JSON.stringify(['page', 'revision', 'protection', 'block', 'deletion', 'log', 'link'].map((t) => wiki.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));

describe('protection', () => {
  it('semi: registered users edit, anonymous editors are refused; logged', async () => {
    const { app, wiki, asAdmin, asUser } = setup();
    const [id] = createPage(wiki, { title: 'Guarded', source: 'v1' });
    const res = await request(app).post('/api/v1/page/Guarded/protect').set('authorization', asAdmin).send({ level: 'semi', expiry: '3 days', reason: 'vandal magnet' });
    expect(res.status).toBe(200);
    expect(res.body.protection.level).toBe('semi');
    const anon = await request(app).put('/api/v1/page/Guarded').send({ source: 'anon', latest: { id } });
    expect(anon.status).toBe(401);
    expect(anon.body.error.message).toMatch(/protected until .* only registered users/);
    const user = await request(app).put('/api/v1/page/Guarded').set('authorization', asUser).send({ source: 'user', latest: { id } });
    expect(user.status).toBe(200);
    const log = await request(app).get('/api/v1/log?type=protect');
    expect(log.body.entries[0]).toMatchObject({ type: 'protect', action: 'protect', user: { name: 'Admin' }, target: 'Guarded', reason: 'vandal magnet', details: { level: 'semi' } });
  });

  it('full: only admins edit; unprotect lifts it', async () => {
    const { app, wiki, asAdmin, asUser } = setup();
    const [id] = createPage(wiki, { title: 'Locked', source: 'v1' });
    await request(app).post('/api/v1/page/Locked/protect').set('authorization', asAdmin).send({ level: 'full' }).expect(200);
    expect((await request(app).put('/api/v1/page/Locked').set('authorization', asUser).send({ source: 'u', latest: { id } })).status).toBe(403);
    const byAdmin = await request(app).put('/api/v1/page/Locked').set('authorization', asAdmin).send({ source: 'a', latest: { id } });
    expect(byAdmin.status).toBe(200);
    await request(app).post('/api/v1/page/Locked/protect').set('authorization', asAdmin).send({ level: 'none' }).expect(200);
    expect((await request(app).put('/api/v1/page/Locked').set('authorization', asUser).send({ source: 'u', latest: { id: byAdmin.body.latest.id } })).status).toBe(200);
  });

  it('an expired protection no longer applies', async () => {
    const { app, wiki, admin } = setup();
    const [id] = createPage(wiki, { title: 'Old lock' });
    wiki.stores.protection.set(wiki.stores.pages.byTitle(parseTitle('Old lock'))!.id, { level: 'full', expiry: '2000-01-01T00:00:00.000Z', reason: '' }, admin.id, '1999-01-01');
    expect((await request(app).put('/api/v1/page/Old_lock').send({ source: 'free again', latest: { id } })).status).toBe(200);
  });

  it.each([
    { name: 'a bad level', body: { level: 'total' }, status: 400 },
    { name: 'a past expiry', body: { level: 'semi', expiry: '2001-01-01T00:00:00Z' }, status: 400 },
    { name: 'a nonsense expiry', body: { level: 'semi', expiry: 'soonish' }, status: 400 },
  ])('refuses $name and changes nothing', async ({ body, status }) => {
    const { app, wiki, asAdmin } = setup();
    createPage(wiki, { title: 'P' });
    const before = snapshot(wiki);
    expect((await request(app).post('/api/v1/page/P/protect').set('authorization', asAdmin).send(body)).status).toBe(status);
    expect(snapshot(wiki)).toBe(before);
  });
});

describe('who may use the admin tools', () => {
  it.each([
    { name: 'protect', path: '/api/v1/page/P/protect', body: { level: 'full' } },
    { name: 'delete', path: '/api/v1/page/P/delete', body: {} },
    { name: 'undelete', path: '/api/v1/page/P/undelete', body: {} },
    { name: 'block', path: '/api/v1/blocks', body: { target: 'Admin' } },
    { name: 'move (a new user)', path: '/api/v1/page/P/move', body: { to: 'Q' } },
  ])('$name is refused to users (403) and anonymous (401), changing nothing', async ({ path, body }) => {
    const { app, wiki, asUser } = setup();
    createPage(wiki, { title: 'P' });
    const before = snapshot(wiki);
    expect((await request(app).post(path).set('authorization', asUser).send(body)).status).toBe(403);
    expect((await request(app).post(path).send(body)).status).toBe(401);
    expect(snapshot(wiki)).toBe(before);
  });

  it('refuses the browser forms to non-admins', async () => {
    const { app, wiki } = setup();
    createPage(wiki, { title: 'P' });
    const before = snapshot(wiki);
    const { agent, csrf } = await browser(app);
    expect((await agent.get('/wiki/P?action=delete')).status).toBe(401);
    expect((await agent.post('/wiki/P?action=delete').type('form').send({ csrf })).status).toBe(401);
    expect((await agent.post('/wiki/P?action=protect').type('form').send({ csrf, level: 'full' })).status).toBe(401);
    expect((await agent.post('/special/block').type('form').send({ csrf, target: 'Admin' })).status).toBe(401);
    expect(snapshot(wiki)).toBe(before);
  });
});

describe('blocks', () => {
  it('blocks a user with expiry and reason; the user sees why and until when', async () => {
    const { app, wiki, asAdmin, asUser } = setup();
    const res = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'User', expiry: '2099-01-01T00:00:00Z', reason: 'spamming links' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(Number), target: 'User', expiry: '2099-01-01T00:00:00.000Z', reason: 'spamming links' });
    const edit = await request(app).post('/api/v1/page').set('authorization', asUser).send({ title: 'Spam', source: 'x' });
    expect(edit.status).toBe(403);
    expect(edit.body.error.message).toMatch(/blocked until 2099-01-01 00:00 UTC: spamming links/);
    expect(revisionCount(wiki)).toBe(0);
    // Trying to edit carried the block to the address tried from, as an autoblock that names no address.
    const list = await request(app).get('/api/v1/blocks').set('authorization', asAdmin);
    expect(list.body.blocks).toEqual([
      expect.objectContaining({ target: 'User', autoblock_of: res.body.id, anon_only: false }),
      expect.objectContaining({ id: res.body.id, target: 'User', autoblock: true, allow_usertalk: true, by: 'Admin' }),
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/127\.0\.0\.1/);
    // Lifting the block lifts its autoblocks with it.
    expect((await request(app).delete(`/api/v1/blocks/${res.body.id}`).set('authorization', asAdmin)).status).toBe(204);
    expect((await request(app).post('/api/v1/page').set('authorization', asUser).send({ title: 'Fine', source: 'x' })).status).toBe(201);
    const log = await request(app).get('/api/v1/log?type=block');
    expect(log.body.entries.map((e: { action: string }) => e.action)).toEqual(['unblock', 'block']);
  });

  it('blocks an IP address: anonymous saves from it are refused, no account is made', async () => {
    const { app, wiki, asAdmin } = setup();
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '::ffff:127.0.0.1', reason: 'open proxy' }).expect(201);
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '127.0.0.1', reason: 'open proxy' }).expect(201);
    const res = await request(app).post('/api/v1/page').send({ title: 'Anon', source: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/open proxy/);
    expect(wiki.db.prepare("SELECT count(*) FROM actor WHERE kind = 'temp'").pluck().get()).toBe(0);
  });

  it.each([
    { name: 'an unknown account', body: { target: 'Ghost' }, status: 404 },
    { name: 'no target', body: {}, status: 400 },
    { name: 'yourself', body: { target: 'Admin' }, status: 400 },
    { name: 'a past expiry', body: { target: 'User', expiry: '1999-01-01' }, status: 400 },
  ])('refuses to block $name', async ({ body, status }) => {
    const { app, wiki, asAdmin } = setup();
    const before = snapshot(wiki);
    expect((await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send(body)).status).toBe(status);
    expect(snapshot(wiki)).toBe(before);
  });

  it('blocks through the browser form', async () => {
    const { app, admin } = setup();
    const { agent, csrf } = await loggedInBrowser(app, admin.name);
    const res = await agent.post('/special/block').type('form').send({ target: 'User', expiry: '2 days', reason: 'cool off', csrf });
    expect(res.status).toBe(303);
    const page = await agent.get('/special/block');
    expect(page.text).toContain('>User</a> — until');
    expect(page.text).toContain('(cool off)');
  });
});

describe('delete and undelete', () => {
  it('archives every revision, frees the title, turns links red; undelete restores all', async () => {
    const { app, wiki, asAdmin } = setup();
    const ids = createPage(wiki, { title: 'Doomed', revisions: 3, source: 'Final words' });
    createPage(wiki, { title: 'Linker', source: 'See [[Doomed]].' });
    const del = await request(app).post('/api/v1/page/Doomed/delete').set('authorization', asAdmin).send({ reason: 'copyvio' });
    expect(del.status).toBe(200);
    expect((await request(app).get('/api/v1/page/Doomed')).status).toBe(404);
    const gone = await request(app).get('/wiki/Doomed');
    expect(gone.status).toBe(404);
    expect(gone.text).toContain('was deleted at');
    expect(gone.text).toContain('(copyvio)');
    expect((await request(app).get('/wiki/Linker')).text).toMatch(/class="new"[^>]*>Doomed</);
    expect(wiki.db.prepare('SELECT count(*) FROM revision WHERE id IN (?, ?, ?)').pluck().get(...ids)).toBe(3);
    const und = await request(app).post('/api/v1/page/Doomed/undelete').set('authorization', asAdmin).send({ reason: 'permission received' });
    expect(und.status).toBe(200);
    expect(und.body.source).toBe('Final words');
    const hist = await request(app).get('/api/v1/page/Doomed/history');
    expect(hist.body.revisions.map((r: { id: number }) => r.id)).toEqual([...ids].reverse());
    expect((await request(app).get('/wiki/Linker')).text).not.toMatch(/class="new"[^>]*>Doomed</);
    const log = await request(app).get('/api/v1/log?type=delete');
    expect(log.body.entries.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([['undelete', 'permission received'], ['delete', 'copyvio']]);
  });

  it('refuses undelete over a new page with the same title, changing nothing', async () => {
    const { app, wiki, asAdmin } = setup();
    createPage(wiki, { title: 'Twice' });
    await request(app).post('/api/v1/page/Twice/delete').set('authorization', asAdmin).send({}).expect(200);
    createPage(wiki, { title: 'Twice', source: 'a new one' });
    const before = snapshot(wiki);
    const res = await request(app).post('/api/v1/page/Twice/undelete').set('authorization', asAdmin).send({});
    expect(res.status).toBe(409);
    expect(snapshot(wiki)).toBe(before);
  });

  it('answers 404 for deleting a missing page and undeleting nothing', async () => {
    const { app, asAdmin } = setup();
    expect((await request(app).post('/api/v1/page/Nope/delete').set('authorization', asAdmin).send({})).status).toBe(404);
    expect((await request(app).post('/api/v1/page/Nope/undelete').set('authorization', asAdmin).send({})).status).toBe(404);
  });
});

describe('move', () => {
  it('moves the history and leaves a redirect; logged', async () => {
    const { app, wiki, asAdmin } = setup();
    const ids = createPage(wiki, { title: 'Old title', revisions: 2 });
    const res = await request(app).post('/api/v1/page/Old_title/move').set('authorization', asAdmin).send({ to: 'new title', reason: 'clearer' });
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('New title');
    const hist = await request(app).get('/api/v1/page/New_title/history');
    expect(hist.body.revisions.map((r: { id: number }) => r.id)).toEqual([...ids].reverse());
    const old = await request(app).get('/api/v1/page/Old_title');
    expect(old.body.source).toBe('#REDIRECT [[New title]]');
    const view = await request(app).get('/wiki/Old_title');
    expect(view.text).toContain('(Redirected from');
    const log = await request(app).get('/api/v1/log?type=move');
    expect(log.body.entries[0]).toMatchObject({ target: 'Old title', reason: 'clearer', details: { to: 'New title', redirect: true } });
  });

  it('lets a user with 10 edits move an unprotected page, not a new user', async () => {
    const { app, wiki, user } = setup();
    createPage(wiki, { title: 'Movable' });
    const auth = `Bearer ${tokenFor(wiki, user)}`;
    expect((await request(app).post('/api/v1/page/Movable/move').set('authorization', auth).send({ to: 'Moved' })).status).toBe(403);
    wiki.db.prepare('UPDATE actor SET edit_count = 10 WHERE id = ?').run(user.id);
    expect((await request(app).post('/api/v1/page/Movable/move').set('authorization', auth).send({ to: 'Moved' })).status).toBe(200);
    expect((await request(app).get('/api/v1/page/Movable')).body.source).toBe('#REDIRECT [[Moved]]');
  });

  it('lets only admins move without leaving a redirect, in the API and the form', async () => {
    const { app, wiki, user, asAdmin } = setup();
    createPage(wiki, { title: 'Linked' });
    createPage(wiki, { title: 'Linking', source: 'See [[Linked]].' });
    wiki.db.prepare('UPDATE actor SET edit_count = 10 WHERE id = ?').run(user.id);
    const before = snapshot(wiki);
    const refused = await request(app).post('/api/v1/page/Linked/move').set('authorization', `Bearer ${tokenFor(wiki, user)}`).send({ to: 'Elsewhere', leave_redirect: false });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Only admins may move a page without leaving a redirect/);
    expect(snapshot(wiki)).toBe(before);
    const form = await request(app).post('/wiki/Linked?action=move').set('authorization', `Bearer ${tokenFor(wiki, user)}`).type('form').send({ to: 'Elsewhere', no_redirect: '1' });
    expect(form.status).toBe(403);
    expect(form.text).toContain('Only admins may move a page without leaving a redirect');
    expect(snapshot(wiki)).toBe(before);
    expect((await request(app).post('/api/v1/page/Linked/move').set('authorization', asAdmin).send({ to: 'Elsewhere', leave_redirect: false })).status).toBe(200);
    expect((await request(app).get('/api/v1/page/Linked')).status).toBe(404);
  });

  it.each([
    { name: 'onto an existing page', to: 'Taken', status: 409 },
    { name: 'to an invalid title', to: 'a|b', status: 400 },
    { name: 'to the same title', to: 'source', status: 400 },
  ])('refuses a move $name, changing nothing', async ({ to, status }) => {
    const { app, wiki, asAdmin } = setup();
    createPage(wiki, { title: 'Source' });
    createPage(wiki, { title: 'Taken' });
    const before = snapshot(wiki);
    expect((await request(app).post('/api/v1/page/Source/move').set('authorization', asAdmin).send({ to })).status).toBe(status);
    expect(snapshot(wiki)).toBe(before);
  });
});

describe('the log page', () => {
  it('lists acts newest first, filtered by type', async () => {
    const { app, wiki, asAdmin } = setup();
    createPage(wiki, { title: 'L' });
    await request(app).post('/api/v1/page/L/protect').set('authorization', asAdmin).send({ level: 'semi', reason: 'why <b>' }).expect(200);
    await request(app).post('/api/v1/page/L/move').set('authorization', asAdmin).send({ to: 'L2' }).expect(200);
    const res = await request(app).get('/special/log');
    expect(res.status).toBe(200);
    expect(res.text.indexOf('moved')).toBeLessThan(res.text.indexOf('protected'));
    expect(res.text).toContain('why &lt;b&gt;');
    const only = await request(app).get('/special/log?type=protect');
    expect(only.text).not.toContain('moved');
    expect((await request(app).get('/api/v1/log?type=bogus')).status).toBe(400);
  });
});

describe('what admins see', () => {
  it('IP addresses of temporary accounts in history and recent changes, for admins only', async () => {
    const { app, wiki } = setup();
    const { saveEdit } = await import('../../server/wiki/edit.js');
    saveEdit(wiki.stores, { title: parseTitle('Ipped'), source: 'x', baseId: null, actor: 'temporary', ip: '192.0.2.44' });
    expect((await request(app).get('/wiki/Ipped?action=history')).text).not.toContain('192.0.2.44');
    expect((await request(app).get('/special/recent-changes')).text).not.toContain('192.0.2.44');
    const { agent } = await loggedInBrowser(app, 'Admin');
    expect((await agent.get('/wiki/Ipped?action=history')).text).toContain('192.0.2.44');
    expect((await agent.get('/special/recent-changes')).text).toContain('192.0.2.44');
    const page = await agent.get('/wiki/Ipped');
    expect(page.text).toContain('href="/wiki/Ipped?action=protect">Protect');
    expect(page.text).toContain('href="/wiki/Ipped?action=delete">Delete');
    expect((await request(app).get('/wiki/Ipped')).text).not.toContain('action=protect');
  });
});
