import { describe, expect, it } from 'vitest';
import express, { type Response } from 'express';
import request from 'supertest';
import Database from 'better-sqlite3';
import { createUser, makeTestApp } from '../helpers/app.js';
import { acting, formFailure, orForm, retryAfter, type FormFailures } from '../../server/http/act.js';
import { authorisation } from '../../server/http/can.js';
import { Limits } from '../../server/http/limits.js';
import { errorHandler } from '../../server/http/middleware/errors.js';
import { html } from '../../views/html.js';
import { EditConflictError, RateLimitedError, WikiError } from '../../server/wiki/errors.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';

/** A tiny app whose one route acts through act(); the actor comes from a test header. */
function actApp(o: { saveLimit?: number; anonEdits?: boolean } = {}) {
  const { wiki } = makeTestApp({ saveLimit: o.saveLimit ?? 2, anonEdits: o.anonEdits ?? true });
  const act = acting({ limits: Limits.inDatabase(wiki.config, wiki.db), tokens: wiki.tokens, config: wiki.config });
  const runs: Array<{ actor: string; ip: string | undefined }> = [];
  const app = express();
  app.use(authorisation(wiki.stores, wiki.config.anonEdits));
  app.use((req, _res, next) => {
    const id = req.get('x-test-actor');
    req.actor = id ? wiki.stores.actors.byId(Number(id)) : undefined;
    next();
  });
  app.post('/api/act', async (req, res) => {
    const rights = req.get('x-test-admin') ? (['edit', 'rollback'] as const) : (['edit'] as const);
    const result = await act(req, res, { rights, page: parseTitle('P'), save: true, sameActor: true }, (who) => {
      runs.push({ actor: who.actor === 'temporary' ? 'temporary' : who.actor.name, ip: who.ip });
      // A save by someone without an account makes one, as saveEdit does.
      return { actor: who.account ?? wiki.stores.actors.createTemporary() };
    });
    res.json({ actor: result.actor.name });
  });
  app.post('/api/by', async (req, res) => {
    res.json({ name: (await act(req, res, {}, (who) => who.by)).name });
  });
  app.use(errorHandler(() => {}));
  return { app, wiki, runs };
}

const as = (actor: Actor) => ({ 'x-test-actor': String(actor.id) });

describe('act', () => {
  it('runs the work for an account, with no cookie to set', async () => {
    const { app, wiki, runs } = actApp();
    const alice = createUser(wiki, { name: 'Alice' });
    const res = await request(app).post('/api/act').set(as(alice));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ actor: 'Alice' });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(runs).toEqual([{ actor: 'Alice', ip: expect.any(String) }]);
  });

  it('gives the temporary account an anonymous save made its session cookie', async () => {
    const { app, runs } = actApp();
    const res = await request(app).post('/api/act');
    expect(res.status).toBe(200);
    expect(res.body.actor).toMatch(/^~\d{4}-1$/);
    expect(String(res.headers['set-cookie'])).toMatch(/pw_session=[^;]+;.*HttpOnly/);
    expect(runs).toEqual([{ actor: 'temporary', ip: expect.any(String) }]);
  });

  it.each([
    { name: 'a missing right (anonymous edits off)', anonEdits: false, admin: false, status: 401, code: 'unauthorized' },
    { name: 'a missing admin right', anonEdits: true, admin: true, status: 401, code: 'unauthorized' },
  ])('refuses $name before the work runs', async ({ anonEdits, admin, status, code }) => {
    const { app, runs } = actApp({ anonEdits });
    const res = await request(app).post('/api/act').set(admin ? { 'x-test-admin': '1' } : {});
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(runs).toEqual([]);
  });

  it('refuses an htmx act rendered for another account', async () => {
    const { app, wiki, runs } = actApp();
    const res = await request(app).post('/api/act').set({ ...as(createUser(wiki)), 'x-wiki-actor': '999' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('session_changed');
    expect(runs).toEqual([]);
  });

  it('counts saves: past the limit 429 with Retry-After, and the work does not run', async () => {
    const { app, wiki, runs } = actApp({ saveLimit: 2 });
    const bob = createUser(wiki);
    await request(app).post('/api/act').set(as(bob)).expect(200);
    await request(app).post('/api/act').set(as(bob)).expect(200);
    const res = await request(app).post('/api/act').set(as(bob));
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(runs).toHaveLength(2);
  });

  it('does not limit admins', async () => {
    const { app, wiki, runs } = actApp({ saveLimit: 1 });
    const admin = createUser(wiki, { role: 'admin' });
    for (let i = 0; i < 3; i++) await request(app).post('/api/act').set({ ...as(admin), 'x-test-admin': '1' }).expect(200);
    expect(runs).toHaveLength(3);
  });

  it('gives `by` only to an account', async () => {
    const { app, wiki } = actApp();
    expect((await request(app).post('/api/by').set(as(createUser(wiki, { name: 'Carol' })))).body).toEqual({ name: 'Carol' });
    const res = await request(app).post('/api/by');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});

describe('formFailure', () => {
  const conflict = new EditConflictError(1, { id: 2, source: 'theirs' }, 'mine', []);
  it.each<{ name: string; e: unknown; failures: FormFailures; shown: boolean; wait?: string }>([
    { name: 'bad input, input mode', e: new WikiError('invalid_input', 'x'), failures: 'input', shown: true },
    { name: 'a conflict', e: conflict, failures: 'input', shown: true },
    { name: 'a refusal, input mode', e: new WikiError('forbidden', 'x'), failures: 'input', shown: false },
    { name: 'a login needed, input mode', e: new WikiError('unauthorized', 'x'), failures: 'input', shown: false },
    { name: 'a refusal, all mode (typed text kept)', e: new WikiError('forbidden', 'x'), failures: 'all', shown: true },
    { name: 'a bad CSRF token, all mode', e: new WikiError('bad_csrf', 'x'), failures: 'all', shown: false },
    { name: 'a bug', e: new Error('boom'), failures: 'all', shown: false },
    { name: 'a rate limit', e: new RateLimitedError('slow', 42), failures: 'input', shown: true, wait: '42' },
    { name: 'busy', e: new WikiError('busy', 'later'), failures: 'all', shown: true, wait: '5' },
  ])('$name', ({ e, failures, shown, wait }) => {
    const headers: Record<string, string> = {};
    const res = { set: (k: string, v: string) => (headers[k] = v) } as unknown as Response;
    if (shown) expect(formFailure(res, e, failures)).toBe(e);
    else expect(() => formFailure(res, e, failures)).toThrow(e as Error);
    expect(headers['Retry-After']).toBe(wait);
  });

  it('keeps the form for a write lock held past its timeout: busy, with Retry-After', () => {
    const headers: Record<string, string> = {};
    const res = { set: (k: string, v: string) => (headers[k] = v) } as unknown as Response;
    const shown = formFailure(res, new Database.SqliteError('database is locked', 'SQLITE_BUSY'), 'input');
    expect(shown).toBeInstanceOf(WikiError);
    expect(shown.code).toBe('busy');
    expect(shown.message).toMatch(/nothing was saved/);
    expect(headers['Retry-After']).toBe('5');
  });

  it('retryAfter is the one source of Retry-After', () => {
    expect(retryAfter(new RateLimitedError('x', 7))).toBe(7);
    expect(retryAfter(new WikiError('busy', 'x'))).toBe(5);
    expect(retryAfter(new WikiError('invalid_input', 'x'))).toBeUndefined();
  });
});

describe('orForm', () => {
  function formApp(fail: () => never) {
    const app = express();
    app.get('/', (_req, res) => orForm(res, 'input', () => fail(), (e) => html`<p>again: ${e.message}</p>`));
    app.use(errorHandler(() => {}));
    return app;
  }

  it('shows the form again with the failure\'s status and message', async () => {
    const res = await request(formApp(() => { throw new WikiError('page_exists', 'taken'); })).get('/');
    expect(res.status).toBe(409);
    expect(res.text).toBe('<p>again: taken</p>');
  });

  it('lets a refusal through to the error handler', async () => {
    const res = await request(formApp(() => { throw new WikiError('forbidden', 'no'); })).get('/');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('again');
  });
});
