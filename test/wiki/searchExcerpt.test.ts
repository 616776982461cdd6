import { describe, expect, it } from 'vitest';
import { EXCERPT_TOKENS, expressionWords, makeExcerpt, pageExcerpt, skim } from '../../server/wiki/searchExcerpt.js';
import { ftsExpression } from '../../server/wiki/search.js';

const marked = (excerpt: string) => [...excerpt.matchAll(/\u0001(.*?)\u0002/g)].map((m) => m[1]);

describe('search excerpts', () => {
  it('marks the words the index matched: word forms, case and diacritics folded', () => {
    const text = 'Community networks connect villages. A networked café in Lisboa runs a Network of relays; Cafés elsewhere copy it.';
    expect(marked(makeExcerpt(text, ['network', 'cafe']))).toEqual(['networks', 'networked', 'café', 'Network', 'Cafés']);
    // Not a prefix match: "net" is not "network".
    expect(marked(makeExcerpt(text, ['net']))).toEqual([]);
  });

  it('shows the window holding the most of the query words, cut with ellipses, in the text\'s own spacing', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    const text = `${filler(40)} gossip alone here. ${filler(40)} gossip protocols spread rumours, ${filler(40)}`;
    const excerpt = makeExcerpt(text, ['gossip', 'protocol']);
    expect(excerpt.startsWith('…')).toBe(true);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt).toContain('\u0001gossip\u0002 \u0001protocols\u0002 spread rumours,');
    expect(excerpt.replace(/[\u0001\u0002…]/g, '').match(/[\p{L}\p{N}]+/gu)).toHaveLength(EXCERPT_TOKENS);
  });

  it('starts at the text when nothing in it matches (a title match), and keeps a short text whole', () => {
    expect(makeExcerpt('Short text.', ['absent'])).toBe('Short text.');
    const long = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    expect(makeExcerpt(long, ['absent'])).toBe(`${long.split(' ').slice(0, EXCERPT_TOKENS).join(' ')}…`);
    expect(makeExcerpt('', ['x'])).toBe('');
  });

  it('reads the words back out of the expression the search built', () => {
    expect(expressionWords(ftsExpression('peer "networks" <b>&')!)).toEqual(['peer', 'networks', 'b']);
  });

  it('stays linear on text built against it', () => {
    const time = (n: number) => {
      const text = 'networking '.repeat(n) + 'x'.repeat(n) + ` ${'é'.repeat(n)}`;
      const t0 = performance.now();
      makeExcerpt(text, ['network', 'x', 'é']);
      return performance.now() - t0;
    };
    time(20_000);
    const small = Math.min(time(20_000), time(20_000));
    const large = Math.min(time(80_000), time(80_000));
    expect(large).toBeLessThan(small * 10 + 20);
  });
});

describe('excerpts of a page\'s Markdown', () => {
  it('skims Markdown to what a reader sees', () => {
    const md = [
      '## Early history',
      '',
      'The **peer** network grew, see the [[Encyclopedia|encyclopedia]] and [[Usenet]] or [the web](https://example.org/web).[^1]',
      '- a _listed_ item with `code`',
      '> quoted words',
      '| Year | Event |',
      '| ---: | --- |',
      '| 1979 | Usenet |',
      '```',
      'peer --gossip',
      '```',
      '[^1]: A note.',
      '[[Category:Networks]]',
    ].join('\n');
    const text = skim(md);
    expect(text).not.toMatch(/\*\*|\[\[|##|Category|https:|\|/);
    expect(text).toContain('The peer network grew, see the encyclopedia and Usenet or the web.');
    expect(text).toContain('a listed item with code');
    expect(text).toContain('1979 Usenet');
    expect(text).toContain('peer --gossip');
  });

  it('looks at the stretch of a long page where the matching chunk begins, not all of it', () => {
    const filler = 'filler words here. '.repeat(20_000); // 380 KB
    const md = `${filler}zebrafinch sings.${filler}`;
    const chunk = Math.floor(filler.length / (32 * 1024));
    expect(pageExcerpt(md, chunk, '"zebrafinch"')).toContain('\u0001zebrafinch\u0002');
    expect(pageExcerpt(md, 0, '"zebrafinch"')).not.toContain('zebrafinch');
  });
});
