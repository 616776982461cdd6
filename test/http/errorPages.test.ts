/** Error pages guide instead of stopping: what went wrong, and the likely next steps. */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, makeTestApp } from '../helpers/app.js';

describe('error pages', () => {
  it('offer the page, its history and a search for it, and a way back', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Gossip', source: 'text' });
    const res = await request(app).get('/wiki/Gossip?oldid=999999').set('referer', 'http://127.0.0.1/wiki/Main_Page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('What you can do');
    expect(res.text).toContain('href="/wiki/Gossip">Read “Gossip”');
    expect(res.text).toContain('href="/wiki/Gossip?action=history"');
    expect(res.text).toContain('/special/search?q=Gossip&amp;fulltext=1');
    expect(res.text).toMatch(/<input id="error-search" type="search" name="q" value="Gossip">/);
  });

  it('never leads back to another site', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/wiki/Gossip?oldid=999999').set('referer', 'https://elsewhere.example/wiki/Main_Page');
    expect(res.text).not.toContain('elsewhere.example');
    expect(res.text).not.toContain('Go back');
  });

  it('go back to the page of this wiki the reader came from', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/wiki/Gossip?oldid=999999').set('host', 'wiki.example').set('referer', 'http://wiki.example/special/recent-changes?days=3');
    expect(res.text).toContain('<a href="/special/recent-changes?days=3">Go back to the page you came from</a>');
  });

  it('offer a log-in link to a reader refused for not being logged in', async () => {
    const { app } = makeTestApp({ anonEdits: false });
    const res = await request(app).get('/wiki/Gossip?action=edit');
    expect([401, 403]).toContain(res.status);
    expect(res.text).toContain('href="/login?returnto=%2Fwiki%2FGossip%3Faction%3Dedit"');
  });

  it('say in plain words that an action does not exist, with what there is', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Gossip', source: 'text' });
    const res = await request(app).get('/wiki/Gossip?action=print');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Pages here have no &quot;print&quot; action');
    expect(res.text).toContain('use your browser&#39;s Print');
    expect(res.text).not.toMatch(/rollback, |undelete/);
  });
});

describe('?printable=yes', () => {
  it('links the print stylesheet for the screen, with its own validator; plain views link it for print', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Gossip', source: 'text' });
    const plain = await request(app).get('/wiki/Gossip');
    expect(plain.text).toMatch(/<link rel="stylesheet" href="\/static\/print\.css\?v=[0-9a-f]{12}" media="print">/);
    const printable = await request(app).get('/wiki/Gossip?printable=yes');
    expect(printable.status).toBe(200);
    expect(printable.text).toMatch(/<link rel="stylesheet" href="\/static\/print\.css\?v=[0-9a-f]{12}" media="all">/);
    expect(printable.headers.etag).not.toBe(plain.headers.etag);
    expect(plain.text).toContain('href="/wiki/Gossip?printable=yes">Printable version');
    expect((await request(app).get('/static/print.css')).text).toContain('.page-tabs');
  });
});
