import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, makeTestApp, revisionCount } from '../helpers/app.js';

describe('reading pages', () => {
  it('redirects / to the Main Page', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/wiki/Main_Page');
  });

  it('renders the latest revision with tabs, search box and footer, and no token for an anonymous reader', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Peer network', source: '# Peer network\n\nSee **[[Wikipedia]]**.' });
    const res = await request(app).get('/wiki/Peer_network');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<strong><a href="/wiki/Wikipedia?action=edit&amp;redlink=1" class="new"');
    expect(res.text).not.toContain('csrf-token');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toMatch(/<form class="search" action="\/special\/search"/);
    expect(res.text).toMatch(/href="\/wiki\/Peer_network\?action=edit" accesskey="e" title="Edit \[alt-shift-e\]">Edit</);
    expect(res.text).toMatch(/href="\/wiki\/Peer_network\?action=history" accesskey="h" title="History \[alt-shift-h\]">History</);
    // The talk page does not exist: its tab is a red link.
    expect(res.text).toMatch(/href="\/wiki\/Talk:Peer_network" class="new" title="Talk \(page does not exist\)">Talk</);
    expect(res.text).toMatch(/last edited <time[^>]*>.*<\/time> by <a[^>]*>Peerwiki<\/a>/);
    expect(res.text).toMatch(/<script src="\/static\/htmx\.min\.js\?v=[0-9a-f]+" defer><\/script>/);
  });

  it('sends a page of megabytes whole, in slices, with every character intact', async () => {
    const { app, wiki } = makeTestApp();
    // Odd-length paragraphs of astral characters: slice boundaries fall inside surrogate pairs.
    const paragraph = `${'🌐'.repeat(999)}x`;
    const source = Array.from({ length: 200 }, (_, i) => `${paragraph} ${i}`).join('\n\n');
    createPage(wiki, { title: 'Huge page', source });
    const res = await request(app).get('/wiki/Huge_page');
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(4 * 64 * 1024);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text, 'utf8'));
    expect(res.text).not.toContain('\ufffd');
    expect(res.text.match(/🌐/gu)!.length).toBe(200 * 999);
    expect(res.text).toContain(`${paragraph} 199</p>`);
    expect(res.text.trimEnd().endsWith('</html>')).toBe(true);
    const head = await request(app).head('/wiki/Huge_page');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(res.headers['content-length']);
  });

  it('answers a missing page with 404 and a create link', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/wiki/No_such_page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('href="/wiki/No_such_page?action=edit"');
  });

  it('offers a login link instead when anonymous editing is off', async () => {
    const { app } = makeTestApp({ anonEdits: false });
    const res = await request(app).get('/wiki/No_such_page');
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/Log in to create this page/);
  });

  it('sends a non-canonical spelling to the canonical URL', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Peer network' });
    const res = await request(app).get('/wiki/peer%20network?oldid=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/wiki/Peer_network?oldid=1');
  });

  it('escapes titles everywhere they appear', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/wiki/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(res.status).toBe(400);
    const ok = await request(app).get(`/wiki/${encodeURIComponent('"onmouseover=alert(1)_x')}`);
    expect(ok.status).toBe(404);
    expect(ok.text).not.toContain('"onmouseover=alert(1)');
    expect(ok.text).toContain('&quot;onmouseover=alert(1) x');
  });

  it('follows a redirect with a note, and ?redirect=no shows the redirect itself', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Target', source: 'Target text' });
    createPage(wiki, { title: 'Old name', source: '#REDIRECT [[Target]]' });
    const res = await request(app).get('/wiki/Old_name');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Target text');
    expect(res.text).toMatch(/\(Redirected from <a href="\/wiki\/Old_name\?redirect=no">Old name<\/a>\)/);
    const raw = await request(app).get('/wiki/Old_name?redirect=no');
    expect(raw.text).not.toContain('Target text');
    expect(raw.text).toContain('class="redirect-msg"');
  });

  it('shows an old revision with its banner and navigation', async () => {
    const { app, wiki } = makeTestApp();
    const [a, b, c] = createPage(wiki, { title: 'H', revisions: 3, source: 'Third' });
    const res = await request(app).get(`/wiki/H?oldid=${b}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Draft 2 of H.');
    expect(res.text).toContain('class="old-revision-banner"');
    expect(res.text).toContain(`href="/wiki/H?oldid=${a}"`);
    expect(res.text).toContain(`href="/wiki/H?oldid=${c}"`);
    expect(res.text).toContain(`href="/wiki/H?diff=cur&amp;oldid=${b}"`);
    expect(res.text).toContain('href="/wiki/H">Latest revision');
  });

  it.each([
    { name: 'oldid of another page', query: (ids: number[]) => `oldid=${ids[1]}`, status: 404 },
    { name: 'oldid not a number', query: () => 'oldid=abc', status: 400 },
    { name: 'oldid zero', query: () => 'oldid=0', status: 400 },
    { name: 'unknown action', query: () => 'action=explode', status: 400 },
    { name: 'POST-only action by GET', query: () => 'action=submit', status: 400 },
    { name: 'repeated parameter', query: () => 'oldid=1&oldid=2', status: 400 },
  ])('$name → $status', async ({ query, status }) => {
    const { app, wiki, logged } = makeTestApp();
    const [first] = createPage(wiki, { title: 'P' });
    const [other] = createPage(wiki, { title: 'Q' });
    const res = await request(app).get(`/wiki/P?${query([first!, other!])}`);
    expect(res.status).toBe(status);
    expect(res.type).toBe('text/html');
    expect(logged).toEqual([]);
  });

  it('serves the raw source, latest or old', async () => {
    const { app, wiki } = makeTestApp();
    const [a] = createPage(wiki, { title: 'Raw', revisions: 2, source: '# Raw <b>' });
    const res = await request(app).get('/wiki/Raw?action=raw');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.text).toBe('# Raw <b>');
    const old = await request(app).get(`/wiki/Raw?action=raw&oldid=${a}`);
    expect(old.text).toBe('Draft 1 of Raw.');
  });

  it('answers If-None-Match with 304, and changes the ETag when a linked page is created', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Linker', source: 'See [[Later]].' });
    const { agent } = await browser(app);
    const first = await agent.get('/wiki/Linker');
    const etag = first.headers.etag!;
    expect(etag).toBeTruthy();
    const again = await agent.get('/wiki/Linker').set('if-none-match', etag);
    expect(again.status).toBe(304);
    createPage(wiki, { title: 'Later' });
    const after = await agent.get('/wiki/Linker').set('if-none-match', etag);
    expect(after.status).toBe(200);
    expect(after.text).toContain('href="/wiki/Later"');
    expect(after.text).not.toMatch(/href="\/wiki\/Later[^"]*" class="new"/);
  });
});

describe('page information', () => {
  it('shows creation, edits, editors, size, protection and backlinks', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Info', revisions: 3, source: 'Twelve bytes' });
    createPage(wiki, { title: 'Fan', source: 'See [[Info]]' });
    const res = await request(app).get('/wiki/Info?action=info');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<th scope="row">Edits<\/th><td><a [^>]+>3<\/a>/);
    expect(res.text).toMatch(/Distinct editors<\/th><td>1</);
    expect(res.text).toContain('12 bytes');
    expect(res.text).toMatch(/Pages linking here<\/th><td><a [^>]+>1<\/a>/);
    expect(res.text).toMatch(/Protection<\/th><td>none/);
  });

  it('serves a favicon', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/favicon.ico');
    expect(res.status).toBe(301);
    const icon = await request(app).get(res.headers.location!);
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toContain('immutable');
  });
});

describe('the render cache', () => {
  it('renders a revision once and serves the cached HTML until the page is touched', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Cached', source: 'Hello [[Other]]' });
    await request(app).get('/wiki/Cached').expect(200);
    const rows = () => wiki.db.prepare('SELECT html FROM render_cache').pluck().all() as string[];
    expect(rows()).toHaveLength(1);
    // Prove views read the cache: change the cached HTML behind the renderer's back. (A query
    // keeps the view off the byte cache of finished pages, which sits in front: caching.test.ts.)
    wiki.db.prepare("UPDATE render_cache SET html = '<p>from the cache</p>'").run();
    expect((await request(app).get('/wiki/Cached?action=view')).text).toContain('from the cache');
    // ...and never loads the revision's text to serve it.
    const get = wiki.stores.content.get.bind(wiki.stores.content);
    let reads = 0;
    wiki.stores.content.get = (id: number) => (reads++, get(id));
    await request(app).get('/wiki/Cached?action=view').expect(200);
    expect(reads).toBe(0);
    wiki.stores.content.get = get;
    createPage(wiki, { title: 'Other' });
    const res = await request(app).get('/wiki/Cached');
    expect(res.text).not.toContain('from the cache');
    expect(res.text).toContain('href="/wiki/Other"');
  });
});

describe('editing in the browser', () => {
  it('shows the edit form with source, base revision, summary, minor flag and csrf', async () => {
    const { app, wiki } = makeTestApp();
    const [id] = createPage(wiki, { title: 'Form', source: 'Text & <stuff>' });
    const res = await request(app).get('/wiki/Form?action=edit');
    expect(res.status).toBe(200);
    // A newline right after <textarea> is dropped by HTML parsers, so the view adds one.
    expect(res.text).toContain('>\nText &amp; &lt;stuff&gt;</textarea>');
    expect(res.text).toContain(`name="base" value="${id}"`);
    expect(res.text).toMatch(/name="summary"/);
    expect(res.text).toMatch(/name="minor"/);
    expect(res.text).toMatch(/name="csrf" value="[^"]+"/);
    expect(res.text).toMatch(/hx-post="\/wiki\/Form\?action=preview"/);
    expect(res.text).toMatch(/hx-trigger="input changed delay:\d+ms"/);
  });

  it('edits one section: the form holds only that section', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'S', source: 'Intro\n\n## One\n\nFirst\n\n## Two\n\nSecond\n' });
    const res = await request(app).get('/wiki/S?action=edit&section=2');
    expect(res.text).toContain('>\n## Two\n\nSecond\n</textarea>');
    expect(res.text).toContain('name="section" value="2"');
    const view = await request(app).get('/wiki/S');
    expect(view.text).toContain('href="/wiki/S?action=edit&amp;section=2"');
    const missing = await request(app).get('/wiki/S?action=edit&section=7');
    expect(missing.status).toBe(400);
  });

  it('previews through htmx without saving', async () => {
    const { app, wiki } = makeTestApp();
    const { agent, csrf } = await browser(app);
    const res = await agent.post('/wiki/Draft?action=preview').set('hx-request', 'true').set('x-csrf-token', csrf)
      .type('form').send({ source: '**bold** <script>x</script>' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<strong>bold</strong>');
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('<html');
    expect(revisionCount(wiki)).toBe(0);
  });

  it('saves a new page from the form: 303 to the page, temporary account cookie', async () => {
    const { app, wiki } = makeTestApp();
    const { agent, csrf } = await browser(app, '/wiki/New_page?action=edit');
    const res = await agent.post('/wiki/New_page?action=submit').type('form')
      .send({ source: 'Brand new', summary: 'start', base: '', csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/wiki/New_page?saved=1');
    expect(String(res.headers['set-cookie'])).toMatch(/pw_session=/);
    const view = await agent.get('/wiki/New_page');
    expect(view.text).toContain('Brand new');
    expect(view.text).toMatch(/class="temp-user"[^>]*>~\d{4}-1</);
  });

  it('saves a section edit with summary and minor flag', async () => {
    const { app, wiki } = makeTestApp();
    const [id] = createPage(wiki, { title: 'S', source: 'Intro\n\n## One\n\nFirst\n\n## Two\n\nSecond\n' });
    const { agent, csrf } = await browser(app);
    const res = await agent.post('/wiki/S?action=submit').type('form')
      .send({ source: '## One\n\nChanged\n', summary: 'fix', minor: '1', base: String(id), section: '1', csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/wiki/S?saved=1#one');
    const latest = wiki.stores.pages.byTitle({ text: 'S' } as never)!;
    const rev = wiki.stores.revisions.byId(latest.latestId)!;
    expect(wiki.stores.content.get(rev.contentId)).toBe('Intro\n\n## One\n\nChanged\n\n## Two\n\nSecond\n');
    expect(rev).toMatchObject({ comment: 'fix', minor: true });
  });

  it('shows the preview on the form without JavaScript and saves nothing', async () => {
    const { app, wiki } = makeTestApp();
    const { agent, csrf } = await browser(app);
    const res = await agent.post('/wiki/Draft?action=submit').type('form').send({ source: '*hi*', summary: 's', base: '', csrf, do: 'preview' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<em>hi</em>');
    expect(res.text).toContain('>\n*hi*</textarea>');
    expect(revisionCount(wiki)).toBe(0);
  });

  it.each([
    { name: 'no token', token: undefined },
    { name: 'a wrong token', token: 'forged' },
  ])('refuses a save with $name: 403 and nothing written', async ({ token }) => {
    const { app, wiki } = makeTestApp();
    const { agent } = await browser(app);
    const res = await agent.post('/wiki/X?action=submit').type('form').send({ source: 'spam', base: '', ...(token ? { csrf: token } : {}) });
    expect(res.status).toBe(403);
    expect(revisionCount(wiki)).toBe(0);
    expect(wiki.db.prepare('SELECT count(*) FROM actor').pluck().get()).toBe(0);
  });

  it('refuses an API write by session cookie without X-CSRF-Token', async () => {
    const { app, wiki } = makeTestApp();
    const { agent, csrf } = await browser(app);
    await agent.post('/wiki/Mine?action=submit').type('form').send({ source: 'one', base: '', csrf }).expect(303);
    const res = await agent.put('/api/v1/page/Mine').send({ source: 'two', latest: { id: 1 } });
    expect(res.status).toBe(403);
    const ok = await agent.put('/api/v1/page/Mine').set('x-csrf-token', csrf).send({ source: 'two', latest: { id: 1 } });
    expect(ok.status).toBe(200);
    expect(revisionCount(wiki)).toBe(2);
  });

  it('keeps both texts on an overlapping conflict and saves nothing', async () => {
    const { app, wiki } = makeTestApp();
    const base = 'a\nb\nc\n';
    const [first] = createPage(wiki, { title: 'K', source: base });
    createPage(wiki, { title: 'Unrelated' });
    const { agent, csrf } = await browser(app);
    await agent.post('/wiki/K?action=submit').type('form').send({ source: 'a\ntheirs\nc\n', base: String(first), csrf }).expect(303);
    const before = revisionCount(wiki);
    const res = await agent.post('/wiki/K?action=submit').type('form').send({ source: 'a\nmine & <b>\nc\n', summary: 'my summary', base: String(first), csrf });
    expect(res.status).toBe(409);
    expect(res.text).toContain('class="conflict-notice"');
    expect(res.text).toContain('>\na\nmine &amp; &lt;b&gt;\nc\n</textarea>');
    expect(res.text).toContain('a\ntheirs\nc\n</textarea>');
    expect(res.text).toContain('value="my summary"');
    expect(res.text).toMatch(/name="base" value="\d+"/);
    expect(res.text).toContain('<table class="diff');
    expect(revisionCount(wiki)).toBe(before);
  });

  it('merges a clean stale form save', async () => {
    const { app, wiki } = makeTestApp();
    const base = 'a\nb\nc\nd\ne\n';
    const [first] = createPage(wiki, { title: 'K', source: base });
    const { agent, csrf } = await browser(app);
    await agent.post('/wiki/K?action=submit').type('form').send({ source: base.replace('a', 'A'), base: String(first), csrf }).expect(303);
    await agent.post('/wiki/K?action=submit').type('form').send({ source: base.replace('e', 'E'), base: String(first), csrf }).expect(303);
    const raw = await agent.get('/wiki/K?action=raw');
    expect(raw.text).toBe('A\nb\nc\nd\nE\n');
  });

  it('asks for a login when anonymous editing is off, keeping the text', async () => {
    const { app, wiki } = makeTestApp({ anonEdits: false });
    const { agent, csrf } = await browser(app);
    const form = await agent.get('/wiki/X?action=edit');
    expect(form.status).toBe(401);
    const res = await agent.post('/wiki/X?action=submit').type('form').send({ source: 'my words', base: '', csrf });
    expect(res.status).toBe(401);
    expect(res.text).toContain('>\nmy words</textarea>');
    expect(revisionCount(wiki)).toBe(0);
  });
});
