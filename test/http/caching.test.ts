/**
 * SPEC section 9 over HTTP: no cookie on plain GETs, validators and cache headers on every read,
 * 304s with and without cookies, anonymous and signed-in answers never mixed, and page views
 * answered from the byte cache only while the database's stamps say they are current.
 */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import express from 'express';
import { browser, createPage, createUser, loggedInBrowser, makeTestApp } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage, movePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';
import { COUNT_WINDOW, KEEP_AFTER_READS, ViewCache } from '../../server/http/viewCache.js';
import { ViewStore } from '../../server/db/viewStore.js';
import { createApp, serving } from '../../server/app.js';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { matches } from '../../server/http/freshness.js';
import { Html } from '../../views/html.js';

function sMaxAge(cacheControl: string | undefined): number {
  const m = /s-maxage=(\d+)/.exec(cacheControl ?? '');
  return m ? Number(m[1]) : -1;
}

function setup() {
  const t = makeTestApp();
  const [first, second] = createPage(t.wiki, { title: 'Peer network', source: 'Version two, see [[Elsewhere]].', revisions: 2 });
  createPage(t.wiki, { title: 'Shortcut', source: '#REDIRECT [[Peer network]]' });
  return { ...t, first: first!, second: second! };
}

describe('cookies on GET (SPEC section 9)', () => {
  it('sets no cookie on page views, history, diffs, raw, lists and API reads without a session', async () => {
    const { app, first, second } = setup();
    for (const path of [
      '/wiki/Peer_network',
      `/wiki/Peer_network?oldid=${first}`,
      '/wiki/Peer_network?action=history',
      `/wiki/Peer_network?diff=${second}&oldid=${first}`,
      '/wiki/Peer_network?action=raw',
      '/wiki/Missing_page',
      '/special/recent-changes',
      '/special/search?q=peer',
      '/api/v1/page/Peer_network',
    ]) {
      const res = await request(app).get(path);
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers['set-cookie'], path).toBeUndefined();
      expect(res.text, path).not.toContain('csrf-token');
    }
  });

  it('gives the token and its cookie with the pages that hold a form', async () => {
    const { app } = setup();
    for (const path of ['/wiki/Peer_network?action=edit', '/login', '/register']) {
      const res = await request(app).get(path);
      expect(String(res.headers['set-cookie']), path).toContain('pw_csrf=');
      expect(res.text, path).toMatch(/<meta name="csrf-token" content="[^"]{20,}">/);
    }
  });

  it('a form token from the edit page still works for saving', async () => {
    const { app } = setup();
    const b = await browser(app, '/wiki/Peer_network?action=edit');
    const base = /name="base" value="(\d+)"/.exec((await b.agent.get('/wiki/Peer_network?action=edit')).text)?.[1];
    const res = await b.agent.post('/wiki/Peer_network').type('form').send({ csrf: b.csrf, source: 'Saved by form.', base, summary: '' });
    expect(res.status).toBe(303);
    expect((await request(app).get('/wiki/Peer_network')).text).toContain('Saved by form.');
  });
});

describe('validators and cache headers (SPEC section 9)', () => {
  it('page views: strong ETag, Last-Modified, shared for an hour or more, 304 without cookies', async () => {
    const { app } = setup();
    const res = await request(app).get('/wiki/Peer_network');
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(new Date(res.headers['last-modified']!).getTime()).not.toBeNaN();
    expect(res.headers['cache-control']).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
    expect(sMaxAge(res.headers['cache-control'])).toBeGreaterThanOrEqual(3600);
    expect(res.headers.vary).toMatch(/Cookie/);
    const again = await request(app).get('/wiki/Peer_network').set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(again.headers['cache-control']).toBe(res.headers['cache-control']);
    // A reader holding a stray CSRF cookie (no session) is still an anonymous reader.
    const withCookie = await request(app).get('/wiki/Peer_network').set('Cookie', 'pw_csrf=abcdefghijklmnopqrstuvwxyz').set('If-None-Match', res.headers.etag!);
    expect(withCookie.status).toBe(304);
  });

  it('old revisions, raw source, history and diffs carry validators and answer 304', async () => {
    const { app, first, second } = setup();
    for (const path of [
      `/wiki/Peer_network?oldid=${first}`,
      '/wiki/Peer_network?action=raw',
      '/wiki/Peer_network?action=history',
      `/wiki/Peer_network?diff=${second}&oldid=${first}`,
    ]) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.etag, path).toMatch(/^"[^"]+"$/);
      expect(sMaxAge(res.headers['cache-control']), path).toBeGreaterThanOrEqual(3600);
      expect(res.headers['cache-control'], path).toMatch(/^public/);
      expect((await request(app).get(path).set('If-None-Match', `W/${res.headers.etag}`)).status, path).toBe(304);
    }
  });

  it('history and diffs change their ETag with a new revision', async () => {
    const { app, wiki, second } = setup();
    const history = await request(app).get('/wiki/Peer_network?action=history');
    const diff = await request(app).get(`/wiki/Peer_network?diff=cur&oldid=${second}`);
    saveEdit(wiki.stores, { title: parseTitle('Peer network'), source: 'Version three.', comment: '', baseId: second, actor: wiki.stores.actors.system() });
    expect((await request(app).get('/wiki/Peer_network?action=history').set('If-None-Match', history.headers.etag!)).status).toBe(200);
    expect((await request(app).get(`/wiki/Peer_network?diff=cur&oldid=${second}`).set('If-None-Match', diff.headers.etag!)).status).toBe(200);
  });

  it('lists that change with every edit are shared for ten seconds at most', async () => {
    const { app } = setup();
    for (const path of ['/special/recent-changes', '/special/search?q=peer']) {
      const res = await request(app).get(path);
      expect(res.headers['cache-control'], path).toMatch(/^public/);
      const n = sMaxAge(res.headers['cache-control']);
      expect(n, path).toBeGreaterThanOrEqual(0);
      expect(n, path).toBeLessThanOrEqual(10);
    }
  });

  it('API reads carry an ETag and no-cache, and answer 304', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/v1/page/Peer_network');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toBeTruthy();
    expect((await request(app).get('/api/v1/page/Peer_network').set('If-None-Match', res.headers.etag!)).status).toBe(304);
  });

  it('a signed-in reader gets private answers, never the anonymous copy', async () => {
    const { app, wiki } = setup();
    const user = createUser(wiki, { name: 'Reader' });
    const anon = await request(app).get('/wiki/Peer_network');
    const b = await loggedInBrowser(app, user.name);
    const mine = await b.agent.get('/wiki/Peer_network');
    expect(mine.headers['cache-control']).toMatch(/^private/);
    expect(mine.text).toContain('Reader');
    expect(mine.headers.etag).not.toBe(anon.headers.etag);
    // The anonymous ETag does not validate a signed-in reader's page, nor theirs an anonymous one.
    expect((await b.agent.get('/wiki/Peer_network').set('If-None-Match', anon.headers.etag!)).status).toBe(200);
    expect((await request(app).get('/wiki/Peer_network').set('If-None-Match', mine.headers.etag!)).status).toBe(200);
    expect((await b.agent.get('/wiki/Peer_network').set('If-None-Match', mine.headers.etag!)).status).toBe(304);
  });

  it('a PURGE sent to the wiki itself changes nothing: 405', async () => {
    const { app } = setup();
    const res = await request(app).purge('/wiki/Peer_network');
    expect(res.status).toBe(405);
    expect(res.text).toMatch(/cache in front/);
  });
});

describe('the byte cache of page views', () => {
  it('answers a repeated anonymous view without rendering or reading the text, with the same headers', async () => {
    const { app, wiki } = setup();
    const first = await request(app).get('/wiki/Peer_network');
    const { renderCache, content } = wiki.stores;
    const [get, text] = [renderCache.get, content.get];
    try {
      renderCache.get = () => {
        throw new Error('the render cache was read');
      };
      content.get = () => {
        throw new Error('a revision text was read');
      };
      const again = await request(app).get('/wiki/Peer_network');
      expect(again.status).toBe(200);
      expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(first.text).toContain('Version two');
      expect(again.text).toBe(first.text);
      for (const h of ['etag', 'cache-control', 'content-security-policy', 'content-type', 'vary', 'last-modified', 'x-content-type-options']) {
        expect(again.headers[h], h).toBe(first.headers[h]);
      }
      expect(again.headers['content-length']).toBe(String(Buffer.byteLength(first.text)));
      expect((await request(app).head('/wiki/Peer_network')).status).toBe(200);
      const notModified = await request(app).get('/wiki/Peer_network').set('If-None-Match', first.headers.etag!);
      expect(notModified.status).toBe(304);
      for (const h of ['etag', 'cache-control', 'vary', 'last-modified']) expect(notModified.headers[h], h).toBe(first.headers[h]);
    } finally {
      renderCache.get = get;
      content.get = text;
    }
  });

  it('never answers with a stale copy: edits, deletions, link colours and redirect targets', async () => {
    const { app, wiki } = setup();
    const system = wiki.stores.actors.system();
    await request(app).get('/wiki/Peer_network');
    await request(app).get('/wiki/Shortcut');
    const latest = wiki.stores.pages.byTitle(parseTitle('Peer network'))!.latestId;
    saveEdit(wiki.stores, { title: parseTitle('Peer network'), source: 'Version three, see [[Elsewhere]].', comment: '', baseId: latest, actor: system });
    expect((await request(app).get('/wiki/Peer_network')).text).toContain('Version three');
    // The redirect shows its target's new text too.
    expect((await request(app).get('/wiki/Shortcut')).text).toContain('Version three');
    // A page it links to comes into existence: the link turns blue.
    expect((await request(app).get('/wiki/Peer_network')).text).toContain('redlink=1');
    createPage(wiki, { title: 'Elsewhere' });
    expect((await request(app).get('/wiki/Peer_network')).text).not.toContain('redlink=1');
    deletePage(wiki.stores, system, parseTitle('Peer network'), 'test');
    expect((await request(app).get('/wiki/Peer_network')).status).toBe(404);
  });

  it('looks no page up while nothing is written, and sees a change to a page however it is made', async () => {
    const { app, wiki } = setup();
    const first = await request(app).get('/wiki/Peer_network');
    const { stamps, db } = wiki.stores;
    const now = stamps.now.bind(stamps);
    let lookups = 0;
    stamps.now = (titleText) => {
      lookups += 1;
      return now(titleText);
    };
    try {
      for (let i = 0; i < 3; i++) expect((await request(app).get('/wiki/Peer_network')).text).toBe(first.text);
      expect(lookups).toBe(0);
      // Changed behind the wiki's back: the stamp epoch moves anyway (a trigger), so the copy is checked and dropped.
      db.prepare("UPDATE page SET touched = touched + 1 WHERE title = 'Peer network'").run();
      const touched = await request(app).get('/wiki/Peer_network');
      expect(touched.headers.etag).not.toBe(first.headers.etag);
      // Another page is saved: a kept view is looked up once, then not again until the next change.
      createPage(wiki, { title: 'Unrelated page' });
      lookups = 0;
      for (let i = 0; i < 3; i++) expect((await request(app).get('/wiki/Peer_network')).headers.etag).toBe(touched.headers.etag);
      expect(lookups).toBe(1);
    } finally {
      stamps.now = now;
    }
  });

  it('keeps a Category: page and sees members come, move and go', async () => {
    const { app, wiki } = setup();
    const system = wiki.stores.actors.system();
    createPage(wiki, { title: 'Category:Networks', source: 'Networks of peers.' });
    createPage(wiki, { title: 'Mesh', source: 'A mesh. [[Category:Networks]]' });
    expect((await request(app).get('/wiki/Category:Networks')).text).toContain('href="/wiki/Mesh"');
    createPage(wiki, { title: 'Fidonet', source: 'Mail by phone. [[Category:Networks]]' });
    expect((await request(app).get('/wiki/Category:Networks')).text).toContain('href="/wiki/Fidonet"');
    movePage(wiki.stores, system, parseTitle('Mesh'), parseTitle('Mesh network'), 'clearer', false);
    const moved = (await request(app).get('/wiki/Category:Networks')).text;
    expect(moved).toContain('href="/wiki/Mesh_network"');
    expect(moved).not.toContain('href="/wiki/Mesh"');
    deletePage(wiki.stores, system, parseTitle('Fidonet'), 'test');
    expect((await request(app).get('/wiki/Category:Networks')).text).not.toContain('Fidonet');
    const latest = wiki.stores.pages.byTitle(parseTitle('Mesh network'))!.latestId;
    saveEdit(wiki.stores, { title: parseTitle('Mesh network'), source: 'A mesh, uncategorised.', comment: '', baseId: latest, actor: system });
    expect((await request(app).get('/wiki/Category:Networks')).text).not.toContain('Mesh network');
  });

  it('is never used for a reader with a session', async () => {
    const { app, wiki } = setup();
    const user = createUser(wiki, { name: 'Member' });
    await request(app).get('/wiki/Peer_network');
    const b = await loggedInBrowser(app, user.name);
    const mine = await b.agent.get('/wiki/Peer_network');
    expect(mine.text).toContain('Member');
    expect(mine.headers['cache-control']).toMatch(/^private/);
    // And the anonymous copy does not pick up the member's page.
    expect((await request(app).get('/wiki/Peer_network')).text).not.toContain('Member');
  });

  it('is bounded by bytes, dropping the least recently used', async () => {
    const { wiki } = setup();
    const cache = new ViewCache(wiki.stores, 10_000);
    const app = express();
    app.use((req, res, next) => (cache.serve(req, res) ? undefined : next()));
    let rendered = 0;
    app.get('/wiki/:name', (req, res) => {
      rendered += 1;
      res.set('ETag', '"x"').type('html');
      cache.sendAndKeep(req, res, new Html('x'.repeat(4_000)), ['Peer network'], [wiki.stores.pages.stamp('Peer network')], wiki.stores.pages.stampEpoch());
    });
    for (const name of ['A', 'B', 'A', 'C', 'A', 'B']) await request(app).get(`/wiki/${name}`);
    // A, B, A (hit), C (drops B, the least recently used), A (hit), B (miss again).
    expect(rendered).toBe(4);
    expect(cache.size).toBeLessThanOrEqual(10_000);
    // Not with a session cookie, a query or an Authorization header.
    for (const r of [request(app).get('/wiki/A').set('Cookie', 'pw_session=x'), request(app).get('/wiki/A?x=1'), request(app).get('/wiki/A').set('Authorization', 'Bearer x')]) await r;
    expect(rendered).toBe(7);
  });
});

describe('the view store shared by worker processes', () => {
  it('answers a view another process built, and never a stale one', async () => {
    const { wiki } = setup();
    const shared = new ViewStore(':memory:', 'test');
    // Two workers: each its own memory (none here, so every hit comes from the store), one store.
    const one = createApp(wiki, undefined, new ViewCache(wiki.stores, 0, shared));
    const twoViews = new ViewCache(wiki.stores, 0, shared);
    const two = createApp(wiki, undefined, twoViews);
    const built = await request(one).get('/wiki/Peer_network');
    shared.flush();
    const { renderCache } = wiki.stores;
    const get = renderCache.get;
    try {
      renderCache.get = () => {
        throw new Error('the render cache was read');
      };
      const served = await request(two).get('/wiki/Peer_network');
      expect(served.status).toBe(200);
      expect(served.text).toBe(built.text);
      expect(served.headers.etag).toBe(built.headers.etag);
      expect(served.headers['cache-control']).toBe(built.headers['cache-control']);
      expect(twoViews.sharedHits).toBe(1);
      expect((await request(two).get('/wiki/Peer_network').set('If-None-Match', built.headers.etag!)).status).toBe(304);
    } finally {
      renderCache.get = get;
    }
    // A save through the first worker: the second builds the page anew rather than serve its stored copy.
    const latest = wiki.stores.pages.byTitle(parseTitle('Peer network'))!.latestId;
    saveEdit(wiki.stores, { title: parseTitle('Peer network'), source: 'Version three.', comment: '', baseId: latest, actor: wiki.stores.actors.system() });
    const after = await request(two).get('/wiki/Peer_network');
    expect(after.text).toContain('Version three');
    expect(after.headers.etag).not.toBe(built.headers.etag);
    shared.flush();
    // And the fresh copy it built is what the first worker now serves.
    expect((await request(one).get('/wiki/Peer_network')).text).toBe(after.text);
    shared.close();
  });

  it('sends every byte of a view to a reader too slow to take it at once, while other views are read from the store', async () => {
    const { wiki } = setup();
    const shared = new ViewStore(':memory:', 'test');
    const source = (n: string) => Array.from({ length: 1_500 }, (_, i) => `Word ${n}-${i} of a long page.`).join(' ');
    const slow = Array.from({ length: 20 }, (_, i) => `Slow ${i}`);
    const quick = Array.from({ length: 12 }, (_, i) => `Quick ${i}`);
    for (const title of [...slow, ...quick]) createPage(wiki, { title, source: source(title) });
    // Built through one worker, so that the other, keeping nothing in memory, reads each from the store.
    const one = createApp(wiki, undefined, new ViewCache(wiki.stores, 0, shared));
    const built = new Map<string, string>();
    for (const title of [...slow, ...quick]) built.set(title, (await request(one).get(`/wiki/${title.replace(' ', '_')}`)).text);
    shared.flush();
    const views = new ViewCache(wiki.stores, 0, shared);
    const server = createServer(serving(createApp(wiki, undefined, views)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      // A reader that asks for twenty long views at once and does not read yet: the socket fills.
      const reader = connect(port, '127.0.0.1');
      reader.pause();
      await new Promise((r) => reader.once('connect', r));
      reader.write(slow.map((t) => `GET /wiki/${t.replace(' ', '_')} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
      await new Promise((r) => setTimeout(r, 100));
      // Meanwhile other views go out, each read from the store into memory a waiting answer may point at.
      for (let round = 0; round < 3; round++) {
        for (const title of quick) expect((await request(server).get(`/wiki/${title.replace(' ', '_')}`)).text).toBe(built.get(title));
      }
      const chunks: Buffer[] = [];
      reader.on('data', (c: Buffer) => chunks.push(c));
      reader.resume();
      const all = await new Promise<string>((resolve) => {
        const check = () => {
          const text = Buffer.concat(chunks).toString();
          if (text.includes(built.get(slow.at(-1)!)!)) resolve(text);
          else setTimeout(check, 20);
        };
        check();
      });
      reader.destroy();
      let at = 0;
      for (const title of slow) {
        const found = all.indexOf(built.get(title)!, at);
        expect(found, `${title} arrived whole and in order`).toBeGreaterThanOrEqual(at);
        at = found + built.get(title)!.length;
      }
      expect(views.sharedHits).toBeGreaterThanOrEqual(slow.length + quick.length);
    } finally {
      server.close();
      shared.close();
    }
  });

  it('keeps in memory a view read from the store often lately, not one read now and then', async () => {
    const { wiki } = setup();
    const shared = new ViewStore(':memory:', 'test');
    const one = createApp(wiki, undefined, new ViewCache(wiki.stores, 0, shared));
    const built = await request(one).get('/wiki/Peer_network');
    shared.flush();
    const views = new ViewCache(wiki.stores, undefined, shared);
    const two = createApp(wiki, undefined, views);
    // Each copy kept pushes another out: readers spread over more pages than memory holds would
    // copy one on nearly every view.
    for (let i = 1; i < KEEP_AFTER_READS; i++) {
      const read = await request(two).get('/wiki/Peer_network');
      expect(read.text).toBe(built.text);
      for (const h of ['etag', 'last-modified', 'cache-control', 'content-security-policy', 'content-type', 'vary']) expect(read.headers[h], h).toBe(built.headers[h]);
      expect(views.size).toBe(0);
    }
    expect((await request(two).get('/wiki/Peer_network')).text).toBe(built.text);
    expect(views.size).toBe(Buffer.byteLength(built.text));
    // From memory now: the store is not asked again.
    shared.close();
    expect((await request(two).get('/wiki/Peer_network')).text).toBe(built.text);
    expect(views.sharedHits).toBe(KEEP_AFTER_READS);
  });

  it('forgets reads from the store after a while: a page read now and then is never copied into memory', () => {
    const { wiki } = setup();
    const shared = new ViewStore(':memory:', 'test');
    const body = Buffer.from('<p>kept view</p>');
    const keys = Array.from({ length: 3 }, (_, i) => `/wiki/Page_${i}`);
    for (const key of keys) shared.put({ key, etag: `"${key}"`, headers: '{"content-type":"text/html"}', titles: [], stamps: [], epoch: 0, body });
    shared.flush();
    const views = new ViewCache(wiki.stores, undefined, shared);
    const view = (key: string) => {
      const sent: Buffer[] = [];
      const res = { writeHead: () => res, end: (b?: Buffer) => b && sent.push(b), writableFinished: true };
      expect(views.serve({ method: 'GET', url: key, headers: {} } as never, res as never)).toBe(true);
      expect(Buffer.concat(sent).equals(body)).toBe(true);
    };
    // One read short of being kept, then a window of views of other pages: the count starts again.
    for (let i = 1; i < KEEP_AFTER_READS; i++) view(keys[0]!);
    for (let i = 0; i < COUNT_WINDOW; i++) view(keys[1 + (i % 2)]!);
    expect(views.size).toBe(2 * body.length); // the two viewed a thousand times each in the window are kept
    view(keys[0]!);
    expect(views.size).toBe(2 * body.length);
    // Read often within one window, it is.
    for (let i = 1; i < KEEP_AFTER_READS; i++) view(keys[0]!);
    expect(views.size).toBe(3 * body.length);
    shared.close();
  });

  it('keeps nothing a signed-in reader saw', async () => {
    const { wiki } = setup();
    const shared = new ViewStore(':memory:', 'test');
    const app = createApp(wiki, undefined, new ViewCache(wiki.stores, 0, shared));
    const user = createUser(wiki, { name: 'Member' });
    const b = await loggedInBrowser(app, user.name);
    expect((await b.agent.get('/wiki/Peer_network')).text).toContain('Member');
    shared.flush();
    expect(shared.size).toBe(0);
    shared.close();
  });
});

describe('matches (If-None-Match)', () => {
  it('compares weakly, in lists, and takes *', () => {
    expect(matches('"a-1"', '"a-1"')).toBe(true);
    expect(matches('W/"a-1"', '"a-1"')).toBe(true);
    expect(matches('"b", "a-1"', '"a-1"')).toBe(true);
    expect(matches('*', '"a-1"')).toBe(true);
    expect(matches('"a-2"', '"a-1"')).toBe(false);
    expect(matches(undefined, '"a-1"')).toBe(false);
  });
});
