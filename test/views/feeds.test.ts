import { describe, expect, it } from 'vitest';
import { escapeXml, xml } from '../../views/xml.js';
import { atomFeed, type AtomFeed } from '../../views/feeds/atom.js';
import { sitemapIndex, urlSet } from '../../views/feeds/sitemap.js';
import { checkWellFormed } from '../helpers/xml.js';

const hostile = `<script>alert("x")</script> & 'quotes' \u0001\u0008 lone \uD800 surrogate \uFFFF`;

describe('xml``', () => {
  it('escapes every interpolation, in text and attributes, and replaces characters XML cannot hold', () => {
    const out = xml`<a href="${hostile}">${hostile}</a>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos;');
    expect(out).not.toMatch(/[\u0001\u0008\uD800\uFFFF]/);
    expect(escapeXml('a\tb\nc\r')).toBe('a\tb\nc\r');
    expect(escapeXml('😀')).toBe('😀');
  });

  it('joins arrays and leaves null, undefined and false out, but keeps 0', () => {
    expect(xml`${['a', xml`<b/>`]}${null}${undefined}${false}${0}`.value).toBe('a<b/>0');
  });
});

describe('atomFeed', () => {
  const feed: AtomFeed = {
    id: 'http://wiki.example/wiki/A?action=history',
    title: `History of ${hostile}`,
    selfUrl: 'http://wiki.example/wiki/A?action=history&format=atom',
    alternateUrl: 'http://wiki.example/wiki/A?action=history',
    entries: [
      {
        id: 'http://wiki.example/wiki/A?oldid=2',
        title: hostile,
        updated: '2026-01-02T00:00:00.000Z',
        author: { name: `Mallory ${hostile}` },
        link: 'http://wiki.example/wiki/A?diff=2&oldid=1',
        summary: hostile,
        categories: ['revert', '"x"'],
      },
      {
        id: 'http://wiki.example/wiki/A?oldid=1',
        title: 'First',
        updated: '2026-01-01T00:00:00.000Z',
        author: { name: 'Alice', uri: 'http://wiki.example/special/contributions/Alice' },
        link: 'http://wiki.example/wiki/A?oldid=1',
        summaryHtml: '<p>HTML summary</p>',
      },
    ],
  };

  it('is well-formed Atom 1.0 with the required feed and entry elements', () => {
    const doc = atomFeed(feed);
    const names = checkWellFormed(doc);
    expect(names[0]).toBe('feed');
    expect(doc).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(doc).toContain('<link rel="self" type="application/atom+xml" href="http://wiki.example/wiki/A?action=history&amp;format=atom"/>');
    expect(names.filter((n) => n === 'entry')).toHaveLength(2);
    for (const el of ['id', 'title', 'updated', 'author', 'name', 'link', 'summary']) expect(names).toContain(el);
    // The feed's updated time is the newest entry's when none is given.
    expect(/<feed[\s\S]*?<updated>([^<]+)<\/updated>/.exec(doc)![1]).toBe('2026-01-02T00:00:00.000Z');
    expect(doc).toContain('<summary type="html">&lt;p&gt;HTML summary&lt;/p&gt;</summary>');
    expect(doc).toContain('<category term="&quot;x&quot;"/>');
    expect(doc).not.toContain('<script>');
  });

  it('builds an empty feed with a fixed updated time', () => {
    const doc = atomFeed({ ...feed, entries: [], updated: '2026-05-05T00:00:00.000Z' });
    checkWellFormed(doc);
    expect(doc).toContain('<updated>2026-05-05T00:00:00.000Z</updated>');
  });
});

describe('sitemaps', () => {
  it('escape URLs in URL sets and indexes', () => {
    const set = urlSet([{ loc: 'http://w.example/wiki/A?x=1&y=<2>', lastmod: '2026-01-01T00:00:00.000Z' }]);
    expect(checkWellFormed(set)).toEqual(['urlset', 'url', 'loc', 'lastmod']);
    expect(set).toContain('<loc>http://w.example/wiki/A?x=1&amp;y=&lt;2&gt;</loc>');
    expect(checkWellFormed(sitemapIndex([{ loc: 'http://w.example/sitemap-1.xml' }]))).toEqual(['sitemapindex', 'sitemap', 'loc']);
  });
});
