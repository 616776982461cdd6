import { describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createPage, createUser, loggedInBrowser, makeTestApp, sessionBrowser, tokenFor } from '../helpers/app.js';
import { AUTOBLOCK_MS } from '../../server/wiki/autoblock.js';

const password = 'correct horse battery';

function setup() {
  const t = makeTestApp({ trustedProxies: ['127.0.0.1'] });
  const admin = createUser(t.wiki, { name: 'Admin', role: 'admin' });
  const user = createUser(t.wiki, { name: 'Vandal' });
  const bystander = createUser(t.wiki, { name: 'Bystander' });
  createPage(t.wiki, { title: 'Target' });
  const bearer = (a: { id: number; name: string }) => `Bearer ${tokenFor(t.wiki, t.wiki.stores.actors.byId(a.id)!)}`;
  return { ...t, admin, user, bystander, asAdmin: bearer(admin), bearer };
}

/** A save through the API from address `from`, with a Bearer token or none. */
function saveFrom(app: Express, from: string, title: string, auth?: { bearer?: string }) {
  const req = request(app).post('/api/v1/page').set('x-forwarded-for', from);
  if (auth?.bearer) req.set('authorization', auth.bearer);
  return req.send({ title, source: `Text of ${title}.`, comment: 'test' });
}

describe('autoblocks', () => {
  it('blocking a temporary account blocks its address too: a fresh browser there cannot edit as a new temporary account', async () => {
    const { app, wiki, asAdmin } = setup();
    const first = await saveFrom(app, '198.51.100.20', 'Vandalism one');
    expect(first.status).toBe(201);
    const tempName = wiki.stores.revisions.byId(first.body.latest.id)!.actor.name;
    expect(tempName).toMatch(/^~\d{4}-1$/);
    const block = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: tempName, reason: 'vandalism', expiry: '3 days' });
    expect(block.status).toBe(201);
    expect(block.body).toMatchObject({ autoblock: true, allow_usertalk: true, by: 'Admin' });

    // A new browser, no cookie, same address: refused, and no second temporary account is made.
    const dodge = await saveFrom(app, '198.51.100.20', 'Vandalism two');
    expect(dodge.status).toBe(403);
    expect(dodge.body.error.message).toMatch(/blocked automatically/);
    expect(wiki.stores.actors.byName(tempName.replace(/-1$/, '-2'))).toBeUndefined();
    // So is a registered account there (the autoblock holds for everyone at the address)...
    expect((await saveFrom(app, '198.51.100.20', 'Shared', { bearer: setupBearer(wiki, 'Bystander') })).status).toBe(403);
    // ...while other addresses edit on.
    expect((await saveFrom(app, '198.51.100.21', 'Elsewhere')).status).toBe(201);

    // Listed as an autoblock of the account block, for a day, with no address in the API.
    const list = await request(app).get('/api/v1/blocks').set('authorization', asAdmin);
    const auto = list.body.blocks.find((b: { autoblock_of?: number }) => b.autoblock_of === block.body.id);
    expect(auto).toMatchObject({ target: tempName, anon_only: false });
    const hours = (Date.parse(auto.expiry) - Date.parse(auto.timestamp)) / 3_600_000;
    expect(hours).toBeCloseTo(AUTOBLOCK_MS / 3_600_000, 1);
    expect(JSON.stringify(list.body)).not.toContain('198.51.100.20');
    // Admins see the address on the block list page; the page names the parent block.
    const { agent } = await loggedInBrowser(app, 'Admin', password, '/special/block');
    const page = (await agent.get('/special/block')).text;
    expect(page).toContain(`Autoblock #${auto.id} (of block #${block.body.id} on <a class="user" href="/special/contributions/${tempName}">${tempName}</a>) on 198.51.100.20`);
  });

  it('follows a blocked account to a new address it tries to edit from, and lifting the block lifts its autoblocks', async () => {
    const { app, asAdmin, user, bearer } = setup();
    const block = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'Vandal', reason: 'spam' });
    expect((await saveFrom(app, '203.0.113.5', 'Try', { bearer: bearer(user) })).status).toBe(403);
    // Now that address is blocked for anyone without an admin's rights.
    expect((await saveFrom(app, '203.0.113.5', 'Anon there')).status).toBe(403);
    const before = (await request(app).get('/api/v1/blocks').set('authorization', asAdmin)).body.blocks;
    expect(before.filter((b: { autoblock_of?: number }) => b.autoblock_of === block.body.id)).toHaveLength(1);
    await request(app).delete(`/api/v1/blocks/${block.body.id}`).set('authorization', asAdmin).expect(204);
    expect((await request(app).get('/api/v1/blocks').set('authorization', asAdmin)).body.blocks).toEqual([]);
    expect((await saveFrom(app, '203.0.113.5', 'Anon there')).status).toBe(201);
  });

  it('makes no autoblock when the admin turns it off', async () => {
    const { app, asAdmin, user, bearer } = setup();
    expect((await saveFrom(app, '192.0.2.50', 'Before', { bearer: bearer(user) })).status).toBe(201);
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'Vandal', autoblock: false }).expect(201);
    expect((await saveFrom(app, '192.0.2.50', 'After', { bearer: bearer(user) })).status).toBe(403);
    expect((await saveFrom(app, '192.0.2.50', 'Anon at the same address')).status).toBe(201);
    expect((await request(app).get('/api/v1/blocks').set('authorization', asAdmin)).body.blocks).toHaveLength(1);
  });

  it('refuses a malformed option with 400 and blocks nothing', async () => {
    const { app, wiki, asAdmin } = setup();
    const res = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'Vandal', autoblock: 'perhaps' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('autoblock must be true or false.');
    expect(wiki.stores.blocks.active(new Date().toISOString(), 10)).toEqual([]);
  });
});

function setupBearer(wiki: ReturnType<typeof makeTestApp>['wiki'], name: string): string {
  return `Bearer ${tokenFor(wiki, wiki.stores.actors.byName(name)!)}`;
}

describe('appeals', () => {
  it('lets a blocked person edit their own user talk page (not others, not subpages), and tells the admin', async () => {
    const { app, wiki, asAdmin, user, bearer, admin } = setup();
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'Vandal', reason: 'edit warring', autoblock: false }).expect(201);
    const own = await saveFrom(app, '192.0.2.9', 'User talk:Vandal', { bearer: bearer(user) });
    expect(own.status).toBe(201);
    expect((await saveFrom(app, '192.0.2.9', 'User talk:Admin', { bearer: bearer(user) })).status).toBe(403);
    expect((await saveFrom(app, '192.0.2.9', 'User talk:Vandal/Appeal', { bearer: bearer(user) })).status).toBe(403);
    expect((await saveFrom(app, '192.0.2.9', 'Target', { bearer: bearer(user) })).status).toBe(403);

    const told = await request(app).get('/api/v1/me/notifications').set('authorization', bearer(admin));
    expect(told.body.notifications).toEqual([expect.objectContaining({ title: 'User talk:Vandal', revision: own.body.latest.id, user: { id: user.id, name: 'Vandal' } })]);

    // In the browser: the edit form of the talk page is a form, not the block page.
    const { agent } = await sessionBrowser(app, wiki, user, '/wiki/User_talk:Vandal?action=edit&section=new');
    const form = await agent.get('/wiki/User_talk:Vandal?action=edit&section=new');
    expect(form.text).toContain('name="subject"');
    expect(form.text).not.toContain('blocked-notice');
  });

  it('does not, when the admin turned that off', async () => {
    const { app, asAdmin, user, bearer } = setup();
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'Vandal', allow_usertalk: false }).expect(201);
    const res = await saveFrom(app, '192.0.2.9', 'User talk:Vandal', { bearer: bearer(user) });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('Help:Blocking policy');
  });

  it('shows the blocked person why, until when, by whom, and how to appeal', async () => {
    const { app, wiki, asAdmin, user } = setup();
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'Vandal', reason: 'adding spam links', expiry: '2099-03-01T12:00:00Z' }).expect(201);
    const { agent } = await sessionBrowser(app, wiki, user, '/wiki/Main_Page');
    for (const [path, status] of [['/wiki/Target?action=edit', 200], ['/wiki/Brand_new?action=edit', 403]] as const) {
      const page = await agent.get(path);
      expect(page.status).toBe(status);
      expect(page.text).toContain('class="blocked-notice"');
      expect(page.text).toContain('<dt>Reason</dt><dd>adding spam links</dd>');
      expect(page.text).toContain('datetime="2099-03-01T12:00:00.000Z"');
      expect(page.text).toContain('<dt>Blocked by</dt><dd><a class="user" href="/special/contributions/Admin">Admin</a></dd>');
      expect(page.text).toContain('href="/wiki/User_talk:Vandal?action=edit&amp;section=new">write an unblock request on your talk page</a>');
      expect(page.text).toContain('href="/wiki/Help:Blocking_policy"');
    }
  });

  it('tells someone without an account at an anonymous-only blocked address to log in', async () => {
    const { app, asAdmin } = setup();
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '192.0.2.0/24', reason: 'school' }).expect(201);
    const page = await request(app).get('/wiki/Target?action=edit').set('x-forwarded-for', '192.0.2.7');
    expect(page.text).toContain('Editing without an account is blocked from your address.');
    expect(page.text).toContain('This block stops only people who are not logged in');
  });
});

describe('the block form and log', () => {
  it('takes the three options as ticked boxes, lists them, and logs them', async () => {
    const { app, wiki } = setup();
    const { agent, csrf } = await loggedInBrowser(app, 'Admin', password, '/special/block');
    const form = (await agent.get('/special/block')).text;
    expect(form).toMatch(/name="anon_only" value="1" checked/);
    expect(form).toMatch(/name="autoblock" value="1" checked/);
    expect(form).toMatch(/name="allow_usertalk" value="1" checked/);
    // Unticked boxes send nothing: with the form's marker, they are a no.
    await agent.post('/special/block').type('form').send({ csrf, target: '192.0.2.0/24', expiry: '1 day', reason: 'open proxy', options: '1' }).expect(303);
    await agent.post('/special/block').type('form').send({ csrf, target: 'Vandal', expiry: '1 day', reason: 'spam', options: '1', anon_only: '1', autoblock: '1', allow_usertalk: '1' }).expect(303);
    const blocks = wiki.stores.blocks.active(new Date().toISOString(), 10);
    expect(blocks.map((b) => [b.target, b.anonOnly, b.autoblock, b.allowUsertalk])).toEqual([
      ['Vandal', false, true, true],
      ['192.0.2.0/24', false, false, false],
    ]);
    const list = (await agent.get('/special/block')).text;
    expect(list).toContain('[logged-in users too, cannot edit own talk page]');
    expect(list).toContain('[autoblock]');
    const log = (await agent.get('/special/log?type=block')).text;
    expect(log).toContain('cannot edit own talk page');
  });
});
