import { describe, it, expect, vi } from 'vitest';
import { analyze, analyzeForIndex, headingLines, render, RENDER_VERSION, type RenderOptions } from '../../server/wiki/markdown.js';
import { readLatest, renderedHtml } from '../../server/wiki/pages.js';
import { getSection, sectionCount } from '../../server/wiki/sections.js';
import { parseTitle } from '../../server/wiki/title.js';
import { createPage, makeTestApp } from '../helpers/app.js';

// Pages that "exist" in these tests; everything else is a red link.
const EXISTING = new Set(['Peer networks', 'Talk:Peer networks', 'Category:Networks', 'Main Page']);
const existing: RenderOptions['existing'] = (titles) => new Set(titles.filter((t) => EXISTING.has(t)));
const html = (source: string, extra: Partial<RenderOptions> = {}): string => render(source, { existing, ...extra }).html;

const ALLOWED_TAGS = new Set([
  'a', 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'em', 'strong', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'br', 'hr', 'sup', 'section', 'nav', 'div', 'span',
]);
const ALLOWED_ATTRS = new Set(['aria-hidden', 'href', 'src', 'alt', 'title', 'class', 'rel', 'id', 'aria-label', 'aria-labelledby']);

/** The scheme a browser would see in an attribute value: entities decoded, invisible characters dropped. */
function schemeOf(value: string): string {
  const decoded = value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const plain = decodeURIComponent(decoded.replace(/%(?![0-9a-f]{2})/gi, '%25')).replace(/[\p{C}\p{Z}\s]/gu, '');
  const m = /^([^:/?#]*):/.exec(plain);
  return m ? m[1]!.toLowerCase() : '';
}

/** Every tag well formed, from an allow list, with quoted, allow-listed attributes and safe URLs. */
function expectSafe(out: string): void {
  expect(out).not.toMatch(/<script/i);
  for (const m of out.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)) {
    const rest = out.slice(m.index);
    const tag = /^<\/?([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>/.exec(rest);
    expect(tag, `malformed tag at: ${rest.slice(0, 60)}`).not.toBeNull();
    expect(ALLOWED_TAGS.has(tag![1]!), `tag ${tag![1]}`).toBe(true);
    for (const attr of tag![2]!.matchAll(/([a-z-]+)="([^"]*)"/g)) {
      expect(ALLOWED_ATTRS.has(attr[1]!), `attribute ${attr[1]}`).toBe(true);
      if (attr[1] === 'href' || attr[1] === 'src') expect(['', 'http', 'https', 'mailto']).toContain(schemeOf(attr[2]!));
    }
  }
}

describe('render: hostile input', () => {
  it.each([
    { name: 'script tag', source: '<script>alert(1)</script>', text: '&lt;script&gt;alert(1)&lt;/script&gt;' },
    { name: 'img onerror', source: '<img src=x onerror=alert(1)>', text: '&lt;img src=x onerror=alert(1)&gt;' },
    { name: 'html block', source: '<div onclick="alert(1)">\nhi\n</div>', text: '&lt;div onclick=&quot;alert(1)&quot;&gt;' },
    { name: 'javascript link', source: '[x](javascript:alert(1))', text: '[x](javascript:alert(1))' },
    { name: 'mixed case scheme', source: '[x](JaVaScRiPt:alert(1))', text: '[x](JaVaScRiPt:alert(1))' },
    { name: 'tab inside scheme', source: '[x](java\tscript:alert(1))', text: 'script:alert(1))' },
    { name: 'tab inside scheme, angle destination', source: '[x](<java\tscript:alert(1)>)', text: '[x](' },
    { name: 'newline entity inside scheme', source: '[x](<java&#10;script:alert(1)>)', text: '[x](' },
    { name: 'decimal entity', source: '[x](&#106;avascript:alert(1))', text: '[x](javascript:alert(1))' },
    { name: 'hex entity', source: '[x](&#x6A;avascript:alert(1))', text: '[x](javascript:alert(1))' },
    { name: 'named entity colon', source: '[x](javascript&colon;alert(1))', text: '[x](javascript:alert(1))' },
    { name: 'percent-encoded letter', source: '[x](%6Aavascript:alert(1))', text: '[x](%6Aavascript:alert(1))' },
    { name: 'leading control byte', source: '[x](<\u0001javascript:alert(1)>)', text: '[x](' },
    { name: 'leading spaces', source: '[x](<  javascript:alert(1)>)', text: '[x](' },
    { name: 'zero-width space', source: '[x](<java\u200bscript:alert(1)>)', text: '[x](' },
    { name: 'data html', source: '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', text: '[x](data:' },
    { name: 'data image', source: '![i](data:image/png;base64,iVBORw0KGgo=)', text: '![i](data:' },
    { name: 'javascript image', source: '![i](javascript:alert(1))', text: '![i](javascript:alert(1))' },
    { name: 'vbscript', source: '[x](vbscript:msgbox(1))', text: '[x](vbscript:msgbox(1))' },
    { name: 'file', source: '[x](file:///etc/passwd)', text: '[x](file:///etc/passwd)' },
    { name: 'reference definition', source: '[x][r]\n\n[r]: javascript:alert(1)', text: '[x][r]' },
    { name: 'javascript autolink', source: '<javascript:alert(1)>', text: '&lt;javascript:alert(1)&gt;' },
    { name: 'javascript bare text', source: 'javascript:alert(1)', text: 'javascript:alert(1)' },
    { name: 'title attribute quote', source: '[x](http://a.example "t\\" onmouseover=\\"alert(1)")', text: 'title="t&quot; onmouseover=&quot;alert(1)"' },
    { name: 'wiki label with tags', source: '[[Peer networks|<b onmouseover="x">hi</b>]]', text: '&lt;b onmouseover=&quot;x&quot;&gt;hi&lt;/b&gt;</a>' },
    { name: 'wiki label with quotes', source: "[[Peer networks|\"quoted\" 'single']]", text: "&quot;quoted&quot; 'single'</a>" },
    { name: 'quote in wiki target', source: '[[Foo"onmouseover="x]]', text: 'title="Foo&quot;onmouseover=&quot;x (page does not exist)"' },
    { name: 'angle bracket in wiki target', source: '[[Foo<script>]]', text: '[[Foo&lt;script&gt;]]' },
    { name: 'javascript wiki target', source: '[[javascript:alert(1)]]', text: 'href="/wiki/Javascript:alert(1)?action=edit&amp;redlink=1"' },
    { name: 'heading with markup', source: '## <img src=x onerror=alert(1)>', text: '&lt;img src=x onerror=alert(1)&gt;' },
    { name: 'fragment with quotes', source: '[[Peer networks#"><script>]]', text: '<a href="/wiki/Peer_networks#script" title="Peer networks">Peer networks#&quot;&gt;&lt;script&gt;</a>' },
    { name: 'redirect to quoted title', source: '#REDIRECT [[A"b]]', text: 'title="A&quot;b (page does not exist)"' },
  ])('$name', ({ source, text }) => {
    const out = html(source, { title: parseTitle('Sandbox'), sectionEditLinks: true });
    expectSafe(out);
    expect(out).toContain(text);
  });

  it('keeps every rejected URL out of href and src', () => {
    const out = html('[a](javascript:x) ![b](vbscript:x) [c](<java\tscript:x>) [d](data:text/html,x) <javascript:x>');
    expect(out).not.toMatch(/<a |<img /);
  });
});

describe('render: markdown features', () => {
  it.each([
    { name: 'paragraph', source: 'Hello *world*', has: ['<p>Hello <em>world</em></p>'] },
    {
      name: 'GFM table',
      source: '| a | b |\n|---|--:|\n| 1 | 2 |',
      has: ['<table>', '<th>a</th>', '<td>1</td>', '<td class="align-right">2</td>'],
    },
    { name: 'wiki link in a table cell with escaped pipe', source: '| a |\n|---|\n| [[Peer networks\\|peers]] |', has: ['<td><a href="/wiki/Peer_networks" title="Peer networks">peers</a></td>'] },
    { name: 'strikethrough', source: '~~gone~~', has: ['<s>gone</s>'] },
    { name: 'bare URL autolinked', source: 'see https://example.org/x', has: ['<a href="https://example.org/x" rel="nofollow noopener" class="external">https://example.org/x</a>'] },
    { name: 'www autolinked', source: 'see www.example.org', has: ['<a href="http://www.example.org" rel="nofollow noopener" class="external">www.example.org</a>'] },
    { name: 'angle autolink', source: '<https://example.org>', has: ['href="https://example.org" rel="nofollow noopener" class="external"'] },
    { name: 'external link', source: '[ex](https://example.org)', has: ['<a href="https://example.org" rel="nofollow noopener" class="external">ex</a>'] },
    { name: 'protocol-relative link is external', source: '[ex](//example.org)', has: ['<a href="//example.org" rel="nofollow noopener" class="external">ex</a>'] },
    { name: 'mailto allowed, not external', source: '[mail](mailto:a@example.org)', has: ['<a href="mailto:a@example.org">mail</a>'] },
    { name: 'email autolinked', source: 'a@example.org', has: ['<a href="mailto:a@example.org">a@example.org</a>'] },
    { name: 'relative link allowed', source: '[rel](/wiki/Main_Page) [up](../x) [frag](#top)', has: ['<a href="/wiki/Main_Page">rel</a>', '<a href="../x">up</a>', '<a href="#top">frag</a>'] },
    { name: 'image allowed', source: '![alt](/static/logo.png)', has: ['<img src="/static/logo.png" alt="alt">'] },
    { name: 'unknown scheme is text', source: '[x](ftp://example.org)', has: ['[x](ftp://example.org)'] },
    { name: 'raw html shown as text', source: 'a <b>bold</b>', has: ['a &lt;b&gt;bold&lt;/b&gt;'] },
    { name: 'typographer off', source: '"quotes" -- (c)', has: ['&quot;quotes&quot; -- (c)'] },
    {
      name: 'footnotes',
      source: 'Claim[^1] and more[^n].\n\n[^1]: First.\n[^n]: Second.',
      has: ['<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>', '<section class="footnotes">', '<li id="fn1" class="footnote-item"><p>First.', '<li id="fn2"'],
    },
    { name: 'heading id', source: '## Open source', has: ['<h2 id="open-source">Open source</h2>'] },
    { name: 'heading id drops punctuation', source: '## What? Why!', has: ['<h2 id="what-why">'] },
    { name: 'heading id keeps Unicode letters', source: '## Café Überlay 日本', has: ['<h2 id="café-überlay-日本">'] },
    { name: 'heading ids de-duplicated', source: '## Open source\n\n## Open source', has: ['id="open-source"', 'id="open-source-1"'] },
    { name: 'setext heading', source: 'Title\n=====', has: ['<h1 id="title">Title</h1>'] },
    { name: 'code fence not a heading', source: '```\n# not a heading\n```', has: ['<pre><code># not a heading'], not: ['<h1'] },
  ])('$name', ({ source, has, not }) => {
    const out = html(source);
    for (const piece of has) expect(out).toContain(piece);
    for (const piece of not ?? []) expect(out).not.toContain(piece);
    expectSafe(out);
  });
});

describe('render: line endings and NUL', () => {
  it('reads \\r\\n and a lone \\r as line ends, and shows NUL as U+FFFD', () => {
    const typed = 'A line\r\nnext\r\n\r\n# Head\rafter\0 [[Peer networks]]\r\n';
    const plain = 'A line\nnext\n\n# Head\nafter\uFFFD [[Peer networks]]\n';
    expect(html(typed)).toBe(html(plain));
    expect(html(typed)).toContain('<h1');
    expect(html(typed)).toContain('after\uFFFD');
    expect(analyzeForIndex(typed)).toEqual(analyzeForIndex(plain));
    expect(analyzeForIndex(typed).text).not.toContain('\r');
  });
});

describe('render: wiki links', () => {
  it.each([
    { name: 'existing page is blue', source: '[[Peer networks]]', has: '<a href="/wiki/Peer_networks" title="Peer networks">Peer networks</a>' },
    { name: 'title normalised, label as written', source: '[[ peer_networks ]]', has: '<a href="/wiki/Peer_networks" title="Peer networks">peer_networks</a>' },
    { name: 'missing page is red', source: '[[No such page]]', has: '<a href="/wiki/No_such_page?action=edit&amp;redlink=1" class="new" title="No such page (page does not exist)">No such page</a>' },
    { name: 'label', source: '[[Peer networks|the peers]]', has: '<a href="/wiki/Peer_networks" title="Peer networks">the peers</a>' },
    { name: 'fragment', source: '[[Peer networks#Open source]]', has: '<a href="/wiki/Peer_networks#open-source" title="Peer networks">Peer networks#Open source</a>' },
    { name: 'fragment and label', source: '[[Peer networks#Open source|OSS]]', has: '<a href="/wiki/Peer_networks#open-source" title="Peer networks">OSS</a>' },
    { name: 'red link drops fragment', source: '[[Nope#Part]]', has: 'href="/wiki/Nope?action=edit&amp;redlink=1"' },
    { name: 'in-page fragment', source: '[[#Open source]]', has: '<a href="#open-source">#Open source</a>' },
    { name: 'namespace', source: '[[talk:peer networks]]', has: '<a href="/wiki/Talk:Peer_networks" title="Talk:Peer networks">talk:peer networks</a>' },
    { name: 'subpage', source: '[[Peer networks/History]]', has: 'href="/wiki/Peer_networks/History?action=edit&amp;redlink=1"' },
    { name: 'percent-encoded path', source: '[[Café?]]', has: 'href="/wiki/Caf%C3%A9%3F?action=edit&amp;redlink=1"' },
    { name: 'invalid target is text', source: '[[Foo|bar|]] [[]] [[a{b}]]', has: '[[]] [[a{b}]]' },
    { name: 'leading colon category is a link', source: '[[:Category:Networks]]', has: '<a href="/wiki/Category:Networks" title="Category:Networks">Category:Networks</a>' },
    { name: 'inside code stays text', source: '`[[Peer networks]]`', has: '<code>[[Peer networks]]</code>' },
    { name: 'escaped bracket stays text', source: '\\[[Peer networks]]', has: '[[Peer networks]]' },
    { name: 'linkify does not nest inside a label', source: '[[Peer networks|https://example.org]]', has: '<a href="/wiki/Peer_networks" title="Peer networks">https://example.org</a>' },
  ])('$name', ({ source, has }) => {
    const out = html(source);
    expect(out).toContain(has);
    expectSafe(out);
  });

  it('calls existing() once with every link, category and redirect target, each once', () => {
    const spy = vi.fn(existing);
    render('#REDIRECT [[Main Page]]\n\n[[Peer networks]] [[peer networks]] [[Nope]] [[#Here]] [[Category:Networks]] [[Category:Nope]]', { existing: spy });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![0]).toEqual(['Main Page', 'Peer networks', 'Nope', 'Category:Networks', 'Category:Nope']);
  });

  it('does not call existing() when there is nothing to look up', () => {
    const spy = vi.fn(existing);
    render('plain [[#Local]] text', { existing: spy });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('render: categories', () => {
  it('renders nothing inline and lists categories at the foot, red when missing', () => {
    const out = html('Text [[Category:Networks]] more.\n\n[[Category:Nope]]\n[[Category:Networks]]\n\n[^1]\n\n[^1]: note');
    expect(out).toContain('<p>Text  more.</p>');
    expect(out).not.toContain('<p></p>');
    expect(out).toMatch(
      /<\/section>\n<div class="catlinks"><span>Categories:<\/span> <ul><li><a href="\/wiki\/Category:Networks">Networks<\/a><\/li><li><a href="\/wiki\/Category:Nope\?action=edit&amp;redlink=1" class="new" title="Category:Nope \(page does not exist\)">Nope<\/a><\/li><\/ul><\/div>\n$/,
    );
  });

  it('has no catlinks without categories', () => {
    expect(html('[[:Category:Networks]]')).not.toContain('catlinks');
  });
});

describe('render: redirects', () => {
  it('shows the redirect line as a notice and renders the rest', () => {
    const r = render('#REDIRECT [[peer networks#Open source]]\n\nOld *text*.', { existing });
    expect(r.html).toBe(
      '<div class="redirect-msg">Redirect to: <a href="/wiki/Peer_networks#open-source" title="Peer networks">Peer networks#Open source</a></div>\n<p>Old <em>text</em>.</p>\n',
    );
    expect(r.redirect?.title.text).toBe('Peer networks');
    expect(r.redirect?.fragment).toBe('open-source');
  });

  it('a missing target is a red link', () => {
    expect(html('#REDIRECT [[Gone]]')).toContain('<a href="/wiki/Gone?action=edit&amp;redlink=1" class="new" title="Gone (page does not exist)">Gone</a>');
  });
});

describe('analyze', () => {
  const peer = parseTitle('Peer networks');
  it.each([
    { name: 'links in order, unique', source: '[[B]] [[a]] [[b|again]] [[A#x]]', links: ['B', 'A'], categories: [] },
    { name: 'fragment-only links are not links', source: '[[#Top]]', links: [], categories: [] },
    { name: 'invalid targets skipped', source: '[[a<b]] [[]]', links: [], categories: [] },
    { name: 'categories by name, not links', source: '[[Category:Networks]] [[category:networks]] [[Category:Other|sort]]', links: [], categories: ['Networks', 'Other'] },
    { name: 'leading colon category is a link', source: '[[:Category:Networks]]', links: ['Category:Networks'], categories: [] },
    { name: 'links in footnotes and tables', source: '| [[T]] |\n|---|\n\nx[^1]\n\n[^1]: [[F]]', links: ['T', 'F'], categories: [] },
    { name: 'nothing in code', source: '```\n[[Code]]\n```\n\n`[[Span]]`', links: [], categories: [] },
  ])('$name', ({ source, links, categories }) => {
    expect(analyze(source)).toEqual({ links, categories });
  });

  it.each([
    { name: 'plain', source: '#REDIRECT [[Peer networks]]', fragment: undefined },
    { name: 'lower case, no space', source: '#redirect[[peer_networks]]', fragment: undefined },
    { name: 'BOM and leading white space', source: '\uFEFF\n  \n   #Redirect   [[Peer networks]]\n', fragment: undefined },
    { name: 'fragment', source: '#REDIRECT [[Peer networks#Open source]]', fragment: 'open-source' },
    { name: 'label ignored', source: '#REDIRECT [[Peer networks|whatever]] trailing', fragment: undefined },
  ])('redirect: $name', ({ source, fragment }) => {
    const a = analyze(source);
    expect(a.redirect?.title).toEqual(peer);
    expect(a.redirect?.fragment).toBe(fragment);
    expect(a.links).toEqual(['Peer networks']);
  });

  it.each([
    { name: 'not on the first line', source: 'Hello\n#REDIRECT [[Peer networks]]' },
    { name: 'invalid target', source: '#REDIRECT [[Peer<networks]]' },
    { name: 'fragment only', source: '#REDIRECT [[#Section]]' },
    { name: 'inside a quote', source: '> #REDIRECT [[Peer networks]]' },
    { name: 'no link', source: '#REDIRECT Peer networks' },
  ])('no redirect: $name', ({ source }) => {
    expect(analyze(source).redirect).toBeUndefined();
  });

  it('agrees with render', () => {
    const source = '#REDIRECT [[X]]\n[[A]] [[Category:C]] [[B]]';
    const { html: _html, headings: _headings, ...rest } = render(source, { existing });
    expect(rest).toEqual(analyze(source));
  });

  // Analysis skips the core linkify pass (markdown.ts parseForFacts); a bare URL that swallows a
  // [[link]] when rendered must swallow it in the link table too, and its words stay searchable.
  it('agrees with render beside bare URLs, and keeps their words in the plain text', () => {
    const source = 'See http://example.org/[[Foo]] and www.example.org/[[Bar]], <http://x.org/[[Baz]]> [[Qux|q]]   and\ttabs.';
    const { html: _html, headings: _headings, ...rest } = render(source, { existing });
    expect(rest).toEqual(analyze(source));
    expect(rest.links).toEqual(['Bar', 'Qux']);
    const { text } = analyzeForIndex(source);
    expect(text).toContain('http://example.org/[[Foo]]');
    expect(text).toContain('www.example.org/Bar');
    expect(text).toMatch(/ q and tabs\.$/);
  });

  it('parses a link target the same however often it recurs, long and invalid ones included', () => {
    const long = 'L'.repeat(600);
    for (let round = 0; round < 3; round++) {
      expect(analyze(`[[peer_networks]] [[Peer networks]] [[${long}]] [[a<b]] [[${'M'.repeat(200)}]]`).links).toEqual(['Peer networks', 'M'.repeat(200)]);
    }
  });
});

describe('render: table of contents and headings', () => {
  const three = '# Intro\n\ntext\n\n## Open source\n\n### Licences\n\n## Open source\n';

  it('puts a nested TOC right before the first heading when there are 3 or more', () => {
    const out = html('Lead paragraph.\n\n' + three);
    const toc =
      '<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ol><li><a href="#intro">Intro</a>' +
      '<ol><li><a href="#open-source">Open source</a><ol><li><a href="#licences">Licences</a></li></ol></li>' +
      '<li><a href="#open-source-1">Open source</a></li></ol></li></ol></nav>\n';
    expect(out).toContain('<p>Lead paragraph.</p>\n' + toc + '<h1 id="intro">Intro</h1>');
  });

  it('has no TOC with 2 headings', () => {
    expect(html('## One\n\n## Two')).not.toContain('toc');
  });

  it('does not count the TOC title as a heading, and no heading takes its id', () => {
    const r = render('## Toc title\n\n## B\n\n## C', { existing });
    expect(r.headings.map((h) => h.id)).toEqual(['toc-title-1', 'b', 'c']);
    expect(r.html.match(/id="toc-title"/g)).toHaveLength(1);
  });

  it('reports headings with level, text, id and section number', () => {
    expect(render(three, { existing }).headings).toEqual([
      { level: 1, text: 'Intro', id: 'intro', section: 1 },
      { level: 2, text: 'Open source', id: 'open-source', section: 2 },
      { level: 3, text: 'Licences', id: 'licences', section: 3 },
      { level: 2, text: 'Open source', id: 'open-source-1', section: 4 },
    ]);
  });

  it('handles a first heading deeper than later ones', () => {
    const out = html('### a\n\n## b\n\n#### c\n\n### d');
    expect(out).toContain('<ol><li><a href="#a">a</a></li><li><a href="#b">b</a><ol><li><a href="#c">c</a></li><li><a href="#d">d</a></li></ol></li></ol>');
  });

  it('uses the same slug for headings and [[Page#Section]] fragments', () => {
    const r = render('## Peer-to-peer: the “basics”!\n\n[[#Peer-to-peer: the “basics”!]]', { existing });
    expect(r.headings[0]!.id).toBe('peer-to-peer-the-basics');
    expect(r.html).toContain('<a href="#peer-to-peer-the-basics">');
  });
});

describe('render: section edit links', () => {
  const title = parseTitle('Peer networks');

  it('adds an edit link inside each heading, numbered like sections.ts', () => {
    const source = 'Intro\n\n## A & B\n\n```\n## fenced\n```\n\nSetext\n------\n\n> ### Quoted';
    const out = html(source, { title, sectionEditLinks: true });
    expect(out).toContain(
      '<h2 id="a-b">A &amp; B<span class="editsection"><span aria-hidden="true">[</span><a href="/wiki/Peer_networks?action=edit&amp;section=1" aria-label="Edit section: A &amp; B">edit</a><span aria-hidden="true">]</span></span></h2>',
    );
    expect(out).toContain('section=2" aria-label="Edit section: Setext"');
    expect(out).toContain('section=3" aria-label="Edit section: Quoted"');
    expect(out.match(/class="editsection"/g)).toHaveLength(sectionCount(source));
    expect(getSection(source, 2)).toBe('Setext\n------\n\n> ### Quoted');
  });

  it('adds none without the option or without a title', () => {
    expect(html('## A', { title })).not.toContain('editsection');
    expect(html('## A', { sectionEditLinks: true })).not.toContain('editsection');
  });

  it('numbers headings in source order even when footnotes move tokens', () => {
    const source = '## One\n\nx[^1]\n\n[^1]: note\n\n## Two';
    const r = render(source, { existing, title, sectionEditLinks: true });
    expect(r.headings.map((h) => [h.text, h.section])).toEqual([['One', 1], ['Two', 2]]);
    expect(headingLines(source).map((h) => h.line)).toEqual([0, 6]);
  });
});

describe('render: external images', () => {
  const hosts = ['images.example.org', '*.cdn.example.net'];
  const link = (href: string, text: string, title = ''): string =>
    `<a href="${href}"${title ? ` title="${title}"` : ''} rel="nofollow noopener" class="external">${text}</a>`;
  it.each([
    { name: 'relative image shows', source: '![logo](/static/logo.png)', has: '<img src="/static/logo.png" alt="logo">' },
    { name: 'path-relative image shows', source: '![a](img/a.png)', has: '<img src="img/a.png" alt="a">' },
    { name: 'a backslash cannot make a host', source: '![a](/\\tracker.example.com/p.png)', has: '<img src="/%5Ctracker.example.com/p.png" alt="a">' },
    { name: 'allowed host shows', source: '![map](https://images.example.org/map.png)', has: '<img src="https://images.example.org/map.png" alt="map">' },
    { name: 'allowed host in any case', source: '![m](https://IMAGES.Example.org/m.png)', has: '<img src="https://IMAGES.Example.org/m.png" alt="m">' },
    { name: 'http on an allowed host', source: '![m](http://images.example.org/m.png)', has: '<img src="http://images.example.org/m.png" alt="m">' },
    { name: 'subdomain wildcard', source: '![a](https://a.b.cdn.example.net/x.png)', has: '<img src="https://a.b.cdn.example.net/x.png" alt="a">' },
    { name: 'other host becomes a link', source: '![a map](https://tracker.example.com/p.png)', has: link('https://tracker.example.com/p.png', 'a map') },
    { name: 'protocol-relative other host', source: '![a](//tracker.example.com/p.png)', has: link('//tracker.example.com/p.png', 'a') },
    { name: 'empty alt shows the URL', source: '![](https://t.example.com/p.png)', has: link('https://t.example.com/p.png', 'https://t.example.com/p.png') },
    { name: 'title kept', source: '![a](https://t.example.com/p.png "Tip")', has: link('https://t.example.com/p.png', 'a', 'Tip') },
    { name: 'alt markup flattened', source: '![*big* `map`](https://t.example.com/m.png)', has: link('https://t.example.com/m.png', 'big map') },
    { name: 'wildcard is not the bare domain', source: '![a](https://cdn.example.net/x.png)', has: link('https://cdn.example.net/x.png', 'a') },
    { name: 'subdomain of an exact host', source: '![a](https://x.images.example.org/p.png)', has: link('https://x.images.example.org/p.png', 'a') },
    { name: 'lookalike suffix', source: '![a](https://images.example.org.evil.test/p.png)', has: link('https://images.example.org.evil.test/p.png', 'a') },
    { name: 'other port', source: '![a](https://images.example.org:8443/p.png)', has: link('https://images.example.org:8443/p.png', 'a') },
    { name: 'user info before another host', source: '![a](https://images.example.org@evil.test/p.png)', has: link('https://images.example.org@evil.test/p.png', 'a') },
    { name: 'scheme without slashes', source: '![a](https:evil.test/p.png)', has: link('https:evil.test/p.png', 'a') },
    { name: 'mailto is no image host', source: '![a](mailto:a@example.org)', has: '<a href="mailto:a@example.org">a</a>' },
    { name: 'reference image', source: '![a][r]\n\n[r]: https://t.example.com/p.png', has: link('https://t.example.com/p.png', 'a') },
    { name: 'in a footnote', source: 'x[^1]\n\n[^1]: ![a](https://t.example.com/p.png)', has: link('https://t.example.com/p.png', 'a') },
    { name: 'in a table cell', source: '| h |\n|---|\n| ![a](https://t.example.com/p.png) |', has: `<td>${link('https://t.example.com/p.png', 'a')}</td>` },
    { name: 'inside a link, text only', source: '[![badge](https://t.example.com/b.svg)](https://example.org)', has: link('https://example.org', 'badge') },
    { name: 'image in the alt never loads', source: '![![in](https://t.example.com/i.png)](https://images.example.org/o.png)', has: '<img src="https://images.example.org/o.png" alt="in">' },
  ])('$name', ({ source, has }) => {
    const out = html(source, { imageHosts: hosts });
    expect(out).toContain(has);
    expect(out.match(/<img /g)?.length ?? 0).toBe(has.startsWith('<img') ? 1 : 0);
    expectSafe(out);
  });

  it('shows no external image when no host is configured', () => {
    expect(html('![a](https://images.example.org/p.png)')).toBe(`<p>${link('https://images.example.org/p.png', 'a')}</p>\n`);
    expect(html('![a](https://images.example.org/p.png)', { imageHosts: [] })).not.toContain('<img');
  });

  it('shows every image with *', () => {
    expect(html('![a](https://anywhere.test/p.png) ![b](//x.test/q.png)', { imageHosts: ['*'] })).toBe(
      '<p><img src="https://anywhere.test/p.png" alt="a"> <img src="//x.test/q.png" alt="b"></p>\n',
    );
  });

  it('never serves HTML cached under another image policy', async () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'Pictures', source: '![map](https://images.example.org/map.png)' });
    const read = () => readLatest(wiki.stores, parseTitle('Pictures'))!;
    const img = '<img src="https://images.example.org/map.png" alt="map">';
    expect(await renderedHtml(wiki.stores, wiki.workers, read(), 'view', [])).not.toContain(img);
    expect(await renderedHtml(wiki.stores, wiki.workers, read(), 'view', ['images.example.org'])).toContain(img);
    expect(await renderedHtml(wiki.stores, wiki.workers, read(), 'old', ['images.example.org'])).toContain(img);
    expect(await renderedHtml(wiki.stores, wiki.workers, read(), 'view', [])).not.toContain(img);
    expect(wiki.db.prepare('SELECT count(*) FROM render_cache').pluck().get()).toBe(3);
  });
});

describe('RENDER_VERSION', () => {
  it('is a positive integer', () => {
    expect(Number.isInteger(RENDER_VERSION) && RENDER_VERSION > 0).toBe(true);
  });
});
