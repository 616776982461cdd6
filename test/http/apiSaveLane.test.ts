/**
 * The API save lane (server/http/apiSaveLane.ts): PUT /api/v1/page/{T} from a Bearer client is
 * answered without Express, and answered exactly as Express answers the same request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createApp } from '../../server/app.js';
import { apiSaveLane } from '../../server/http/apiSaveLane.js';
import { acting } from '../../server/http/act.js';
import { Limits } from '../../server/http/limits.js';
import { ViewCache } from '../../server/http/viewCache.js';
import { parseTitle } from '../../server/wiki/title.js';
import { createPage, createUser, makeTestApp, tokenFor } from '../helpers/app.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A server whose listener tries the lane first and counts what it leaves to Express. */
async function laneServer(overrides: Parameters<typeof makeTestApp>[0] = {}) {
  const { wiki, logged } = makeTestApp(overrides);
  const limits = Limits.inDatabase(wiki.config, wiki.db);
  const views = new ViewCache(wiki.stores);
  const app = createApp(wiki, limits, views);
  const lane = apiSaveLane({ ...wiki, limits, views, act: acting({ limits, tokens: wiki.tokens, config: wiki.config }) });
  const toExpress: string[] = [];
  const server = createServer((req, res) => {
    if (lane(req, res)) return;
    toExpress.push(req.url!);
    app(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const send = (path: string, o: { body?: string | Buffer; headers?: Record<string, string> } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(body ? { 'content-length': String(body.length) } : {}), ...o.headers };
      const req = httpRequest({ host: '127.0.0.1', port, method: 'PUT', path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return { wiki, logged, toExpress, send };
}

/** The headers two answers to the same request must share (not the date, nor Express's ETag of the body). */
function comparable(h: IncomingHttpHeaders) {
  const { date: _date, etag: _etag, 'content-length': _length, 'cache-control': _cache, 'keep-alive': _alive, ...rest } = h;
  return rest;
}

describe('the API save lane', () => {
  it('saves a Bearer client’s page without Express, and the page reads back', async () => {
    const { wiki, toExpress, send } = await laneServer();
    const user = createUser(wiki);
    const [base] = createPage(wiki, { title: 'Lane page', source: 'One.' });
    const res = await send('/api/v1/page/Lane_page', { headers: { authorization: `Bearer ${tokenFor(wiki, user)}` }, body: JSON.stringify({ source: 'Two.', comment: 'c', latest: { id: base } }) });
    expect(res.status).toBe(200);
    expect(toExpress).toEqual([]);
    const body = JSON.parse(res.body) as { latest: { id: number }; source: string };
    expect(body.source).toBe('Two.');
    const page = wiki.stores.pages.byTitle(parseTitle('Lane page'))!;
    expect(page.latestId).toBe(body.latest.id);
    expect(wiki.stores.revisions.byId(body.latest.id)!.actor.name).toBe(user.name);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it.each<{ name: string; path: string; headers: Record<string, string> }>([
    { name: 'a query string', path: '/api/v1/page/P?x=1', headers: {} },
    { name: 'a sub-path', path: '/api/v1/page/P/history', headers: {} },
    { name: 'a cookie session instead of a token', path: '/api/v1/page/P', headers: { authorization: '' } },
    { name: 'another scheme', path: '/api/v1/page/P', headers: { authorization: 'Basic eDp5' } },
    { name: 'a form body', path: '/api/v1/page/P', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { name: 'another charset', path: '/api/v1/page/P', headers: { 'content-type': 'application/json; charset=latin1' } },
    { name: 'a compressed body', path: '/api/v1/page/P', headers: { 'content-encoding': 'gzip' } },
  ])('leaves $name to Express', async ({ path, headers }) => {
    const { wiki, toExpress, send } = await laneServer();
    const user = createUser(wiki);
    const h: Record<string, string> = { authorization: `Bearer ${tokenFor(wiki, user)}`, ...headers };
    if (h.authorization === '') delete h.authorization;
    await send(path, { headers: h, body: '{"source":"x"}' });
    expect(toExpress).toEqual([path]);
  });

  it('leaves a chunked body (no declared length) to Express', async () => {
    const { wiki, toExpress, send } = await laneServer();
    const user = createUser(wiki);
    await send('/api/v1/page/P', { headers: { authorization: `Bearer ${tokenFor(wiki, user)}`, 'transfer-encoding': 'chunked' }, body: undefined });
    expect(toExpress).toEqual(['/api/v1/page/P']);
  });

  // Each request twice: once as the lane takes it, once with a query string the route ignores, which
  // sends it to Express. Status, body and headers must be the same.
  it.each([
    { name: 'a save', page: 'Same', body: (base: number) => JSON.stringify({ source: 'Changed.', comment: 'x', latest: { id: base } }) },
    { name: 'a null edit', page: 'Same', body: (base: number) => JSON.stringify({ source: 'Text of Same.', latest: { id: base } }) },
    { name: 'a conflict', page: 'Same', body: (base: number) => JSON.stringify({ source: 'Mine.', latest: { id: base - 1 } }) },
    { name: 'invalid JSON', page: 'Same', body: () => '{"source": ' },
    { name: 'invalid UTF-8', page: 'Same', body: () => Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) },
    { name: 'a byte order mark', page: 'Same', body: (base: number) => `\ufeff${JSON.stringify({ source: 'Marked.', latest: { id: base } })}` },
    { name: 'a body that is not an object', page: 'Same', body: () => '[1, 2]' },
    { name: 'no source', page: 'Same', body: (base: number) => JSON.stringify({ latest: { id: base } }) },
    { name: 'a bad base', page: 'Same', body: () => JSON.stringify({ source: 'x', latest: 7 }) },
    { name: 'minor not a boolean', page: 'Same', body: (base: number) => JSON.stringify({ source: 'x', minor: 'yes', latest: { id: base } }) },
    { name: 'an invalid title', page: 'Bad%5Btitle%5D', body: () => JSON.stringify({ source: 'x' }) },
    { name: 'a missing page with a base', page: 'Nothing_here', body: (base: number) => JSON.stringify({ source: 'x', latest: { id: base } }) },
    { name: 'a protected page', page: 'Locked', body: (base: number) => JSON.stringify({ source: 'x', latest: { id: base + 1 } }) },
    { name: 'a bad token', page: 'Same', token: 'not.a.token', body: () => JSON.stringify({ source: 'x' }) },
  ])('answers $name as Express does', async ({ page, body, token }) => {
    const answers: Answer[] = [];
    for (const path of [`/api/v1/page/${page}`, `/api/v1/page/${page}?via=express`]) {
      const { wiki, toExpress, send, logged } = await laneServer();
      const user = createUser(wiki, { name: 'Same editor' });
      const [base] = createPage(wiki, { title: 'Same' });
      const [locked] = createPage(wiki, { title: 'Locked' });
      expect(locked).toBe(base! + 1);
      wiki.stores.protection.set(wiki.stores.pages.byTitle(parseTitle('Locked'))!.id, { level: 'full', expiry: null, reason: 'test' }, user.id, new Date().toISOString());
      const answer = await send(path, { headers: { authorization: `Bearer ${token ?? tokenFor(wiki, user)}` }, body: body(base!) });
      expect(toExpress).toEqual(path.includes('?') ? [path] : []);
      expect(logged).toEqual([]);
      answers.push(answer);
    }
    const [lane, express] = answers as [Answer, Answer];
    expect(lane.status).toBe(express.status);
    const timeless = (s: string) => s.replace(/"timestamp":"[^"]+"/g, '"timestamp":"T"');
    expect(timeless(lane.body)).toBe(timeless(express.body));
    expect(comparable(lane.headers)).toEqual(comparable(express.headers));
    expect(lane.headers['cache-control']).toBe('no-store');
  });

  it('answers a failed account lookup with a 500 and goes on serving', async () => {
    const { wiki, logged, send } = await laneServer();
    const user = createUser(wiki);
    const [base] = createPage(wiki, { title: 'Still here' });
    const auth = { authorization: `Bearer ${tokenFor(wiki, user)}` };
    const byId = wiki.stores.actors.byId.bind(wiki.stores.actors);
    wiki.stores.actors.byId = () => {
      throw new Error('the disk went away');
    };
    const failed = await send('/api/v1/page/Still_here', { headers: auth, body: JSON.stringify({ source: 'x', latest: { id: base } }) });
    expect(failed.status).toBe(500);
    expect((JSON.parse(failed.body) as { error: { code: string } }).error.code).toBe('internal_error');
    expect(failed.body).not.toContain('disk');
    expect(logged).toHaveLength(1);
    wiki.stores.actors.byId = byId;
    const saved = await send('/api/v1/page/Still_here', { headers: auth, body: JSON.stringify({ source: 'y', latest: { id: base } }) });
    expect(saved.status).toBe(200);
  });

  it('is refused by the save limit as Express refuses it, with Retry-After', async () => {
    const { wiki, toExpress, send } = await laneServer({ saveLimit: 1 });
    const user = createUser(wiki);
    const [base] = createPage(wiki, { title: 'Limited' });
    const auth = { authorization: `Bearer ${tokenFor(wiki, user)}` };
    const first = await send('/api/v1/page/Limited', { headers: auth, body: JSON.stringify({ source: 'a', latest: { id: base } }) });
    expect(first.status).toBe(200);
    const latest = (JSON.parse(first.body) as { latest: { id: number } }).latest.id;
    const lane = await send('/api/v1/page/Limited', { headers: auth, body: JSON.stringify({ source: 'b', latest: { id: latest } }) });
    const express = await send('/api/v1/page/Limited?via=express', { headers: auth, body: JSON.stringify({ source: 'b', latest: { id: latest } }) });
    expect(toExpress).toEqual(['/api/v1/page/Limited?via=express']);
    expect(lane.status).toBe(429);
    expect(express.status).toBe(429);
    expect(lane.headers['retry-after']).toMatch(/^\d+$/);
    expect(lane.body).toBe(express.body);
    expect(wiki.stores.pages.byTitle(parseTitle('Limited'))!.latestId).toBe(latest);
  });

  it('refuses a gzip body it left to Express the way Express does', async () => {
    const { wiki, send } = await laneServer();
    const user = createUser(wiki);
    const [base] = createPage(wiki, { title: 'Zipped' });
    const body = gzipSync(JSON.stringify({ source: 'Unzipped.', latest: { id: base } }));
    const res = await send('/api/v1/page/Zipped', { headers: { authorization: `Bearer ${tokenFor(wiki, user)}`, 'content-encoding': 'gzip' }, body });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { source: string }).source).toBe('Unzipped.');
  });
});
