import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createUser, loggedInBrowser, makeTestApp, revisionCount } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';
import type { Wiki } from '../../server/bootstrap.js';

const password = 'correct horse battery';

function setup() {
  const t = makeTestApp();
  const alice = createUser(t.wiki, { name: 'Alice' });
  const vandal = createUser(t.wiki, { name: 'Vandal' });
  createUser(t.wiki, { name: 'Admin', role: 'admin', password });
  return { ...t, alice, vandal };
}

function save(wiki: Wiki, title: string, actor: Actor | 'temporary', source: string, ip?: string) {
  const t = parseTitle(title);
  return saveEdit(wiki.stores, { title: t, source, baseId: wiki.stores.pages.byTitle(t)?.latestId ?? null, actor, ip }).revision;
}

const asAdmin = (app: Parameters<typeof browser>[0]) => loggedInBrowser(app, 'Admin', password);

describe('undo, restore and rollback in the browser', () => {
  it('asks for confirmation on a page of its own, showing the change, then undoes on POST', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'P', alice, 'good line\nsecond line\n');
    const bad = save(wiki, 'P', vandal, 'good line\nSPAM\n');
    const { agent, csrf } = await browser(app);
    const confirm = await agent.get(`/wiki/P?action=undo&rev=${bad.id}`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`action="/wiki/P?action=undo&amp;rev=${bad.id}"`);
    expect(confirm.text).toContain('<table class="diff');
    expect(revisionCount(wiki)).toBe(2);
    const res = await agent.post(`/wiki/P?action=undo&rev=${bad.id}`).type('form').send({ csrf, summary: 'spam' });
    expect(res.status).toBe(303);
    expect((await agent.get('/wiki/P?action=raw')).text).toBe('good line\nsecond line\n');
  });

  it('with htmx, posts straight from the link and answers HX-Redirect', async () => {
    const { app, wiki, alice, vandal } = setup();
    const good = save(wiki, 'P', alice, 'good');
    save(wiki, 'P', vandal, 'bad');
    const { agent, csrf } = await browser(app);
    const res = await agent.post(`/wiki/P?action=revert&to=${good.id}`).set('hx-request', 'true').set('x-csrf-token', csrf);
    expect(res.status).toBe(200);
    expect(res.headers['hx-redirect']).toBe('/wiki/P');
    expect((await agent.get('/wiki/P?action=raw')).text).toBe('good');
  });

  it('with htmx, says in place of the link when the save limit is reached, and saves nothing', async () => {
    const t = makeTestApp({ saveLimit: 1 });
    const alice = createUser(t.wiki, { name: 'Alice' });
    const vandal = createUser(t.wiki, { name: 'Vandal' });
    const good = save(t.wiki, 'P', alice, 'good');
    const bad = save(t.wiki, 'P', vandal, 'bad');
    const { agent, csrf } = await browser(t.app);
    const hx = (path: string) => agent.post(path).set('hx-request', 'true').set('x-csrf-token', csrf).set('x-wiki-actor', '0');
    expect((await hx(`/wiki/P?action=undo&rev=${bad.id}`)).headers['hx-redirect']).toBe('/wiki/P');
    const count = revisionCount(t.wiki);
    const res = await hx(`/wiki/P?action=revert&to=${good.id}`);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers['hx-reswap']).toBe('outerHTML');
    expect(res.headers['hx-redirect']).toBeUndefined();
    expect(res.text).toMatch(/^<span class="action-note" role="alert">Not done: too many edits in a minute\. Wait \d+ s/);
    expect(revisionCount(t.wiki)).toBe(count);
  });

  it('with htmx, refuses an act clicked on a page shown to another account, and shows the confirmation instead', async () => {
    const { app, wiki, alice, vandal } = setup();
    const good = save(wiki, 'P', alice, 'good');
    save(wiki, 'P', vandal, 'bad');
    const { agent, csrf } = await asAdmin(app);
    const page = await agent.get('/wiki/P?action=history');
    const admin = wiki.stores.actors.byName('Admin')!;
    expect(page.text).toContain(`&quot;X-Wiki-Actor&quot;:&quot;${admin.id}&quot;`);
    const count = revisionCount(wiki);
    // The link was rendered for Alice (another tab logged in as her, say); Admin is logged in now.
    const res = await agent.post(`/wiki/P?action=revert&to=${good.id}`).set('hx-request', 'true').set('x-csrf-token', csrf).set('x-wiki-actor', String(alice.id));
    expect(res.status).toBe(200);
    expect(res.headers['hx-redirect']).toBe(`/wiki/P?action=revert&to=${good.id}`);
    expect(revisionCount(wiki)).toBe(count);
    const same = await agent.post(`/wiki/P?action=revert&to=${good.id}`).set('hx-request', 'true').set('x-csrf-token', csrf).set('x-wiki-actor', String(admin.id));
    expect(same.headers['hx-redirect']).toBe('/wiki/P');
    expect(revisionCount(wiki)).toBe(count + 1);
  });

  it('offers undo, restore and (to admins) rollback links that open their confirmation in place, in history and on diffs', async () => {
    const { app, wiki, alice, vandal } = setup();
    const good = save(wiki, 'P', alice, 'good');
    const bad = save(wiki, 'P', vandal, 'bad');
    const anon = await request(app).get('/wiki/P?action=history');
    // No bare confirm(): htmx fetches the confirmation page's panel (diff and summary) next to the link.
    expect(anon.text).toContain(`href="/wiki/P?action=undo&amp;rev=${bad.id}" hx-get="/wiki/P?action=undo&amp;rev=${bad.id}" hx-select=".revert-panel" hx-target="this" hx-swap="afterend" hx-trigger="click once"`);
    expect(anon.text).not.toContain('hx-confirm');
    const panel = await request(app).get(`/wiki/P?action=undo&rev=${bad.id}`).set('HX-Request', 'true');
    expect(panel.text).toMatch(/<section class="revert-panel"[\s\S]*name="summary"[\s\S]*<table class="diff[\s\S]*<\/section>/);
    expect(anon.text).toContain(`href="/wiki/P?action=revert&amp;to=${good.id}"`);
    expect(anon.text).not.toContain('action=rollback');
    const { agent } = await asAdmin(app);
    expect((await agent.get('/wiki/P?action=history')).text).toContain('href="/wiki/P?action=rollback&amp;from=Vandal"');
    const diff = await agent.get(`/wiki/P?diff=${bad.id}`);
    expect(diff.text).toContain(`?action=undo&amp;rev=${bad.id}`);
    expect(diff.text).toContain('href="/wiki/P?action=rollback&amp;from=Vandal"');
    expect((await agent.get(`/wiki/P?oldid=${good.id}`)).text).toContain(`?action=revert&amp;to=${good.id}`);
  });

  it('shows a conflicting undo on its confirmation page and saves nothing', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'C', alice, 'one\ntwo\nthree\n');
    const bad = save(wiki, 'C', vandal, 'one\nSPAM\nthree\n');
    save(wiki, 'C', alice, 'one\nSPAM fixed\nthree\n');
    const { agent, csrf } = await browser(app);
    const before = revisionCount(wiki);
    const page = await agent.get(`/wiki/C?action=undo&rev=${bad.id}`);
    expect(page.status).toBe(409);
    expect(page.text).toContain('cannot be undone automatically');
    const post = await agent.post(`/wiki/C?action=undo&rev=${bad.id}`).type('form').send({ csrf });
    expect(post.status).toBe(409);
    expect(revisionCount(wiki)).toBe(before);
  });

  it('rolls back from the browser for admins, and refuses others without changing anything', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'R', alice, 'fine');
    save(wiki, 'R', vandal, 'bad');
    const anon = await browser(app);
    const before = revisionCount(wiki);
    expect((await anon.agent.post('/wiki/R?action=rollback').type('form').send({ csrf: anon.csrf })).status).toBe(401);
    expect(revisionCount(wiki)).toBe(before);
    const { agent, csrf } = await asAdmin(app);
    const confirm = await agent.get('/wiki/R?action=rollback');
    expect(confirm.text).toContain('reverts 1 consecutive edit by Vandal');
    await agent.post('/wiki/R?action=rollback').type('form').send({ csrf }).expect(303);
    expect((await agent.get('/wiki/R?action=raw')).text).toBe('fine');
  });

  it('refuses undo without a CSRF token', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'P', alice, 'good');
    const bad = save(wiki, 'P', vandal, 'bad');
    const { agent } = await browser(app);
    expect((await agent.post(`/wiki/P?action=undo&rev=${bad.id}`).type('form').send({})).status).toBe(403);
    expect(revisionCount(wiki)).toBe(2);
  });
});

describe('recent changes', () => {
  it('groups by day, links diff and history, shows size change, tags and risk, filters', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'One', alice, 'first text that is comfortably long enough');
    save(wiki, 'One', vandal, 'x');
    save(wiki, 'Help:Two', alice, 'help text');
    const res = await request(app).get('/special/recent-changes');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<h2 class="changes-day">\d+ \w+ \d{4}<\/h2>/);
    expect(res.text).toMatch(/href="\/wiki\/One\?diff=\d+&amp;oldid=\d+">diff<\/a> \| <a href="\/wiki\/One\?action=history">hist<\/a>/);
    expect(res.text).toContain('tag-blanking');
    // Risk is for patrollers: readers see the tags only.
    expect(res.text).not.toMatch(/class="risk /);
    expect(res.text).not.toContain('blanks the page');
    expect(res.text).not.toContain('name="min_risk"');
    expect(res.text).toContain('<span class="delta-neg">');
    const help = await request(app).get('/special/recent-changes?namespace=Help');
    expect(help.text).toContain('Help:Two');
    expect(help.text).not.toContain('>One</a>');
    expect((await request(app).get('/special/recent-changes?min_risk=40')).status).toBe(403);
    const { agent } = await asAdmin(app);
    const patrolled = await agent.get('/special/recent-changes');
    expect(patrolled.text).toMatch(/class="risk risk-\w+" title="[^"]*blanks the page/);
    expect(patrolled.text).toContain('name="min_risk"');
    const risky = await agent.get('/special/recent-changes?min_risk=40');
    expect(risky.status).toBe(200);
    expect(risky.text).not.toContain('Help:Two');
    const bad = await agent.get('/special/recent-changes?min_risk=500');
    expect(bad.status).toBe(400);
  });

  it('shows risk beside edits in history and diffs to admins only; readers see the tags', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'One', alice, 'first text that is comfortably long enough');
    save(wiki, 'One', vandal, 'x');
    for (const path of ['/wiki/One?action=history', '/special/contributions/Vandal']) {
      const reader = await request(app).get(path);
      expect(reader.text, path).toContain('tag-blanking');
      expect(reader.text, path).not.toContain('blanks the page');
      const { agent } = await asAdmin(app);
      expect((await agent.get(path)).text, path).toMatch(/class="risk risk-\w+" title="[^"]*blanks the page/);
    }
  });

  it('shows a rollback link to admins only', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'One', alice, 'first');
    save(wiki, 'One', vandal, 'second');
    expect((await request(app).get('/special/recent-changes')).text).not.toContain('action=rollback');
    const { agent } = await asAdmin(app);
    expect((await agent.get('/special/recent-changes')).text).toContain('href="/wiki/One?action=rollback&amp;from=Vandal"');
  });

  it('is a valid Atom feed with ?format=atom, and contributions have one too', async () => {
    const { app, wiki, alice } = setup();
    save(wiki, 'Feed & "quotes"', alice, 'text');
    const res = await request(app).get('/special/recent-changes?format=atom');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/atom\+xml/);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>/i);
    expect(res.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(res.text).toContain('<title type="text">Feed &amp; &quot;quotes&quot;</title>');
    expect(res.text).toMatch(/<entry>[\s\S]*<id>http:\/\/127\.0\.0\.1:3000\/wiki\/Feed_%26_%22quotes%22\?oldid=\d+<\/id>/);
    const contrib = await request(app).get('/special/contributions/Alice?format=atom');
    expect(contrib.headers['content-type']).toMatch(/application\/atom\+xml/);
    expect(contrib.text).toContain('Contributions of Alice');
    expect(contrib.text).toContain('<name>Alice</name>');
  });
});

describe('the review queue', () => {
  it('lists unreviewed edits riskiest first, with a diff link (htmx and plain)', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'Calm', alice, 'calm text, long enough to count as a real page');
    save(wiki, 'Hot', alice, 'hot page text, long enough to count as a real page');
    const blank = save(wiki, 'Hot', 'temporary', 'x', '198.51.100.7');
    const small = save(wiki, 'Calm', vandal, 'calm text, long enough to count as a real page!');
    const res = await request(app).get('/special/review');
    expect(res.status).toBe(200);
    expect(res.text.indexOf(`review-${blank.id}"`)).toBeLessThan(res.text.indexOf(`review-${small.id}"`));
    expect(res.text).toContain(`hx-get="/wiki/Hot?diff=${blank.id}&amp;oldid=`);
    expect(res.text).toContain(`href="/wiki/Hot?diff=${blank.id}&amp;oldid=`);
    expect(res.text).not.toContain('Mark reviewed');
  });

  it('lets admins mark reviewed (htmx fragment or redirect), roll back and block from the queue', async () => {
    const { app, wiki, alice } = setup();
    save(wiki, 'Hot', alice, 'hot page text, long enough to count as a real page');
    const blank = save(wiki, 'Hot', 'temporary', 'x', '198.51.100.7');
    const { agent, csrf } = await asAdmin(app);
    const page = await agent.get('/special/review');
    expect(page.text).toContain('Mark reviewed');
    expect(page.text).toContain('href="/wiki/Hot?action=rollback&amp;from=~');
    expect(page.text).toContain('href="/special/block?target=198.51.100.7"');
    const frag = await agent.post(`/special/review/${blank.id}/patrol`).set('hx-request', 'true').set('x-csrf-token', csrf);
    expect(frag.status).toBe(200);
    expect(frag.text).toContain('Reviewed:');
    expect(frag.text).not.toContain('<html');
    expect((await agent.get('/special/review')).text).not.toContain(`review-${blank.id}"`);
  });

  it('refuses marking reviewed to non-admins, changing nothing', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'A', alice, 'a');
    const rev = save(wiki, 'A', vandal, 'b');
    const { agent, csrf } = await browser(app);
    expect((await agent.post(`/special/review/${rev.id}/patrol`).type('form').send({ csrf })).status).toBe(401);
    expect(wiki.stores.revisions.byId(rev.id)!.patrolled).toBe(false);
  });
});

describe('mass rollback in the browser', () => {
  it('previews, then rolls back, for admins', async () => {
    const { app, wiki, alice, vandal } = setup();
    save(wiki, 'A', alice, 'A good');
    save(wiki, 'B', alice, 'B good');
    save(wiki, 'A', vandal, 'A bad');
    save(wiki, 'B', vandal, 'B bad');
    const { agent, csrf } = await asAdmin(app);
    const since = new Date(Date.now() - 60_000).toISOString();
    const preview = await agent.post('/special/mass-rollback').type('form').send({ csrf, target: 'Vandal', since, do: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Will be rolled back (2)');
    expect((await agent.get('/wiki/A?action=raw')).text).toBe('A bad');
    const run = await agent.post('/special/mass-rollback').type('form').send({ csrf, target: 'Vandal', since, do: 'run' });
    expect(run.text).toContain('Rolled back 2 pages');
    expect((await agent.get('/wiki/A?action=raw')).text).toBe('A good');
    expect((await agent.get('/wiki/B?action=raw')).text).toBe('B good');
  });

  it('is refused to non-admins', async () => {
    const { app } = setup();
    expect((await request(app).get('/special/mass-rollback')).status).toBe(401);
  });
});
