import { describe, expect, it } from 'vitest';
import { html, trustedHtml } from '../../views/html.js';

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
});
