import { describe, expect, it } from 'vitest';
import { makeTestApp, createUser } from '../helpers/app.js';
import { packText, sha1Of, type PackedText } from '../../server/db/content.js';
import { TextWorkers } from '../../server/wiki/work/pool.js';
import { saveEditAsync } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

describe('content store', () => {
  it('keeps recently read texts, bounded by their total size as well as their number', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    const long = (i: number) => `${String(i).padStart(3, '0')} `.repeat(60_000); // 240 K UTF-16 units each
    const ids = Array.from({ length: 40 }, (_, i) => content.put(long(i)).id);
    for (const [i, id] of ids.entries()) expect(content.get(id)).toBe(long(i));
    const held = content.cacheSize();
    // 40 texts of 240 K units would be 9.6 M units: only the newest 17 fit in 4 Mi.
    expect(held.chars).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(held.texts).toBe(17);
    // A megabyte-long text is read each time, never kept.
    content.clearCache();
    const huge = 'ab '.repeat(350_000);
    const hugeId = content.put(huge).id;
    expect(content.get(hugeId)).toBe(huge);
    expect(content.get(hugeId)).toBe(huge);
    expect(content.cacheSize()).toEqual({ texts: 0, chars: 0 });
    // Small texts still fill it by number.
    content.clearCache();
    const small = Array.from({ length: 600 }, (_, i) => content.put(`text ${i}`).id);
    for (const id of small) content.get(id);
    expect(content.cacheSize().texts).toBe(500);
  });

  it('stores a text packed beforehand exactly as it stores the text itself', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    for (const text of ['short', 'café ✓ '.repeat(200), 'x'.repeat(300)]) {
      const p = packText(text);
      expect(p.sha1).toBe(sha1Of(text));
      expect(p.size).toBe(Buffer.byteLength(text, 'utf8'));
      const stored = content.put(p);
      expect(content.read(stored.id)).toBe(text);
      // The same text given as a string is found, not stored twice; and a plain Uint8Array will do.
      expect(content.put(text).id).toBe(stored.id);
      const other = packText(`${text}!`);
      const plain: PackedText = { ...other, data: new Uint8Array(other.data) };
      expect(content.read(content.put(plain).id)).toBe(`${text}!`);
    }
    expect(packText('x'.repeat(300)).encoding).toBe('deflate');
    expect(packText('short').encoding).toBe('raw');
  });

  it('hashes and compresses a long save\'s text before the write transaction, on a text thread', async () => {
    const workers = new TextWorkers({ offloadFrom: 1000 });
    const { wiki } = makeTestApp({}, { workers });
    try {
      const given: Array<{ packed: boolean; inTransaction: boolean }> = [];
      const put = wiki.stores.content.put.bind(wiki.stores.content);
      wiki.stores.content.put = (text) => {
        given.push({ packed: typeof text !== 'string', inTransaction: wiki.db.inTransaction });
        return put(text);
      };
      const source = 'Peer networks share what they make. '.repeat(2000);
      const saved = await saveEditAsync(wiki.stores, workers, { title: parseTitle('Long'), source, baseId: null, actor: createUser(wiki) });
      expect(given).toEqual([{ packed: true, inTransaction: true }]);
      expect(wiki.stores.content.read(saved.revision.contentId)).toBe(source);
      expect(saved.revision.sha1).toBe(sha1Of(source));
    } finally {
      await workers.close();
    }
  });
});
