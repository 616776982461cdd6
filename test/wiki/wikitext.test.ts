import { describe, expect, it } from 'vitest';
import { MAX_NESTING, wikitextToMarkdown } from '../../server/wiki/wikitext.js';
import { render } from '../../server/wiki/markdown.js';

const md = (s: string) => wikitextToMarkdown(s).markdown;

describe('wikitextToMarkdown', () => {
  it.each([
    ["'''bold''' and ''italic'' and '''''both'''''", '**bold** and *italic* and ***both***\n'],
    ['== Heading ==\nText.', '## Heading\nText.\n'],
    ['=== Deeper ===', '### Deeper\n'],
    ['* one\n** two\n# first', '- one\n  - two\n1. first\n'],
    ['[[Target]] and [[Target|label]] and [[Target|Target]]', '[[Target]] and [[Target|label]] and [[Target]]\n'],
    ['[https://example.org Example] and [https://example.org]', '[Example](https://example.org) and <https://example.org>\n'],
    ['[[Category:Networks|sort key]]', '[[Category:Networks]]\n'],
    ['#REDIRECT [[Elsewhere|x]]', '#REDIRECT [[Elsewhere]]\n'],
    ['a<br/>b <s>gone</s> <small>small</small>', 'a\\\nb ~~gone~~ small\n'],
    ['<nowiki>[[not a link]]</nowiki>', '\\[\\[not a link\\]\\]\n'],
    ['<pre>code\n  here</pre>', '```\ncode\n  here\n```\n'],
    ['----', '---\n'],
  ])('converts %j', (wikitext, markdown) => {
    expect(md(wikitext)).toBe(markdown);
  });

  it('turns references into footnotes, a named one once', () => {
    const out = md('A.<ref name="x">First.</ref> B.<ref>Second.</ref> C.<ref name="x" />\n<references />');
    expect(out).toBe('A.[^1] B.[^2] C.[^1]\n\n[^1]: First.\n[^2]: Second.\n');
  });

  it('keeps templates, parser functions and unknown tags as visible code, and counts them', () => {
    const r = wikitextToMarkdown('{{Cite web|url=x}} {{#if:a|b}} <gallery>x.png</gallery> <!-- note -->');
    expect(r.markdown).toBe('`{{Cite web|url=x}}` `{{#if:a|b}}` `<gallery>x.png</gallery>`\n');
    expect(r.kept).toEqual({ templates: 2, tags: 1, tables: 0, files: 0, comments: 1, whole: 0 });
    const multi = wikitextToMarkdown('{{Infobox\n|name=X\n}}');
    expect(multi.markdown).toBe('```wikitext\n{{Infobox\n|name=X\n}}\n```\n');
  });

  it('writes a simple table as a Markdown table, and keeps a rich one as it was', () => {
    expect(md('{|\n! A !! B\n|-\n| 1 || 2\n|}')).toBe('| A | B |\n| --- | --- |\n| 1 | 2 |\n');
    const rich = wikitextToMarkdown('{|\n| a\n* list in a cell\n|}');
    expect(rich.kept.tables).toBe(1);
    expect(rich.markdown).toContain('```wikitext\n{|');
  });

  it('never lets markup through as HTML when rendered', () => {
    const out = md('<script>alert(1)</script> <div onclick="x()">d</div> [javascript:alert(1) click]');
    const html = render(out, { existing: () => new Set<string>() }).html;
    expect(html).not.toMatch(/<script|onclick=|href="javascript:/i);
  });

  it('keeps a text nested deeper than any real page whole, as written, instead of risking the stack', () => {
    const deep = `${'{{'.repeat(2000)}y${'}}'.repeat(2000)} and ${'[['.repeat(3000)}x${']]'.repeat(3000)}`;
    const r = wikitextToMarkdown(deep);
    expect(r.kept.whole).toBe(1);
    expect(r.markdown).toContain(deep);
    // Just inside the budget it is converted.
    const ok = `${'{{a|'.repeat(MAX_NESTING)}y${'}}'.repeat(MAX_NESTING)}`;
    expect(wikitextToMarkdown(ok).kept).toMatchObject({ templates: 1, whole: 0 });
  });

  it('converts a long text', () => {
    const long = "'''Bold''' [[Link]] text. ".repeat(2000);
    expect(wikitextToMarkdown(long).markdown).toContain('**Bold** [[Link]] text.');
  });
});
