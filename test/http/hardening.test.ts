import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, createUser, loggedInBrowser, makeTestApp, revisionCount, tokenFor } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';
import type { Wiki } from '../../server/bootstrap.js';

function save(wiki: Wiki, title: string, actor: Actor | 'temporary', source: string, ip?: string) {
  const t = parseTitle(title);
  return saveEdit(wiki.stores, { title: t, source, baseId: wiki.stores.pages.byTitle(t)?.latestId ?? null, actor, ip }).revision;
}

describe('deleted pages stay hidden', () => {
  it('their revisions cannot be compared', async () => {
    const { app, wiki } = makeTestApp();
    const admin = createUser(wiki, { role: 'admin' });
    const [a, b] = createPage(wiki, { title: 'Secret', revisions: 2, source: 'secret text v2' });
    await request(app).post('/api/v1/page/Secret/delete').set('authorization', `Bearer ${tokenFor(wiki, admin)}`).send({}).expect(200);
    const res = await request(app).get(`/api/v1/revision/${a}/compare/${b}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('secret text');
  });
});

describe('rollback names the author it means', () => {
  it('does nothing, with 409, when someone else edited since', async () => {
    const { app, wiki } = makeTestApp();
    const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
    const alice = createUser(wiki, { name: 'Alice' });
    const vandal = createUser(wiki, { name: 'Vandal' });
    const fixer = createUser(wiki, { name: 'Fixer' });
    save(wiki, 'P', alice, 'good');
    save(wiki, 'P', vandal, 'good\nVANDALISM');
    save(wiki, 'P', fixer, 'good\nmore good');
    const before = revisionCount(wiki);
    const res = await request(app).post('/api/v1/page/P/rollback').set('authorization', `Bearer ${tokenFor(wiki, admin)}`).send({ from: 'Vandal' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Fixer has edited/);
    expect(revisionCount(wiki)).toBe(before);
  });

  it('is written to the public log', async () => {
    const { app, wiki } = makeTestApp();
    const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
    save(wiki, 'P', createUser(wiki, { name: 'Alice' }), 'good');
    save(wiki, 'P', createUser(wiki, { name: 'Vandal' }), 'bad');
    await request(app).post('/api/v1/page/P/rollback').set('authorization', `Bearer ${tokenFor(wiki, admin)}`).send({ from: 'Vandal' }).expect(200);
    const log = await request(app).get('/api/v1/log?type=rollback');
    expect(log.body.entries[0]).toMatchObject({ action: 'rollback', target: 'P', user: { name: 'Admin' }, details: { from: 'Vandal' } });
  });
});

describe('mass rollback of an address', () => {
  it('leaves registered users who share the address alone', async () => {
    const { app, wiki } = makeTestApp();
    const admin = createUser(wiki, { role: 'admin' });
    const alice = createUser(wiki, { name: 'Alice' });
    save(wiki, 'Q', createUser(wiki, { name: 'Bob' }), 'original');
    save(wiki, 'Q', alice, 'Alice from a shared address', '10.9.9.9');
    const res = await request(app).post('/api/v1/mass-rollback').set('authorization', `Bearer ${tokenFor(wiki, admin)}`)
      .send({ target: '10.9.9.9', since: '2000-01-01T00:00:00Z', preview: true });
    expect(res.body.pages).toEqual([]);
  });
});

describe('a form opened by an account that has since logged out', () => {
  it('is not saved under a new temporary account; the text comes back with the reason', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice', password: 'correct horse battery' });
    createPage(wiki, { title: 'P', source: 'start' });
    const { agent, csrf } = await loggedInBrowser(app, 'Alice');
    const form = await agent.get('/wiki/P?action=edit');
    expect(form.text).toContain(`name="user" value="${alice.id}"`);
    wiki.stores.actors.revokeTokens(alice.id);
    const before = revisionCount(wiki);
    const res = await agent.post('/wiki/P?action=submit').type('form').send({ source: 'mine', base: '1', user: String(alice.id), csrf });
    expect(res.status).toBe(409);
    expect(res.text).toContain('You were logged out');
    expect(res.text).toContain('>\nmine</textarea>');
    expect(res.text).toContain('name="user" value=""');
    expect(revisionCount(wiki)).toBe(before);
    expect(wiki.db.prepare("SELECT count(*) FROM actor WHERE kind = 'temp'").pluck().get()).toBe(0);
  });
});

describe('edge cases', () => {
  it('shows a page whose title is too long to have a Talk page', async () => {
    const { app } = makeTestApp();
    const title = 'A' + 'b'.repeat(253);
    expect((await request(app).post('/api/v1/page').send({ title, source: 'long' })).status).toBe(201);
    const res = await request(app).get(`/wiki/${title}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('>Talk</a>');
  });

  it('keeps a leading blank line through an unchanged save from the browser form', async () => {
    const { app, wiki } = makeTestApp();
    const [id] = createPage(wiki, { title: 'Lead', source: '\n\nHello' });
    const { agent, csrf } = await browser(app, '/wiki/Lead?action=edit');
    const form = await agent.get('/wiki/Lead?action=edit');
    // What a browser submits: the textarea content after the parser drops the first newline.
    const m = /<textarea id="source"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(form.text)!;
    expect(m[1]).toBe('\n\nHello');
    const before = revisionCount(wiki);
    const res = await agent.post('/wiki/Lead?action=submit').type('form').send({ csrf, source: m[1], base: String(id), summary: '' });
    expect(res.status).toBe(303);
    // Unchanged: a null edit, nothing stored, the blank lines still there.
    expect(revisionCount(wiki)).toBe(before);
    expect((await agent.get('/wiki/Lead?action=raw')).text).toBe('\n\nHello');
  });

  it('moves from the browser form leave a redirect unless asked not to', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Admin', role: 'admin', password: 'correct horse battery' });
    createPage(wiki, { title: 'Old name' });
    const { agent, csrf } = await loggedInBrowser(app, 'Admin');
    await agent.post('/wiki/Old_name?action=move').type('form').send({ csrf, to: 'New name', reason: 'r' }).expect(303);
    expect((await agent.get('/wiki/Old_name?action=raw')).text).toBe('#REDIRECT [[New name]]');
    await agent.post('/wiki/New_name?action=move').type('form').send({ csrf, to: 'Newest name', no_redirect: '1' }).expect(303);
    expect((await agent.get('/wiki/New_name')).status).toBe(404);
  });

  it('caps a limit with any number of digits instead of refusing it', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'P', revisions: 2 });
    expect((await request(app).get('/api/v1/page/P/history?limit=100000000000000000')).status).toBe(200);
    expect((await request(app).get('/api/v1/recent-changes?limit=99999999999999999999')).status).toBe(200);
  });

  it.each(['Peerwiki', 'peerwiki', 'Alice\u200b', 'Bob\u202e'])('reserves or refuses the user name %j', async (username) => {
    const { app, wiki } = makeTestApp();
    const res = await request(app).post('/api/v1/auth/register').send({ username, password: 'correct horse battery' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.token).toBeUndefined();
    // No account was made: nothing registered, and nothing can log in under the name.
    expect(wiki.db.prepare("SELECT count(*) FROM actor WHERE kind = 'user'").pluck().get()).toBe(0);
    expect((await request(app).post('/api/v1/auth/login').send({ username, password: 'correct horse battery' })).status).toBe(401);
  });
});
