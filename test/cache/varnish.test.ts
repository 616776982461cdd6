/**
 * The wiki behind a real varnishd configured by its own VCL (SPEC section 9): hits, 304s, purges
 * after edits and after link colours change, no page shared between readers, saves while the
 * cache is down. Skipped (loudly) where varnishd is not installed, except in CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { varnishVcl } from '../../server/cache/vcl.js';
import { SESSION_COOKIE } from '../../server/http/middleware/session.js';
import { CSRF_COOKIE } from '../../server/http/middleware/csrf.js';
import { deletePage, movePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';
import { createPage, createUser, makeTestApp, type TestApp } from '../helpers/app.js';

const VARNISHD = ['/usr/sbin/varnishd', '/usr/local/sbin/varnishd', '/opt/homebrew/sbin/varnishd'].find((p) => existsSync(p));
const PUBLIC_HOST = 'peerwiki.test';
const PASSWORD = 'correct horse battery';

if (!VARNISHD && !process.env.CI) {
  console.warn(
    '\n*** test/cache/varnish.test.ts SKIPPED: varnishd is not installed, so the wiki was not tested behind Varnish.\n' +
      '*** Install it (Debian/Ubuntu: sudo apt-get install varnish) and run npx vitest run test/cache again.\n',
  );
}

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request, no keep-alive, no redirects followed. */
function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A browser talking to one port: keeps the cookies it is given. */
class Visitor {
  readonly cookies = new Map<string, string>();

  constructor(private readonly port: () => number) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Res> {
    return this.keep(await call(this.port(), 'GET', path, { ...this.cookieHeader(), ...headers }));
  }

  async post(path: string, form: Record<string, string>): Promise<Res> {
    return this.keep(await call(this.port(), 'POST', path, this.cookieHeader(), new URLSearchParams(form).toString()));
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private keep(res: Res): Res {
    for (const c of res.headers['set-cookie'] ?? []) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }
}

/** The value of a form field in a page; for `csrf`, the token of its meta tag or form. */
function field(html: string, name: string): string {
  const m = name === 'csrf'
    ? (/<meta name="csrf-token" content="([^"]+)"/.exec(html) ?? /name="csrf" value="([^"]+)"/.exec(html))
    : new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} in the page`);
  return m[1]!;
}

/** An address of this machine that is not loopback (outside the purge ACL), if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

/** A free TCP port on loopback (for varnishd, which needs one named). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** varnishd in the foreground with the wiki's VCL; resolves once it answers. */
async function startVarnish(dir: string, port: number, vclFile: string, also: string[] = []): Promise<ChildProcess> {
  // -j none: no privilege separation jail (as root the default jail drops to the varnish user,
  // which cannot read this private folder); -T none: no management port.
  const listen = [`127.0.0.1:${port}`, ...also].flatMap((a) => ['-a', a]);
  const child = spawn(VARNISHD!, ['-F', '-j', 'none', '-T', 'none', '-n', join(dir, 'varnish'), ...listen, '-f', vclFile, '-s', 'malloc,32m'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  try {
    await until('varnishd to answer', async () => {
      if (child.exitCode !== null) throw new Error(`varnishd exited: ${output}`);
      return (await call(port, 'HEAD', '/static/nothing')).status;
    });
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${output}`);
  }
  return child;
}

async function stopVarnish(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

describe.skipIf(!VARNISHD && !process.env.CI)('the wiki behind Varnish', () => {
  let dir: string;
  let t: TestApp;
  let server: Server;
  let varnish: ChildProcess | undefined;
  let varnishPort: number;
  let vclFile: string;
  let admin: Actor;
  /** X-Forwarded-For of every request that reached the wiki. */
  const forwarded: (string | undefined)[] = [];
  const anon = () => new Visitor(() => varnishPort);
  const view = (path: string, headers: Record<string, string> = {}) => call(varnishPort, 'GET', path, headers);

  beforeAll(async () => {
    if (!VARNISHD) throw new Error('varnishd is not installed, and CI is set: the wiki must be tested behind Varnish there (apt-get install varnish).');
    dir = mkdtempSync(join(tmpdir(), 'peerwiki-varnish-'));
    chmodSync(dir, 0o755);
    varnishPort = await freePort();
    t = makeTestApp({ purgeUrls: [`http://127.0.0.1:${varnishPort}`], publicUrl: `http://${PUBLIC_HOST}`, trustedProxies: ['127.0.0.1'] });
    server = createServer((req, res) => {
      forwarded.push(req.headers['x-forwarded-for'] as string | undefined);
      t.app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const wikiPort = (server.address() as AddressInfo).port;
    vclFile = join(dir, 'wiki.vcl');
    writeFileSync(vclFile, varnishVcl({ backendHost: '127.0.0.1', backendPort: wikiPort, sessionCookie: SESSION_COOKIE, csrfCookie: CSRF_COOKIE, publicHost: PUBLIC_HOST }));
    varnish = await startVarnish(dir, varnishPort, vclFile);
    admin = createUser(t.wiki, { name: 'Alice', role: 'admin', password: PASSWORD });
  }, 30_000);

  afterAll(async () => {
    await stopVarnish(varnish);
    await t?.wiki.purger.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A visitor logged in through Varnish (login form and all). */
  async function loggedIn(): Promise<Visitor> {
    const v = anon();
    const form = await v.get('/login');
    expect(form.status).toBe(200);
    const res = await v.post('/login', { username: 'Alice', password: PASSWORD, csrf: field(form.body, 'csrf') });
    expect(res.status, res.body.slice(0, 300)).toBe(303);
    expect(v.cookies.has(SESSION_COOKIE)).toBe(true);
    return v;
  }

  /** Edit through Varnish as `v`, then wait for the purges to be answered. */
  async function edit(v: Visitor, path: string, source: string): Promise<void> {
    const form = await v.get(`${path}?action=edit`);
    expect(form.status).toBe(200);
    const res = await v.post(`${path}?action=submit`, { source, summary: 'test', base: field(form.body, 'base'), user: field(form.body, 'user'), csrf: field(form.body, 'csrf') });
    expect(res.status, res.body.slice(0, 300)).toBe(303);
    await t.wiki.purger.idle();
  }

  it('serves a second anonymous view from the cache, also to readers with stray cookies', async () => {
    createPage(t.wiki, { title: 'Cached page', source: 'Version one.' });
    const first = await view('/wiki/Cached_page');
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['set-cookie']).toBeUndefined();
    const second = await view('/wiki/Cached_page');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    const stray = await view('/wiki/Cached_page', { cookie: `_ga=GA1.2.3; ${CSRF_COOKIE}=abcdefghijklmnopqrstuvwxyz` });
    expect(stray.headers['x-cache']).toBe('HIT');
  });

  it('answers If-None-Match with 304, from the cache', async () => {
    createPage(t.wiki, { title: 'Etag page' });
    const first = await view('/wiki/Etag_page');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"/);
    const again = await view('/wiki/Etag_page', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('shows an edit to the next anonymous reader: the purge arrived', async () => {
    createPage(t.wiki, { title: 'Edited page', source: 'Old words.' });
    expect((await view('/wiki/Edited_page')).body).toContain('Old words.');
    expect((await view('/wiki/Edited_page')).headers['x-cache']).toBe('HIT');
    expect((await view('/wiki/Edited_page?action=raw')).body).toBe('Old words.');
    await edit(await loggedIn(), '/wiki/Edited_page', 'New words.');
    const after = await view('/wiki/Edited_page');
    expect(after.body).toContain('New words.');
    expect(after.body).not.toContain('Old words.');
    expect((await view('/wiki/Edited_page?action=raw')).body).toBe('New words.');
  });

  it('turns links blue and red on linking pages as pages are created, deleted and moved', async () => {
    createPage(t.wiki, { title: 'Linker', source: 'See [[Target page]] and [[Moved here]].' });
    const red = (html: string, path: string) => html.includes(`href="${path}?action=edit&amp;redlink=1" class="new"`);
    const blue = (html: string, path: string) => html.includes(`href="${path}" title=`);
    const linker = async () => (await view('/wiki/Linker')).body;
    expect(red(await linker(), '/wiki/Target_page')).toBe(true);
    expect((await view('/wiki/Linker')).headers['x-cache']).toBe('HIT');

    // Created by a logged-in editor through Varnish.
    await edit(await loggedIn(), '/wiki/Target_page', 'Here now.');
    expect(blue(await linker(), '/wiki/Target_page')).toBe(true);

    deletePage(t.wiki.stores, admin, parseTitle('Target page'), 'test');
    await t.wiki.purger.idle();
    expect(red(await linker(), '/wiki/Target_page')).toBe(true);

    createPage(t.wiki, { title: 'Old name', source: 'Moving soon.' });
    expect(red(await linker(), '/wiki/Moved_here')).toBe(true);
    movePage(t.wiki.stores, admin, parseTitle('Old name'), parseTitle('Moved here'), 'rename', false);
    await t.wiki.purger.idle();
    expect(blue(await linker(), '/wiki/Moved_here')).toBe(true);
    expect((await view('/wiki/Old_name')).status).toBe(404);
    expect((await view('/wiki/Moved_here')).body).toContain('Moving soon.');
  });

  it("never serves a signed-in reader's page to an anonymous one, nor the reverse", async () => {
    createPage(t.wiki, { title: 'Shared page' });
    const anonymous = await view('/wiki/Shared_page');
    expect(anonymous.body).not.toContain('Log out');
    const alice = await loggedIn();
    const hers = await alice.get('/wiki/Shared_page');
    expect(hers.status).toBe(200);
    expect(hers.headers['x-cache']).toBe('PASS');
    expect(hers.body).toContain('Log out');
    expect(hers.body).toContain('Alice');
    expect(hers.headers['cache-control']).toMatch(/private/);
    const again = await view('/wiki/Shared_page');
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body).not.toContain('Log out');
    expect(again.body).not.toMatch(/User:Alice/);
  });

  it('appends the client to X-Forwarded-For once, after what the client sent', async () => {
    forwarded.length = 0;
    await view('/wiki/Forwarded?nocache=1', { 'x-forwarded-for': '203.0.113.9' });
    expect(forwarded).toEqual(['203.0.113.9, 127.0.0.1']);
  });

  it('takes PURGE from this machine only (the ACL), and it empties the cache', async () => {
    createPage(t.wiki, { title: 'Purged page' });
    await view('/wiki/Purged_page');
    expect((await view('/wiki/Purged_page')).headers['x-cache']).toBe('HIT');
    const outside = outsideAddress();
    if (outside) {
      // The same varnishd, reached on an address of this machine that is not in the ACL.
      const port = await freePort();
      await stopVarnish(varnish);
      varnish = await startVarnish(dir, varnishPort, vclFile, [`${outside}:${port}`]);
      await view('/wiki/Purged_page');
      const refused = await new Promise<number>((resolve, reject) => {
        const req = request({ host: outside, localAddress: outside, port, method: 'PURGE', path: '/wiki/Purged_page', agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
      expect(refused).toBe(403);
      expect((await view('/wiki/Purged_page')).headers['x-cache']).toBe('HIT');
    } else {
      console.warn('varnish.test.ts: this machine has no non-loopback IPv4 address; the PURGE ACL refusal was not tested.');
    }
    const res = await call(varnishPort, 'PURGE', '/wiki/Purged_page', { host: 'any.example' });
    expect(res.status).toBe(200);
    expect((await view('/wiki/Purged_page')).headers['x-cache']).toBe('MISS');
  });

  it('goes on saving, quickly and without errors, while varnishd is stopped', async () => {
    createPage(t.wiki, { title: 'Down page', source: 'Before.' });
    expect((await view('/wiki/Down_page')).body).toContain('Before.');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await stopVarnish(varnish);
      // Straight to the wiki, as readers would when the cache is gone.
      const wikiPort = (server.address() as AddressInfo).port;
      const alice = new Visitor(() => wikiPort);
      const form = await alice.get('/login');
      await alice.post('/login', { username: 'Alice', password: PASSWORD, csrf: field(form.body, 'csrf') });
      for (const text of ['During one.', 'During two.', 'During three.']) {
        const edit = await alice.get('/wiki/Down_page?action=edit');
        const res = await alice.post('/wiki/Down_page?action=submit', { source: text, base: field(edit.body, 'base'), user: field(edit.body, 'user'), csrf: field(edit.body, 'csrf') });
        expect(res.status).toBe(303);
      }
      expect((await alice.get('/wiki/Down_page?action=raw')).body).toBe('During three.');
      // The purges wait for the cache (retrying for seconds); the saves did not.
      let idle = false;
      void t.wiki.purger.idle().then(() => (idle = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(idle).toBe(false);
      varnish = await startVarnish(dir, varnishPort, vclFile);
      await t.wiki.purger.idle();
      expect((await view('/wiki/Down_page')).body).toContain('During three.');
      // Not a line per URL: at most one per kind of trouble a minute.
      expect(warn.mock.calls.filter(([l]) => String(l).startsWith('purge:')).length).toBeLessThanOrEqual(2);
    } finally {
      warn.mockRestore();
    }
  }, 60_000);
});
