/** The edit form's MediaWiki habits: show changes, watch this page, the saved notice, access keys, a stale base at preview. */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, createUser, makeTestApp, sessionBrowser } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

describe('Show changes', () => {
  it('shows the text being edited against its base, without saving (no JavaScript)', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Mesh', source: 'one\ntwo\nthree' });
    const { agent, csrf } = await browser(app, '/wiki/Mesh?action=edit');
    const res = await agent.post('/wiki/Mesh?action=submit').type('form').send({ csrf, do: 'changes', source: 'one\nTWO\nthree', base: String(base), summary: 's' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your changes');
    expect(res.text).toMatch(/<table class="diff[\s\S]*two[\s\S]*TWO/);
    expect(res.text).toContain('>\none\nTWO\nthree</textarea>');
    expect((await agent.get('/wiki/Mesh?action=raw')).text).toBe('one\ntwo\nthree');
  });

  it('gives htmx the diff fragment of a section edit against the whole base', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Sections', source: 'Intro\n\n## One\n\nfirst\n\n## Two\n\nsecond' });
    const { agent, csrf } = await browser(app, '/wiki/Sections?action=edit');
    const res = await agent.post('/wiki/Sections?action=changes').type('form').set('HX-Request', 'true')
      .send({ csrf, source: '## Two\n\nsecond, better', section: '2', base: String(base) });
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<h2>Your changes</h2>')).toBe(true);
    expect(res.text).toContain('better');
    expect(res.text).not.toContain('<html');
  });

  it('is offered on the form with its access key; so are save and preview', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Mesh', source: 'x' });
    const form = await request(app).get('/wiki/Mesh?action=edit');
    expect(form.text).toMatch(/value="changes" accesskey="v"[^>]*hx-post="\/wiki\/Mesh\?action=changes"/);
    expect(form.text).toContain('accesskey="s"');
    expect(form.text).toContain('accesskey="p"');
    expect(form.text).toMatch(/name="q"[^>]*accesskey="f"/);
  });
});

describe('Watch this page', () => {
  it('is ticked by default for an account, and a save puts the page on the watchlist', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice' });
    const { agent, csrf } = await sessionBrowser(app, wiki, alice, '/wiki/New_one?action=edit');
    const form = await agent.get('/wiki/New_one?action=edit');
    expect(form.text).toMatch(/<input type="checkbox" name="watch" value="1" checked> Watch this page/);
    expect((await agent.post('/wiki/New_one?action=submit').type('form').send({ csrf, user: String(alice.id), source: 'Hello', watch_shown: '1', watch: '1' })).status).toBe(303);
    const page = wiki.stores.pages.byTitle(parseTitle('New one'))!;
    expect(wiki.stores.watchlist.has(alice.id, page.id)).toBe(true);
    // Unticked on the next save: no longer watched.
    await agent.post('/wiki/New_one?action=submit').type('form').send({ csrf, user: String(alice.id), source: 'Hello again', base: String(page.latestId), watch_shown: '1' });
    expect(wiki.stores.watchlist.has(alice.id, page.id)).toBe(false);
  });

  it('is not offered to someone who cannot keep a watchlist', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Mesh', source: 'x' });
    expect((await request(app).get('/wiki/Mesh?action=edit')).text).not.toContain('name="watch"');
  });
});

describe('after saving', () => {
  it('the page says "Your edit was saved." to the one who saved, never to a shared cache', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Mesh', source: 'x' });
    const { agent, csrf } = await browser(app, '/wiki/Mesh?action=edit');
    const res = await agent.post('/wiki/Mesh?action=submit').type('form').send({ csrf, source: 'y', base: String(base) });
    expect(res.headers.location).toBe('/wiki/Mesh?saved=1');
    const landed = await agent.get(res.headers.location!);
    expect(landed.text).toContain('<p class="saved-notice" role="status">Your edit was saved.</p>');
    expect(landed.headers['cache-control']).toMatch(/^private/);
    expect((await agent.get('/wiki/Mesh')).text).not.toContain('saved-notice');
  });
});

describe('preview', () => {
  it('says when the page changed since the form was opened', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Mesh', source: 'one' });
    saveEdit(wiki.stores, { title: parseTitle('Mesh'), source: 'one, by someone else', baseId: base!, actor: wiki.stores.actors.system() });
    const { agent, csrf } = await browser(app, '/wiki/Mesh?action=edit');
    const res = await agent.post('/wiki/Mesh?action=submit').type('form').send({ csrf, do: 'preview', source: 'mine', base: String(base) });
    expect(res.text).toContain('This page has changed since you started editing');
    const fresh = await agent.post('/wiki/Mesh?action=submit').type('form').send({ csrf, do: 'preview', source: 'mine', base: String(wiki.stores.pages.byTitle(parseTitle('Mesh'))!.latestId) });
    expect(fresh.text).not.toContain('has changed since you started editing');
  });
});
