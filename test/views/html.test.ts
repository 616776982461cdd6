import { describe, expect, it } from 'vitest';
import { LONG_PART, html, trustedHtml } from '../../views/html.js';

describe('html templates', () => {
  it.each([
    { name: 'script tag', value: '<script>alert(1)</script>', want: '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>' },
    { name: 'attribute breakout', value: '" onmouseover="x', want: '<p>&quot; onmouseover=&quot;x</p>' },
    { name: 'single quotes', value: "' autofocus '", want: '<p>&#39; autofocus &#39;</p>' },
    { name: 'ampersand', value: 'A & B', want: '<p>A &amp; B</p>' },
  ])('escapes $name', ({ value, want }) => {
    expect(html`<p>${value}</p>`.value).toBe(want);
  });

  it('joins arrays, skips empty values and keeps nested templates and trusted HTML', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${trustedHtml('<b>ok</b>')}`.value).toBe(
      '<ul><li>&lt;a&gt;</li><li>b</li></ul><b>ok</b>',
    );
  });

  it('keeps a long article apart from the page around it, through nested templates, and encodes it the same', () => {
    const article = trustedHtml('<h1>h</h1>\n'.repeat(LONG_PART / 8));
    const page = html`<title>${'A'} — Peerwiki</title><main>${html`<div class="body">${article}</div>`}</main>`;
    // The chrome's "—" would widen the article to two bytes a character if it were joined in.
    expect(page.pieces).toEqual(['<title>A — Peerwiki</title><main><div class="body">', article.value, '</div></main>']);
    expect(page.length).toBe(page.value.length);
    expect(page.bytes().equals(Buffer.from(page.value, 'utf8'))).toBe(true);
    // Short pieces are joined as before.
    expect(html`<p>${trustedHtml('<b>x</b>')}</p>`.pieces).toEqual(['<p><b>x</b></p>']);
  });
});
