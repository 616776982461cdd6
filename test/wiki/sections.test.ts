import { describe, it, expect } from 'vitest';
import { InvalidInputError } from '../../server/wiki/errors.js';
import { render } from '../../server/wiki/markdown.js';
import { getSection, replaceSection, sectionCount } from '../../server/wiki/sections.js';
import { parseTitle } from '../../server/wiki/title.js';

const DOC = [
  'Lead text.', // 0
  '', // 1
  '# One', // 2
  'one body', // 3
  '', // 4
  '## One.A', // 5
  '```', // 6
  '## not a heading (fenced)', // 7
  '```', // 8
  '', // 9
  '    # not a heading (indented code)', // 10
  '', // 11
  '### One.A.i', // 12
  '', // 13
  '## One.B', // 14
  '', // 15
  'Setext two', // 16
  '----------', // 17
  'tail', // 18
].join('\n');

const CORPUS: { name: string; source: string }[] = [
  { name: 'structured doc', source: DOC },
  { name: 'empty', source: '' },
  { name: 'no headings', source: 'just text\n\nmore' },
  { name: 'heading first, no trailing newline', source: '## A\ntext\n## B' },
  { name: 'heading only', source: '# Alone' },
  { name: 'CRLF line endings', source: 'lead\r\n\r\n## A\r\na\r\n\r\n## B\r\nb\r\n' },
  { name: 'lone CR line endings', source: 'lead\r## A\ra\r## B\rb' },
  { name: 'redirect and headings', source: '#REDIRECT [[X]]\n## A\n\n### B\n\n## C\n' },
  { name: 'headings in quotes and lists', source: '> ## Q\n> quoted\n\n- ## L\n  item\n\n## Top\n' },
  { name: 'footnote between headings', source: '## A\nx[^1]\n\n[^1]: note\n\n## B\n' },
  { name: 'tilde fence and unclosed fence', source: '~~~\n# no\n~~~\n## yes\n```\n## never closed\n' },
];

describe('sectionCount', () => {
  it.each([
    { name: 'structured doc (code not counted, setext counted)', source: DOC, count: 5 },
    { name: 'empty', source: '', count: 0 },
    { name: 'hash without space is not a heading', source: '#hashtag\n#REDIRECT-ish', count: 0 },
    { name: 'setext h1 and h2', source: 'A\n===\n\nB\n---', count: 2 },
    { name: 'thematic break is not setext', source: 'A\n\n---\n', count: 0 },
    { name: 'headings in quotes and lists count', source: '> ## Q\n\n- ## L\n', count: 2 },
    { name: 'unclosed fence swallows the rest', source: '```\n## x\n## y', count: 0 },
  ])('$name', ({ source, count }) => {
    expect(sectionCount(source)).toBe(count);
  });
});

describe('getSection', () => {
  it.each([
    { name: 'section 0 is the lead', k: 0, text: 'Lead text.\n\n' },
    { name: 'h1 includes every subsection', k: 1, text: DOC.split('\n').slice(2).join('\n') },
    { name: 'h2 includes its h3 and the fenced pseudo-heading', k: 2, text: DOC.split('\n').slice(5, 14).join('\n') + '\n' },
    { name: 'h3 runs to the next h2', k: 3, text: '### One.A.i\n\n' },
    { name: 'h2 runs to the next h2 (setext)', k: 4, text: '## One.B\n\n' },
    { name: 'setext section runs to the end', k: 5, text: 'Setext two\n----------\ntail' },
    { name: 'past the last section', k: 6, text: undefined },
    { name: 'negative', k: -1, text: undefined },
    { name: 'not an integer', k: 1.5, text: undefined },
    { name: 'NaN', k: Number.NaN, text: undefined },
  ])('$name', ({ k, text }) => {
    expect(getSection(DOC, k)).toBe(text);
  });

  it.each([
    { name: 'no headings: section 0 is everything', source: 'a\nb', k: 0, text: 'a\nb' },
    { name: 'heading on line 1: section 0 is empty', source: '## A\nx', k: 0, text: '' },
    { name: 'empty source: section 0 is empty', source: '', k: 0, text: '' },
    { name: 'CRLF kept as is', source: 'x\r\n## A\r\na\r\n## B\r\n', k: 1, text: '## A\r\na\r\n' },
    { name: 'lone CR counts as a line end', source: 'x\r## A\ra\r## B', k: 2, text: '## B' },
    { name: 'heading in a quote', source: 'x\n> ## Q\n> y\n\n## T\n', k: 1, text: '> ## Q\n> y\n\n' },
  ])('$name', ({ source, k, text }) => {
    expect(getSection(source, k)).toBe(text);
  });
});

describe('replaceSection', () => {
  it.each(CORPUS)('round-trips every section: $name', ({ source }) => {
    for (let k = 0; k <= sectionCount(source); k++) {
      expect(replaceSection(source, k, getSection(source, k)!), `section ${k}`).toBe(source);
    }
  });

  it.each([
    { name: 'replace a middle section', source: '## A\na\n## B\nb\n## C\nc', k: 2, text: '## B\nnew b\n', out: '## A\na\n## B\nnew b\n## C\nc' },
    { name: 'newline ensured before what follows', source: '## A\na\n## B\nb', k: 1, text: '## A\nchanged', out: '## A\nchanged\n## B\nb' },
    { name: 'no newline added at the end', source: '## A\na\n## B\nb', k: 2, text: '## B\nend', out: '## A\na\n## B\nend' },
    { name: 'replace section 0', source: 'lead\n## A\na', k: 0, text: 'new lead', out: 'new lead\n## A\na' },
    { name: 'insert a lead before a first heading', source: '## A\na', k: 0, text: 'lead\n', out: 'lead\n## A\na' },
    { name: 'empty text removes the section', source: '## A\na\n## B\nb', k: 1, text: '', out: '## B\nb' },
    { name: 'subsections go with their parent', source: '## A\n### A1\nx\n## B\n', k: 1, text: '## A\n', out: '## A\n## B\n' },
    { name: 'CRLF text counts as ending in a newline', source: '## A\r\na\r\n## B\r\n', k: 1, text: '## A\r\nz\r\n', out: '## A\r\nz\r\n## B\r\n' },
  ])('$name', ({ source, k, text, out }) => {
    expect(replaceSection(source, k, text)).toBe(out);
  });

  it.each([
    { name: 'past the last', source: '## A\n## B', k: 3 },
    { name: 'no headings', source: 'text', k: 1 },
    { name: 'negative', source: '## A', k: -1 },
    { name: 'fraction', source: '## A\n## B', k: 1.5 },
  ])('throws InvalidInputError for a missing section: $name', ({ source, k }) => {
    expect(() => replaceSection(source, k, 'x')).toThrow(InvalidInputError);
  });
});

describe('agreement with the renderer', () => {
  const title = parseTitle('Sandbox');
  it.each(CORPUS)('edit link K opens the section that starts at heading K: $name', ({ source }) => {
    const { headings, html } = render(source, { existing: () => new Set(), title, sectionEditLinks: true });
    expect(headings).toHaveLength(sectionCount(source));
    expect(html.match(/class="editsection"/g) ?? []).toHaveLength(sectionCount(source));
    headings.forEach((h, i) => {
      expect(h.section).toBe(i + 1);
      const firstLine = getSection(source, h.section)!.split(/\r\n?|\n/)[0]!;
      expect(firstLine).toContain(h.text);
    });
  });
});
