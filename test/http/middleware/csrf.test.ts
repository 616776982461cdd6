import { describe, expect, it } from 'vitest';
import express from 'express';
import cookieParser from 'cookie-parser';
import request from 'supertest';
import { csrfTokens, CSRF_COOKIE } from '../../../server/http/middleware/csrf.js';
import { errorHandler } from '../../../server/http/middleware/errors.js';
import { authorisation } from '../../../server/http/can.js';
import { makeTestApp } from '../../helpers/app.js';

/** A tiny app: csrf issue + check around a handler that counts its runs. */
function csrfApp(authVia: 'cookie' | 'bearer' | 'none' = 'none') {
  const { wiki } = makeTestApp();
  const csrf = csrfTokens('s'.repeat(32), false);
  let ran = 0;
  const app = express();
  app.use(authorisation(wiki.stores, true));
  app.use(cookieParser());
  app.use((req, _res, next) => {
    req.authVia = authVia;
    next();
  });
  app.use(csrf.issue);
  app.use(express.urlencoded({ extended: false }));
  app.use(express.json());
  app.use(csrf.check);
  app.get('/token', (req, res) => res.send(req.csrfToken));
  app.all(['/form', '/api/x'], (_req, res) => {
    ran++;
    res.send('ok');
  });
  app.use(errorHandler(() => {}));
  return { app, ran: () => ran };
}

async function tokenAndCookie(app: express.Express) {
  const res = await request(app).get('/token');
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  expect(cookie.startsWith(`${CSRF_COOKIE}=`)).toBe(true);
  return { token: res.text, cookie };
}

describe('csrf', () => {
  it('accepts a form with the token of its cookie, as a field or a header', async () => {
    const { app, ran } = csrfApp();
    const { token, cookie } = await tokenAndCookie(app);
    await request(app).post('/form').set('cookie', cookie).type('form').send({ csrf: token }).expect(200);
    await request(app).post('/form').set('cookie', cookie).set('x-csrf-token', token).expect(200);
    expect(ran()).toBe(2);
  });

  it.each([
    { name: 'no token', send: {} },
    { name: 'an empty token', send: { csrf: '' } },
    { name: 'a made-up token', send: { csrf: 'x'.repeat(43) } },
  ])('refuses a form with $name, before the handler', async ({ send }) => {
    const { app, ran } = csrfApp();
    const { cookie } = await tokenAndCookie(app);
    const res = await request(app).post('/form').set('cookie', cookie).type('form').send(send);
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form has expired');
    expect(ran()).toBe(0);
  });

  it('refuses the token of another browser', async () => {
    const { app, ran } = csrfApp();
    const mine = await tokenAndCookie(app);
    const theirs = await tokenAndCookie(app);
    expect((await request(app).post('/form').set('cookie', mine.cookie).type('form').send({ csrf: theirs.token })).status).toBe(403);
    expect(ran()).toBe(0);
  });

  it.each([
    { name: 'an API request without cookies', authVia: 'none' as const, path: '/api/x', cookie: undefined, status: 200 },
    { name: 'an API request with a Bearer token', authVia: 'bearer' as const, path: '/api/x', cookie: 'pw_session=t', status: 200 },
    { name: 'an API request with the session cookie', authVia: 'cookie' as const, path: '/api/x', cookie: 'pw_session=t', status: 403 },
    { name: 'a GET', authVia: 'none' as const, path: '/form', cookie: undefined, status: 200 },
  ])('$name: $status', async ({ authVia, path, cookie, status }) => {
    const { app } = csrfApp(authVia);
    const r = path === '/form' ? request(app).get(path) : request(app).post(path).send({ a: 1 });
    expect((await (cookie ? r.set('cookie', cookie) : r)).status).toBe(status);
  });

  it('gives no cookie to a Bearer-token client', async () => {
    const { app } = csrfApp('bearer');
    const res = await request(app).get('/token');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toBe('');
  });
});
