import { describe, expect, it } from 'vitest';
import { createPage, makeTestApp } from '../helpers/app.js';
import { excerptHtml, exactTitleMatch, ftsExpression, searchPages, titlesStartingWith } from '../../server/wiki/search.js';

describe('ftsExpression: what a reader types is words, never FTS5 syntax', () => {
  it.each([
    { name: 'plain words', q: 'peer networks', want: '"peer" "networks"*' },
    { name: 'double quotes', q: '"exact phrase', want: '"exact" "phrase"*' },
    { name: 'a quote inside a word', q: 'o"brien', want: '"o" "brien"*' },
    { name: 'NEAR', q: 'NEAR(gossip protocol, 3)', want: '"NEAR" "gossip" "protocol" "3"' },
    { name: 'boolean operators', q: 'cats AND dogs OR NOT birds', want: '"cats" "dogs" "birds"*' },
    { name: 'prefix star and minus', q: 'gos* -spam', want: '"gos" "spam"*' },
    { name: 'a column filter', q: 'title:secret', want: '"title" "secret"*' },
    { name: 'parentheses and carets', q: '(x) ^b {c}', want: '"x" "b" "c"' },
    { name: 'letters and digits of any script', q: 'Zürich 東京 ٣', want: '"Zürich" "東京" "٣"' },
    { name: 'decomposed letters, composed (NFC)', q: 'Cafe\u0301', want: '"Café"*' },
    // A last word shorter than PREFIX_FROM is a word only: a letter or two would match much of the index.
    { name: 'a short last word', q: 'peer ok', want: '"peer" "ok"' },
    // Stop words are not in the body's index: left out, in any case, unless they are all there is.
    { name: 'stop words', q: 'The history of the Internet', want: '"history" "Internet"*' },
    { name: 'only stop words', q: 'The Who', want: '"The" "Who"*' },
  ])('$name', ({ q, want }) => {
    expect(ftsExpression(q)).toBe(want);
  });

  it.each([
    { name: 'empty', q: '' },
    { name: 'spaces', q: '   ' },
    { name: 'only syntax', q: '"* - ( ) : ^' },
  ])('is undefined for a query with no words: $name', ({ q }) => {
    expect(ftsExpression(q)).toBeUndefined();
  });

  it('keeps at most 32 words', () => {
    const q = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(ftsExpression(q)!.split(' ')).toEqual(Array.from({ length: 32 }, (_, i) => `"w${i}"${i === 31 ? '*' : ''}`));
  });
});

describe('excerptHtml: escaped text with balanced <mark>', () => {
  it.each([
    { name: 'plain text', snippet: 'just words', want: 'just words' },
    { name: 'a match', snippet: 'a \u0001match\u0002 here', want: 'a <mark>match</mark> here' },
    { name: 'markup in the text is escaped', snippet: '<script>alert("x")</script> & \u0001<b>\u0002', want: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>&lt;b&gt;</mark>' },
    { name: 'a match left open is closed', snippet: 'a \u0001match', want: 'a <mark>match</mark>' },
    { name: 'a stray close is dropped', snippet: 'a\u0002 b', want: 'a b' },
    { name: 'a second open is dropped', snippet: '\u0001a\u0001b\u0002', want: '<mark>ab</mark>' },
    { name: 'control characters become spaces', snippet: 'a\u0000b\u0007c\u001bd\u007fe\u0085f', want: 'a b c d e f' },
    { name: 'tabs and newlines are kept', snippet: 'a\tb\nc', want: 'a\tb\nc' },
  ])('$name', ({ snippet, want }) => {
    expect(excerptHtml(snippet)).toBe(want);
  });
});

describe('searchPages, exactTitleMatch, titlesStartingWith', () => {
  function setup() {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'Gossip protocol', source: 'Gossip spreads like <rumours> & news.' });
    createPage(wiki, { title: 'Gossip girl', source: 'Unrelated.' });
    createPage(wiki, { title: 'Near field', source: 'NEAR is a word here.' });
    return wiki;
  }

  it('finds pages by words, with escaped excerpts, whatever syntax the query holds', () => {
    const wiki = setup();
    const hits = searchPages(wiki.stores, 'rumours', 10);
    expect(hits.map((h) => h.title)).toEqual(['Gossip protocol']);
    expect(hits[0]!.excerpt).toContain('&lt;<mark>rumours</mark>&gt; &amp;');
    expect(searchPages(wiki.stores, 'NEAR(', 10).map((h) => h.title)).toEqual(['Near field']);
    expect(searchPages(wiki.stores, '"*:', 10)).toEqual([]);
  });

  it('goes straight to a page whose title is the query, in any spelling of the title', () => {
    const wiki = setup();
    expect(exactTitleMatch(wiki.stores, 'gossip_protocol')?.title.text).toBe('Gossip protocol');
    expect(exactTitleMatch(wiki.stores, 'Gossip')).toBeUndefined();
    expect(exactTitleMatch(wiki.stores, '[[bad]]')).toBeUndefined();
  });

  it('finds what the search box suggests: the last word matches as a prefix, marked in the excerpt', () => {
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'Commons-based peer production', source: 'Wikipedia and free software are made this way.' });
    createPage(wiki, { title: 'Allotments', source: 'A community garden shares its tools.' });
    createPage(wiki, { title: 'Elsewhere', source: 'Nothing to see.' });
    // What autocomplete offers for `comm` is found by pressing Enter on it.
    expect(titlesStartingWith(wiki.stores, 'comm', 10).map((p) => p.title.text)).toEqual(['Commons-based peer production']);
    const hits = searchPages(wiki.stores, 'comm', 10);
    expect(hits.map((h) => h.title)).toEqual(['Commons-based peer production', 'Allotments']);
    expect(hits[0]!.inTitle).toBe(true);
    expect(hits[1]!.inTitle).toBe(false);
    expect(hits[1]!.excerpt).toContain('<mark>community</mark>');
    // Only the last word: earlier words are whole words (stemmed) as before.
    expect(searchPages(wiki.stores, 'comm garden', 10).map((h) => h.title)).toEqual([]);
    expect(searchPages(wiki.stores, 'community gard', 10).map((h) => h.title)).toEqual(['Allotments']);
  });

  it('lists titles starting with the query, normalised as a title', () => {
    const wiki = setup();
    expect(titlesStartingWith(wiki.stores, 'gossip_', 10).map((p) => p.title.text)).toEqual(['Gossip girl', 'Gossip protocol']);
    expect(titlesStartingWith(wiki.stores, 'gossip', 1)).toHaveLength(1);
    expect(titlesStartingWith(wiki.stores, '   ', 10)).toEqual([]);
  });
});
