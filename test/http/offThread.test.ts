import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createUser, makeTestApp, revisionCount, tokenFor } from '../helpers/app.js';
import { TextWorkers } from '../../server/wiki/work/pool.js';
import { parseTitle } from '../../server/wiki/title.js';

// Every text goes to the text process here, so these tests run the offloaded path of each route that
// hands large texts off: saves, merges, conflicts, undo, comparisons, previews.
const workers = new TextWorkers({ offloadFrom: 1 });
afterAll(() => workers.close());

function setup() {
  const t = makeTestApp({}, { workers });
  const alice = createUser(t.wiki, { name: 'Alice' });
  return { ...t, auth: `Bearer ${tokenFor(t.wiki, alice)}` };
}

const put = (app: Parameters<typeof request>[0], auth: string, title: string, body: object) =>
  request(app).put(`/api/v1/page/${title}`).set('authorization', auth).send(body);

describe('large texts in the text process', () => {
  it('saves, merges a stale save, and reports an overlap with both texts', async () => {
    const { app, wiki, auth } = setup();
    const created = await request(app).post('/api/v1/page').set('authorization', auth).send({ title: 'T', source: 'one\ntwo\nthree\n[[Category:Open]]' });
    expect(created.status).toBe(201);
    const base = created.body.latest.id;
    const first = await put(app, auth, 'T', { source: 'ONE\ntwo\nthree\n[[Category:Open]]', latest: { id: base } });
    expect(first.status).toBe(200);
    const merged = await put(app, auth, 'T', { source: 'one\ntwo\nTHREE\n[[Category:Open]]', latest: { id: base } });
    expect(merged.body).toMatchObject({ merged: true, source: 'ONE\ntwo\nTHREE\n[[Category:Open]]' });
    const count = revisionCount(wiki);
    const clash = await put(app, auth, 'T', { source: 'Uno\ntwo\nthree\n[[Category:Open]]', latest: { id: base } });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ base, current: { source: 'ONE\ntwo\nTHREE\n[[Category:Open]]' } });
    expect(revisionCount(wiki)).toBe(count);
    const found = await request(app).get('/api/v1/search/page?q=three');
    expect(found.body.pages.map((p: { title: string }) => p.title)).toEqual(['T']);
  });

  it('undoes an old edit, keeping the later one, and compares revisions', async () => {
    const { app, auth } = setup();
    const a = (await request(app).post('/api/v1/page').set('authorization', auth).send({ title: 'U', source: 'a\nb\nc\nd' })).body.latest.id;
    const b = (await put(app, auth, 'U', { source: 'a\nSPAM\nc\nd', latest: { id: a } })).body.latest.id;
    const c = (await put(app, auth, 'U', { source: 'a\nSPAM\nc\nd\ne', latest: { id: b } })).body.latest.id;
    const undo = await request(app).post('/api/v1/page/U/undo').set('authorization', auth).send({ revision: b });
    expect(undo.status).toBe(200);
    expect(undo.body.source).toBe('a\nb\nc\nd\ne');
    const diff = await request(app).get(`/api/v1/revision/${a}/compare/${c}`);
    const changed = diff.body.diff.filter((e: { type: string }) => e.type !== 'context');
    expect(changed).toContainEqual(expect.objectContaining({ type: 'add', text: 'e', to_line: 5 }));
    expect(changed.some((e: { type: string; text: string; old_text?: string }) => e.text === 'b' || e.old_text === 'b')).toBe(true);
  });

  it('renders previews, the transform API and first views, with red links and block authors', async () => {
    const { app, auth } = setup();
    await request(app).post('/api/v1/page').set('authorization', auth).send({ title: 'Blue', source: 'x' }).expect(201);
    const source = '# One\n\n[[Blue]] and [[Red]]\n\n## Two\n\n### Three\n';
    const html = (await request(app).post('/api/v1/transform/markdown/to/html').send({ source })).text;
    expect(html).toContain('href="/wiki/Blue"');
    expect(html).toMatch(/class="new"[^>]*>Red|href="\/wiki\/Red\?action=edit"/);
    await request(app).post('/api/v1/page').set('authorization', auth).send({ title: 'V', source }).expect(201);
    const view = await request(app).get('/wiki/V');
    expect(view.text).toContain('id="one"');
    expect(view.text).toContain('data-blame="Written by Alice');
    expect(view.text).toContain('action=edit&amp;section=2');
    const { agent, csrf } = await browser(app);
    const preview = await agent.post('/wiki/V?action=preview').set('hx-request', 'true').set('x-csrf-token', csrf).type('form').send({ source: '**bold** [[Blue]]' });
    expect(preview.text).toContain('<strong>bold</strong>');
    const blame = await request(app).get('/api/v1/page/V/blame');
    expect(blame.body.blocks[0].revision.user.name).toBe('Alice');
  });

  it('sends a page longer than any kept copy whole, as bytes from the thread and then from the render cache', async () => {
    const { app, auth } = setup();
    // Over 1 MiB of HTML: never kept as a finished page, so the second view reads the render cache.
    const source = Array.from({ length: 16_000 }, (_, i) => `## Part ${i} ✓\n\nPeer networks — café ${i}.`).join('\n\n');
    await request(app).post('/api/v1/page').set('authorization', auth).send({ title: 'Long — ✓', source }).expect(201);
    const views = [];
    for (let i = 0; i < 2; i++) views.push(await request(app).get('/wiki/Long_—_✓').buffer(true));
    const [first, second] = views.map((v) => v.text);
    expect(Buffer.byteLength(first!, 'utf8')).toBeGreaterThan(1024 * 1024);
    expect(first).toContain('<title>Long — ✓ — Peerwiki</title>');
    expect(first).toContain('<h2 id="part-15999"');
    expect(first).toContain('Peer networks — café 15999.</p>');
    expect(first!.trimEnd().endsWith('</html>')).toBe(true);
    expect(Number(views[0]!.headers['content-length'])).toBe(Buffer.byteLength(first!, 'utf8'));
    expect(second).toBe(first);
    // Inside a logged-in reader's own page too.
    const { agent } = await browser(app);
    const own = (await agent.get('/wiki/Long_—_✓')).text;
    expect(own).toContain('Peer networks — café 15999.</p>');
    expect(own.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('shows the conflict screen from the form, with the typed text kept', async () => {
    const { app, wiki } = setup();
    const { agent, csrf } = await browser(app);
    await agent.post('/wiki/F?action=submit').type('form').send({ csrf, source: 'line one\nline two', base: '' }).expect(303);
    const id = wiki.stores.pages.byTitle(parseTitle('F'))!.latestId;
    await agent.post('/wiki/F?action=submit').type('form').send({ csrf, source: 'line ONE\nline two', base: String(id) }).expect(303);
    const res = await agent.post('/wiki/F?action=submit').type('form').send({ csrf, source: 'line 1\nline two', base: String(id) });
    expect(res.status).toBe(409);
    expect(res.text).toContain('line 1');
    expect(res.text).toContain('line ONE');
  });
});
