import { describe, expect, it } from 'vitest';
import express from 'express';
import Database from 'better-sqlite3';
import request from 'supertest';
import { errorHandler, notFound } from '../../../server/http/middleware/errors.js';
import { authorisation } from '../../../server/http/can.js';
import { RateLimitedError, WikiError } from '../../../server/wiki/errors.js';
import { makeTestApp } from '../../helpers/app.js';

function errorApp(thrown: unknown) {
  const { wiki } = makeTestApp();
  const logged: unknown[] = [];
  const app = express();
  app.use(authorisation(wiki.stores, true));
  app.get(['/api/boom', '/boom'], () => {
    throw thrown;
  });
  app.use(notFound);
  app.use(errorHandler((e) => logged.push(e)));
  return { app, logged };
}

describe('the error handler', () => {
  it.each([
    { name: 'bad input', e: new WikiError('invalid_input', 'x must be y.'), status: 400, code: 'invalid_input', wait: undefined },
    { name: 'a refusal', e: new WikiError('forbidden', 'Only admins may delete.'), status: 403, code: 'forbidden', wait: undefined },
    { name: 'a rate limit', e: new RateLimitedError('Too many saves.', 17), status: 429, code: 'rate_limited', wait: '17' },
    { name: 'busy', e: new WikiError('busy', 'Busy.'), status: 503, code: 'busy', wait: '5' },
  ])('answers $name as JSON under /api', async ({ e, status, code, wait }) => {
    const { app, logged } = errorApp(e);
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code, message: e.message } });
    expect(res.headers['retry-after']).toBe(wait);
    expect(logged).toEqual([]);
  });

  it('answers a database lock held past its timeout as 503 busy with Retry-After, nothing logged', async () => {
    const busy = new Database.SqliteError('database is locked', 'SQLITE_BUSY');
    const { app, logged } = errorApp(busy);
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('busy');
    expect(res.body.error.message).toMatch(/nothing was saved.*try again/i);
    expect(res.headers['retry-after']).toBe('5');
    expect(logged).toEqual([]);
  });

  it('answers an HTML page elsewhere, with the message', async () => {
    const { app } = errorApp(new WikiError('not_found', 'No such <thing>.'));
    const res = await request(app).get('/boom');
    expect(res.status).toBe(404);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('No such &lt;thing&gt;.');
  });

  it('logs an unexpected error and shows a plain 500 without its details', async () => {
    const bug = new Error('secret stack detail');
    const { app, logged } = errorApp(bug);
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal_error');
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(logged).toEqual([bug]);
  });

  it('answers 404 for nothing at a path', async () => {
    const { app } = errorApp(undefined);
    const res = await request(app).get('/api/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'Nothing is at /api/nothing.' });
  });
});
