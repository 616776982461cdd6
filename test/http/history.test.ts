import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, createUser, makeTestApp, revisionCount } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { applyEditScript } from '../../server/wiki/diff.js';

describe('history page', () => {
  it('lists revisions newest first with date, author, size, signed delta, summary, tags, minor and diff links', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice' });
    const t = parseTitle('H');
    const r1 = saveEdit(wiki.stores, { title: t, source: 'Hello there', comment: 'start <b>', baseId: null, actor: alice }).revision;
    const r2 = saveEdit(wiki.stores, { title: t, source: 'Hello', comment: 'trim', minor: true, baseId: r1.id, actor: alice }).revision;
    const res = await request(app).get('/wiki/H?action=history');
    expect(res.status).toBe(200);
    res.text = res.text.replace(/&amp;/g, '&');
    const i2 = res.text.indexOf(`?oldid=${r2.id}"`);
    const i1 = res.text.indexOf(`?oldid=${r1.id}"`);
    expect(i2).toBeGreaterThan(0);
    expect(i1).toBeGreaterThan(i2);
    expect(res.text).toContain('href="/special/contributions/Alice"');
    expect(res.text).toContain('(11 bytes)');
    expect(res.text).toContain('<span class="delta-neg">−6</span>');
    expect(res.text).toContain('<span class="delta-pos">+11</span>');
    expect(res.text).toContain('(start &lt;b&gt;)');
    expect(res.text).toContain('<span class="tag tag-new">new</span>');
    expect(res.text).toContain('<abbr class="minor"');
    expect(res.text).toContain(`href="/wiki/H?diff=${r2.id}&oldid=${r1.id}">prev</a>`);
    expect(res.text).toContain(`href="/wiki/H?diff=${r2.id}&oldid=${r1.id}">cur</a>`);
    expect(res.text).toMatch(/<form class="history-compare" method="get" action="\/wiki\/H"/);
    expect(res.text).toContain('<link rel="alternate" type="application/atom+xml" href="/wiki/H?action=history&format=atom"');
    expect(res.text).toContain(`name="oldid" value="${r1.id}"`);
    expect(res.text).toContain(`name="diff" value="${r2.id}"`);
  });

  it('pages by 50 with older and newer links', async () => {
    const { app, wiki } = makeTestApp();
    const ids = createPage(wiki, { title: 'Long', revisions: 55 });
    const first = await request(app).get('/wiki/Long?action=history');
    first.text = first.text.replace(/&amp;/g, '&');
    expect(first.text.match(/name="diff"/g)).toHaveLength(50);
    const older = ids[ids.length - 50]!;
    expect(first.text).toContain(`href="/wiki/Long?action=history&older_than=${older}&limit=50"`);
    const second = await request(app).get(`/wiki/Long?action=history&older_than=${older}`);
    expect(second.text.match(/name="diff"/g)).toHaveLength(5);
    expect(second.text).toContain('>Newest</a>');
    const offset = await request(app).get('/wiki/Long?action=history&offset=50');
    expect(offset.text.match(/name="diff"/g)).toHaveLength(5);
  });

  it('filters minor and anonymous edits', async () => {
    const { app, wiki } = makeTestApp();
    const [first] = createPage(wiki, { title: 'F' });
    saveEdit(wiki.stores, { title: parseTitle('F'), source: 'anon', baseId: first!, actor: 'temporary', ip: '192.0.2.1' });
    const res = await request(app).get('/wiki/F?action=history&filter=anonymous');
    expect(res.text.match(/name="diff"/g)).toHaveLength(1);
    expect(res.text).toContain('temp-user');
    const bad = await request(app).get('/wiki/F?action=history&filter=everything');
    expect(bad.status).toBe(400);
  });
});

describe('GET /api/v1/page/{T}/history', () => {
  it('pages newest first, 20 by default, with an older URL that continues', async () => {
    const { app, wiki } = makeTestApp();
    const ids = createPage(wiki, { title: 'Paged', revisions: 25 });
    const res = await request(app).get('/api/v1/page/Paged/history');
    expect(res.status).toBe(200);
    expect(res.body.revisions).toHaveLength(20);
    expect(res.body.revisions[0].id).toBe(ids[24]);
    expect(res.body.revisions[0]).toMatchObject({ minor: false, comment: 'edit 25', user: { name: 'Peerwiki' }, tags: ['blanking'] });
    expect(typeof res.body.revisions[0].delta).toBe('number');
    const next = await request(app).get(res.body.older);
    expect(next.body.revisions.map((r: { id: number }) => r.id)).toEqual(ids.slice(0, 5).reverse());
    expect(next.body.older).toBeUndefined();
  });

  it('caps limit at 100 and refuses bad ids and filters', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Capped', revisions: 3 });
    expect((await request(app).get('/api/v1/page/Capped/history?limit=5000')).status).toBe(200);
    expect((await request(app).get('/api/v1/page/Capped/history?older_than=x')).status).toBe(400);
    expect((await request(app).get('/api/v1/page/Capped/history?limit=0')).status).toBe(400);
    expect((await request(app).get('/api/v1/page/Capped/history?filter=nope')).status).toBe(400);
  });

  it('filters minor edits', async () => {
    const { app, wiki } = makeTestApp();
    const [first] = createPage(wiki, { title: 'Mi' });
    saveEdit(wiki.stores, { title: parseTitle('Mi'), source: 'minor change', minor: true, baseId: first!, actor: wiki.stores.actors.system() });
    const res = await request(app).get('/api/v1/page/Mi/history?filter=minor');
    expect(res.body.revisions).toHaveLength(1);
    expect(res.body.revisions[0].minor).toBe(true);
  });

  it('shows IP addresses of temporary accounts to admins only', async () => {
    const { app, wiki } = makeTestApp();
    saveEdit(wiki.stores, { title: parseTitle('Ip'), source: 'x', baseId: null, actor: 'temporary', ip: '192.0.2.9' });
    const admin = createUser(wiki, { role: 'admin' });
    const user = createUser(wiki);
    const { tokenFor } = await import('../helpers/app.js');
    const asAdmin = await request(app).get('/api/v1/page/Ip/history').set('authorization', `Bearer ${tokenFor(wiki, admin)}`);
    expect(asAdmin.body.revisions[0].ip).toBe('192.0.2.9');
    const asUser = await request(app).get('/api/v1/page/Ip/history').set('authorization', `Bearer ${tokenFor(wiki, user)}`);
    expect(asUser.body.revisions[0].ip).toBeUndefined();
    const anon = await request(app).get('/api/v1/page/Ip/history');
    expect(anon.body.revisions[0].ip).toBeUndefined();
  });
});

describe('comparing revisions in the browser', () => {
  function twoRevisions() {
    const t = makeTestApp();
    const a = 'Peer networks are open.\nSecond line.\n';
    const b = 'Peer networks are wide open.\nSecond line.\nThird line.\n';
    const [r1] = createPage(t.wiki, { title: 'D', source: a });
    const r2 = saveEdit(t.wiki.stores, { title: parseTitle('D'), source: b, comment: 'widen', baseId: r1!, actor: t.wiki.stores.actors.system() }).revision.id;
    return { ...t, r1: r1!, r2 };
  }

  it('shows side by side with word marks and both headers', async () => {
    const { app, r1, r2 } = twoRevisions();
    const res = await request(app).get(`/wiki/D?diff=${r2}&oldid=${r1}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<table class="diff diff-side">');
    expect(res.text).toContain('<ins>wide </ins>');
    expect(res.text).toContain(`href="/wiki/D?oldid=${r1}"`);
    expect(res.text).toContain(`href="/wiki/D?oldid=${r2}"`);
    expect(res.text).toContain('widen');
    expect(res.text).toContain('Third line.');
  });

  it('shows inline with &view=inline', async () => {
    const { app, r1, r2 } = twoRevisions();
    const res = await request(app).get(`/wiki/D?diff=${r2}&oldid=${r1}&view=inline`);
    expect(res.text).toContain('<table class="diff diff-inline">');
  });

  it.each([
    { name: 'diff alone compares with the parent', query: (r1: number, r2: number) => `diff=${r2}` },
    { name: 'diff=cur with oldid', query: (r1: number) => `diff=cur&oldid=${r1}` },
    { name: 'reversed order is put right', query: (r1: number, r2: number) => `diff=${r1}&oldid=${r2}` },
    { name: 'diff=prev with oldid', query: (_r1: number, r2: number) => `diff=prev&oldid=${r2}` },
  ])('$name', async ({ query }) => {
    const { app, r1, r2 } = twoRevisions();
    const res = await request(app).get(`/wiki/D?${query(r1, r2)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ins>wide </ins>');
  });

  it('folds long unchanged stretches into an expandable block', async () => {
    const { app, wiki } = makeTestApp();
    const lines = Array.from({ length: 40 }, (_, i) => `Line number ${i + 1}`);
    const [r1] = createPage(wiki, { title: 'Fold', source: lines.join('\n') });
    const changed = [...lines];
    changed[20] = 'Line number twenty-one, changed';
    const r2 = saveEdit(wiki.stores, { title: parseTitle('Fold'), source: changed.join('\n'), baseId: r1!, actor: wiki.stores.actors.system() }).revision.id;
    const res = await request(app).get(`/wiki/Fold?diff=${r2}&oldid=${r1}`);
    expect(res.text).toMatch(/<details><summary>Show 17 unchanged lines<\/summary>/);
  });

  it('marks a moved paragraph as moved on both sides', async () => {
    const { app, wiki } = makeTestApp();
    const p1 = 'The first paragraph talks about the early internet and its open standards process.';
    const p2 = 'The second paragraph is about Wikipedia and how volunteers write an encyclopedia.';
    const p3 = 'The third paragraph covers open source software and how maintainers review patches.';
    const [r1] = createPage(wiki, { title: 'Mv', source: [p1, p2, p3].join('\n\n') });
    const r2 = saveEdit(wiki.stores, { title: parseTitle('Mv'), source: [p2, p3, p1].join('\n\n'), baseId: r1!, actor: wiki.stores.actors.system() }).revision.id;
    const res = await request(app).get(`/wiki/Mv?diff=${r2}&oldid=${r1}`);
    expect(res.text).toMatch(/id="(m\w+)-from" href="#\1-to"/);
    expect(res.text).toMatch(/id="(m\w+)-to" href="#\1-from"/);
    const api = await request(app).get(`/api/v1/revision/${r1}/compare/${r2}`);
    const moved = api.body.diff.filter((d: { move_id?: string }) => d.move_id);
    expect(moved.map((d: { type: string }) => d.type).sort()).toEqual(['add', 'delete']);
    expect(moved[0].move_id).toBe(moved[1].move_id);
  });

  it.each([
    { name: 'revision of another page', status: 400 },
    { name: 'unknown revision', status: 404 },
    { name: 'non-numeric diff', status: 400 },
  ])('$name → $status', async ({ name, status }) => {
    const { app, wiki, r1, logged } = twoRevisions();
    const [other] = createPage(wiki, { title: 'Other' });
    const q = name === 'revision of another page' ? `diff=${other}&oldid=${r1}` : name === 'unknown revision' ? `diff=999&oldid=${r1}` : 'diff=abc';
    const res = await request(app).get(`/wiki/D?${q}`);
    expect(res.status).toBe(status);
    expect(logged).toEqual([]);
  });
});

describe('GET /api/v1/revision/{from}/compare/{to}', () => {
  it('answers a complete edit script with change highlights', async () => {
    const { app, wiki } = makeTestApp();
    const a = 'one\ntwo apples\nthree\n';
    const b = 'zero\none\ntwo pears\nthree\n';
    const [r1] = createPage(wiki, { title: 'C', source: a });
    const r2 = saveEdit(wiki.stores, { title: parseTitle('C'), source: b, baseId: r1!, actor: wiki.stores.actors.system() }).revision.id;
    const res = await request(app).get(`/api/v1/revision/${r1}/compare/${r2}`);
    expect(res.status).toBe(200);
    expect(res.body.from).toEqual({ id: r1 });
    expect(res.body.to).toEqual({ id: r2 });
    expect(applyEditScript(a, res.body.diff)).toBe(b);
    const change = res.body.diff.find((d: { type: string }) => d.type === 'change');
    expect(change).toMatchObject({ text: 'two pears', old_text: 'two apples', from_line: 2, to_line: 3 });
    expect(change.highlight_ranges).toEqual(expect.arrayContaining([{ start: 4, length: 5, type: 'add' }, { start: 4, length: 6, type: 'delete' }]));
    expect(res.body.diff.find((d: { type: string }) => d.type === 'add')).toMatchObject({ text: 'zero', to_line: 1 });
  });

  it('applies exactly on many random pairs of revisions through HTTP', async () => {
    const { app, wiki } = makeTestApp();
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const words = ['peer', 'network', 'open', 'web', '', 'mail', 'wiki'];
    const text = () => Array.from({ length: Math.floor(rand() * 8) }, () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => words[Math.floor(rand() * words.length)]).join(' ')).join('\n') + (rand() < 0.5 ? '\n' : '');
    const title = parseTitle('Random');
    const sources: string[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const s = text() + `#${i}`;
      ids.push(saveEdit(wiki.stores, { title, source: s, baseId: ids.at(-1) ?? null, actor: wiki.stores.actors.system() }).revision.id);
      sources.push(s);
    }
    for (let k = 0; k < 40; k++) {
      const i = Math.floor(rand() * ids.length);
      const j = Math.floor(rand() * ids.length);
      const res = await request(app).get(`/api/v1/revision/${ids[i]}/compare/${ids[j]}`);
      expect(res.status).toBe(200);
      expect(applyEditScript(sources[i]!, res.body.diff)).toBe(sources[j]);
    }
  });

  it.each([
    { name: 'ids of two pages', path: (a: number, b: number) => `/api/v1/revision/${a}/compare/${b}`, status: 400 },
    { name: 'unknown from', path: (_a: number, b: number) => `/api/v1/revision/999/compare/${b}`, status: 404 },
    { name: 'non-numeric to', path: (a: number) => `/api/v1/revision/${a}/compare/x`, status: 400 },
    { name: 'zero', path: (a: number) => `/api/v1/revision/0/compare/${a}`, status: 400 },
  ])('$name → $status', async ({ path, status }) => {
    const { app, wiki, logged } = makeTestApp();
    const [a] = createPage(wiki, { title: 'One' });
    const [b] = createPage(wiki, { title: 'Two' });
    const res = await request(app).get(path(a!, b!));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBeTruthy();
    expect(logged).toEqual([]);
  });
});

describe('blame', () => {
  it('GET /api/v1/page/{T}/blame credits runs to revisions, a revert back to first writers', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice' });
    const vandal = createUser(wiki, { name: 'Vandal' });
    const t = parseTitle('B');
    const r1 = saveEdit(wiki.stores, { title: t, source: 'Alice wrote this.\nAnd this.', baseId: null, actor: alice }).revision.id;
    const r2 = saveEdit(wiki.stores, { title: t, source: 'spam spam spam', baseId: r1, actor: vandal }).revision.id;
    const r3 = saveEdit(wiki.stores, { title: t, source: 'Alice wrote this.\nAnd this.', baseId: r2, actor: vandal }).revision.id;
    const res = await request(app).get('/api/v1/page/B/blame');
    expect(res.status).toBe(200);
    expect(res.body.revision).toEqual({ id: r3 });
    expect(res.body.blocks).toEqual([{ from_line: 1, lines: 2, revision: { id: r1, timestamp: expect.any(String), user: { id: alice.id, name: 'Alice' } } }]);
    const view = await request(app).get('/wiki/B?action=blame');
    expect(view.status).toBe(200);
    expect(view.text).toContain(`href="/wiki/B?diff=${r1}">revision ${r1}</a>`);
    expect(view.text).toContain('Alice wrote this.\nAnd this.</pre>');
  });

  it('puts the writer of each paragraph on it in the read view', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice' });
    const bob = createUser(wiki, { name: 'Bob' });
    const t = parseTitle('Hover');
    const r1 = saveEdit(wiki.stores, { title: t, source: 'Para by Alice.\n\nAnother by Alice.', baseId: null, actor: alice }).revision.id;
    const r2 = saveEdit(wiki.stores, { title: t, source: 'Para by Alice.\n\nNow Bob wrote this.', baseId: r1, actor: bob }).revision.id;
    const res = await request(app).get('/wiki/Hover');
    expect(res.text).toContain(`<p data-blame="Written by Alice (revision ${r1})" title="Written by Alice (revision ${r1})">Para by Alice.</p>`);
    expect(res.text).toContain(`<p data-blame="Written by Bob (revision ${r2})"`);
  });

  it('answers 404 for a missing page', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/api/v1/page/Nope/blame')).status).toBe(404);
  });
});

describe('resolving an edit conflict hunk by hunk', () => {
  async function conflicted() {
    const t = makeTestApp();
    const base = 'intro\nfirst\nmiddle\nsecond\nend\n';
    const [r1] = createPage(t.wiki, { title: 'X', source: base });
    const theirs = saveEdit(t.wiki.stores, { title: parseTitle('X'), source: 'intro\nTHEIR first\nmiddle\nTHEIR second\nend\nTHEIR tail\n', baseId: r1!, actor: t.wiki.stores.actors.system() }).revision.id;
    const { agent, csrf } = await browser(t.app);
    const mine = 'intro\nMY first\nmiddle\nMY second\nend\n';
    const res = await agent.post('/wiki/X?action=submit').type('form').send({ source: mine, summary: 'mine', base: String(r1), csrf });
    return { ...t, agent, csrf, r1: r1!, theirs, mine, res };
  }

  it('offers keep mine / keep theirs / edit by hand for each conflicting hunk', async () => {
    const { res, theirs } = await conflicted();
    expect(res.status).toBe(409);
    expect(res.text).toContain('name="choice-0" value="mine" checked');
    expect(res.text).toContain('name="choice-0" value="theirs"');
    expect(res.text).toContain('name="choice-1" value="hand"');
    expect(res.text).toContain('name="hand-1"');
    expect(res.text).toContain(`<input type="hidden" name="base" value="${theirs}">`);
  });

  it('saves the chosen merge: theirs for one hunk, by hand for the other, clean lines merged', async () => {
    const { agent, csrf, r1, theirs, mine, wiki } = await conflicted();
    const res = await agent.post('/wiki/X?action=submit').type('form').send({
      do: 'resolve', csrf, base: String(theirs), conflict_base: String(r1), mine, summary: 'merged',
      'choice-0': 'theirs', 'choice-1': 'hand', 'hand-1': 'BOTH second\r\nand more',
    });
    expect(res.status).toBe(303);
    const raw = await agent.get('/wiki/X?action=raw');
    expect(raw.text).toBe('intro\nTHEIR first\nmiddle\nBOTH second\nand more\nend\nTHEIR tail\n');
    const latest = wiki.stores.pages.byTitle(parseTitle('X'))!;
    expect(wiki.stores.revisions.byId(latest.latestId)!.comment).toBe('merged');
  });

  it('keeps the text when the resolution names a revision of another page', async () => {
    const { agent, csrf, theirs, mine, wiki } = await conflicted();
    const [other] = createPage(wiki, { title: 'Elsewhere' });
    const before = revisionCount(wiki);
    const res = await agent.post('/wiki/X?action=submit').type('form').send({ do: 'resolve', csrf, base: String(theirs), conflict_base: String(other), mine });
    expect(res.status).toBe(404);
    expect(res.text).toContain('MY first\nmiddle\nMY second');
    expect(revisionCount(wiki)).toBe(before);
  });
});
