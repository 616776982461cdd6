import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../helpers/app.js';

describe('content store', () => {
  it('keeps recently read texts, bounded by their total size as well as their number', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    const big = (i: number) => `${i} `.repeat(400_000); // about 1 M UTF-16 units each
    const ids = Array.from({ length: 40 }, (_, i) => content.put(big(i)).id);
    for (const [i, id] of ids.entries()) expect(content.get(id)).toBe(big(i));
    const held = content.cacheSize();
    // 40 texts of about a million units would be 40 M units: only the newest few fit in 4 Mi.
    expect(held.chars).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(held.texts).toBeGreaterThan(1);
    expect(held.texts).toBeLessThan(40);
    // Small texts still fill it by number.
    content.clearCache();
    const small = Array.from({ length: 600 }, (_, i) => content.put(`text ${i}`).id);
    for (const id of small) content.get(id);
    expect(content.cacheSize().texts).toBe(500);
  });
});
