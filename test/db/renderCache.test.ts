import { describe, expect, it } from 'vitest';
import { createPage, makeTestApp } from '../helpers/app.js';
import { deflateRawSync } from 'node:zlib';
import { PACK_FROM, PACK_LEVEL } from '../../server/db/renderCache.js';

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
    // Large HTML comes back as its UTF-8 bytes, never decoded on the event loop.
    const back = await wiki.stores.renderCache.get(revisionId!, 1, 'large', 7);
    expect(Buffer.isBuffer(back) && back.toString('utf8')).toBe(large);
    // A newer touched stamp makes either one stale.
    expect(await wiki.stores.renderCache.get(revisionId!, 1, 'large', 8)).toBeUndefined();
  });

  it('takes HTML as bytes, and as deflated by the caller, and gives the same back', async () => {
    const { wiki } = makeTestApp();
    const [revisionId] = createPage(wiki, { title: 'Cached page' });
    const large = `<p>${'peer networks ✓ '.repeat(Math.ceil(PACK_FROM / 8))}</p>`;
    const bytes = Buffer.from(large, 'utf8');
    await wiki.stores.renderCache.put(revisionId!, 1, 'bytes', 7, bytes);
    await wiki.stores.renderCache.put(revisionId!, 1, 'packed', 7, bytes, deflateRawSync(bytes, { level: PACK_LEVEL }));
    await wiki.stores.renderCache.put(revisionId!, 1, 'short', 7, Buffer.from('<p>café</p>'));
    for (const variant of ['bytes', 'packed']) {
      expect((await wiki.stores.renderCache.get(revisionId!, 1, variant, 7))?.toString()).toBe(large);
    }
    // Short bytes are kept as text, like short text.
    expect(await wiki.stores.renderCache.get(revisionId!, 1, 'short', 7)).toBe('<p>café</p>');
  });
});
