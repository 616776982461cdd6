import { describe, expect, it } from 'vitest';
import { createPage, makeTestApp } from '../helpers/app.js';
import { PACK_FROM } from '../../server/db/renderCache.js';

describe('render cache store', () => {
  it('keeps small HTML as text and large HTML deflated, and gives both back unchanged', async () => {
    const { wiki } = makeTestApp();
    const [revisionId] = createPage(wiki, { title: 'Cached page' });
    const small = '<p>café ☕</p>';
    const large = `<p>${'peer networks ✓ '.repeat(Math.ceil(PACK_FROM / 8))}</p>`;
    await wiki.stores.renderCache.put(revisionId!, 1, 'small', 7, small);
    await wiki.stores.renderCache.put(revisionId!, 1, 'large', 7, large);
    const stored = wiki.db.prepare('SELECT variant, typeof(html) AS type, length(html) AS bytes FROM render_cache WHERE revision_id = ? AND version = 1 ORDER BY variant').all(revisionId!) as Array<{ variant: string; type: string; bytes: number }>;
    expect(stored.map((r) => [r.variant, r.type])).toEqual([['large', 'blob'], ['small', 'text']]);
    // Deflated, the repetitive large HTML takes a small fraction of its UTF-8 size.
    expect(stored[0]!.bytes).toBeLessThan(Buffer.byteLength(large) / 10);
    expect(await wiki.stores.renderCache.get(revisionId!, 1, 'small', 7)).toBe(small);
    expect(await wiki.stores.renderCache.get(revisionId!, 1, 'large', 7)).toBe(large);
    // A newer touched stamp makes either one stale.
    expect(await wiki.stores.renderCache.get(revisionId!, 1, 'large', 8)).toBeUndefined();
  });
});
