import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, createUser, makeTestApp } from '../../helpers/app.js';
import { parseTitle } from '../../../server/wiki/title.js';

const password = 'correct horse battery';

function setup() {
  const t = makeTestApp();
  createUser(t.wiki, { name: 'Admin', role: 'admin', password });
  createUser(t.wiki, { name: 'Ann', password });
  const ids = createPage(t.wiki, { title: 'Gossip protocol', source: 'Nodes tell [[Neighbours]] what they heard.\n\n[[Category:Protocols]]\n', revisions: 2 });
  createPage(t.wiki, { title: 'Neighbours', source: 'Peers near you. See [[Gossip protocol]].\n' });
  return { ...t, ids };
}

async function apiLogin(app: ReturnType<typeof setup>['app'], name: string) {
  const agent = request.agent(app);
  const lgtoken = (await agent.get('/w/api.php?action=query&meta=tokens&type=login&format=json')).body.query.tokens.logintoken as string;
  expect((await agent.post('/w/api.php').type('form').send({ action: 'login', lgname: name, lgpassword: password, lgtoken, format: 'json' })).body.login.result).toBe('Success');
  const token = (await agent.get('/w/api.php?action=query&meta=tokens&format=json')).body.query.tokens.csrftoken as string;
  const post = (fields: Record<string, string>) => agent.post('/w/api.php').type('form').send({ token, format: 'json', formatversion: '2', ...fields });
  return { agent, token, post };
}

describe('action=parse and action=compare', () => {
  it('renders a stored page and any Markdown, with its links and categories', async () => {
    const { app } = setup();
    const page = await request(app).get('/w/api.php').query({ action: 'parse', page: 'Gossip protocol', format: 'json', formatversion: '2' });
    expect(page.body.parse).toMatchObject({ title: 'Gossip protocol', categories: [{ sortkey: '', category: 'Protocols' }], links: [{ ns: 0, exists: true, title: 'Neighbours' }] });
    expect(page.body.parse.text).toContain('href="/wiki/Neighbours"');
    const text = await request(app).get('/w/api.php').query({ action: 'parse', text: '**bold** <script>alert(1)</script> [[Nowhere]]', title: 'Sandbox', format: 'json' });
    expect(text.body.parse.text['*']).toContain('<strong>bold</strong>');
    expect(text.body.parse.text['*']).not.toContain('<script>');
    expect(text.body.parse.links).toEqual([{ ns: 0, '*': 'Nowhere' }]);
    const missing = await request(app).get('/w/api.php').query({ action: 'parse', page: 'No such page', format: 'json' });
    expect(missing.body.error.code).toBe('missingtitle');
  });

  it('compares two revisions as diff table rows', async () => {
    const { app, ids } = setup();
    const res = await request(app).get('/w/api.php').query({ action: 'compare', fromrev: String(ids[0]), torev: String(ids[1]), format: 'json', formatversion: '2' });
    expect(res.body.compare).toMatchObject({ fromrevid: ids[0], torevid: ids[1], totitle: 'Gossip protocol' });
    expect(res.body.compare.body).toContain('diff-deleted');
    const bad = await request(app).get('/w/api.php').query({ action: 'compare', fromrev: '999', torev: String(ids[1]), format: 'json' });
    expect(bad.body.error.code).toBe('nosuchrevid');
  });
});

describe('lists: search and user contributions', () => {
  it('searches text (and titles with srwhat=title) and pages through with sroffset', async () => {
    const { app } = setup();
    const res = await request(app).get('/w/api.php').query({ action: 'query', list: 'search', srsearch: 'heard', format: 'json', formatversion: '2' });
    expect(res.body.query.search.map((s: { title: string }) => s.title)).toEqual(['Gossip protocol']);
    expect(res.body.query.search[0].snippet).toContain('<span class="searchmatch">heard</span>');
    const titles = await request(app).get('/w/api.php').query({ action: 'query', list: 'search', srsearch: 'Neigh', srwhat: 'title', format: 'json', formatversion: '2' });
    expect(titles.body.query.search.map((s: { title: string }) => s.title)).toEqual(['Neighbours']);
    const first = await request(app).get('/w/api.php').query({ action: 'query', list: 'search', srsearch: 'gossip', srlimit: '1', format: 'json', formatversion: '2' });
    expect(first.body.continue).toMatchObject({ sroffset: '1' });
    const next = await request(app).get('/w/api.php').query({ action: 'query', list: 'search', srsearch: 'gossip', srlimit: '1', format: 'json', formatversion: '2', ...first.body.continue });
    expect(next.body.query.search).toHaveLength(1);
    expect(next.body.query.search[0].title).not.toBe(first.body.query.search[0].title);
  });

  it('lists an account\'s contributions newest first with continue', async () => {
    const { app } = setup();
    const { post } = await apiLogin(app, 'Ann');
    for (const t of ['One', 'Two', 'Three']) await post({ action: 'edit', title: t, text: `Page ${t}.` });
    const first = await request(app).get('/w/api.php').query({ action: 'query', list: 'usercontribs', ucuser: 'Ann', uclimit: '2', format: 'json', formatversion: '2' });
    expect(first.body.query.usercontribs.map((u: { title: string }) => u.title)).toEqual(['Three', 'Two']);
    expect(first.body.query.usercontribs[0]).toMatchObject({ user: 'Ann', new: true, top: true });
    const next = await request(app).get('/w/api.php').query({ action: 'query', list: 'usercontribs', ucuser: 'Ann', uclimit: '2', format: 'json', formatversion: '2', ...first.body.continue });
    expect(next.body.query.usercontribs.map((u: { title: string }) => u.title)).toEqual(['One']);
  });
});

describe('links, categories, the log, and generators', () => {
  it('gives a page\'s links and categories, what links to a page, and a category\'s members', async () => {
    const { app } = setup();
    const q = (fields: Record<string, string>) => request(app).get('/w/api.php').query({ action: 'query', format: 'json', formatversion: '2', ...fields });
    const props = await q({ prop: 'links|categories', titles: 'Gossip protocol' });
    expect(props.body.query.pages[0]).toMatchObject({ links: [{ ns: 0, title: 'Neighbours' }], categories: [{ ns: 14, title: 'Category:Protocols' }] });
    const back = await q({ list: 'backlinks', bltitle: 'Neighbours' });
    expect(back.body.query.backlinks).toEqual([{ pageid: expect.any(Number), ns: 0, title: 'Gossip protocol' }]);
    const members = await q({ list: 'categorymembers', cmtitle: 'Category:Protocols' });
    expect(members.body.query.categorymembers.map((m: { title: string }) => m.title)).toEqual(['Gossip protocol']);
    expect((await q({ list: 'categorymembers', cmtitle: 'Protocols' })).body.error.code).toBe('invalidcategory');
  });

  it('runs a list as a generator of the query\'s pages, with its own continue', async () => {
    const { app } = setup();
    const q = (fields: Record<string, string>) => request(app).get('/w/api.php').query({ action: 'query', format: 'json', formatversion: '2', ...fields });
    const first = await q({ generator: 'allpages', gaplimit: '1', prop: 'revisions', rvprop: 'content', rvslots: 'main' });
    expect(first.body.query.pages).toEqual([expect.objectContaining({ title: 'Gossip protocol', revisions: [expect.objectContaining({ slots: { main: expect.objectContaining({ content: expect.stringContaining('Nodes tell') }) } })] })]);
    expect(first.body.continue).toMatchObject({ gapcontinue: 'Neighbours' });
    const next = await q({ generator: 'allpages', gaplimit: '1', prop: 'info', ...first.body.continue });
    expect(next.body.query.pages.map((pg: { title: string }) => pg.title)).toEqual(['Neighbours']);
    const cat = await q({ generator: 'categorymembers', gcmtitle: 'Category:Protocols', prop: 'info' });
    expect(cat.body.query.pages.map((pg: { title: string }) => pg.title)).toEqual(['Gossip protocol']);
    const search = await q({ generator: 'search', gsrsearch: 'peers', prop: 'info' });
    expect(search.body.query.pages.map((pg: { title: string }) => pg.title)).toEqual(['Neighbours']);
  });

  it('lists log events, newest first, by type', async () => {
    const { app } = setup();
    const admin = await apiLogin(app, 'Admin');
    await admin.post({ action: 'protect', title: 'Gossip protocol', protections: 'edit=sysop', reason: 'vandalism' });
    await admin.post({ action: 'delete', title: 'Neighbours', reason: 'merged' });
    const all = await request(app).get('/w/api.php').query({ action: 'query', list: 'logevents', format: 'json', formatversion: '2' });
    expect(all.body.query.logevents.map((e: { type: string; action: string; title: string }) => [e.type, e.action, e.title])).toEqual([['delete', 'delete', 'Neighbours'], ['protect', 'protect', 'Gossip protocol']]);
    const protects = await request(app).get('/w/api.php').query({ action: 'query', list: 'logevents', letype: 'protect', format: 'json', formatversion: '2' });
    expect(protects.body.query.logevents).toEqual([expect.objectContaining({ user: 'Admin', comment: 'vandalism' })]);
  });
});

describe('admin actions', () => {
  it('protects, moves, deletes and undeletes as an admin, and refuses the same to others', async () => {
    const { app, wiki } = setup();
    const ann = await apiLogin(app, 'Ann');
    expect((await ann.post({ action: 'protect', title: 'Gossip protocol', protections: 'edit=sysop' })).body.error.code).toBe('permissiondenied');
    const admin = await apiLogin(app, 'Admin');
    const protect = await admin.post({ action: 'protect', title: 'Gossip protocol', protections: 'edit=autoconfirmed|move=sysop', expiry: '1 week', reason: 'spam' });
    expect(protect.body.protect).toMatchObject({ title: 'Gossip protocol', protections: [{ edit: 'autoconfirmed' }, { move: 'autoconfirmed' }] });
    expect(wiki.stores.protection.get(wiki.stores.pages.byTitle(parseTitle('Gossip protocol'))!.id, new Date().toISOString())?.level).toBe('semi');
    const info = await request(app).get('/w/api.php').query({ action: 'query', prop: 'info', inprop: 'protection', titles: 'Gossip protocol', format: 'json', formatversion: '2' });
    expect(info.body.query.pages[0].protection).toEqual([{ type: 'edit', level: 'autoconfirmed', expiry: expect.stringMatching(/Z$/) }]);
    await admin.post({ action: 'protect', title: 'Gossip protocol', protections: 'edit=all' }).expect(200);

    const move = await admin.post({ action: 'move', from: 'Neighbours', to: 'Neighbors', reason: 'spelling' });
    expect(move.body.move).toMatchObject({ from: 'Neighbours', to: 'Neighbors', redirectcreated: true });
    const del = await admin.post({ action: 'delete', title: 'Neighbors', reason: 'test' });
    expect(del.body.delete).toMatchObject({ title: 'Neighbors' });
    expect(wiki.stores.pages.byTitle(parseTitle('Neighbors'))).toBeUndefined();
    const undel = await admin.post({ action: 'undelete', title: 'Neighbors', reason: 'back' });
    expect(undel.body.undelete).toMatchObject({ title: 'Neighbors', revisions: 1 });
    expect(wiki.stores.pages.byTitle(parseTitle('Neighbors'))).toBeDefined();
    expect((await admin.post({ action: 'delete', title: 'Nothing here' })).body.error.code).toBe('missingtitle');
  });

  it('blocks and unblocks with MediaWiki\'s flags; the block holds for the API\'s own edits', async () => {
    const { app, wiki } = setup();
    const admin = await apiLogin(app, 'Admin');
    const ann = await apiLogin(app, 'Ann');
    const block = await admin.post({ action: 'block', user: 'Ann', expiry: '2 days', reason: 'edit warring', allowusertalk: '1' });
    expect(block.body.block).toMatchObject({ user: 'Ann', reason: 'edit warring', allowusertalk: true });
    expect(block.body.block.autoblock).toBeUndefined();
    expect((await ann.post({ action: 'edit', title: 'Elsewhere', text: 'x' })).body.error.code).toBe('blocked');
    expect((await ann.post({ action: 'edit', title: 'User talk:Ann', text: 'Please unblock me.' })).body.edit.result).toBe('Success');
    const me = await ann.agent.get('/w/api.php?action=query&meta=userinfo&uiprop=blockinfo&format=json&formatversion=2');
    expect(me.body.query.userinfo).toMatchObject({ blockid: block.body.block.id, blockedby: 'Admin', blockreason: 'edit warring' });
    const lifted = await admin.post({ action: 'unblock', user: 'Ann', reason: 'talked it over' });
    expect(lifted.body.unblock).toMatchObject({ id: block.body.block.id, user: 'Ann' });
    expect((await ann.post({ action: 'edit', title: 'Elsewhere', text: 'x' })).body.edit.result).toBe('Success');
    expect((await admin.post({ action: 'unblock', user: 'Ann' })).body.error.code).toBe('cantunblock');
    expect(wiki.stores.log.list({ type: 'block', limit: 10 }).map((e) => e.action)).toEqual(['unblock', 'block']);
  });
});
