import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import { checkWellFormed } from '../helpers/xml.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Wiki } from '../../server/bootstrap.js';

const PUBLIC = 'https://wiki.example.org';

describe('/sitemap.xml', () => {
  it('lists every page that is not a redirect with its last edit, as absolute URLs from the public URL', async () => {
    const { app, wiki } = makeTestApp({ publicUrl: PUBLIC });
    createPage(wiki, { title: 'Peer networks/History' });
    createPage(wiki, { title: `C++ & Co's "best"` });
    const ids = createPage(wiki, { title: 'Edited', revisions: 2 });
    createPage(wiki, { title: 'Old name', source: '#REDIRECT [[Edited]]' });
    const res = await request(app).get('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(checkWellFormed(res.text)[0]).toBe('urlset');
    const locs = [...res.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual([
      `${PUBLIC}/wiki/Peer_networks/History`,
      `${PUBLIC}/wiki/C%2B%2B_%26_Co&apos;s_%22best%22`,
      `${PUBLIC}/wiki/Edited`,
    ]);
    const latest = wiki.stores.revisions.byId(ids[1]!)!;
    expect(res.text).toContain(`<loc>${PUBLIC}/wiki/Edited</loc><lastmod>${latest.timestamp}</lastmod>`);
  });

  it('becomes a sitemap index above 50,000 URLs, each file at most 50,000', async () => {
    const { app, wiki } = makeTestApp({ publicUrl: PUBLIC });
    bulkPages(wiki, 50_001);
    const index = await request(app).get('/sitemap.xml');
    expect(index.status).toBe(200);
    expect(checkWellFormed(index.text)[0]).toBe('sitemapindex');
    expect([...index.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual([`${PUBLIC}/sitemap-1.xml`, `${PUBLIC}/sitemap-2.xml`]);
    const first = await request(app).get('/sitemap-1.xml');
    expect(first.status).toBe(200);
    expect(first.text.match(/<url>/g)).toHaveLength(50_000);
    const second = await request(app).get('/sitemap-2.xml');
    expect(second.text.match(/<url>/g)).toHaveLength(1);
    expect(second.text).toContain(`<loc>${PUBLIC}/wiki/Bulk_50001</loc>`);
    expect((await request(app).get('/sitemap-3.xml')).status).toBe(404);
    expect((await request(app).get('/sitemap-0.xml')).status).toBe(400);
  }, 60_000);

  it('has no numbered files while it fits one', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Only' });
    expect((await request(app).get('/sitemap-1.xml')).status).toBe(404);
  });
});

/** n pages with one revision each, written straight into the tables (the save path would take minutes). */
function bulkPages(wiki: Wiki, n: number): void {
  const actor = wiki.stores.actors.system();
  const content = wiki.stores.content.put('Bulk text.');
  const page = wiki.db.prepare("INSERT INTO page (id, title, created_at) VALUES (?, ?, '2026-01-01T00:00:00.000Z')");
  const rev = wiki.db.prepare(
    "INSERT INTO revision (id, page_id, actor_id, content_id, size, timestamp) VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')",
  );
  const latest = wiki.db.prepare('UPDATE page SET latest_id = ? WHERE id = ?');
  wiki.db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      page.run(i, `Bulk ${i}`);
      rev.run(i, i, actor.id, content.id, content.size);
      latest.run(i, i);
    }
  })();
}

describe('Atom feed of a page history', () => {
  function history() {
    const t = makeTestApp({ publicUrl: PUBLIC });
    const alice = createUser(t.wiki, { name: 'Alice <&>' });
    const title = parseTitle('Peer networks/History');
    const r1 = saveEdit(t.wiki.stores, { title, source: 'One.', comment: 'first', baseId: null, actor: alice }).revision;
    const r2 = saveEdit(t.wiki.stores, { title, source: 'Two.', comment: 'fix <b>bold</b> & "quotes" \u0007', baseId: r1.id, actor: alice }).revision;
    const r3 = saveEdit(t.wiki.stores, { title, source: 'Three.', comment: '', minor: true, baseId: r2.id, actor: alice }).revision;
    return { ...t, r1, r2, r3 };
  }

  it('is valid Atom 1.0 with feed id, title, updated and a self link', async () => {
    const { app, r3 } = history();
    const res = await request(app).get('/wiki/Peer_networks/History?action=history&format=atom');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const names = checkWellFormed(res.text);
    expect(names[0]).toBe('feed');
    expect(res.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(res.text).toContain(`<id>${PUBLIC}/wiki/Peer_networks/History?action=history</id>`);
    expect(res.text).toContain(`<link rel="self" type="application/atom+xml" href="${PUBLIC}/wiki/Peer_networks/History?action=history&amp;format=atom"/>`);
    expect(/<feed[\s\S]*?<updated>([^<]+)<\/updated>/.exec(res.text)![1]).toBe(r3.timestamp);
    expect(/<feed[\s\S]*?<title type="text">([^<]+)<\/title>/.exec(res.text)![1]).toContain('Peer networks/History');
  });

  it('has one entry per revision, newest first, with id, title, updated, author, diff link and summary, XML-escaped', async () => {
    const { app, r1, r2, r3 } = history();
    const res = await request(app).get('/wiki/Peer_networks/History?action=history&format=atom');
    const entries = [...res.text.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]!);
    expect(entries).toHaveLength(3);
    const [e3, e2, e1] = entries;
    expect(e3).toContain(`<id>${PUBLIC}/wiki/Peer_networks/History?oldid=${r3.id}</id>`);
    expect(e3).toContain(`<updated>${r3.timestamp}</updated>`);
    expect(e3).toContain(`<link rel="alternate" type="text/html" href="${PUBLIC}/wiki/Peer_networks/History?diff=${r3.id}&amp;oldid=${r2.id}"/>`);
    expect(e3).toContain('minor');
    expect(e2).toContain('<author><name>Alice &lt;&amp;&gt;</name>');
    expect(e2).toContain('<summary type="text">fix &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot; \uFFFD');
    expect(e2).not.toContain('<b>');
    // The first revision has no parent: its link is the revision itself.
    expect(e1).toContain(`href="${PUBLIC}/wiki/Peer_networks/History?oldid=${r1.id}"`);
  });

  it('takes a limit, and refuses a bad one with 400', async () => {
    const { app } = history();
    const two = await request(app).get('/wiki/Peer_networks/History?action=history&format=atom&limit=2');
    expect(two.text.match(/<entry>/g)).toHaveLength(2);
    expect((await request(app).get('/wiki/Peer_networks/History?action=history&format=atom&limit=0')).status).toBe(400);
  });

  it('answers 404 for a missing page and 400 for an invalid title', async () => {
    const { app, logged } = history();
    expect((await request(app).get('/wiki/Nothing_here?action=history&format=atom')).status).toBe(404);
    expect((await request(app).get('/wiki/A%5Bb?action=history&format=atom')).status).toBe(400);
    expect(logged).toEqual([]);
  });

  it('leaves the HTML history and other formats to the history page', async () => {
    const { app } = history();
    const html = await request(app).get('/wiki/Peer_networks/History?action=history');
    expect(html.headers['content-type']).toMatch(/text\/html/);
    const other = await request(app).get('/wiki/Peer_networks/History?action=history&format=rss');
    expect(other.headers['content-type']).toMatch(/text\/html/);
  });
});
