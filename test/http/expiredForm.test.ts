/**
 * No words lost on an expired form: an edit-form post refused for its CSRF token, its session or a
 * rate limit shows the form again with the text, summary and base kept and a fresh token.
 */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, makeTestApp, revisionCount } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

const textareaOf = (html: string) => /<textarea id="source"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(html)?.[1];
const tokenOf = (html: string) => /<input type="hidden" name="csrf" value="([^"]+)">/.exec(html)?.[1];

describe('an edit form refused for its CSRF token', () => {
  it('comes back with the text, summary and base, and a fresh token that then saves', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Gossip', source: 'start' });
    const before = revisionCount(wiki);
    // A browser whose cookies were all cleared: no CSRF cookie, an old token in the form.
    const agent = request.agent(app);
    const res = await agent.post('/wiki/Gossip?action=submit').type('form')
      .send({ source: 'Words typed for an hour <b>&amp;</b>', summary: 'long work', base: String(base), csrf: 'old-token-from-yesterday' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form has expired');
    expect(res.text).toContain('Nothing was saved');
    expect(textareaOf(res.text)).toBe('Words typed for an hour &lt;b&gt;&amp;amp;&lt;/b&gt;');
    expect(res.text).toContain('value="long work"');
    expect(res.text).toContain(`<input type="hidden" name="base" value="${base}">`);
    expect(revisionCount(wiki)).toBe(before);
    // The fresh token comes with its cookie, so saving again works.
    expect(String(res.headers['set-cookie'])).toMatch(/pw_csrf=/);
    const csrf = tokenOf(res.text)!;
    expect(csrf).toBeTruthy();
    const again = await agent.post('/wiki/Gossip?action=submit').type('form')
      .send({ source: 'Words typed for an hour <b>&amp;</b>', summary: 'long work', base: String(base), csrf });
    expect(again.status).toBe(303);
    expect((await agent.get('/wiki/Gossip?action=raw')).text).toBe('Words typed for an hour <b>&amp;</b>');
  });

  it('keeps a section edit a section edit', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Sections', source: 'Intro\n\n## One\n\nfirst\n\n## Two\n\nsecond' });
    const res = await request(app).post('/wiki/Sections?action=submit').type('form')
      .send({ source: '## Two\n\nsecond, improved', section: '2', base: String(base), csrf: 'stale' });
    expect(res.status).toBe(403);
    expect(textareaOf(res.text)).toBe('## Two\n\nsecond, improved');
    expect(res.text).toContain('<input type="hidden" name="section" value="2">');
  });

  it('still shows a preview asked for, with the text and a fresh token', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Mesh', source: 'start' });
    const res = await request(app).post('/wiki/Mesh?action=submit').type('form')
      .send({ do: 'preview', source: 'A **bold** claim', summary: 's', base: String(base), csrf: '' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('<strong>bold</strong>');
    expect(textareaOf(res.text)).toBe('A **bold** claim');
    expect(tokenOf(res.text)).toBeTruthy();
  });

  it('keeps the choices made on the conflict screen: the resolved text comes back, unsaved', async () => {
    const { app, wiki } = makeTestApp();
    const [r1] = createPage(wiki, { title: 'X', source: 'intro\nfirst\nmiddle\nsecond\nend\n' });
    const theirs = saveEdit(wiki.stores, { title: parseTitle('X'), source: 'intro\nTHEIR first\nmiddle\nsecond\nend\n', baseId: r1!, actor: wiki.stores.actors.system() }).revision.id;
    const before = revisionCount(wiki);
    const res = await request(app).post('/wiki/X?action=submit').type('form').send({
      do: 'resolve', csrf: 'expired', base: String(theirs), conflict_base: String(r1), mine: 'intro\nMY first\nmiddle\nsecond\nend\n', summary: 'merged', 'choice-0': 'theirs',
    });
    expect(res.status).toBe(403);
    expect(textareaOf(res.text)).toBe('intro\nTHEIR first\nmiddle\nsecond\nend\n');
    expect(res.text).toContain(`<input type="hidden" name="base" value="${theirs}">`);
    expect(res.text).toContain('value="merged"');
    expect(revisionCount(wiki)).toBe(before);
  });

  it('keeps the editor\'s own text when the resolution cannot be made again', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Y', source: 'one' });
    const res = await request(app).post('/wiki/Y?action=submit').type('form')
      .send({ do: 'resolve', csrf: 'expired', base: '999', mine: 'my own words', summary: '' });
    expect(res.status).toBe(403);
    expect(textareaOf(res.text)).toBe('my own words');
  });

  it('lets the live preview go on, with a warning that saving needs a fresh form', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Live', source: 'start' });
    const res = await request(app).post('/wiki/Live?action=preview').type('form').send({ source: 'Live *text*', csrf: 'stale' });
    // htmx swaps only a 2xx: the preview still updates, and says what will happen on save.
    expect(res.status).toBe(200);
    expect(res.text).toContain('This form has expired');
    expect(res.text).toContain('<em>text</em>');
  });

  it('is still a plain refusal for every other form: nothing there is typed text at stake', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Z', source: 'one' });
    const res = await request(app).post('/wiki/Z?action=delete').type('form').send({ reason: 'x', csrf: 'stale' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form has expired');
    expect(res.text).not.toContain('<textarea id="source"');
    expect(wiki.stores.pages.byTitle(parseTitle('Z'))).toBeDefined();
  });
});

describe('an edit form refused for a rate limit', () => {
  it('comes back with the text kept, 429 and Retry-After', async () => {
    const { app, wiki } = makeTestApp({ saveLimit: 1 });
    createPage(wiki, { title: 'Busy', source: 'start' });
    const { agent, csrf } = await browser(app, '/wiki/Busy?action=edit');
    const base = String(wiki.stores.pages.byTitle(parseTitle('Busy'))!.latestId);
    expect((await agent.post('/wiki/Busy?action=submit').type('form').send({ source: 'first save', base, csrf })).status).toBe(303);
    const latest = String(wiki.stores.pages.byTitle(parseTitle('Busy'))!.latestId);
    const res = await agent.post('/wiki/Busy?action=submit').type('form').send({ source: 'second save, typed with care', summary: 'more', base: latest, csrf });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(textareaOf(res.text)).toBe('second save, typed with care');
    expect(res.text).toContain('value="more"');
    expect(res.text).toContain(`<input type="hidden" name="base" value="${latest}">`);
    expect((await agent.get('/wiki/Busy?action=raw')).text).toBe('first save');
  });
});
