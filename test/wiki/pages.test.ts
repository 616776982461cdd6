import { describe, expect, it, vi } from 'vitest';
import { createPage, makeTestApp } from '../helpers/app.js';
import { readFollowingRedirect, readLatest, readRevision, renderedHtml, requireLatest, requirePage, requireRevision } from '../../server/wiki/pages.js';
import { RENDER_VERSION } from '../../server/wiki/markdown.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Wiki } from '../../server/bootstrap.js';

const T = parseTitle;

describe('readLatest and readRevision', () => {
  it('reads the latest revision and its text, and any older revision of the page', () => {
    const { wiki } = makeTestApp();
    const [r1, r2] = createPage(wiki, { title: 'Page', source: 'Second text.', revisions: 2 });
    const latest = readLatest(wiki.stores, T('Page'))!;
    expect(latest.revision.id).toBe(r2);
    expect(latest.source).toBe('Second text.');
    expect(latest.redirectedFrom).toBeUndefined();
    const old = readRevision(wiki.stores, latest.page, r1!);
    expect(old.revision.id).toBe(r1);
    expect(old.source).toBe('Draft 1 of Page.');
    expect(readLatest(wiki.stores, T('Missing'))).toBeUndefined();
  });

  it('loads the text only when it is asked for', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'Page' });
    const get = vi.spyOn(wiki.stores.content, 'get');
    const read = readLatest(wiki.stores, T('Page'))!;
    expect(get).not.toHaveBeenCalled();
    void read.source;
    void read.source;
    expect(get).toHaveBeenCalledTimes(1);
  });
});

describe('readFollowingRedirect', () => {
  function setup() {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'Target', source: 'The target.' });
    createPage(wiki, { title: 'To target', source: '#REDIRECT [[Target]]' });
    createPage(wiki, { title: 'To section', source: '#REDIRECT [[Target#History]]' });
    createPage(wiki, { title: 'To redirect', source: '#REDIRECT [[To target]]' });
    createPage(wiki, { title: 'To nowhere', source: '#REDIRECT [[Nowhere]]' });
    createPage(wiki, { title: 'To itself', source: '#REDIRECT [[To itself]]' });
    return wiki;
  }

  it.each([
    { name: 'a plain page is itself', title: 'Target', reached: 'Target', from: undefined, fragment: undefined },
    { name: 'a redirect goes to its target', title: 'To target', reached: 'Target', from: 'To target', fragment: undefined },
    { name: 'a redirect to a section carries the fragment', title: 'To section', reached: 'Target', from: 'To section', fragment: 'history' },
    { name: 'a redirect to a redirect stops at the second', title: 'To redirect', reached: 'To target', from: 'To redirect', fragment: undefined },
    { name: 'a redirect to a missing page is shown itself', title: 'To nowhere', reached: 'To nowhere', from: undefined, fragment: undefined },
    { name: 'a redirect to itself is shown itself', title: 'To itself', reached: 'To itself', from: undefined, fragment: undefined },
  ])('$name', ({ title, reached, from, fragment }) => {
    const wiki = setup();
    const read = readFollowingRedirect(wiki.stores, T(title))!;
    expect(read.page.title.text).toBe(reached);
    expect(read.revision.id).toBe(wiki.stores.pages.byTitle(T(reached))!.latestId);
    expect(read.redirectedFrom?.text).toBe(from);
    expect(read.fragment).toBe(fragment);
  });

  it('is undefined for a missing page', () => {
    expect(readFollowingRedirect(setup().stores, T('Missing'))).toBeUndefined();
  });
});

describe('requirePage, requireLatest, requireRevision', () => {
  function setup() {
    const { wiki } = makeTestApp();
    const [mine] = createPage(wiki, { title: 'Mine' });
    const [other] = createPage(wiki, { title: 'Other' });
    return { s: wiki.stores, mine: mine!, other: other!, page: wiki.stores.pages.byTitle(T('Mine'))! };
  }

  it('returns what exists', () => {
    const c = setup();
    expect(requirePage(c.s, T('Mine')).id).toBe(c.page.id);
    expect(requireLatest(c.s, T('Mine')).revision.id).toBe(c.mine);
    expect(requireRevision(c.s, c.page, c.mine).id).toBe(c.mine);
  });

  it.each([
    { name: 'requirePage of a missing page', act: (c: ReturnType<typeof setup>) => requirePage(c.s, T('Missing')), message: 'There is no page "Missing".' },
    { name: 'requirePage with its own ending', act: (c: ReturnType<typeof setup>) => requirePage(c.s, T('Missing'), ', so it has no history feed.'), message: 'There is no page "Missing", so it has no history feed.' },
    { name: 'requireLatest of a missing page', act: (c: ReturnType<typeof setup>) => requireLatest(c.s, T('Missing'), '!'), message: 'There is no page "Missing"!' },
    { name: 'requireRevision of an unknown id', act: (c: ReturnType<typeof setup>) => requireRevision(c.s, c.page, 9999), message: 'Revision 9999 is not a revision of "Mine".' },
    { name: 'requireRevision of another page\'s revision', act: (c: ReturnType<typeof setup>) => requireRevision(c.s, c.page, c.other), message: /^Revision \d+ is not a revision of "Mine"\.$/ },
    { name: 'readRevision of another page\'s revision', act: (c: ReturnType<typeof setup>) => readRevision(c.s, c.page, c.other), message: /is not a revision of "Mine"/ },
  ])('$name throws not_found', ({ act, message }) => {
    const c = setup();
    expect(() => act(c)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => act(c)).toThrow(message);
  });
});

describe('renderedHtml', () => {
  const cacheRows = (wiki: Wiki) => wiki.db.prepare('SELECT revision_id, version, variant, touched FROM render_cache ORDER BY variant').all();
  const poison = (wiki: Wiki) => wiki.db.prepare("UPDATE render_cache SET html = 'from the cache'").run();

  function setup() {
    const { wiki } = makeTestApp();
    const [id] = createPage(wiki, { title: 'Linker', source: '## Part\n\nSee [[Later]].' });
    return { wiki, id: id! };
  }

  it('renders once, then serves the cached HTML without reading the text', async () => {
    const { wiki, id } = setup();
    const read = readLatest(wiki.stores, T('Linker'))!;
    const html = await renderedHtml(wiki.stores, wiki.workers, read, 'view', []);
    expect(html).toContain('class="new"');
    expect(cacheRows(wiki)).toEqual([{ revision_id: id, version: RENDER_VERSION, variant: 'view', touched: read.page.touched }]);
    poison(wiki);
    const get = vi.spyOn(wiki.stores.content, 'get');
    expect(await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, T('Linker'))!, 'view', [])).toBe('from the cache');
    expect(get).not.toHaveBeenCalled();
  });

  it('renders again once the page is touched (a linked page was created), and caches that', async () => {
    const { wiki } = setup();
    await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, T('Linker'))!, 'view', []);
    poison(wiki);
    createPage(wiki, { title: 'Later' });
    const read = readLatest(wiki.stores, T('Linker'))!;
    const html = await renderedHtml(wiki.stores, wiki.workers, read, 'view', []);
    expect(html).not.toBe('from the cache');
    expect(html).toContain('href="/wiki/Later"');
    expect(html).not.toContain('class="new"');
    expect(cacheRows(wiki)).toEqual([expect.objectContaining({ touched: read.page.touched })]);
  });

  it.each([
    { name: 'variant', other: { variant: 'old' as const, hosts: [] as string[] } },
    { name: 'image policy', other: { variant: 'view' as const, hosts: ['images.example.org'] } },
  ])('keys the cache by $name, so one is never served for the other', async ({ other }) => {
    const { wiki } = setup();
    await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, T('Linker'))!, 'view', []);
    poison(wiki);
    const html = await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, T('Linker'))!, other.variant, other.hosts);
    expect(html).not.toBe('from the cache');
    expect(cacheRows(wiki)).toHaveLength(2);
  });

  it('gives the latest view section edit links and the old view none', async () => {
    const { wiki } = setup();
    const read = readLatest(wiki.stores, T('Linker'))!;
    expect(await renderedHtml(wiki.stores, wiki.workers, read, 'view', [])).toContain('class="editsection"');
    expect(await renderedHtml(wiki.stores, wiki.workers, read, 'old', [])).not.toContain('class="editsection"');
  });
});
