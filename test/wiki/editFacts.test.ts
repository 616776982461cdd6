/**
 * A save's facts from its parent's (markdown/editFacts.ts): on random pages and random edits, the
 * facts are always those of a whole parse, and a small edit of a long page parses a small window.
 */
import { describe, expect, it } from 'vitest';
import { analyzeEdit, analyzeForIndex, factsParse } from '../../server/wiki/markdown.js';
import { analysisOf, docFacts, editedDocFacts } from '../../server/wiki/markdown/editFacts.js';
import { prng } from '../helpers/random.js';

/** Lines that start, end, continue or cross blocks in every way the parser has. */
const FRAGMENTS = [
  'A paragraph with [[Peer networks]] and [[Mesh|a mesh]].',
  'more words on the next line',
  '',
  '',
  '',
  '# A heading',
  '## Sub [[Heading link]]',
  'Setext heading',
  '===',
  '---',
  '- item [[List link]]',
  '- item two',
  '  continued item',
  '1. first',
  '2) second',
  '    indented code [[Not a link]]',
  '```',
  '~~~',
  'code [[Not a link either]]',
  '> quoted [[Quote link]]',
  'lazy line',
  '| a | b |',
  '| --- | --- |',
  '| [[Cell link]] | c |',
  '[[Category:Networks]]',
  '[[Category:Mesh]] [[Category:Networks]]',
  'A note.[^1]',
  '[^1]: The note with [[Note link]].',
  'Inline ^[note [[Inline note link]]] here.',
  '[ref]: https://example.org/ref',
  'A [ref] and [[Ref link]]',
  '#REDIRECT [[Target page]]',
  '  two-space line',
  '***',
  'Text with `code [[x]]` and **bold [[Bold link]]**',
  '  - nested [[Nested link]]',
  '    deeper',
  '> > nested quote',
  '>',
  '+ plus item',
  '1.',
  '````',
  '   ```',
  'x | y',
  '-|-',
  '\tTabbed [[Tab link]]',
  'Ends with a backslash\\',
  '<div>[[Html link]]</div>',
  '[[Unclosed link',
  ']] [[Closing]]',
];

/** The fragments whose meaning reaches other blocks, which make a page be parsed whole. */
const CROSSING = new Set(FRAGMENTS.filter((f) => f.includes('[^') || f.includes('^[') || f.includes(']:')));
const LOCAL = FRAGMENTS.filter((f) => !CROSSING.has(f));

function randomLines(random: () => number, n: number, pool = FRAGMENTS): string[] {
  return Array.from({ length: n }, () => pool[Math.floor(random() * pool.length)]!);
}

/** One random edit: lines replaced, inserted or removed somewhere, or a word changed in a line. */
function edited(random: () => number, lines: string[], pool: string[]): string[] {
  const out = [...lines];
  const at = Math.floor(random() * (out.length + 1));
  const r = random();
  if (r < 0.3) out.splice(at, Math.floor(random() * 3), ...randomLines(random, Math.floor(random() * 3), pool));
  else if (r < 0.5 && out.length > 0) out.splice(Math.min(at, out.length - 1), 1);
  else if (r < 0.8 && out.length > 0) out[Math.min(at, out.length - 1)] += ` word${Math.floor(random() * 100)}`;
  else out.splice(at, 0, ...randomLines(random, 1 + Math.floor(random() * 4), pool));
  return out;
}

describe('analyzeEdit', () => {
  it('gives the facts of a whole parse, on 3,000 random edits of random pages', () => {
    const random = prng(2026);
    let parsedInPart = 0;
    for (let page = 0; page < 150; page++) {
      // A third of the pages have footnotes and references (parsed whole, mostly), and their edits
      // add and remove them; the rest have every other kind of block.
      const pool = page % 3 === 0 ? FRAGMENTS : LOCAL;
      let lines = randomLines(random, 5 + Math.floor(random() * 40), pool);
      let text = lines.join('\n');
      analyzeEdit(null, text);
      for (let edit = 0; edit < 20; edit++) {
        lines = edited(random, lines, random() < 0.1 ? FRAGMENTS : pool);
        const next = lines.join('\n') + (random() < 0.3 ? '\n' : '');
        const parent = docFacts(factsParse(text));
        const window: string[] = [];
        const incremental = editedDocFacts(parent, text, next, (w) => (window.push(w), factsParse(w)));
        const whole = analyzeForIndex(next);
        if (incremental) {
          parsedInPart++;
          expect(analysisOf(incremental), JSON.stringify({ text, next })).toEqual(whole);
        }
        expect(analyzeEdit(text, next), JSON.stringify({ text, next })).toEqual(whole);
        text = next;
      }
    }
    // Most random edits are worked out in part: the comparison above is of that path.
    expect(parsedInPart).toBeGreaterThan(1200);
  });

  it('the blocks of a whole parse, put together, are that parse', () => {
    const random = prng(7);
    for (let page = 0; page < 300; page++) {
      const text = randomLines(random, 1 + Math.floor(random() * 50)).join('\n');
      expect(analysisOf(docFacts(factsParse(text))), text).toEqual(analyzeForIndex(text));
    }
  });

  it('parses only the blocks around a small change of a long page', () => {
    const paragraphs = Array.from({ length: 400 }, (_, i) => `Paragraph ${i} links to [[Page ${i}]] among many other words.`);
    const text = paragraphs.join('\n\n');
    const next = text.replace('Paragraph 200 links', 'Paragraph 200 now links');
    const windows: string[] = [];
    const doc = editedDocFacts(docFacts(factsParse(text)), text, next, (w) => (windows.push(w), factsParse(w)));
    expect(doc).toBeDefined();
    expect(analysisOf(doc!)).toEqual(analyzeForIndex(next));
    expect(windows).toHaveLength(1);
    expect(windows[0]!.length).toBeLessThan(300);
    expect(windows[0]).toContain('Paragraph 200 now links');
  });

  it('parses the whole page when a change opens a fence that runs to the end', () => {
    const text = 'Intro.\n\nA [[First]] paragraph.\n\nA [[Second]] paragraph.\n\nA [[Third]] paragraph.\n';
    const next = text.replace('A [[First]] paragraph.', '```\nA [[First]] paragraph.');
    expect(editedDocFacts(docFacts(factsParse(text)), text, next, factsParse)).toBeUndefined();
    expect(analyzeEdit(text, next).links).toEqual([]);
  });

  it('parses the whole page when the change cites a footnote or defines a reference', () => {
    const text = 'One [[A]].\n\nTwo [[B]].[^n]\n\n[^n]: Note [[C]].\n\n[x]: https://example.org\n';
    const parent = docFacts(factsParse(text));
    expect(parent.reusable).toBe(false);
    const plain = 'One [[A]].\n\nTwo [[B]].\n\nThree [[C]].\n';
    const cited = plain.replace('Two [[B]].', 'Two [[B]].[^n]');
    expect(editedDocFacts(docFacts(factsParse(plain)), plain, cited, factsParse)).toBeUndefined();
    expect(analyzeEdit(plain, cited)).toEqual(analyzeForIndex(cited));
  });
});
