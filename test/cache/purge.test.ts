import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPurging, type PurgeOptions, type Purger } from '../../server/cache/purge.js';
import { pagePaths } from '../../server/cache/stale.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Wiki } from '../../server/bootstrap.js';
import { browser, makeTestApp } from '../helpers/app.js';

interface Received {
  method: string;
  url: string;
  host: string | undefined;
}

/** A stand-in cache: records every request; `answer` decides each one's status (undefined: leave it hanging). */
async function cacheServer(answer: (r: Received, n: number) => number | undefined = () => 200, port = 0) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const r = { method: req.method!, url: req.url!, host: req.headers.host };
    received.push(r);
    const status = answer(r, received.filter((x) => x.url === r.url).length);
    if (status === undefined) hanging.push(res);
    else res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return {
    base,
    received,
    hanging,
    /** Answer every request left hanging so far with `status`. */
    release(status = 200) {
      for (const res of hanging.splice(0)) res.writeHead(status).end();
    },
  };
}

/** A port nothing listens on (a cache that is down). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const servers: Server[] = [];
const purgers: Purger[] = [];

afterEach(async () => {
  await Promise.all(purgers.splice(0).map((p) => p.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const FAST: PurgeOptions = { backoffMs: 5, maxBackoffMs: 20, reboundMs: 0, drainMs: 200 };

/** A wiki (no purger of its own) and a purger with `options` sending to `bases`. */
function purging(bases: string[], options: PurgeOptions = {}) {
  const { wiki, app } = makeTestApp();
  const log: string[] = [];
  const purger = startPurging(wiki.stores, { purgeUrls: bases, publicUrl: 'http://wiki.example:8080' }, { ...FAST, log: (l) => log.push(l), ...options });
  purgers.push(purger);
  return { wiki, app, purger, log };
}

function save(wiki: Wiki, title: string, source: string) {
  const t = parseTitle(title);
  return saveEdit(wiki.stores, { title: t, source, comment: '', baseId: wiki.stores.pages.byTitle(t)?.latestId ?? null, actor: wiki.stores.actors.system() });
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('startPurging', () => {
  it('sends PURGE for every stale URL of a change, with the public Host, to every cache', async () => {
    const a = await cacheServer();
    const b = await cacheServer();
    const { wiki, purger } = purging([a.base, b.base]);
    save(wiki, 'Peer networks', 'First.\n');
    await purger.idle();
    for (const cache of [a, b]) {
      expect(cache.received.map((r) => r.url).sort()).toEqual([...pagePaths('Peer networks')].sort());
      expect(new Set(cache.received.map((r) => `${r.method} ${r.host}`))).toEqual(new Set(['PURGE wiki.example:8080']));
    }
    expect(purger.counts()).toEqual({ sent: 12, failed: 0, dropped: 0 });
  });

  it('subscribes nothing when no cache is configured', async () => {
    const { wiki } = makeTestApp();
    const subscribe = vi.spyOn(wiki.stores.feed, 'subscribe');
    const purger = startPurging(wiki.stores, { purgeUrls: [], publicUrl: 'http://wiki.example' });
    expect(subscribe).not.toHaveBeenCalled();
    await purger.idle();
    await purger.close();
  });

  it('sends a URL still waiting in the queue once, however many changes made it stale', async () => {
    const cache = await cacheServer();
    const { wiki, purger } = purging([cache.base]);
    // Both saves commit before the queue's first turn.
    const first = save(wiki, 'Peer networks', 'One.\n');
    save(wiki, 'Peer networks', 'Two.\n');
    await purger.idle();
    const urls = cache.received.map((r) => r.url);
    expect(urls.sort()).toEqual([...pagePaths('Peer networks'), `/wiki/Peer_networks?oldid=${first.revision.id}`].sort());
  });

  it('tries again after a 5xx answer', async () => {
    // Each URL's first PURGE gets 503, the second 200.
    const cache = await cacheServer((_r, n) => (n === 1 ? 503 : 200));
    const { wiki, purger, log } = purging([cache.base]);
    save(wiki, 'Peer networks', 'x');
    await purger.idle();
    const urls = cache.received.map((r) => r.url);
    for (const u of pagePaths('Peer networks')) expect(urls.filter((x) => x === u)).toHaveLength(2);
    expect(purger.counts()).toEqual({ sent: 6, failed: 0, dropped: 0 });
    expect(log).toEqual([]);
  });

  it('tries again when the connection is refused, and gets through once the cache is up', async () => {
    const port = await closedPort();
    const { wiki, purger } = purging([`http://127.0.0.1:${port}`], { attempts: 100 });
    save(wiki, 'Peer networks', 'x');
    await new Promise((r) => setTimeout(r, 50));
    const cache = await cacheServer(() => 200, port);
    await purger.idle();
    expect(cache.received.map((r) => r.url).sort()).toEqual([...pagePaths('Peer networks')].sort());
    expect(purger.counts()).toMatchObject({ sent: 6, failed: 0 });
  });

  it('gives up on a URL after its tries, with one log line for all of them', async () => {
    const cache = await cacheServer(() => 500);
    const { wiki, purger, log } = purging([cache.base], { attempts: 3 });
    save(wiki, 'Peer networks', 'x');
    await purger.idle();
    expect(cache.received).toHaveLength(6 * 3);
    expect(purger.counts()).toEqual({ sent: 0, failed: 6, dropped: 0 });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/gave up on PURGE .* after 3 tries: answered 500/);
  });

  it('does not retry a refusal (403: not in the purge ACL), and says so once', async () => {
    const cache = await cacheServer(() => 403);
    const { wiki, purger, log } = purging([cache.base]);
    save(wiki, 'Peer networks', 'x');
    save(wiki, 'Other', 'y');
    await purger.idle();
    expect(cache.received).toHaveLength(12);
    expect(purger.counts().failed).toBe(12);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/refused PURGE .*answered 403.*ACL/);
  });

  it('keeps its queue bounded, dropping the oldest URLs with a counted warning', async () => {
    const cache = await cacheServer();
    const { wiki, purger, log } = purging([cache.base], { queueLimit: 3 });
    save(wiki, 'Peer networks', 'x');
    await purger.idle();
    // The six URLs of the new page went into the queue at once: the three newest are left.
    expect(cache.received.map((r) => r.url)).toEqual(pagePaths('Peer networks').slice(3));
    expect(purger.counts()).toEqual({ sent: 3, failed: 0, dropped: 3 });
    expect(log).toEqual([expect.stringMatching(/queue for .* is full \(3 URLs\); dropped the oldest \(3 URLs\)/)]);
  });

  it('sends each change again after reboundMs', async () => {
    const cache = await cacheServer();
    const { wiki, purger } = purging([cache.base], { reboundMs: 30 });
    save(wiki, 'Peer networks', 'x');
    await until(() => cache.received.length === 12, 'the rebound purges');
    await purger.idle();
    for (const u of pagePaths('Peer networks')) expect(cache.received.filter((r) => r.url === u)).toHaveLength(2);
  });

  it('a cache that does not answer never holds up a save through the wiki', async () => {
    const cache = await cacheServer(() => undefined);
    const { app, wiki, purger } = purging([cache.base], { concurrency: 2, timeoutMs: 60_000 });
    const { agent, csrf } = await browser(app, '/wiki/Slow_cache?action=edit');
    const first = await agent.post('/wiki/Slow_cache?action=submit').type('form').send({ source: 'One', base: '', csrf });
    expect(first.status).toBe(303);
    await until(() => cache.hanging.length === 2, 'the cache to hold two PURGEs unanswered');
    // The cache holds every connection open: the next save answers all the same.
    const base = String(wiki.stores.pages.byTitle(parseTitle('Slow cache'))!.latestId);
    const second = await agent.post('/wiki/Slow_cache?action=submit').type('form').send({ source: 'Two', base, csrf });
    expect(second.status).toBe(303);
    expect(wiki.stores.pages.byTitle(parseTitle('Slow cache'))!.latestId).toBeGreaterThan(Number(base));
    expect(purger.counts().sent).toBe(0);
    let idle = false;
    void purger.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(idle).toBe(false);
    // Once the cache answers, everything goes out.
    const drain = setInterval(() => cache.release(), 5);
    await purger.idle();
    clearInterval(drain);
    expect(purger.counts().sent).toBe(cache.received.length);
  });

  it('never throws into the feed: saves go on while the cache is down, logging at most a line a minute', async () => {
    const port = await closedPort();
    const { wiki, purger, log } = purging([`http://127.0.0.1:${port}`], { attempts: 2 });
    const reported = vi.fn();
    const off = wiki.stores.feed.subscribe(reported);
    for (let i = 0; i < 5; i++) save(wiki, `Page ${i}`, 'x');
    off();
    expect(reported).toHaveBeenCalledTimes(5);
    await purger.idle();
    expect(purger.counts()).toEqual({ sent: 0, failed: 30, dropped: 0 });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/ECONNREFUSED/);
  });

  it('close() gives up on a cache that does not answer, and sends nothing after', async () => {
    const cache = await cacheServer(() => undefined);
    const { wiki, purger } = purging([cache.base], { drainMs: 50 });
    save(wiki, 'Peer networks', 'x');
    await until(() => cache.received.length > 0, 'a PURGE');
    await purger.close();
    const seen = cache.received.length;
    save(wiki, 'Other', 'y');
    await new Promise((r) => setTimeout(r, 30));
    expect(cache.received).toHaveLength(seen);
    await purger.idle();
  });

  it.each([
    { name: 'no concurrency', options: { concurrency: 0 } },
    { name: 'an empty queue', options: { queueLimit: 0 } },
    { name: 'a negative rebound', options: { reboundMs: -1 } },
    { name: 'not a number', options: { timeoutMs: Number.NaN } },
  ])('refuses $name at start-up', ({ options }) => {
    const { wiki } = makeTestApp();
    expect(() => startPurging(wiki.stores, { purgeUrls: ['http://127.0.0.1:6081'], publicUrl: 'http://wiki.example' }, options)).toThrow(RangeError);
  });

  it('openWiki starts one for WIKI_PURGE_URLS', async () => {
    const cache = await cacheServer();
    const { wiki } = makeTestApp({ purgeUrls: [cache.base], publicUrl: 'https://wiki.example' });
    purgers.push(wiki.purger);
    save(wiki, 'Peer networks', 'x');
    await wiki.purger.idle();
    expect(cache.received.map((r) => r.url).sort()).toEqual([...pagePaths('Peer networks')].sort());
    expect(cache.received[0]!.host).toBe('wiki.example');
  });
});
