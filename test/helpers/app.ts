/** makeTestApp(): a real app over a private in-memory database, migrated; plus small factories. */
import request from 'supertest';
import type { Express } from 'express';
import { testConfig, type Config } from '../../server/config.js';
import { openWiki, type Wiki } from '../../server/bootstrap.js';
import { createApp } from '../../server/app.js';
import type { TextWorkers } from '../../server/wiki/work/pool.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Actor, Role } from '../../server/wiki/types.js';
import { SESSION_COOKIE } from '../../server/http/middleware/session.js';

export interface TestApp {
  app: Express;
  wiki: Wiki;
  /** Errors the final handler logged (a test that expects none can assert it is empty). */
  logged: unknown[];
}

/** `workers` replaces the app's text workers (say, to send even tiny texts to a thread). */
export function makeTestApp(overrides: Partial<Config> = {}, o: { workers?: TextWorkers } = {}): TestApp {
  const logged: unknown[] = [];
  const wiki = openWiki(testConfig(overrides), (e) => logged.push(e));
  wiki.log = (e) => logged.push(e);
  if (o.workers) wiki.workers = o.workers;
  return { app: createApp(wiki), wiki, logged };
}

let users = 0;

export function createUser(wiki: Wiki, o: { name?: string; role?: Role; password?: string } = {}): Actor {
  users += 1;
  return wiki.stores.actors.create(o.name ?? `Tester ${users}`, 'user', o.role ?? 'user', hashPassword(o.password ?? 'correct horse battery'));
}

/** A page with `revisions` revisions (default 1); the last has `source`. Returns the revision ids. */
export function createPage(
  wiki: Wiki,
  o: { title: string; source?: string; revisions?: number; actor?: Actor },
): number[] {
  const actor = o.actor ?? wiki.stores.actors.system();
  const ids: number[] = [];
  const n = o.revisions ?? 1;
  for (let i = 1; i <= n; i++) {
    const source = i === n ? (o.source ?? `Text of ${o.title}.`) : `Draft ${i} of ${o.title}.`;
    const r = saveEdit(wiki.stores, { title: parseTitle(o.title), source, comment: `edit ${i}`, baseId: ids.at(-1) ?? null, actor });
    ids.push(r.revision.id);
  }
  return ids;
}

/** A bearer token for an account. */
export function tokenFor(wiki: Wiki, actor: Actor): string {
  return wiki.tokens.issue({ sub: actor.id, ver: wiki.stores.actors.byId(actor.id)!.tokenVersion }).token;
}

/**
 * A cookie-keeping client that has loaded one page holding a form (plain page views carry no
 * token for anonymous readers: SPEC section 9) and knows its CSRF token.
 */
export async function browser(app: Express, path = '/login') {
  const agent = request.agent(app);
  const res = await agent.get(path);
  const m = /<meta name="csrf-token" content="([^"]+)"/.exec(res.text);
  if (!m) throw new Error(`no csrf-token meta on ${path} (status ${res.status})`);
  return { agent, csrf: m[1]! };
}

/**
 * A cookie-keeping client logged in through the HTML form as `name` (an account createUser made,
 * with `password`), and the CSRF token its forms carry.
 */
export async function loggedInBrowser(app: Express, name: string, password = 'correct horse battery', path = '/wiki/Main_Page') {
  const b = await browser(app, '/login');
  const res = await b.agent.post('/login').type('form').send({ username: name, password, csrf: b.csrf });
  if (res.status !== 303) throw new Error(`logging in as ${name} answered ${res.status}: ${res.text.slice(0, 200)}`);
  if (path !== '/login') await b.agent.get(path);
  return b;
}

/**
 * A cookie-keeping client that holds `actor`'s session cookie (made with tokenFor, no login form:
 * works for temporary accounts too) and has loaded `path`; `page` is that first response.
 */
export async function sessionBrowser(app: Express, wiki: Wiki, actor: Actor, path = '/wiki/Main_Page') {
  const agent = request.agent(app);
  // supertest talks to 127.0.0.1; a host-only cookie for it rides along with every request.
  agent.jar.setCookie(`${SESSION_COOKIE}=${tokenFor(wiki, actor)}; Path=/`, '127.0.0.1', '/');
  const page = await agent.get(path);
  const m = /<meta name="csrf-token" content="([^"]+)"/.exec(page.text);
  if (!m) throw new Error(`no csrf-token meta on ${path} (status ${page.status})`);
  return { agent, csrf: m[1]!, page };
}

export function revisionCount(wiki: Wiki): number {
  return (wiki.db.prepare('SELECT count(*) AS n FROM revision').get() as { n: number }).n;
}
