/** checkWellFormed(): a test-side XML well-formedness check for feeds and sitemaps. */
import { expect } from 'vitest';

/**
 * A small well-formedness check (no XML parser is installed): balanced elements, quoted
 * attributes, only the five predefined entities or character references, only XML characters.
 * Returns the element names in document order.
 */
export function checkWellFormed(doc: string): string[] {
  expect(doc.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const body = doc.replace(/^<\?xml[^?]*\?>/, '');
  expect(body).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
  for (const m of body.matchAll(/&([^;\s]*);?/g)) expect(m[0], 'entity').toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);$/i);
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let at = 0;
  for (const m of body.matchAll(tag)) {
    expect(body.slice(at, m.index), 'text between tags').not.toMatch(/[<>]/);
    at = m.index + m[0].length;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop(), `closing ${name}`).toBe(name);
    else {
      names.push(name!);
      if (!selfClose) stack.push(name!);
    }
  }
  expect(body.slice(at).trim()).toBe('');
  expect(stack).toEqual([]);
  return names;
}
