import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { browser, createPage, createUser, loggedInBrowser, makeTestApp, tokenFor } from '../helpers/app.js';
import { ConfigError, loadConfig, testConfig, type Config } from '../../server/config.js';
import { openWiki, type Wiki } from '../../server/bootstrap.js';
import { createApp } from '../../server/app.js';
import { Limits } from '../../server/http/limits.js';
import { SqliteRateLimiter } from '../../server/http/middleware/rateLimit.js';

const password = 'correct horse battery';
const opened: { close(): void }[] = [];
afterEach(() => opened.splice(0).forEach((o) => o.close()));

/** An app whose limiter the test can look into; Admin and User exist. */
function setup(overrides: Partial<Config> = {}) {
  const wiki = openWiki(testConfig(overrides));
  const limiter = new SqliteRateLimiter(wiki.db);
  opened.push(limiter);
  const app = createApp(wiki, new Limits(wiki.config, limiter));
  const admin = createUser(wiki, { name: 'Admin', role: 'admin', password });
  createUser(wiki, { name: 'User', password });
  return { app, wiki, limiter, asAdmin: `Bearer ${tokenFor(wiki, admin)}` };
}

const blockRows = (wiki: Wiki) => wiki.db.prepare('SELECT * FROM block').all();
const anonSave = (app: Express, from: string, title: string) => request(app).post('/api/v1/page').set('x-forwarded-for', from).send({ title, source: 'x' });

/** A JSON POST from a chosen loopback address (supertest always connects from 127.0.0.1). */
async function postFrom(server: Server, localAddress: string, path: string, body: object, headers: Record<string, string> = {}): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function listening(app: Express): Promise<Server> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  opened.push({ close: () => server.close() });
  return server;
}

describe('expiries that hold', () => {
  it.each([
    { name: 'a block for 9999 years', path: '/api/v1/blocks', body: { target: 'User', expiry: '9999 years' } },
    { name: 'a block for 8000 years', path: '/api/v1/blocks', body: { target: 'User', expiry: '8000 years' } },
    { name: 'a block until the year 10000', path: '/api/v1/blocks', body: { target: 'User', expiry: '10000-01-01T00:00:00Z' } },
    { name: 'a protection for 9999 years', path: '/api/v1/page/P/protect', body: { level: 'full', expiry: '9999 years' } },
  ])('refuses $name with 400 saying what to write, storing nothing', async ({ path, body }) => {
    const { app, wiki, asAdmin } = setup();
    createPage(wiki, { title: 'P' });
    const res = await request(app).post(path).set('authorization', asAdmin).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/after the year 9999; write "infinite"/) });
    expect(blockRows(wiki)).toEqual([]);
    expect(wiki.db.prepare('SELECT count(*) FROM protection').pluck().get()).toBe(0);
    expect(wiki.db.prepare('SELECT count(*) FROM log').pluck().get()).toBe(0);
  });

  it('refuses 9999 years in the /special/block form too', async () => {
    const { app, wiki } = setup();
    const { agent, csrf } = await loggedInBrowser(app, 'Admin', password);
    const res = await agent.post('/special/block').type('form').send({ target: 'User', expiry: '9999 years', reason: 'forever', csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('after the year 9999');
    expect(blockRows(wiki)).toEqual([]);
  });

  it('keeps a block of the last possible instant in force', async () => {
    const { app, asAdmin } = setup({ trustedProxies: ['127.0.0.1'] });
    const res = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '10.0.0.5', expiry: '9999-12-31T23:59:59Z' });
    expect(res.body).toMatchObject({ target: '10.0.0.5', expiry: '9999-12-31T23:59:59.000Z' });
    expect((await anonSave(app, '10.0.0.5', 'Late')).status).toBe(403);
  });
});

describe('client addresses', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const { app, wiki } = setup();
    await anonSave(app, '10.0.0.5', 'A').expect(201);
    expect(wiki.db.prepare('SELECT ip FROM revision').pluck().get()).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-For from a trusted peer only, and keeps the canonical address', async () => {
    const { app, wiki } = setup({ trustedProxies: ['127.0.0.1'] });
    const server = await listening(app);
    expect(await postFrom(server, '127.0.0.1', '/api/v1/page', { title: 'Trusted', source: 'x' }, { 'x-forwarded-for': '1.2.3.4, ::ffff:10.0.0.5' })).toBe(201);
    expect(await postFrom(server, '127.0.0.2', '/api/v1/page', { title: 'Untrusted', source: 'x' }, { 'x-forwarded-for': '10.0.0.5' })).toBe(201);
    const ips = wiki.db.prepare('SELECT r.ip FROM revision r ORDER BY r.id').pluck().all();
    expect(ips).toEqual(['10.0.0.5', '127.0.0.2']);
  });

  it('fails at start-up, naming WIKI_TRUSTED_PROXIES, for an entry that is not an address or range', () => {
    expect(() => loadConfig({ WIKI_TRUSTED_PROXIES: '127.0.0.1, proxy.local' })).toThrow(ConfigError);
    expect(() => loadConfig({ WIKI_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/WIKI_TRUSTED_PROXIES: "10.0.0.0\/33"/);
    expect(loadConfig({ WIKI_TRUSTED_PROXIES: '::ffff:127.0.0.1, 010.0.0.0/8 ,::1' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
  });
});

describe('blocks by address and range', () => {
  it.each([
    { name: 'IPv4-mapped IPv6', from: '::ffff:10.0.0.5' },
    { name: 'leading zeros', from: '010.000.000.005' },
    { name: 'the plain address', from: '10.0.0.5' },
  ])('a block of 10.0.0.5 stops $name', async ({ from }) => {
    const { app, wiki, asAdmin } = setup({ trustedProxies: ['127.0.0.1', '::1'] });
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '10.0.0.5', reason: 'open proxy' }).expect(201);
    const res = await anonSave(app, from, 'Spam');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/open proxy/);
    expect(wiki.db.prepare('SELECT count(*) FROM revision').pluck().get()).toBe(0);
    expect((await anonSave(app, '10.0.0.6', 'Fine')).status).toBe(201);
  });

  it('stores the target in canonical form and keeps the API shape', async () => {
    const { app, asAdmin } = setup();
    const res = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '::FFFF:010.0.0.5', expiry: '1 year', reason: 'r' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(Number), target: '10.0.0.5', expiry: expect.stringMatching(/^\d{4}-/), reason: 'r' });
    const list = await request(app).get('/api/v1/blocks').set('authorization', asAdmin);
    expect(list.body.blocks.map((b: { target: string }) => b.target)).toEqual(['10.0.0.5']);
  });

  it.each([
    { name: 'IPv4 /24', target: '10.0.0.0/24', inside: '10.0.0.77', outside: '10.0.1.1' },
    { name: 'IPv4 /16, written with host bits', target: '10.1.200.9/16', inside: '10.1.0.1', outside: '10.2.0.1' },
    { name: 'IPv6 /64', target: '2001:db8:0:1::/64', inside: '2001:db8:0:1:ffff::9', outside: '2001:db8:0:2::1' },
    { name: 'IPv6 /19', target: '2001:db8::/19', inside: '2001:1fff::1', outside: '2001:2000::1' },
  ])('a range block ($name) stops an address inside and not outside', async ({ target, inside, outside }) => {
    const { app, asAdmin } = setup({ trustedProxies: ['127.0.0.1'] });
    await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target, reason: 'range' }).expect(201);
    expect((await anonSave(app, inside, 'In')).status).toBe(403);
    expect((await anonSave(app, outside, 'Out')).status).toBe(201);
  });

  it('lets a logged-in user edit at an address blocked for anonymous users only (the default), but not a temporary account', async () => {
    const { app, wiki, asAdmin } = setup({ trustedProxies: ['127.0.0.1'] });
    const asUser = `Bearer ${tokenFor(wiki, wiki.stores.actors.byName('User')!)}`;
    const made = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '192.0.2.0/24', reason: 'school' }).expect(201);
    expect(made.body).toMatchObject({ anon_only: true, autoblock: false, allow_usertalk: true });
    const userSave = await request(app).post('/api/v1/page').set('authorization', asUser).set('x-forwarded-for', '192.0.2.44').send({ title: 'U', source: 'x' });
    expect(userSave.status).toBe(201);
    const anon = await anonSave(app, '192.0.2.45', 'Anon');
    expect(anon.status).toBe(403);
    expect(anon.body.error.message).toMatch(/without an account is blocked .*school.*log in to edit/);
    // A temporary account made elsewhere is still someone without an account here.
    const temp = await anonSave(app, '198.51.100.9', 'Elsewhere');
    const cookie = temp.headers['set-cookie']!;
    const again = await request(app).post('/api/v1/page').set('cookie', cookie).set('x-forwarded-for', '192.0.2.46').send({ title: 'Again', source: 'x' });
    expect(again.status).toBe(403);
  });

  it('stops a logged-in user at a blocked address, and lifting the block lets them edit', async () => {
    const { app, wiki, asAdmin } = setup({ trustedProxies: ['127.0.0.1'] });
    const asUser = `Bearer ${tokenFor(wiki, wiki.stores.actors.byName('User')!)}`;
    const block = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: '192.0.2.0/24', anon_only: false });
    const save = () => request(app).post('/api/v1/page').set('authorization', asUser).set('x-forwarded-for', '192.0.2.44').send({ title: 'U', source: 'x' });
    expect((await save()).status).toBe(403);
    await request(app).delete(`/api/v1/blocks/${block.body.id}`).set('authorization', asAdmin).expect(204);
    expect((await save()).status).toBe(201);
  });

  it.each([
    { name: 'an IPv4 range wider than /16', target: '10.0.0.0/8' },
    { name: 'an IPv6 range wider than /19', target: '2001:db8::/18' },
    { name: 'a prefix past /32', target: '10.0.0.0/33' },
  ])('refuses $name with 400 and stores nothing', async ({ target }) => {
    const { app, wiki, asAdmin } = setup();
    const res = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/\/16 to \/32 for IPv4/);
    expect(blockRows(wiki)).toEqual([]);
  });

  it('blocks a range through the /special/block form', async () => {
    const { app } = setup({ trustedProxies: ['127.0.0.1'] });
    const { agent, csrf } = await loggedInBrowser(app, 'Admin', password);
    await agent.post('/special/block').type('form').send({ target: '198.51.100.0/24', expiry: '2 days', reason: 'range', csrf }).expect(303);
    expect((await agent.get('/special/block')).text).toContain('198.51.100.0/24 — until');
    expect((await anonSave(app, '198.51.100.7', 'Form')).status).toBe(403);
  });
});

describe('failed logins', () => {
  const login = (app: Express, username: string, pw: string, from?: string) => {
    const r = request(app).post('/api/v1/auth/login');
    return (from ? r.set('x-forwarded-for', from) : r).send({ username, password: pw });
  };

  it('guesses from another address with forged X-Forwarded-For (no trusted proxy) do not lock Admin out', async () => {
    const { app } = setup();
    const server = await listening(app);
    for (let i = 1; i <= 10; i++) {
      expect(await postFrom(server, '127.0.0.2', '/api/v1/auth/login', { username: 'Admin', password: 'wrong guess!' }, { 'x-forwarded-for': `203.0.113.${i}` })).toBe(401);
    }
    // The header changed nothing for the guesser: their address is still the one counted.
    expect(await postFrom(server, '127.0.0.2', '/api/v1/auth/login', { username: 'Admin', password }, { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
    expect(await postFrom(server, '127.0.0.1', '/api/v1/auth/login', { username: 'Admin', password })).toBe(200);
  });

  it('guesses from varying clients behind a trusted proxy do not lock Admin out', async () => {
    const { app } = setup({ trustedProxies: ['127.0.0.1'] });
    for (let i = 1; i <= 10; i++) await login(app, 'Admin', 'wrong guess!', `203.0.113.${i}`).expect(401);
    expect((await login(app, 'Admin', password, '198.51.100.7')).status).toBe(200);
  });

  it('still limits one address guessing one account, and one address guessing many', async () => {
    const { app } = setup({ trustedProxies: ['127.0.0.1'] });
    for (let i = 0; i < 10; i++) await login(app, 'Admin', 'wrong guess!', '203.0.113.9').expect(401);
    const res = await login(app, 'Admin', password, '203.0.113.9');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 30; i++) await login(app, `Someone ${i}`, 'wrong guess!', '203.0.113.50').expect(401);
    expect((await login(app, 'User', password, '203.0.113.50')).status).toBe(429);
    expect((await login(app, 'User', password, '203.0.113.51')).status).toBe(200);
  });

  it('refuses a 1 MB user name with 400 before it becomes a limiter key (API and form)', async () => {
    const { app, limiter } = setup();
    const huge = 'A'.repeat(1_000_000);
    const api = await login(app, huge, 'wrong guess!');
    expect(api.status).toBe(400);
    expect(api.body.error.message).toMatch(/at most 60 characters/);
    const { agent, csrf } = await browser(app, '/login');
    const form = await agent.post('/login').type('form').send({ username: huge, password: 'wrong guess!', csrf });
    expect(form.status).toBe(400);
    expect(form.text.length).toBeLessThan(100_000);
    expect(limiter.size).toBe(0);
    await login(app, 'A'.repeat(60), 'wrong guess!').expect(401);
    expect(limiter.size).toBe(2);
  });
});

it('makeTestApp apps resolve addresses too (no trust unless configured)', async () => {
  const { app, wiki } = makeTestApp({ trustedProxies: ['127.0.0.1'] });
  await anonSave(app, '::ffff:192.0.2.9', 'Helper').expect(201);
  expect(wiki.db.prepare('SELECT ip FROM revision').pluck().get()).toBe('192.0.2.9');
});
