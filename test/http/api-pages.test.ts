import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { makeTestApp, createPage, createUser, tokenFor, revisionCount } from '../helpers/app.js';

describe('GET /api/v1/page/{T}', () => {
  it('returns the page object with source and latest revision', async () => {
    const { app, wiki } = makeTestApp();
    const [id] = createPage(wiki, { title: 'Peer networks/History', source: 'Some **text**.' });
    const res = await request(app).get('/api/v1/page/peer_networks%2FHistory');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      key: 'Peer_networks/History',
      title: 'Peer networks/History',
      latest: { id },
      content_model: 'markdown',
      source: 'Some **text**.',
    });
    expect(res.body.latest.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it.each([
    { name: 'invalid title', path: '/api/v1/page/Bad%5Btitle%5D', status: 400, code: 'invalid_title' },
    { name: 'empty title', path: '/api/v1/page/_', status: 400, code: 'invalid_title' },
    { name: 'bad percent-encoding', path: '/api/v1/page/%E0%A4%A', status: 400, code: 'invalid_input' },
    { name: 'missing page', path: '/api/v1/page/Nothing_here', status: 404, code: 'not_found' },
    { name: 'html of a missing page', path: '/api/v1/page/Nothing_here/html', status: 404, code: 'not_found' },
    { name: 'revision id not a number', path: '/api/v1/revision/abc', status: 400, code: 'invalid_input' },
    { name: 'revision id zero', path: '/api/v1/revision/0', status: 400, code: 'invalid_input' },
    { name: 'revision id negative', path: '/api/v1/revision/-3', status: 400, code: 'invalid_input' },
    { name: 'revision id with junk', path: '/api/v1/revision/12abc', status: 400, code: 'invalid_input' },
    { name: 'unknown revision', path: '/api/v1/revision/999', status: 404, code: 'not_found' },
    { name: 'unknown API path', path: '/api/v1/nothing', status: 404, code: 'not_found' },
    { name: 'lone surrogate in the path', path: '/api/v1/page/%ED%A0%80', status: 400, code: 'invalid_input' },
    { name: 'invalid UTF-8 in the query', path: '/api/v1/search/page?q=%FF', status: 400, code: 'invalid_input' },
  ])('$name → $status', async ({ path, status, code }) => {
    const { app, logged } = makeTestApp();
    const res = await request(app).get(path);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    expect(logged).toEqual([]);
  });

  it('serves the rendered HTML body', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'A', source: 'Go to [[B]] **now**' });
    const res = await request(app).get('/api/v1/page/A/html');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('<strong>now</strong>');
    expect(res.text).toMatch(/<a[^>]+class="new"[^>]*>B<\/a>/);
  });
});

describe('POST /api/v1/page', () => {
  it('creates a page anonymously with a temporary account and its cookie', async () => {
    const { app, wiki } = makeTestApp();
    const res = await request(app).post('/api/v1/page').send({ title: 'new page', source: 'Hello', comment: 'first' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: 'New page', key: 'New_page', source: 'Hello' });
    expect(String(res.headers['set-cookie'])).toMatch(/pw_session=[^;]+;.*HttpOnly/i);
    const rev = wiki.stores.revisions.byId(res.body.latest.id)!;
    expect(rev.actor.kind).toBe('temp');
    expect(rev.comment).toBe('first');
  });

  it('answers 409 when the page exists, writing nothing', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Taken' });
    const before = revisionCount(wiki);
    const res = await request(app).post('/api/v1/page').send({ title: 'Taken', source: 'x' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('page_exists');
    expect(revisionCount(wiki)).toBe(before);
  });

  it.each([
    { name: 'malformed JSON', body: '{"title": "A", ', type: 'application/json', status: 400, code: 'invalid_json' },
    { name: 'array body', body: '[]', type: 'application/json', status: 400, code: 'invalid_input' },
    { name: 'missing source', body: '{"title": "A"}', type: 'application/json', status: 400, code: 'invalid_input' },
    { name: 'source not a string', body: '{"title": "A", "source": 5}', type: 'application/json', status: 400, code: 'invalid_input' },
    { name: 'missing title', body: '{"source": "x"}', type: 'application/json', status: 400, code: 'invalid_input' },
    { name: 'invalid title', body: '{"title": "a|b", "source": "x"}', type: 'application/json', status: 400, code: 'invalid_title' },
    { name: 'lone surrogate', body: '{"title": "A", "source": "x\\ud800y"}', type: 'application/json', status: 400, code: 'invalid_input' },
    { name: 'invalid UTF-8 bytes', body: Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), type: 'application/json', status: 400, code: 'invalid_input' },
    { name: 'body over 2 MiB', body: JSON.stringify({ title: 'A', source: 'x'.repeat(2 * 1024 * 1024 + 10) }), type: 'application/json', status: 413, code: 'too_large' },
    { name: 'source over 1 MiB', body: JSON.stringify({ title: 'A', source: 'x'.repeat(1024 * 1024 + 10) }), type: 'application/json', status: 413, code: 'too_large' },
  ])('$name → $status, nothing written', async ({ body, type, status, code }) => {
    const { app, wiki, logged } = makeTestApp();
    const res = await request(app).post('/api/v1/page').set('content-type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(revisionCount(wiki)).toBe(0);
    expect(logged).toEqual([]);
  });
});

describe('PUT /api/v1/page/{T}', () => {
  const base = 'one\ntwo\nthree\nfour\nfive\n';

  it('saves on the latest revision (200) and creates without latest (201)', async () => {
    const { app, wiki } = makeTestApp();
    const user = createUser(wiki);
    const auth = `Bearer ${tokenFor(wiki, user)}`;
    const created = await request(app).put('/api/v1/page/Fresh').set('authorization', auth).send({ source: base, comment: 'c' });
    expect(created.status).toBe(201);
    const updated = await request(app).put('/api/v1/page/Fresh').set('authorization', auth)
      .send({ source: base + 'six\n', comment: 'more', minor: true, latest: { id: created.body.latest.id } });
    expect(updated.status).toBe(200);
    expect(updated.body.source).toBe(base + 'six\n');
    const rev = wiki.stores.revisions.byId(updated.body.latest.id)!;
    expect(rev).toMatchObject({ minor: true, comment: 'more', parentId: created.body.latest.id, actor: { id: user.id } });
  });

  it('merges a stale but clean edit and says so', async () => {
    const { app, wiki } = makeTestApp();
    const [first] = createPage(wiki, { title: 'M', source: base });
    await request(app).put('/api/v1/page/M').send({ source: base.replace('five', 'FIVE'), latest: { id: first } }).expect(200);
    const res = await request(app).put('/api/v1/page/M').send({ source: base.replace('one', 'ONE'), latest: { id: first } });
    expect(res.status).toBe(200);
    expect(res.body.merged).toBe(true);
    expect(res.body.source).toBe(base.replace('one', 'ONE').replace('five', 'FIVE'));
  });

  it('answers an overlapping edit with 409, base and current, and saves nothing', async () => {
    const { app, wiki } = makeTestApp();
    const [first] = createPage(wiki, { title: 'C', source: base });
    const theirs = await request(app).put('/api/v1/page/C').send({ source: base.replace('two', 'theirs'), latest: { id: first } });
    const before = revisionCount(wiki);
    const res = await request(app).put('/api/v1/page/C').send({ source: base.replace('two', 'mine'), latest: { id: first } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('edit_conflict');
    expect(res.body.base).toBe(first);
    expect(res.body.current).toEqual({ id: theirs.body.latest.id, source: base.replace('two', 'theirs') });
    expect(revisionCount(wiki)).toBe(before);
  });

  it('answers an identical save with nochange and no revision', async () => {
    const { app, wiki } = makeTestApp();
    const [first] = createPage(wiki, { title: 'N', source: base });
    const res = await request(app).put('/api/v1/page/N').send({ source: base, latest: { id: first } });
    expect(res.status).toBe(200);
    expect(res.body.nochange).toBe(true);
    expect(res.body.latest.id).toBe(first);
    expect(revisionCount(wiki)).toBe(1);
  });

  it.each([
    { name: 'create over an existing page', body: { source: 'x' }, status: 409, code: 'page_exists' },
    { name: 'latest not an object', body: { source: 'x', latest: 5 }, status: 400, code: 'invalid_input' },
    { name: 'latest.id not positive', body: { source: 'x', latest: { id: 0 } }, status: 400, code: 'invalid_input' },
    { name: 'latest.id a string', body: { source: 'x', latest: { id: '1; DROP TABLE page' } }, status: 400, code: 'invalid_input' },
    { name: 'unknown latest.id', body: { source: 'x', latest: { id: 999 } }, status: 404, code: 'not_found' },
    { name: 'minor not a boolean', body: { source: 'x', minor: 'maybe', latest: { id: 1 } }, status: 400, code: 'invalid_input' },
  ])('$name → $status, nothing written', async ({ body, status, code }) => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'E', source: base });
    const res = await request(app).put('/api/v1/page/E').send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(revisionCount(wiki)).toBe(1);
  });

  it('answers 404 for an update with latest on a missing page', async () => {
    const { app, wiki } = makeTestApp();
    const [first] = createPage(wiki, { title: 'Elsewhere' });
    const res = await request(app).put('/api/v1/page/Missing').send({ source: 'x', latest: { id: first } });
    expect(res.status).toBe(404);
    expect(revisionCount(wiki)).toBe(1);
  });

  it('refuses an invalid Bearer token with 401', async () => {
    const { app, wiki } = makeTestApp();
    const res = await request(app).put('/api/v1/page/X').set('authorization', 'Bearer not.a.token').send({ source: 'x' });
    expect(res.status).toBe(401);
    expect(revisionCount(wiki)).toBe(0);
  });

  it('asks for a login when anonymous editing is off', async () => {
    const { app, wiki } = makeTestApp({ anonEdits: false });
    const res = await request(app).put('/api/v1/page/X').send({ source: 'x' });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/log in/i);
    expect(revisionCount(wiki)).toBe(0);
  });
});

describe('GET /api/v1/revision/{id}', () => {
  it('returns the revision with its page, parent, sizes and source', async () => {
    const { app, wiki } = makeTestApp();
    const [a, b] = createPage(wiki, { title: 'R', revisions: 2, source: 'Final text' });
    const res = await request(app).get(`/api/v1/revision/${b}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: b,
      page: { title: 'R' },
      parent_id: a,
      minor: false,
      size: 10,
      delta: 10 - 'Draft 1 of R.'.length,
      comment: 'edit 2',
      user: { name: 'Peerwiki' },
      // Shorter than its parent and under 50 bytes: SPEC's blanking rule.
      tags: ['blanking'],
      source: 'Final text',
    });
    expect(res.body.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(res.body).not.toHaveProperty('ip');
  });
});

describe('POST /api/v1/transform/markdown/to/html', () => {
  it('renders without saving, with red links for missing pages', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Exists' });
    const res = await request(app).post('/api/v1/transform/markdown/to/html').send({ source: '[[Exists]] [[Missing]] <b>raw</b>', title: 'Any' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/href="\/wiki\/Exists"/);
    expect(res.text).toMatch(/class="new"/);
    expect(res.text).toContain('&lt;b&gt;raw&lt;/b&gt;');
    expect(revisionCount(wiki)).toBe(1);
  });

  it('refuses a missing source', async () => {
    const { app } = makeTestApp();
    const res = await request(app).post('/api/v1/transform/markdown/to/html').send({});
    expect(res.status).toBe(400);
  });
});

describe('titles with a percent sign in API paths', () => {
  it('decodes %25 once, as /wiki/ URLs do', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: '100% sure', source: 'certain' });
    const res = await request(app).get('/api/v1/page/100%25_sure');
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('100% sure');
  });
});
