import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createUser, makeTestApp, revisionCount, tokenFor } from '../helpers/app.js';

const password = 'correct horse battery';

describe('API accounts', () => {
  it('registers, logs in with a cookie and a 14-day token, and the token edits', async () => {
    const { app, wiki } = makeTestApp();
    const reg = await request(app).post('/api/v1/auth/register').send({ username: 'Alice', password });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toEqual({ id: expect.any(Number), name: 'Alice' });
    expect(typeof reg.body.token).toBe('string');
    const login = await request(app).post('/api/v1/auth/login').send({ username: 'Alice', password });
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/pw_session=.*HttpOnly.*SameSite=Lax/i);
    expect(String(login.headers['set-cookie'])).not.toMatch(/Secure/);
    const days = (new Date(login.body.expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    const save = await request(app).post('/api/v1/page').set('authorization', `Bearer ${login.body.token}`).send({ title: 'By Alice', source: 'x' });
    expect(save.status).toBe(201);
    expect(wiki.stores.revisions.byId(save.body.latest.id)!.actor.name).toBe('Alice');
  });

  it('checks a password on the thread pool, so the event loop keeps turning meanwhile', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Busy', password });
    // Turns of the event loop while one login is checked: a blocking scrypt would allow only the
    // few turns the request's own I/O takes; hashing on the thread pool leaves it free throughout.
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const login = await request(app).post('/api/v1/auth/login').send({ username: 'Busy', password });
    spinning = false;
    expect(login.status).toBe(200);
    expect(turns).toBeGreaterThan(200);
  });

  it('marks cookies Secure under an https public URL', async () => {
    const { app, wiki } = makeTestApp({ publicUrl: 'https://wiki.example', secureCookies: true });
    createUser(wiki, { name: 'Sec', password });
    const login = await request(app).post('/api/v1/auth/login').send({ username: 'Sec', password });
    expect(String(login.headers['set-cookie'])).toMatch(/Secure/);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Bob', password });
    const wrong = await request(app).post('/api/v1/auth/login').send({ username: 'Bob', password: 'wrong password!' });
    const unknown = await request(app).post('/api/v1/auth/login').send({ username: 'Nobody', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it.each([
    { name: 'short password', body: { username: 'Carol', password: 'short' }, status: 400, msg: /10 characters/ },
    { name: 'name with a slash', body: { username: 'Ca/rol', password }, status: 400, msg: /may not contain/ },
    { name: 'name with @', body: { username: 'carol@example', password }, status: 400, msg: /may not contain/ },
    { name: 'IP address name', body: { username: '192.0.2.1', password }, status: 400, msg: /IP address/ },
    { name: 'IP address with leading zeros', body: { username: '010.000.000.005', password }, status: 400, msg: /IP address/ },
    { name: 'name over 60 characters', body: { username: 'C'.repeat(61), password }, status: 400, msg: /60/ },
    { name: 'temporary-style name', body: { username: '~2026-1', password }, status: 400, msg: /temporary/ },
    { name: 'missing password', body: { username: 'Carol' }, status: 400, msg: /password/ },
  ])('refuses registration with $name', async ({ body, status, msg }) => {
    const { app, wiki } = makeTestApp();
    const res = await request(app).post('/api/v1/auth/register').send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(msg);
    expect(wiki.db.prepare("SELECT count(*) FROM actor WHERE kind = 'user'").pluck().get()).toBe(0);
  });

  it('answers 409 for a taken name', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Dana' });
    const res = await request(app).post('/api/v1/auth/register').send({ username: 'Dana', password });
    expect(res.status).toBe(409);
  });

  it('takes names as people type them: `alice` registers Alice, who logs in as `alice` or `Alice`', async () => {
    const { app } = makeTestApp();
    const reg = await request(app).post('/api/v1/auth/register').send({ username: 'alice', password });
    expect(reg.status).toBe(201);
    expect(reg.body.user.name).toBe('Alice');
    const under = await request(app).post('/api/v1/auth/register').send({ username: 'bob_smith', password });
    expect(under.body.user.name).toBe('Bob smith');
    for (const typed of ['alice', 'Alice', ' alice ', 'alice_']) {
      const login = await request(app).post('/api/v1/auth/login').send({ username: typed, password });
      expect(login.status, typed).toBe(200);
      expect(login.body.user.name).toBe('Alice');
    }
    expect((await request(app).post('/api/v1/auth/login').send({ username: 'bob smith', password })).status).toBe(200);
    // A name that normalizes to a taken one is taken.
    const taken = await request(app).post('/api/v1/auth/register').send({ username: 'alice', password });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/"alice" is the name "Alice", which is taken/);
  });

  it('logout revokes every earlier token', async () => {
    const { app, wiki } = makeTestApp();
    const user = createUser(wiki, { name: 'Eve', password });
    const t1 = tokenFor(wiki, user);
    const t2 = (await request(app).post('/api/v1/auth/login').send({ username: 'Eve', password })).body.token;
    expect((await request(app).post('/api/v1/auth/logout').set('authorization', `Bearer ${t2}`)).status).toBe(200);
    for (const t of [t1, t2]) {
      const res = await request(app).put('/api/v1/page/X').set('authorization', `Bearer ${t}`).send({ source: 'x' });
      expect(res.status).toBe(401);
    }
    expect(revisionCount(wiki)).toBe(0);
  });

  it('a password change revokes earlier tokens and returns a working one', async () => {
    const { app, wiki } = makeTestApp();
    const user = createUser(wiki, { name: 'Fay', password });
    const old = tokenFor(wiki, user);
    const res = await request(app).post('/api/v1/auth/password').set('authorization', `Bearer ${old}`).send({ old_password: password, new_password: 'a brand new password' });
    expect(res.status).toBe(200);
    expect((await request(app).post('/api/v1/page').set('authorization', `Bearer ${old}`).send({ title: 'A', source: 'x' })).status).toBe(401);
    expect((await request(app).post('/api/v1/page').set('authorization', `Bearer ${res.body.token}`).send({ title: 'A', source: 'x' })).status).toBe(201);
    expect((await request(app).post('/api/v1/auth/login').send({ username: 'Fay', password: 'a brand new password' })).status).toBe(200);
    const wrongOld = await request(app).post('/api/v1/auth/password').set('authorization', `Bearer ${res.body.token}`).send({ old_password: 'not it at all', new_password: 'another new password' });
    expect(wrongOld.status).toBe(401);
  });

  it('limits failed logins per account with 429 and Retry-After', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Gus', password });
    for (let i = 0; i < 10; i++) await request(app).post('/api/v1/auth/login').send({ username: 'Gus', password: 'wrong password!' }).expect(401);
    const res = await request(app).post('/api/v1/auth/login').send({ username: 'Gus', password });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts every spelling of a name against the one account\'s limit', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Gus', password });
    const spellings = ['gus', 'Gus', 'gus_', ' gus', 'Gus_'];
    for (let i = 0; i < 10; i++) await request(app).post('/api/v1/auth/login').send({ username: spellings[i % spellings.length], password: 'wrong password!' }).expect(401);
    expect((await request(app).post('/api/v1/auth/login').send({ username: 'gus', password })).status).toBe(429);
  });

  it('limits new accounts per IP address an hour', async () => {
    const { app } = makeTestApp({ signupLimit: 2 });
    await request(app).post('/api/v1/auth/register').send({ username: 'One', password }).expect(201);
    await request(app).post('/api/v1/auth/register').send({ username: 'Two', password }).expect(201);
    const res = await request(app).post('/api/v1/auth/register').send({ username: 'Three', password });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('limits saves a minute for temporary accounts, answering 429 with Retry-After', async () => {
    const { app, wiki } = makeTestApp({ saveLimit: 2 });
    const agent = request.agent(app);
    await agent.post('/api/v1/page').send({ title: 'S1', source: 'x' }).expect(201);
    const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec((await agent.get('/wiki/S1')).text)![1]!;
    await agent.post('/api/v1/page').set('x-csrf-token', csrf).send({ title: 'S2', source: 'x' }).expect(201);
    const res = await agent.post('/api/v1/page').set('x-csrf-token', csrf).send({ title: 'S3', source: 'x' });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(revisionCount(wiki)).toBe(2);
  });

  it('does not limit admins', async () => {
    const { app, wiki } = makeTestApp({ saveLimit: 1 });
    const admin = createUser(wiki, { role: 'admin' });
    const auth = `Bearer ${tokenFor(wiki, admin)}`;
    for (const t of ['A1', 'A2', 'A3']) await request(app).post('/api/v1/page').set('authorization', auth).send({ title: t, source: 'x' }).expect(201);
  });
});

describe('browser accounts', () => {
  it('logs in through the form, shows the name, and logs out', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Hana', password });
    const { agent, csrf } = await browser(app, '/login');
    const res = await agent.post('/login').type('form').send({ username: 'Hana', password, csrf, returnto: '/wiki/Peer_network' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/wiki/Peer_network');
    const page = await agent.get('/wiki/Main_Page');
    expect(page.text).toContain('<summary><span class="visually-hidden">Account menu of </span>Hana</summary>');
    expect(page.text).toContain('<li><a href="/wiki/User:Hana">User page</a></li>');
    const out = await agent.post('/logout').type('form').send({ csrf });
    expect(out.status).toBe(303);
    expect((await agent.get('/wiki/Main_Page')).text).toContain('>Log in</a>');
  });

  it('logging out in the browser revokes a temporary account\'s token too', async () => {
    const { app, wiki } = makeTestApp();
    const temp = wiki.stores.actors.createTemporary();
    const session = `pw_session=${tokenFor(wiki, temp)}`;
    const before = await request(app).get('/wiki/Main_Page').set('cookie', session);
    expect(before.text).toContain(temp.name);
    const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(before.text)![1]!;
    const csrfCookie = String(before.headers['set-cookie'] ?? '').match(/(pw_csrf=[^;]+)/)?.[1];
    const out = await request(app).post('/logout').set('cookie', [session, csrfCookie].filter(Boolean).join('; ')).type('form').send({ csrf });
    expect(out.status).toBe(303);
    // The same cookie, replayed (a copy kept elsewhere), no longer acts as that account.
    expect((await request(app).get('/wiki/Main_Page').set('cookie', session)).text).not.toContain(temp.name);
  });

  it('shows a clear error and keeps the name on a wrong password', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Ivan', password });
    const { agent, csrf } = await browser(app, '/login');
    const res = await agent.post('/login').type('form').send({ username: 'Ivan', password: 'nope nope nope', csrf });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Wrong user name or password.');
    expect(res.text).toContain('value="Ivan"');
  });

  it('never returns to another site after login', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Jo', password });
    const { agent, csrf } = await browser(app, '/login');
    const res = await agent.post('/login').type('form').send({ username: 'Jo', password, csrf, returnto: '//evil.example/' });
    expect(res.headers.location).toBe('/wiki/Main_Page');
  });

  it('registers through the form and is logged in', async () => {
    const { app, wiki } = makeTestApp();
    const { agent, csrf } = await browser(app, '/register');
    const bad = await agent.post('/register').type('form').send({ username: 'Kim', password, password_confirm: 'different one!', csrf });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The two passwords differ');
    const res = await agent.post('/register').type('form').send({ username: 'Kim', password, password_confirm: password, csrf });
    expect(res.status).toBe(303);
    expect((await agent.get('/wiki/Main_Page')).text).toContain('</span>Kim</summary>');
    expect(wiki.stores.actors.byName('Kim')!.kind).toBe('user');
  });

  it('registers and logs in through the forms with the name as typed', async () => {
    const { app, wiki } = makeTestApp();
    const { agent, csrf } = await browser(app, '/register');
    const res = await agent.post('/register').type('form').send({ username: 'kim_lee', password, password_confirm: password, csrf });
    expect(res.status).toBe(303);
    expect(wiki.stores.actors.byName('Kim lee')!.kind).toBe('user');
    const other = await browser(app, '/login');
    expect((await other.agent.post('/login').type('form').send({ username: 'kim lee', password, csrf: other.csrf })).status).toBe(303);
    expect((await other.agent.get('/wiki/Main_Page')).text).toContain('</span>Kim lee</summary>');
  });

  it('refuses the login form without a CSRF token', async () => {
    const { app, wiki } = makeTestApp();
    createUser(wiki, { name: 'Lee', password });
    const { agent } = await browser(app, '/login');
    const res = await agent.post('/login').type('form').send({ username: 'Lee', password });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/pw_session=[^;]/)]));
  });
});

describe('security headers', () => {
  it('sends a Content-Security-Policy with no inline script, and frame protection', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/wiki/Main_Page');
    const csp = res.headers['content-security-policy']!;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets images load only from the wiki and WIKI_EXTERNAL_IMAGES, as the renderer does', async () => {
    const imgSrc = async (hosts: string[]) => {
      const csp = (await request(makeTestApp({ externalImages: hosts }).app).get('/wiki/Main_Page')).headers['content-security-policy']!;
      return /img-src ([^;]*)/.exec(csp)![1];
    };
    expect(await imgSrc([])).toBe("'self' data:");
    expect(await imgSrc(['upload.example.org', '*.cdn.example'])).toBe("'self' data: upload.example.org *.cdn.example");
  });
});
