/** Protected pages guide: a lock with level and expiry, "View source" for those who cannot edit, a way to log in. */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, createUser, makeTestApp, sessionBrowser, tokenFor } from '../helpers/app.js';

function setup() {
  const t = makeTestApp();
  const admin = createUser(t.wiki, { name: 'Admin', role: 'admin' });
  createPage(t.wiki, { title: 'Guarded', source: 'The **protected** text.' });
  return { ...t, admin, asAdmin: `Bearer ${tokenFor(t.wiki, admin)}` };
}

describe('a protected page', () => {
  it('shows readers a lock with level, expiry and reason, a View source tab, and the source read-only', async () => {
    const { app, asAdmin } = setup();
    // Viewed (and kept as bytes) before the protection: the protection must show at once all the same.
    expect((await request(app).get('/wiki/Guarded')).text).toContain('>Edit</a>');
    await request(app).post('/api/v1/page/Guarded/protect').set('authorization', asAdmin).send({ level: 'full', expiry: '2099-01-01T00:00:00Z', reason: 'vandal magnet' }).expect(200);
    const page = await request(app).get('/wiki/Guarded');
    expect(page.text).toMatch(/class="protection-note"[\s\S]*only administrators may edit it, until <time datetime="2099-01-01T00:00:00.000Z" title="2099-01-01 00:00:00 UTC">00:00, 1 January 2099<\/time> \(vandal magnet\)/);
    expect(page.text).toContain('>View source</a>');
    expect(page.text).not.toContain('>Edit</a>');
    expect(page.text).toContain('href="/login?returnto=%2Fwiki%2FGuarded%3Faction%3Dedit">log in</a>');
    const source = await request(app).get('/wiki/Guarded?action=edit');
    expect(source.status).toBe(200);
    expect(source.text).toContain('View source for Guarded');
    expect(source.text).toMatch(/<textarea id="source" class="view-source" readonly[^>]*>\nThe \*\*protected\*\* text.<\/textarea>/);
    expect(source.text).toContain('only admins may edit it');
    expect(source.text).toContain('<a href="/login?returnto=%2Fwiki%2FGuarded%3Faction%3Dedit">Log in</a>');
    expect(source.text).toContain('href="/wiki/Talk:Guarded">talk page</a>');
    expect(source.text).not.toContain('name="csrf"');
  });

  it('offers its admin the Edit tab and the form, and drops the lock when unprotected', async () => {
    const { app, wiki, admin, asAdmin } = setup();
    await request(app).post('/api/v1/page/Guarded/protect').set('authorization', asAdmin).send({ level: 'full' }).expect(200);
    const { agent } = await sessionBrowser(app, wiki, admin, '/wiki/Guarded');
    const adminView = await agent.get('/wiki/Guarded');
    expect(adminView.text).toContain('>Edit</a>');
    expect(adminView.text).toContain('no end date');
    expect(adminView.text).not.toContain('view its source');
    expect((await agent.get('/wiki/Guarded?action=edit')).text).toContain('name="source"');
    await request(app).post('/api/v1/page/Guarded/protect').set('authorization', asAdmin).send({ level: 'none' }).expect(200);
    const after = await request(app).get('/wiki/Guarded');
    expect(after.text).not.toContain('protection-note');
    expect(after.text).toContain('>Edit</a>');
  });
});

describe('times', () => {
  it('are readable, with the exact time on hover, in the log too', async () => {
    const { app, asAdmin } = setup();
    await request(app).post('/api/v1/page/Guarded/protect').set('authorization', asAdmin).send({ level: 'semi', expiry: '2099-03-04T05:06:07Z' }).expect(200);
    const log = await request(app).get('/special/log');
    expect(log.text).not.toMatch(/expires 2099-03-04T/);
    expect(log.text).toMatch(/\[semi, until <time datetime="2099-03-04T05:06:07.000Z" title="2099-03-04 05:06:07 UTC">05:06, 4 March 2099<\/time>\]/);
    expect(log.text).toMatch(/<time datetime="[^"]+" title="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC">/);
  });
});

describe('talk tabs', () => {
  it('are red links while the talk page is missing, and turn blue when it is made, even on a kept copy', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Mesh', source: 'x' });
    const before = await request(app).get('/wiki/Mesh');
    expect(before.text).toContain('<a href="/wiki/Talk:Mesh" class="new" title="Talk (page does not exist)">Talk</a>');
    // Viewed again: served as kept bytes. Then the talk page is made.
    await request(app).get('/wiki/Mesh');
    createPage(wiki, { title: 'Talk:Mesh', source: 'A topic.' });
    const after = await request(app).get('/wiki/Mesh');
    expect(after.text).toContain('<a href="/wiki/Talk:Mesh">Talk</a>');
    // And the other way: a talk page whose article is missing shows a red Article tab.
    createPage(wiki, { title: 'Talk:Nowhere', source: 'Why is there no article?' });
    expect((await request(app).get('/wiki/Talk:Nowhere')).text).toContain('<a href="/wiki/Nowhere" class="new" title="Article (page does not exist)">Article</a>');
  });
});
