import { describe, expect, it } from 'vitest';
import express from 'express';
import cookieParser from 'cookie-parser';
import request from 'supertest';
import { session, SESSION_COOKIE } from '../../../server/http/middleware/session.js';
import { errorHandler } from '../../../server/http/middleware/errors.js';
import { authorisation } from '../../../server/http/can.js';
import { createUser, makeTestApp, tokenFor } from '../../helpers/app.js';

function sessionApp() {
  const { wiki } = makeTestApp();
  let ran = 0;
  const app = express();
  app.use(authorisation(wiki.stores, true));
  app.use(cookieParser());
  app.use(session(wiki.stores, wiki.tokens));
  app.get('/api/who', (req, res) => {
    ran++;
    res.json({ name: req.actor?.name ?? null, via: req.authVia });
  });
  app.use(errorHandler(() => {}));
  return { app, wiki, ran: () => ran };
}

describe('session', () => {
  it('identifies a Bearer token and a cookie alike', async () => {
    const { app, wiki } = sessionApp();
    const token = tokenFor(wiki, createUser(wiki, { name: 'Alice' }));
    expect((await request(app).get('/api/who').set('authorization', `Bearer ${token}`)).body).toEqual({ name: 'Alice', via: 'bearer' });
    expect((await request(app).get('/api/who').set('cookie', `${SESSION_COOKIE}=${token}`)).body).toEqual({ name: 'Alice', via: 'cookie' });
    expect((await request(app).get('/api/who')).body).toEqual({ name: null, via: 'none' });
  });

  it.each([
    { name: 'a garbage token', header: 'Bearer nonsense' },
    { name: 'another scheme', header: 'Basic YTpi' },
  ])('answers 401 to $name, before the handler', async ({ header }) => {
    const { app, ran } = sessionApp();
    const res = await request(app).get('/api/who').set('authorization', header);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(ran()).toBe(0);
  });

  it('answers 401 to a revoked token', async () => {
    const { app, wiki, ran } = sessionApp();
    const alice = createUser(wiki);
    const token = tokenFor(wiki, alice);
    wiki.stores.actors.revokeTokens(alice.id);
    expect((await request(app).get('/api/who').set('authorization', `Bearer ${token}`)).status).toBe(401);
    expect(ran()).toBe(0);
  });

  it('drops a bad cookie and goes on as anonymous', async () => {
    const { app } = sessionApp();
    const res = await request(app).get('/api/who').set('cookie', `${SESSION_COOKIE}=stale`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: null, via: 'none' });
    expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
  });
});
