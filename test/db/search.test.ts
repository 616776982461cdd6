import { describe, expect, it } from 'vitest';
import { createPage, makeTestApp } from '../helpers/app.js';
import { CHUNK_CHARS, chunksOf, isStopWord, withoutStopWords } from '../../server/db/search.js';
import { IntegrityStore } from '../../server/db/integrity.js';

const rows = (wiki: ReturnType<typeof makeTestApp>['wiki']) => wiki.db.prepare('SELECT count(*) FROM search_index').pluck().get() as number;
const hits = (wiki: ReturnType<typeof makeTestApp>['wiki'], word: string) => wiki.stores.search.search(`"${word}"`, 20, 0).map((h) => h.title);

describe('search index in chunks', () => {
  it('cuts text at whitespace into chunks of at most CHUNK_CHARS that join back to the text', () => {
    const text = 'word '.repeat(CHUNK_CHARS);
    const chunks = chunksOf(text);
    expect(chunks.length).toBe(6); // 5 × CHUNK_CHARS, each chunk ending at a space just short of the limit
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(CHUNK_CHARS);
    for (const c of chunks.slice(0, -1)) expect(c.endsWith(' ')).toBe(true); // no word is cut
    // No whitespace at all: a hard cut, never through a surrogate pair.
    const emoji = '😀'.repeat(CHUNK_CHARS);
    const hard = chunksOf(emoji);
    expect(hard.join('')).toBe(emoji);
    for (const c of hard) expect(c).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    expect(chunksOf('')).toEqual(['']);
  });

  it('finds a long page once, by a word in any chunk, naming the chunk that matched', () => {
    const { wiki } = makeTestApp();
    const [id] = createPage(wiki, { title: 'Long page' });
    createPage(wiki, { title: 'Aardvark', source: 'A short page about the aardvark.' });
    const pageId = wiki.stores.revisions.byId(id!)!.pageId;
    const body = `aardvark first ${'common filler '.repeat(CHUNK_CHARS / 2)} zebrafinch last`;
    wiki.stores.search.put(pageId, 'Long page', body);
    expect(wiki.stores.search.chunkCount(pageId)).toBeGreaterThan(3);
    expect(hits(wiki, 'zebrafinch')).toEqual(['Long page']);
    expect(hits(wiki, 'common')).toEqual(['Long page']); // in every chunk, listed once
    // The title match ranks first, then the long page, once.
    expect(hits(wiki, 'aardvark')).toEqual(['Aardvark', 'Long page']);
    expect(wiki.stores.search.search('"zebrafinch"', 5, 0)[0]!.chunk).toBe(wiki.stores.search.chunkCount(pageId) - 1);

    // A shorter text takes the page's extra chunks out; deleting takes out the rest.
    wiki.stores.search.put(pageId, 'Long page', 'now short');
    expect(wiki.stores.search.chunkCount(pageId)).toBe(1);
    expect(hits(wiki, 'zebrafinch')).toEqual([]);
    wiki.stores.search.delete(pageId);
    expect(wiki.stores.search.chunkCount(pageId)).toBe(0);
  });

  it('does not count a live page\'s later chunks as stale index rows', () => {
    const { wiki } = makeTestApp();
    const [id] = createPage(wiki, { title: 'Long page' });
    const pageId = wiki.stores.revisions.byId(id!)!.pageId;
    wiki.stores.search.put(pageId, 'Long page', 'filler '.repeat(CHUNK_CHARS));
    const before = rows(wiki);
    const integrity = new IntegrityStore(wiki.db);
    expect(integrity.staleIndexRows().search).toBe(0);
    integrity.clearStaleIndexRows();
    expect(rows(wiki)).toBe(before);
  });
});

describe('stop words', () => {
  it('are left out of the body column, in any case, but kept in titles and in every other word', () => {
    expect(withoutStopWords('The history of THE internet, and then there were these: Thebes, theory, isle.')).toBe(
      ' history   internet,     : Thebes, theory, isle.',
    );
    // Whole words only: not inside a word, nor beside a combining mark or a digit.
    expect(withoutStopWords('theory the\u0301 the1 1the ab-the-cd IT')).toBe('theory the\u0301 the1 1the ab--cd ');
    expect(isStopWord('The')).toBe(true);
    expect(isStopWord('thé')).toBe(false);
    const { wiki } = makeTestApp();
    createPage(wiki, { title: 'The Who', source: 'A band that was formed in London.' });
    createPage(wiki, { title: 'Gossip', source: 'The protocol spreads what the nodes know, as the who of it matters.' });
    const body = (word: string) => wiki.db.prepare('SELECT count(*) FROM search_index WHERE search_index MATCH ?').pluck().get(`body : "${word}"`) as number;
    expect(body('the')).toBe(0);
    expect(body('who')).toBe(0);
    expect(body('protocol')).toBe(1);
    // The title keeps them: a query of stop words only finds the page so titled.
    expect(hits(wiki, 'the" "who')).toEqual(['The Who']);
  });

  it('take a fifth or more off the index of English prose', () => {
    const { wiki } = makeTestApp();
    const prose = 'The network of the people is a network that they share, and it was built by them for the ones who use it. ';
    const size = () => wiki.db.prepare("SELECT sum(length(block)) FROM search_index_data").pluck().get() as number;
    const before = size();
    wiki.stores.search.put(1, 'Plain', 'network people share built ones use '.repeat(200));
    const without = size() - before;
    wiki.stores.search.put(2, 'Prose', prose.repeat(200));
    const withStops = size() - before - without;
    // The same meaningful words, with twice as many stop words around them: indexed at about the same size.
    expect(withStops).toBeLessThan(without * 1.2);
  });
});
