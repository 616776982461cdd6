import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, createUser, makeTestApp, tokenFor } from '../../helpers/app.js';
import { blockTarget, deletePage, protectPage } from '../../../server/wiki/admin.js';
import { parseTitle } from '../../../server/wiki/title.js';

const password = 'correct horse battery';

function setup() {
  const t = makeTestApp();
  const admin = createUser(t.wiki, { name: 'Admin', role: 'admin' });
  const ann = createUser(t.wiki, { name: 'Ann', password });
  const ids = createPage(t.wiki, { title: 'Gossip protocol', source: 'First line.\n\nSecond line.\n', revisions: 5 });
  return { ...t, admin, ann, ids };
}

/** A cookie-keeping client logged in through action=login, with its CSRF token. */
async function apiLogin(app: ReturnType<typeof setup>['app'], name = 'Ann') {
  const agent = request.agent(app);
  const login = await agent.get('/w/api.php?action=query&meta=tokens&type=login&format=json');
  const lgtoken = login.body.query.tokens.logintoken as string;
  const res = await agent.post('/w/api.php').type('form').send({ action: 'login', lgname: name, lgpassword: password, lgtoken, format: 'json' });
  expect(res.body.login.result).toBe('Success');
  const tokens = await agent.get('/w/api.php?action=query&meta=tokens&format=json');
  return { agent, token: tokens.body.query.tokens.csrftoken as string };
}

describe('/w/api.php basics', () => {
  it('answers errors with HTTP 200 and MediaWiki\'s shape, and unknown parameters as warnings', async () => {
    const { app } = setup();
    const bad = await request(app).get('/w/api.php?action=nonsense&format=json');
    expect(bad.status).toBe(200);
    expect(bad.headers['mediawiki-api-error']).toBe('badvalue');
    expect(bad.body.error).toMatchObject({ code: 'badvalue', info: 'Unrecognized value for parameter "action": nonsense.' });
    const warned = await request(app).get('/w/api.php?action=query&meta=siteinfo&format=json&maxlag=5&frobnicate=1&formatversion=2');
    expect(warned.body.warnings).toEqual({ main: { warnings: 'Unrecognized parameter: frobnicate.' } });
    expect(warned.body.query.general).toMatchObject({ generator: 'MediaWiki 1.39.0 (Peerwiki 1.0)', sitename: 'Peerwiki', writeapi: true });
  });

  it('gives page text in formatversion 1 and 2, with missing and invalid titles marked', async () => {
    const { app, wiki } = setup();
    const page = wiki.stores.pages.byTitle(parseTitle('Gossip protocol'))!;
    const v1 = await request(app).get('/w/api.php').query({ action: 'query', prop: 'revisions|info', rvprop: 'content|ids|user|timestamp', rvslots: 'main', titles: 'Gossip_protocol|No such page|Bad[title', format: 'json' });
    expect(v1.body.query.normalized).toEqual([{ from: 'Gossip_protocol', to: 'Gossip protocol' }]);
    const p = v1.body.query.pages[String(page.id)];
    expect(p).toMatchObject({ pageid: page.id, ns: 0, title: 'Gossip protocol', contentmodel: 'markdown', lastrevid: page.latestId });
    expect(p.revisions[0]).toMatchObject({ revid: page.latestId, user: 'Peerwiki', slots: { main: { contentmodel: 'markdown', '*': 'First line.\n\nSecond line.\n' } } });
    expect(v1.body.query.pages['-2']).toMatchObject({ title: 'No such page', missing: '' });
    expect(v1.body.query.pages['-3']).toMatchObject({ title: 'Bad[title', invalid: '' });
    const v2 = await request(app).get('/w/api.php').query({ action: 'query', prop: 'revisions', rvprop: 'content', rvslots: 'main', titles: 'Gossip protocol|No such page', format: 'json', formatversion: '2' });
    expect(v2.body.query.pages).toEqual([
      { pageid: page.id, ns: 0, title: 'Gossip protocol', revisions: [{ slots: { main: { contentmodel: 'markdown', contentformat: 'text/markdown', content: 'First line.\n\nSecond line.\n' } } }] },
      { ns: 0, title: 'No such page', missing: true },
    ]);
  });

  it('lists a page\'s revisions over more answers than one holds, with continue, both ways', async () => {
    const { app, ids } = setup();
    const walk = async (dir: 'older' | 'newer') => {
      const seen: number[] = [];
      let cont: Record<string, string> = {};
      for (let i = 0; i < 10; i++) {
        const res = await request(app).get('/w/api.php').query({ action: 'query', prop: 'revisions', titles: 'Gossip protocol', rvlimit: '2', rvdir: dir, rvprop: 'ids', format: 'json', formatversion: '2', ...cont });
        seen.push(...res.body.query.pages[0].revisions.map((r: { revid: number }) => r.revid));
        if (!res.body.continue) break;
        cont = res.body.continue;
      }
      return seen;
    };
    expect(await walk('older')).toEqual([...ids].reverse());
    expect(await walk('newer')).toEqual(ids);
  });

  it('lists recent changes and all pages with continuation', async () => {
    const { app, wiki } = setup();
    createPage(wiki, { title: 'Alpha' });
    createPage(wiki, { title: 'Beta' });
    const first = await request(app).get('/w/api.php').query({ action: 'query', list: 'allpages', aplimit: '2', format: 'json', formatversion: '2' });
    expect(first.body.query.allpages.map((p: { title: string }) => p.title)).toEqual(['Alpha', 'Beta']);
    const next = await request(app).get('/w/api.php').query({ action: 'query', list: 'allpages', aplimit: '2', format: 'json', formatversion: '2', ...first.body.continue });
    expect(next.body.query.allpages.map((p: { title: string }) => p.title)).toEqual(['Gossip protocol']);
    const rc = await request(app).get('/w/api.php').query({ action: 'query', list: 'recentchanges', rclimit: '3', rcprop: 'title|ids|user|comment', format: 'json', formatversion: '2' });
    expect(rc.body.query.recentchanges.map((c: { title: string }) => c.title)).toEqual(['Beta', 'Alpha', 'Gossip protocol']);
    expect(rc.body.continue.rccontinue).toMatch(/^\d{14}\|\d+$/);
  });

  it('logs in with a login token, answers NeedToken without one and Failed for a wrong password', async () => {
    const { app } = setup();
    const agent = request.agent(app);
    const need = await agent.post('/w/api.php').type('form').send({ action: 'login', lgname: 'Ann', lgpassword: password, format: 'json' });
    expect(need.body.login).toMatchObject({ result: 'NeedToken', token: expect.any(String) });
    const wrong = await agent.post('/w/api.php').type('form').send({ action: 'login', lgname: 'Ann', lgpassword: 'not it', lgtoken: need.body.login.token, format: 'json' });
    expect(wrong.body.login.result).toBe('Failed');
    const ok = await agent.post('/w/api.php').type('form').send({ action: 'login', lgname: 'Ann', lgpassword: password, lgtoken: need.body.login.token, format: 'json' });
    expect(ok.body.login).toMatchObject({ result: 'Success', lgusername: 'Ann' });
    const me = await agent.get('/w/api.php?action=query&meta=userinfo&uiprop=groups|rights&format=json&formatversion=2');
    expect(me.body.query.userinfo).toMatchObject({ name: 'Ann', groups: ['*', 'user'] });
    expect(me.body.query.userinfo.rights).toContain('edit');
  });
});

describe('action=edit', () => {
  it('refuses a cookie session without the token, and a wrong one, saving nothing', async () => {
    const { app, wiki } = setup();
    const { agent } = await apiLogin(app);
    const before = wiki.stores.pages.byTitle(parseTitle('Gossip protocol'))!.latestId;
    const none = await agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', text: 'x', format: 'json' });
    expect(none.body.error.code).toBe('missingparam');
    const wrong = await agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', text: 'x', token: 'forged+\\', format: 'json' });
    expect(wrong.body.error.code).toBe('badtoken');
    expect(wiki.stores.pages.byTitle(parseTitle('Gossip protocol'))!.latestId).toBe(before);
  });

  it('saves, merges a stale save that does not overlap, and answers editconflict for one that does', async () => {
    const { app, wiki, ids } = setup();
    const { agent, token } = await apiLogin(app);
    const base = ids.at(-1)!;
    const saved = await agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', text: 'First line, edited.\n\nSecond line.\n', summary: 's1', baserevid: String(base), token, format: 'json' });
    expect(saved.body.edit).toMatchObject({ result: 'Success', oldrevid: base, newrevid: expect.any(Number), title: 'Gossip protocol' });
    const merged = await agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', text: 'First line.\n\nSecond line, edited.\n', baserevid: String(base), token, format: 'json', formatversion: '2' });
    expect(merged.body.edit).toMatchObject({ result: 'Success', merged: true });
    expect(wiki.stores.content.get(wiki.stores.revisions.byId(merged.body.edit.newrevid)!.contentId)).toBe('First line, edited.\n\nSecond line, edited.\n');
    const conflict = await agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', text: 'First line, mine.\n\nSecond line.\n', baserevid: String(base), token, format: 'json' });
    expect(conflict.body.error.code).toBe('editconflict');
    expect(wiki.stores.pages.byTitle(parseTitle('Gossip protocol'))!.latestId).toBe(merged.body.edit.newrevid);
    const same = await agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', text: 'First line, edited.\n\nSecond line, edited.\n', token, format: 'json' });
    expect(same.body.edit).toMatchObject({ result: 'Success', nochange: '' });
  });

  it('appends, adds a new section, and honours createonly and nocreate', async () => {
    const { app, wiki } = setup();
    const { agent, token } = await apiLogin(app);
    const post = (fields: Record<string, string>) => agent.post('/w/api.php').type('form').send({ action: 'edit', token, format: 'json', ...fields });
    await post({ title: 'Gossip protocol', appendtext: 'Third line.\n' }).expect(200);
    const topic = await post({ title: 'Talk:Gossip protocol', section: 'new', sectiontitle: 'Sources', text: 'Which paper? ~~~~' });
    expect(topic.body.edit.result).toBe('Success');
    const talk = wiki.stores.content.get(wiki.stores.revisions.byId(topic.body.edit.newrevid)!.contentId);
    expect(talk).toMatch(/^## Sources\n\nWhich paper\? \[\[User:Ann\|Ann\]\]/);
    expect(wiki.stores.revisions.byId(topic.body.edit.newrevid)!.comment).toBe('/* Sources */ new section');
    expect((await post({ title: 'Gossip protocol', text: 'x', createonly: '1' })).body.error.code).toBe('articleexists');
    expect((await post({ title: 'Nowhere yet', text: 'x', nocreate: '1' })).body.error.code).toBe('missingtitle');
    expect(wiki.stores.content.get(wiki.stores.revisions.byId(wiki.stores.pages.byTitle(parseTitle('Gossip protocol'))!.latestId)!.contentId)).toBe('First line.\n\nSecond line.\nThird line.\n');
  });

  it('answers protectedpage, blocked and assertuserfailed in MediaWiki\'s codes', async () => {
    const { app, wiki, admin, ann } = setup();
    protectPage(wiki.stores, admin, parseTitle('Gossip protocol'), 'full', null, 'edit war');
    const { agent, token } = await apiLogin(app);
    const post = (fields: Record<string, string>) => agent.post('/w/api.php').type('form').send({ action: 'edit', token, format: 'json', ...fields });
    expect((await post({ title: 'Gossip protocol', text: 'x' })).body.error.code).toBe('protectedpage');
    blockTarget(wiki.stores, admin, ann.name, null, 'spam', { autoblock: false });
    const blocked = await post({ title: 'Elsewhere', text: 'x' });
    expect(blocked.body.error.code).toBe('blocked');
    expect(blocked.body.error.info).toContain('spam');
    const anon = await request(app).post('/w/api.php').type('form').send({ action: 'edit', title: 'Elsewhere', text: 'x', assert: 'user', format: 'json', token: '+\\' });
    expect(anon.body.error.code).toBe('assertuserfailed');
  });

  it('saves with a Bearer token without a CSRF token, as the JSON API does', async () => {
    const { app, wiki, ann } = setup();
    const res = await request(app).post('/w/api.php').set('authorization', `Bearer ${tokenFor(wiki, ann)}`).type('form').send({ action: 'edit', title: 'Bearer page', text: 'Hello.', format: 'json' });
    expect(res.body.edit).toMatchObject({ result: 'Success', new: '' });
    expect(wiki.stores.revisions.byId(res.body.edit.newrevid)!.actor.name).toBe('Ann');
  });

  it('undoes a revision, and answers invalidtitle, nosuchrevid and ratelimited in MediaWiki\'s codes', async () => {
    // A save limit of one a minute for new users, to meet it.
    const limited = makeTestApp({ saveLimit: 1 });
    createUser(limited.wiki, { name: 'Ann', password });
    const { agent, token } = await apiLogin(limited.app);
    const post = (fields: Record<string, string>) => agent.post('/w/api.php').type('form').send({ action: 'edit', token, format: 'json', formatversion: '2', ...fields });
    expect((await post({ title: 'Bad[title', text: 'x' })).body.error.code).toBe('invalidtitle');
    expect((await post({ title: 'First', text: 'one' })).body.edit.result).toBe('Success');
    const limit = await post({ title: 'Second', text: 'two' });
    expect(limit.body.error.code).toBe('ratelimited');
    expect(limited.wiki.stores.pages.byTitle(parseTitle('Second'))).toBeUndefined();

    const undoApp = setup();
    const u = await apiLogin(undoApp.app);
    const undo = await u.agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', undo: String(undoApp.ids.at(-1)), token: u.token, format: 'json' });
    expect(undo.body.edit.result).toBe('Success');
    expect(undoApp.wiki.stores.content.get(undoApp.wiki.stores.revisions.byId(undo.body.edit.newrevid)!.contentId)).toBe('Draft 4 of Gossip protocol.');
    const noSuch = await u.agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', undo: '99999', token: u.token, format: 'json' });
    expect(noSuch.body.error.code).toBe('nosuchrevid');
  });

  it('takes timestamps as YYYYMMDDHHMMSS and as ISO 8601 (rvstart, rvend, basetimestamp)', async () => {
    const { app, wiki, ids } = setup();
    const stamps = ids.map((id) => wiki.stores.revisions.byId(id)!.timestamp);
    const compact = (iso: string) => iso.slice(0, 19).replace(/\D/g, '');
    for (const end of [compact(stamps[0]!), `${stamps[0]!.slice(0, 19)}Z`]) {
      const res = await request(app).get('/w/api.php').query({ action: 'query', prop: 'revisions', titles: 'Gossip protocol', rvprop: 'ids', rvdir: 'newer', rvend: end, rvlimit: '10', format: 'json', formatversion: '2' });
      // Revisions saved within the same second as the first all count as "at or before" it.
      expect(res.body.query.pages[0].revisions.map((r: { revid: number }) => r.revid)).toContain(ids[0]);
    }
    const bad = await request(app).get('/w/api.php').query({ action: 'query', prop: 'revisions', titles: 'Gossip protocol', rvstart: 'yesterday-ish', rvlimit: '1', format: 'json' });
    expect(bad.body.error.code).toBe('badtimestamp');
  });

  it('answers pagedeleted when the page was deleted after the client started, unless told to recreate', async () => {
    const { app, wiki, admin } = setup();
    const { agent, token } = await apiLogin(app);
    const started = new Date(Date.now() - 2000).toISOString();
    deletePage(wiki.stores, admin, parseTitle('Gossip protocol'), 'spam');
    const post = (fields: Record<string, string>) => agent.post('/w/api.php').type('form').send({ action: 'edit', title: 'Gossip protocol', text: 'Back again.', starttimestamp: started, token, format: 'json', ...fields });
    expect((await post({})).body.error.code).toBe('pagedeleted');
    expect(wiki.stores.pages.byTitle(parseTitle('Gossip protocol'))).toBeUndefined();
    expect((await post({ recreate: '1' })).body.edit.result).toBe('Success');
  });
});
